import { useQuery } from '@tanstack/react-query';
import { Card, Col, DatePicker, Empty, Flex, Row, Space, Statistic, Table, Tag, TreeSelect, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useProductAccount } from '../../../components/account-picker';
import { ErrorAlert } from '../../../components/error-display';
import { PageHeader } from '../../../components/page-header';
import { useUrlState } from '../../../components/url-state';
import { toTreeNodes } from '../directory/department-tree-panel';
import { directoryApi } from '../directory/directory.api';
import { followUpsApi, followUpsKey } from '../follow-ups/follow-ups.api';
import { CodeAddsTable } from './code-adds-table';
import { customerOverviewApi, customerOverviewKey, type MemberCustomersOverview } from './customer-overview.api';
import { DailyChart } from './daily-chart';

const DAY = 'YYYY-MM-DD';
const DEFAULT_DAYS = 30;
/** The follow-ups overview refuses windows longer than this. */
const FOLLOW_UP_MAX_DAYS = 366;
const REMINDER_AHEAD_DAYS = 7;

interface MemberRow extends MemberCustomersOverview {
  key: string;
  written: number;
  due: number;
  overdue: number;
}

/** The start of a China day (the server's days are China time, whatever the browser's zone). */
const chinaStart = (day: string) => dayjs(`${day}T00:00:00+08:00`);

/** 客户联系概览: adds and losses per member, per day and per code, with follow-ups due and overdue. */
export function CustomerOverviewPage() {
  const { t } = useTranslation('wecomCustomers');
  const { account, picker, empty } = useProductAccount('wecom');
  const accountId = account?.id ?? '';
  const [url, setUrl] = useUrlState(['from', 'to', 'departmentId']);
  const today = dayjs().format(DAY);
  const to = url.to ?? today;
  const from = url.from ?? dayjs(to).subtract(DEFAULT_DAYS - 1, 'day').format(DAY);
  const departmentId = url.departmentId;

  const overview = useQuery({
    queryKey: [...customerOverviewKey(accountId), from, to, departmentId],
    queryFn: () => customerOverviewApi.get(accountId, { from, to, departmentId }),
    enabled: Boolean(accountId),
  });

  // Follow-ups: records written in the window; reminders in it, and in the week ahead when the window reaches today.
  const followUpWindow = useMemo(() => {
    const start = chinaStart(from);
    let end = chinaStart(to).add(1, 'day');
    const ahead = dayjs().add(REMINDER_AHEAD_DAYS, 'day');
    if (!end.isBefore(dayjs()) && ahead.isAfter(end) && ahead.diff(start, 'day', true) <= FOLLOW_UP_MAX_DAYS) end = ahead.startOf('hour');
    return { from: start.toISOString(), to: end.toISOString() };
  }, [from, to]);
  const followUps = useQuery({
    queryKey: [...followUpsKey(accountId), 'overview', followUpWindow.from, followUpWindow.to, departmentId],
    queryFn: () => followUpsApi.overview(accountId, { ...followUpWindow, departmentId }),
    enabled: Boolean(accountId),
  });

  const departments = useQuery({ queryKey: ['wecom-directory', accountId, 'departments'], queryFn: () => directoryApi.departments(accountId), enabled: Boolean(accountId) });
  const treeData = useMemo(() => {
    type Option = { value: string; title: string; children: Option[] };
    const convert = (nodes: ReturnType<typeof toTreeNodes>): Option[] => nodes.map((n) => ({ value: String(n.key), title: n.department.name, children: convert(n.children) }));
    return convert(toTreeNodes(departments.data?.items ?? []));
  }, [departments.data]);

  // One row per member, whether the member shows up in the customers figures, the follow-ups figures or both.
  const memberRows = useMemo<MemberRow[]>(() => {
    const rows = new Map<string, MemberRow>();
    for (const m of overview.data?.members ?? []) rows.set(m.userid.toLowerCase(), { ...m, key: m.userid.toLowerCase(), written: 0, due: 0, overdue: 0 });
    for (const f of followUps.data?.members ?? []) {
      const key = f.userid.toLowerCase();
      const row = rows.get(key) ?? { key, userid: f.userid, name: f.name, departments: [], added: 0, lost: 0, lostByMember: 0, lostByCustomer: 0, active: 0, written: 0, due: 0, overdue: 0 };
      rows.set(key, { ...row, name: row.name ?? f.name, written: f.written, due: f.due, overdue: f.overdue });
    }
    return [...rows.values()];
  }, [overview.data, followUps.data]);

  const count = (field: keyof MemberRow, width = 96) => ({
    dataIndex: field,
    width,
    align: 'right' as const,
    sorter: (a: MemberRow, b: MemberRow) => Number(a[field]) - Number(b[field]),
  });
  const memberColumns: TableColumnsType<MemberRow> = [
    {
      title: t('overview.members.member'),
      key: 'member',
      fixed: 'left',
      width: 160,
      sorter: (a, b) => (a.name ?? a.userid).localeCompare(b.name ?? b.userid),
      render: (_v, r) => (
        <Flex vertical>
          <span>{r.name ?? r.userid}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.userid}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('overview.members.departments'),
      key: 'departments',
      ellipsis: true,
      render: (_v, r) => (r.departments.length ? r.departments.map((d) => <Tag key={d.id}>{d.name ?? d.id}</Tag>) : '—'),
    },
    {
      title: t('overview.members.customersGroup'),
      children: [
        { title: t('overview.members.added'), ...count('added'), defaultSortOrder: 'descend' },
        { title: t('overview.members.lost'), ...count('lost') },
        { title: t('overview.members.lostByMember'), ...count('lostByMember', 128) },
        { title: t('overview.members.lostByCustomer'), ...count('lostByCustomer', 128) },
        { title: t('overview.members.active'), ...count('active') },
      ],
    },
    {
      title: t('overview.members.followUpsGroup'),
      children: [
        { title: t('overview.members.written'), ...count('written') },
        { title: t('overview.members.due'), ...count('due') },
        { title: t('overview.members.overdue'), ...count('overdue'), render: (v: number) => (v > 0 ? <Typography.Text type="danger">{v}</Typography.Text> : v) },
      ],
    },
  ];

  const onRange = (value: [Dayjs | null, Dayjs | null] | null) => {
    if (!value?.[0] || !value[1]) return;
    setUrl({ from: value[0].format(DAY), to: value[1].format(DAY) });
  };
  const totals = overview.data?.totals;

  return (
    <>
      <PageHeader
        title={t('overview.title')}
        description={t('overview.description')}
        extra={
          <Space wrap>
            {picker}
            {account ? (
              <>
                <DatePicker.RangePicker
                  allowClear={false}
                  value={[dayjs(from), dayjs(to)]}
                  onChange={onRange}
                  disabledDate={(d) => d.isAfter(dayjs(), 'day')}
                  data-testid="customer-overview-range"
                />
                <TreeSelect
                  allowClear
                  treeDefaultExpandAll
                  treeData={treeData}
                  value={departmentId}
                  onChange={(v: string | undefined) => setUrl({ departmentId: v })}
                  placeholder={t('overview.allDepartments')}
                  style={{ width: 200 }}
                  data-testid="customer-overview-department"
                />
              </>
            ) : null}
          </Space>
        }
      />
      {!account ? (
        empty
      ) : (
        <Flex vertical gap={16}>
          <ErrorAlert error={overview.error ?? followUps.error} />
          <Row gutter={[16, 16]}>
            <Col xs={12} md={8} xl={5}>
              <Card size="small" style={{ height: '100%' }} loading={overview.isLoading}>
                <Statistic title={t('overview.kpi.added')} value={totals?.added ?? 0} valueStyle={{ color: '#1677ff' }} />
                <Typography.Text type="secondary">{t('overview.kpi.active', { count: totals?.active ?? 0 })}</Typography.Text>
              </Card>
            </Col>
            <Col xs={12} md={8} xl={5}>
              <Card size="small" style={{ height: '100%' }} loading={overview.isLoading}>
                <Statistic title={t('overview.kpi.lost')} value={totals?.lost ?? 0} valueStyle={{ color: '#cf1322' }} />
                <Typography.Text type="secondary">{t('overview.kpi.lostSplit', { byMember: totals?.lostByMember ?? 0, byCustomer: totals?.lostByCustomer ?? 0 })}</Typography.Text>
              </Card>
            </Col>
            <Col xs={12} md={8} xl={4}>
              <Card size="small" style={{ height: '100%' }} loading={overview.isLoading}>
                <Statistic title={t('overview.kpi.net')} value={totals?.net ?? 0} valueStyle={{ color: (totals?.net ?? 0) < 0 ? '#cf1322' : '#389e0d' }} />
                <Typography.Text type="secondary">
                  {from} ~ {to}
                </Typography.Text>
              </Card>
            </Col>
            <Col xs={12} md={12} xl={5}>
              <Card size="small" style={{ height: '100%' }} loading={followUps.isLoading}>
                <Statistic title={t('overview.kpi.due')} value={followUps.data?.totals.due ?? 0} valueStyle={{ color: '#d48806' }} />
                <Typography.Text type="secondary">{t('overview.kpi.followUpHint')}</Typography.Text>
              </Card>
            </Col>
            <Col xs={24} md={12} xl={5}>
              <Card size="small" style={{ height: '100%' }} loading={followUps.isLoading}>
                <Statistic title={t('overview.kpi.overdue')} value={followUps.data?.totals.overdue ?? 0} valueStyle={{ color: '#cf1322' }} />
                <Typography.Text type="secondary">{t('overview.kpi.followUpHint')}</Typography.Text>
              </Card>
            </Col>
          </Row>
          <Card size="small" title={t('overview.chart.title')}>
            {overview.data ? <DailyChart days={overview.data.days} /> : null}
          </Card>
          <Card size="small" title={t('overview.members.title')}>
            <Table<MemberRow>
              rowKey="key"
              size="small"
              bordered
              columns={memberColumns}
              dataSource={memberRows}
              loading={overview.isLoading || followUps.isLoading}
              pagination={memberRows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
              scroll={{ x: 1050 }}
              locale={{ emptyText: <Empty description={t('overview.members.empty')} /> }}
              data-testid="customer-overview-members"
            />
          </Card>
          <CodeAddsTable accountId={accountId} from={from} to={to} departmentId={departmentId} />
          <Typography.Text type="secondary">{t('overview.hint')}</Typography.Text>
        </Flex>
      )}
    </>
  );
}

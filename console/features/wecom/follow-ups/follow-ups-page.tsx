import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Col, DatePicker, Drawer, Empty, Flex, Form, Input, Row, Select, Statistic, Tabs, Tag, TreeSelect, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../../app/session';
import { useProductAccount } from '../../../components/account-picker';
import { DataTable } from '../../../components/data-table';
import { ErrorAlert, errorMessage } from '../../../components/error-display';
import { formatDateTime } from '../../../components/format';
import { PageHeader } from '../../../components/page-header';
import { useUrlState } from '../../../components/url-state';
import { toTreeNodes } from '../directory/department-tree-panel';
import { directoryApi } from '../directory/directory.api';
import { CustomerFollowUps, ReminderTag } from './customer-follow-ups';
import { followUpStages, followUpsApi, followUpsKey, stageColors, type FollowUp } from './follow-ups.api';
import { OverviewChart } from './overview-chart';

type Tab = 'all' | 'due' | 'overdue';
const filterKeys = ['q', 'userid', 'departmentId', 'stage'] as const;

/** Query parameters of a tab: due = open reminders still ahead, overdue = open reminders passed. */
function tabFilters(tab: Tab): Record<string, string | undefined> {
  if (tab === 'due') return { overdue: 'false' };
  if (tab === 'overdue') return { overdue: 'true' };
  return {};
}

/** 跟进记录: every follow-up within the caller's reach, due and overdue reminders, and the per-member overview. */
export function FollowUpsPage() {
  const { t } = useTranslation('wecomFollowUps');
  const can = useCan();
  const { message } = App.useApp();
  const { account, picker, empty } = useProductAccount('wecom');
  const accountId = account?.id ?? '';
  const [url, setUrl] = useUrlState(['tab', 'cursor', ...filterKeys]);
  const tab: Tab = url.tab === 'due' || url.tab === 'overdue' ? url.tab : 'all';
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().subtract(30, 'day').startOf('day'), dayjs().add(7, 'day').endOf('day')]);
  const [customer, setCustomer] = useState<FollowUp | null>(null);
  const overview = useQuery({
    queryKey: [...followUpsKey(accountId), 'overview', range[0].toISOString(), range[1].toISOString()],
    queryFn: () => followUpsApi.overview(accountId, { from: range[0].toISOString(), to: range[1].toISOString() }),
    enabled: Boolean(accountId),
  });
  const departments = useQuery({ queryKey: ['wecom-directory', accountId, 'departments'], queryFn: () => directoryApi.departments(accountId), enabled: Boolean(accountId) });
  const treeData = useMemo(() => {
    type Option = { value: string; title: string; children: Option[] };
    const convert = (nodes: ReturnType<typeof toTreeNodes>): Option[] => nodes.map((n) => ({ value: String(n.key), title: n.department.name, children: convert(n.children) }));
    return convert(toTreeNodes(departments.data?.items ?? []));
  }, [departments.data]);

  const columns: TableColumnsType<FollowUp> = [
    {
      title: t('field.customer'),
      dataIndex: 'customerName',
      width: 160,
      render: (name: string, record) => (
        <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setCustomer(record)}>
          {name || record.externalUserId}
        </Button>
      ),
    },
    { title: t('field.member'), key: 'member', width: 120, render: (_v, r) => r.memberName ?? r.userid },
    { title: t('field.stage'), dataIndex: 'stage', width: 100, render: (stage: FollowUp['stage']) => <Tag color={stageColors[stage]}>{t(`stage.${stage}`)}</Tag> },
    { title: t('field.note'), dataIndex: 'note', ellipsis: true },
    {
      title: t('field.nextContactAt'),
      key: 'next',
      width: 230,
      render: (_v, r) => (r.nextContactAt ? <Flex gap={6} align="center">{formatDateTime(r.nextContactAt)}<ReminderTag record={r} /></Flex> : '—'),
    },
    { title: t('field.writtenBy'), key: 'by', width: 110, render: (_v, r) => r.createdBy.name ?? '—' },
    { title: t('field.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v) },
  ];

  const exportFiltered = () =>
    void followUpsApi
      .exportXlsx(accountId, { ...Object.fromEntries(filterKeys.map((k) => [k, url[k]])), ...tabFilters(tab) })
      .catch((error: unknown) => message.error(errorMessage(error, t('common:error.unknown'))));

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        extra={
          <>
            {picker}
            {account && can('wecom.customers.export') ? (
              <Button icon={<DownloadOutlined />} onClick={exportFiltered} data-testid="follow-ups-export">
                {t('action.export')}
              </Button>
            ) : null}
          </>
        }
      />
      {!account ? (
        empty
      ) : (
        <Flex vertical gap={16}>
          <Card
            size="small"
            title={t('overview.title')}
            extra={<DatePicker.RangePicker allowClear={false} value={range} onChange={(v) => v?.[0] && v[1] && setRange([v[0].startOf('day'), v[1].endOf('day')])} />}
          >
            <ErrorAlert error={overview.error} />
            {overview.data ? (
              <Row gutter={16}>
                <Col xs={24} md={6}>
                  <Flex vertical gap={16} style={{ paddingTop: 8 }}>
                    <Statistic title={t('overview.written')} value={overview.data.totals.written} />
                    <Statistic title={t('overview.due')} value={overview.data.totals.due} valueStyle={{ color: '#d48806' }} />
                    <Statistic title={t('overview.overdue')} value={overview.data.totals.overdue} valueStyle={{ color: '#cf1322' }} />
                  </Flex>
                </Col>
                <Col xs={24} md={18}>
                  {overview.data.members.length > 0 ? <OverviewChart overview={overview.data} /> : <Empty description={t('overview.empty')} />}
                </Col>
              </Row>
            ) : null}
            <Typography.Text type="secondary">{t('overview.hint')}</Typography.Text>
          </Card>
          <Tabs
            activeKey={tab}
            onChange={(key) => setUrl({ tab: key === 'all' ? undefined : key, cursor: undefined })}
            items={(['all', 'due', 'overdue'] as const).map((key) => ({ key, label: t(`tab.${key}`) }))}
            style={{ marginBottom: -16 }}
          />
          <DataTable<FollowUp>
            queryKey={[...followUpsKey(accountId), 'list', tab]}
            fetchPage={({ cursor, limit, filters }) => followUpsApi.list(accountId, { cursor, limit, ...filters, ...tabFilters(tab) })}
            rowKey="id"
            columns={columns}
            filterKeys={filterKeys}
            title={t(`tab.${tab}`)}
            scrollX={1100}
            searchFields={
              <>
                <Form.Item name="q" style={{ marginBottom: 16 }}>
                  <Input allowClear placeholder={t('filter.q')} style={{ width: 200 }} />
                </Form.Item>
                <Form.Item name="userid" style={{ marginBottom: 16 }}>
                  <Input allowClear placeholder={t('filter.userid')} style={{ width: 160 }} />
                </Form.Item>
                <Form.Item name="departmentId" style={{ marginBottom: 16 }}>
                  <TreeSelect allowClear treeDefaultExpandAll treeData={treeData} placeholder={t('filter.department')} style={{ width: 200 }} />
                </Form.Item>
                <Form.Item name="stage" style={{ marginBottom: 16 }}>
                  <Select allowClear placeholder={t('filter.stage')} style={{ width: 140 }} options={followUpStages.map((s) => ({ value: s, label: t(`stage.${s}`) }))} />
                </Form.Item>
              </>
            }
            testId="follow-ups-table"
          />
        </Flex>
      )}
      <Drawer open={customer !== null} onClose={() => setCustomer(null)} width={640} title={customer ? t('drawerTitle', { name: customer.customerName || customer.externalUserId }) : ''} destroyOnHidden>
        {customer ? <CustomerFollowUps accountId={accountId} externalUserId={customer.externalUserId} defaultUserid={customer.userid} /> : null}
      </Drawer>
    </>
  );
}

import { LeftOutlined, RightOutlined, VerticalRightOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Flex, Table, Tooltip, Typography, type TableColumnsType, type TableProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-display';
import { customerOverviewApi, customerOverviewKey, type CodeAdds, type CodeAddsSort } from './customer-overview.api';

const PAGE_SIZE = 20;
/** Beyond this many days a per-day line is too dense to read in a table cell. */
const SPARKLINE_MAX_DAYS = 92;

/** Adds per day as small bars, each day's count in its tooltip; `max` is shared by the page's rows so their bars compare. */
function Sparkline({ values, from, max }: { values: number[]; from: string; max: number }) {
  const width = 120;
  const height = 24;
  const step = width / values.length;
  const dayOf = (i: number) => new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(5, 10);
  return (
    <svg width={width} height={height} role="img" aria-label={values.join(', ')} data-testid="code-adds-sparkline">
      <line x1={0} x2={width} y1={height - 0.5} y2={height - 0.5} stroke="#f0f0f0" />
      {values.map((v, i) =>
        v > 0 ? (
          <rect key={i} x={i * step} y={height - (v / max) * height} width={Math.max(1, step - 1)} height={(v / max) * height} fill="#1677ff">
            <title>{`${dayOf(i)}: ${v}`}</title>
          </rect>
        ) : null,
      )}
    </svg>
  );
}

const sortOf = (field: unknown, order: 'ascend' | 'descend' | null | undefined): CodeAddsSort => {
  if (!order) return '-adds';
  const desc = order === 'descend';
  if (field === 'name') return desc ? '-name' : 'name';
  if (field === 'createdAt') return desc ? '-createdAt' : 'createdAt';
  return desc ? '-adds' : 'adds';
};
const orderIn = (sort: CodeAddsSort, field: string) => (sort.replace('-', '') === field ? (sort.startsWith('-') ? 'descend' : 'ascend') : null);

/** 按渠道码: every code the caller sees with its adds in the window, sorted and paged by the server. */
export function CodeAddsTable({ accountId, from, to, departmentId }: { accountId: string; from: string; to: string; departmentId: string | undefined }) {
  const { t } = useTranslation('wecomCustomers');
  const { t: tc } = useTranslation();
  const [sort, setSort] = useState<CodeAddsSort>('-adds');
  // Another window, department or order starts at the first page: a cursor belongs to the order it was made in.
  const scope = [accountId, from, to, departmentId ?? '', sort].join('|');
  const [paging, setPaging] = useState<{ scope: string; cursors: string[] }>({ scope, cursors: [] });
  const cursors = paging.scope === scope ? paging.cursors : [];
  const setCursors = (next: string[]) => setPaging({ scope, cursors: next });
  const cursor = cursors.at(-1);
  const perDay = from >= new Date(Date.parse(`${to}T00:00:00Z`) - (SPARKLINE_MAX_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);

  const query = useQuery({
    queryKey: [...customerOverviewKey(accountId), 'codes', from, to, departmentId, sort, cursor],
    queryFn: () => customerOverviewApi.codes(accountId, { from, to, departmentId, sort, cursor, limit: PAGE_SIZE, perDay: perDay ? 'true' : undefined }),
    enabled: Boolean(accountId),
    placeholderData: keepPreviousData,
  });

  const dailyMax = Math.max(1, ...(query.data?.items ?? []).flatMap((r) => r.addsPerDay ?? []));
  const columns: TableColumnsType<CodeAdds> = [
    {
      title: t('overview.codes.name'),
      dataIndex: 'name',
      sorter: true,
      sortOrder: orderIn(sort, 'name'),
      render: (_v, r) => (
        <Flex vertical>
          <span>{r.name}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }} title={r.userids.join(', ')} data-testid="code-adds-members">
            {r.members.map((m) => m.name ?? m.userid).join(', ')}
          </Typography.Text>
        </Flex>
      ),
    },
    { title: t('overview.codes.state'), dataIndex: 'state', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    {
      title: t('overview.codes.adds'),
      dataIndex: 'adds',
      width: 140,
      align: 'right',
      sorter: true,
      sortOrder: orderIn(sort, 'adds'),
      sortDirections: ['descend', 'ascend'],
    },
    ...(perDay && query.data
      ? [
          {
            title: t('overview.codes.perDay'),
            key: 'perDay',
            width: 150,
            render: (_v: unknown, r: CodeAdds) => (r.addsPerDay ? <Sparkline values={r.addsPerDay} from={query.data.from} max={dailyMax} /> : null),
          },
        ]
      : []),
    { title: t('overview.codes.addsTotal'), dataIndex: 'addsTotal', width: 120, align: 'right' },
    {
      title: t('overview.codes.createdAt'),
      dataIndex: 'createdAt',
      width: 130,
      sorter: true,
      sortOrder: orderIn(sort, 'createdAt'),
      render: (v: string) => new Date(v).toLocaleDateString(),
    },
  ];

  const onChange: TableProps<CodeAdds>['onChange'] = (_pagination, _filters, sorter) => {
    const one = Array.isArray(sorter) ? sorter[0] : sorter;
    setSort(sortOf(one?.field, one?.order));
  };

  const data = query.data;
  return (
    <Card
      size="small"
      title={t('overview.codes.title')}
      extra={data ? <Typography.Text type="secondary">{t('overview.codes.summary', { count: data.total, adds: data.adds })}</Typography.Text> : null}
    >
      <ErrorAlert error={query.error} />
      <Table<CodeAdds>
        rowKey="configId"
        size="small"
        columns={columns}
        dataSource={data?.items ?? []}
        loading={query.isFetching}
        pagination={false}
        onChange={onChange}
        showSorterTooltip={false}
        locale={{ emptyText: <Empty description={t(departmentId ? 'overview.codes.emptyDepartment' : 'overview.codes.empty')} /> }}
        data-testid="customer-overview-codes"
      />
      {data && (cursor || data.nextCursor) ? (
        <Flex justify="flex-end" align="center" gap={8} style={{ marginTop: 12 }}>
          <Tooltip title={tc('table.firstPage')}>
            <Button size="small" icon={<VerticalRightOutlined />} disabled={!cursor} onClick={() => setCursors([])} aria-label={tc('table.firstPage')} />
          </Tooltip>
          <Button size="small" icon={<LeftOutlined />} disabled={!cursor} onClick={() => setCursors(cursors.slice(0, -1))} data-testid="codes-previous">
            {tc('table.previousPage')}
          </Button>
          <Button size="small" disabled={!data.nextCursor} onClick={() => data.nextCursor && setCursors([...cursors, data.nextCursor])} data-testid="codes-next">
            {tc('table.nextPage')} <RightOutlined />
          </Button>
        </Flex>
      ) : null}
    </Card>
  );
}

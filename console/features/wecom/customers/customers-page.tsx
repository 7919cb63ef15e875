import { ExportOutlined, SyncOutlined, UserOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Avatar, Button, Card, DatePicker, Flex, Form, Input, Select, Space, Table, Tag, TreeSelect, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useCan } from '../../../app/session';
import { useProductAccount } from '../../../components/account-picker';
import { ErrorAlert, errorMessage } from '../../../components/error-display';
import { formatDateTime } from '../../../components/format';
import { JobProgress, useUrlJob } from '../../../components/job-progress';
import { PageHeader } from '../../../components/page-header';
import { useUrlState } from '../../../components/url-state';
import { customerTagsApi, customerTagsKey } from '../customer-tags/customer-tags.api';
import { openTransfer, pickedOf } from '../customer-transfers/customer-select';
import { departmentsQueryKey, directoryApi, membersQueryKey } from '../directory/directory.api';
import { BulkTagsModal, SelectionBar, transferMember } from './bulk-actions';
import { customerFilterKeys, customersApi, customersKey, type Customer, type CustomerFilters } from './customers.api';

const cleared: CustomerFilters = Object.fromEntries(customerFilterKeys.map((k) => [k, undefined]));
const pageSize = 50;

interface FormValues {
  userid?: string;
  departmentId?: number;
  tagId?: string;
  source?: string;
  range?: [Dayjs | null, Dayjs | null];
  q?: string;
  status?: string;
}

function toForm(filters: CustomerFilters): FormValues {
  return {
    userid: filters.userid,
    departmentId: filters.departmentId ? Number(filters.departmentId) : undefined,
    tagId: filters.tagId,
    source: filters.source,
    range: filters.addedFrom || filters.addedTo ? [filters.addedFrom ? dayjs(filters.addedFrom) : null, filters.addedTo ? dayjs(filters.addedTo) : null] : undefined,
    q: filters.q,
    status: filters.status ?? 'active',
  };
}

function toFilters(values: FormValues): CustomerFilters {
  const text = (value: string | undefined) => value?.trim() || undefined;
  return {
    userid: values.userid,
    departmentId: values.departmentId === undefined ? undefined : String(values.departmentId),
    tagId: values.tagId,
    source: text(values.source),
    addedFrom: values.range?.[0]?.format('YYYY-MM-DD') ?? undefined,
    addedTo: values.range?.[1]?.format('YYYY-MM-DD') ?? undefined,
    q: text(values.q),
    status: values.status === 'active' ? undefined : values.status,
  };
}

/** Names of the corp's customer tags by WeCom tag id, for lists and the customer page. */
export function useTagNames(accountId: string): Map<string, string> {
  const library = useQuery({ queryKey: customerTagsKey(accountId), queryFn: () => customerTagsApi.library(accountId), enabled: Boolean(accountId), retry: false });
  return useMemo(() => {
    const names = new Map<string, string>();
    for (const group of library.data?.groups ?? []) for (const tag of group.tags) if (tag.wecomId) names.set(tag.wecomId, `${group.name} / ${tag.name}`);
    return names;
  }, [library.data]);
}

export function TagList({ ids, names }: { ids: string[]; names: Map<string, string> }) {
  if (!ids.length) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Flex wrap gap={4}>
      {ids.map((id) => (
        <Tag key={id} color="blue" style={{ marginInlineEnd: 0 }}>
          {names.get(id) ?? id}
        </Tag>
      ))}
    </Flex>
  );
}

/** 客户管理: the corp's customers within the caller's reach, filtered, synced from WeCom, exported. */
export function CustomersPage() {
  const { t } = useTranslation('wecomCustomers');
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { account, picker, empty } = useProductAccount('wecom');
  const accountId = account?.id ?? '';
  const [url, setUrl] = useUrlState(customerFilterKeys);
  const [jobId, setJobId] = useUrlJob();
  const [form] = Form.useForm<FormValues>();
  const filters = useMemo(() => Object.fromEntries(customerFilterKeys.map((k) => [k, url[k]]).filter(([, v]) => v)) as CustomerFilters, [url]);
  const signature = JSON.stringify(filters);

  useEffect(() => {
    form.resetFields();
    form.setFieldsValue(toForm(JSON.parse(signature) as CustomerFilters));
  }, [signature, form]);

  // Paging starts over whenever the corp or the filters change.
  const resetKey = `${accountId}|${signature}`;
  const [view, setView] = useState<{ key: string; cursors: (string | undefined)[] }>({ key: resetKey, cursors: [undefined] });
  const cursors = view.key === resetKey ? view.cursors : [undefined];
  const setCursors = (change: (c: (string | undefined)[]) => (string | undefined)[]) => setView({ key: resetKey, cursors: change(cursors) });
  const cursor = cursors[cursors.length - 1];
  const navigate = useNavigate();
  // The selection outlives paging and filtering (to gather customers from several pages), not a change of corp.
  const [selection, setSelection] = useState<{ accountId: string; rows: Map<string, Customer> }>({ accountId, rows: new Map() });
  const selected = selection.accountId === accountId ? selection.rows : new Map<string, Customer>();
  const [bulkTagging, setBulkTagging] = useState(false);
  const canTag = can('wecom.customers.write');
  const canTransfer = can('wecom.customers.assign');

  const tagNames = useTagNames(accountId);
  const departments = useQuery({ queryKey: departmentsQueryKey(accountId), queryFn: () => directoryApi.departments(accountId), enabled: Boolean(accountId) });
  const members = useQuery({
    queryKey: [...membersQueryKey(accountId), 'customer-filter'],
    queryFn: () => directoryApi.members(accountId, { limit: 500, filters: {} }),
    enabled: Boolean(accountId),
  });
  const list = useQuery({
    queryKey: [...customersKey(accountId), filters, cursor],
    queryFn: () => customersApi.list(accountId, filters, cursor, pageSize),
    enabled: Boolean(accountId),
    placeholderData: keepPreviousData,
  });
  const counted = useQuery({ queryKey: [...customersKey(accountId), 'total', filters], queryFn: () => customersApi.count(accountId, filters), enabled: Boolean(accountId) });

  const sync = useMutation({
    mutationFn: () => customersApi.sync(accountId),
    onMutate: () => setJobId(undefined),
    onSuccess: (job) => setJobId(job.id),
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });
  const exporting = useMutation({
    mutationFn: () => customersApi.exportXlsx(accountId, filters),
    onSuccess: () => void message.success(t('export.done')),
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });

  const departmentTree = useMemo(() => {
    const items = departments.data?.items ?? [];
    const ids = new Set(items.map((d) => d.id));
    type Node = { value: number; title: string; children: Node[] };
    const nodes = new Map<number, Node>(items.map((d) => [d.id, { value: d.id, title: d.name, children: [] }]));
    const roots: Node[] = [];
    for (const d of items) {
      const node = nodes.get(d.id)!;
      if (ids.has(d.parentId) && d.parentId !== d.id) nodes.get(d.parentId)!.children.push(node);
      else roots.push(node);
    }
    return roots;
  }, [departments.data]);
  const tagOptions = [...tagNames].map(([value, label]) => ({ value, label }));
  const memberOptions = (members.data?.items ?? []).map((m) => ({ value: m.userid, label: `${m.name} (${m.userid})` }));

  const columns: TableColumnsType<Customer> = [
    {
      title: t('field.customer'),
      dataIndex: 'name',
      width: 190,
      render: (_v, c) => (
        <Space>
          <Avatar size="small" src={c.avatar ?? undefined} icon={<UserOutlined />} />
          <Link to={`/wecom/customers/${encodeURIComponent(c.externalUserId)}?account=${accountId}`} data-testid={`customer-${c.externalUserId}`}>
            {c.name || c.externalUserId}
          </Link>
          {c.type === 'wecom' ? <Tag color="green">{c.corpName ? `@${c.corpName}` : t('type.wecom')}</Tag> : null}
        </Space>
      ),
    },
    {
      title: t('field.followers'),
      key: 'followers',
      width: 150,
      render: (_v, c) => {
        const current = c.followers.filter((f) => f.status === 'active');
        if (!current.length) return <Typography.Text type="secondary">—</Typography.Text>;
        return current.map((f) => f.memberName ?? f.userid).join('、');
      },
    },
    { title: t('field.remark'), dataIndex: 'remark', width: 120, render: (v: string) => v || <Typography.Text type="secondary">—</Typography.Text> },
    {
      title: t('field.phones'),
      key: 'phones',
      width: 140,
      render: (_v, c) => {
        const phones = [...new Set(c.followers.flatMap((f) => f.remarkMobiles))];
        return phones.length ? phones.join(', ') : <Typography.Text type="secondary">—</Typography.Text>;
      },
    },
    { title: t('field.tags'), dataIndex: 'tagIds', width: 140, render: (ids: string[]) => <TagList ids={ids} names={tagNames} /> },
    {
      title: t('field.source'),
      dataIndex: 'source',
      width: 150,
      render: (source: Customer['source']) =>
        source ? (
          <Space size={4} wrap>
            {source.state ? <Tag color="purple">{source.state}</Tag> : null}
            <Typography.Text type="secondary">{t(`addWay.${source.addWay}`, { defaultValue: t('addWay.other', { code: source.addWay }) })}</Typography.Text>
          </Space>
        ) : (
          '—'
        ),
    },
    { title: t('field.firstAddedAt'), dataIndex: 'firstAddedAt', width: 160, render: (v: string) => formatDateTime(v) },
    {
      title: t('field.status'),
      dataIndex: 'status',
      width: 90,
      render: (v: Customer['status']) => <Tag color={v === 'active' ? 'success' : 'default'}>{t(`status.${v}`)}</Tag>,
    },
  ];

  const page = list.data;
  const total = counted.data;

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        extra={
          <>
            {picker}
            {account && can('wecom.customers.export') ? (
              <Button icon={<ExportOutlined />} loading={exporting.isPending} onClick={() => exporting.mutate()} data-testid="customers-export">
                {t('action.export')}
              </Button>
            ) : null}
            {account && can('wecom.customers.manage') ? (
              <Button type="primary" icon={<SyncOutlined />} loading={sync.isPending} onClick={() => sync.mutate()} data-testid="customers-sync">
                {t('action.sync')}
              </Button>
            ) : null}
          </>
        }
      />
      {!account ? (
        empty
      ) : (
        <Flex vertical gap={16}>
          {jobId ? (
            <JobProgress
              jobId={jobId}
              onClose={() => {
                setJobId(undefined);
                void queryClient.invalidateQueries({ queryKey: customersKey(accountId) });
              }}
            />
          ) : null}
          <Card size="small">
            <Form form={form} layout="inline" onFinish={(values) => setUrl({ ...cleared, ...toFilters(values) })} style={{ rowGap: 12 }}>
              <Form.Item name="userid" label={t('filter.member')}>
                <Select allowClear showSearch optionFilterProp="label" placeholder={t('filter.all')} style={{ width: 180 }} options={memberOptions} data-testid="filter-member" />
              </Form.Item>
              <Form.Item name="departmentId" label={t('filter.department')} tooltip={t('filter.departmentHint')}>
                <TreeSelect allowClear showSearch treeNodeFilterProp="title" placeholder={t('filter.all')} style={{ width: 180 }} treeData={departmentTree} treeDefaultExpandAll />
              </Form.Item>
              <Form.Item name="tagId" label={t('field.tags')}>
                <Select allowClear showSearch optionFilterProp="label" placeholder={t('filter.all')} style={{ width: 200 }} options={tagOptions} />
              </Form.Item>
              <Form.Item name="source" label={t('filter.source')} tooltip={t('filter.sourceHint')}>
                <Input allowClear placeholder={t('filter.sourcePlaceholder')} style={{ width: 150 }} data-testid="filter-source" />
              </Form.Item>
              <Form.Item name="range" label={t('filter.addedBetween')}>
                <DatePicker.RangePicker allowEmpty={[true, true]} />
              </Form.Item>
              <Form.Item name="q" label={t('filter.keyword')}>
                <Input allowClear placeholder={t('filter.keywordPlaceholder')} style={{ width: 200 }} data-testid="filter-q" />
              </Form.Item>
              <Form.Item name="status" label={t('field.status')}>
                <Select style={{ width: 120 }} options={['active', 'lost', 'all'].map((s) => ({ value: s, label: t(`status.${s}`) }))} />
              </Form.Item>
              <Form.Item>
                <Space>
                  <Button type="primary" htmlType="submit" data-testid="filter-search">
                    {t('common:action.search')}
                  </Button>
                  <Button onClick={() => setUrl(cleared)}>{t('common:action.reset')}</Button>
                </Space>
              </Form.Item>
            </Form>
          </Card>
          <Card
            size="small"
            title={
              <Space>
                <span>{t('listTitle')}</span>
                {total !== undefined ? (
                  <Typography.Text type="secondary">{t(total.capped ? 'totalCapped' : 'total', { count: total.total, formatted: total.total.toLocaleString() })}</Typography.Text>
                ) : null}
              </Space>
            }
            extra={can('wecom.customers.phones') ? null : <Typography.Text type="secondary">{t('phonesMasked')}</Typography.Text>}
          >
            <ErrorAlert error={list.error} />
            {selected.size > 0 ? (
              <SelectionBar
                count={selected.size}
                canTag={canTag}
                canTransfer={canTransfer}
                onTag={() => setBulkTagging(true)}
                onTransfer={() => {
                  const rows = [...selected.values()];
                  openTransfer(navigate, accountId, { ...transferMember(rows, filters.userid), customers: rows.map(pickedOf) });
                }}
                onClear={() => setSelection({ accountId, rows: new Map() })}
              />
            ) : null}
            <Table<Customer>
              rowKey="externalUserId"
              rowSelection={
                canTag || canTransfer
                  ? {
                      preserveSelectedRowKeys: true,
                      selectedRowKeys: [...selected.keys()],
                      onChange: (keys, rows) => {
                        const next = new Map<string, Customer>();
                        for (const key of keys) {
                          const row = rows.find((r) => r?.externalUserId === key) ?? selected.get(String(key));
                          if (row) next.set(String(key), row);
                        }
                        setSelection({ accountId, rows: next });
                      },
                    }
                  : undefined
              }
              size="middle"
              loading={list.isFetching}
              columns={columns}
              dataSource={page?.items ?? []}
              pagination={false}
              scroll={{ x: 1140 }}
              locale={{ emptyText: t('emptyList') }}
              data-testid="customers-table"
            />
            <Flex justify="flex-end" gap={8} style={{ marginTop: 12 }}>
              <Button disabled={cursors.length < 2} onClick={() => setCursors((c) => c.slice(0, -1))}>
                {t('page.previous')}
              </Button>
              <Button disabled={!page?.nextCursor} onClick={() => page?.nextCursor && setCursors((c) => [...c, page.nextCursor ?? undefined])}>
                {t('page.next')}
              </Button>
            </Flex>
          </Card>
          <BulkTagsModal
            accountId={accountId}
            customers={[...selected.values()]}
            open={bulkTagging}
            onClose={() => setBulkTagging(false)}
            onDone={() => {
              setSelection({ accountId, rows: new Map() });
              void queryClient.invalidateQueries({ queryKey: customersKey(accountId) });
            }}
          />
        </Flex>
      )}
    </>
  );
}

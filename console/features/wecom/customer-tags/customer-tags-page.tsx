import { CloudSyncOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Badge, Button, Card, Flex, Form, Input, InputNumber, Modal, Popconfirm, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerTag, CustomerTagConflict, CustomerTagGroup } from '../../../../server/modules/wecom/customer-tags/customer-tags.schema';
import { useCan } from '../../../app/session';
import { useProductAccount } from '../../../components/account-picker';
import { ErrorAlert, errorMessage } from '../../../components/error-display';
import { formatDateTime } from '../../../components/format';
import { PageHeader } from '../../../components/page-header';
import { customerTagsApi, customerTagsKey } from './customer-tags.api';
import { TagRulesCard } from './tag-rules-card';

const NAME_MAX = 30;
const ORDER_MAX = 2 ** 32 - 1;

type Row = (CustomerTagGroup & { kind: 'group'; children: Row[] }) | (CustomerTag & { kind: 'tag' });
type Editing = { mode: 'new-group' } | { mode: 'new-tag'; group: CustomerTagGroup } | { mode: 'edit'; row: Row } | null;
interface EditForm {
  name: string;
  order?: number;
  tags?: string;
}

const stateColor = { synced: 'success', pending: 'warning', conflict: 'error' } as const;

/** 客户标签: the corp tag library, two-way with WeCom, its conflicts and the rules that tag automatically. */
export function CustomerTagsPage() {
  const { t } = useTranslation('wecomCustomerTags');
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { account, picker, empty } = useProductAccount('wecom');
  const accountId = account?.id ?? '';
  const [editing, setEditing] = useState<Editing>(null);
  const [form] = Form.useForm<EditForm>();
  const library = useQuery({ queryKey: [...customerTagsKey(accountId), 'library'], queryFn: () => customerTagsApi.library(accountId), enabled: Boolean(accountId) });
  const conflicts = useQuery({ queryKey: [...customerTagsKey(accountId), 'conflicts'], queryFn: () => customerTagsApi.conflicts(accountId), enabled: Boolean(accountId) });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: customerTagsKey(accountId) });
  const failed = (error: unknown) => {
    refresh();
    void message.error(errorMessage(error, t('common:error.unknown')));
  };
  const writable = can('wecom.customers.manage');

  const sync = useMutation({
    mutationFn: () => customerTagsApi.sync(accountId),
    onSuccess: (result) => {
      refresh();
      void message.success(t('sync.done', { inserted: result.inserted, updated: result.updated, deleted: result.deleted, pushed: result.pushed, conflicts: result.conflicts }));
      if (result.failed.length) void message.warning(t('sync.failed', { names: result.failed.map((f) => `${f.name}（${f.message}）`).join('、') }));
    },
    onError: failed,
  });
  const save = useMutation({
    mutationFn: async (values: EditForm) => {
      if (!editing) return;
      const order = values.order ?? undefined;
      if (editing.mode === 'new-group') {
        const tags = (values.tags ?? '')
          .split(/[\n,，]/)
          .map((s) => s.trim())
          .filter(Boolean)
          .map((name) => ({ name }));
        await customerTagsApi.createGroup(accountId, { name: values.name, ...(order !== undefined ? { order } : {}), tags });
      } else if (editing.mode === 'new-tag') {
        await customerTagsApi.createTag(accountId, editing.group.id, { name: values.name, ...(order !== undefined ? { order } : {}) });
      } else if (editing.row.kind === 'group') {
        await customerTagsApi.updateGroup(accountId, editing.row.id, { name: values.name, ...(order !== undefined ? { order } : {}) });
      } else {
        await customerTagsApi.updateTag(accountId, editing.row.id, { name: values.name, ...(order !== undefined ? { order } : {}) });
      }
    },
    onSuccess: () => {
      setEditing(null);
      refresh();
      void message.success(t('saved'));
    },
    onError: () => refresh(),
  });
  const remove = useMutation({
    mutationFn: (row: Row) => (row.kind === 'group' ? customerTagsApi.removeGroup(accountId, row.id) : customerTagsApi.removeTag(accountId, row.id)),
    onSuccess: () => (refresh(), void message.success(t('deleted'))),
    onError: failed,
  });
  const resolve = useMutation({
    mutationFn: ({ id, side }: { id: string; side: 'qiao' | 'wecom' }) => customerTagsApi.resolve(accountId, id, side),
    onSuccess: () => (refresh(), void message.success(t('conflicts.resolved'))),
    onError: failed,
  });

  const open = (next: Editing) => {
    save.reset();
    form.resetFields();
    if (next?.mode === 'edit') form.setFieldsValue({ name: next.row.name, order: next.row.order });
    setEditing(next);
  };

  const groups = library.data?.groups ?? [];
  const rows: Row[] = groups.map((g) => ({ ...g, kind: 'group', children: g.tags.map((tag) => ({ ...tag, kind: 'tag' as const })) }));
  const columns: TableColumnsType<Row> = [
    {
      title: t('field.name'),
      dataIndex: 'name',
      render: (name: string, row) => (row.kind === 'group' ? <Typography.Text strong>{name}</Typography.Text> : <Tag color="blue">{name}</Tag>),
    },
    { title: t('field.order'), dataIndex: 'order', width: 110 },
    {
      title: t('field.state'),
      dataIndex: 'state',
      width: 200,
      render: (state: Row['state'], row) => (
        <Space size={4}>
          <Badge status={stateColor[state]} text={t(`state.${state}`)} />
          {row.pending && state === 'pending' ? <Typography.Text type="secondary">{t(`pending.${row.pending}`)}</Typography.Text> : null}
        </Space>
      ),
    },
    { title: t('field.wecomId'), dataIndex: 'wecomId', width: 260, render: (id: string | null) => <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }} copyable={id ? { text: id } : false}>{id ?? '—'}</Typography.Text> },
    {
      title: t('field.actions'),
      key: 'actions',
      width: 220,
      render: (_v, row) =>
        writable ? (
          <Space size={0}>
            <Button type="link" size="small" disabled={row.state === 'conflict'} onClick={() => open({ mode: 'edit', row })}>
              {t('edit')}
            </Button>
            {row.kind === 'group' ? (
              <Button type="link" size="small" disabled={!row.wecomId} onClick={() => open({ mode: 'new-tag', group: row })}>
                {t('addTag')}
              </Button>
            ) : null}
            <Popconfirm title={row.kind === 'group' ? t('deleteGroupConfirm', { name: row.name }) : t('deleteTagConfirm', { name: row.name })} onConfirm={() => remove.mutate(row)}>
              <Button type="link" size="small" danger disabled={row.state === 'conflict'}>
                {t('delete')}
              </Button>
            </Popconfirm>
          </Space>
        ) : null,
    },
  ];

  const side = (values: CustomerTagConflict['qiao']) =>
    values ? (
      <span>
        {values.name} <Typography.Text type="secondary">({t('field.order')} {values.order})</Typography.Text>
      </span>
    ) : (
      <Typography.Text type="danger">{t('conflicts.deleted')}</Typography.Text>
    );
  const conflictColumns: TableColumnsType<CustomerTagConflict> = [
    { title: t('conflicts.what'), key: 'what', render: (_v, c) => (c.kind === 'group' ? t('conflicts.group') : t('conflicts.tagIn', { group: c.groupName ?? '' })) },
    { title: t('conflicts.base'), dataIndex: 'base', render: side },
    { title: t('conflicts.qiao'), dataIndex: 'qiao', render: side },
    { title: t('conflicts.wecom'), dataIndex: 'wecom', render: side },
    {
      title: t('field.actions'),
      key: 'actions',
      width: 260,
      render: (_v, c) =>
        writable ? (
          <Space>
            <Popconfirm title={t('conflicts.keepQiaoConfirm')} onConfirm={() => resolve.mutate({ id: c.id, side: 'qiao' })}>
              <Button size="small" type="primary" ghost>
                {t('conflicts.keepQiao')}
              </Button>
            </Popconfirm>
            <Popconfirm title={t('conflicts.keepWecomConfirm')} onConfirm={() => resolve.mutate({ id: c.id, side: 'wecom' })}>
              <Button size="small">{t('conflicts.keepWecom')}</Button>
            </Popconfirm>
          </Space>
        ) : null,
    },
  ];

  const lib = library.data;
  const conflictItems = conflicts.data?.items ?? [];
  const nameRules = [
    { required: true, whitespace: true, message: t('form.nameRequired') },
    { validator: async (_r: unknown, value: string | undefined) => ([...(value ?? '').trim()].length > NAME_MAX ? Promise.reject(new Error(t('form.nameTooLong', { max: NAME_MAX }))) : undefined) },
  ];

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        extra={
          <>
            {picker}
            {account && writable ? (
              <>
                <Button icon={<CloudSyncOutlined />} loading={sync.isPending} onClick={() => sync.mutate()} data-testid="customer-tags-sync">
                  {t('sync.button')}
                </Button>
                <Button type="primary" icon={<PlusOutlined />} onClick={() => open({ mode: 'new-group' })} data-testid="customer-tags-new-group">
                  {t('newGroup')}
                </Button>
              </>
            ) : null}
          </>
        }
      />
      {!account ? (
        empty
      ) : (
        <Flex vertical gap={16}>
          {conflictItems.length ? (
            <Card size="small" title={<Badge status="error" text={t('conflicts.title', { count: conflictItems.length })} />}>
              <Alert type="warning" showIcon message={t('conflicts.explain')} style={{ marginBottom: 12 }} />
              <ErrorAlert error={conflicts.error} />
              <Table<CustomerTagConflict> rowKey="id" size="small" columns={conflictColumns} dataSource={conflictItems} pagination={false} data-testid="customer-tags-conflicts" />
            </Card>
          ) : null}
          <Card
            size="small"
            title={t('libraryTitle')}
            extra={
              lib ? (
                <Typography.Text type="secondary">
                  {t('usage', { count: lib.tagCount, max: lib.tagLimit })}
                  {lib.pending ? ` · ${t('pendingCount', { count: lib.pending })}` : ''} · {t('lastPulled', { at: lib.lastPulledAt ? formatDateTime(lib.lastPulledAt) : t('never') })}
                </Typography.Text>
              ) : null
            }
          >
            <ErrorAlert error={library.error} />
            <Table<Row>
              // Remounted once loaded, so every group opens with its tags showing.
              key={library.data ? 'loaded' : 'loading'}
              rowKey="id"
              size="middle"
              loading={library.isLoading}
              columns={columns}
              dataSource={rows}
              pagination={false}
              expandable={{ defaultExpandAllRows: true }}
              locale={{ emptyText: t('empty') }}
              data-testid="customer-tags-table"
            />
          </Card>
          <TagRulesCard accountId={accountId} groups={groups} writable={writable} />
        </Flex>
      )}
      <Modal
        open={editing !== null}
        title={editing?.mode === 'new-group' ? t('newGroup') : editing?.mode === 'new-tag' ? t('addTagTo', { group: editing.group.name }) : t('edit')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        confirmLoading={save.isPending}
        destroyOnHidden
      >
        <ErrorAlert error={save.error} />
        <Form form={form} layout="vertical" onFinish={(values) => save.mutate(values)}>
          <Form.Item name="name" label={editing?.mode === 'new-group' ? t('form.groupName') : t('field.name')} extra={t('form.nameHint', { max: NAME_MAX })} rules={nameRules}>
            <Input showCount={{ formatter: ({ value }) => `${[...value].length} / ${NAME_MAX}` }} data-testid="customer-tag-name" />
          </Form.Item>
          <Form.Item name="order" label={t('field.order')} extra={t('form.orderHint')}>
            <InputNumber min={0} max={ORDER_MAX} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          {editing?.mode === 'new-group' ? (
            <Form.Item name="tags" label={t('form.tags')} extra={t('form.tagsHint')} rules={[{ required: true, whitespace: true, message: t('form.tagsRequired') }]}>
              <Input.TextArea rows={4} placeholder={t('form.tagsPlaceholder')} data-testid="customer-tag-group-tags" />
            </Form.Item>
          ) : null}
        </Form>
      </Modal>
    </>
  );
}

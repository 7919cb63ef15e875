import { DeleteOutlined, EditOutlined, FolderOutlined, LockOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Empty, Flex, Form, Input, InputNumber, List, Modal, Popconfirm, Row, Space, Table, Tag, Tooltip, TreeSelect, Typography, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan, useMe } from '../../../app/session';
import { useProductAccount } from '../../../components/account-picker';
import { ErrorAlert, errorMessage } from '../../../components/error-display';
import { PageHeader } from '../../../components/page-header';
import { toTreeNodes } from '../directory/department-tree-panel';
import { directoryApi } from '../directory/directory.api';
import { quickRepliesApi, quickRepliesKey, type QuickReply, type QuickReplyGroup } from './quick-replies.api';
import { QuickReplyEditor } from './quick-reply-editor';

const typeColors: Record<QuickReply['type'], string> = { text: 'default', image: 'cyan', link: 'blue', miniprogram: 'green' };

function summary(reply: QuickReply): string {
  if (reply.type === 'text') return reply.body.text ?? '';
  if (reply.type === 'image') return reply.body.picUrl ?? '';
  return [reply.body.title, reply.body.description ?? reply.body.url ?? reply.body.page].filter(Boolean).join(' · ');
}

/** 话术库: groups on the left, their replies on the right, an editor with variables and a preview. */
export function QuickRepliesPage() {
  const { t } = useTranslation('wecomQuickReplies');
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { account, picker, empty } = useProductAccount('wecom');
  const accountId = account?.id ?? '';
  const [groupId, setGroupId] = useState<string | undefined>(undefined);
  const [q, setQ] = useState('');
  const [page, setPage] = useState<{ cursors: string[]; limit: number }>({ cursors: [], limit: 20 });
  const [editing, setEditing] = useState<{ reply: QuickReply | null } | null>(null);
  const [groupEditing, setGroupEditing] = useState<{ group: QuickReplyGroup | null } | null>(null);
  const manages = can('wecom.customers.manage');

  const departments = useQuery({ queryKey: ['wecom-directory', accountId, 'departments'], queryFn: () => directoryApi.departments(accountId), enabled: Boolean(accountId) });
  const departmentName = useMemo(() => new Map((departments.data?.items ?? []).map((d) => [d.id, d.name])), [departments.data]);
  const groups = useQuery({ queryKey: [...quickRepliesKey(accountId), 'groups'], queryFn: () => quickRepliesApi.groups(accountId), enabled: Boolean(accountId) });
  const cursor = page.cursors[page.cursors.length - 1];
  const replies = useQuery({
    queryKey: [...quickRepliesKey(accountId), 'list', groupId, q, cursor, page.limit],
    queryFn: () => quickRepliesApi.list(accountId, { groupId, q: q || undefined, cursor, limit: page.limit }),
    enabled: Boolean(accountId),
    placeholderData: keepPreviousData,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: quickRepliesKey(accountId) });
  const removeReply = useMutation({
    mutationFn: (reply: QuickReply) => quickRepliesApi.remove(accountId, reply.id),
    onSuccess: () => {
      void message.success(t('deleted'));
      refresh();
    },
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });
  const removeGroup = useMutation({
    mutationFn: (group: QuickReplyGroup) => quickRepliesApi.removeGroup(accountId, group.id),
    onSuccess: () => {
      setGroupId(undefined);
      refresh();
    },
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });
  const groupList = groups.data?.items ?? [];
  const canWriteSomewhere = manages && groupList.some((g) => g.editable);

  const columns: TableColumnsType<QuickReply> = [
    { title: t('field.title'), dataIndex: 'title', width: 150 },
    { title: t('field.type'), dataIndex: 'type', width: 100, render: (type: QuickReply['type']) => <Tag color={typeColors[type]}>{t(`type.${type}`)}</Tag> },
    {
      title: t('field.content'),
      key: 'content',
      ellipsis: true,
      render: (_v, reply) => (
        <Flex vertical gap={2}>
          <Typography.Text ellipsis>{summary(reply)}</Typography.Text>
          {reply.variables.length > 0 ? (
            <Space size={2} wrap>
              {reply.variables.map((v) => (
                <Tag key={v} color="blue" bordered={false}>{`{${v}}`}</Tag>
              ))}
            </Space>
          ) : null}
        </Flex>
      ),
    },
    { title: t('field.group'), dataIndex: 'groupName', width: 120 },
    {
      title: t('field.actions'),
      key: 'actions',
      width: 130,
      render: (_v, reply) =>
        reply.editable && manages ? (
          <Space size={0}>
            <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing({ reply })}>
              {t('action.edit')}
            </Button>
            <Popconfirm title={t('confirmDelete')} onConfirm={() => removeReply.mutate(reply)}>
              <Button type="link" size="small" danger icon={<DeleteOutlined />} aria-label={t('action.delete')} />
            </Popconfirm>
          </Space>
        ) : (
          <Tooltip title={t('readOnly')}>
            <LockOutlined style={{ color: '#999' }} />
          </Tooltip>
        ),
    },
  ];

  return (
    <>
      <PageHeader title={t('title')} description={t('description')} extra={picker} />
      {!account ? (
        empty
      ) : (
        <Row gutter={16}>
          <Col xs={24} md={8} lg={7}>
            <Card
              size="small"
              title={t('groups.title')}
              extra={
                can('wecom.customers.manage') ? (
                  <Button size="small" type="link" icon={<PlusOutlined />} onClick={() => setGroupEditing({ group: null })} data-testid="quick-reply-group-new">
                    {t('groups.new')}
                  </Button>
                ) : null
              }
            >
              <ErrorAlert error={groups.error} />
              <List
                size="small"
                rowKey="key"
                dataSource={[{ key: 'all', group: null }, ...groupList.map((group) => ({ key: group.id, group }))]}
                renderItem={({ group }: { key: string; group: QuickReplyGroup | null }) => {
                  const selected = (group?.id ?? undefined) === groupId;
                  return (
                    <List.Item
                      style={{ cursor: 'pointer', background: selected ? '#e6f4ff' : undefined, paddingInline: 8, borderRadius: 6 }}
                      onClick={() => {
                        setGroupId(group?.id);
                        setPage((p) => ({ ...p, cursors: [] }));
                      }}
                      actions={
                        group?.editable && manages
                          ? [
                              <EditOutlined key="edit" onClick={(e) => (e.stopPropagation(), setGroupEditing({ group }))} aria-label={t('action.edit')} />,
                              <Popconfirm key="delete" title={t('groups.confirmDelete')} onConfirm={() => removeGroup.mutate(group)}>
                                <DeleteOutlined onClick={(e) => e.stopPropagation()} aria-label={t('action.delete')} />
                              </Popconfirm>,
                            ]
                          : []
                      }
                    >
                      <Space size={6} style={{ minWidth: 0 }}>
                        <FolderOutlined />
                        <Typography.Text strong={selected} style={{ whiteSpace: 'nowrap' }}>
                          {group ? group.name : t('groups.all')}
                        </Typography.Text>
                        {group ? <Typography.Text type="secondary">{group.itemCount}</Typography.Text> : null}
                        {group?.departmentId ? (
                          <Tooltip title={t('groups.restricted')}>
                            <Tag bordered={false} color="purple">
                              {departmentName.get(group.departmentId) ?? t('groups.department', { id: group.departmentId })}
                            </Tag>
                          </Tooltip>
                        ) : null}
                      </Space>
                    </List.Item>
                  );
                }}
              />
            </Card>
          </Col>
          <Col xs={24} md={16} lg={17}>
            <Card
              size="small"
              title={t('items.title')}
              extra={
                canWriteSomewhere ? (
                  <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => setEditing({ reply: null })} data-testid="quick-reply-new">
                    {t('items.new')}
                  </Button>
                ) : null
              }
            >
              <Input.Search
                allowClear
                placeholder={t('items.search')}
                style={{ width: 280, marginBottom: 12 }}
                onSearch={(value) => {
                  setQ(value.trim());
                  setPage((p) => ({ ...p, cursors: [] }));
                }}
              />
              <ErrorAlert error={replies.error} />
              <Table<QuickReply>
                rowKey="id"
                size="middle"
                loading={replies.isFetching}
                columns={columns}
                dataSource={replies.data?.items ?? []}
                pagination={false}
                locale={{ emptyText: <Empty description={t('items.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
                data-testid="quick-replies-table"
              />
              <Flex justify="flex-end" gap={8} style={{ marginTop: 12 }}>
                {replies.data?.total !== undefined ? <Typography.Text type="secondary">{t('items.total', { count: replies.data.total })}</Typography.Text> : null}
                <Button disabled={page.cursors.length === 0} onClick={() => setPage((p) => ({ ...p, cursors: p.cursors.slice(0, -1) }))}>
                  {t('common:table.previousPage')}
                </Button>
                <Button disabled={!replies.data?.nextCursor} onClick={() => setPage((p) => ({ ...p, cursors: [...p.cursors, replies.data!.nextCursor!] }))}>
                  {t('common:table.nextPage')}
                </Button>
              </Flex>
            </Card>
          </Col>
        </Row>
      )}
      <QuickReplyEditor
        accountId={accountId}
        groups={groupList}
        reply={editing?.reply ?? null}
        defaultGroupId={groupList.find((g) => g.id === groupId && g.editable)?.id}
        open={editing !== null}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          refresh();
        }}
      />
      <GroupModal accountId={accountId} group={groupEditing?.group ?? null} open={groupEditing !== null} onClose={() => setGroupEditing(null)} onSaved={refresh} />
    </>
  );
}

function GroupModal(props: { accountId: string; group: QuickReplyGroup | null; open: boolean; onClose(): void; onSaved(): void }) {
  const { t } = useTranslation('wecomQuickReplies');
  const { message } = App.useApp();
  const me = useMe();
  const [form] = Form.useForm<{ name: string; order?: number; departmentId?: string }>();
  const departments = useQuery({ queryKey: ['wecom-directory', props.accountId, 'departments'], queryFn: () => directoryApi.departments(props.accountId), enabled: props.open && Boolean(props.accountId) });
  const treeData = useMemo(() => {
    type Option = { value: string; title: string; children: Option[] };
    const convert = (nodes: ReturnType<typeof toTreeNodes>): Option[] => nodes.map((n) => ({ value: String(n.key), title: n.department.name, children: convert(n.children) }));
    return convert(toTreeNodes(departments.data?.items ?? []));
  }, [departments.data]);
  const save = useMutation({
    mutationFn: (values: { name: string; order?: number; departmentId?: string }) => {
      const body = { name: values.name, order: values.order ?? 0, departmentId: values.departmentId ? Number(values.departmentId) : null };
      return props.group ? quickRepliesApi.updateGroup(props.accountId, props.group.id, body) : quickRepliesApi.createGroup(props.accountId, body);
    },
    onSuccess: () => {
      props.onSaved();
      props.onClose();
    },
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });
  return (
    <Modal
      open={props.open}
      title={props.group ? t('groups.editTitle') : t('groups.createTitle')}
      onOk={() => form.submit()}
      onCancel={props.onClose}
      confirmLoading={save.isPending}
      destroyOnHidden
      afterOpenChange={(open) => {
        if (open) form.setFieldsValue(props.group ? { name: props.group.name, order: props.group.order, departmentId: props.group.departmentId ? String(props.group.departmentId) : undefined } : { name: '', order: 0 });
      }}
    >
      <Form form={form} layout="vertical" onFinish={(values) => save.mutate(values)}>
        <Form.Item name="name" label={t('groups.name')} rules={[{ required: true, whitespace: true, max: 30 }]}>
          <Input maxLength={30} />
        </Form.Item>
        <Form.Item name="order" label={t('field.order')} tooltip={t('editor.orderHint')}>
          <InputNumber min={0} max={1_000_000} />
        </Form.Item>
        <Form.Item
          name="departmentId"
          label={t('groups.restrictTo')}
          extra={me.role === 'dept_admin' ? t('groups.restrictDeptAdmin') : t('groups.restrictHint')}
          rules={me.role === 'dept_admin' ? [{ required: true }] : []}
        >
          <TreeSelect allowClear treeDefaultExpandAll treeData={treeData} placeholder={t('groups.wholeCorp')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

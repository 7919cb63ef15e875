import { CloudSyncOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, Descriptions, Drawer, Flex, Input, Space, Table, Tag, TreeSelect, Typography, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GroupChat, GroupChatDetail } from '../../../../server/modules/wecom/group-chats/group-chats.schema';
import { useCan } from '../../../app/session';
import { useProductAccount } from '../../../components/account-picker';
import { ErrorAlert, errorMessage } from '../../../components/error-display';
import { JobProgress, useUrlJob } from '../../../components/job-progress';
import { formatDate, formatDateTime } from '../../../components/format';
import { PageHeader } from '../../../components/page-header';
import { toTreeNodes } from '../directory/department-tree-panel';
import { directoryApi } from '../directory/directory.api';
import { groupChatsApi, groupChatsKey, type GroupChatFilters } from './group-chats.api';
import { JoinWaysCard } from './join-ways-card';

/** 客户群: customer groups with owner, members and how people joined; the 「加入群聊」 codes that bring customers in. */
export function GroupChatsPage() {
  const { t } = useTranslation('wecomGroupChats');
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { account, picker, empty } = useProductAccount('wecom');
  const accountId = account?.id ?? '';
  const [filters, setFilters] = useState<GroupChatFilters>({ page: 1, pageSize: 20 });
  const [open, setOpen] = useState<string | null>(null);
  const [jobId, setJobId] = useUrlJob();
  const chats = useQuery({
    queryKey: [...groupChatsKey(accountId), 'list', filters],
    queryFn: () => groupChatsApi.list(accountId, filters),
    enabled: Boolean(accountId),
    placeholderData: keepPreviousData,
  });
  const departments = useQuery({ queryKey: ['wecom-directory', accountId, 'departments'], queryFn: () => directoryApi.departments(accountId), enabled: Boolean(accountId) });
  const treeData = useMemo(() => {
    type Option = { value: number; title: string; children: Option[] };
    const convert = (nodes: ReturnType<typeof toTreeNodes>): Option[] => nodes.map((n) => ({ value: n.key, title: n.department.name, children: convert(n.children) }));
    return convert(toTreeNodes(departments.data?.items ?? []));
  }, [departments.data]);
  const sync = useMutation({
    mutationFn: () => groupChatsApi.sync(accountId),
    onMutate: () => setJobId(undefined),
    onSuccess: (job) => setJobId(job.id),
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });
  const set = (next: Partial<GroupChatFilters>) => setFilters((f) => ({ ...f, page: 1, ...next }));

  const columns: TableColumnsType<GroupChat> = [
    {
      title: t('field.name'),
      dataIndex: 'name',
      render: (name: string, chat) => (
        <Space>
          <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setOpen(chat.chatId)}>
            {name || t('unnamed')}
          </Button>
          {chat.dismissedAt ? <Tag>{t('dismissed')}</Tag> : chat.status !== 0 ? <Tag color="orange">{t(`status.${chat.status}`)}</Tag> : null}
        </Space>
      ),
    },
    { title: t('field.owner'), key: 'owner', width: 160, render: (_v, chat) => <OwnerName chat={chat} /> },
    { title: t('field.members'), dataIndex: 'memberCount', width: 100 },
    { title: t('field.customers'), dataIndex: 'customerCount', width: 100 },
    {
      title: t('field.joins'),
      key: 'joins',
      width: 260,
      render: (_v, chat) => (
        <Space size={4} wrap>
          <Typography.Text strong>{chat.joins.total}</Typography.Text>
          <Tag>{t('scene.invited', { count: chat.joins.invited })}</Tag>
          <Tag>{t('scene.link', { count: chat.joins.link })}</Tag>
          <Tag color="blue">{t('scene.qrCode', { count: chat.joins.qrCode })}</Tag>
        </Space>
      ),
    },
    { title: t('field.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v) },
  ];

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        extra={
          <>
            {picker}
            {account && can('wecom.customers.manage') ? (
              <Button icon={<CloudSyncOutlined />} loading={sync.isPending} onClick={() => sync.mutate()} data-testid="group-chats-sync">
                {t('sync')}
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
                void queryClient.invalidateQueries({ queryKey: groupChatsKey(accountId) });
              }}
            />
          ) : null}
          <Card size="small" title={t('listTitle')}>
            <Flex gap={8} wrap align="center" style={{ marginBottom: 12 }}>
              <Input.Search allowClear placeholder={t('filter.q')} style={{ width: 220 }} onSearch={(q) => set({ q })} />
              <Input.Search allowClear placeholder={t('filter.owner')} style={{ width: 200 }} onSearch={(owner) => set({ owner })} />
              <TreeSelect
                allowClear
                treeDefaultExpandAll
                style={{ width: 240 }}
                placeholder={t('filter.department')}
                treeData={treeData}
                onChange={(departmentId?: number) => set(departmentId ? { departmentId } : { departmentId: undefined })}
              />
              <Checkbox onChange={(e) => set({ includeDismissed: e.target.checked })}>{t('filter.includeDismissed')}</Checkbox>
            </Flex>
            <ErrorAlert error={chats.error} />
            <Table<GroupChat>
              rowKey="chatId"
              size="middle"
              loading={chats.isFetching}
              columns={columns}
              dataSource={chats.data?.items ?? []}
              locale={{ emptyText: t('empty') }}
              pagination={{
                current: filters.page,
                pageSize: filters.pageSize,
                total: chats.data?.total ?? 0,
                showTotal: (total) => t('total', { total }),
                onChange: (page, pageSize) => setFilters((f) => ({ ...f, page, pageSize })),
              }}
              data-testid="group-chats-table"
            />
          </Card>
          <JoinWaysCard accountId={accountId} chats={chats.data?.items ?? []} writable={can('wecom.customers.manage')} />
        </Flex>
      )}
      <GroupChatDrawer accountId={accountId} chatId={open} onClose={() => setOpen(null)} />
    </>
  );
}

/** The owner's name, with the userid beside it when the directory knows the name. */
function OwnerName({ chat }: { chat: Pick<GroupChat, 'owner' | 'ownerName'> }) {
  return chat.ownerName === chat.owner ? (
    <span>{chat.owner}</span>
  ) : (
    <Space size={4}>
      <span>{chat.ownerName}</span>
      <Typography.Text type="secondary">{chat.owner}</Typography.Text>
    </Space>
  );
}

function GroupChatDrawer(props: { accountId: string; chatId: string | null; onClose(): void }) {
  const { t } = useTranslation('wecomGroupChats');
  const detail = useQuery({
    queryKey: [...groupChatsKey(props.accountId), 'detail', props.chatId],
    queryFn: () => groupChatsApi.get(props.accountId, props.chatId as string),
    enabled: Boolean(props.chatId),
  });
  const chat = detail.data;
  const memberColumns: TableColumnsType<GroupChatDetail['members'][number]> = [
    { title: t('member.name'), key: 'name', render: (_v, m) => m.name ?? m.userid },
    { title: t('member.type'), dataIndex: 'type', width: 90, render: (type: string) => <Tag color={type === 'member' ? 'purple' : 'blue'}>{t(`member.${type}`)}</Tag> },
    { title: t('member.joinScene'), dataIndex: 'joinScene', width: 110, render: (scene: string) => t(`joinScene.${scene}`) },
    { title: t('member.state'), dataIndex: 'state', width: 110, render: (state: string | null) => state ?? '—' },
    { title: t('member.joinedAt'), dataIndex: 'joinedAt', width: 170, render: (v: string) => formatDateTime(v) },
  ];
  return (
    <Drawer open={props.chatId !== null} onClose={props.onClose} width={760} title={chat?.name || t('unnamed')} destroyOnHidden>
      <ErrorAlert error={detail.error} />
      {chat ? (
        <Flex vertical gap={16}>
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('field.owner')}>
              <OwnerName chat={chat} />
            </Descriptions.Item>
            <Descriptions.Item label={t('field.createdAt')}>{formatDateTime(chat.createdAt)}</Descriptions.Item>
            <Descriptions.Item label={t('field.members')}>{chat.memberCount}</Descriptions.Item>
            <Descriptions.Item label={t('field.customers')}>{chat.customerCount}</Descriptions.Item>
            <Descriptions.Item label={t('field.notice')} span={2}>
              {chat.notice || '—'}
            </Descriptions.Item>
          </Descriptions>
          <Card size="small" title={t('joinsByDay')}>
            <Table
              rowKey="day"
              size="small"
              pagination={false}
              dataSource={chat.joinsByDay}
              columns={[
                { title: t('day'), dataIndex: 'day', render: (d: string) => formatDate(d) },
                { title: t('joinScene.invited'), dataIndex: 'invited' },
                { title: t('joinScene.link'), dataIndex: 'link' },
                { title: t('joinScene.qr_code'), dataIndex: 'qrCode' },
              ]}
            />
          </Card>
          <Card size="small" title={t('membersTitle', { count: chat.members.length })}>
            <Table rowKey="userid" size="small" columns={memberColumns} dataSource={chat.members} pagination={{ pageSize: 20, hideOnSinglePage: true }} />
          </Card>
        </Flex>
      ) : null}
    </Drawer>
  );
}

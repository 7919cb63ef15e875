import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Badge, Button, Card, Col, Empty, Flex, Input, List, Row, Segmented, Select, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { Conversation, InboxMessage } from '../../../../server/modules/official-account/inbox/inbox.schema';
import { useCan, useMe } from '../../../app/session';
import { useProductAccount } from '../../../components/account-picker';
import { ErrorAlert, errorMessage } from '../../../components/error-display';
import { formatDateTime } from '../../../components/format';
import { PageHeader } from '../../../components/page-header';
import { inboxApi, inboxKey, quickRepliesKey } from './inbox.api';
import { QuickRepliesDrawer } from './quick-replies-drawer';

/** Shown literally: the variables a quick reply may use (i18next would otherwise fill them). */
const templateVariables = { remark: '{{remark}}', openId: '{{openId}}', operator: '{{operator}}', interpolation: { escapeValue: false } };

const POLL_MS = 5000;

/** "Closes in 12 h 5 min" / "closed": the customer-service window as people read it. */
function useWindowLabel() {
  const { t } = useTranslation('oaInbox');
  return (conversation: Conversation, now: number) => {
    const closesAt = conversation.window.closesAt ? new Date(conversation.window.closesAt).getTime() : null;
    if (closesAt === null) return { open: false, text: t('window.none') };
    const left = closesAt - now;
    if (left <= 0) return { open: false, text: t('window.closed', { at: formatDateTime(conversation.window.closesAt) }) };
    const hours = Math.floor(left / 3_600_000);
    const minutes = Math.floor((left % 3_600_000) / 60_000);
    return { open: true, text: t('window.left', { hours, minutes }) };
  };
}

function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function messageText(t: (key: string) => string, message: InboxMessage): string {
  if (message.text) return message.text;
  return `[${t(`msgType.${message.msgType}`)}]`;
}

function ChatPanel({ accountId, conversation }: { accountId: string; conversation: Conversation }) {
  const { t } = useTranslation('oaInbox');
  const { message } = App.useApp();
  const me = useMe();
  const can = useCan();
  const canWrite = can('official_account.write');
  const queryClient = useQueryClient();
  const now = useNow();
  const windowLabel = useWindowLabel()(conversation, now);
  const [draft, setDraft] = useState('');
  const history = useQuery({ queryKey: [...inboxKey(accountId), conversation.id, 'messages'], queryFn: () => inboxApi.messages(accountId, conversation.id), refetchInterval: POLL_MS });
  const quick = useQuery({ queryKey: quickRepliesKey(accountId), queryFn: () => inboxApi.quickReplies(accountId) });
  const users = useQuery({ queryKey: ['users', 'assignable'], queryFn: inboxApi.users, enabled: can('users.read') });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: inboxKey(accountId) });
  const reply = useMutation({
    mutationFn: (text: string) => inboxApi.reply(accountId, conversation.id, { type: 'text', text }),
    onSuccess: () => {
      setDraft('');
      refresh();
    },
  });
  const act = useMutation({
    mutationFn: (action: { kind: 'assign'; userId: string | null } | { kind: 'close' }) =>
      action.kind === 'close' ? inboxApi.close(accountId, conversation.id) : inboxApi.assign(accountId, conversation.id, action.userId),
    onSuccess: refresh,
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });
  // An open conversation is read: new messages arriving while it is shown are marked read too.
  useEffect(() => {
    if (conversation.unreadCount > 0) void inboxApi.read(accountId, conversation.id).then(() => queryClient.invalidateQueries({ queryKey: inboxKey(accountId) }));
  }, [accountId, conversation.id, conversation.unreadCount, queryClient]);

  const messages = (history.data?.items ?? []).toReversed();
  const assignOptions = users.data ? users.data.items.map((u) => ({ value: u.id, label: u.displayName })) : [{ value: me.id, label: me.displayName }];

  return (
    <Card
      title={<Typography.Text copyable={{ text: conversation.openId }}>{conversation.openId}</Typography.Text>}
      extra={
        <Space>
          <Tag color={windowLabel.open ? 'green' : 'default'} data-testid="inbox-window">
            {windowLabel.text}
          </Tag>
          {canWrite ? (
            <Select
              allowClear
              size="small"
              style={{ width: 160 }}
              placeholder={t('chat.assign')}
              value={conversation.assigneeId ?? undefined}
              options={assignOptions}
              onChange={(value: string | undefined) => act.mutate({ kind: 'assign', userId: value ?? null })}
            />
          ) : null}
          {canWrite && conversation.state === 'open' ? (
            <Button size="small" onClick={() => act.mutate({ kind: 'close' })}>
              {t('chat.close')}
            </Button>
          ) : null}
        </Space>
      }
      styles={{ body: { display: 'flex', flexDirection: 'column', gap: 12 } }}
    >
      <div style={{ height: 420, overflowY: 'auto', background: '#f5f5f5', padding: 12, borderRadius: 6 }} data-testid="inbox-history">
        {messages.length === 0 ? <Empty description={t('chat.empty')} /> : null}
        {messages.map((m) => (
          <Flex key={m.id} justify={m.direction === 'out' ? 'flex-end' : 'flex-start'} style={{ marginBottom: 10 }}>
            <div style={{ maxWidth: '70%' }}>
              <div style={{ background: m.direction === 'out' ? '#95ec69' : '#fff', padding: '8px 12px', borderRadius: 6, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{messageText(t, m)}</div>
              <Typography.Text type="secondary" style={{ fontSize: 11 }}>
                {formatDateTime(m.createdAt)}
              </Typography.Text>
            </div>
          </Flex>
        ))}
      </div>
      {!windowLabel.open ? <Alert type="warning" showIcon title={t('chat.windowClosedHint')} /> : null}
      <ErrorAlert error={reply.error} />
      {canWrite ? (
        <>
          <Flex gap={8} align="center">
            <Select
              showSearch
              allowClear
              style={{ width: 260 }}
              placeholder={t('chat.quickReply')}
              optionFilterProp="label"
              options={(quick.data?.items ?? []).map((q) => ({ value: q.id, label: `${q.groupName} · ${q.title}` }))}
              onChange={(id: string | undefined) => {
                const picked = quick.data?.items.find((q) => q.id === id);
                if (picked) setDraft(picked.content);
              }}
              data-testid="inbox-quick-reply"
            />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('chat.quota', { sent: conversation.window.sentSinceOpen, limit: conversation.window.limit })}
            </Typography.Text>
          </Flex>
          <Input.TextArea rows={3} maxLength={2000} value={draft} onChange={(e) => setDraft(e.target.value)} placeholder={t('chat.placeholder', templateVariables)} data-testid="inbox-reply-text" />
          <Flex justify="flex-end">
            <Button type="primary" disabled={!draft.trim() || !windowLabel.open} loading={reply.isPending} onClick={() => reply.mutate(draft)} data-testid="inbox-send">
              {t('chat.send')}
            </Button>
          </Flex>
        </>
      ) : null}
    </Card>
  );
}

/** 客服消息: conversations on the left, the chat on the right with the 48-hour window, quick replies. */
export function InboxPage() {
  const { t } = useTranslation('oaInbox');
  const { account, picker, empty } = useProductAccount('official_account');
  const accountId = account?.id ?? '';
  const now = useNow();
  const windowLabel = useWindowLabel();
  const [filter, setFilter] = useState<'open' | 'waiting' | 'closed'>('open');
  const [q, setQ] = useState('');
  // In the URL, so a link opens the conversation.
  const [params, setParams] = useSearchParams();
  const selectedId = params.get('conversation');
  const setSelectedId = (id: string) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      next.set('conversation', id);
      return next;
    });
  const [quickOpen, setQuickOpen] = useState(false);
  const filters = filter === 'waiting' ? { state: 'open', waiting: 'true' } : { state: filter };
  const list = useQuery({
    queryKey: [...inboxKey(accountId), 'list', filter, q],
    queryFn: () => inboxApi.conversations(accountId, { ...filters, ...(q ? { q } : {}) }),
    enabled: accountId !== '',
    refetchInterval: POLL_MS,
  });
  const conversations = list.data?.items ?? [];
  const selected = conversations.find((c) => c.id === selectedId) ?? null;

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        extra={
          <>
            {picker}
            {account ? (
              <Button onClick={() => setQuickOpen(true)} data-testid="inbox-quick-replies">
                {t('quick.title')}
              </Button>
            ) : null}
          </>
        }
      />
      {!account ? (
        empty
      ) : (
        <Row gutter={16}>
          <Col xs={24} lg={9} xl={8}>
            <Card styles={{ body: { padding: 12 } }}>
              <Flex vertical gap={8}>
                <Segmented
                  block
                  value={filter}
                  onChange={(v) => setFilter(v as typeof filter)}
                  options={(['open', 'waiting', 'closed'] as const).map((v) => ({ value: v, label: t(`filter.${v}`) }))}
                />
                <Input.Search allowClear placeholder={t('searchOpenId')} onSearch={setQ} />
                <ErrorAlert error={list.error} />
                <List
                  loading={list.isLoading}
                  dataSource={conversations}
                  locale={{ emptyText: <Empty description={t('noConversations')} /> }}
                  style={{ maxHeight: 560, overflowY: 'auto' }}
                  renderItem={(c) => {
                    const w = windowLabel(c, now);
                    return (
                      <List.Item
                        onClick={() => setSelectedId(c.id)}
                        style={{ cursor: 'pointer', padding: '8px 10px', background: c.id === selectedId ? '#e6f4ff' : undefined, borderRadius: 6 }}
                        data-testid={`conversation-${c.openId}`}
                      >
                        <Flex vertical style={{ width: '100%', minWidth: 0 }} gap={2}>
                          <Flex justify="space-between" gap={8}>
                            <Typography.Text strong ellipsis style={{ maxWidth: 200 }}>
                              {c.openId}
                            </Typography.Text>
                            <Badge count={c.unreadCount} size="small" />
                          </Flex>
                          <Typography.Text type="secondary" ellipsis>
                            {c.lastDirection === 'out' ? `${t('you')}: ` : ''}
                            {c.lastMessagePreview || t('media')}
                          </Typography.Text>
                          <Flex gap={4} wrap>
                            {c.waitingSince ? <Tag color="orange">{t('waiting')}</Tag> : <Tag>{t('answered')}</Tag>}
                            <Tag color={w.open ? 'green' : 'default'}>{w.text}</Tag>
                            <Typography.Text type="secondary" style={{ fontSize: 11 }}>
                              {formatDateTime(c.lastMessageAt)}
                            </Typography.Text>
                          </Flex>
                        </Flex>
                      </List.Item>
                    );
                  }}
                />
              </Flex>
            </Card>
          </Col>
          <Col xs={24} lg={15} xl={16}>
            {selected ? <ChatPanel accountId={accountId} conversation={selected} /> : <Card><Empty description={t('pickConversation')} /></Card>}
          </Col>
        </Row>
      )}
      {account ? <QuickRepliesDrawer accountId={accountId} open={quickOpen} onClose={() => setQuickOpen(false)} /> : null}
    </>
  );
}

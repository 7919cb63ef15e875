import { useQuery } from '@tanstack/react-query';
import { Button, DatePicker, Empty, Flex, Form, Input, Select, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { Message } from '../../../../server/modules/system/messages/messages.schema';
import { DataTable } from '../../../components/data-table';
import { formatDateTime } from '../../../components/format';
import { PageHeader } from '../../../components/page-header';
import { accountsApi, accountsQueryKey } from '../accounts/accounts.api';
import { MessageDetailDrawer, messageReceiverLabel } from './message-detail-drawer';
import { messageFilterKeys, messagesApi, messagesQueryKey } from './messages.api';

function toFormValues(filters: Record<string, string | undefined>) {
  const { since, until, ...rest } = filters;
  return { ...rest, range: since || until ? [since ? dayjs(since) : null, until ? dayjs(until) : null] : undefined };
}

function toFilters(values: Record<string, unknown>): Record<string, string | undefined> {
  const range = values.range as [Dayjs | null, Dayjs | null] | undefined;
  const text = (key: string) => (typeof values[key] === 'string' && (values[key] as string).trim()) || undefined;
  return {
    type: text('type'),
    from: text('from'),
    q: text('q'),
    since: range?.[0] ? range[0].startOf('day').toISOString() : undefined,
    until: range?.[1] ? range[1].endOf('day').toISOString() : undefined,
  };
}

/** What the message said, in one line: text content or an event key; other kinds show nothing here (see details). */
function summaryOf(message: Message): string | null {
  return message.content || null;
}

/** A reply in one line: its text, the first article's title, or its type. */
function replyText(message: Message): string | null {
  const reply = message.reply;
  if (!reply) return null;
  if (typeof reply.content === 'string') return reply.content;
  const articles = reply.articles as { title?: string }[] | undefined;
  if (articles?.[0]?.title) return `[${String(reply.type)}] ${articles[0].title}`;
  return `[${String(reply.type)}]`;
}


const typeOptions = [
  'official-account.text',
  'official-account.image',
  'official-account.subscribe',
  'official-account.unsubscribe',
  'official-account.CLICK',
  'official-account.SCAN',
  'official-account.unknown',
  'wecom.text',
  'wecom.change_contact.create_user',
  'wecom.change_contact.update_user',
  'wecom.change_external_contact.add_external_contact',
  'wecom.unknown',
];

/** 消息记录: every message and event WeChat pushed to one connected account, and what was answered. */
export function MessagesPage() {
  const { t } = useTranslation('messages');
  const [params, setParams] = useSearchParams();
  const [selected, setSelected] = useState<Message | null>(null);
  const accounts = useQuery({ queryKey: [...accountsQueryKey, 'all'], queryFn: accountsApi.all });
  const list = accounts.data?.items ?? [];
  const accountId = params.get('account') ?? list[0]?.id ?? null;

  const columns: TableColumnsType<Message> = [
    { title: t('field.receivedAt'), dataIndex: 'receivedAt', width: 170, render: (v: string) => formatDateTime(v) },
    {
      title: t('field.type'),
      key: 'type',
      width: 230,
      render: (_v, m) => (
        <Flex vertical>
          <Typography.Text>{t(`kind.${m.msgType === 'event' ? 'event' : 'message'}`)} · {m.event ?? m.msgType}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {messageReceiverLabel(t, m.receiver)}
          </Typography.Text>
        </Flex>
      ),
    },
    { title: t('field.from'), dataIndex: 'from', width: 220, ellipsis: true, render: (v: string) => <Typography.Text copyable={{ text: v }}>{v}</Typography.Text> },
    {
      title: t('field.content'),
      key: 'content',
      ellipsis: true,
      render: (_v, m) => summaryOf(m) ?? <Typography.Text type="secondary">{t('seeDetails')}</Typography.Text>,
    },
    {
      title: t('field.reply'),
      key: 'reply',
      width: 240,
      render: (_v, m) => (
        <Flex vertical gap={2}>
          <span>
            {m.state === 'failed' ? <Tag color="error">{t('state.failed')}</Tag> : null}
            {m.handledLate ? <Tag color="warning">{t('lateTag')}</Tag> : null}
            {replyText(m) ?? <Typography.Text type="secondary">{t('noReply')}</Typography.Text>}
          </span>
        </Flex>
      ),
    },
    {
      title: t('field.actions'),
      key: 'actions',
      width: 90,
      render: (_v, m) => (
        <Button type="link" size="small" onClick={() => setSelected(m)} data-testid={`message-detail-${m.id}`}>
          {t('detail.open')}
        </Button>
      ),
    },
  ];

  const picker = (
    <Select
      style={{ width: 260 }}
      loading={accounts.isLoading}
      value={accountId ?? undefined}
      placeholder={t('pickAccount')}
      onChange={(value: string) => setParams({ account: value })}
      options={list.map((a) => ({ value: a.id, label: `${a.name}${a.sandbox ? ` (${t('sandbox')})` : ''}` }))}
      data-testid="messages-account"
    />
  );

  return (
    <>
      <PageHeader title={t('title')} description={t('description')} extra={picker} />
      {accountId ? (
        <DataTable<Message>
          testId="messages-table"
          title={t('listTitle')}
          queryKey={[...messagesQueryKey, accountId]}
          fetchPage={(request) => messagesApi.list(accountId, request)}
          rowKey="id"
          columns={columns}
          filterKeys={messageFilterKeys}
          toFormValues={toFormValues}
          toFilters={toFilters}
          scrollX={1100}
          searchFields={
            <>
              <Form.Item name="type" label={t('field.type')}>
                <Select
                  allowClear
                  showSearch
                  placeholder={t('common:placeholder.all')}
                  style={{ width: 260 }}
                  options={typeOptions.map((value) => ({ value, label: value }))}
                  data-testid="messages-filter-type"
                />
              </Form.Item>
              <Form.Item name="from" label={t('field.from')}>
                <Input allowClear placeholder={t('filter.fromPlaceholder')} style={{ width: 200 }} data-testid="messages-filter-from" />
              </Form.Item>
              <Form.Item name="q" label={t('filter.q')}>
                <Input allowClear placeholder={t('filter.qPlaceholder')} style={{ width: 180 }} data-testid="messages-filter-q" />
              </Form.Item>
              <Form.Item name="range" label={t('filter.range')}>
                <DatePicker.RangePicker allowEmpty={[true, true]} />
              </Form.Item>
            </>
          }
        />
      ) : (
        <Empty description={accounts.isLoading ? t('loading') : t('noAccounts')} />
      )}
      <MessageDetailDrawer message={selected} onClose={() => setSelected(null)} />
    </>
  );
}

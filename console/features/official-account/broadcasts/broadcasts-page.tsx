import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Drawer, Flex, Form, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Broadcast } from '../../../../server/modules/official-account/broadcasts/broadcasts.schema';
import { useCan } from '../../../app/session';
import { useProductAccount } from '../../../components/account-picker';
import { DataTable } from '../../../components/data-table';
import { errorMessage } from '../../../components/error-display';
import { formatDateTime } from '../../../components/format';
import { PageHeader } from '../../../components/page-header';
import { broadcastsApi, broadcastsKey } from './broadcasts.api';
import { ComposeDrawer } from './compose-drawer';

const stateColor: Record<Broadcast['state'], string> = {
  scheduled: 'blue',
  queued: 'blue',
  sending: 'processing',
  submitted: 'processing',
  finished: 'success',
  failed: 'error',
  unknown: 'warning',
  cancelled: 'default',
};

function useLabels() {
  const { t } = useTranslation('oaPushes');
  return {
    content: (b: Broadcast) => (b.content.type === 'text' ? b.content.text : b.content.type === 'mpnews' ? `${t('contentType.mpnews')} · ${b.content.title ?? b.content.mediaId}` : `${t('contentType.image')} · ${b.content.mediaId}`),
    audience: (b: Broadcast) =>
      b.audience.kind === 'all' ? t('audience.all') : b.audience.kind === 'tags' ? t('audienceTags', { ids: b.audience.tagIds.join(', ') }) : t('audienceOpenIds', { count: b.audience.openIds.length }),
  };
}

function Actions({ accountId, broadcast, onChanged }: { accountId: string; broadcast: Broadcast; onChanged: () => void }) {
  const { t } = useTranslation('oaPushes');
  const { message } = App.useApp();
  const canWrite = useCan()('official_account.write');
  const act = useMutation({
    mutationFn: (action: 'cancel' | 'retry' | 'refresh') => broadcastsApi[action](accountId, broadcast.id),
    onSuccess: onChanged,
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });
  if (!canWrite) return null;
  return (
    <Space size={0}>
      {broadcast.state === 'scheduled' || broadcast.state === 'queued' ? (
        <Button type="link" size="small" danger onClick={() => act.mutate('cancel')} loading={act.isPending}>
          {t('action.cancel')}
        </Button>
      ) : null}
      {broadcast.state === 'unknown' ? (
        <Button type="link" size="small" onClick={() => act.mutate('retry')} loading={act.isPending}>
          {t('action.retry')}
        </Button>
      ) : null}
      {broadcast.msgId && broadcast.state !== 'finished' ? (
        <Button type="link" size="small" onClick={() => act.mutate('refresh')} loading={act.isPending}>
          {t('action.refresh')}
        </Button>
      ) : null}
    </Space>
  );
}

function DetailDrawer({ accountId, broadcast, onClose }: { accountId: string; broadcast: Broadcast | null; onClose: () => void }) {
  const { t } = useTranslation('oaPushes');
  const labels = useLabels();
  const recipients = useQuery({
    queryKey: [...broadcastsKey(accountId), broadcast?.id, 'recipients'],
    queryFn: () => broadcastsApi.recipients(accountId, broadcast?.id ?? ''),
    enabled: broadcast !== null,
  });
  return (
    <Drawer title={t('detail.title')} open={broadcast !== null} onClose={onClose} size="large">
      {broadcast ? (
        <Flex vertical gap={16}>
          {broadcast.state === 'unknown' ? <Typography.Text type="warning">{t('detail.unknownHint')}</Typography.Text> : null}
          {broadcast.failure ? (
            <Alert
              type="error"
              showIcon
              title={t('detail.failure', { code: broadcast.failure.code })}
              description={broadcast.failure.errcode ? `errcode ${broadcast.failure.errcode}: ${broadcast.failure.errmsg ?? ''}` : undefined}
            />
          ) : null}
          <Descriptions
            column={1}
            bordered
            size="small"
            items={[
              { key: 'state', label: t('field.state'), children: <Tag color={stateColor[broadcast.state]}>{t(`state.${broadcast.state}`)}</Tag> },
              { key: 'content', label: t('field.content'), children: <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{labels.content(broadcast)}</Typography.Paragraph> },
              { key: 'audience', label: t('field.audience'), children: labels.audience(broadcast) },
              { key: 'recipients', label: t('field.recipients'), children: `${broadcast.recipientCount}${broadcast.overQuotaCount ? ` (${t('detail.overQuota', { count: broadcast.overQuotaCount })})` : ''}` },
              { key: 'counts', label: t('field.counts'), children: broadcast.counts ? t('detail.counts', broadcast.counts) : t('detail.noCounts') },
              { key: 'wechatStatus', label: t('field.wechatStatus'), children: broadcast.wechatStatus ?? '—' },
              { key: 'msgId', label: 'msg_id', children: broadcast.msgId ?? '—' },
              { key: 'scheduledAt', label: t('field.scheduledAt'), children: formatDateTime(broadcast.scheduledAt) },
              { key: 'sentAt', label: t('field.sentAt'), children: formatDateTime(broadcast.sentAt) },
              { key: 'finishedAt', label: t('field.finishedAt'), children: formatDateTime(broadcast.finishedAt) },
            ]}
          />
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('detail.recipients', { total: recipients.data?.total ?? 0 })}
          </Typography.Title>
          <Table
            size="small"
            rowKey="openId"
            loading={recipients.isLoading}
            dataSource={recipients.data?.items ?? []}
            pagination={false}
            columns={[
              { title: 'OpenID', dataIndex: 'openId' },
              { title: t('field.state'), dataIndex: 'status', width: 140, render: (v: string) => t(`recipient.${v}`) },
            ]}
          />
        </Flex>
      ) : null}
    </Drawer>
  );
}

/** 群发消息: targeted pushes with their state and WeChat's counts; compose, preview, send now or schedule. */
export function BroadcastsPage() {
  const { t } = useTranslation('oaPushes');
  const { account, picker, empty } = useProductAccount('official_account');
  const accountId = account?.id ?? '';
  const canWrite = useCan()('official_account.write');
  const queryClient = useQueryClient();
  const labels = useLabels();
  const [composing, setComposing] = useState(false);
  const [selected, setSelected] = useState<Broadcast | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: broadcastsKey(accountId) });

  const columns: TableColumnsType<Broadcast> = [
    { title: t('field.createdAt'), dataIndex: 'createdAt', width: 160, render: (v: string) => formatDateTime(v) },
    { title: t('field.content'), key: 'content', ellipsis: true, width: 260, render: (_v, b) => labels.content(b) },
    { title: t('field.audience'), key: 'audience', width: 140, render: (_v, b) => labels.audience(b) },
    {
      title: t('field.state'),
      key: 'state',
      width: 130,
      render: (_v, b) => (
        <Tag color={stateColor[b.state]} data-testid={`push-state-${b.id}`}>
          {t(`state.${b.state}`)}
        </Tag>
      ),
    },
    { title: t('field.recipients'), dataIndex: 'recipientCount', width: 90 },
    { title: t('field.sent'), key: 'sent', width: 110, render: (_v, b) => (b.counts ? `${b.counts.sent} / ${b.counts.total}` : '—') },
    { title: t('field.scheduledAt'), dataIndex: 'scheduledAt', width: 160, render: (v: string | null) => formatDateTime(v) },
    {
      title: t('field.actions'),
      key: 'actions',
      width: 200,
      render: (_v, b) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setSelected(b)}>
            {t('action.detail')}
          </Button>
          <Actions accountId={accountId} broadcast={b} onChanged={refresh} />
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        extra={
          <>
            {picker}
            {canWrite && account ? (
              <Button type="primary" onClick={() => setComposing(true)} data-testid="push-compose">
                {t('compose.open')}
              </Button>
            ) : null}
          </>
        }
      />
      {!account ? (
        empty
      ) : (
        <DataTable<Broadcast>
          queryKey={broadcastsKey(accountId)}
          fetchPage={(request) => broadcastsApi.list(accountId, request)}
          columns={columns}
          rowKey="id"
          scrollX={1200}
          filterKeys={['state']}
          searchFields={
            <Form.Item name="state" label={t('field.state')}>
              <Select
                allowClear
                placeholder={t('common:placeholder.all')}
                style={{ width: 160 }}
                options={(['scheduled', 'submitted', 'finished', 'failed', 'unknown', 'cancelled'] as const).map((s) => ({ value: s, label: t(`state.${s}`) }))}
              />
            </Form.Item>
          }
          testId="broadcasts-table"
        />
      )}
      {account ? <ComposeDrawer accountId={accountId} open={composing} onClose={() => setComposing(false)} onSent={() => (setComposing(false), refresh())} /> : null}
      <DetailDrawer accountId={accountId} broadcast={selected} onClose={() => setSelected(null)} />
    </>
  );
}

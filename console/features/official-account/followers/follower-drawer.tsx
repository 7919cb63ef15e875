import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Button, Descriptions, Drawer, Empty, Flex, List, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-display';
import { formatDateTime } from '../../../components/format';
import { followersApi, followersKey } from './followers.api';

/** One follower: what WeChat says about them, their tags and their message history. */
export function FollowerDrawer({ accountId, openId, tagNames, onClose }: { accountId: string; openId: string | null; tagNames: Map<number, string>; onClose: () => void }) {
  const { t } = useTranslation('oaFollowers');
  const detail = useQuery({
    queryKey: [...followersKey(accountId), 'detail', openId],
    queryFn: () => followersApi.get(accountId, openId ?? ''),
    enabled: Boolean(openId),
  });
  const history = useInfiniteQuery({
    queryKey: [...followersKey(accountId), 'messages', openId],
    queryFn: ({ pageParam }) => followersApi.messages(accountId, openId ?? '', pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: Boolean(openId),
  });
  const f = detail.data;
  const messages = history.data?.pages.flatMap((p) => p.items) ?? [];
  const describe = (m: (typeof messages)[number]) => {
    if (m.content) return m.content;
    const key = typeof m.fields.eventKey === 'string' ? ` · ${m.fields.eventKey}` : '';
    return `[${m.event ?? m.msgType}]${key}`;
  };
  const replyOf = (reply: Record<string, unknown> | null) => (reply ? (typeof reply.content === 'string' ? reply.content : `[${String(reply.type)}]`) : null);

  return (
    <Drawer open={Boolean(openId)} onClose={onClose} width={620} title={t('detail.title')} destroyOnHidden data-testid="follower-drawer">
      <ErrorAlert error={detail.error} />
      {f ? (
        <Flex vertical gap={24}>
          <Descriptions
            size="small"
            column={1}
            bordered
            items={[
              { key: 'openId', label: t('field.openId'), children: <Typography.Text copyable>{f.openId}</Typography.Text> },
              { key: 'remark', label: t('field.remark'), children: f.remark || '—' },
              {
                key: 'status',
                label: t('field.status'),
                children: <Tag color={f.subscribed ? 'success' : 'default'}>{t(f.subscribed ? 'status.subscribed' : 'status.unsubscribed')}</Tag>,
              },
              { key: 'subscribeTime', label: t('field.subscribeTime'), children: formatDateTime(f.subscribeTime) },
              ...(f.unsubscribeTime ? [{ key: 'unsubscribeTime', label: t('field.unsubscribeTime'), children: formatDateTime(f.unsubscribeTime) }] : []),
              { key: 'scene', label: t('field.scene'), children: f.subscribeScene ? t(`scene.${f.subscribeScene}`, { defaultValue: f.subscribeScene }) : '—' },
              ...(f.qrScene !== null || f.qrSceneStr ? [{ key: 'qr', label: t('field.qrScene'), children: String(f.qrSceneStr ?? f.qrScene) }] : []),
              { key: 'language', label: t('field.language'), children: f.language ? t(`language.${f.language}`, { defaultValue: f.language }) : '—' },
              ...(f.country || f.province || f.city ? [{ key: 'region', label: t('field.region'), children: [f.country, f.province, f.city].filter(Boolean).join(' / ') }] : []),
              { key: 'unionId', label: 'UnionID', children: f.unionId ?? '—' },
              { key: 'lastInteractionAt', label: t('field.lastInteractionAt'), children: formatDateTime(f.lastInteractionAt) },
              {
                key: 'tags',
                label: t('field.tags'),
                children: f.tags.length ? (
                  <Flex wrap gap={4}>
                    {f.tags.map((tag) => (
                      <Tag key={tag.id} color="blue">
                        {tagNames.get(tag.id) ?? tag.name}
                      </Tag>
                    ))}
                  </Flex>
                ) : (
                  '—'
                ),
              },
            ]}
          />
          <Typography.Text type="secondary">{t('detail.noProfile')}</Typography.Text>
          <div>
            <Typography.Title level={5}>{t('detail.history')}</Typography.Title>
            <ErrorAlert error={history.error} />
            {messages.length === 0 && !history.isLoading ? (
              <Empty description={t('detail.noHistory')} />
            ) : (
              <List
                size="small"
                loading={history.isLoading}
                dataSource={messages}
                renderItem={(m) => (
                  <List.Item key={m.id}>
                    <Flex vertical style={{ width: '100%' }}>
                      <Flex justify="space-between" gap={8}>
                        <Typography.Text>{describe(m)}</Typography.Text>
                        <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
                          {formatDateTime(m.receivedAt)}
                        </Typography.Text>
                      </Flex>
                      {replyOf(m.reply) ? (
                        <Typography.Text type="secondary">
                          {t('detail.replied')}：{replyOf(m.reply)}
                        </Typography.Text>
                      ) : null}
                    </Flex>
                  </List.Item>
                )}
              />
            )}
            {history.hasNextPage ? (
              <Button block onClick={() => void history.fetchNextPage()} loading={history.isFetchingNextPage}>
                {t('detail.more')}
              </Button>
            ) : null}
          </div>
        </Flex>
      ) : null}
    </Drawer>
  );
}

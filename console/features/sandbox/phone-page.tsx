import { QrcodeOutlined, UserAddOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Empty, Flex, Input, Select, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert, errorMessage } from '../../components/error-display';
import { PageHeader } from '../../components/page-header';
import { useUrlState } from '../../components/url-state';
import { useMe } from '../../app/session';
import { accountsApi, accountsQueryKey } from '../system/accounts/accounts.api';
import { viewInbox } from './inbox-content';
import { DeliveryStatusTag, PhoneFrame, type ChatEntry } from './phone-frame';
import { oaApi, sandboxQueryKey, type ActionOutcome, type MenuButton, type OaInboxItem } from './sandbox.api';

const POLL_MS = 2000;

/** A fresh OpenID-looking id for a person who does not follow yet. */
function newOpenId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
  const bytes = crypto.getRandomValues(new Uint8Array(27));
  return `o${Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('')}`;
}

type LastAction = { label: string; outcome: ActionOutcome };

/** 模拟手机: one follower's WeChat, talking to a sandbox Official Account that pushes to Qiao. */
export function PhonePage() {
  const { t } = useTranslation('sandbox');
  const { message } = App.useApp();
  const [url, setUrl] = useUrlState(['app', 'openId']);
  const [sent, setSent] = useState<ChatEntry[]>([]);
  const [scene, setScene] = useState('');
  const [last, setLast] = useState<LastAction | null>(null);

  const queryClient = useQueryClient();
  const me = useMe();
  const accounts = useQuery({ queryKey: [...sandboxQueryKey, 'oa-accounts'], queryFn: oaApi.accounts });
  const list = accounts.data?.items ?? [];
  const account = list.find((a) => a.appId === url.app) ?? list[0] ?? null;
  const appId = account?.appId ?? null;
  const openId = url.openId ?? null;

  // The Qiao account connected with this AppID, whose callback URL the sandbox should push to.
  const connected = useQuery({ queryKey: [...accountsQueryKey, 'all'], queryFn: accountsApi.all, enabled: me.permissions.includes('accounts.read') });
  const qiaoCallbackUrl = connected.data?.items.find((a) => a.appId === appId)?.callbacks[0]?.url ?? null;
  const pointAtQiao = useMutation({
    mutationFn: () => oaApi.setCallbackUrl(appId!, qiaoCallbackUrl),
    onSuccess: () => {
      void message.success(t('phone.callbackSet'));
      void queryClient.invalidateQueries({ queryKey: [...sandboxQueryKey, 'oa-accounts'] });
    },
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });

  const followers = useQuery({
    queryKey: [...sandboxQueryKey, 'oa-followers', appId],
    queryFn: () => oaApi.followers(account!),
    enabled: Boolean(account),
  });
  const following = Boolean(openId && followers.data?.openIds.includes(openId));

  const menu = useQuery({
    queryKey: [...sandboxQueryKey, 'oa-menu', appId, openId],
    queryFn: () => oaApi.menuFor(account!, openId!),
    enabled: Boolean(account && openId),
  });

  const inbox = useQuery({
    queryKey: [...sandboxQueryKey, 'oa-inbox', appId, openId],
    queryFn: () => oaApi.inbox(appId!, openId!),
    enabled: Boolean(appId && openId),
    refetchInterval: POLL_MS,
  });

  const selectFollower = (next: string | undefined) => {
    setSent([]);
    setLast(null);
    setUrl({ openId: next });
  };

  const note = (side: ChatEntry['side'], body: string, tone?: ChatEntry['tone']) =>
    setSent((entries) => [...entries, { id: `local-${entries.length}-${Date.now()}`, side, at: new Date().toISOString(), body, ...(tone ? { tone } : {}) }]);

  const act = useMutation({
    mutationFn: async (input: { label: string; run: () => Promise<ActionOutcome>; echo?: { side: ChatEntry['side']; body: string } }) => {
      if (input.echo) note(input.echo.side, input.echo.body);
      return { label: input.label, outcome: await input.run() };
    },
    onSuccess: (result) => {
      setLast(result);
      void inbox.refetch();
      void followers.refetch();
      void menu.refetch();
    },
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });

  const entries = useMemo(() => {
    const received: ChatEntry[] = (inbox.data?.items ?? []).map((item) => toEntry(item, t));
    return [...sent, ...received].sort((a, b) => a.at.localeCompare(b.at));
  }, [inbox.data, sent, t]);

  const run = (label: string, action: () => Promise<ActionOutcome>, echo?: { side: ChatEntry['side']; body: string }) => {
    act.mutate({ label, run: action, ...(echo ? { echo } : {}) });
  };

  const followAsNew = () => {
    if (!appId) return;
    const id = newOpenId();
    selectFollower(id);
    run(t('action.follow'), () => oaApi.follow(appId, id), { side: 'system', body: t('phone.youFollowed') });
  };

  const press = (button: MenuButton) => {
    if (!appId || !openId) return;
    const body = button.key ? { key: button.key } : { url: button.url as string };
    run(t('action.menuClick'), () => oaApi.click(appId, openId, body), { side: 'system', body: t('phone.pressed', { name: button.name }) });
  };

  const controls = (
    <Card size="small" title={t('phone.controls')} style={{ width: 380 }}>
      <Flex vertical gap={12}>
        <div>
          <Typography.Text type="secondary">{t('field.account')}</Typography.Text>
          <Select
            style={{ width: '100%' }}
            loading={accounts.isLoading}
            value={appId ?? undefined}
            onChange={(value: string) => {
              setSent([]);
              setLast(null);
              setUrl({ app: value, openId: undefined });
            }}
            options={list.map((a) => ({ value: a.appId, label: `${a.name} (${a.appId})` }))}
            data-testid="phone-account"
          />
        </div>
        <div>
          <Typography.Text type="secondary">{t('field.follower')}</Typography.Text>
          <Select
            showSearch
            allowClear
            style={{ width: '100%' }}
            loading={followers.isLoading}
            value={openId ?? undefined}
            placeholder={t('phone.pickFollower', { count: followers.data?.total ?? 0 })}
            onChange={(value?: string) => selectFollower(value)}
            options={[
              ...(openId && !following ? [{ value: openId, label: `${openId} · ${t('phone.notFollowing')}` }] : []),
              ...(followers.data?.openIds ?? []).map((id) => ({ value: id, label: id })),
            ]}
            data-testid="phone-follower"
          />
        </div>
        <Space wrap>
          <Button icon={<UserAddOutlined />} onClick={followAsNew} disabled={!appId} loading={act.isPending} data-testid="phone-new-follower">
            {t('action.newFollower')}
          </Button>
          {openId && following ? (
            <Button danger onClick={() => run(t('action.unfollow'), () => oaApi.unfollow(appId!, openId), { side: 'system', body: t('phone.youUnfollowed') })} data-testid="phone-unfollow">
              {t('action.unfollow')}
            </Button>
          ) : null}
          {openId && !following ? (
            <Button type="primary" onClick={() => run(t('action.follow'), () => oaApi.follow(appId!, openId), { side: 'system', body: t('phone.youFollowed') })} data-testid="phone-follow">
              {t('action.follow')}
            </Button>
          ) : null}
        </Space>
        <div>
          <Typography.Text type="secondary">{t('phone.scanLabel')}</Typography.Text>
          <Space.Compact style={{ width: '100%' }}>
            <Input value={scene} onChange={(e) => setScene(e.target.value)} placeholder={t('phone.scenePlaceholder')} maxLength={64} data-testid="phone-scene" />
            <Button
              icon={<QrcodeOutlined />}
              disabled={!appId || !openId || !scene.trim()}
              onClick={() => run(t('action.scan'), () => oaApi.scan(appId!, openId!, scene.trim()), { side: 'system', body: t('phone.scanned', { scene: scene.trim() }) })}
              data-testid="phone-scan"
            >
              {t('action.scan')}
            </Button>
          </Space.Compact>
        </div>
        {last ? (
          <Descriptions
            size="small"
            column={1}
            bordered
            title={t('phone.lastPush', { action: last.label })}
            data-testid="phone-last"
            items={
              last.outcome.delivery
                ? [
                    { key: 'status', label: t('field.status'), children: <DeliveryStatusTag status={last.outcome.delivery.status} /> },
                    { key: 'attempts', label: t('field.attempts'), children: last.outcome.delivery.attempts },
                    { key: 'latency', label: t('field.latency'), children: t('ms', { ms: last.outcome.delivery.latencyMs }) },
                  ]
                : [{ key: 'none', label: t('field.status'), children: t('phone.nothingPushed') }]
            }
          />
        ) : null}
        {account ? (
          <Descriptions
            size="small"
            column={1}
            title={t('phone.accountInfo')}
            items={[
              { key: 'name', label: t('field.name'), children: account.name },
              { key: 'mode', label: t('field.encryptMode'), children: t(`encryptMode.${account.encryptMode}`) },
              {
                key: 'callback',
                label: t('field.callbackUrl'),
                children: account.callbackUrl ? <Typography.Text copyable style={{ wordBreak: 'break-all' }}>{account.callbackUrl}</Typography.Text> : t('phone.noCallback'),
              },
            ]}
          />
        ) : null}
        {qiaoCallbackUrl && account?.callbackUrl && account.callbackUrl !== qiaoCallbackUrl ? (
          <Button onClick={() => pointAtQiao.mutate()} loading={pointAtQiao.isPending} data-testid="phone-point-at-qiao">
            {t('phone.useQiaoCallback')}
          </Button>
        ) : null}
        {appId ? <Link to={`/simulator/deliveries?ownerKey=${encodeURIComponent(appId)}`}>{t('phone.seeDeliveries')}</Link> : null}
      </Flex>
    </Card>
  );

  return (
    <>
      <PageHeader title={t('phone.title')} description={t('phone.description')} />
      <ErrorAlert error={accounts.error ?? followers.error ?? menu.error ?? inbox.error} />
      {account && !account.callbackUrl ? (
        <Alert
          type="warning"
          showIcon
          title={t('phone.noCallbackWarning')}
          action={
            qiaoCallbackUrl ? (
              <Button size="small" type="primary" onClick={() => pointAtQiao.mutate()} loading={pointAtQiao.isPending} data-testid="phone-alert-point-at-qiao">
                {t('phone.useQiaoCallback')}
              </Button>
            ) : undefined
          }
          style={{ marginBottom: 16 }}
        />
      ) : null}
      {!accounts.isLoading && list.length === 0 ? (
        <Empty description={t('phone.noAccounts')} />
      ) : (
        <Flex gap={24} align="flex-start" wrap>
          {controls}
          <PhoneFrame
            title={account?.name ?? ''}
            entries={entries}
            menu={following ? (menu.data ?? []) : []}
            disabled={!following}
            busy={act.isPending}
            onSendText={(text) => appId && openId && run(t('action.send'), () => oaApi.send(appId, openId, { type: 'text', content: text }), { side: 'me', body: text })}
            onPressMenu={press}
            emptyText={openId ? (following ? t('phone.emptyChat') : t('phone.followFirst')) : t('phone.pickFirst')}
          />
        </Flex>
      )}
    </>
  );
}

function toEntry(item: OaInboxItem, t: (key: string, options?: Record<string, unknown>) => string): ChatEntry {
  const view = viewInbox(item.msgType, item.content);
  if (item.source === 'notice') {
    return { id: item.id, side: 'system', at: item.createdAt, body: view.kind === 'text' ? view.text : item.msgType, tone: 'error' };
  }
  const body =
    view.kind === 'text'
      ? view.text
      : view.kind === 'articles'
        ? view.titles.map((title) => `📰 ${title}`).join('\n')
        : t('phone.media', { type: view.msgType });
  return { id: item.id, side: 'account', at: item.createdAt, body, caption: t(`source.${item.source}`, { defaultValue: item.source }) };
}

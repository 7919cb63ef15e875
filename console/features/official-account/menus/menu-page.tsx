import { CloudDownloadOutlined, HistoryOutlined, SaveOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Flex, Popconfirm, Space, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { checkMenu, sameMenu, type WeChatMenuButton } from '../../../../server/modules/official-account/menus/menu-rules.schema';
import type { MenuState } from '../../../../server/modules/official-account/menus/menus.schema';
import { isApiError } from '../../../app/api-client';
import { currentLanguage } from '../../../app/i18n';
import { useCan } from '../../../app/session';
import { useProductAccount } from '../../../components/account-picker';
import { ErrorAlert, ErrorResult } from '../../../components/error-display';
import { formatDateTime } from '../../../components/format';
import { PageHeader } from '../../../components/page-header';
import { ConditionalMenus } from './conditional-menus';
import { HistoryDrawer } from './history-drawer';
import { MenuEditor, type Selection } from './menu-editor';
import { menuApi, menuKey, versionsKey } from './menu.api';
import { useMiniProgramLock } from './use-mini-program-lock';

/** 自定义菜单: edit the default menu with a live phone preview, publish it, pull it back, roll back, and manage conditional menus. */
export function MenuPage() {
  const { t } = useTranslation('oaMenu');
  const { account, picker, empty } = useProductAccount('official_account');
  const accountId = account?.id ?? '';
  const query = useQuery({ queryKey: menuKey(accountId), queryFn: () => menuApi.get(accountId), enabled: accountId !== '' });

  return (
    <>
      <PageHeader title={t('title')} description={t('description')} extra={picker} />
      {!account ? empty : query.error ? <ErrorResult error={query.error} onRetry={() => void query.refetch()} /> : null}
      {account && query.data ? (
        <Tabs
          items={[
            { key: 'default', label: t('tab.default'), children: <DefaultMenu accountId={accountId} accountName={account.name} state={query.data} /> },
            { key: 'conditional', label: t('tab.conditional'), children: <ConditionalMenus accountId={accountId} accountName={account.name} published={query.data.published} /> },
          ]}
          data-testid="menu-tabs"
        />
      ) : null}
    </>
  );
}

/** The editor restarts from the server's menu whenever that changes (save, pull, rollback, another account). */
function DefaultMenu(props: { accountId: string; accountName: string; state: MenuState }) {
  const saved = props.state.draft?.button ?? props.state.published?.button ?? [];
  return <DefaultMenuEditor key={`${props.accountId}:${JSON.stringify(saved)}`} {...props} saved={saved} />;
}

function DefaultMenuEditor({ accountId, accountName, state, saved }: { accountId: string; accountName: string; state: MenuState; saved: WeChatMenuButton[] }) {
  const { t } = useTranslation('oaMenu');
  const canWrite = useCan()('official_account.write');
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const miniProgramLock = useMiniProgramLock(accountId);
  const [buttons, setButtons] = useState<WeChatMenuButton[]>(saved);
  const [selection, setSelection] = useState<Selection | null>(null);
  const [historyOpen, setHistoryOpen] = useState(false);

  const apply = (next: MenuState) => {
    queryClient.setQueryData(menuKey(accountId), next);
    void queryClient.invalidateQueries({ queryKey: versionsKey(accountId) });
  };
  const refresh = () => void queryClient.invalidateQueries({ queryKey: menuKey(accountId) });
  const dirty = !sameMenu({ button: buttons }, { button: state.draft?.button ?? [] });
  const issues = buttons.length === 0 ? [] : checkMenu({ button: buttons });
  const unpublished = state.draft !== null && (state.published === null || !sameMenu(state.draft, state.published));

  const save = useMutation({
    mutationFn: () => menuApi.saveDraft(accountId, buttons),
    onSuccess: (next) => {
      apply(next);
      void message.success(t('message.saved'));
    },
  });
  const publish = useMutation({
    mutationFn: async () => {
      if (dirty) await menuApi.saveDraft(accountId, buttons);
      return menuApi.publish(accountId);
    },
    onSuccess: (next) => {
      apply(next);
      void message.success(t('message.published', { version: next.publishedVersion }));
    },
    onError: refresh,
  });
  const pull = useMutation({
    mutationFn: () => menuApi.pull(accountId),
    onSuccess: (next) => {
      apply(next);
      void message.success(t('message.pulled'));
    },
  });
  const error = save.error ?? publish.error ?? pull.error;
  const language = currentLanguage();

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={12}>
        <Space wrap data-testid="menu-status">
          {state.publishedVersion !== null ? (
            <Tag color="success">{t('status.published', { version: state.publishedVersion, at: formatDateTime(state.publishedAt) })}</Tag>
          ) : (
            <Tag>{t('status.nothingPublished')}</Tag>
          )}
          {unpublished ? <Tag color="warning">{t('status.unpublished')}</Tag> : null}
          {dirty ? <Tag color="processing">{t('status.dirty')}</Tag> : null}
        </Space>
        <Space wrap>
          <Button icon={<HistoryOutlined />} onClick={() => setHistoryOpen(true)} data-testid="menu-history">
            {t('action.history')}
          </Button>
          {canWrite ? (
            <>
              <Popconfirm title={t('confirm.pull')} onConfirm={() => pull.mutate()} okButtonProps={{ 'data-testid': 'menu-pull-confirm' } as Record<string, string>}>
                <Button icon={<CloudDownloadOutlined />} loading={pull.isPending} data-testid="menu-pull">
                  {t('action.pull')}
                </Button>
              </Popconfirm>
              <Button icon={<SaveOutlined />} onClick={() => save.mutate()} loading={save.isPending} disabled={issues.length > 0 || !dirty} data-testid="menu-save">
                {t('action.save')}
              </Button>
              <Popconfirm title={t('confirm.publish')} onConfirm={() => publish.mutate()} okButtonProps={{ 'data-testid': 'menu-publish-confirm' } as Record<string, string>}>
                <Button type="primary" icon={<SendOutlined />} loading={publish.isPending} disabled={issues.length > 0 || buttons.length === 0} data-testid="menu-publish">
                  {t('action.publish')}
                </Button>
              </Popconfirm>
            </>
          ) : null}
        </Space>
      </Flex>
      {state.lastFailure ? (
        <Alert
          type="error"
          showIcon
          data-testid="menu-last-failure"
          title={t('status.lastFailure', {
            version: state.lastFailure.version,
            errcode: state.lastFailure.errcode ?? '—',
            meaning: state.lastFailure.meaning[language],
            at: formatDateTime(state.lastFailure.at),
          })}
        />
      ) : null}
      {state.reconciled ? (
        <Alert
          type={state.reconciled.outcome === 'applied' ? 'info' : 'warning'}
          showIcon
          closable
          title={t(`status.reconciled.${state.reconciled.outcome}`, { version: state.reconciled.version })}
          description={state.reconciled.pulledVersion ? t('status.reconciledPulled', { version: state.reconciled.pulledVersion }) : undefined}
        />
      ) : null}
      {error && !(isApiError(error) && error.code === 'OA_MENU_PUBLISH_REFUSED' && state.lastFailure) ? <ErrorAlert error={error} /> : null}
      <MenuEditor
        buttons={buttons}
        onChange={setButtons}
        selection={selection}
        onSelect={setSelection}
        title={accountName}
        readOnly={!canWrite}
        miniProgramLock={miniProgramLock}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('editor.refreshNote')}
      </Typography.Text>
      <HistoryDrawer accountId={accountId} open={historyOpen} onClose={() => setHistoryOpen(false)} currentVersion={state.publishedVersion} onRolledBack={apply} />
    </Flex>
  );
}

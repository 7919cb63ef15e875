import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-display';
import { formatDateTime } from '../../../components/format';
import { contactWaysApi, contactWaysKey, type WelcomeMessage } from './contact-ways.api';
import { emptyWelcome, WelcomeEditor } from './welcome-editor';

/** The corp's default welcome message: sent when a code has none, or the customer came another way. */
export function WelcomeSettings({ accountId, writable }: { accountId: string; writable: boolean }) {
  const { t } = useTranslation('wecomContactWays');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const key = [...contactWaysKey(accountId), 'default-welcome'];
  const current = useQuery({ queryKey: key, queryFn: () => contactWaysApi.defaultWelcome(accountId) });
  // The editor starts from what was saved; after a save the saved value is the new start.
  const [draft, setDraft] = useState<{ from: unknown; value: WelcomeMessage } | null>(null);
  const value = draft && draft.from === current.data ? draft.value : (current.data?.message ?? emptyWelcome);
  const edit = (next: WelcomeMessage) => setDraft({ from: current.data, value: next });

  const save = useMutation({
    mutationFn: (next: WelcomeMessage | null) => contactWaysApi.setDefaultWelcome(accountId, next),
    onSuccess: (saved) => {
      queryClient.setQueryData(key, saved);
      void message.success(t('welcome.saved'));
    },
  });

  return (
    <Card size="small" title={t('welcome.defaultTitle')} loading={current.isLoading}>
      <Flex vertical gap={12}>
        <Alert type="info" showIcon message={t('welcome.window')} description={t('welcome.windowHelp')} />
        <ErrorAlert error={current.error ?? save.error} />
        <WelcomeEditor accountId={accountId} value={value} onChange={edit} />
        <Flex justify="space-between" align="center">
          <Typography.Text type="secondary">
            {current.data?.updatedAt ? t('welcome.updatedAt', { at: formatDateTime(current.data.updatedAt) }) : t('welcome.notSet')}
          </Typography.Text>
          {writable ? (
            <Space>
              <Button disabled={!current.data?.message} loading={save.isPending && save.variables === null} onClick={() => save.mutate(null)}>
                {t('welcome.clear')}
              </Button>
              <Button type="primary" loading={save.isPending && save.variables !== null} onClick={() => save.mutate(value)} data-testid="welcome-default-save">
                {t('common:action.save')}
              </Button>
            </Space>
          ) : null}
        </Flex>
      </Flex>
    </Card>
  );
}

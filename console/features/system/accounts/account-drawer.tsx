import { MinusCircleOutlined, PlusOutlined, SyncOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Descriptions, Drawer, Flex, Form, Input, Popconfirm, Radio, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Account, EncryptMode, UpdateAccountBody } from '../../../../server/modules/system/accounts/accounts.schema';
import { useCan } from '../../../app/session';
import { ErrorAlert, ErrorResult, applyFieldErrors, errorMessage } from '../../../components/error-display';
import { formatDateTime } from '../../../components/format';
import { AccountTypeTag, CallbackValues, HealthCell, receiverLabel, TestResultView } from './account-parts';
import { accountsApi, accountsQueryKey } from './accounts.api';

export type DrawerSection = 'overview' | 'callbacks' | 'edit';

interface EditForm {
  name: string;
  appSecret?: string;
  encryptMode?: EncryptMode;
  secrets?: Record<string, string | undefined>;
  newApps?: { agentId?: string; secret?: string }[];
}

function toUpdateBody(account: Account, values: EditForm): UpdateAccountBody {
  const body: UpdateAccountBody = { name: values.name };
  if (account.type === 'official_account') {
    if (values.appSecret?.trim()) body.appSecret = values.appSecret;
    if (values.encryptMode) body.encryptMode = values.encryptMode;
    return body;
  }
  const receivers = [
    ...Object.entries(values.secrets ?? {})
      .filter(([, secret]) => secret?.trim())
      .map(([receiver, secret]) => ({ receiver, secret: secret ?? '' })),
    ...(values.newApps ?? []).filter((app) => app.agentId?.trim()).map((app) => ({ receiver: app.agentId?.trim() ?? '', secret: app.secret ?? '' })),
  ];
  if (receivers.length > 0) body.receivers = receivers;
  return body;
}

/** One account: health, the callback values to paste into WeChat, key rotation and write-only secrets. */
export function AccountDrawer({ accountId, section, onClose }: { accountId: string | null; section: DrawerSection; onClose: () => void }) {
  const { t } = useTranslation('accounts');
  const query = useQuery({ queryKey: [...accountsQueryKey, 'detail', accountId], queryFn: () => accountsApi.get(accountId ?? ''), enabled: accountId !== null });
  const account = query.data;

  return (
    <Drawer open={accountId !== null} onClose={onClose} size={720} title={account ? account.name : t('drawer.title')} destroyOnHidden data-testid="account-drawer">
      {query.error ? <ErrorResult error={query.error} onRetry={() => void query.refetch()} /> : null}
      {account ? <AccountTabs account={account} section={section} /> : null}
    </Drawer>
  );
}

/** Mounted per opening (the drawer destroys its content when hidden), so it starts on the section asked for. */
function AccountTabs({ account, section }: { account: Account; section: DrawerSection }) {
  const { t } = useTranslation('accounts');
  const [tab, setTab] = useState<DrawerSection>(section);
  return (
    <Tabs
      activeKey={tab}
      onChange={(key) => setTab(key as DrawerSection)}
      items={[
        { key: 'overview', label: t('drawer.overview'), children: <Overview account={account} /> },
        { key: 'callbacks', label: t('drawer.callbacks'), children: <Callbacks account={account} /> },
        { key: 'edit', label: t('drawer.edit'), children: <EditSecrets account={account} /> },
      ]}
    />
  );
}

function Overview({ account }: { account: Account }) {
  const { t } = useTranslation('accounts');
  const can = useCan();
  const test = useMutation({ mutationFn: () => accountsApi.test(account.id) });
  return (
    <Flex vertical gap={16}>
      <Descriptions size="small" column={1} bordered styles={{ label: { width: 160 } }}>
        <Descriptions.Item label={t('field.type')}>
          <AccountTypeTag account={account} />
        </Descriptions.Item>
        <Descriptions.Item label={account.type === 'wecom' ? t('label.corpId', { code: 'CorpID' }) : t('label.appId', { code: 'AppID' })}>
          <Typography.Text code copyable>
            {account.appId ?? account.corpId}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('field.mode')}>
          {account.type === 'official_account' ? t(`mode.${account.encryptMode}.label`) : t('mode.wecom')}
        </Descriptions.Item>
        <Descriptions.Item label={t('field.receiverList')}>{account.callbacks.map((c) => receiverLabel(t, c.receiver)).join('、')}</Descriptions.Item>
        <Descriptions.Item label={t('field.apiBaseUrl')}>
          <Typography.Text code>{account.apiBaseUrl}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('field.health')}>
          <HealthCell health={account.health} />
        </Descriptions.Item>
        <Descriptions.Item label={t('field.createdAt')}>{formatDateTime(account.createdAt)}</Descriptions.Item>
        <Descriptions.Item label={t('field.updatedAt')}>{formatDateTime(account.updatedAt)}</Descriptions.Item>
      </Descriptions>
      <Flex gap={8}>
        {can('accounts.write') ? (
          <Button type="primary" loading={test.isPending} onClick={() => test.mutate()} data-testid="drawer-test">
            {t('action.test')}
          </Button>
        ) : null}
        <Link to={`/accounts/api-calls?accountId=${account.id}`}>
          <Button data-testid="drawer-api-calls">{t('action.apiCallsOfAccount')}</Button>
        </Link>
      </Flex>
      <ErrorAlert error={test.error} />
      {test.data ? <TestResultView result={test.data} apiBaseUrl={account.apiBaseUrl} /> : null}
    </Flex>
  );
}

function Callbacks({ account }: { account: Account }) {
  const { t } = useTranslation('accounts');
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const rotate = useMutation({
    mutationFn: (receiver: string) =>
      accountsApi.update(
        account.id,
        account.type === 'official_account' ? { regenerateEncodingAesKey: true } : { receivers: [{ receiver, regenerateEncodingAesKey: true }] },
      ),
    onSuccess: () => {
      void message.success(t('rotate.done'));
      void queryClient.invalidateQueries({ queryKey: accountsQueryKey });
    },
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });
  const removeReceiver = useMutation({
    mutationFn: (receiver: string) => accountsApi.update(account.id, { removeReceivers: [receiver] }),
    onSuccess: () => {
      void message.success(t('message.receiverRemoved'));
      void queryClient.invalidateQueries({ queryKey: accountsQueryKey });
    },
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });
  return (
    <CallbackValues
      account={account}
      renderExtra={(callback) =>
        can('accounts.write') ? (
          <Flex gap={4}>
            <Popconfirm
              title={t('rotate.title')}
              description={<div style={{ maxWidth: 320 }}>{t('rotate.description')}</div>}
              okText={t('rotate.ok')}
              onConfirm={() => rotate.mutateAsync(callback.receiver)}
            >
              <Button size="small" icon={<SyncOutlined />} loading={rotate.isPending && rotate.variables === callback.receiver} data-testid={`rotate-${callback.receiver}`}>
                {t('rotate.ok')}
              </Button>
            </Popconfirm>
            {account.type === 'wecom' && account.callbacks.length > 1 ? (
              <Popconfirm
                title={t('removeReceiver.title', { receiver: receiverLabel(t, callback.receiver) })}
                description={t('removeReceiver.description')}
                okText={t('removeReceiver.ok')}
                okButtonProps={{ danger: true }}
                onConfirm={() => removeReceiver.mutateAsync(callback.receiver)}
              >
                <Button size="small" danger data-testid={`remove-receiver-${callback.receiver}`}>
                  {t('removeReceiver.ok')}
                </Button>
              </Popconfirm>
            ) : null}
          </Flex>
        ) : null
      }
    />
  );
}

function EditSecrets({ account }: { account: Account }) {
  const { t } = useTranslation('accounts');
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<EditForm>();
  const save = useMutation({
    mutationFn: (values: EditForm) => accountsApi.update(account.id, toUpdateBody(account, values)),
    onSuccess: () => {
      void message.success(t('message.updated'));
      form.resetFields(['appSecret', 'secrets', 'newApps']);
      void queryClient.invalidateQueries({ queryKey: accountsQueryKey });
    },
    onError: (error) => applyFieldErrors(form, error),
  });
  const keep = t('edit.keepPlaceholder');
  return (
    <>
      <Typography.Paragraph type="secondary">{t('edit.writeOnly')}</Typography.Paragraph>
      <ErrorAlert error={save.error} />
      <Form<EditForm>
        form={form}
        layout="vertical"
        disabled={!can('accounts.write')}
        initialValues={{ name: account.name, encryptMode: account.encryptMode }}
        onFinish={(values) => save.mutate(values)}
      >
        <Form.Item name="name" label={t('field.name')} rules={[{ required: true, message: t('form.nameRequired') }, { max: 100 }]}>
          <Input data-testid="edit-name" />
        </Form.Item>
        {account.type === 'official_account' ? (
          <>
            <Form.Item name="appSecret" label={t('label.appSecret', { code: 'AppSecret' })} extra={t('form.appSecretHint')}>
              <Input.Password autoComplete="new-password" placeholder={keep} visibilityToggle={false} data-testid="edit-app-secret" />
            </Form.Item>
            <Form.Item name="encryptMode" label={t('form.encryptMode')} extra={t('edit.modeHint')}>
              <Radio.Group options={(['plain', 'compatible', 'safe'] as const).map((m) => ({ value: m, label: t(`mode.${m}.label`) }))} />
            </Form.Item>
          </>
        ) : (
          <>
            {account.callbacks.map((c) => (
              <Form.Item key={c.receiver} name={['secrets', c.receiver]} label={t('edit.secretOf', { receiver: receiverLabel(t, c.receiver) })}>
                <Input.Password autoComplete="new-password" placeholder={keep} visibilityToggle={false} data-testid={`edit-secret-${c.receiver}`} />
              </Form.Item>
            ))}
            <Form.Item label={t('edit.addApps')} extra={t('edit.addAppsHint')}>
              <Form.List name="newApps">
                {(fields, { add, remove }) => (
                  <Flex vertical gap={8}>
                    {fields.map((field) => (
                      <Flex key={field.key} gap={8} align="baseline">
                        <Form.Item name={[field.name, 'agentId']} rules={[{ required: true, pattern: /^\d{1,10}$/, message: t('form.agentIdPattern') }]} style={{ width: 160, marginBottom: 0 }}>
                          <Input placeholder={t('label.agentId')} />
                        </Form.Item>
                        <Form.Item name={[field.name, 'secret']} rules={[{ required: true, message: t('form.secretRequired') }]} style={{ flex: 1, marginBottom: 0 }}>
                          <Input.Password autoComplete="new-password" placeholder={t('label.secret')} visibilityToggle={false} />
                        </Form.Item>
                        <MinusCircleOutlined onClick={() => remove(field.name)} aria-label={t('common:action.remove')} />
                      </Flex>
                    ))}
                    <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})}>
                      {t('form.addApp')}
                    </Button>
                  </Flex>
                )}
              </Form.List>
            </Form.Item>
          </>
        )}
        <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="edit-save">
          {t('common:action.save')}
        </Button>
      </Form>
    </>
  );
}

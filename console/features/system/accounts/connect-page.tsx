import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Collapse, Flex, Form, Input, Radio, Steps, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Account, AccountType } from '../../../../server/modules/system/accounts/accounts.schema';
import { isApiError } from '../../../app/api-client';
import { ErrorAlert } from '../../../components/error-display';
import { PageHeader } from '../../../components/page-header';
import { CallbackValues, TestResultView } from './account-parts';
import { accountsApi, accountsQueryKey } from './accounts.api';
import { type ConnectForm, fieldErrorsFor, toCreateBody } from './connect-form';

const modes = ['safe', 'compatible', 'plain'] as const;

/** 接入账号 wizard: type → credentials and mode → the values to paste into WeChat, then a connection test. */
export function ConnectPage() {
  const { t } = useTranslation('accounts');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ConnectForm>();
  const [step, setStep] = useState(0);
  const [type, setType] = useState<AccountType>('official_account');
  const [created, setCreated] = useState<Account | null>(null);

  const create = useMutation({
    mutationFn: (values: ConnectForm) => accountsApi.create(toCreateBody(type, values).body),
    onSuccess: (account) => {
      setCreated(account);
      setStep(2);
      void queryClient.invalidateQueries({ queryKey: accountsQueryKey });
    },
    onError: (error) => {
      if (!isApiError(error)) return;
      const known = new Set(Object.keys(form.getFieldsValue(true) as Record<string, unknown>));
      const { receiverPaths } = toCreateBody(type, form.getFieldsValue(true) as ConnectForm);
      form.setFields(fieldErrorsFor(error.fieldErrors, receiverPaths, known).placed as Parameters<typeof form.setFields>[0]);
    },
  });
  const test = useMutation({ mutationFn: (id: string) => accountsApi.test(id) });

  return (
    <>
      <PageHeader title={t('connect.title')} description={t('connect.description')} />
      <Card>
        <Steps
          current={step}
          style={{ marginBottom: 24 }}
          items={[{ title: t('connect.stepType') }, { title: t('connect.stepCredentials') }, { title: t('connect.stepPaste') }]}
          data-testid="connect-steps"
        />
        {step === 0 ? (
          <Flex vertical gap={16} style={{ maxWidth: 820 }}>
            <Radio.Group value={type} onChange={(e) => setType(e.target.value as AccountType)} style={{ width: '100%' }}>
              <Flex gap={16}>
                {(['official_account', 'wecom'] as const).map((option) => (
                  <Card
                    key={option}
                    hoverable
                    onClick={() => setType(option)}
                    style={{ flex: 1, borderColor: type === option ? '#1677ff' : undefined }}
                    data-testid={`connect-type-${option}`}
                  >
                    <Radio value={option}>
                      <Typography.Text strong>{t(`type.${option}`)}</Typography.Text>
                    </Radio>
                    <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
                      {t(`connect.typeDescription.${option}`)}
                    </Typography.Paragraph>
                  </Card>
                ))}
              </Flex>
            </Radio.Group>
            <div>
              <Button type="primary" onClick={() => setStep(1)} data-testid="connect-next">
                {t('connect.next')}
              </Button>
            </div>
          </Flex>
        ) : null}
        {step === 1 ? (
          <div style={{ maxWidth: 820 }}>
            <ErrorAlert error={create.error && !(isApiError(create.error) && create.error.fieldErrors.length > 0) ? create.error : null} />
            <Form<ConnectForm>
              form={form}
              layout="vertical"
              initialValues={{ encryptMode: 'safe', apps: [{}] }}
              onFinish={(values) => create.mutate(values)}
              data-testid="connect-form"
            >
              <Form.Item name="name" label={t('field.name')} extra={t('form.nameHint')} rules={[{ required: true, message: t('form.nameRequired') }, { max: 100 }]}>
                <Input data-testid="connect-name" />
              </Form.Item>
              {type === 'official_account' ? <OfficialAccountFields /> : <WecomFields />}
              <Collapse
                ghost
                style={{ marginBottom: 16 }}
                items={[
                  {
                    key: 'advanced',
                    label: t('form.advanced'),
                    children: (
                      <>
                        {type === 'official_account' ? (
                          <>
                            <Form.Item name="token" label={t('label.token', { code: 'Token' })} extra={t('form.tokenHint')} rules={[{ pattern: /^[A-Za-z0-9]{3,32}$/, message: t('form.tokenPattern') }]}>
                              <Input data-testid="connect-token" />
                            </Form.Item>
                            <Form.Item name="encodingAesKey" label={t('label.aesKey', { code: 'EncodingAESKey' })} extra={t('form.aesKeyHint')} rules={[{ pattern: /^[A-Za-z0-9]{43}$/, message: t('form.aesKeyPattern') }]}>
                              <Input data-testid="connect-aes-key" />
                            </Form.Item>
                          </>
                        ) : null}
                        <Form.Item name="apiBaseUrl" label={t('field.apiBaseUrl')} extra={t('form.apiBaseUrlHint')}>
                          <Input placeholder={type === 'wecom' ? 'https://qyapi.weixin.qq.com' : 'https://api.weixin.qq.com'} data-testid="connect-api-base-url" />
                        </Form.Item>
                      </>
                    ),
                  },
                ]}
              />
              <Flex gap={8}>
                <Button onClick={() => setStep(0)} data-testid="connect-back">
                  {t('connect.back')}
                </Button>
                <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="connect-submit">
                  {t('connect.submit')}
                </Button>
              </Flex>
            </Form>
          </div>
        ) : null}
        {step === 2 && created ? (
          <Flex vertical gap={16} style={{ maxWidth: 900 }}>
            <Alert type="success" showIcon title={t('connect.created', { name: created.name })} description={t('connect.pasteIntro')} />
            <CallbackValues account={created} />
            <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
              {t('connect.testIntro')}
            </Typography.Paragraph>
            <Flex gap={8}>
              <Button loading={test.isPending} onClick={() => test.mutate(created.id)} data-testid="connect-test">
                {t('action.test')}
              </Button>
              <Button type="primary" onClick={() => void navigate('/accounts')} data-testid="connect-done">
                {t('connect.done')}
              </Button>
            </Flex>
            <ErrorAlert error={test.error} />
            {test.data ? <TestResultView result={test.data} apiBaseUrl={created.apiBaseUrl} /> : null}
          </Flex>
        ) : null}
      </Card>
    </>
  );
}

function OfficialAccountFields() {
  const { t } = useTranslation('accounts');
  return (
    <>
      <Form.Item name="appId" label={t('label.appId', { code: 'AppID' })} extra={t('form.appIdHint', { prefix: 'wx' })} rules={[{ required: true, message: t('form.appIdRequired') }, { pattern: /^wx[0-9A-Za-z]{16}$/, message: t('form.appIdPattern', { prefix: 'wx' }) }]}>
        <Input placeholder="wx…" data-testid="connect-app-id" />
      </Form.Item>
      <Form.Item name="appSecret" label={t('label.appSecret', { code: 'AppSecret' })} extra={t('form.appSecretHint')} rules={[{ required: true, message: t('form.secretRequired') }, { max: 128 }]}>
        <Input.Password autoComplete="new-password" data-testid="connect-app-secret" />
      </Form.Item>
      <Form.Item name="encryptMode" label={t('form.encryptMode')} extra={t('form.encryptModeHint')}>
        <Radio.Group style={{ width: '100%' }}>
          <Flex vertical gap={8}>
            {modes.map((mode) => (
              <Radio key={mode} value={mode} data-testid={`connect-mode-${mode}`}>
                <Typography.Text strong>{t(`mode.${mode}.label`)}</Typography.Text>
                {mode === 'safe' ? (
                  <Tag color="green" style={{ marginLeft: 8 }}>
                    {t('mode.recommended')}
                  </Tag>
                ) : null}
                <Typography.Paragraph type="secondary" style={{ margin: 0, fontSize: 13 }}>
                  {t(`mode.${mode}.description`)}
                </Typography.Paragraph>
              </Radio>
            ))}
          </Flex>
        </Radio.Group>
      </Form.Item>
    </>
  );
}

function WecomFields() {
  const { t } = useTranslation('accounts');
  return (
    <>
      <Form.Item name="corpId" label={t('label.corpId', { code: 'CorpID' })} extra={t('form.corpIdHint')} rules={[{ required: true, message: t('form.corpIdRequired') }, { pattern: /^(ww|wx)[0-9A-Za-z]{16}$/, message: t('form.corpIdPattern', { prefix: 'ww', oldPrefix: 'wx' }) }]}>
        <Input placeholder="ww…" data-testid="connect-corp-id" />
      </Form.Item>
      <Form.Item label={t('form.apps')} extra={t('form.appsHint')}>
        <Form.List name="apps">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8}>
              {fields.map((field) => (
                <Flex key={field.key} gap={8} align="baseline">
                  <Form.Item name={[field.name, 'agentId']} rules={[{ pattern: /^\d{1,10}$/, message: t('form.agentIdPattern') }]} style={{ width: 180, marginBottom: 0 }}>
                    <Input placeholder={t('label.agentId')} data-testid={`connect-agent-id-${field.name}`} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'secret']} style={{ flex: 1, marginBottom: 0 }}>
                    <Input.Password autoComplete="new-password" placeholder={t('label.secret')} data-testid={`connect-agent-secret-${field.name}`} />
                  </Form.Item>
                  {fields.length > 1 ? <MinusCircleOutlined onClick={() => remove(field.name)} aria-label={t('common:action.remove')} /> : null}
                </Flex>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} style={{ width: 200 }}>
                {t('form.addApp')}
              </Button>
            </Flex>
          )}
        </Form.List>
      </Form.Item>
      <Form.Item name="contactsSecret" label={t('form.contactsSecret')} extra={t('form.contactsSecretHint')}>
        <Input.Password autoComplete="new-password" data-testid="connect-contacts-secret" />
      </Form.Item>
      <Form.Item
        name="customerContactSecret"
        label={t('form.customerContactSecret')}
        extra={t('form.customerContactSecretHint')}
        dependencies={['apps', 'contactsSecret']}
        rules={[
          ({ getFieldValue }) => ({
            validator: async (_rule, value: string | undefined) => {
              const apps = (getFieldValue('apps') as ConnectForm['apps']) ?? [];
              if (value?.trim() || getFieldValue('contactsSecret') || apps.some((a) => a.agentId && a.secret)) return;
              throw new Error(t('form.receiverRequired'));
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="connect-customer-contact-secret" />
      </Form.Item>
    </>
  );
}

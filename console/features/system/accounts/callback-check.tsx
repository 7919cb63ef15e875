import { CheckCircleFilled, CloseCircleFilled, ExclamationCircleFilled } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Form, Input, List, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Account, CallbackCheckResult, CallbackCheckStep } from '../../../../server/modules/system/accounts/accounts.schema';
import { ErrorAlert } from '../../../components/error-display';
import { accountsApi } from './accounts.api';

const statusIcon: Record<CallbackCheckStep['status'], React.ReactNode> = {
  ok: <CheckCircleFilled style={{ color: '#07c160' }} />,
  warn: <ExclamationCircleFilled style={{ color: '#faad14' }} />,
  fail: <CloseCircleFilled style={{ color: '#ff4d4f' }} />,
};

function StepsView({ receiver }: { receiver: CallbackCheckResult['receivers'][number] }) {
  const { t } = useTranslation('accounts');
  return (
    <Card size="small" title={t('callbackCheck.receiver', { receiver: receiver.receiver })} data-testid={`callback-check-${receiver.receiver}`}>
      <Typography.Text type="secondary" copyable style={{ wordBreak: 'break-all' }}>
        {receiver.url}
      </Typography.Text>
      <List
        size="small"
        dataSource={receiver.steps}
        renderItem={(step) => (
          <List.Item data-testid={`callback-check-step-${step.step}`} data-status={step.status}>
            <Flex gap={10} align="flex-start">
              <span style={{ fontSize: 16 }}>{statusIcon[step.status]}</span>
              <div>
                <Typography.Text strong>{t(`callbackCheck.step.${step.step}`)}</Typography.Text>
                <div>{t(`callbackCheck.code.${step.code}`, step.details)}</div>
              </div>
            </Flex>
          </List.Item>
        )}
      />
    </Card>
  );
}

/** 回调自检: replays WeChat's verification against the account's callback URLs and names the failing step. */
export function CallbackCheckModal({ account, onClose }: { account: Account | null; onClose: () => void }) {
  const { t } = useTranslation('accounts');
  const [form] = Form.useForm<{ baseUrl?: string }>();
  const check = useMutation({
    mutationFn: (values: { baseUrl?: string }) => accountsApi.checkCallbacks(account!.id, values.baseUrl ? { baseUrl: values.baseUrl.trim() } : {}),
  });
  const close = () => {
    check.reset();
    form.resetFields();
    onClose();
  };
  return (
    <Modal
      open={account !== null}
      width={680}
      title={t('callbackCheck.title', { name: account?.name })}
      onCancel={close}
      footer={
        <Button onClick={close} data-testid="callback-check-close">
          {t('common:action.close')}
        </Button>
      }
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('callbackCheck.description')}</Typography.Paragraph>
      <Form form={form} layout="inline" onFinish={(values) => check.mutate(values)} style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item name="baseUrl" label={t('callbackCheck.baseUrl')} tooltip={t('callbackCheck.baseUrlHelp')} style={{ flex: 1 }}>
          <Input placeholder={t('callbackCheck.baseUrlPlaceholder')} allowClear data-testid="callback-check-base-url" />
        </Form.Item>
        <Form.Item style={{ marginInlineEnd: 0 }}>
          <Button type="primary" htmlType="submit" loading={check.isPending} data-testid="callback-check-run">
            {t('callbackCheck.run')}
          </Button>
        </Form.Item>
      </Form>
      {check.error ? <ErrorAlert error={check.error} /> : null}
      {check.data ? (
        <Flex vertical gap={12}>
          <Alert
            type={check.data.ok ? 'success' : 'error'}
            showIcon
            message={check.data.ok ? t('callbackCheck.passed') : t('callbackCheck.failed')}
            data-testid="callback-check-summary"
          />
          {check.data.receivers.map((receiver) => (
            <StepsView key={receiver.receiver} receiver={receiver} />
          ))}
        </Flex>
      ) : null}
    </Modal>
  );
}

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, DatePicker, Form, Input, Modal, Select, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { roleRank, roles, type Role } from '../../../../common/permissions';
import type { CreatedApiKey } from '../../../../server/modules/system/api-keys/api-keys.schema';
import { useMe } from '../../../app/session';
import { ErrorAlert, applyFieldErrors } from '../../../components/error-display';
import { apiKeysApi, apiKeysQueryKey } from './api-keys.api';

interface CreateForm {
  name: string;
  role?: Role;
  expiresAt?: Dayjs;
}

/** Creates a key and shows its secret this one time, with a copy button and a warning. */
export function CreateApiKeyModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation('apiKeys');
  const me = useMe();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CreateForm>();
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const create = useMutation({
    mutationFn: (values: CreateForm) =>
      apiKeysApi.create({ name: values.name, role: values.role, expiresAt: values.expiresAt ? values.expiresAt.endOf('day').toISOString() : undefined }),
    onSuccess: (key) => {
      setCreated(key);
      void queryClient.invalidateQueries({ queryKey: apiKeysQueryKey });
    },
    onError: (error) => applyFieldErrors(form, error),
  });

  const close = () => {
    setCreated(null);
    create.reset();
    form.resetFields();
    onClose();
  };

  if (created) {
    return (
      <Modal
        open={open}
        title={t('created.title')}
        onCancel={close}
        maskClosable={false}
        footer={
          <Button type="primary" onClick={close} data-testid="api-key-done">
            {t('created.done')}
          </Button>
        }
      >
        <Alert type="warning" showIcon title={t('created.warning')} style={{ marginBottom: 16 }} />
        <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>
          {t('created.nameLabel', { name: created.name })}
        </Typography.Paragraph>
        <Typography.Paragraph
          code
          copyable={{ text: created.key, tooltips: [t('created.copy'), t('created.copied')] }}
          style={{ fontSize: 14, wordBreak: 'break-all', padding: '8px 0' }}
          data-testid="api-key-secret"
        >
          {created.key}
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t('created.usage')}
        </Typography.Paragraph>
        <Typography.Paragraph code style={{ fontSize: 12 }}>
          {'Authorization: Bearer ' + created.key.slice(0, 10) + '…'}
        </Typography.Paragraph>
      </Modal>
    );
  }

  return (
    <Modal
      open={open}
      title={t('create.title')}
      onCancel={close}
      onOk={() => form.submit()}
      okText={t('create.submit')}
      okButtonProps={{ 'data-testid': 'api-key-create-submit' } as Record<string, string>}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      <ErrorAlert error={create.error} />
      <Form<CreateForm> form={form} layout="vertical" onFinish={(values) => create.mutate(values)}>
        <Form.Item name="name" label={t('field.name')} extra={t('create.nameHint')} rules={[{ required: true, message: t('create.nameRequired') }, { max: 100 }]}>
          <Input data-testid="api-key-name" />
        </Form.Item>
        <Form.Item name="role" label={t('common:field.role')} extra={t('create.roleHint')}>
          <Select
            allowClear
            placeholder={t('create.rolePlaceholder', { role: t(`common:role.${me.role}`) })}
            options={roles.filter((r) => roleRank[r] <= roleRank[me.role]).map((r) => ({ value: r, label: t(`common:role.${r}`) }))}
          />
        </Form.Item>
        <Form.Item name="expiresAt" label={t('field.expiresAt')} extra={t('create.expiresHint')}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isBefore(new Date(), 'day')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

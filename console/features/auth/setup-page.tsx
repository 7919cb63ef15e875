import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router';
import type { SetupBody } from '../../../server/modules/system/auth/auth.schema';
import { setCsrfToken } from '../../app/api-client';
import { ErrorAlert, applyFieldErrors } from '../../components/error-display';
import { FullPageSpin } from '../../components/full-page-spin';
import { AuthFrame } from './auth-frame';
import { authApi, meQueryKey, setupQueryKey } from './auth.api';

type SetupForm = SetupBody & { confirmPassword: string };

/** First run: creates the super admin and signs them in. */
export function SetupPage() {
  const { t } = useTranslation('auth');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<SetupForm>();
  const status = useQuery({ queryKey: setupQueryKey, queryFn: authApi.setupStatus, staleTime: Infinity });
  const setup = useMutation({
    mutationFn: authApi.setup,
    onSuccess: ({ user }) => {
      setCsrfToken(user.csrfToken ?? null);
      queryClient.setQueryData(setupQueryKey, { needed: false });
      queryClient.setQueryData(meQueryKey, user);
      void navigate('/', { replace: true });
    },
    onError: (error) => applyFieldErrors(form, error),
  });

  if (status.isPending) return <FullPageSpin />;
  // Once this page itself created the admin, the signed-in user goes home, not to login.
  if (status.data && !status.data.needed) return <Navigate to={setup.isSuccess ? '/' : '/login'} replace />;

  return (
    <AuthFrame title={t('setup.title')} subtitle={t('setup.subtitle')}>
      <Alert type="info" showIcon title={t('setup.notice')} style={{ marginBottom: 20 }} />
      <ErrorAlert error={setup.error} />
      <Form<SetupForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={({ confirmPassword: _confirm, ...body }) => setup.mutate(body)}
      >
        <Form.Item
          name="username"
          label={t('field.username')}
          extra={t('setup.usernameHint')}
          rules={[
            { required: true, message: t('validation.usernameRequired') },
            { pattern: /^[A-Za-z0-9._@-]+$/, message: t('validation.usernamePattern') },
            { max: 64 },
          ]}
        >
          <Input autoComplete="username" autoFocus data-testid="setup-username" />
        </Form.Item>
        <Form.Item name="displayName" label={t('field.displayName')} rules={[{ required: true, message: t('validation.displayNameRequired') }, { max: 100 }]}>
          <Input data-testid="setup-display-name" />
        </Form.Item>
        <Form.Item name="password" label={t('field.password')} rules={[{ required: true, message: t('validation.passwordRequired') }, { max: 200 }]}>
          <Input.Password autoComplete="new-password" data-testid="setup-password" />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label={t('field.confirmPassword')}
          dependencies={['password']}
          rules={[
            { required: true, message: t('validation.confirmRequired') },
            ({ getFieldValue }) => ({
              validator: (_rule, value) =>
                !value || value === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('validation.passwordMismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="setup-confirm-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" size="large" block loading={setup.isPending} data-testid="setup-submit">
          {t('setup.submit')}
        </Button>
      </Form>
    </AuthFrame>
  );
}

import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import type { LoginBody } from '../../../server/modules/system/auth/auth.schema';
import { setCsrfToken } from '../../app/api-client';
import { ErrorAlert } from '../../components/error-display';
import { FullPageSpin } from '../../components/full-page-spin';
import { AuthFrame } from './auth-frame';
import { authApi, meQueryKey, setupQueryKey } from './auth.api';

/** Only same-site paths, so a crafted link cannot send users elsewhere after login. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage() {
  const { t } = useTranslation('auth');
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const setup = useQuery({ queryKey: setupQueryKey, queryFn: authApi.setupStatus, staleTime: Infinity });
  const login = useMutation({
    mutationFn: authApi.login,
    onSuccess: ({ user }) => {
      setCsrfToken(user.csrfToken ?? null);
      queryClient.setQueryData(meQueryKey, user);
      void navigate(safeNext(params.get('next')), { replace: true });
    },
  });

  if (setup.isPending) return <FullPageSpin />;
  if (setup.data?.needed) return <Navigate to="/setup" replace />;

  return (
    <AuthFrame title={t('login.title')} subtitle={t('login.subtitle')}>
      <ErrorAlert error={login.error} />
      <Form<LoginBody> layout="vertical" size="large" onFinish={(values) => login.mutate(values)} requiredMark={false}>
        <Form.Item name="username" label={t('field.username')} rules={[{ required: true, message: t('validation.usernameRequired') }]}>
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" />
        </Form.Item>
        <Form.Item name="password" label={t('field.password')} rules={[{ required: true, message: t('validation.passwordRequired') }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={login.isPending} data-testid="login-submit">
          {t('login.submit')}
        </Button>
      </Form>
    </AuthFrame>
  );
}

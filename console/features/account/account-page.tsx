import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Card, Col, Descriptions, Form, Input, Popconfirm, Row, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ChangePasswordBody, Session } from '../../../server/modules/system/auth/auth.schema';
import { useMe } from '../../app/session';
import { ErrorAlert, applyFieldErrors, errorMessage } from '../../components/error-display';
import { formatDateTime, formatRelative } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { MemberTags, ScopeTags } from '../../components/scope-tags';
import { authApi, mySessionsQueryKey } from '../auth/auth.api';
import { describeUserAgent } from './user-agent';

/** 我的账号: profile, password and the places one is signed in. */
export function AccountPage() {
  const { t } = useTranslation('account');
  const me = useMe();
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card title={t('profile.title')} data-testid="account-profile">
            <Descriptions
              column={1}
              items={[
                { key: 'displayName', label: t('common:field.displayName'), children: me.displayName },
                { key: 'username', label: t('common:field.username'), children: me.username },
                { key: 'role', label: t('common:field.role'), children: <Tag color="blue">{t(`common:role.${me.role}`)}</Tag> },
                { key: 'scopes', label: t('common:field.departmentScopes'), children: <ScopeTags scopes={me.departmentScopes} unlimited={me.role === 'super_admin'} /> },
                { key: 'members', label: t('common:field.wecomMembers'), children: <MemberTags members={me.wecomMembers} /> },
              ]}
            />
            <Typography.Paragraph type="secondary" style={{ marginBottom: 0, fontSize: 12 }}>
              {t('profile.managedBy')}
            </Typography.Paragraph>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <ChangePasswordCard />
        </Col>
        <Col span={24}>
          <SessionsCard />
        </Col>
      </Row>
    </>
  );
}

type PasswordForm = ChangePasswordBody & { confirm: string };

function ChangePasswordCard() {
  const { t } = useTranslation('account');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<PasswordForm>();
  const change = useMutation({
    mutationFn: ({ currentPassword, newPassword }: PasswordForm) => authApi.changePassword({ currentPassword, newPassword }),
    onSuccess: () => {
      void message.success(t('password.changed'));
      form.resetFields();
      void queryClient.invalidateQueries({ queryKey: mySessionsQueryKey });
    },
    onError: (error) => applyFieldErrors(form, error),
  });
  return (
    <Card title={t('password.title')} data-testid="account-password">
      <ErrorAlert error={change.error} />
      <Form<PasswordForm> form={form} layout="vertical" onFinish={(values) => change.mutate(values)} style={{ maxWidth: 420 }}>
        <Form.Item name="currentPassword" label={t('password.current')} rules={[{ required: true, message: t('password.currentRequired') }]}>
          <Input.Password autoComplete="current-password" data-testid="password-current" />
        </Form.Item>
        <Form.Item name="newPassword" label={t('password.new')} extra={t('password.hint')} rules={[{ required: true, message: t('password.newRequired') }, { max: 200 }]}>
          <Input.Password autoComplete="new-password" data-testid="password-new" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('password.confirm')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('password.confirmRequired') },
            ({ getFieldValue }) => ({
              validator: (_r, value) => (!value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch')))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="password-confirm" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={change.isPending} data-testid="password-submit">
          {t('password.submit')}
        </Button>
      </Form>
    </Card>
  );
}

function SessionsCard() {
  const { t } = useTranslation('account');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const sessions = useQuery({ queryKey: mySessionsQueryKey, queryFn: authApi.sessions });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: mySessionsQueryKey });
  const onError = (error: unknown) => void message.error(errorMessage(error, t('common:error.unknown')));
  const revoke = useMutation({
    mutationFn: (session: Session) => authApi.revokeSession(session.id),
    onSuccess: () => {
      void message.success(t('sessions.revoked'));
      refresh();
    },
    onError,
  });
  const revokeOthers = useMutation({
    mutationFn: authApi.revokeOtherSessions,
    onSuccess: () => {
      void message.success(t('sessions.othersRevoked'));
      refresh();
    },
    onError,
  });
  const items = sessions.data?.items ?? [];
  const others = items.filter((s) => !s.current).length;

  const columns: TableColumnsType<Session> = [
    {
      title: t('sessions.device'),
      key: 'device',
      render: (_v, s) => (
        <>
          <Typography.Text>{describeUserAgent(s.userAgent) ?? t('sessions.unknownDevice')}</Typography.Text>{' '}
          {s.current ? <Badge status="success" text={t('sessions.current')} /> : null}
        </>
      ),
    },
    { title: t('sessions.ip'), dataIndex: 'ip', width: 160, render: (ip: string | null) => ip ?? '—' },
    { title: t('sessions.createdAt'), dataIndex: 'createdAt', width: 180, render: (v: string) => formatDateTime(v) },
    { title: t('sessions.lastSeenAt'), dataIndex: 'lastSeenAt', width: 140, render: (v: string) => formatRelative(v) },
    { title: t('sessions.expiresAt'), dataIndex: 'expiresAt', width: 180, render: (v: string) => formatDateTime(v) },
    {
      title: t('common:field.actions'),
      key: 'actions',
      width: 100,
      render: (_v, s) =>
        s.current ? null : (
          <Popconfirm title={t('sessions.revokeConfirm')} onConfirm={() => revoke.mutateAsync(s)} okButtonProps={{ danger: true }}>
            <Button type="link" danger size="small" data-testid="session-revoke">
              {t('sessions.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <Card
      title={t('sessions.title')}
      data-testid="account-sessions"
      extra={
        <Popconfirm title={t('sessions.revokeOthersConfirm')} onConfirm={() => revokeOthers.mutateAsync()} okButtonProps={{ danger: true }} disabled={others === 0}>
          <Button danger disabled={others === 0} loading={revokeOthers.isPending} data-testid="sessions-revoke-others">
            {t('sessions.revokeOthers')}
          </Button>
        </Popconfirm>
      }
    >
      <ErrorAlert error={sessions.error} />
      <Table<Session> rowKey="id" size="middle" loading={sessions.isFetching} columns={columns} dataSource={items} pagination={false} scroll={{ x: 900 }} />
    </Card>
  );
}

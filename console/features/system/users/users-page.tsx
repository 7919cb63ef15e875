import { MoreOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Dropdown, Flex, Form, Input, Modal, Select, Space, Tag, Typography, type MenuProps, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { roles } from '../../../../common/permissions';
import type { User } from '../../../../server/modules/system/users/users.schema';
import { useCan, useMe } from '../../../app/session';
import { DataTable } from '../../../components/data-table';
import { ErrorAlert, applyFieldErrors, errorMessage } from '../../../components/error-display';
import { formatDateTime } from '../../../components/format';
import { PageHeader } from '../../../components/page-header';
import { MemberTags, ScopeTags } from '../../../components/scope-tags';
import { UserDrawer } from './user-drawer';
import { usersApi, usersQueryKey } from './users.api';

const filterKeys = ['q', 'role', 'status'] as const;

/** 管理员与成员: who can sign in to Qiao, with which role and reach. */
export function UsersPage() {
  const { t } = useTranslation('users');
  const can = useCan();
  const me = useMe();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const [drawer, setDrawer] = useState<{ open: boolean; user?: User }>({ open: false });
  const [resetting, setResetting] = useState<User | null>(null);
  const canWrite = can('users.write');

  const refresh = () => void queryClient.invalidateQueries({ queryKey: usersQueryKey });
  const onError = (error: unknown) => void message.error(errorMessage(error, t('common:error.unknown')));
  const setDisabled = useMutation({
    mutationFn: ({ user, disabled }: { user: User; disabled: boolean }) => usersApi.update(user.id, { disabled }),
    onSuccess: (_u, { disabled }) => {
      void message.success(disabled ? t('message.disabled') : t('message.enabled'));
      refresh();
    },
    onError,
  });
  const revoke = useMutation({
    mutationFn: (user: User) => usersApi.revokeSessions(user.id),
    onSuccess: ({ revoked }) => void message.success(t('message.sessionsRevoked', { count: revoked })),
    onError,
  });
  const remove = useMutation({
    mutationFn: (user: User) => usersApi.remove(user.id),
    onSuccess: () => {
      void message.success(t('message.deleted'));
      refresh();
    },
    onError,
  });

  const actionsOf = (user: User): MenuProps['items'] => [
    { key: 'reset', label: t('action.resetPassword') },
    { key: 'revoke', label: t('action.revokeSessions') },
    user.status === 'active' ? { key: 'disable', label: t('action.disable'), disabled: user.id === me.id } : { key: 'enable', label: t('action.enable') },
    { type: 'divider' },
    { key: 'delete', label: t('action.delete'), danger: true, disabled: user.id === me.id },
  ];

  const onAction = (user: User, key: string) => {
    if (key === 'reset') setResetting(user);
    if (key === 'enable') setDisabled.mutate({ user, disabled: false });
    if (key === 'disable')
      void modal.confirm({ title: t('confirm.disableTitle', { name: user.displayName }), content: t('confirm.disableContent'), onOk: () => setDisabled.mutateAsync({ user, disabled: true }) });
    if (key === 'revoke')
      void modal.confirm({ title: t('confirm.revokeTitle', { name: user.displayName }), content: t('confirm.revokeContent'), onOk: () => revoke.mutateAsync(user) });
    if (key === 'delete')
      void modal.confirm({
        title: t('confirm.deleteTitle', { name: user.displayName }),
        content: t('confirm.deleteContent'),
        okButtonProps: { danger: true },
        okText: t('action.delete'),
        onOk: () => remove.mutateAsync(user),
      });
  };

  const columns: TableColumnsType<User> = [
    {
      title: t('column.user'),
      key: 'user',
      render: (_v, user) => (
        <Flex vertical>
          <Typography.Text strong>{user.displayName}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {user.username}
          </Typography.Text>
        </Flex>
      ),
    },
    { title: t('common:field.role'), dataIndex: 'role', width: 130, render: (role: User['role']) => <Tag color={role === 'super_admin' ? 'gold' : role === 'dept_admin' ? 'blue' : 'default'}>{t(`common:role.${role}`)}</Tag> },
    {
      title: t('common:field.status'),
      dataIndex: 'status',
      width: 100,
      render: (status: User['status']) => <Badge status={status === 'active' ? 'success' : 'default'} text={t(`status.${status}`)} />,
    },
    { title: t('common:field.departmentScopes'), key: 'scopes', render: (_v, user) => <ScopeTags scopes={user.departmentScopes} unlimited={user.role === 'super_admin'} /> },
    { title: t('common:field.wecomMembers'), key: 'members', render: (_v, user) => <MemberTags members={user.wecomMembers} /> },
    { title: t('column.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v) },
  ];
  if (canWrite) {
    columns.push({
      title: t('common:field.actions'),
      key: 'actions',
      width: 130,
      fixed: 'right',
      render: (_v, user) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setDrawer({ open: true, user })} data-testid={`user-edit-${user.username}`}>
            {t('common:action.edit')}
          </Button>
          <Dropdown trigger={['click']} menu={{ items: actionsOf(user), onClick: ({ key }) => onAction(user, key) }}>
            <Button type="link" size="small" icon={<MoreOutlined />} aria-label={t('common:action.more')} data-testid={`user-more-${user.username}`} />
          </Dropdown>
        </Space>
      ),
    });
  }

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        extra={
          canWrite ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer({ open: true })} data-testid="user-create">
              {t('action.create')}
            </Button>
          ) : null
        }
      />
      <DataTable<User>
        testId="users-table"
        title={t('listTitle')}
        queryKey={usersQueryKey}
        fetchPage={usersApi.list}
        rowKey="id"
        columns={columns}
        filterKeys={filterKeys}
        scrollX={1000}
        searchFields={
          <>
            <Form.Item name="q" label={t('filter.q')}>
              <Input allowClear placeholder={t('filter.qPlaceholder')} style={{ width: 220 }} data-testid="users-filter-q" />
            </Form.Item>
            <Form.Item name="role" label={t('common:field.role')}>
              <Select allowClear placeholder={t('common:placeholder.all')} style={{ width: 150 }} options={roles.map((r) => ({ value: r, label: t(`common:role.${r}`) }))} data-testid="users-filter-role" />
            </Form.Item>
            <Form.Item name="status" label={t('common:field.status')}>
              <Select
                allowClear
                placeholder={t('common:placeholder.all')}
                style={{ width: 120 }}
                options={(['active', 'disabled'] as const).map((s) => ({ value: s, label: t(`status.${s}`) }))}
                data-testid="users-filter-status"
              />
            </Form.Item>
          </>
        }
      />
      <UserDrawer open={drawer.open} user={drawer.user} onClose={() => setDrawer({ open: false })} />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
    </>
  );
}

function ResetPasswordModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation('users');
  const { message } = App.useApp();
  const [form] = Form.useForm<{ password: string; confirm: string }>();
  const reset = useMutation({
    mutationFn: (password: string) => usersApi.update(user?.id ?? '', { password }),
    onSuccess: () => {
      void message.success(t('message.passwordReset'));
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error),
  });
  return (
    <Modal
      open={Boolean(user)}
      title={t('reset.title', { name: user?.displayName })}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={reset.isPending}
      destroyOnHidden
      afterOpenChange={(open) => open && form.resetFields()}
    >
      <Typography.Paragraph type="secondary">{t('reset.description')}</Typography.Paragraph>
      <ErrorAlert error={reset.error} />
      <Form form={form} layout="vertical" onFinish={({ password }) => reset.mutate(password)}>
        <Form.Item name="password" label={t('reset.newPassword')} rules={[{ required: true, message: t('form.passwordRequired') }, { max: 200 }]}>
          <Input.Password autoComplete="new-password" data-testid="reset-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('reset.confirm')}
          dependencies={['password']}
          rules={[
            { required: true, message: t('reset.confirmRequired') },
            ({ getFieldValue }) => ({
              validator: (_r, value) => (!value || value === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('reset.mismatch')))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="reset-confirm" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

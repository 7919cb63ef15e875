import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Drawer, Flex, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { roleRank, roles, type Role } from '../../../../common/permissions';
import type { User } from '../../../../server/modules/system/users/users.schema';
import { useMe } from '../../../app/session';
import { ErrorAlert, applyFieldErrors } from '../../../components/error-display';
import { usersApi, usersQueryKey } from './users.api';

interface UserForm {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  departmentScopes: { accountId: string; departmentId: number }[];
  wecomMembers: { accountId: string; userid: string }[];
}

/** Create (user undefined) or edit a user: role, department scopes and WeCom member links. */
export function UserDrawer({ open, user, onClose }: { open: boolean; user?: User; onClose: () => void }) {
  const { t } = useTranslation('users');
  const me = useMe();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<UserForm>();
  const role = Form.useWatch('role', form);
  const editing = Boolean(user);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(
      user
        ? { displayName: user.displayName, role: user.role, departmentScopes: user.departmentScopes, wecomMembers: user.wecomMembers }
        : { role: 'member', departmentScopes: [], wecomMembers: [] },
    );
  }, [open, user, form]);

  const save = useMutation({
    mutationFn: (values: UserForm) => {
      const departmentScopes = values.role === 'dept_admin' ? (values.departmentScopes ?? []) : [];
      const wecomMembers = values.wecomMembers ?? [];
      return user
        ? usersApi.update(user.id, { displayName: values.displayName, role: values.role, departmentScopes, wecomMembers })
        : usersApi.create({ username: values.username, password: values.password, displayName: values.displayName, role: values.role, departmentScopes, wecomMembers });
    },
    onSuccess: () => {
      void message.success(editing ? t('message.updated') : t('message.created'));
      void queryClient.invalidateQueries({ queryKey: usersQueryKey });
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error),
  });

  const grantable = roles.filter((r) => roleRank[r] <= roleRank[me.role]);

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={560}
      title={editing ? t('drawer.editTitle', { name: user?.displayName }) : t('drawer.createTitle')}
      destroyOnHidden
      data-testid="user-drawer"
      extra={
        <Space>
          <Button onClick={onClose}>{t('common:action.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="user-save">
            {t('common:action.save')}
          </Button>
        </Space>
      }
    >
      <ErrorAlert error={save.error} />
      <Form<UserForm> form={form} layout="vertical" onFinish={(values) => save.mutate(values)}>
        {editing ? (
          <Form.Item label={t('common:field.username')}>
            <Typography.Text code>{user?.username}</Typography.Text>
          </Form.Item>
        ) : (
          <Form.Item
            name="username"
            label={t('common:field.username')}
            extra={t('form.usernameHint')}
            rules={[
              { required: true, message: t('form.usernameRequired') },
              { pattern: /^[A-Za-z0-9._@-]+$/, message: t('form.usernamePattern') },
              { max: 64 },
            ]}
          >
            <Input data-testid="user-username" />
          </Form.Item>
        )}
        <Form.Item name="displayName" label={t('common:field.displayName')} rules={[{ required: true, message: t('form.displayNameRequired') }, { max: 100 }]}>
          <Input data-testid="user-display-name" />
        </Form.Item>
        {editing ? null : (
          <Form.Item name="password" label={t('form.initialPassword')} extra={t('form.initialPasswordHint')} rules={[{ required: true, message: t('form.passwordRequired') }, { max: 200 }]}>
            <Input.Password autoComplete="new-password" data-testid="user-password" />
          </Form.Item>
        )}
        <Form.Item name="role" label={t('common:field.role')} rules={[{ required: true }]} extra={role ? t(`common:roleDescription.${role}`) : undefined}>
          <Select data-testid="user-role" options={grantable.map((r) => ({ value: r, label: t(`common:role.${r}`) }))} />
        </Form.Item>
        {role === 'dept_admin' ? (
          <Form.Item label={t('common:field.departmentScopes')} extra={t('form.scopesHint')} required>
            <Form.List name="departmentScopes">
              {(fields, { add, remove }) => (
                <Flex vertical gap={8}>
                  {fields.map((field) => (
                    <Flex key={field.key} gap={8} align="baseline">
                      <Form.Item name={[field.name, 'accountId']} rules={[{ required: true, message: t('form.accountIdRequired') }]} style={{ flex: 1, marginBottom: 0 }}>
                        <Input placeholder={t('form.accountId')} data-testid={`user-scope-account-${field.name}`} />
                      </Form.Item>
                      <Form.Item name={[field.name, 'departmentId']} rules={[{ required: true, message: t('form.departmentIdRequired') }]} style={{ width: 160, marginBottom: 0 }}>
                        <InputNumber min={1} precision={0} placeholder={t('form.departmentId')} style={{ width: '100%' }} data-testid={`user-scope-department-${field.name}`} />
                      </Form.Item>
                      <MinusCircleOutlined onClick={() => remove(field.name)} aria-label={t('common:action.remove')} />
                    </Flex>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ accountId: '', departmentId: undefined })} data-testid="user-add-scope">
                    {t('form.addScope')}
                  </Button>
                </Flex>
              )}
            </Form.List>
          </Form.Item>
        ) : null}
        <Form.Item label={t('common:field.wecomMembers')} extra={t('form.membersHint')}>
          <Form.List name="wecomMembers">
            {(fields, { add, remove }) => (
              <Flex vertical gap={8}>
                {fields.map((field) => (
                  <Flex key={field.key} gap={8} align="baseline">
                    <Form.Item name={[field.name, 'accountId']} rules={[{ required: true, message: t('form.accountIdRequired') }]} style={{ flex: 1, marginBottom: 0 }}>
                      <Input placeholder={t('form.accountId')} data-testid={`user-member-account-${field.name}`} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'userid']} rules={[{ required: true, message: t('form.useridRequired') }]} style={{ flex: 1, marginBottom: 0 }}>
                      <Input placeholder={t('form.userid')} data-testid={`user-member-userid-${field.name}`} />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(field.name)} aria-label={t('common:action.remove')} />
                  </Flex>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ accountId: '', userid: '' })} data-testid="user-add-member">
                  {t('form.addMember')}
                </Button>
              </Flex>
            )}
          </Form.List>
        </Form.Item>
      </Form>
    </Drawer>
  );
}

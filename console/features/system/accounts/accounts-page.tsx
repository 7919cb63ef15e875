import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Modal, Popconfirm, Select, Space, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Account, AccountTestResult } from '../../../../server/modules/system/accounts/accounts.schema';
import { useCan } from '../../../app/session';
import { DataTable } from '../../../components/data-table';
import { errorMessage } from '../../../components/error-display';
import { PageHeader } from '../../../components/page-header';
import { AccountDrawer, type DrawerSection } from './account-drawer';
import { CallbackCheckModal } from './callback-check';
import { AccountTypeTag, HealthCell, TestResultView } from './account-parts';
import { accountsApi, accountsQueryKey } from './accounts.api';

/** 接入账号: the Official Accounts and WeCom corps Qiao works for, their callback health and credentials. */
export function AccountsPage() {
  const { t } = useTranslation('accounts');
  const can = useCan();
  const canWrite = can('accounts.write');
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<{ id: string; section: DrawerSection } | null>(null);
  const [tested, setTested] = useState<{ account: Account; result: AccountTestResult } | null>(null);
  const [checking, setChecking] = useState<Account | null>(null);

  const test = useMutation({
    mutationFn: async (account: Account) => ({ account, result: await accountsApi.test(account.id) }),
    onSuccess: (outcome) => {
      setTested(outcome);
      void queryClient.invalidateQueries({ queryKey: accountsQueryKey });
    },
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });

  const remove = useMutation({
    mutationFn: (account: Account) => accountsApi.remove(account.id),
    onSuccess: () => {
      void message.success(t('message.deleted'));
      void queryClient.invalidateQueries({ queryKey: accountsQueryKey });
    },
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });

  const columns: TableColumnsType<Account> = [
    {
      title: t('field.name'),
      dataIndex: 'name',
      render: (name: string, account) => (
        <Button type="link" style={{ padding: 0, height: 'auto' }} onClick={() => setOpen({ id: account.id, section: 'overview' })} data-testid={`account-name-${account.id}`}>
          <Typography.Text strong>{name}</Typography.Text>
        </Button>
      ),
    },
    { title: t('field.type'), key: 'type', width: 150, render: (_v, account) => <AccountTypeTag account={account} /> },
    {
      title: t('field.wechatId'),
      key: 'wechatId',
      width: 190,
      render: (_v, account) => <Typography.Text code>{account.appId ?? account.corpId}</Typography.Text>,
    },
    {
      title: t('field.mode'),
      key: 'mode',
      width: 150,
      render: (_v, account) =>
        account.type === 'official_account' ? t(`mode.${account.encryptMode}.label`) : t('field.receivers', { count: account.callbacks.length }),
    },
    { title: t('field.health'), key: 'health', width: 230, render: (_v, account) => <HealthCell health={account.health} /> },
    {
      title: t('common:field.actions'),
      key: 'actions',
      width: 390,
      fixed: 'right',
      render: (_v, account) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setOpen({ id: account.id, section: 'overview' })} data-testid={`account-view-${account.id}`}>
            {t('action.view')}
          </Button>
          {canWrite ? (
            <>
              <Button
                type="link"
                size="small"
                loading={test.isPending && test.variables?.id === account.id}
                onClick={() => test.mutate(account)}
                data-testid={`account-test-${account.id}`}
              >
                {t('action.test')}
              </Button>
              <Button type="link" size="small" onClick={() => setChecking(account)} data-testid={`account-callback-check-${account.id}`}>
                {t('action.callbackCheck')}
              </Button>
              <Button type="link" size="small" onClick={() => setOpen({ id: account.id, section: 'edit' })} data-testid={`account-edit-${account.id}`}>
                {t('common:action.edit')}
              </Button>
              <Popconfirm
                title={t('delete.title', { name: account.name })}
                description={<div style={{ maxWidth: 340 }}>{t('delete.description')}</div>}
                okText={t('delete.ok')}
                okButtonProps={{ danger: true, ...({ 'data-testid': 'account-delete-confirm' } as object) }}
                onConfirm={() => remove.mutateAsync(account)}
              >
                <Button type="link" danger size="small" data-testid={`account-delete-${account.id}`}>
                  {t('delete.ok')}
                </Button>
              </Popconfirm>
            </>
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        extra={
          <>
            <Link to="/accounts/api-calls">
              <Button data-testid="accounts-open-api-calls">{t('action.apiCalls')}</Button>
            </Link>
            {canWrite ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => void navigate('/accounts/connect')} data-testid="account-connect">
                {t('action.connect')}
              </Button>
            ) : null}
          </>
        }
      />
      <DataTable<Account>
        testId="accounts-table"
        title={t('listTitle')}
        queryKey={accountsQueryKey}
        fetchPage={accountsApi.list}
        filterKeys={['type']}
        rowKey="id"
        columns={columns}
        scrollX={1200}
        searchFields={
          <Form.Item name="type" label={t('field.type')}>
            <Select
              allowClear
              placeholder={t('common:placeholder.all')}
              style={{ width: 140 }}
              options={(['official_account', 'wecom'] as const).map((type) => ({ value: type, label: t(`type.${type}`) }))}
              data-testid="accounts-filter-type"
            />
          </Form.Item>
        }
      />
      <CallbackCheckModal account={checking} onClose={() => setChecking(null)} />
      <AccountDrawer accountId={open?.id ?? null} section={open?.section ?? 'overview'} onClose={() => setOpen(null)} />
      <Modal
        open={tested !== null}
        title={t('test.title', { name: tested?.account.name })}
        onCancel={() => setTested(null)}
        footer={
          <Button type="primary" onClick={() => setTested(null)} data-testid="account-test-close">
            {t('common:action.close')}
          </Button>
        }
      >
        {tested ? <TestResultView result={tested.result} apiBaseUrl={tested.account.apiBaseUrl} /> : null}
      </Modal>
    </>
  );
}

import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Popconfirm, Segmented, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiKey } from '../../../../server/modules/system/api-keys/api-keys.schema';
import { useMe } from '../../../app/session';
import { DataTable } from '../../../components/data-table';
import { errorMessage } from '../../../components/error-display';
import { formatDate, formatDateTime, formatRelative } from '../../../components/format';
import { PageHeader } from '../../../components/page-header';
import { ScopeTags } from '../../../components/scope-tags';
import { useUrlState } from '../../../components/url-state';
import { apiKeyStatus, apiKeysApi, apiKeysQueryKey, type ApiKeyStatus } from './api-keys.api';
import { CreateApiKeyModal } from './create-api-key-modal';

const statusBadge: Record<ApiKeyStatus, 'success' | 'default' | 'warning'> = { active: 'success', revoked: 'default', expired: 'warning' };

/** API 密钥: keys for scripts and the CLI, each carrying at most its creator's role. */
export function ApiKeysPage() {
  const { t } = useTranslation('apiKeys');
  const me = useMe();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [url, setUrl] = useUrlState(['all', 'cursor']);
  const showAll = me.role === 'super_admin' && url.all === 'true';

  const revoke = useMutation({
    mutationFn: (key: ApiKey) => apiKeysApi.revoke(key.id),
    onSuccess: () => {
      void message.success(t('message.revoked'));
      void queryClient.invalidateQueries({ queryKey: apiKeysQueryKey });
    },
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });

  const columns: TableColumnsType<ApiKey> = [
    { title: t('field.name'), dataIndex: 'name', render: (name: string) => <Typography.Text strong>{name}</Typography.Text> },
    { title: t('field.prefix'), dataIndex: 'prefix', width: 140, render: (prefix: string) => <Typography.Text code>{prefix}…</Typography.Text> },
    { title: t('common:field.role'), dataIndex: 'role', width: 150, render: (role: ApiKey['role']) => <Tag>{t(`common:role.${role}`)}</Tag> },
    {
      title: t('field.scopes'),
      key: 'scopes',
      width: 180,
      render: (_v, key) => (key.departmentScopes === null ? <Typography.Text type="secondary">{t('creatorScopes')}</Typography.Text> : <ScopeTags scopes={key.departmentScopes} />),
    },
    ...(showAll ? [{ title: t('field.owner'), dataIndex: 'username', width: 120 }] : []),
    {
      title: t('common:field.status'),
      key: 'status',
      width: 100,
      render: (_v, key) => {
        const status = apiKeyStatus(key);
        return <Badge status={statusBadge[status]} text={t(`status.${status}`)} />;
      },
    },
    {
      title: t('field.lastUsedAt'),
      dataIndex: 'lastUsedAt',
      width: 120,
      render: (v: string | null) => (v ? <Tooltip title={formatDateTime(v)}>{formatRelative(v)}</Tooltip> : t('neverUsed')),
    },
    { title: t('field.expiresAt'), dataIndex: 'expiresAt', width: 120, render: (v: string | null) => (v ? <Tooltip title={formatDateTime(v)}>{formatDate(v)}</Tooltip> : t('noExpiry')) },
    { title: t('field.createdAt'), dataIndex: 'createdAt', width: 120, render: (v: string) => <Tooltip title={formatDateTime(v)}>{formatDate(v)}</Tooltip> },
    {
      title: t('common:field.actions'),
      key: 'actions',
      width: 90,
      fixed: 'right',
      render: (_v, key) =>
        key.revokedAt ? null : (
          <Popconfirm
            title={t('revoke.title', { name: key.name })}
            description={t('revoke.description')}
            okText={t('revoke.ok')}
            okButtonProps={{ danger: true }}
            onConfirm={() => revoke.mutateAsync(key)}
          >
            <Button type="link" danger size="small" data-testid={`api-key-revoke-${key.prefix}`}>
              {t('revoke.ok')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="api-key-create">
            {t('create.open')}
          </Button>
        }
      />
      <DataTable<ApiKey>
        testId="api-keys-table"
        title={showAll ? t('list.all') : t('list.mine')}
        queryKey={apiKeysQueryKey}
        fetchPage={apiKeysApi.list}
        filterKeys={['all']}
        rowKey="id"
        columns={columns}
        scrollX={1100}
        toolbar={
          me.role === 'super_admin' ? (
            <Segmented
              value={showAll ? 'all' : 'mine'}
              onChange={(value) => setUrl({ all: value === 'all' ? 'true' : undefined, cursor: undefined })}
              options={[
                { value: 'mine', label: t('list.mine') },
                { value: 'all', label: t('list.all') },
              ]}
              data-testid="api-keys-scope"
            />
          ) : null
        }
      />
      <CreateApiKeyModal open={creating} onClose={() => setCreating(false)} />
    </>
  );
}

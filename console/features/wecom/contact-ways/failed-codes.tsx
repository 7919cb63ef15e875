import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Flex, Popconfirm, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FailedCode } from '../../../../server/modules/wecom/contact-ways/contact-ways.schema';
import { api } from '../../../app/api-client';
import { errorMessage } from '../../../components/error-display';
import { formatDateTime } from '../../../components/format';
import { contactWaysKey } from './contact-ways.api';

const failedUrl = (accountId: string) => `/api/v1/wecom/${encodeURIComponent(accountId)}/contact-ways/failed`;

/**
 * Codes whose creation was cut off and that WeCom turned out not to have:
 * each with the reason, and a dismiss that frees its channel parameter.
 * Shows nothing while there are none.
 */
export function FailedCodes({ accountId, writable }: { accountId: string; writable: boolean }) {
  const { t } = useTranslation('wecomContactWays');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const failed = useQuery({
    queryKey: [...contactWaysKey(accountId), 'failed'],
    queryFn: () => api.get<{ items: FailedCode[] }>(failedUrl(accountId)),
  });
  const dismiss = useMutation({
    mutationFn: (id: string) => api.delete<null>(`${failedUrl(accountId)}/${encodeURIComponent(id)}`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: contactWaysKey(accountId) }),
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });
  const items = failed.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="contact-ways-failed"
      message={t('failed.title', { count: items.length })}
      description={
        <Flex vertical gap={8}>
          <Typography.Text type="secondary">{t('failed.explain')}</Typography.Text>
          {items.map((code) => (
            <Flex key={code.id} gap={12} align="center" wrap justify="space-between">
              <Space wrap size={4}>
                <Typography.Text strong>{code.name}</Typography.Text>
                <Tag>{t('failed.state', { state: code.state })}</Tag>
                <Typography.Text type="secondary">{code.userids.join(', ')}</Typography.Text>
                <Typography.Text type="secondary">{formatDateTime(code.createdAt)}</Typography.Text>
              </Space>
              <Space size={8}>
                <Typography.Text type="danger">{code.message}</Typography.Text>
                {writable ? (
                  <Popconfirm title={t('failed.dismissConfirm', { state: code.state })} onConfirm={() => dismiss.mutate(code.id)}>
                    <Button size="small" loading={dismiss.isPending && dismiss.variables === code.id}>
                      {t('failed.dismiss')}
                    </Button>
                  </Popconfirm>
                ) : null}
              </Space>
            </Flex>
          ))}
        </Flex>
      }
    />
  );
}

import { useQueryClient } from '@tanstack/react-query';
import { Button, Descriptions, Drawer, Flex, Form, Input, Select, Switch, Tag, Typography, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/data-table';
import { formatDateTime } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { lineUpXml } from './inbox-content';
import { DeliveryStatusTag } from './phone-frame';
import { coreApi, sandboxQueryKey, type Delivery } from './sandbox.api';

const REFRESH_MS = 3000;
const deliveriesKey = [...sandboxQueryKey, 'deliveries'] as const;
const filterKeys = ['product', 'ownerKey'] as const;

function Code({ value, testId }: { value: string; testId: string }) {
  return (
    <pre data-testid={testId} style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all', maxHeight: 320, overflow: 'auto' }}>
      {value}
    </pre>
  );
}

/** 回调记录: every callback the sandbox pushed to Qiao, and how Qiao answered. */
export function DeliveriesPage() {
  const { t } = useTranslation('sandbox');
  const queryClient = useQueryClient();
  const [auto, setAuto] = useState(true);
  const [selected, setSelected] = useState<Delivery | null>(null);

  useEffect(() => {
    if (!auto) return undefined;
    const timer = setInterval(() => void queryClient.invalidateQueries({ queryKey: deliveriesKey }), REFRESH_MS);
    return () => clearInterval(timer);
  }, [auto, queryClient]);

  const columns: TableColumnsType<Delivery> = [
    { title: t('field.time'), dataIndex: 'createdAt', width: 165, render: (v: string) => formatDateTime(v) },
    { title: t('field.product'), dataIndex: 'product', width: 100, render: (v: string) => t(`product.${v}`, { defaultValue: v }) },
    { title: t('field.event'), dataIndex: 'event', width: 190, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    { title: t('field.target'), dataIndex: 'target', width: 150, ellipsis: true },
    { title: t('field.url'), dataIndex: 'url', ellipsis: true, render: (v: string) => v || <Typography.Text type="secondary">{t('phone.noCallback')}</Typography.Text> },
    { title: t('field.attempts'), dataIndex: 'attempts', width: 90, align: 'right' },
    { title: t('field.status'), dataIndex: 'status', width: 130, render: (v: string) => <DeliveryStatusTag status={v} /> },
    { title: t('field.latency'), dataIndex: 'latencyMs', width: 95, align: 'right', render: (v: number) => t('ms', { ms: v }) },
    {
      title: t('field.actions'),
      key: 'actions',
      width: 80,
      fixed: 'right',
      render: (_v, d) => (
        <Button type="link" size="small" onClick={() => setSelected(d)} data-testid={`delivery-detail-${d.id}`}>
          {t('action.details')}
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageHeader title={t('deliveries.title')} description={t('deliveries.description')} />
      <DataTable<Delivery>
        testId="deliveries-table"
        title={t('deliveries.listTitle')}
        queryKey={deliveriesKey}
        fetchPage={({ cursor, limit, filters }) => coreApi.deliveries({ limit, ...(cursor ? { cursor } : {}), ...(filters.product ? { product: filters.product } : {}), ...(filters.ownerKey ? { ownerKey: filters.ownerKey } : {}) })}
        rowKey="id"
        columns={columns}
        filterKeys={filterKeys}
        scrollX={1150}
        toolbar={
          <Flex align="center" gap={6}>
            <Switch size="small" checked={auto} onChange={setAuto} data-testid="deliveries-auto" />
            <Typography.Text type="secondary">{t('deliveries.autoRefresh')}</Typography.Text>
          </Flex>
        }
        searchFields={
          <>
            <Form.Item name="product" label={t('field.product')}>
              <Select
                allowClear
                placeholder={t('common:placeholder.all')}
                style={{ width: 160 }}
                options={['official-account', 'wecom'].map((value) => ({ value, label: t(`product.${value}`) }))}
                data-testid="deliveries-filter-product"
              />
            </Form.Item>
            <Form.Item name="ownerKey" label={t('field.ownerKey')}>
              <Input allowClear placeholder={t('deliveries.ownerKeyPlaceholder')} style={{ width: 240 }} data-testid="deliveries-filter-owner" />
            </Form.Item>
          </>
        }
      />
      <Drawer open={Boolean(selected)} onClose={() => setSelected(null)} size={680} title={t('deliveries.detailTitle')} data-testid="delivery-detail">
        {selected ? (
          <Descriptions
            column={1}
            size="small"
            bordered
            styles={{ label: { width: 120, whiteSpace: 'nowrap' } }}
            items={[
              { key: 'time', label: t('field.time'), children: formatDateTime(selected.createdAt) },
              { key: 'product', label: t('field.product'), children: t(`product.${selected.product}`, { defaultValue: selected.product }) },
              { key: 'owner', label: t('field.ownerKey'), children: <Typography.Text copyable>{selected.ownerKey}</Typography.Text> },
              { key: 'target', label: t('field.target'), children: <Typography.Text copyable>{selected.target}</Typography.Text> },
              { key: 'event', label: t('field.event'), children: <Typography.Text code>{selected.event}</Typography.Text> },
              { key: 'url', label: t('field.url'), children: selected.url ? <Typography.Text copyable style={{ wordBreak: 'break-all' }}>{selected.url}</Typography.Text> : t('phone.noCallback') },
              {
                key: 'status',
                label: t('field.status'),
                children: (
                  <Flex gap={8} wrap align="center">
                    <DeliveryStatusTag status={selected.status} />
                    <span>{t('deliveries.attemptsLatency', { attempts: selected.attempts, ms: selected.latencyMs })}</span>
                    {selected.httpStatus !== null ? <Tag>HTTP {selected.httpStatus}</Tag> : null}
                  </Flex>
                ),
              },
              ...(selected.error ? [{ key: 'error', label: t('field.error'), children: <Typography.Text type="danger">{selected.error}</Typography.Text> }] : []),
              { key: 'message', label: t('field.message'), children: <Code value={lineUpXml(selected.message)} testId="delivery-message" /> },
              { key: 'answer', label: t('field.answer'), children: selected.answer ? <Code value={lineUpXml(selected.answer)} testId="delivery-answer" /> : <Typography.Text type="secondary">{t('deliveries.noAnswer')}</Typography.Text> },
            ]}
          />
        ) : null}
      </Drawer>
    </>
  );
}

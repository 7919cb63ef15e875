import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Flex, Form, Input, InputNumber, Popconfirm, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors, ErrorAlert, errorMessage } from '../../components/error-display';
import { PageHeader } from '../../components/page-header';
import { coreApi, sandboxQueryKey, type Fault } from './sandbox.api';

const faultsKey = [...sandboxQueryKey, 'faults'] as const;

interface FaultForm {
  product: Fault['product'];
  path: string;
  errcode?: number | null;
  delayMs?: number | null;
  delivery?: Fault['delivery'] | null;
  count: number;
}

/** The fault as the API wants it: empty optional fields left out. */
function toFault(values: FaultForm): Fault {
  return {
    product: values.product,
    path: values.path.trim().replace(/^\/+/, ''),
    count: values.count,
    ...(values.errcode === undefined || values.errcode === null ? {} : { errcode: values.errcode }),
    ...(values.delayMs === undefined || values.delayMs === null ? {} : { delayMs: values.delayMs }),
    ...(values.delivery ? { delivery: values.delivery } : {}),
  };
}

/** 故障注入: make the next calls of a WeChat API path fail or lag, or callbacks time out or arrive twice. */
export function FaultsPage() {
  const { t } = useTranslation('sandbox');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FaultForm>();
  const path = Form.useWatch('path', form);
  const isCallback = (path ?? '').trim() === 'callback';

  const faults = useQuery({ queryKey: faultsKey, queryFn: coreApi.faults, refetchInterval: 5000 });

  const arm = useMutation({
    mutationFn: (values: FaultForm) => coreApi.armFault(toFault(values)),
    onSuccess: (answer) => {
      queryClient.setQueryData(faultsKey, answer);
      void message.success(t('faults.armed'));
    },
    onError: (error) => {
      if (!applyFieldErrors(form, error)) void message.error(errorMessage(error, t('common:error.unknown')));
    },
  });

  const clear = useMutation({
    mutationFn: coreApi.clearFaults,
    onSuccess: () => {
      queryClient.setQueryData(faultsKey, { faults: [] });
      void message.success(t('faults.cleared'));
    },
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });

  const columns: TableColumnsType<Fault> = [
    { title: t('field.product'), dataIndex: 'product', width: 130, render: (v: string) => t(`product.${v}`) },
    { title: t('field.path'), dataIndex: 'path', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
    {
      title: t('faults.effect'),
      key: 'effect',
      render: (_v, f) => (
        <Flex gap={4} wrap>
          {f.errcode !== undefined ? <Tag color="error">{t('faults.errcodeTag', { errcode: f.errcode })}</Tag> : null}
          {f.delayMs !== undefined ? <Tag color="warning">{t('faults.delayTag', { ms: f.delayMs })}</Tag> : null}
          {f.delivery ? <Tag color="purple">{t(`faults.delivery.${f.delivery}`)}</Tag> : null}
        </Flex>
      ),
    },
    { title: t('faults.remaining'), dataIndex: 'count', width: 120, align: 'right' },
  ];

  return (
    <>
      <PageHeader title={t('faults.title')} description={t('faults.description')} />
      <Flex gap={16} align="flex-start" wrap>
        <Card size="small" title={t('faults.formTitle')} style={{ width: 420 }}>
          <Form<FaultForm>
            form={form}
            layout="vertical"
            initialValues={{ product: 'official-account', count: 1 }}
            onFinish={(values) => arm.mutate(values)}
            data-testid="fault-form"
          >
            <Form.Item name="product" label={t('field.product')} rules={[{ required: true }]}>
              <Select options={['official-account', 'wecom'].map((value) => ({ value, label: t(`product.${value}`) }))} data-testid="fault-product" />
            </Form.Item>
            <Form.Item name="path" label={t('field.path')} extra={t('faults.pathHelp', { example: 'cgi-bin/menu/create', callback: 'callback' })} rules={[{ required: true, whitespace: true, message: t('faults.pathRequired') }]}>
              <Input placeholder="cgi-bin/menu/create" maxLength={200} data-testid="fault-path" />
            </Form.Item>
            {isCallback ? (
              <Form.Item name="delivery" label={t('faults.deliveryLabel')}>
                <Select allowClear options={(['timeout', 'duplicate'] as const).map((value) => ({ value, label: t(`faults.delivery.${value}`) }))} data-testid="fault-delivery" />
              </Form.Item>
            ) : (
              <Form.Item name="errcode" label={t('faults.errcodeLabel')} extra={t('faults.errcodeHelp')}>
                <InputNumber style={{ width: '100%' }} placeholder="45009" data-testid="fault-errcode" />
              </Form.Item>
            )}
            <Form.Item name="delayMs" label={t('faults.delayLabel')}>
              <InputNumber style={{ width: '100%' }} min={0} max={60000} step={500} placeholder="3000" data-testid="fault-delay" />
            </Form.Item>
            <Form.Item name="count" label={t('faults.countLabel')} rules={[{ required: true }]}>
              <InputNumber style={{ width: '100%' }} min={1} max={10000} data-testid="fault-count" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={arm.isPending} data-testid="fault-submit">
              {t('faults.arm')}
            </Button>
          </Form>
        </Card>
        <Card
          size="small"
          title={t('faults.listTitle')}
          style={{ flex: 1, minWidth: 480 }}
          extra={
            <Popconfirm title={t('faults.clearConfirm')} onConfirm={() => clear.mutate()} okText={t('faults.clear')} cancelText={t('common:action.cancel')}>
              <Button danger size="small" disabled={(faults.data?.faults.length ?? 0) === 0} loading={clear.isPending} data-testid="fault-clear">
                {t('faults.clear')}
              </Button>
            </Popconfirm>
          }
        >
          <ErrorAlert error={faults.error} />
          <Table<Fault>
            rowKey="key"
            columns={columns}
            dataSource={(faults.data?.faults ?? []).map((fault, index) => ({ ...fault, key: index }))}
            loading={faults.isLoading}
            pagination={false}
            size="middle"
            locale={{ emptyText: t('faults.none') }}
            data-testid="fault-list"
          />
        </Card>
      </Flex>
    </>
  );
}

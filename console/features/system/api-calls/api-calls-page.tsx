import { useQuery } from '@tanstack/react-query';
import { Checkbox, DatePicker, Flex, Form, Input, Select, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { ApiCall } from '../../../../server/modules/system/api-calls/api-calls.schema';
import { currentLanguage } from '../../../app/i18n';
import { DataTable } from '../../../components/data-table';
import { formatDateTime } from '../../../components/format';
import { PageHeader } from '../../../components/page-header';
import { receiverLabel } from '../accounts/account-parts';
import { accountsApi, accountsQueryKey } from '../accounts/accounts.api';
import { apiCallFilterKeys, apiCallsApi, apiCallsQueryKey } from './api-calls.api';

function toFormValues(filters: Record<string, string | undefined>) {
  const { from, to, failed, ...rest } = filters;
  return { ...rest, failed: failed === 'true', range: from || to ? [from ? dayjs(from) : null, to ? dayjs(to) : null] : undefined };
}

function toFilters(values: Record<string, unknown>): Record<string, string | undefined> {
  const range = values.range as [Dayjs | null, Dayjs | null] | undefined;
  const text = (key: string) => (typeof values[key] === 'string' && (values[key] as string).trim()) || undefined;
  return {
    accountId: text('accountId'),
    path: text('path'),
    errcode: text('errcode'),
    failed: values.failed === true ? 'true' : undefined,
    from: range?.[0] ? range[0].startOf('day').toISOString() : undefined,
    to: range?.[1] ? range[1].endOf('day').toISOString() : undefined,
  };
}

const outcomeColor: Record<ApiCall['outcome'], string> = { ok: 'success', wechat_error: 'error', unreachable: 'warning', bad_response: 'warning' };

/** 接口调用日志: every call Qiao made to WeChat, so a failing sync or push can be traced to its errcode. */
export function ApiCallsPage() {
  const { t } = useTranslation('apiCalls');
  const accounts = useQuery({ queryKey: [...accountsQueryKey, 'all'], queryFn: accountsApi.all });
  const english = currentLanguage() === 'en-US';

  const columns: TableColumnsType<ApiCall> = [
    { title: t('field.at'), dataIndex: 'at', width: 170, render: (v: string) => formatDateTime(v) },
    {
      title: t('field.account'),
      key: 'account',
      width: 190,
      render: (_v, call) => (
        <Flex vertical>
          <Typography.Text type={call.accountName ? undefined : 'secondary'}>{call.accountName ?? t('deletedAccount')}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {call.receiver ? receiverLabel(t, call.receiver) : t(`product.${call.product}`)}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('field.endpoint'),
      key: 'endpoint',
      render: (_v, call) => (
        <Flex vertical>
          <Typography.Text>{english ? (call.titleEn ?? call.titleZh) : call.titleZh}</Typography.Text>
          <Typography.Text type="secondary" code style={{ fontSize: 12 }}>
            {call.path}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('field.result'),
      key: 'result',
      width: 330,
      render: (_v, call) => (
        <Flex vertical gap={2}>
          <span>
            <Tag color={outcomeColor[call.outcome]}>{t(`outcome.${call.outcome}`)}</Tag>
            {call.errcode !== null && call.errcode !== 0 ? <Typography.Text code>errcode {call.errcode}</Typography.Text> : null}
          </span>
          {call.message ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {call.message}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    {
      title: t('field.duration'),
      dataIndex: 'durationMs',
      width: 100,
      align: 'right',
      render: (ms: number) => <Tooltip title={t('durationTooltip')}>{t('durationMs', { ms })}</Tooltip>,
    },
  ];

  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <DataTable<ApiCall>
        testId="api-calls-table"
        title={t('listTitle')}
        queryKey={apiCallsQueryKey}
        fetchPage={apiCallsApi.list}
        rowKey="id"
        columns={columns}
        filterKeys={apiCallFilterKeys}
        toFormValues={toFormValues}
        toFilters={toFilters}
        scrollX={1100}
        searchFields={
          <>
            <Form.Item name="accountId" label={t('field.account')}>
              <Select
                allowClear
                placeholder={t('common:placeholder.all')}
                style={{ width: 200 }}
                loading={accounts.isLoading}
                options={(accounts.data?.items ?? []).map((a) => ({ value: a.id, label: a.name }))}
                data-testid="api-calls-filter-account"
              />
            </Form.Item>
            <Form.Item name="path" label={t('field.path')}>
              <Input allowClear placeholder={t('filter.pathPlaceholder', { example: 'menu/create' })} style={{ width: 200 }} data-testid="api-calls-filter-path" />
            </Form.Item>
            <Form.Item name="errcode" label={t('field.errcode')} rules={[{ pattern: /^-?\d+$/, message: t('filter.errcodePattern') }]}>
              <Input allowClear placeholder={t('filter.errcodePlaceholder')} style={{ width: 120 }} data-testid="api-calls-filter-errcode" />
            </Form.Item>
            <Form.Item name="range" label={t('filter.range')}>
              <DatePicker.RangePicker allowEmpty={[true, true]} />
            </Form.Item>
            <Form.Item name="failed" valuePropName="checked">
              <Checkbox data-testid="api-calls-filter-failed">{t('filter.failedOnly')}</Checkbox>
            </Form.Item>
          </>
        }
      />
    </>
  );
}

import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, DatePicker, Form, Input, Select, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../../server/modules/system/audit/audit.schema';
import { useCan } from '../../../app/session';
import { DataTable } from '../../../components/data-table';
import { ErrorAlert } from '../../../components/error-display';
import { formatDateTime } from '../../../components/format';
import { PageHeader } from '../../../components/page-header';
import { auditApi, auditQueryKey } from './audit.api';
import { AuditDetailDrawer } from './audit-detail-drawer';
import { actionLabel, targetTypeLabel } from './audit-labels';

const filterKeys = ['actor', 'action', 'outcome', 'targetType', 'from', 'to'] as const;

function toFormValues(filters: Record<string, string | undefined>) {
  const { from, to, ...rest } = filters;
  return { ...rest, range: from || to ? [from ? dayjs(from) : null, to ? dayjs(to) : null] : undefined };
}

function toFilters(values: Record<string, unknown>): Record<string, string | undefined> {
  const range = values.range as [Dayjs | null, Dayjs | null] | undefined;
  const text = (key: string) => (typeof values[key] === 'string' && (values[key] as string).trim()) || undefined;
  return {
    actor: text('actor'),
    action: text('action'),
    outcome: text('outcome'),
    targetType: text('targetType'),
    from: range?.[0] ? range[0].startOf('day').toISOString() : undefined,
    to: range?.[1] ? range[1].endOf('day').toISOString() : undefined,
  };
}

/** 审计日志: who did what, when and from where; the chain can be checked for tampering. */
export function AuditPage() {
  const { t } = useTranslation('audit');
  const can = useCan();
  const [selected, setSelected] = useState<AuditEntry | null>(null);
  const verify = useMutation({ mutationFn: auditApi.verify });

  const columns: TableColumnsType<AuditEntry> = [
    { title: t('field.seq'), dataIndex: 'seq', width: 80 },
    { title: t('field.at'), dataIndex: 'at', width: 170, render: (v: string) => formatDateTime(v) },
    {
      title: t('field.actor'),
      key: 'actor',
      width: 180,
      render: (_v, e) => (
        <>
          <Typography.Text>{e.actorName ?? '—'}</Typography.Text>
          <br />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(`actorType.${e.actorType}`)}
          </Typography.Text>
        </>
      ),
    },
    { title: t('field.action'), dataIndex: 'action', render: (a: string) => actionLabel(t, a) },
    { title: t('field.target'), key: 'target', render: (_v, e) => (e.targetType ? `${targetTypeLabel(t, e.targetType)}${e.targetId ? ` · ${e.targetId.slice(0, 8)}` : ''}` : '—') },
    { title: t('field.outcome'), dataIndex: 'outcome', width: 90, render: (o: AuditEntry['outcome']) => <Tag color={o === 'ok' ? 'success' : 'error'}>{t(`outcome.${o}`)}</Tag> },
    { title: t('field.ip'), dataIndex: 'ip', width: 130, render: (ip: string | null) => ip ?? '—' },
    {
      title: t('common:field.actions'),
      key: 'detail',
      width: 80,
      fixed: 'right',
      render: (_v, e) => (
        <Button type="link" size="small" onClick={() => setSelected(e)} data-testid={`audit-detail-${e.seq}`}>
          {t('detail.open')}
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        extra={
          can('audit.verify') ? (
            <Button icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={() => verify.mutate()} data-testid="audit-verify">
              {t('verify.button')}
            </Button>
          ) : null
        }
      />
      <ErrorAlert error={verify.error} onClose={() => verify.reset()} />
      {verify.data ? (
        <Alert
          style={{ marginBottom: 16 }}
          showIcon
          closable={{ onClose: () => verify.reset() }}
          type={verify.data.ok ? 'success' : 'error'}
          data-testid="audit-verify-result"
          title={verify.data.ok ? t('verify.ok') : t('verify.broken', { seq: verify.data.brokenAt ?? '?' })}
          description={t('verify.checked', { count: verify.data.checked })}
        />
      ) : null}
      <DataTable<AuditEntry>
        testId="audit-table"
        title={t('listTitle')}
        queryKey={auditQueryKey}
        fetchPage={auditApi.list}
        rowKey="seq"
        columns={columns}
        filterKeys={filterKeys}
        toFormValues={toFormValues}
        toFilters={toFilters}
        scrollX={1100}
        searchFields={
          <>
            <Form.Item name="actor" label={t('field.actor')}>
              <Input allowClear placeholder={t('filter.actorPlaceholder')} style={{ width: 180 }} data-testid="audit-filter-actor" />
            </Form.Item>
            <Form.Item name="action" label={t('field.action')}>
              <Input allowClear placeholder={t('filter.actionPlaceholder')} style={{ width: 180 }} data-testid="audit-filter-action" />
            </Form.Item>
            <Form.Item name="outcome" label={t('field.outcome')}>
              <Select
                allowClear
                placeholder={t('common:placeholder.all')}
                style={{ width: 110 }}
                options={(['ok', 'refused'] as const).map((o) => ({ value: o, label: t(`outcome.${o}`) }))}
              />
            </Form.Item>
            <Form.Item name="targetType" label={t('field.targetType')}>
              <Input allowClear placeholder={t('filter.targetTypePlaceholder')} style={{ width: 150 }} />
            </Form.Item>
            <Form.Item name="range" label={t('filter.range')}>
              <DatePicker.RangePicker allowEmpty={[true, true]} />
            </Form.Item>
          </>
        }
      />
      <AuditDetailDrawer entry={selected} onClose={() => setSelected(null)} />
    </>
  );
}

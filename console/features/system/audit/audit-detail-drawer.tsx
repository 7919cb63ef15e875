import { Descriptions, Drawer, Empty, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../../server/modules/system/audit/audit.schema';
import { formatDateTime } from '../../../components/format';
import { changesOf, extraOf, type FieldChange } from './audit.api';
import { actionLabel, targetTypeLabel } from './audit-labels';

function show(value: unknown, empty: string): string {
  if (value === undefined) return '—';
  if (value === null || value === '') return empty;
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** One audit entry: who, what, where from, and the before/after of what changed. */
export function AuditDetailDrawer({ entry, onClose }: { entry: AuditEntry | null; onClose: () => void }) {
  const { t } = useTranslation('audit');
  const changes = entry ? changesOf(entry.summary) : null;
  const extra = entry ? extraOf(entry.summary) : {};
  return (
    <Drawer open={Boolean(entry)} onClose={onClose} size={640} title={entry ? t('detail.title', { seq: entry.seq }) : ''} data-testid="audit-detail">
      {entry ? (
        <>
          <Descriptions
            column={1}
            size="small"
            bordered
            styles={{ label: { width: 120, whiteSpace: 'nowrap' } }}
            items={[
              { key: 'at', label: t('field.at'), children: formatDateTime(entry.at) },
              { key: 'actor', label: t('field.actor'), children: `${entry.actorName ?? '—'} (${t(`actorType.${entry.actorType}`)})` },
              { key: 'action', label: t('field.action'), children: `${actionLabel(t, entry.action)} · ${entry.action}` },
              {
                key: 'outcome',
                label: t('field.outcome'),
                children: <Tag color={entry.outcome === 'ok' ? 'success' : 'error'}>{t(`outcome.${entry.outcome}`)}</Tag>,
              },
              { key: 'target', label: t('field.target'), children: entry.targetType ? `${targetTypeLabel(t, entry.targetType)} · ${entry.targetId ?? '—'}` : '—' },
              { key: 'ip', label: t('field.ip'), children: entry.ip ?? '—' },
              { key: 'userAgent', label: t('field.userAgent'), children: <Typography.Text style={{ fontSize: 12 }}>{entry.userAgent ?? '—'}</Typography.Text> },
              { key: 'requestId', label: t('field.requestId'), children: entry.requestId ? <Typography.Text copyable>{entry.requestId}</Typography.Text> : '—' },
              { key: 'hash', label: t('field.hash'), children: <Typography.Text code style={{ fontSize: 11, wordBreak: 'break-all' }}>{entry.hash}</Typography.Text> },
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {t('detail.changes')}
          </Typography.Title>
          {changes ? (
            <Table<FieldChange>
              size="small"
              rowKey="field"
              pagination={false}
              dataSource={changes}
              data-testid="audit-changes"
              columns={[
                { title: t('detail.field'), dataIndex: 'field', width: 150, render: (f: string, row) => (row.changed ? <Typography.Text strong>{f}</Typography.Text> : f) },
                { title: t('detail.before'), dataIndex: 'before', render: (v: unknown, row) => <Typography.Text delete={row.changed && v !== undefined} type={row.changed ? 'danger' : undefined}>{show(v, t('detail.empty'))}</Typography.Text> },
                { title: t('detail.after'), dataIndex: 'after', render: (v: unknown, row) => <Typography.Text type={row.changed ? 'success' : undefined}>{show(v, t('detail.empty'))}</Typography.Text> },
              ]}
            />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('detail.noChanges')} />
          )}
          {Object.keys(extra).length > 0 ? (
            <>
              <Typography.Title level={5} style={{ marginTop: 24 }}>
                {t('detail.other')}
              </Typography.Title>
              <Descriptions column={1} size="small" bordered styles={{ label: { width: 160, whiteSpace: 'nowrap' } }} items={Object.entries(extra).map(([key, value]) => ({ key, label: key, children: show(value, t('detail.empty')) }))} />
            </>
          ) : null}
        </>
      ) : null}
    </Drawer>
  );
}

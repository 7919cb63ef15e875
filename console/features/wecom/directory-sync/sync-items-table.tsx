import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Flex, Radio, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, ErrorAlert } from '../../../components/error-display';
import { directorySyncApi, syncItemsQueryKey, type ApplyBody, type SyncItem, type SyncRun } from './directory-sync.api';

const actionColors: Record<SyncItem['action'], string> = {
  'pull-create': 'green',
  'pull-update': 'cyan',
  'pull-delete': 'volcano',
  'push-create': 'blue',
  'push-update': 'geekblue',
  'push-delete': 'magenta',
  conflict: 'red',
};
const stateColors: Record<SyncItem['state'], string> = { pending: 'default', applied: 'success', failed: 'error', skipped: 'warning' };
const PAGE = 50;

type Choice = 'keep-qiao' | 'take-wecom';

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) {
    return value.map((v) => (typeof v === 'object' && v && 'departmentId' in v ? `#${(v as { departmentId: number }).departmentId}${(v as { isLeader?: boolean }).isLeader ? '★' : ''}` : String(v))).join(', ') || '—';
  }
  return String(value);
}

/** The differences of one run: filters, paging, a choice per conflict, and applying what was chosen. */
export function SyncItemsTable(props: { accountId: string; run: SyncRun; kind?: string | undefined; action?: string | undefined; canApply: boolean; onApplied(jobId: string): void }) {
  const { t } = useTranslation('wecomSync');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [cursors, setCursors] = useState<string[]>([]);
  const [picked, setPicked] = useState<string[]>([]);
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const cursor = cursors[cursors.length - 1];
  const query = useQuery({
    queryKey: [...syncItemsQueryKey(props.accountId, props.run.id), props.kind, props.action, cursor, props.run.state],
    queryFn: () => directorySyncApi.items(props.accountId, props.run.id, { kind: props.kind, action: props.action, cursor, limit: PAGE }),
    placeholderData: keepPreviousData,
    refetchInterval: props.run.state === 'applying' ? 1500 : false,
  });
  const apply = useMutation({
    mutationFn: (body: ApplyBody) => directorySyncApi.apply(props.accountId, props.run.id, body),
    onSuccess: (started) => {
      setPicked([]);
      setChoices({});
      props.onApplied(started.job.id);
      void queryClient.invalidateQueries({ queryKey: ['wecom-directory-sync', props.accountId] });
    },
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });

  const items = query.data?.items ?? [];
  const busy = props.run.state === 'applying';
  const resolutions = Object.entries(choices).map(([itemId, choice]) => ({ itemId, choice }));
  const counts = props.run.counts;
  const pulls = (counts['pull-create'] ?? 0) + (counts['pull-update'] ?? 0) + (counts['pull-delete'] ?? 0);
  const pushes = (counts['push-create'] ?? 0) + (counts['push-update'] ?? 0) + (counts['push-delete'] ?? 0);

  return (
    <>
      {query.error ? <ErrorAlert error={query.error} /> : null}
      {props.canApply ? (
        <Flex gap={8} wrap style={{ marginBottom: 12 }}>
          <Button disabled={busy || pulls === 0} loading={apply.isPending} onClick={() => apply.mutate({ pulls: true })} data-testid="sync-apply-pulls">
            {t('apply.pulls', { count: pulls })}
          </Button>
          <Button disabled={busy || pushes === 0} loading={apply.isPending} onClick={() => apply.mutate({ pushes: true })} data-testid="sync-apply-pushes">
            {t('apply.pushes', { count: pushes })}
          </Button>
          <Button
            type="primary"
            disabled={busy || (picked.length === 0 && resolutions.length === 0)}
            loading={apply.isPending}
            onClick={() => apply.mutate({ itemIds: picked, resolutions })}
            data-testid="sync-apply-selected"
          >
            {t('apply.selected', { count: picked.length + resolutions.length })}
          </Button>
        </Flex>
      ) : null}
      <Table<SyncItem>
        size="small"
        rowKey="id"
        loading={query.isLoading}
        dataSource={items}
        pagination={false}
        scroll={{ x: 1000 }}
        rowSelection={
          props.canApply
            ? {
                selectedRowKeys: picked,
                onChange: (keys) => setPicked(keys.map(String)),
                getCheckboxProps: (item) => ({ disabled: busy || item.action === 'conflict' || item.state === 'applied' || item.state === 'skipped' }),
              }
            : undefined
        }
        rowClassName={(item) => (item.action === 'conflict' && item.state !== 'applied' ? 'qiao-sync-conflict' : '')}
        onRow={(item) => (item.action === 'conflict' && item.state !== 'applied' ? { style: { background: '#fff1f0' } } : {})}
        columns={[
          { title: t('items.kind'), dataIndex: 'kind', width: 80, render: (value: string) => t(`kind.${value}`) },
          {
            title: t('items.entity'),
            key: 'entity',
            width: 170,
            render: (_: unknown, item) => (
              <Space direction="vertical" size={0}>
                <Typography.Text strong>{item.label}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {item.kind === 'member' ? item.key : `ID ${item.key}`}
                </Typography.Text>
              </Space>
            ),
          },
          { title: t('items.action'), dataIndex: 'action', width: 110, render: (value: SyncItem['action']) => <Tag color={actionColors[value]}>{t(`action.${value}`)}</Tag> },
          {
            title: t('items.changes'),
            key: 'fields',
            render: (_: unknown, item) => (
              <Space direction="vertical" size={2} style={{ width: '100%' }}>
                {item.fields.length === 0 ? <Typography.Text type="secondary">{t('items.wholeEntity')}</Typography.Text> : null}
                {item.fields.map((f) => (
                  <Flex key={f.field} gap={8} align="baseline" wrap>
                    <Typography.Text type={f.conflict ? 'danger' : undefined} style={{ minWidth: 72 }}>
                      {t(`field.${f.field}`)}
                    </Typography.Text>
                    <Typography.Text type="secondary">{t('side.qiao')}</Typography.Text>
                    <Typography.Text delete={item.action.startsWith('pull')}>{show(f.qiao)}</Typography.Text>
                    <Typography.Text type="secondary">{t('side.wecom')}</Typography.Text>
                    <Typography.Text delete={item.action.startsWith('push')}>{show(f.wecom)}</Typography.Text>
                  </Flex>
                ))}
                {item.unavailableFields.length ? (
                  <Tooltip title={t('items.unavailableHint')}>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('items.unavailable', { fields: item.unavailableFields.map((f) => t(`field.${f}`)).join(t('listSeparator')) })}
                    </Typography.Text>
                  </Tooltip>
                ) : null}
              </Space>
            ),
          },
          {
            title: t('items.choice'),
            key: 'choice',
            width: 220,
            render: (_: unknown, item) =>
              item.action !== 'conflict' ? null : item.state === 'pending' || item.state === 'failed' ? (
                <Radio.Group
                  size="small"
                  disabled={!props.canApply || busy}
                  value={choices[item.id] ?? item.resolution ?? undefined}
                  onChange={(event) => setChoices({ ...choices, [item.id]: event.target.value as Choice })}
                  options={[
                    { value: 'keep-qiao', label: t('choice.keep-qiao') },
                    { value: 'take-wecom', label: t('choice.take-wecom') },
                  ]}
                  optionType="button"
                />
              ) : (
                <Tag>{item.resolution ? t(`choice.${item.resolution}`) : '—'}</Tag>
              ),
          },
          {
            title: t('items.result'),
            key: 'state',
            width: 220,
            render: (_: unknown, item) => (
              <Space direction="vertical" size={0}>
                <Tag color={stateColors[item.state]}>{t(`itemState.${item.state}`)}</Tag>
                {item.error ? <Typography.Text type="danger" style={{ fontSize: 12 }}>{item.error}</Typography.Text> : null}
              </Space>
            ),
          },
        ]}
      />
      <Flex justify="flex-end" gap={8} style={{ marginTop: 12 }}>
        <Button size="small" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
          {t('common:table.previousPage')}
        </Button>
        <Button size="small" disabled={!query.data?.nextCursor} onClick={() => query.data?.nextCursor && setCursors([...cursors, query.data.nextCursor])}>
          {t('common:table.nextPage')}
        </Button>
      </Flex>
    </>
  );
}

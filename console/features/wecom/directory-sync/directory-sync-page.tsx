import { SyncOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Flex, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../../app/session';
import { useProductAccount } from '../../../components/account-picker';
import { ErrorAlert, errorMessage } from '../../../components/error-display';
import { formatDateTime } from '../../../components/format';
import { JobProgress, useUrlJob } from '../../../components/job-progress';
import { PageHeader } from '../../../components/page-header';
import { useUrlState } from '../../../components/url-state';
import { directorySyncApi, restrictedMemberFields, syncRunsQueryKey, type SyncRun } from './directory-sync.api';
import { SyncItemsTable } from './sync-items-table';

const runStateColors: Record<SyncRun['state'], string> = { comparing: 'processing', ready: 'blue', applying: 'processing', applied: 'success', failed: 'error' };

/**
 * 通讯录同步: compare Qiao's directory with WeCom's, look at every difference
 * (conflicts side by side), choose, apply, and read the per-item results.
 */
export function DirectorySyncPage() {
  const { t } = useTranslation('wecomSync');
  const { message } = App.useApp();
  const can = useCan();
  const queryClient = useQueryClient();
  const { account, picker, empty, isLoading } = useProductAccount('wecom');
  const [jobId, setJobId] = useUrlJob();
  const [{ run: runId }, setUrl] = useUrlState(['run']);
  const [kind, setKind] = useState<string | undefined>();
  const [action, setAction] = useState<string | undefined>();

  const runs = useQuery({
    queryKey: syncRunsQueryKey(account?.id ?? ''),
    queryFn: () => directorySyncApi.runs(account!.id),
    enabled: !!account,
    refetchInterval: (q) => (q.state.data?.items.some((r) => r.state === 'comparing' || r.state === 'applying') ? 1500 : false),
  });
  const compare = useMutation({
    mutationFn: () => directorySyncApi.compare(account!.id),
    onSuccess: (started) => {
      setUrl({ run: started.run.id });
      setJobId(started.job.id);
      void queryClient.invalidateQueries({ queryKey: syncRunsQueryKey(account!.id) });
    },
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });

  if (!account) {
    return (
      <>
        <PageHeader title={t('page.title')} description={t('page.description')} />
        {isLoading ? null : empty}
      </>
    );
  }

  const selected = runs.data?.items.find((r) => r.id === runId) ?? runs.data?.items[0] ?? null;
  const countText = (run: SyncRun) =>
    Object.entries(run.counts)
      .filter(([, n]) => n > 0)
      .map(([name, n]) => `${t(`action.${name}`)} ${n}`)
      .join(' · ') || t('runs.noDifference');

  return (
    <>
      <PageHeader
        title={t('page.title')}
        description={t('page.description')}
        extra={
          <>
            {picker}
            <Button type="primary" icon={<SyncOutlined />} loading={compare.isPending} onClick={() => compare.mutate()} data-testid="sync-compare">
              {t('compare')}
            </Button>
          </>
        }
      />
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        message={t('restricted.title')}
        description={t('restricted.body', { fields: restrictedMemberFields.map((f) => t(`field.${f}`)).join(t('listSeparator')) })}
      />
      {jobId ? (
        <div style={{ marginBottom: 16 }}>
          <JobProgress
            jobId={jobId}
            onClose={() => {
              setJobId(undefined);
              void queryClient.invalidateQueries({ queryKey: ['wecom-directory-sync', account.id] });
            }}
          />
        </div>
      ) : null}
      <Card size="small" title={t('runs.title')} style={{ marginBottom: 16 }}>
        {runs.error ? <ErrorAlert error={runs.error} /> : null}
        <Table<SyncRun>
          size="small"
          rowKey="id"
          loading={runs.isLoading}
          dataSource={runs.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: <Empty description={t('runs.empty')} /> }}
          rowClassName={(run) => (run.id === selected?.id ? 'ant-table-row-selected' : '')}
          onRow={(run) => ({ onClick: () => setUrl({ run: run.id }), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('runs.createdAt'), dataIndex: 'createdAt', width: 180, render: (value: string) => formatDateTime(value) },
            { title: t('runs.trigger'), dataIndex: 'trigger', width: 140, render: (value: string) => t(`trigger.${value}`) },
            { title: t('runs.state'), dataIndex: 'state', width: 110, render: (value: SyncRun['state']) => <Tag color={runStateColors[value]}>{t(`state.${value}`)}</Tag> },
            { title: t('runs.counts'), key: 'counts', render: (_: unknown, run) => <Typography.Text>{countText(run)}</Typography.Text> },
            {
              title: t('runs.hidden'),
              dataIndex: 'hiddenFields',
              width: 200,
              render: (fields: string[]) => (fields.length ? fields.map((f) => <Tag key={f}>{t(`field.${f}`)}</Tag>) : '—'),
            },
          ]}
        />
      </Card>
      {selected && selected.state !== 'comparing' && selected.state !== 'failed' ? (
        <Card
          size="small"
          title={t('items.title', { time: formatDateTime(selected.createdAt) })}
          extra={
            <Space>
              <Select allowClear placeholder={t('items.kind')} style={{ width: 120 }} value={kind} onChange={setKind} options={['department', 'member'].map((k) => ({ value: k, label: t(`kind.${k}`) }))} />
              <Select
                allowClear
                placeholder={t('items.action')}
                style={{ width: 150 }}
                value={action}
                onChange={setAction}
                options={['pull-create', 'pull-update', 'pull-delete', 'push-create', 'push-update', 'push-delete', 'conflict'].map((a) => ({ value: a, label: t(`action.${a}`) }))}
              />
            </Space>
          }
        >
          <SyncItemsTable accountId={account.id} run={selected} kind={kind} action={action} canApply={can('wecom.directory.write')} onApplied={(id) => setJobId(id)} />
        </Card>
      ) : (
        <Flex justify="center">{selected ? <Typography.Text type="secondary">{t(`state.${selected.state}`)}</Typography.Text> : null}</Flex>
      )}
    </>
  );
}

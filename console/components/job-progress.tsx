import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Flex, Popconfirm, Progress, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCan } from '../app/session';
import { isJobFinished, jobQueryKey, jobsApi, type Job, type JobRowError, type JobState } from '../features/system/jobs/jobs.api';
import { ErrorAlert, errorMessage } from './error-display';
import { formatDateTime } from './format';
import { useUrlState } from './url-state';

/** Tag colours of job states, shared with the job list. */
export const jobStateColors: Record<JobState, string> = {
  queued: 'default',
  running: 'processing',
  succeeded: 'success',
  failed: 'error',
  cancelled: 'warning',
};

/** Whole percent done; undefined while the total is unknown. */
export function percentOf(job: Job): number | undefined {
  if (job.state === 'succeeded') return 100;
  if (!job.total) return undefined;
  return Math.min(100, Math.floor((job.done / job.total) * 100));
}

/** The job a page started, kept in `?job=` so its progress panel survives a reload. */
export function useUrlJob() {
  const [values, setValues] = useUrlState(['job']);
  return [values.job, (jobId: string | undefined) => setValues({ job: jobId })] as const;
}

/**
 * Progress of a long-running job: polls `/api/v1/jobs/{id}` until it ends,
 * then shows the outcome and every row error (e.g. Excel row and column).
 */
export function JobProgress({ jobId, onClose }: { jobId: string; onClose?: () => void }) {
  const { t } = useTranslation('jobs');
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: jobQueryKey(jobId),
    queryFn: () => jobsApi.get(jobId),
    refetchInterval: (q) => (q.state.data && isJobFinished(q.state.data.state) ? false : 1000),
  });
  const cancel = useMutation({
    mutationFn: () => jobsApi.cancel(jobId),
    onSuccess: (job) => queryClient.setQueryData(jobQueryKey(jobId), job),
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });

  const job = query.data;
  return (
    <Card
      size="small"
      data-testid="job-progress"
      data-job-id={jobId}
      title={t('progress.title')}
      extra={
        <Flex gap={8}>
          {job && !isJobFinished(job.state) && !job.cancelRequested && can('jobs.cancel') ? (
            <Popconfirm title={t('progress.cancelConfirm')} onConfirm={() => cancel.mutate()}>
              <Button size="small" danger loading={cancel.isPending} data-testid="job-cancel">
                {t('progress.cancel')}
              </Button>
            </Popconfirm>
          ) : null}
          {onClose && (!job || isJobFinished(job.state)) ? (
            <Button size="small" onClick={onClose} data-testid="job-close">
              {t('common:action.close')}
            </Button>
          ) : null}
        </Flex>
      }
    >
      <ErrorAlert error={query.error} />
      {job ? (
        <Flex vertical gap={12}>
          <Flex align="center" gap={12}>
            <Tag color={jobStateColors[job.state]} data-testid="job-state">
              {t(`state.${job.state}`)}
            </Tag>
            {job.cancelRequested && !isJobFinished(job.state) ? <Tag color="warning">{t('progress.cancelling')}</Tag> : null}
            <Typography.Text type="secondary">
              {job.total ? t('progress.counted', { done: job.done, total: job.total }) : t('progress.uncounted', { done: job.done })}
            </Typography.Text>
          </Flex>
          <Progress
            percent={percentOf(job) ?? (isJobFinished(job.state) ? 100 : 0)}
            status={job.state === 'failed' ? 'exception' : job.state === 'succeeded' ? 'success' : job.state === 'running' ? 'active' : 'normal'}
          />
          {job.failure ? <ErrorAlert error={new Error(job.failure.message)} /> : null}
          <Descriptions
            size="small"
            column={2}
            items={[
              { key: 'kind', label: t('field.kind'), children: <Typography.Text code>{job.kind}</Typography.Text> },
              { key: 'id', label: t('field.id'), children: <Typography.Text copyable>{job.id}</Typography.Text> },
              { key: 'createdAt', label: t('field.createdAt'), children: formatDateTime(job.createdAt) },
              { key: 'finishedAt', label: t('field.finishedAt'), children: formatDateTime(job.finishedAt) },
            ]}
          />
          {job.errorCount > 0 ? <JobErrors errors={job.errors} count={job.errorCount} /> : null}
        </Flex>
      ) : null}
    </Card>
  );
}

function JobErrors({ errors, count }: { errors: JobRowError[]; count: number }) {
  const { t } = useTranslation('jobs');
  return (
    <div>
      <Typography.Text strong>{t('errors.title', { count })}</Typography.Text>
      <Table<JobRowError & { key: number }>
        size="small"
        style={{ marginTop: 8 }}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        dataSource={errors.map((e, i) => ({ ...e, key: i }))}
        columns={[
          { title: t('errors.row'), dataIndex: 'row', width: 80, render: (v: number | undefined, r) => v ?? r.item ?? '—' },
          { title: t('errors.column'), dataIndex: 'column', width: 120, render: (v: string | undefined) => v ?? '—' },
          { title: t('errors.code'), dataIndex: 'code', width: 200 },
          { title: t('errors.message'), dataIndex: 'message' },
        ]}
      />
    </div>
  );
}

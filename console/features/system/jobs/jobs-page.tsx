import { Button, Form, Input, Progress, Select, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { DataTable } from '../../../components/data-table';
import { formatDateTime } from '../../../components/format';
import { jobStateColors, percentOf } from '../../../components/job-progress';
import { PageHeader } from '../../../components/page-header';
import { isJobFinished, jobStates, jobsApi, jobsQueryKey, type Job } from './jobs.api';

const filterKeys = ['kind', 'state'] as const;

/** 后台任务: imports, syncs and pushes, newest first; each opens its progress page. */
export function JobsPage() {
  const { t } = useTranslation('jobs');
  const columns: TableColumnsType<Job> = [
    { title: t('field.kind'), dataIndex: 'kind', render: (kind: string) => <Typography.Text code>{kind}</Typography.Text> },
    { title: t('field.state'), dataIndex: 'state', width: 110, render: (state: Job['state']) => <Tag color={jobStateColors[state]}>{t(`state.${state}`)}</Tag> },
    {
      title: t('field.progress'),
      key: 'progress',
      width: 220,
      render: (_v, job) => (
        <Progress
          size="small"
          percent={percentOf(job) ?? (isJobFinished(job.state) ? 100 : 0)}
          status={job.state === 'failed' ? 'exception' : job.state === 'succeeded' ? 'success' : 'normal'}
          format={() => (job.total ? `${job.done}/${job.total}` : String(job.done))}
        />
      ),
    },
    { title: t('field.errorCount'), dataIndex: 'errorCount', width: 100, render: (n: number) => (n > 0 ? <Typography.Text type="danger">{n}</Typography.Text> : 0) },
    { title: t('field.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v) },
    { title: t('field.finishedAt'), dataIndex: 'finishedAt', width: 170, render: (v: string | null) => formatDateTime(v) },
    {
      title: t('common:field.actions'),
      key: 'open',
      width: 90,
      render: (_v, job) => (
        <Link to={`/system/jobs/${encodeURIComponent(job.id)}`} data-testid={`job-open-${job.id}`}>
          <Button type="link" size="small">
            {t('list.open')}
          </Button>
        </Link>
      ),
    },
  ];

  return (
    <>
      <PageHeader title={t('list.title')} description={t('list.description')} />
      <DataTable<Job>
        testId="jobs-table"
        title={t('list.tableTitle')}
        queryKey={jobsQueryKey}
        fetchPage={jobsApi.list}
        rowKey="id"
        columns={columns}
        filterKeys={filterKeys}
        searchFields={
          <>
            <Form.Item name="kind" label={t('field.kind')}>
              <Input allowClear style={{ width: 220 }} />
            </Form.Item>
            <Form.Item name="state" label={t('field.state')}>
              <Select allowClear placeholder={t('common:placeholder.all')} style={{ width: 130 }} options={jobStates.map((s) => ({ value: s, label: t(`state.${s}`) }))} />
            </Form.Item>
          </>
        }
      />
    </>
  );
}

import { DownloadOutlined, ExportOutlined, InboxOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Flex, Radio, Space, Statistic, Steps, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan, useMe } from '../../../app/session';
import { useProductAccount } from '../../../components/account-picker';
import { ErrorAlert, errorMessage } from '../../../components/error-display';
import { JobProgress, useUrlJob } from '../../../components/job-progress';
import { PageHeader } from '../../../components/page-header';
import { isJobFinished, jobQueryKey, jobsApi } from '../../system/jobs/jobs.api';
import { importResultOf, memberImportApi, type ImportOptions } from './member-import.api';

/**
 * 成员批量导入: download the template, upload, dry-run with a row report and
 * an annotated copy, fix and upload again, then import with a progress bar.
 */
export function MemberImportPage() {
  const { t } = useTranslation('wecomImport');
  const { message } = App.useApp();
  const me = useMe();
  const can = useCan();
  const { account, picker, empty, isLoading } = useProductAccount('wecom');
  const [file, setFile] = useState<File | null>(null);
  const [createMissingDepartments, setCreateMissing] = useState(false);
  const [onError, setOnError] = useState<ImportOptions['onError']>('abort');
  const [jobId, setJobId] = useUrlJob();
  const job = useQuery({
    queryKey: jobQueryKey(jobId ?? ''),
    queryFn: () => jobsApi.get(jobId!),
    enabled: !!jobId,
    refetchInterval: (q) => (q.state.data && isJobFinished(q.state.data.state) ? false : 1000),
  });

  const start = useMutation({
    mutationFn: (dryRun: boolean) => memberImportApi.start(account!.id, file!, { dryRun, onError, createMissingDepartments }, me.csrfToken),
    // The previous run's result goes at once: while the file uploads, a finished dry run must not read as the import's outcome.
    onMutate: () => setJobId(undefined),
    onSuccess: (started) => setJobId(started.id),
  });
  const downloading = useMutation({
    mutationFn: (what: () => Promise<void>) => what(),
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

  const current = job.data;
  const result = importResultOf(current);
  const finished = current ? isJobFinished(current.state) : false;
  const wasDryRun = result?.dryRun ?? (current?.result as { dryRun?: boolean } | null)?.dryRun;
  const step = !file ? 1 : !current ? 2 : finished && wasDryRun !== false ? (current.errorCount > 0 ? 2 : 3) : 3;

  const pick = (picked: File) => {
    setFile(picked);
    setJobId(undefined);
    start.reset();
    return false;
  };

  return (
    <>
      <PageHeader
        title={t('page.title')}
        description={t('page.description')}
        extra={
          <>
            {picker}
            {can('wecom.directory.export') ? (
              <Button
                icon={<ExportOutlined />}
                loading={downloading.isPending}
                onClick={() => downloading.mutate(() => memberImportApi.exportMembers(account.id))}
                data-testid="member-export"
              >
                {t('action.export')}
              </Button>
            ) : null}
          </>
        }
      />
      <Steps
        current={step}
        style={{ marginBottom: 20 }}
        items={[{ title: t('step.template') }, { title: t('step.upload') }, { title: t('step.check') }, { title: t('step.import') }]}
      />
      <Flex vertical gap={16}>
        <Card size="small" title={t('template.title')}>
          <Flex justify="space-between" align="center" gap={16} wrap>
            <Typography.Text type="secondary">{t('template.help')}</Typography.Text>
            <Button
              icon={<DownloadOutlined />}
              onClick={() => downloading.mutate(() => memberImportApi.downloadTemplate(account.id))}
              data-testid="template-download"
            >
              {t('template.download')}
            </Button>
          </Flex>
        </Card>

        <Card size="small" title={t('upload.title')}>
          <Flex vertical gap={12}>
            <Upload.Dragger
              accept=".xlsx"
              maxCount={1}
              showUploadList={false}
              beforeUpload={pick}
              data-testid="import-file"
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{file ? file.name : t('upload.drop')}</p>
              <p className="ant-upload-hint">{t('upload.hint')}</p>
            </Upload.Dragger>
            <Space size="large" wrap>
              <Checkbox checked={createMissingDepartments} onChange={(e) => setCreateMissing(e.target.checked)} data-testid="create-departments">
                {t('options.createMissingDepartments')}
              </Checkbox>
              <Radio.Group value={onError} onChange={(e) => setOnError(e.target.value as ImportOptions['onError'])} data-testid="on-error">
                <Radio value="abort">{t('options.abort')}</Radio>
                <Radio value="skip">{t('options.skip')}</Radio>
              </Radio.Group>
            </Space>
            <ErrorAlert error={start.error} />
            <Space>
              <Button disabled={!file} loading={start.isPending && start.variables === true} onClick={() => start.mutate(true)} data-testid="import-dry-run">
                {t('action.dryRun')}
              </Button>
              <Button
                type="primary"
                disabled={!file || (current !== undefined && !finished)}
                loading={start.isPending && start.variables === false}
                onClick={() => start.mutate(false)}
                data-testid="import-start"
              >
                {t('action.import')}
              </Button>
            </Space>
          </Flex>
        </Card>

        {jobId ? (
          <>
            {result && current ? <ResultSummary jobId={current.id} result={result} /> : null}
            {current && finished && current.errorCount > 0 ? (
              <Alert
                type="warning"
                showIcon
                message={t('report.hasErrors', { count: current.errorCount })}
                description={t(result?.dryRun ? 'report.fixHint' : onError === 'skip' ? 'report.skippedHint' : 'report.abortedHint')}
                action={
                  <Button
                    size="small"
                    icon={<DownloadOutlined />}
                    onClick={() => downloading.mutate(() => memberImportApi.downloadAnnotated(account.id, current.id))}
                    data-testid="annotated-download"
                  >
                    {t('report.downloadAnnotated')}
                  </Button>
                }
              />
            ) : null}
            {current && finished && current.errorCount === 0 && result?.dryRun ? (
              <Alert type="success" showIcon message={t('report.clean')} data-testid="dry-run-clean" />
            ) : null}
            <JobProgress jobId={jobId} onClose={() => setJobId(undefined)} />
          </>
        ) : null}
      </Flex>
    </>
  );
}

function ResultSummary({ jobId, result }: { jobId: string; result: NonNullable<ReturnType<typeof importResultOf>> }) {
  const { t } = useTranslation('wecomImport');
  const items: [string, number][] = [
    ['rows', result.rows],
    ['validRows', result.validRows],
    ['invalidRows', result.invalidRows],
    ['created', result.created],
    ['updated', result.updated],
    ['unchanged', result.unchanged],
  ];
  if (result.departmentsCreated > 0) items.push(['departmentsCreated', result.departmentsCreated]);
  return (
    <Card size="small" title={t(result.dryRun ? 'result.dryRunTitle' : 'result.importTitle')} data-testid="import-result" data-job-id={jobId}>
      <Flex gap={32} wrap>
        {items.map(([key, value]) => (
          <Statistic key={key} title={t(`result.${key}`)} value={value} data-testid={`result-${key}`} />
        ))}
      </Flex>
    </Card>
  );
}

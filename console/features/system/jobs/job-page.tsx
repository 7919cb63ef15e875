import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useCan } from '../../../app/session';
import { JobProgress } from '../../../components/job-progress';
import { PageHeader } from '../../../components/page-header';

/** A job's own page: the link a long import or sync can be followed at, reload included. */
export function JobPage() {
  const { t } = useTranslation('jobs');
  const { jobId = '' } = useParams();
  const can = useCan();
  return (
    <>
      <PageHeader
        title={t('page.title')}
        description={t('page.description')}
        extra={
          can('jobs.read') ? (
            <Link to="/system/jobs">
              <Button icon={<ArrowLeftOutlined />}>{t('page.back')}</Button>
            </Link>
          ) : null
        }
      />
      <JobProgress jobId={jobId} />
    </>
  );
}

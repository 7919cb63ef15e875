import { ExportOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { App, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan } from '../../../app/session';
import { errorMessage } from '../../../components/error-display';
import { memberImportApi } from './member-import.api';

/** 「批量导入」 and 「导出」 for the directory page: the import page, and an export of the department shown (with its sub-departments). */
export function DirectoryFileActions({ accountId, departmentId }: { accountId: string; departmentId?: number }) {
  const { t } = useTranslation('wecomImport');
  const { message } = App.useApp();
  const can = useCan();
  const exporting = useMutation({
    mutationFn: () => memberImportApi.exportMembers(accountId, departmentId ? { departmentId, includeSubdepartments: true } : {}),
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });
  return (
    <>
      {can('wecom.directory.write') ? (
        <Link to={`/wecom/directory/import?account=${encodeURIComponent(accountId)}`}>
          <Button icon={<UploadOutlined />} data-testid="directory-import">
            {t('action.batchImport')}
          </Button>
        </Link>
      ) : null}
      {can('wecom.directory.export') ? (
        <Button icon={<ExportOutlined />} loading={exporting.isPending} onClick={() => exporting.mutate()} data-testid="directory-export">
          {t('action.exportShort')}
        </Button>
      ) : null}
    </>
  );
}

import { useMutation } from '@tanstack/react-query';
import { Alert, Form, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Tag } from '../../../../server/modules/official-account/tags/tags.schema';
import { ErrorAlert } from '../../../components/error-display';
import { tagsApi } from '../tags/tags.api';

/** 打标签 / 取消标签 for the selected followers: starts a job of WeChat's 50-OpenID batches. */
export function TagFollowersModal(props: {
  accountId: string;
  action: 'tag' | 'untag';
  openIds: string[];
  tags: Tag[];
  onClose: () => void;
  onStarted: (jobId: string) => void;
}) {
  const { t } = useTranslation('oaFollowers');
  const [form] = Form.useForm<{ tagId: number }>();
  const start = useMutation({
    mutationFn: (tagId: number) =>
      props.action === 'tag' ? tagsApi.tagFollowers(props.accountId, tagId, props.openIds) : tagsApi.untagFollowers(props.accountId, tagId, props.openIds),
    onSuccess: (job) => props.onStarted(job.id),
  });
  return (
    <Modal
      open
      title={t(props.action === 'tag' ? 'bulk.tagTitle' : 'bulk.untagTitle', { count: props.openIds.length })}
      okText={t(props.action === 'tag' ? 'action.tag' : 'action.untag')}
      confirmLoading={start.isPending}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Alert type="info" showIcon message={t('bulk.hint')} style={{ marginBottom: 16 }} />
      <ErrorAlert error={start.error} />
      <Form form={form} layout="vertical" onFinish={(values) => start.mutate(values.tagId)}>
        <Form.Item name="tagId" label={t('bulk.tag')} rules={[{ required: true, message: t('bulk.tagRequired') }]}>
          <Select
            showSearch
            optionFilterProp="label"
            options={props.tags.map((tag) => ({ value: tag.id, label: tag.name }))}
            placeholder={t('bulk.tagPlaceholder')}
            notFoundContent={t('bulk.noTags')}
            data-testid="bulk-tag-select"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

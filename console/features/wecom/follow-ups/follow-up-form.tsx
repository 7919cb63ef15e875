import { UploadOutlined } from '@ant-design/icons';
import { Button, DatePicker, Form, Input, Select, Upload, type UploadFile } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { followUpStages, type FollowUp, type FollowUpStage } from './follow-ups.api';

export interface FollowUpFormValues {
  userid?: string;
  stage: FollowUpStage;
  note: string;
  nextContactAt?: Dayjs | null;
  files?: UploadFile[];
}

/** The fields of a follow-up: whose customer (when the writer must say), stage, note, next contact and files to attach. */
export function FollowUpFields(props: { askMember: boolean; withFiles: boolean }) {
  const { t } = useTranslation('wecomFollowUps');
  return (
    <>
      {props.askMember ? (
        <Form.Item name="userid" label={t('field.member')} rules={[{ required: true, message: t('form.memberRequired') }]} extra={t('form.memberHint')}>
          <Input maxLength={64} placeholder="userid" data-testid="follow-up-userid" />
        </Form.Item>
      ) : null}
      <Form.Item name="stage" label={t('field.stage')} rules={[{ required: true }]}>
        <Select options={followUpStages.map((s) => ({ value: s, label: t(`stage.${s}`) }))} data-testid="follow-up-stage" />
      </Form.Item>
      <Form.Item name="note" label={t('field.note')} rules={[{ required: true, whitespace: true, message: t('form.noteRequired') }]}>
        <Input.TextArea rows={4} maxLength={5000} showCount placeholder={t('form.notePlaceholder')} data-testid="follow-up-note" />
      </Form.Item>
      <Form.Item name="nextContactAt" label={t('field.nextContactAt')} extra={t('form.reminderHint')}>
        <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" disabledDate={(d) => d.isBefore(dayjs(), 'day')} style={{ width: 220 }} />
      </Form.Item>
      {props.withFiles ? (
        <Form.Item name="files" label={t('field.attachments')} valuePropName="fileList" getValueFromEvent={(e: { fileList: UploadFile[] }) => e.fileList} extra={t('form.attachmentHint')}>
          <Upload beforeUpload={() => false} multiple maxCount={9} accept=".png,.jpg,.jpeg,.gif,.webp,.pdf,.docx,.xlsx,.pptx,.txt,.csv">
            <Button icon={<UploadOutlined />}>{t('action.chooseFiles')}</Button>
          </Upload>
        </Form.Item>
      ) : null}
    </>
  );
}

export function formValuesOf(record: FollowUp): FollowUpFormValues {
  return { stage: record.stage, note: record.note, nextContactAt: record.nextContactAt ? dayjs(record.nextContactAt) : null };
}

import { DeleteOutlined, EditOutlined, HistoryOutlined, PaperClipOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Flex, Form, Modal, Popconfirm, Space, Tag, Timeline, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan, useMe } from '../../../app/session';
import { ErrorAlert, errorMessage } from '../../../components/error-display';
import { formatDateTime } from '../../../components/format';
import { FollowUpFields, formValuesOf, type FollowUpFormValues } from './follow-up-form';
import { followUpsApi, followUpsKey, stageColors, type FollowUp } from './follow-ups.api';

/** The element id of a record in the panel, so other parts of the customer page can lead to it. */
export const followUpAnchor = (followUpId: string) => `follow-up-${followUpId}`;

/** Due and overdue as tags; nothing when the record holds no open reminder. */
export function ReminderTag({ record }: { record: FollowUp }) {
  const { t } = useTranslation('wecomFollowUps');
  if (record.reminderStatus === 'none') return null;
  return (
    <Tooltip title={record.reminder.state === 'sent' ? t('reminder.sentAt', { at: formatDateTime(record.reminder.sentAt) }) : record.reminder.state === 'failed' ? t('reminder.failed', { error: record.reminder.error }) : undefined}>
      <Tag color={record.reminderStatus === 'overdue' ? 'red' : 'orange'}>{t(`reminderStatus.${record.reminderStatus}`)}</Tag>
    </Tooltip>
  );
}

/**
 * 跟进记录 of one customer: the timeline, a form to write one, editing with
 * history, and attachments. The customer page embeds it with the account and
 * the customer's external userid.
 */
export function CustomerFollowUps(props: { accountId: string; externalUserId: string; defaultUserid?: string }) {
  const { t } = useTranslation('wecomFollowUps');
  const me = useMe();
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FollowUpFormValues>();
  const [writing, setWriting] = useState(false);
  const [editing, setEditing] = useState<FollowUp | null>(null);
  const [historyOf, setHistoryOf] = useState<FollowUp | null>(null);
  const writable = can('wecom.customers.write');
  const ownMembers = me.wecomMembers.filter((m) => m.accountId === props.accountId);
  const askMember = !props.defaultUserid && !(me.role === 'member' && ownMembers.length === 1);
  const key = [...followUpsKey(props.accountId), 'customer', props.externalUserId];
  const records = useQuery({ queryKey: key, queryFn: () => followUpsApi.ofCustomer(props.accountId, props.externalUserId, { limit: 100 }) });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: followUpsKey(props.accountId) });

  const save = useMutation({
    mutationFn: async (values: FollowUpFormValues) => {
      const nextContactAt = values.nextContactAt ? values.nextContactAt.second(0).millisecond(0).toISOString() : null;
      if (editing) return followUpsApi.update(props.accountId, props.externalUserId, editing.id, { note: values.note, stage: values.stage, nextContactAt });
      const created = await followUpsApi.create(props.accountId, props.externalUserId, {
        ...(values.userid || props.defaultUserid ? { userid: values.userid || props.defaultUserid } : {}),
        note: values.note,
        stage: values.stage,
        nextContactAt,
      });
      for (const file of values.files ?? []) {
        if (file.originFileObj) await followUpsApi.attach(props.accountId, props.externalUserId, created.id, file.originFileObj, me.csrfToken);
      }
      return created;
    },
    onSuccess: () => {
      void message.success(editing ? t('saved') : t('created'));
      setWriting(false);
      setEditing(null);
      form.resetFields();
      refresh();
    },
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });
  const remove = useMutation({
    mutationFn: (record: FollowUp) => followUpsApi.remove(props.accountId, props.externalUserId, record.id),
    onSuccess: () => {
      void message.success(t('deleted'));
      refresh();
    },
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });
  const detach = useMutation({
    mutationFn: (input: { record: FollowUp; attachmentId: string }) => followUpsApi.removeAttachment(props.accountId, props.externalUserId, input.record.id, input.attachmentId),
    onSuccess: refresh,
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });

  const open = (record: FollowUp | null) => {
    setEditing(record);
    setWriting(true);
    form.setFieldsValue(record ? formValuesOf(record) : { stage: 'initial_contact', note: '', nextContactAt: null, files: [] });
  };
  const items = records.data?.items ?? [];

  return (
    <Card
      size="small"
      title={t('panel.title', { count: records.data?.total ?? items.length })}
      extra={
        writable ? (
          <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => open(null)} data-testid="follow-up-write">
            {t('action.write')}
          </Button>
        ) : null
      }
      data-testid="customer-follow-ups"
    >
      <ErrorAlert error={records.error} />
      {items.length === 0 && !records.isLoading ? <Empty description={t('panel.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} /> : null}
      <Timeline
        style={{ marginTop: 8 }}
        items={items.map((record) => ({
          key: record.id,
          color: record.stage === 'lost' ? 'red' : record.stage === 'won' ? 'green' : 'blue',
          children: (
            <Flex vertical gap={4} id={followUpAnchor(record.id)}>
              <Space wrap size={6}>
                <Tag color={stageColors[record.stage]}>{t(`stage.${record.stage}`)}</Tag>
                <Typography.Text type="secondary">{formatDateTime(record.createdAt)}</Typography.Text>
                <Typography.Text type="secondary">
                  {t('panel.byline', { member: record.memberName ?? record.userid, writer: record.createdBy.name ?? '—' })}
                </Typography.Text>
                {record.revision > 1 ? <Tag>{t('panel.edited', { count: record.revision - 1 })}</Tag> : null}
              </Space>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{record.note}</Typography.Paragraph>
              {record.nextContactAt ? (
                <Space size={6}>
                  <Typography.Text type="secondary">{t('field.nextContactAt')}：{formatDateTime(record.nextContactAt)}</Typography.Text>
                  <ReminderTag record={record} />
                </Space>
              ) : null}
              {record.attachments.length > 0 ? (
                <Space wrap size={4}>
                  {record.attachments.map((a) => (
                    <Tag
                      key={a.id}
                      icon={<PaperClipOutlined />}
                      closable={writable}
                      onClose={(e) => {
                        e.preventDefault();
                        detach.mutate({ record, attachmentId: a.id });
                      }}
                    >
                      <a onClick={() => void followUpsApi.downloadAttachment(props.accountId, props.externalUserId, record.id, a).catch((error: unknown) => message.error(errorMessage(error, a.filename)))}>
                        {a.filename}
                      </a>
                    </Tag>
                  ))}
                </Space>
              ) : null}
              <Space size={0}>
                {writable ? (
                  <Button type="link" size="small" icon={<EditOutlined />} onClick={() => open(record)}>
                    {t('action.edit')}
                  </Button>
                ) : null}
                {record.revision > 1 ? (
                  <Button type="link" size="small" icon={<HistoryOutlined />} onClick={() => setHistoryOf(record)}>
                    {t('action.history')}
                  </Button>
                ) : null}
                {writable ? (
                  <Popconfirm title={t('confirmDelete')} onConfirm={() => remove.mutate(record)}>
                    <Button type="link" size="small" danger icon={<DeleteOutlined />}>
                      {t('action.delete')}
                    </Button>
                  </Popconfirm>
                ) : null}
              </Space>
            </Flex>
          ),
        }))}
      />
      <Modal
        open={writing}
        title={editing ? t('form.editTitle') : t('form.createTitle')}
        okText={t('action.save')}
        confirmLoading={save.isPending}
        onOk={() => form.submit()}
        onCancel={() => {
          setWriting(false);
          setEditing(null);
        }}
        destroyOnHidden
        forceRender
      >
        <Form form={form} layout="vertical" onFinish={(values) => save.mutate(values)}>
          <FollowUpFields askMember={!editing && askMember} withFiles={!editing} />
        </Form>
      </Modal>
      <HistoryModal accountId={props.accountId} externalUserId={props.externalUserId} record={historyOf} onClose={() => setHistoryOf(null)} />
    </Card>
  );
}

function HistoryModal(props: { accountId: string; externalUserId: string; record: FollowUp | null; onClose(): void }) {
  const { t } = useTranslation('wecomFollowUps');
  const history = useQuery({
    queryKey: [...followUpsKey(props.accountId), 'history', props.record?.id],
    queryFn: () => followUpsApi.history(props.accountId, props.externalUserId, props.record!.id),
    enabled: props.record !== null,
  });
  return (
    <Modal open={props.record !== null} title={t('history.title')} footer={null} onCancel={props.onClose} width={640}>
      <ErrorAlert error={history.error} />
      <Timeline
        items={(history.data?.items ?? []).map((r) => ({
          key: r.revision,
          color: 'gray',
          children: (
            <Flex vertical gap={2}>
              <Space wrap size={6}>
                <Tag>{t('history.revision', { revision: r.revision })}</Tag>
                <Tag color={stageColors[r.stage]}>{t(`stage.${r.stage}`)}</Tag>
                <Typography.Text type="secondary">
                  {formatDateTime(r.writtenAt)} · {r.writtenBy.name ?? '—'}
                </Typography.Text>
              </Space>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{r.note}</Typography.Paragraph>
              {r.nextContactAt ? <Typography.Text type="secondary">{t('field.nextContactAt')}：{formatDateTime(r.nextContactAt)}</Typography.Text> : null}
            </Flex>
          ),
        }))}
      />
    </Modal>
  );
}

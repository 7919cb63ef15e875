import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Drawer, Flex, Form, Input, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QuickReply } from '../../../../server/modules/official-account/inbox/inbox.schema';
import { useCan } from '../../../app/session';
import { ErrorAlert, errorMessage } from '../../../components/error-display';
import { inboxApi, quickRepliesKey } from './inbox.api';

/** Shown literally: the variables a quick reply may use (i18next would otherwise fill them). */
const templateVariables = { remark: '{{remark}}', openId: '{{openId}}', operator: '{{operator}}', interpolation: { escapeValue: false } };

interface Values {
  groupName: string;
  title: string;
  content: string;
}

/** 快捷回复: canned answers by group, with {{remark}}, {{openId}} and {{operator}} filled per follower when sent. */
export function QuickRepliesDrawer({ accountId, open, onClose }: { accountId: string; open: boolean; onClose: () => void }) {
  const { t } = useTranslation('oaInbox');
  const { message } = App.useApp();
  const canWrite = useCan()('official_account.write');
  const queryClient = useQueryClient();
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<QuickReply | 'new' | null>(null);
  const [form] = Form.useForm<Values>();
  const list = useQuery({ queryKey: [...quickRepliesKey(accountId), q], queryFn: () => inboxApi.quickReplies(accountId, q ? { q } : {}), enabled: open });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: quickRepliesKey(accountId) });
  const save = useMutation({
    mutationFn: (values: Values) => (editing && editing !== 'new' ? inboxApi.updateQuickReply(accountId, editing.id, values) : inboxApi.createQuickReply(accountId, values)),
    onSuccess: () => {
      setEditing(null);
      form.resetFields();
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => inboxApi.deleteQuickReply(accountId, id),
    onSuccess: refresh,
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });

  const startEdit = (row: QuickReply | 'new') => {
    setEditing(row);
    form.setFieldsValue(row === 'new' ? { groupName: t('quick.defaultGroup'), title: '', content: '' } : { groupName: row.groupName, title: row.title, content: row.content });
  };

  return (
    <Drawer title={t('quick.title')} open={open} onClose={onClose} size="large">
      <Flex vertical gap={12}>
        <Typography.Text type="secondary">{t('quick.variables', templateVariables)}</Typography.Text>
        <Flex gap={8}>
          <Input.Search allowClear placeholder={t('quick.search')} onSearch={setQ} style={{ maxWidth: 320 }} />
          {canWrite ? (
            <Button type="primary" onClick={() => startEdit('new')} data-testid="quick-reply-new">
              {t('quick.new')}
            </Button>
          ) : null}
        </Flex>
        {editing ? (
          <Form form={form} layout="vertical" onFinish={(values) => save.mutate(values)} style={{ background: '#fafafa', padding: 12, borderRadius: 6 }}>
            <ErrorAlert error={save.error} />
            <Space wrap>
              <Form.Item name="groupName" label={t('quick.group')} rules={[{ required: true }]}>
                <Input maxLength={30} />
              </Form.Item>
              <Form.Item name="title" label={t('quick.name')} rules={[{ required: true }]}>
                <Input maxLength={60} />
              </Form.Item>
            </Space>
            <Form.Item name="content" label={t('quick.content')} rules={[{ required: true }]}>
              <Input.TextArea rows={3} maxLength={2000} showCount />
            </Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" loading={save.isPending}>
                {t('quick.save')}
              </Button>
              <Button onClick={() => setEditing(null)}>{t('quick.cancel')}</Button>
            </Space>
          </Form>
        ) : null}
        <Table<QuickReply>
          size="small"
          rowKey="id"
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: t('quick.empty') }}
          columns={[
            { title: t('quick.group'), dataIndex: 'groupName', width: 100, render: (v: string) => <Tag>{v}</Tag> },
            { title: t('quick.name'), dataIndex: 'title', width: 140 },
            { title: t('quick.content'), dataIndex: 'content', ellipsis: true },
            {
              title: '',
              key: 'actions',
              width: 120,
              render: (_v, row) =>
                canWrite ? (
                  <Space size={0}>
                    <Button type="link" size="small" onClick={() => startEdit(row)}>
                      {t('quick.edit')}
                    </Button>
                    <Popconfirm title={t('quick.confirmDelete')} onConfirm={() => remove.mutate(row.id)}>
                      <Button type="link" size="small" danger>
                        {t('quick.delete')}
                      </Button>
                    </Popconfirm>
                  </Space>
                ) : null,
            },
          ]}
        />
      </Flex>
    </Drawer>
  );
}

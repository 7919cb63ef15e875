import { CloudDownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Flex, Form, Input, Modal, Popconfirm, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Tag as FollowerTag } from '../../../../server/modules/official-account/tags/tags.schema';
import { useCan } from '../../../app/session';
import { useProductAccount } from '../../../components/account-picker';
import { ErrorAlert, errorMessage } from '../../../components/error-display';
import { PageHeader } from '../../../components/page-header';
import { TagRulesCard } from './tag-rules-card';
import { tagsApi, tagsKey } from './tags.api';

const TAG_NAME_MAX = 30;

/** 标签管理: the account's follower tags (mirrored to WeChat) and the rules that tag automatically. */
export function TagsPage() {
  const { t } = useTranslation('oaFollowers');
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { account, picker, empty } = useProductAccount('official_account');
  const accountId = account?.id ?? '';
  const [editing, setEditing] = useState<FollowerTag | 'new' | null>(null);
  const [form] = Form.useForm<{ name: string }>();
  const tags = useQuery({ queryKey: tagsKey(accountId), queryFn: () => tagsApi.list(accountId), enabled: Boolean(accountId) });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: tagsKey(accountId) });
  const failed = (error: unknown) => void message.error(errorMessage(error, t('common:error.unknown')));

  const pull = useMutation({ mutationFn: () => tagsApi.pull(accountId), onSuccess: () => (refresh(), void message.success(t('tags.pulled'))), onError: failed });
  const save = useMutation({
    mutationFn: (name: string) => (editing === 'new' || !editing ? tagsApi.create(accountId, name) : tagsApi.rename(accountId, editing.id, name)),
    onSuccess: () => {
      setEditing(null);
      refresh();
      void message.success(t('tags.saved'));
    },
  });
  const remove = useMutation({ mutationFn: (tagId: number) => tagsApi.remove(accountId, tagId), onSuccess: () => (refresh(), void message.success(t('tags.deleted'))), onError: failed });

  const writable = can('official_account.write');
  const items = tags.data?.items ?? [];
  const own = items.filter((tag) => !tag.system).length;
  const columns: TableColumnsType<FollowerTag> = [
    {
      title: t('tags.name'),
      dataIndex: 'name',
      render: (name: string, tag) => (
        <Space>
          <Tag color={tag.system ? 'default' : 'blue'}>{name}</Tag>
          {tag.system ? <Typography.Text type="secondary">{t('tags.system')}</Typography.Text> : null}
        </Space>
      ),
    },
    { title: t('tags.id'), dataIndex: 'id', width: 100 },
    {
      title: t('tags.count'),
      dataIndex: 'count',
      width: 140,
      render: (count: number, tag) => <Link to={`/official-account/followers?account=${accountId}&tagId=${tag.id}`}>{t('tags.followers', { count })}</Link>,
    },
    {
      title: t('field.actions'),
      key: 'actions',
      width: 160,
      render: (_v, tag) =>
        writable && !tag.system ? (
          <Space size={0}>
            <Button
              type="link"
              size="small"
              onClick={() => {
                save.reset();
                form.setFieldsValue({ name: tag.name });
                setEditing(tag);
              }}
            >
              {t('tags.rename')}
            </Button>
            <Popconfirm title={t('tags.deleteConfirm', { name: tag.name, count: tag.count })} onConfirm={() => remove.mutate(tag.id)}>
              <Button type="link" size="small" danger data-testid={`tag-delete-${tag.id}`}>
                {t('tags.delete')}
              </Button>
            </Popconfirm>
          </Space>
        ) : null,
    },
  ];

  return (
    <>
      <PageHeader
        title={t('tags.title')}
        description={t('tags.description')}
        extra={
          <>
            {picker}
            {account && writable ? (
              <>
                <Button icon={<CloudDownloadOutlined />} loading={pull.isPending} onClick={() => pull.mutate()}>
                  {t('tags.pull')}
                </Button>
                <Button
                  type="primary"
                  icon={<PlusOutlined />}
                  disabled={own >= 100}
                  onClick={() => {
                    save.reset();
                    form.resetFields();
                    setEditing('new');
                  }}
                  data-testid="tag-create"
                >
                  {t('tags.create')}
                </Button>
              </>
            ) : null}
          </>
        }
      />
      {!account ? (
        empty
      ) : (
        <Flex vertical gap={16}>
          <Card size="small" title={t('tags.listTitle')} extra={<Typography.Text type="secondary">{t('tags.usage', { count: own, max: 100 })}</Typography.Text>}>
            <ErrorAlert error={tags.error} />
            <Table<FollowerTag> rowKey="id" size="middle" loading={tags.isLoading} columns={columns} dataSource={items} pagination={false} locale={{ emptyText: t('tags.empty') }} data-testid="tags-table" />
          </Card>
          <TagRulesCard accountId={accountId} tags={items.filter((tag) => !tag.system)} />
        </Flex>
      )}
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('tags.create') : t('tags.rename')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        confirmLoading={save.isPending}
        destroyOnHidden
      >
        <ErrorAlert error={save.error} />
        <Form form={form} layout="vertical" onFinish={(values) => save.mutate(values.name.trim())}>
          <Form.Item
            name="name"
            label={t('tags.name')}
            extra={t('tags.nameHint', { max: TAG_NAME_MAX })}
            rules={[
              { required: true, whitespace: true, message: t('tags.nameRequired') },
              { validator: async (_r, value: string | undefined) => ([...(value ?? '').trim()].length > TAG_NAME_MAX ? Promise.reject(new Error(t('tags.nameTooLong', { max: TAG_NAME_MAX }))) : undefined) },
            ]}
          >
            <Input showCount={{ formatter: ({ value }) => `${[...value].length} / ${TAG_NAME_MAX}` }} data-testid="tag-name" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

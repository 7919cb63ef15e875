import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Popconfirm, Radio, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Tag as FollowerTag, TagRule, TagRuleBody } from '../../../../server/modules/official-account/tags/tags.schema';
import { useCan } from '../../../app/session';
import { ErrorAlert, errorMessage } from '../../../components/error-display';
import { tagRulesKey, tagsApi } from './tags.api';

/** 自动打标签: who clicks a menu button or sends a keyword gets a tag. */
export function TagRulesCard({ accountId, tags }: { accountId: string; tags: FollowerTag[] }) {
  const { t } = useTranslation('oaFollowers');
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<TagRule | 'new' | null>(null);
  const [form] = Form.useForm<TagRuleBody>();
  const trigger = Form.useWatch('trigger', form);
  const rules = useQuery({ queryKey: tagRulesKey(accountId), queryFn: () => tagsApi.rules(accountId), enabled: Boolean(accountId) });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: tagRulesKey(accountId) });
  const save = useMutation({
    mutationFn: (body: TagRuleBody) => (editing === 'new' || !editing ? tagsApi.createRule(accountId, body) : tagsApi.updateRule(accountId, editing.id, body)),
    onSuccess: () => {
      setEditing(null);
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (ruleId: string) => tagsApi.removeRule(accountId, ruleId),
    onSuccess: refresh,
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });
  const names = new Map(tags.map((tag) => [tag.id, tag.name]));
  const writable = can('official_account.write');

  const columns: TableColumnsType<TagRule> = [
    { title: t('rules.trigger'), dataIndex: 'trigger', width: 140, render: (v: TagRule['trigger']) => t(`rules.triggers.${v}`) },
    {
      title: t('rules.condition'),
      key: 'condition',
      render: (_v, rule) =>
        rule.trigger === 'menu_click' ? (
          <span>
            {t('rules.keyIs')} <Typography.Text code>{rule.value}</Typography.Text>
          </span>
        ) : (
          <span>
            {t(`rules.matches.${rule.match}`)} 「{rule.value}」
          </span>
        ),
    },
    { title: t('rules.tag'), dataIndex: 'tagId', width: 200, render: (id: number) => <Tag color="blue">{names.get(id) ?? id}</Tag> },
    {
      title: t('field.actions'),
      key: 'actions',
      width: 150,
      render: (_v, rule) =>
        writable ? (
          <Space size={0}>
            <Button
              type="link"
              size="small"
              onClick={() => {
                save.reset();
                form.setFieldsValue({ tagId: rule.tagId, trigger: rule.trigger, match: rule.match, value: rule.value });
                setEditing(rule);
              }}
            >
              {t('common:action.edit')}
            </Button>
            <Popconfirm title={t('rules.deleteConfirm')} onConfirm={() => remove.mutate(rule.id)}>
              <Button type="link" size="small" danger>
                {t('tags.delete')}
              </Button>
            </Popconfirm>
          </Space>
        ) : null,
    },
  ];

  return (
    <Card
      size="small"
      title={t('rules.title')}
      extra={
        writable ? (
          <Button
            size="small"
            icon={<PlusOutlined />}
            disabled={tags.length === 0}
            onClick={() => {
              save.reset();
              form.resetFields();
              setEditing('new');
            }}
            data-testid="rule-create"
          >
            {t('rules.create')}
          </Button>
        ) : null
      }
    >
      <Typography.Paragraph type="secondary">{t('rules.description')}</Typography.Paragraph>
      <ErrorAlert error={rules.error} />
      <Table<TagRule> rowKey="id" size="small" loading={rules.isLoading} columns={columns} dataSource={rules.data?.items ?? []} pagination={false} locale={{ emptyText: t('rules.empty') }} />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('rules.create') : t('rules.edit')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        confirmLoading={save.isPending}
        destroyOnHidden
      >
        <ErrorAlert error={save.error} />
        <Form form={form} layout="vertical" initialValues={{ trigger: 'menu_click', match: 'contains' }} onFinish={(values) => save.mutate(values)}>
          <Form.Item name="trigger" label={t('rules.trigger')}>
            <Radio.Group options={(['menu_click', 'keyword'] as const).map((v) => ({ value: v, label: t(`rules.triggers.${v}`) }))} />
          </Form.Item>
          {trigger === 'keyword' ? (
            <Form.Item name="match" label={t('rules.match')}>
              <Radio.Group options={(['contains', 'exact'] as const).map((v) => ({ value: v, label: t(`rules.matches.${v}`) }))} />
            </Form.Item>
          ) : null}
          <Form.Item
            name="value"
            label={trigger === 'keyword' ? t('rules.keyword') : t('rules.menuKey')}
            extra={trigger === 'keyword' ? t('rules.keywordHint') : t('rules.menuKeyHint')}
            rules={[{ required: true, whitespace: true, message: t('rules.valueRequired') }]}
          >
            <Input maxLength={128} data-testid="rule-value" />
          </Form.Item>
          <Form.Item name="tagId" label={t('rules.tag')} rules={[{ required: true, message: t('bulk.tagRequired') }]}>
            <Select showSearch optionFilterProp="label" options={tags.map((tag) => ({ value: tag.id, label: tag.name }))} data-testid="rule-tag" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addWays, type CustomerTagGroup, type TagRule, type TagRuleBody } from '../../../../server/modules/wecom/customer-tags/customer-tags.schema';
import { ErrorAlert, errorMessage } from '../../../components/error-display';
import { customerTagsApi, customerTagsKey } from './customer-tags.api';

/** Auto-tag rules: by 「联系我」 state, by how the customer was added, by keyword in what members write. */
export function TagRulesCard(props: { accountId: string; groups: CustomerTagGroup[]; writable: boolean }) {
  const { t, i18n } = useTranslation('wecomCustomerTags');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<TagRule | 'new' | null>(null);
  const [form] = Form.useForm<TagRuleBody>();
  const trigger = Form.useWatch('trigger', form);
  const rules = useQuery({ queryKey: [...customerTagsKey(props.accountId), 'rules'], queryFn: () => customerTagsApi.rules(props.accountId), enabled: Boolean(props.accountId) });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: customerTagsKey(props.accountId) });
  const save = useMutation({
    mutationFn: (body: TagRuleBody) => (editing && editing !== 'new' ? customerTagsApi.updateRule(props.accountId, editing.id, body) : customerTagsApi.createRule(props.accountId, body)),
    onSuccess: () => {
      setEditing(null);
      refresh();
      void message.success(t('saved'));
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => customerTagsApi.removeRule(props.accountId, id),
    onSuccess: () => (refresh(), void message.success(t('deleted'))),
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });

  const tagName = new Map(props.groups.flatMap((g) => g.tags.filter((tag) => tag.wecomId).map((tag) => [tag.wecomId as string, `${g.name} / ${tag.name}`] as const)));
  const tagOptions = props.groups.map((g) => ({ label: g.name, options: g.tags.filter((tag) => tag.wecomId).map((tag) => ({ label: tag.name, value: tag.wecomId as string })) }));
  const wayLabel = (code: string) => {
    const way = addWays[Number(code)];
    return way ? (i18n.language === 'en-US' ? way.en : way.zh) : code;
  };
  const describe = (rule: TagRule) => {
    if (rule.trigger === 'state') return t('rules.whenState', { value: rule.value });
    if (rule.trigger === 'add_way') return t('rules.whenAddWay', { value: wayLabel(rule.value) });
    return t(rule.match === 'exact' ? 'rules.whenKeywordExact' : 'rules.whenKeyword', { value: rule.value });
  };

  const columns: TableColumnsType<TagRule> = [
    { title: t('rules.name'), dataIndex: 'name' },
    { title: t('rules.condition'), key: 'condition', render: (_v, rule) => describe(rule) },
    { title: t('rules.tags'), dataIndex: 'tagIds', render: (ids: string[]) => ids.map((id) => <Tag key={id} color="blue">{tagName.get(id) ?? t('rules.unknownTag')}</Tag>) },
    { title: t('rules.applied'), dataIndex: 'applied', width: 110 },
    { title: t('rules.enabled'), dataIndex: 'enabled', width: 90, render: (on: boolean) => (on ? <Tag color="green">{t('rules.on')}</Tag> : <Tag>{t('rules.off')}</Tag>) },
    {
      title: t('field.actions'),
      key: 'actions',
      width: 140,
      render: (_v, rule) =>
        props.writable ? (
          <Space size={0}>
            <Button
              type="link"
              size="small"
              onClick={() => {
                save.reset();
                form.setFieldsValue({ name: rule.name, trigger: rule.trigger, match: rule.match, value: rule.value, tagIds: rule.tagIds, enabled: rule.enabled });
                setEditing(rule);
              }}
            >
              {t('edit')}
            </Button>
            <Popconfirm title={t('rules.deleteConfirm', { name: rule.name })} onConfirm={() => remove.mutate(rule.id)}>
              <Button type="link" size="small" danger>
                {t('delete')}
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
        props.writable ? (
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => {
              save.reset();
              form.resetFields();
              setEditing('new');
            }}
            data-testid="customer-tag-rule-new"
          >
            {t('rules.new')}
          </Button>
        ) : null
      }
    >
      <Typography.Paragraph type="secondary">{t('rules.explain')}</Typography.Paragraph>
      <ErrorAlert error={rules.error} />
      <Table<TagRule> rowKey="id" size="small" loading={rules.isLoading} columns={columns} dataSource={rules.data?.items ?? []} pagination={false} locale={{ emptyText: t('rules.empty') }} />
      <Modal open={editing !== null} title={editing === 'new' ? t('rules.new') : t('edit')} onCancel={() => setEditing(null)} onOk={() => form.submit()} confirmLoading={save.isPending} destroyOnHidden>
        <ErrorAlert error={save.error} />
        <Form form={form} layout="vertical" initialValues={{ trigger: 'state', match: 'contains', enabled: true, tagIds: [] }} onFinish={(values) => save.mutate(values)}>
          <Form.Item name="name" label={t('rules.name')} rules={[{ required: true, whitespace: true, message: t('form.nameRequired') }]}>
            <Input maxLength={60} />
          </Form.Item>
          <Form.Item name="trigger" label={t('rules.trigger')}>
            <Select options={(['state', 'add_way', 'keyword'] as const).map((value) => ({ value, label: t(`rules.trigger_${value}`) }))} />
          </Form.Item>
          {trigger === 'add_way' ? (
            <Form.Item name="value" label={t('rules.addWay')} rules={[{ required: true, message: t('rules.valueRequired') }]}>
              <Select options={Object.keys(addWays).map((code) => ({ value: code, label: `${code} · ${wayLabel(code)}` }))} />
            </Form.Item>
          ) : (
            <Form.Item
              name="value"
              label={trigger === 'keyword' ? t('rules.keyword') : t('rules.state')}
              extra={trigger === 'keyword' ? t('rules.keywordHint') : t('rules.stateHint')}
              rules={[{ required: true, whitespace: true, message: t('rules.valueRequired') }]}
            >
              <Input maxLength={trigger === 'keyword' ? 100 : 30} showCount />
            </Form.Item>
          )}
          {trigger === 'keyword' ? (
            <Form.Item name="match" label={t('rules.match')}>
              <Select options={[{ value: 'contains', label: t('rules.contains') }, { value: 'exact', label: t('rules.exact') }]} />
            </Form.Item>
          ) : null}
          <Form.Item name="tagIds" label={t('rules.tags')} rules={[{ required: true, type: 'array', min: 1, message: t('rules.tagsRequired') }]}>
            <Select mode="multiple" options={tagOptions} optionFilterProp="label" />
          </Form.Item>
          <Form.Item name="enabled" label={t('rules.enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

import { useMutation } from '@tanstack/react-query';
import { App, Button, Card, Divider, Drawer, Flex, Form, Image, Input, InputNumber, Radio, Select, Space, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors, errorMessage } from '../../../components/error-display';
import { quickRepliesApi, quickReplyByteLimits, quickReplyVariableNames, utf8Bytes, type QuickReply, type QuickReplyGroup } from './quick-replies.api';

type ReplyType = QuickReply['type'];
interface EditorValues {
  groupId: string;
  title: string;
  type: ReplyType;
  order?: number;
  body: QuickReply['body'];
}

/** Example values the preview fills in; the real ones come from WeCom when a client renders the reply. */
const exampleValues: Record<string, Record<string, string>> = {
  'zh-CN': { 客户昵称: '王女士', 客户备注: '王女士（上海）', 成员姓名: '张三', 企业名称: '示例科技' },
  'en-US': { 客户昵称: 'Ms. Wang', 客户备注: 'Ms. Wang (Shanghai)', 成员姓名: 'Zhang San', 企业名称: 'Example Co.' },
};

const fill = (template: string | undefined, values: Record<string, string>) => (template ?? '').replace(/\{([^{}\s]{1,20})\}/g, (whole, name: string) => values[name] ?? whole);

/** The field variables are inserted into, per type. */
const templatedField: Record<ReplyType, keyof QuickReply['body'] | null> = { text: 'text', image: null, link: 'title', miniprogram: 'title' };

function ByteCount({ value, max }: { value: string | undefined; max: number }) {
  const { t } = useTranslation('wecomQuickReplies');
  const bytes = utf8Bytes(value);
  return <Typography.Text type={bytes > max ? 'danger' : 'secondary'}>{t('editor.bytes', { bytes, max })}</Typography.Text>;
}

/** Drawer to create or edit a reply: type-specific fields, variables to insert, WeCom's byte limits and a preview. */
export function QuickReplyEditor(props: { accountId: string; groups: QuickReplyGroup[]; reply: QuickReply | null; defaultGroupId?: string; open: boolean; onClose(): void; onSaved(): void }) {
  const { t, i18n } = useTranslation('wecomQuickReplies');
  const { message } = App.useApp();
  const [form] = Form.useForm<EditorValues>();
  const type = Form.useWatch('type', form) ?? 'text';
  const body = (Form.useWatch('body', form) ?? {}) as QuickReply['body'];
  useEffect(() => {
    if (!props.open) return;
    form.resetFields();
    form.setFieldsValue(
      props.reply
        ? { groupId: props.reply.groupId, title: props.reply.title, type: props.reply.type, order: props.reply.order, body: props.reply.body }
        : { groupId: props.defaultGroupId ?? props.groups.find((g) => g.editable)?.id, type: 'text', order: 0, body: {} },
    );
  }, [props.open, props.reply, props.defaultGroupId, props.groups, form]);

  const save = useMutation({
    mutationFn: (values: EditorValues) => {
      const content = Object.fromEntries(Object.entries(values.body ?? {}).filter(([, v]) => typeof v === 'string' && v.trim() !== '')) as QuickReply['body'];
      const payload = { groupId: values.groupId, title: values.title, type: values.type, order: values.order ?? 0, body: content };
      return props.reply ? quickRepliesApi.update(props.accountId, props.reply.id, payload) : quickRepliesApi.create(props.accountId, payload);
    },
    onSuccess: () => {
      void message.success(t('saved'));
      props.onSaved();
    },
    onError: (error) => {
      if (!applyFieldErrors(form, error)) void message.error(errorMessage(error, t('common:error.unknown')));
    },
  });

  const insert = (name: string) => {
    const field = templatedField[type];
    if (!field) return;
    const current = (form.getFieldValue(['body', field]) as string | undefined) ?? '';
    form.setFieldValue(['body', field], `${current}{${name}}`);
  };
  const examples = exampleValues[i18n.language] ?? exampleValues['zh-CN']!;
  const writableGroups = props.groups.filter((g) => g.editable);

  return (
    <Drawer
      open={props.open}
      onClose={props.onClose}
      width={720}
      title={props.reply ? t('editor.editTitle') : t('editor.createTitle')}
      destroyOnHidden
      extra={
        <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="quick-reply-save">
          {t('action.save')}
        </Button>
      }
    >
      <Form form={form} layout="vertical" onFinish={(values) => save.mutate(values)}>
        <Flex gap={12}>
          <Form.Item name="groupId" label={t('field.group')} rules={[{ required: true }]} style={{ flex: 1 }}>
            <Select options={writableGroups.map((g) => ({ value: g.id, label: g.name }))} />
          </Form.Item>
          <Form.Item name="order" label={t('field.order')} tooltip={t('editor.orderHint')}>
            <InputNumber min={0} max={1_000_000} style={{ width: 120 }} />
          </Form.Item>
        </Flex>
        <Form.Item name="title" label={t('field.title')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={100} placeholder={t('editor.titlePlaceholder')} />
        </Form.Item>
        <Form.Item name="type" label={t('field.type')}>
          <Radio.Group optionType="button" options={(['text', 'image', 'link', 'miniprogram'] as const).map((v) => ({ value: v, label: t(`type.${v}`) }))} />
        </Form.Item>
        {templatedField[type] ? (
          <Form.Item label={t('editor.variables')} extra={t('editor.variablesHint')}>
            <Space wrap>
              {quickReplyVariableNames.map((name) => (
                <Tag key={name} color="blue" style={{ cursor: 'pointer' }} onClick={() => insert(name)} data-testid={`insert-${name}`}>
                  {`{${name}}`}
                </Tag>
              ))}
            </Space>
          </Form.Item>
        ) : null}
        {type === 'text' ? (
          <Form.Item name={['body', 'text']} label={t('field.text')} rules={[{ required: true, whitespace: true }]} extra={<ByteCount value={body.text} max={quickReplyByteLimits.text} />}>
            <Input.TextArea rows={6} placeholder={t('editor.textPlaceholder')} />
          </Form.Item>
        ) : null}
        {type === 'image' ? (
          <Form.Item name={['body', 'picUrl']} label={t('field.picUrl')} rules={[{ required: true }]} extra={t('editor.picUrlHint')}>
            <Input placeholder="https://" />
          </Form.Item>
        ) : null}
        {type === 'link' ? (
          <>
            <Form.Item name={['body', 'title']} label={t('field.linkTitle')} rules={[{ required: true }]} extra={<ByteCount value={body.title} max={quickReplyByteLimits.linkTitle} />}>
              <Input />
            </Form.Item>
            <Form.Item name={['body', 'url']} label={t('field.url')} rules={[{ required: true }]}>
              <Input placeholder="https://" />
            </Form.Item>
            <Form.Item name={['body', 'description']} label={t('field.description')} extra={<ByteCount value={body.description} max={quickReplyByteLimits.linkDescription} />}>
              <Input.TextArea rows={2} />
            </Form.Item>
            <Form.Item name={['body', 'picUrl']} label={t('field.cover')}>
              <Input placeholder="https://" />
            </Form.Item>
          </>
        ) : null}
        {type === 'miniprogram' ? (
          <>
            <Form.Item name={['body', 'title']} label={t('field.linkTitle')} rules={[{ required: true }]} extra={<ByteCount value={body.title} max={quickReplyByteLimits.miniprogramTitle} />}>
              <Input />
            </Form.Item>
            <Flex gap={12}>
              <Form.Item name={['body', 'appid']} label="AppID" rules={[{ required: true }]} style={{ flex: 1 }}>
                <Input placeholder="wx…" />
              </Form.Item>
              <Form.Item name={['body', 'page']} label={t('field.page')} rules={[{ required: true }]} style={{ flex: 1 }}>
                <Input placeholder="pages/index/index.html" />
              </Form.Item>
            </Flex>
            <Form.Item name={['body', 'picUrl']} label={t('field.cover')} rules={[{ required: true }]}>
              <Input placeholder="https://" />
            </Form.Item>
          </>
        ) : null}
      </Form>
      <Divider titlePlacement="start">{t('editor.preview')}</Divider>
      <Card size="small" style={{ background: '#f5f5f5', maxWidth: 420 }} data-testid="quick-reply-preview">
        {type === 'text' ? <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{fill(body.text, examples) || t('editor.previewEmpty')}</Typography.Paragraph> : null}
        {type === 'image' ? body.picUrl ? <Image src={body.picUrl} width={200} /> : <Typography.Text type="secondary">{t('editor.previewEmpty')}</Typography.Text> : null}
        {type === 'link' || type === 'miniprogram' ? (
          <Flex gap={12} align="center">
            <Flex vertical style={{ flex: 1 }}>
              <Typography.Text strong>{fill(body.title, examples) || t('editor.previewEmpty')}</Typography.Text>
              <Typography.Text type="secondary">{type === 'link' ? fill(body.description, examples) || body.url : t('type.miniprogram')}</Typography.Text>
            </Flex>
            {body.picUrl ? <Image src={body.picUrl} width={56} height={56} preview={false} /> : null}
          </Flex>
        ) : null}
      </Card>
      <Typography.Text type="secondary">{t('editor.previewHint')}</Typography.Text>
    </Drawer>
  );
}

import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Drawer, Flex, Form, Input, Radio, Select, Space, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type {
  AutoReplyKind,
  AutoReplyMessage,
  AutoReplyOverlap,
  AutoReplyRule,
  AutoReplyRuleWithWarnings,
} from '../../../../server/modules/official-account/auto-replies/auto-replies.schema';
import { ErrorAlert } from '../../../components/error-display';
import { autoRepliesApi } from './auto-replies.api';

const replyTypes = ['text', 'image', 'voice', 'video', 'music', 'news'] as const;

interface FormValues {
  name?: string;
  enabled: boolean;
  keywords: { text: string; match: 'exact' | 'contains' }[];
  clickKeys: string[];
  replyMode: 'all' | 'random';
  replies: AutoReplyMessage[];
}

/** Drops empty optional strings, so the API gets only what the user filled in. */
function cleanReply(reply: AutoReplyMessage): AutoReplyMessage {
  const strip = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== '' && v !== undefined && v !== null)) as T;
  if (reply.type === 'news') return { type: 'news', articles: reply.articles.map((a) => strip(a)) };
  return strip(reply);
}

function ReplyFields({ name, type }: { name: number; type: AutoReplyMessage['type'] }) {
  const { t } = useTranslation('oaAutoReplies');
  const required = [{ required: true, message: t('editor.required') }];
  const field = (key: string, label: string, rules = [] as typeof required, textarea = false) => (
    <Form.Item name={[name, key]} label={label} rules={rules} style={{ marginBottom: 8 }}>
      {textarea ? <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} /> : <Input />}
    </Form.Item>
  );
  switch (type) {
    case 'text':
      return field('content', t('editor.content'), required, true);
    case 'image':
    case 'voice':
      return field('mediaId', t('editor.mediaId'), required);
    case 'video':
      return (
        <>
          {field('mediaId', t('editor.mediaId'), required)}
          {field('title', t('editor.title'))}
          {field('description', t('editor.description'))}
        </>
      );
    case 'music':
      return (
        <>
          {field('thumbMediaId', t('editor.thumbMediaId'), required)}
          {field('title', t('editor.title'))}
          {field('description', t('editor.description'))}
          {field('musicUrl', t('editor.musicUrl'))}
          {field('hqMusicUrl', t('editor.hqMusicUrl'))}
        </>
      );
    case 'news':
      return (
        <Form.List name={[name, 'articles']}>
          {(articles, { add, remove }) => (
            <Flex vertical gap={8}>
              {articles.map((article, index) => (
                <Card key={article.key} size="small" title={t('editor.article', { n: index + 1 })} extra={<Button size="small" type="text" icon={<DeleteOutlined />} onClick={() => remove(article.name)} aria-label={t('editor.remove')} />}>
                  <Form.Item name={[article.name, 'title']} label={t('editor.title')} rules={required} style={{ marginBottom: 8 }}>
                    <Input />
                  </Form.Item>
                  <Form.Item name={[article.name, 'description']} label={t('editor.description')} style={{ marginBottom: 8 }}>
                    <Input />
                  </Form.Item>
                  <Form.Item name={[article.name, 'picUrl']} label={t('editor.picUrl')} style={{ marginBottom: 8 }}>
                    <Input />
                  </Form.Item>
                  <Form.Item name={[article.name, 'url']} label={t('editor.url')} style={{ marginBottom: 0 }}>
                    <Input />
                  </Form.Item>
                </Card>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({ title: '' })}>
                {t('editor.addArticle')}
              </Button>
            </Flex>
          )}
        </Form.List>
      );
  }
}

export function OverlapWarnings({ overlaps }: { overlaps: AutoReplyOverlap[] }) {
  const { t } = useTranslation('oaAutoReplies');
  if (overlaps.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="overlap-warnings"
      style={{ marginBottom: 16 }}
      title={t('overlap.title', { count: overlaps.length })}
      description={
        <ul style={{ margin: 0, paddingInlineStart: 18 }}>
          {overlaps.map((o, index) => (
            <li key={index}>
              {t(o.winner === 'this' ? 'overlap.thisWins' : 'overlap.otherWins', {
                keyword: o.keyword.text,
                otherKeyword: o.otherKeyword.text,
                otherRule: o.otherRuleName,
              })}
            </li>
          ))}
        </ul>
      }
    />
  );
}

/** Creates or edits one rule; after saving it shows the overlap warnings the server found. */
export function RuleEditor(props: { accountId: string; kind: AutoReplyKind; rule: AutoReplyRule | null; open: boolean; onClose(): void; onSaved(rule: AutoReplyRuleWithWarnings): void }) {
  const { accountId, kind, rule, open } = props;
  const { t } = useTranslation('oaAutoReplies');
  const [form] = Form.useForm<FormValues>();
  const current = useQuery({
    queryKey: ['oa-auto-replies', 'rule', accountId, rule?.id],
    queryFn: () => autoRepliesApi.get(accountId, rule!.id),
    enabled: open && rule !== null,
  });
  // The form mounts with each opening (destroyOnHidden), so initial values are enough.
  const initialValues: FormValues = rule
    ? { name: rule.name, enabled: rule.enabled, keywords: rule.keywords, clickKeys: rule.clickKeys, replyMode: rule.replyMode, replies: rule.replies }
    : { enabled: true, keywords: kind === 'keyword' ? [{ text: '', match: 'contains' }] : [], clickKeys: [], replyMode: 'all', replies: [{ type: 'text', content: '' }] };

  const save = useMutation({
    mutationFn: (values: FormValues) => {
      const body = {
        name: values.name ?? '',
        enabled: values.enabled,
        keywords: kind === 'keyword' ? values.keywords : [],
        clickKeys: kind === 'click' ? values.clickKeys : [],
        replyMode: values.replyMode,
        replies: values.replies.map(cleanReply),
      };
      return rule ? autoRepliesApi.update(accountId, rule.id, body) : autoRepliesApi.create(accountId, { kind, ...body });
    },
    onSuccess: (saved) => props.onSaved(saved),
  });
  const overlaps: AutoReplyOverlap[] = save.data?.overlaps ?? current.data?.overlaps ?? [];
  const close = () => {
    save.reset();
    props.onClose();
  };

  return (
    <Drawer
      open={open}
      onClose={close}
      size={560}
      title={rule ? t('editor.editTitle', { name: rule.name }) : t('editor.createTitle', { kind: t(`kind.${kind}`) })}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={close}>{t('editor.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => void form.validateFields().then((values) => save.mutate(values))} data-testid="rule-save">
            {t('editor.save')}
          </Button>
        </Space>
      }
    >
      <ErrorAlert error={save.error} onClose={() => save.reset()} />
      <OverlapWarnings overlaps={overlaps} />
      <Form form={form} layout="vertical" requiredMark="optional" initialValues={initialValues}>
        <Form.Item name="name" label={t('editor.name')} extra={t('editor.nameHint')}>
          <Input maxLength={60} />
        </Form.Item>
        {kind === 'keyword' ? (
          <Form.Item label={t('editor.keywords')} required extra={t('editor.keywordsHint')}>
            <Form.List name="keywords">
              {(fields, { add, remove }) => (
                <Flex vertical gap={8}>
                  {fields.map((f) => (
                    <Flex key={f.key} gap={8}>
                      <Form.Item name={[f.name, 'text']} rules={[{ required: true, message: t('editor.required') }]} style={{ flex: 1, marginBottom: 0 }}>
                        <Input maxLength={60} placeholder={t('editor.keywordPlaceholder')} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'match']} style={{ width: 150, marginBottom: 0 }}>
                        <Select options={(['contains', 'exact'] as const).map((m) => ({ value: m, label: t(`match.${m}`) }))} />
                      </Form.Item>
                      <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('editor.remove')} />
                    </Flex>
                  ))}
                  <Button icon={<PlusOutlined />} onClick={() => add({ text: '', match: 'contains' })}>
                    {t('editor.addKeyword')}
                  </Button>
                </Flex>
              )}
            </Form.List>
          </Form.Item>
        ) : null}
        {kind === 'click' ? (
          <Form.Item name="clickKeys" label={t('editor.clickKeys')} extra={t('editor.clickKeysHint')} rules={[{ required: true, message: t('editor.required') }]}>
            <Select mode="tags" open={false} tokenSeparators={[',', '，', ' ']} />
          </Form.Item>
        ) : null}
        <Form.Item name="replyMode" label={t('editor.replyMode')} extra={t('editor.replyModeHint')}>
          <Radio.Group options={(['all', 'random'] as const).map((m) => ({ value: m, label: t(`replyMode.${m}`) }))} />
        </Form.Item>
        <Form.Item label={t('editor.replies')} required>
          <Form.List name="replies">
            {(fields, { add, remove }) => (
              <Flex vertical gap={12}>
                {fields.map((f, index) => (
                  <Card
                    key={f.key}
                    size="small"
                    title={
                      <Flex align="center" gap={8}>
                        <Typography.Text>{t('editor.replyN', { n: index + 1 })}</Typography.Text>
                        <Form.Item name={[f.name, 'type']} noStyle>
                          <Select size="small" style={{ width: 120 }} options={replyTypes.map((type) => ({ value: type, label: t(`replyType.${type}`) }))} />
                        </Form.Item>
                      </Flex>
                    }
                    extra={fields.length > 1 ? <Button size="small" type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('editor.remove')} /> : null}
                  >
                    <Form.Item noStyle shouldUpdate>
                      {() => <ReplyFields name={f.name} type={form.getFieldValue(['replies', f.name, 'type']) ?? 'text'} />}
                    </Form.Item>
                  </Card>
                ))}
                <Button icon={<PlusOutlined />} onClick={() => add({ type: 'text', content: '' })}>
                  {t('editor.addReply')}
                </Button>
              </Flex>
            )}
          </Form.List>
        </Form.Item>
        <Form.Item name="enabled" label={t('editor.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

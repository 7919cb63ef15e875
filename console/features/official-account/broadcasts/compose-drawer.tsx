import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, DatePicker, Descriptions, Divider, Drawer, Flex, Form, Input, Radio, Select, Space, Statistic, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BroadcastAudienceInput, BroadcastContentInput, Estimate } from '../../../../server/modules/official-account/broadcasts/broadcasts.schema';
import { ErrorAlert, errorMessage } from '../../../components/error-display';
import { formatDateTime } from '../../../components/format';
import { broadcastsApi } from './broadcasts.api';

interface ComposeValues {
  contentType: 'text' | 'image' | 'mpnews';
  text?: string;
  mediaId?: string;
  title?: string;
  audienceKind: 'all' | 'tags' | 'openIds';
  tagIds?: number[];
  openIdsText?: string;
  previewOpenId?: string;
  when: 'now' | 'schedule';
  scheduledAt?: Dayjs;
  skipOverQuota?: boolean;
}

function contentOf(values: Partial<ComposeValues>): BroadcastContentInput | null {
  if (values.contentType === 'text') return values.text?.trim() ? { type: 'text', text: values.text } : null;
  if (!values.mediaId?.trim()) return null;
  if (values.contentType === 'image') return { type: 'image', mediaId: values.mediaId.trim(), mediaExpiresAt: null };
  return { type: 'mpnews', mediaId: values.mediaId.trim(), title: values.title?.trim() || null };
}

function audienceOf(values: Partial<ComposeValues>): BroadcastAudienceInput | null {
  if (values.audienceKind === 'all') return { kind: 'all' };
  if (values.audienceKind === 'tags') return values.tagIds?.length ? { kind: 'tags', tagIds: values.tagIds } : null;
  const openIds = (values.openIdsText ?? '').split(/[\s,;]+/).filter(Boolean);
  return openIds.length ? { kind: 'openIds', openIds } : null;
}

/** Waits until the value stops changing for `ms`, so typing does not ask WeChat on every key. */
function useSettled<T>(value: T, ms = 400): T {
  const [settled, setSettled] = useState(value);
  const key = JSON.stringify(value) ?? 'null';
  useEffect(() => {
    const timer = setTimeout(() => setSettled(JSON.parse(key) as T), ms);
    return () => clearTimeout(timer);
  }, [key, ms]);
  return settled;
}

function QuotaPanel({ estimate }: { estimate: Estimate }) {
  const { t } = useTranslation('oaPushes');
  const quota = estimate.quota;
  return (
    <Flex vertical gap={8} data-testid="push-quota">
      <Flex gap={32}>
        <Statistic title={t('compose.recipients')} value={estimate.recipientCount} data-testid="push-recipient-count" />
        <Statistic title={t('compose.accountType')} value={t(`accountType.${estimate.accountType}`)} />
      </Flex>
      {quota.kind === 'daily' ? (
        <Alert
          type={quota.allowed ? 'info' : 'error'}
          showIcon
          title={quota.allowed ? t('quota.dailyOk') : t('quota.dailyUsed', { at: formatDateTime(quota.lastSentAt) })}
        />
      ) : (
        <Alert
          type={quota.allowed ? 'info' : 'warning'}
          showIcon
          title={quota.allowed ? t('quota.monthlyOk') : t('quota.monthlyOver', { over: quota.overQuota, remaining: quota.remaining })}
        />
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('quota.source')}
      </Typography.Text>
    </Flex>
  );
}

/** 新建群发: content, audience with its live count and WeChat's quota, a preview to one follower, send now or at a time. */
export function ComposeDrawer({ accountId, open, onClose, onSent }: { accountId: string; open: boolean; onClose: () => void; onSent: () => void }) {
  const { t } = useTranslation('oaPushes');
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<ComposeValues>();
  const values = Form.useWatch([], form) as Partial<ComposeValues> | undefined;
  const audience = useSettled(values ? audienceOf(values) : null);
  const tags = useQuery({ queryKey: ['oa-tags', accountId], queryFn: () => broadcastsApi.tags(accountId), enabled: open });
  const estimate = useQuery({
    queryKey: ['oa-broadcast-estimate', accountId, audience],
    queryFn: () => broadcastsApi.estimate(accountId, audience as BroadcastAudienceInput),
    enabled: open && audience !== null,
    retry: false,
  });
  const preview = useMutation({
    mutationFn: ({ content, openId }: { content: BroadcastContentInput; openId: string }) => broadcastsApi.preview(accountId, content, openId),
    onSuccess: () => void message.success(t('compose.previewSent')),
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });
  const send = useMutation({
    mutationFn: (body: Parameters<typeof broadcastsApi.create>[1]) => broadcastsApi.create(accountId, body),
    onSuccess: (created) => {
      void message.success(created.state === 'scheduled' ? t('compose.scheduled') : t('compose.sent'));
      form.resetFields();
      onSent();
    },
  });

  const submit = async () => {
    const v = await form.validateFields();
    const content = contentOf(v);
    const target = audienceOf(v);
    if (!content || !target) return;
    const count = estimate.data?.recipientCount ?? 0;
    modal.confirm({
      title: v.when === 'schedule' ? t('compose.confirmSchedule') : t('compose.confirmSend'),
      content: t('compose.confirmBody', { count }),
      okText: t('compose.confirmOk'),
      onOk: () =>
        send.mutateAsync({
          content,
          audience: target,
          skipOverQuota: Boolean(v.skipOverQuota),
          ...(v.when === 'schedule' && v.scheduledAt ? { scheduledAt: v.scheduledAt.toISOString() } : {}),
        }),
    });
  };

  const content = values ? contentOf(values) : null;
  const overQuota = estimate.data?.quota.kind === 'monthly' && estimate.data.quota.overQuota > 0;

  return (
    <Drawer
      title={t('compose.title')}
      open={open}
      onClose={onClose}
      size="large"
      destroyOnHidden
      extra={
        <Button type="primary" onClick={() => void submit()} loading={send.isPending} disabled={!content || !audience} data-testid="push-submit">
          {values?.when === 'schedule' ? t('compose.schedule') : t('compose.sendNow')}
        </Button>
      }
    >
      <ErrorAlert error={send.error} />
      <Form form={form} layout="vertical" initialValues={{ contentType: 'text', audienceKind: 'tags', when: 'now' }}>
        <Form.Item name="contentType" label={t('compose.contentType')}>
          <Radio.Group optionType="button" options={(['text', 'image', 'mpnews'] as const).map((v) => ({ value: v, label: t(`contentType.${v}`) }))} />
        </Form.Item>
        {values?.contentType === 'text' || !values?.contentType ? (
          <Form.Item name="text" label={t('compose.text')} rules={[{ required: true, message: t('compose.textRequired') }]}>
            <Input.TextArea rows={5} maxLength={2000} showCount data-testid="push-text" />
          </Form.Item>
        ) : (
          <>
            <Form.Item name="mediaId" label={t('compose.mediaId')} extra={t(`compose.mediaIdHint.${values.contentType}`)} rules={[{ required: true, message: t('compose.mediaIdRequired') }]}>
              <Input maxLength={200} />
            </Form.Item>
            {values.contentType === 'mpnews' ? (
              <Form.Item name="title" label={t('compose.articleTitle')}>
                <Input maxLength={64} />
              </Form.Item>
            ) : null}
          </>
        )}
        <Divider />
        <Form.Item name="audienceKind" label={t('compose.audience')}>
          <Radio.Group optionType="button" options={(['all', 'tags', 'openIds'] as const).map((v) => ({ value: v, label: t(`audience.${v}`) }))} />
        </Form.Item>
        {values?.audienceKind === 'tags' ? (
          <Form.Item name="tagIds" label={t('compose.tags')} extra={t('compose.tagsHint')}>
            <Select
              mode="multiple"
              loading={tags.isLoading}
              options={(tags.data?.items ?? []).map((tag) => ({ value: tag.id, label: `${tag.name} (${tag.count})` }))}
              placeholder={t('compose.tagsPlaceholder')}
              data-testid="push-tags"
            />
          </Form.Item>
        ) : null}
        {values?.audienceKind === 'openIds' ? (
          <Form.Item name="openIdsText" label={t('compose.openIds')} extra={t('compose.openIdsHint')}>
            <Input.TextArea rows={4} />
          </Form.Item>
        ) : null}
        {estimate.data && audience ? <QuotaPanel estimate={estimate.data} /> : null}
        {estimate.error ? <ErrorAlert error={estimate.error} /> : null}
        {overQuota ? (
          <Form.Item name="skipOverQuota" valuePropName="checked" style={{ marginTop: 8 }}>
            <Checkbox>{t('compose.skipOverQuota')}</Checkbox>
          </Form.Item>
        ) : null}
        <Divider />
        <Form.Item label={t('compose.preview')} extra={t('compose.previewHint')}>
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item name="previewOpenId" noStyle>
              <Input placeholder="OpenID" maxLength={64} data-testid="push-preview-openid" />
            </Form.Item>
            <Button
              onClick={() => content && values?.previewOpenId && preview.mutate({ content, openId: values.previewOpenId.trim() })}
              disabled={!content || !values?.previewOpenId}
              loading={preview.isPending}
              data-testid="push-preview"
            >
              {t('compose.sendPreview')}
            </Button>
          </Space.Compact>
        </Form.Item>
        <Divider />
        <Form.Item name="when" label={t('compose.when')}>
          <Radio.Group options={(['now', 'schedule'] as const).map((v) => ({ value: v, label: t(`compose.when_${v}`) }))} />
        </Form.Item>
        {values?.when === 'schedule' ? (
          <Form.Item name="scheduledAt" label={t('compose.scheduledAt')} rules={[{ required: true, message: t('compose.scheduledAtRequired') }]}>
            <DatePicker showTime format="YYYY-MM-DD HH:mm" />
          </Form.Item>
        ) : null}
        <Descriptions size="small" column={1} items={[{ key: 'rules', label: t('compose.rulesLabel'), children: t('compose.rules') }]} />
      </Form>
    </Drawer>
  );
}

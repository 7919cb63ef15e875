import { PlusOutlined, ScanOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { App, AutoComplete, Button, Card, Descriptions, Empty, Flex, Form, Input, List, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert, errorMessage } from '../../components/error-display';
import { formatDateTime } from '../../components/format';
import { PageHeader } from '../../components/page-header';
import { useUrlState } from '../../components/url-state';
import { viewInbox } from './inbox-content';
import { DeliveryStatusTag } from './phone-frame';
import { sandboxQueryKey, weComApi, type DeliverySummary, type SandboxContactWay, type WeComCustomer, type WeComInboxItem } from './sandbox.api';

const POLL_MS = 2000;
const storageKey = (corpId: string) => `qiao.sandbox.customers.${corpId}`;

function readCustomers(corpId: string): WeComCustomer[] {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(storageKey(corpId)) ?? '[]');
    return Array.isArray(parsed) ? (parsed as WeComCustomer[]) : [];
  } catch {
    return [];
  }
}

/** Customers made on this page, kept in the browser: the control API lists none. */
function useKnownCustomers(corpId: string | null) {
  const [saved, setSaved] = useState<Record<string, WeComCustomer[]>>({});
  const customers = corpId ? (saved[corpId] ?? readCustomers(corpId)) : [];
  const add = (more: WeComCustomer[]) => {
    if (!corpId) return;
    const next = [...more, ...customers].slice(0, 50);
    window.localStorage.setItem(storageKey(corpId), JSON.stringify(next));
    setSaved((current) => ({ ...current, [corpId]: next }));
  };
  return [customers, add] as const;
}

function InboxList({ items, emptyText, testId }: { items: WeComInboxItem[]; emptyText: string; testId: string }) {
  const { t } = useTranslation('sandbox');
  return (
    <List
      size="small"
      bordered
      dataSource={items.toReversed()}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} /> }}
      style={{ maxHeight: 360, overflow: 'auto', background: '#fff' }}
      data-testid={testId}
      renderItem={(item) => {
        const view = viewInbox(item.msgtype, item.payload);
        return (
          <List.Item>
            <Flex vertical gap={2} style={{ width: '100%' }}>
              <Flex justify="space-between" gap={8}>
                <Space size={4}>
                  <Tag>{t(`source.${item.source}`, { defaultValue: item.source })}</Tag>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('wecom.from', { sender: item.sender })}
                  </Typography.Text>
                </Space>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatDateTime(item.receivedAt)}
                </Typography.Text>
              </Flex>
              <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>
                {view.kind === 'text' ? view.text || t('wecom.noText') : view.kind === 'articles' ? view.titles.join(' / ') : t('phone.media', { type: view.msgType })}
                {view.kind === 'text' && view.attachments ? <Tag style={{ marginLeft: 8 }}>{t('wecom.attachments', { count: view.attachments })}</Tag> : null}
              </Typography.Text>
            </Flex>
          </List.Item>
        );
      }}
    />
  );
}

const codeLabel = (way: SandboxContactWay) => [way.remark || way.configId.slice(0, 8), way.state ? `state=${way.state}` : null, way.userids.join(', ')].filter(Boolean).join(' · ');

function LastDelivery({ delivery, sent }: { delivery: DeliverySummary | null; sent?: string }) {
  const { t } = useTranslation('sandbox');
  if (!delivery) return null;
  return (
    <Flex gap={8} align="center" wrap data-testid="wecom-last">
      <Typography.Text type="secondary">{t('wecom.lastPush')}</Typography.Text>
      <DeliveryStatusTag status={delivery.status} />
      <span>{t('deliveries.attemptsLatency', { attempts: delivery.attempts, ms: delivery.latencyMs })}</span>
      {sent ? <Typography.Text type="secondary" ellipsis style={{ maxWidth: 240 }}>{t('wecom.sent', { text: sent })}</Typography.Text> : null}
    </Flex>
  );
}

/** 企业微信客户: a customer adds a member and receives the welcome message; a member writes to an app. */
export function WeComPage() {
  const { t } = useTranslation('sandbox');
  const { message } = App.useApp();
  const [url, setUrl] = useUrlState(['corp', 'customer', 'member']);
  const [addForm] = Form.useForm<{ userid: string; state?: string }>();
  const [draft, setDraft] = useState('');
  const [agentId, setAgentId] = useState<string | undefined>();
  const [customerPush, setCustomerPush] = useState<DeliverySummary | null>(null);
  const [memberPush, setMemberPush] = useState<{ delivery: DeliverySummary; text: string } | null>(null);
  const [codeId, setCodeId] = useState<string | undefined>();

  const corps = useQuery({ queryKey: [...sandboxQueryKey, 'corps'], queryFn: weComApi.corps });
  const list = corps.data?.items ?? [];
  const corp = list.find((c) => c.corpId === url.corp) ?? list[0] ?? null;
  const corpId = corp?.corpId ?? null;
  const [customers, addCustomers] = useKnownCustomers(corpId);
  const customerId = url.customer ?? null;
  const memberId = url.member ?? corp?.creatorUserid ?? null;
  const apps = (corp?.receivers ?? []).filter((r) => r.kind === 'app');
  const contactReceiver = corp?.receivers.find((r) => r.kind === 'customer-contact');

  const customerInbox = useQuery({
    queryKey: [...sandboxQueryKey, 'customer-inbox', corpId, customerId],
    queryFn: () => weComApi.customerInbox(corpId!, customerId!),
    enabled: Boolean(corpId && customerId),
    refetchInterval: POLL_MS,
  });
  const contactWays = useQuery({
    queryKey: [...sandboxQueryKey, 'contact-ways', corpId],
    queryFn: () => weComApi.contactWays(corpId!),
    enabled: Boolean(corpId),
  });
  const codes = contactWays.data?.items ?? [];
  const code = codes.find((c) => c.configId === codeId) ?? null;
  const memberInbox = useQuery({
    queryKey: [...sandboxQueryKey, 'member-inbox', corpId, memberId],
    queryFn: () => weComApi.memberInbox(corpId!, memberId!),
    enabled: Boolean(corpId && memberId),
    refetchInterval: POLL_MS,
  });

  const fail = (error: unknown) => void message.error(errorMessage(error, t('common:error.unknown')));

  const createCustomer = useMutation({
    mutationFn: () => weComApi.createCustomers(corpId!, { count: 1 }),
    onSuccess: (answer) => {
      addCustomers(answer.customers);
      const first = answer.customers[0];
      if (first) setUrl({ customer: first.externalUserId });
    },
    onError: fail,
  });

  const addMember = useMutation({
    mutationFn: (values: { userid: string; state?: string }) =>
      weComApi.addMember(corpId!, customerId!, { userid: values.userid.trim(), ...(values.state?.trim() ? { state: values.state.trim() } : {}) }),
    onSuccess: (answer) => {
      setCustomerPush(answer.delivery);
      void customerInbox.refetch();
    },
    onError: fail,
  });

  // Scanning a 「联系我」 code adds its member with its state; with no customer picked, a new one scans.
  // A multi-member code sends the customer to its first member (real WeCom picks one among them).
  const scan = useMutation({
    mutationFn: async (way: SandboxContactWay) => {
      let externalUserId = customerId;
      if (!externalUserId) {
        const created = await weComApi.createCustomers(corpId!, { count: 1 });
        addCustomers(created.customers);
        externalUserId = created.customers[0]!.externalUserId;
        setUrl({ customer: externalUserId });
      }
      return weComApi.addMember(corpId!, externalUserId, { userid: way.userids[0]!, ...(way.state ? { state: way.state } : {}) });
    },
    onSuccess: (answer) => {
      setCustomerPush(answer.delivery);
      void customerInbox.refetch();
    },
    onError: fail,
  });

  const memberSends = useMutation({
    mutationFn: (content: string) => weComApi.memberSends(corpId!, memberId!, { content, ...(agentId ? { agentId } : {}) }),
    onSuccess: (answer, content) => {
      setMemberPush({ delivery: answer.delivery, text: content });
      setDraft('');
      void memberInbox.refetch();
    },
    onError: fail,
  });

  const memberOptions = [...new Set([corp?.creatorUserid, memberId].filter((v): v is string => Boolean(v)))].map((value) => ({ value }));

  return (
    <>
      <PageHeader
        title={t('wecom.title')}
        description={t('wecom.description')}
        extra={
          <Select
            style={{ width: 400 }}
            loading={corps.isLoading}
            value={corpId ?? undefined}
            placeholder={t('wecom.pickCorp')}
            onChange={(value: string) => setUrl({ corp: value, customer: undefined, member: undefined })}
            options={list.map((c) => ({ value: c.corpId, label: `${c.name} (${c.corpId})` }))}
            data-testid="wecom-corp"
          />
        }
      />
      <ErrorAlert error={corps.error} />
      {!corps.isLoading && !corps.error && list.length === 0 ? <Empty description={t('wecom.noCorps')} /> : null}
      {corp ? (
        <Flex gap={16} align="flex-start" wrap>
          <Card size="small" title={t('wecom.customerTitle')} style={{ flex: 1, minWidth: 460 }}>
            <Flex vertical gap={12}>
              {contactReceiver && !contactReceiver.callbackUrl ? <Typography.Text type="warning">{t('wecom.noCallback', { name: contactReceiver.name })}</Typography.Text> : null}
              <Space.Compact style={{ width: '100%' }}>
                <Select
                  style={{ flex: 1 }}
                  value={customerId ?? undefined}
                  placeholder={t('wecom.pickCustomer')}
                  onChange={(value: string) => setUrl({ customer: value })}
                  options={customers.map((c) => ({ value: c.externalUserId, label: `${c.name} · ${c.externalUserId}` }))}
                  data-testid="wecom-customer"
                />
                <Button icon={<PlusOutlined />} onClick={() => createCustomer.mutate()} loading={createCustomer.isPending} data-testid="wecom-new-customer">
                  {t('wecom.newCustomer')}
                </Button>
              </Space.Compact>
              <Space.Compact style={{ width: '100%' }}>
                <Select
                  style={{ flex: 1 }}
                  value={code?.configId}
                  placeholder={t('wecom.pickCode')}
                  loading={contactWays.isFetching}
                  onChange={setCodeId}
                  onDropdownVisibleChange={(open) => open && void contactWays.refetch()}
                  notFoundContent={<Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('wecom.noCodes')} />}
                  options={codes.map((c) => ({ value: c.configId, label: codeLabel(c) }))}
                  data-testid="wecom-scan-code"
                />
                <Button
                  type="primary"
                  icon={<ScanOutlined />}
                  disabled={!code || code.userids.length === 0}
                  loading={scan.isPending}
                  onClick={() => code && scan.mutate(code)}
                  data-testid="wecom-scan"
                >
                  {customerId ? t('wecom.scan') : t('wecom.scanAsNew')}
                </Button>
              </Space.Compact>
              <Form form={addForm} layout="inline" onFinish={(values) => addMember.mutate(values)} initialValues={{ userid: corp.creatorUserid ?? '' }} data-testid="wecom-add-form">
                <Form.Item name="userid" label={t('field.userid')} rules={[{ required: true, whitespace: true, message: t('wecom.useridRequired') }]}>
                  <AutoComplete options={memberOptions} style={{ width: 150 }} placeholder="user00001" data-testid="wecom-add-userid" />
                </Form.Item>
                <Form.Item name="state" label={t('field.state')}>
                  <Input style={{ width: 130 }} maxLength={30} placeholder={t('wecom.statePlaceholder')} data-testid="wecom-add-state" />
                </Form.Item>
                <Button type="primary" htmlType="submit" disabled={!customerId} loading={addMember.isPending} data-testid="wecom-add-submit">
                  {t('wecom.addMember')}
                </Button>
              </Form>
              <LastDelivery delivery={customerPush} />
              <Typography.Text strong>{t('wecom.customerInbox')}</Typography.Text>
              <ErrorAlert error={customerInbox.error} />
              <InboxList items={customerInbox.data?.items ?? []} emptyText={customerId ? t('wecom.customerInboxEmpty') : t('wecom.pickCustomerFirst')} testId="wecom-customer-inbox" />
            </Flex>
          </Card>
          <Card size="small" title={t('wecom.memberTitle')} style={{ flex: 1, minWidth: 460 }}>
            <Flex vertical gap={12}>
              <Descriptions
                size="small"
                column={1}
                items={[{ key: 'apps', label: t('wecom.apps'), children: apps.map((a) => `${a.name} (${a.receiver})`).join('、') || '—' }]}
              />
              <Space.Compact style={{ width: '100%' }}>
                <AutoComplete
                  options={memberOptions}
                  value={memberId ?? ''}
                  onChange={(value: string) => setUrl({ member: value || undefined })}
                  style={{ width: 160 }}
                  placeholder={t('field.userid')}
                  data-testid="wecom-member"
                />
                <Select
                  style={{ width: 180 }}
                  value={agentId ?? apps[0]?.receiver}
                  onChange={setAgentId}
                  options={apps.map((a) => ({ value: a.receiver, label: a.name }))}
                  data-testid="wecom-agent"
                />
              </Space.Compact>
              <Space.Compact style={{ width: '100%' }}>
                <Input value={draft} onChange={(e) => setDraft(e.target.value)} onPressEnter={() => draft.trim() && memberId && memberSends.mutate(draft.trim())} placeholder={t('wecom.memberPlaceholder')} maxLength={2048} data-testid="wecom-member-text" />
                <Button type="primary" disabled={!draft.trim() || !memberId} loading={memberSends.isPending} onClick={() => memberSends.mutate(draft.trim())} data-testid="wecom-member-send">
                  {t('phone.send')}
                </Button>
              </Space.Compact>
              <LastDelivery delivery={memberPush?.delivery ?? null} {...(memberPush ? { sent: memberPush.text } : {})} />
              <Typography.Text strong>{t('wecom.memberInbox')}</Typography.Text>
              <ErrorAlert error={memberInbox.error} />
              <InboxList items={memberInbox.data?.items ?? []} emptyText={t('wecom.memberInboxEmpty')} testId="wecom-member-inbox" />
            </Flex>
          </Card>
        </Flex>
      ) : null}
    </>
  );
}

import { BarChartOutlined, DeleteOutlined, DownloadOutlined, EditOutlined, PlusOutlined, QrcodeOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Flex, Form, Input, Modal, Popconfirm, Select, Space, Spin, Tabs, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../../app/session';
import { useProductAccount } from '../../../components/account-picker';
import { DataTable } from '../../../components/data-table';
import { ErrorAlert, errorMessage } from '../../../components/error-display';
import { formatDate, formatDateTime } from '../../../components/format';
import { PageHeader } from '../../../components/page-header';
import { useUrlState } from '../../../components/url-state';
import { assignmentRulesApi, rulesKey } from '../assignment-rules/assignment-rules.api';
import { ContactWayDrawer } from './contact-way-drawer';
import { FailedCodes } from './failed-codes';
import { contactWaysApi, contactWaysKey, type ContactWay, type WelcomeSend } from './contact-ways.api';
import { WelcomeSettings } from './welcome-settings';

/** Seven small bars: adds per day, oldest first, today last. */
function AddsSparkline({ days }: { days: number[] }) {
  const max = Math.max(1, ...days);
  return (
    <svg width={days.length * 8} height={20} aria-hidden style={{ verticalAlign: 'middle' }}>
      {days.map((n, i) => (
        <rect key={i} x={i * 8} y={20 - Math.max(1, (n / max) * 20)} width={6} height={Math.max(1, (n / max) * 20)} fill={n ? '#1677ff' : '#d9d9d9'} />
      ))}
    </svg>
  );
}

function StatsChart({ accountId, configId }: { accountId: string; configId: string }) {
  const { t } = useTranslation('wecomContactWays');
  const stats = useQuery({ queryKey: [...contactWaysKey(accountId), 'stats', configId], queryFn: () => contactWaysApi.stats(accountId, configId) });
  if (stats.error) return <ErrorAlert error={stats.error} />;
  if (!stats.data) return <Spin />;
  const days = stats.data.days;
  const max = Math.max(1, ...days.map((d) => d.adds));
  const width = 560;
  const bar = days.length ? width / days.length : width;
  return (
    <Flex vertical gap={8}>
      <Typography.Text>{t('stats.total', { total: stats.data.total, from: stats.data.from, to: stats.data.to })}</Typography.Text>
      <svg width={width} height={160} role="img" aria-label={t('stats.title')} data-testid="contact-way-stats-chart">
        {days.map((d, i) => {
          const h = (d.adds / max) * 115;
          return (
            <g key={d.day}>
              <title>{`${d.day}: ${d.adds}`}</title>
              <rect x={i * bar + 1} y={140 - h} width={Math.max(2, bar - 2)} height={Math.max(h, 1)} fill={d.adds ? '#1677ff' : '#f0f0f0'} />
              {d.adds ? (
                <text x={i * bar + bar / 2} y={136 - h} fontSize={10} textAnchor="middle">
                  {d.adds}
                </text>
              ) : null}
            </g>
          );
        })}
        <text x={0} y={156} fontSize={10}>
          {days[0]?.day}
        </text>
        <text x={width} y={156} fontSize={10} textAnchor="end">
          {days.at(-1)?.day}
        </text>
      </svg>
    </Flex>
  );
}

function WelcomeLog({ accountId }: { accountId: string }) {
  const { t } = useTranslation('wecomContactWays');
  const colors: Record<WelcomeSend['status'], string> = { sending: 'processing', sent: 'success', failed: 'error', skipped: 'default' };
  return (
    <DataTable<WelcomeSend>
      queryKey={[...contactWaysKey(accountId), 'sends']}
      fetchPage={({ cursor, limit, filters }) => contactWaysApi.sends(accountId, { cursor, limit, externalUserId: filters.externalUserId, status: filters.status })}
      rowKey="id"
      title={t('log.title')}
      filterKeys={['externalUserId', 'status']}
      searchFields={
        <>
          <Form.Item name="externalUserId" label={t('log.customer')}>
            <Input allowClear placeholder="wm…" />
          </Form.Item>
          <Form.Item name="status" label={t('log.status')}>
            <Select allowClear style={{ width: 140 }} options={(['sent', 'failed', 'skipped'] as const).map((s) => ({ value: s, label: t(`status.${s}`) }))} />
          </Form.Item>
        </>
      }
      columns={[
        { title: t('log.time'), dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v) },
        { title: t('log.customer'), dataIndex: 'externalUserId', ellipsis: true },
        { title: t('log.member'), dataIndex: 'userid', width: 110 },
        { title: t('log.code'), dataIndex: 'codeName', width: 140, ellipsis: true, render: (v: string | null, row) => v ?? row.configId ?? '—' },
        { title: t('log.status'), dataIndex: 'status', width: 90, render: (v: WelcomeSend['status']) => <Tag color={colors[v]}>{t(`status.${v}`)}</Tag> },
        { title: t('log.reason'), dataIndex: 'message' },
        { title: t('log.latency'), dataIndex: 'latencyMs', width: 90, render: (v: number | null) => (v === null ? '—' : `${v} ms`) },
      ]}
    />
  );
}

/** 联系我 / 欢迎语: contact-me codes with their adds per day, the default welcome message, and every welcome attempt. */
export function ContactWaysPage() {
  const { t } = useTranslation('wecomContactWays');
  const { message } = App.useApp();
  const can = useCan();
  const queryClient = useQueryClient();
  const { account, picker, empty, isLoading } = useProductAccount('wecom');
  const [{ tab }, setUrl] = useUrlState(['tab']);
  const [drawer, setDrawer] = useState<{ open: boolean; editing: ContactWay | null }>({ open: false, editing: null });
  const [qrOf, setQrOf] = useState<ContactWay | null>(null);
  const [statsOf, setStatsOf] = useState<ContactWay | null>(null);
  const writable = can('wecom.customers.write');
  // A code bound to an assignment rule has its members kept by the rule: say so where they are shown and edited.
  const rules = useQuery({
    queryKey: rulesKey(account?.id ?? ''),
    queryFn: () => assignmentRulesApi.list(account!.id),
    enabled: !!account && can('wecom.customers.assign'),
  });
  const ruleOf = new Map((rules.data?.items ?? []).filter((rule) => rule.configId).map((rule) => [rule.configId as string, rule.name]));

  const remove = useMutation({
    mutationFn: (way: ContactWay) => contactWaysApi.remove(account!.id, way.configId),
    onSuccess: () => {
      void message.success(t('deleted'));
      void queryClient.invalidateQueries({ queryKey: contactWaysKey(account!.id) });
    },
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });

  if (!account) {
    return (
      <>
        <PageHeader title={t('page.title')} description={t('page.description')} />
        {isLoading ? null : empty}
      </>
    );
  }

  const codes = (
    <DataTable<ContactWay>
      queryKey={contactWaysKey(account.id)}
      fetchPage={({ cursor, limit, filters }) => contactWaysApi.list(account.id, { cursor, limit, q: filters.q, userid: filters.userid })}
      rowKey="configId"
      title={t('list.title')}
      filterKeys={['q', 'userid']}
      testId="contact-ways-table"
      scrollX={1150}
      searchFields={
        <>
          <Form.Item name="q" label={t('list.search')}>
            <Input allowClear placeholder={t('list.searchPlaceholder')} />
          </Form.Item>
          <Form.Item name="userid" label={t('field.members')}>
            <Input allowClear placeholder="userid" />
          </Form.Item>
        </>
      }
      columns={[
        {
          title: t('field.name'),
          dataIndex: 'name',
          width: 280,
          render: (name: string, way) => (
            <Space direction="vertical" size={0}>
              <Typography.Text strong>{name}</Typography.Text>
              <Space size={4}>
                <Tag>{t(`type.${way.type}`)}</Tag>
                {way.scene === 'miniprogram' ? <Tag color="purple">{t('scene.miniprogram')}</Tag> : null}
                {way.isTemp ? <Tag color="orange">{t('list.temp', { at: formatDate(way.expiresAt) })}</Tag> : null}
                {way.welcomeMessage ? <Tag color="green">{t('list.ownWelcome')}</Tag> : null}
              </Space>
              {way.scene === 'miniprogram' ? (
                <Tooltip title={t('list.configIdHelp')}>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }} copyable={{ text: way.configId }} data-testid="contact-way-config-id">
                    {t('list.configId', { id: way.configId })}
                  </Typography.Text>
                </Tooltip>
              ) : null}
            </Space>
          ),
        },
        {
          title: t('field.members'),
          dataIndex: 'userids',
          render: (ids: string[], way) => {
            const rule = ruleOf.get(way.configId);
            return (
              <Space direction="vertical" size={2}>
                <span title={ids.join(', ')} data-testid="contact-way-members">
                  {way.members.map((m) => m.name ?? m.userid).join(', ')}
                </span>
                {rule ? (
                  <Tooltip title={t('list.ruleManagedHelp')}>
                    <Tag color="blue" data-testid="contact-way-rule">
                      {t('list.ruleManaged', { name: rule })}
                    </Tag>
                  </Tooltip>
                ) : null}
              </Space>
            );
          },
        },
        { title: t('field.state'), dataIndex: 'state', width: 170, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
        { title: t('field.tags'), dataIndex: 'tagIds', width: 90, render: (ids: string[]) => (ids.length ? t('list.tagCount', { count: ids.length }) : '—') },
        { title: t('field.skipVerify'), dataIndex: 'skipVerify', width: 90, render: (v: boolean) => (v ? t('yes') : t('no')) },
        {
          title: t('list.adds'),
          key: 'adds',
          width: 150,
          render: (_: unknown, way) => (
            <Tooltip title={t('list.addsHelp', { days: way.addsLast7Days.join(' · ') })}>
              <Space direction="vertical" size={2}>
                <AddsSparkline days={way.addsLast7Days} />
                <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap', fontSize: 12 }}>
                  {t('list.addsTotal', { today: way.addsLast7Days.at(-1) ?? 0, total: way.addsTotal })}
                </Typography.Text>
              </Space>
            </Tooltip>
          ),
        },
        {
          title: t('list.actions'),
          key: 'actions',
          width: 150,
          fixed: 'right',
          render: (_: unknown, way) => (
            <Space size={0}>
              {way.scene === 'qr' ? <Button type="link" size="small" icon={<QrcodeOutlined />} onClick={() => setQrOf(way)} aria-label={t('qr.title')} /> : null}
              <Button type="link" size="small" icon={<BarChartOutlined />} onClick={() => setStatsOf(way)} aria-label={t('stats.title')} />
              {writable ? <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setDrawer({ open: true, editing: way })} aria-label={t('common:action.edit')} /> : null}
              {writable ? (
                <Popconfirm title={t('deleteConfirm', { name: way.name })} onConfirm={() => remove.mutate(way)}>
                  <Button type="link" size="small" danger icon={<DeleteOutlined />} aria-label={t('action.delete')} />
                </Popconfirm>
              ) : null}
            </Space>
          ),
        },
      ]}
    />
  );

  return (
    <>
      <PageHeader
        title={t('page.title')}
        description={t('page.description')}
        extra={
          <>
            {picker}
            {writable ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer({ open: true, editing: null })} data-testid="contact-way-create">
                {t('create')}
              </Button>
            ) : null}
          </>
        }
      />
      <FailedCodes accountId={account.id} writable={writable} />
      <Tabs
        activeKey={tab ?? 'codes'}
        onChange={(key) => setUrl({ tab: key === 'codes' ? undefined : key })}
        items={[
          { key: 'codes', label: t('tab.codes'), children: codes },
          { key: 'welcome', label: t('tab.welcome'), children: <WelcomeSettings accountId={account.id} writable={can('wecom.customers.manage')} /> },
          { key: 'log', label: t('tab.log'), children: <WelcomeLog accountId={account.id} /> },
        ]}
      />
      <ContactWayDrawer
        accountId={account.id}
        open={drawer.open}
        editing={drawer.editing}
        managedByRule={drawer.editing ? (ruleOf.get(drawer.editing.configId) ?? null) : null}
        onClose={() => setDrawer({ open: false, editing: null })}
        onSaved={() => {
          setDrawer({ open: false, editing: null });
          void queryClient.invalidateQueries({ queryKey: contactWaysKey(account.id) });
        }}
      />
      <Modal open={!!qrOf} title={t('qr.title')} onCancel={() => setQrOf(null)} footer={null} destroyOnHidden>
        {qrOf ? (
          <Flex vertical align="center" gap={12}>
            <img src={contactWaysApi.qrUrl(account.id, qrOf.configId)} alt={t('qr.alt', { name: qrOf.name })} style={{ width: 240, height: 240 }} data-testid="contact-way-qr" />
            <Typography.Text type="secondary">{t('qr.help', { state: qrOf.state })}</Typography.Text>
            <Button icon={<DownloadOutlined />} href={contactWaysApi.qrUrl(account.id, qrOf.configId)} download={`${qrOf.name}.png`}>
              {t('qr.download')}
            </Button>
          </Flex>
        ) : null}
      </Modal>
      <Modal open={!!statsOf} title={statsOf ? t('stats.titleOf', { name: statsOf.name }) : ''} onCancel={() => setStatsOf(null)} footer={null} width={640} destroyOnHidden>
        {statsOf ? <StatsChart accountId={account.id} configId={statsOf.configId} /> : null}
      </Modal>
    </>
  );
}

import { ReloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Drawer, Flex, Form, Input, Radio, Select, Space, Statistic, Steps, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import type { Transfer, TransferDetail, TransferPreview } from '../../../../server/modules/wecom/customer-transfers/customer-transfers.schema';
import { useProductAccount } from '../../../components/account-picker';
import { ErrorAlert, errorMessage } from '../../../components/error-display';
import { formatDateTime } from '../../../components/format';
import { JobProgress } from '../../../components/job-progress';
import { PageHeader } from '../../../components/page-header';
import { directoryApi } from '../directory/directory.api';
import { customerTransfersApi, transfersKey } from './customer-transfers.api';
import { CustomerSelect, followedBy, transferCustomerLimit, type PickedCustomer, type TransferDraft } from './customer-select';

type Kind = 'on_duty' | 'resigned';

interface TransferForm {
  kind: Kind;
  handoverUserid: string;
  takeoverUserid: string;
  customers: PickedCustomer[];
  message?: string;
}

const statusColors: Record<string, string> = { pending: 'processing', accepted: 'success', refused: 'error', limit: 'warning', failed: 'error', skipped: 'default' };

function useMemberOptions(accountId: string) {
  const members = useQuery({
    queryKey: ['wecom-directory', accountId, 'members', 'transfer-options'],
    queryFn: () => directoryApi.members(accountId, { limit: 500, filters: {} }),
    enabled: Boolean(accountId),
  });
  return useMemo(
    () => (members.data?.items ?? []).map((m) => ({ value: m.userid, label: `${m.name}（${m.userid}）`, disabled: false, status: m.status })),
    [members.data],
  );
}

/** 客户继承: on-duty and departed members' customers handed to another member, WeCom's limits explained first. */
export function CustomerTransfersPage() {
  const { t } = useTranslation('wecomTransfers');
  const { account, picker, empty } = useProductAccount('wecom');
  const accountId = account?.id ?? '';
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} extra={picker} />
      {!account ? (
        empty
      ) : (
        <Flex vertical gap={16}>
          <Alert type="info" showIcon message={t('limits.title')} description={<LimitsList />} />
          <Card size="small">
            <Tabs
              items={[
                { key: 'new', label: t('tab.new'), children: <NewTransfer accountId={accountId} /> },
                { key: 'resigned', label: t('tab.resigned'), children: <ResignedWizard accountId={accountId} /> },
              ]}
            />
          </Card>
          <TransfersCard accountId={accountId} />
        </Flex>
      )}
    </>
  );
}

function LimitsList() {
  const { t } = useTranslation('wecomTransfers');
  return (
    <ul style={{ margin: 0, paddingInlineStart: 20 }}>
      {(['wait', 'refuse', 'window', 'batch', 'resigned'] as const).map((key) => (
        <li key={key}>{t(`limits.${key}`)}</li>
      ))}
    </ul>
  );
}

function blockText(t: (key: string, options?: Record<string, unknown>) => string, item: TransferPreview['items'][number]): string {
  if (item.allowed) return t('preview.allowed');
  return t(`block.${item.reason}`, { date: formatDateTime(item.nextAllowedAt), count: item.recentTransfers });
}

function NewTransfer({ accountId }: { accountId: string }) {
  const { t } = useTranslation('wecomTransfers');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const location = useLocation();
  const draft = (location.state as { transferDraft?: TransferDraft } | null)?.transferDraft;
  const [form] = Form.useForm<TransferForm>();
  const kind = Form.useWatch('kind', form) ?? 'on_duty';
  const handover = Form.useWatch('handoverUserid', form);
  const picked = Form.useWatch('customers', form);
  const options = useMemberOptions(accountId);
  const [preview, setPreview] = useState<TransferPreview | null>(null);
  const [created, setCreated] = useState<TransferDetail | null>(null);
  const names = useMemo(() => new Map((picked ?? []).map((c) => [c.externalUserId, c.name])), [picked]);

  const bodyOf = (values: TransferForm) => ({
    kind: values.kind,
    handoverUserid: values.handoverUserid,
    takeoverUserid: values.takeoverUserid,
    externalUserIds: values.customers.map((c) => c.externalUserId),
  });
  const check = useMutation({
    mutationFn: async () => customerTransfersApi.preview(accountId, bodyOf(await form.validateFields())),
    onSuccess: (result) => {
      setPreview(result);
      setCreated(null);
    },
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });
  const submit = useMutation({
    mutationFn: async () => {
      const values = await form.validateFields();
      return customerTransfersApi.create(accountId, { ...bodyOf(values), ...(values.kind === 'on_duty' && values.message ? { message: values.message } : {}) });
    },
    onSuccess: (result) => {
      setCreated(result);
      setPreview(null);
      void queryClient.invalidateQueries({ queryKey: transfersKey(accountId) });
      void message.success(t('created', { pending: result.counts.pending, skipped: result.counts.skipped, failed: result.counts.failed }));
    },
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });
  // Another member follows other customers: keep only the chosen ones this member follows.
  const memberChanged = (userid: string | undefined) => {
    const chosen = form.getFieldValue('customers') as PickedCustomer[] | undefined;
    if (!userid || !chosen?.length) return;
    const kept = chosen.filter((c) => followedBy(c, userid));
    if (kept.length < chosen.length) {
      form.setFieldValue('customers', kept);
      void message.info(t('picker.dropped', { count: chosen.length - kept.length }));
    }
  };

  return (
    <Flex vertical gap={12}>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ kind: 'on_duty', customers: draft?.customers ?? [], ...(draft?.handoverUserid ? { handoverUserid: draft.handoverUserid } : {}) }}
        onValuesChange={(changed: Partial<TransferForm>) => {
          setPreview(null);
          if ('handoverUserid' in changed) memberChanged(changed.handoverUserid);
        }}
        style={{ maxWidth: 720 }}
      >
        {draft?.customers.length ? <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('picker.prefilled', { count: draft.customers.length })} /> : null}
        <Form.Item name="kind" label={t('field.kind')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'on_duty', label: t('kind.on_duty') },
              { value: 'resigned', label: t('kind.resigned') },
            ]}
          />
        </Form.Item>
        <Space size={16} wrap>
          <Form.Item name="handoverUserid" label={t('field.handover')} rules={[{ required: true, message: t('required') }]}>
            <Select showSearch optionFilterProp="label" options={options} style={{ width: 300 }} placeholder={t('placeholder.member')} data-testid="transfer-handover" />
          </Form.Item>
          <Form.Item name="takeoverUserid" label={t('field.takeover')} rules={[{ required: true, message: t('required') }]}>
            <Select showSearch optionFilterProp="label" options={options.filter((o) => o.status === 'active')} style={{ width: 300 }} placeholder={t('placeholder.member')} data-testid="transfer-takeover" />
          </Form.Item>
        </Space>
        <Form.Item
          name="customers"
          label={t('field.customers')}
          extra={t('hint.customers')}
          rules={[
            { required: true, type: 'array', min: 1, message: t('required') },
            { type: 'array', max: transferCustomerLimit, message: t('picker.tooMany', { max: transferCustomerLimit.toLocaleString() }) },
          ]}
        >
          <CustomerSelect accountId={accountId} handoverUserid={handover} />
        </Form.Item>
        {kind === 'on_duty' ? (
          <Form.Item name="message" label={t('field.message')} extra={t('hint.message')} rules={[{ max: 200, message: t('messageTooLong') }]}>
            <Input.TextArea rows={2} maxLength={200} showCount />
          </Form.Item>
        ) : null}
        <Space>
          <Button onClick={() => check.mutate()} loading={check.isPending} data-testid="transfer-preview">
            {t('preview.button')}
          </Button>
          <Button type="primary" onClick={() => submit.mutate()} loading={submit.isPending} disabled={!preview || preview.allowed === 0} data-testid="transfer-submit">
            {t('submit')}
          </Button>
        </Space>
      </Form>
      {preview ? <PreviewPanel preview={preview} names={names} /> : null}
      {created ? <ItemsTable detail={created} names={names} /> : null}
    </Flex>
  );
}

function PreviewPanel({ preview, names }: { preview: TransferPreview; names: Map<string, string> }) {
  const { t } = useTranslation('wecomTransfers');
  return (
    <Card size="small" title={t('preview.title')} data-testid="transfer-preview-panel">
      <Flex gap={32} wrap style={{ marginBottom: 12 }}>
        <Statistic title={t('preview.allowedCount')} value={preview.allowed} />
        <Statistic title={t('preview.blockedCount')} value={preview.blocked} />
        <Statistic title={t('preview.calls')} value={preview.calls} />
        <Statistic title={t('preview.takeoverAt')} value={formatDateTime(preview.takeoverAt)} />
      </Flex>
      <Alert
        type={preview.allowed === 0 ? 'error' : 'warning'}
        showIcon
        style={{ marginBottom: 12 }}
        message={preview.allowed === 0 ? t('preview.nothing') : preview.customerMayRefuse ? t('preview.mayRefuse') : t('preview.resignedNote')}
      />
      <Table
        rowKey={(r, i) => `${r.externalUserId}-${i}`}
        size="small"
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        dataSource={preview.items}
        columns={[
          { title: t('field.customer'), dataIndex: 'externalUserId', render: (id: string) => <CustomerName id={id} names={names} /> },
          { title: t('preview.verdict'), key: 'allowed', width: 110, render: (_v, r) => <Tag color={r.allowed ? 'success' : 'error'}>{r.allowed ? t('preview.yes') : t('preview.no')}</Tag> },
          { title: t('preview.why'), key: 'why', render: (_v, r) => blockText(t, r) },
          { title: t('preview.recent'), dataIndex: 'recentTransfers', width: 130 },
        ]}
      />
    </Card>
  );
}

function itemReason(t: (key: string, options?: Record<string, unknown>) => string, item: TransferDetail['items'][number]): string {
  if (item.errcode !== null) return t(`errcode.${item.errcode}`, { defaultValue: t('errcode.other', { errcode: item.errcode }) });
  if (item.status === 'skipped' && item.reason) return t(`block.${item.reason}`, { date: '', count: 2 });
  if (item.status === 'pending') return t('reason.pending', { at: formatDateTime(item.takeoverAt) });
  return t(`reason.${item.status}`, { defaultValue: '' });
}

function CustomerName({ id, names }: { id: string; names?: Map<string, string> }) {
  const name = names?.get(id);
  if (!name) return <>{id}</>;
  return (
    <Space size={4} direction="vertical">
      <span>{name}</span>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {id}
      </Typography.Text>
    </Space>
  );
}

function ItemsTable({ detail, names }: { detail: TransferDetail; names?: Map<string, string> }) {
  const { t } = useTranslation('wecomTransfers');
  const columns: TableColumnsType<TransferDetail['items'][number]> = [
    { title: t('field.customer'), dataIndex: 'externalUserId', render: (id: string) => <CustomerName id={id} names={names} /> },
    { title: t('field.status'), dataIndex: 'status', width: 120, render: (s: string) => <Tag color={statusColors[s]}>{t(`status.${s}`)}</Tag> },
    { title: t('field.reason'), key: 'reason', render: (_v, item) => itemReason(t, item) },
    { title: t('field.startedAt'), dataIndex: 'startedAt', width: 170, render: (v: string | null) => formatDateTime(v) },
    { title: t('field.finishedAt'), dataIndex: 'finishedAt', width: 170, render: (v: string | null) => formatDateTime(v) },
  ];
  return <Table rowKey="externalUserId" size="small" columns={columns} dataSource={detail.items} pagination={{ pageSize: 20, hideOnSinglePage: true }} data-testid="transfer-items" />;
}

function ResignedWizard({ accountId }: { accountId: string }) {
  const { t } = useTranslation('wecomTransfers');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const options = useMemberOptions(accountId);
  const [handover, setHandover] = useState<string | undefined>();
  const [takeover, setTakeover] = useState<string | undefined>();
  const [jobId, setJobId] = useState<string | null>(null);
  const unassigned = useQuery({ queryKey: [...transfersKey(accountId), 'unassigned'], queryFn: () => customerTransfersApi.unassigned(accountId), enabled: Boolean(accountId) });
  const start = useMutation({
    mutationFn: () => customerTransfersApi.resignedHandover(accountId, { handoverUserid: handover as string, takeoverUserid: takeover as string }),
    onSuccess: (result) => {
      setJobId(result.jobId);
      void queryClient.invalidateQueries({ queryKey: transfersKey(accountId) });
    },
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });
  const step = jobId ? 2 : handover ? 1 : 0;
  const chosen = unassigned.data?.items.find((i) => i.handoverUserid === handover);
  return (
    <Flex vertical gap={16}>
      <Steps size="small" current={step} items={[{ title: t('wizard.pick') }, { title: t('wizard.takeover') }, { title: t('wizard.progress') }]} />
      <ErrorAlert error={unassigned.error} />
      <Table
        rowKey="handoverUserid"
        size="small"
        loading={unassigned.isFetching}
        pagination={false}
        locale={{ emptyText: t('wizard.none') }}
        rowSelection={{ type: 'radio', selectedRowKeys: handover ? [handover] : [], onChange: (keys) => setHandover(String(keys[0])) }}
        dataSource={unassigned.data?.items ?? []}
        columns={[
          { title: t('field.handover'), dataIndex: 'handoverUserid' },
          { title: t('wizard.customers'), dataIndex: 'customers', width: 140 },
          { title: t('wizard.dimission'), dataIndex: 'dimissionTime', width: 200, render: (v: string) => formatDateTime(v) },
        ]}
        data-testid="unassigned-table"
      />
      <Space wrap>
        <Select
          showSearch
          optionFilterProp="label"
          disabled={!handover || Boolean(jobId)}
          options={options.filter((o) => o.status === 'active')}
          value={takeover}
          onChange={setTakeover}
          style={{ width: 300 }}
          placeholder={t('field.takeover')}
        />
        <Button type="primary" disabled={!handover || !takeover || Boolean(jobId)} loading={start.isPending} onClick={() => start.mutate()} data-testid="resigned-start">
          {chosen ? t('wizard.start', { count: chosen.customers }) : t('wizard.startPlain')}
        </Button>
      </Space>
      <Typography.Text type="secondary">{t('wizard.note')}</Typography.Text>
      {jobId ? (
        <JobProgress
          jobId={jobId}
          onClose={() => {
            setJobId(null);
            setHandover(undefined);
            setTakeover(undefined);
            void queryClient.invalidateQueries({ queryKey: transfersKey(accountId) });
          }}
        />
      ) : null}
    </Flex>
  );
}

function TransfersCard({ accountId }: { accountId: string }) {
  const { t } = useTranslation('wecomTransfers');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<string | undefined>();
  const [status, setStatus] = useState<string | undefined>();
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [open, setOpen] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1];
  const list = useQuery({
    queryKey: [...transfersKey(accountId), 'list', kind, status, cursor],
    queryFn: () => customerTransfersApi.list(accountId, { limit: 20, ...(kind ? { kind } : {}), ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) }),
    placeholderData: keepPreviousData,
  });
  const refresh = useMutation({
    mutationFn: () => customerTransfersApi.refresh(accountId),
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: transfersKey(accountId) });
      void message.success(t('refreshed', { checked: result.checked, changed: result.changed }));
    },
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });
  const columns: TableColumnsType<Transfer> = [
    { title: t('field.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string, r) => <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setOpen(r.id)}>{formatDateTime(v)}</Button> },
    { title: t('field.kind'), dataIndex: 'kind', width: 110, render: (k: string) => <Tag color={k === 'on_duty' ? 'blue' : 'purple'}>{t(`kind.${k}`)}</Tag> },
    { title: t('field.handover'), dataIndex: 'handoverUserid' },
    { title: t('field.takeover'), dataIndex: 'takeoverUserid' },
    {
      title: t('field.results'),
      key: 'counts',
      render: (_v, r) => (
        <Space size={4} wrap>
          {(['pending', 'accepted', 'refused', 'limit', 'failed', 'skipped'] as const)
            .filter((s) => r.counts[s] > 0)
            .map((s) => (
              <Tag key={s} color={statusColors[s]}>
                {t(`status.${s}`)} {r.counts[s]}
              </Tag>
            ))}
        </Space>
      ),
    },
  ];
  return (
    <Card
      size="small"
      title={t('list.title')}
      extra={
        <Button icon={<ReloadOutlined />} loading={refresh.isPending} onClick={() => refresh.mutate()} data-testid="transfers-refresh">
          {t('list.refresh')}
        </Button>
      }
    >
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          style={{ width: 160 }}
          placeholder={t('field.kind')}
          value={kind}
          onChange={(v?: string) => {
            setKind(v);
            setCursors([undefined]);
          }}
          options={[
            { value: 'on_duty', label: t('kind.on_duty') },
            { value: 'resigned', label: t('kind.resigned') },
          ]}
        />
        <Select
          allowClear
          style={{ width: 180 }}
          placeholder={t('field.status')}
          value={status}
          onChange={(v?: string) => {
            setStatus(v);
            setCursors([undefined]);
          }}
          options={(['pending', 'accepted', 'refused', 'limit', 'failed', 'skipped'] as const).map((s) => ({ value: s, label: t(`status.${s}`) }))}
        />
      </Flex>
      <ErrorAlert error={list.error} />
      <Table<Transfer> rowKey="id" size="middle" loading={list.isFetching} columns={columns} dataSource={list.data?.items ?? []} pagination={false} locale={{ emptyText: t('list.empty') }} data-testid="transfers-table" />
      <Flex justify="end" gap={8} style={{ marginTop: 12 }}>
        <Button disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
          {t('list.previous')}
        </Button>
        <Button disabled={!list.data?.nextCursor} onClick={() => setCursors((c) => [...c, list.data?.nextCursor ?? undefined])}>
          {t('list.next')}
        </Button>
      </Flex>
      <TransferDrawer accountId={accountId} transferId={open} onClose={() => setOpen(null)} />
    </Card>
  );
}

function TransferDrawer(props: { accountId: string; transferId: string | null; onClose(): void }) {
  const { t } = useTranslation('wecomTransfers');
  const detail = useQuery({
    queryKey: [...transfersKey(props.accountId), 'detail', props.transferId],
    queryFn: () => customerTransfersApi.get(props.accountId, props.transferId as string),
    enabled: Boolean(props.transferId),
  });
  const d = detail.data;
  return (
    <Drawer open={props.transferId !== null} onClose={props.onClose} width={820} title={t('detail.title')} destroyOnHidden>
      <ErrorAlert error={detail.error} />
      {d ? (
        <Flex vertical gap={16}>
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('field.kind')}>{t(`kind.${d.kind}`)}</Descriptions.Item>
            <Descriptions.Item label={t('field.createdAt')}>{formatDateTime(d.createdAt)}</Descriptions.Item>
            <Descriptions.Item label={t('field.handover')}>{d.handoverUserid}</Descriptions.Item>
            <Descriptions.Item label={t('field.takeover')}>{d.takeoverUserid}</Descriptions.Item>
            <Descriptions.Item label={t('field.message')} span={2}>
              {d.message ?? '—'}
            </Descriptions.Item>
          </Descriptions>
          <ItemsTable detail={d} />
        </Flex>
      ) : null}
    </Drawer>
  );
}

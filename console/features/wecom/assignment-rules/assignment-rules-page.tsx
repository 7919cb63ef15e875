import { DeleteOutlined, EditOutlined, PlusOutlined, SyncOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, DatePicker, Descriptions, Flex, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Tag, TimePicker, TreeSelect, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreateRuleBody, ResolutionView, Rule } from '../../../../server/modules/wecom/assignment-rules/assignment-rules.schema';
import { useProductAccount } from '../../../components/account-picker';
import { ErrorAlert, errorMessage } from '../../../components/error-display';
import { formatDateTime } from '../../../components/format';
import { PageHeader } from '../../../components/page-header';
import { toTreeNodes } from '../directory/department-tree-panel';
import { directoryApi } from '../directory/directory.api';
import { assignmentRulesApi, rulesKey } from './assignment-rules.api';

const weekdays = [1, 2, 3, 4, 5, 6, 7] as const;

interface RuleForm {
  name: string;
  priority: number;
  states: string[];
  regions: string[];
  userids: string[];
  departmentIds: number[];
  capacityPerDay: number | null;
  hoursOn: boolean;
  days: number[];
  hours: [Dayjs, Dayjs] | null;
  configId: string;
}

function useDirectoryOptions(accountId: string) {
  const members = useQuery({ queryKey: ['wecom-directory', accountId, 'members', 'rule-options'], queryFn: () => directoryApi.members(accountId, { limit: 500, filters: {} }), enabled: Boolean(accountId) });
  const departments = useQuery({ queryKey: ['wecom-directory', accountId, 'departments'], queryFn: () => directoryApi.departments(accountId), enabled: Boolean(accountId) });
  const memberOptions = useMemo(() => (members.data?.items ?? []).map((m) => ({ value: m.userid, label: `${m.name}（${m.userid}）` })), [members.data]);
  const treeData = useMemo(() => {
    type Option = { value: number; title: string; children: Option[] };
    const convert = (nodes: ReturnType<typeof toTreeNodes>): Option[] => nodes.map((n) => ({ value: n.key, title: n.department.name, children: convert(n.children) }));
    return convert(toTreeNodes(departments.data?.items ?? []));
  }, [departments.data]);
  const departmentName = useMemo(() => new Map((departments.data?.items ?? []).map((d) => [d.id, d.name])), [departments.data]);
  return { memberOptions, treeData, departmentName };
}

/** 客户分配规则: who new customers go to, a tester that explains the choice, and the contact ways kept in step. */
export function AssignmentRulesPage() {
  const { t } = useTranslation('wecomTransfers');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { account, picker, empty } = useProductAccount('wecom');
  const accountId = account?.id ?? '';
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const rules = useQuery({ queryKey: rulesKey(accountId), queryFn: () => assignmentRulesApi.list(accountId), enabled: Boolean(accountId) });
  const { departmentName } = useDirectoryOptions(accountId);
  const remove = useMutation({
    mutationFn: (id: string) => assignmentRulesApi.remove(accountId, id),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: rulesKey(accountId) }),
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });
  const apply = useMutation({
    mutationFn: () => assignmentRulesApi.apply(accountId),
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: rulesKey(accountId) });
      void message.success(t('rules.applied', { changed: result.items.filter((i) => i.changed).length, total: result.items.length }));
      const skipped = result.items.filter((i) => i.skipped);
      if (skipped.length) {
        const items = skipped.map((i) => `${i.configId}: ${t(`skip.${i.skipped}`)}${i.errcode !== null ? ` (${i.errcode})` : ''}`).join('; ');
        void message.warning(t('rules.appliedSkipped', { items }));
      }
    },
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });

  const columns: TableColumnsType<Rule> = [
    { title: t('rules.priority'), dataIndex: 'priority', width: 80 },
    { title: t('rules.name'), dataIndex: 'name' },
    {
      title: t('rules.conditions'),
      key: 'conditions',
      render: (_v, r) => (
        <Space size={4} wrap>
          {r.states.length === 0 && r.regions.length === 0 ? <Tag>{t('rules.anyCustomer')}</Tag> : null}
          {r.states.map((s) => (
            <Tag key={`s-${s}`} color="blue">
              {t('rules.channel')}: {s}
            </Tag>
          ))}
          {r.regions.map((s) => (
            <Tag key={`r-${s}`} color="green">
              {t('rules.region')}: {s}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('rules.pool'),
      key: 'pool',
      render: (_v, r) => (
        <Space size={4} wrap>
          {r.userids.map((u) => (
            <Tag key={u}>{u}</Tag>
          ))}
          {r.departmentIds.map((d) => (
            <Tag key={d} color="purple">
              {departmentName.get(d) ?? d}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('rules.limits'),
      key: 'limits',
      width: 220,
      render: (_v, r) => (
        <Flex vertical>
          <span>{r.capacityPerDay ? t('rules.capacityValue', { count: r.capacityPerDay }) : t('rules.noCapacity')}</span>
          <span>{r.workingHours ? `${r.workingHours.days.map((d) => t(`weekday.${d}`)).join(' ')} ${r.workingHours.start}–${r.workingHours.end}` : t('rules.anyTime')}</span>
        </Flex>
      ),
    },
    {
      title: t('rules.contactWay'),
      key: 'configId',
      width: 220,
      render: (_v, r) =>
        r.configId ? (
          <Flex vertical>
            <Typography.Text code ellipsis style={{ maxWidth: 200 }}>
              {r.configId}
            </Typography.Text>
            <Typography.Text type="secondary">{r.appliedUserids ? t('rules.appliedTo', { users: r.appliedUserids.join(', '), at: formatDateTime(r.appliedAt) }) : t('rules.notApplied')}</Typography.Text>
          </Flex>
        ) : (
          '—'
        ),
    },
    {
      key: 'actions',
      width: 100,
      render: (_v, r) => (
        <Space>
          <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(r)} aria-label={t('rules.edit')} />
          <Popconfirm title={t('rules.confirmDelete')} onConfirm={() => remove.mutate(r.id)}>
            <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('rules.delete')} />
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('rules.title')}
        description={t('rules.description')}
        extra={
          <>
            {picker}
            {account ? (
              <>
                <Button icon={<SyncOutlined />} loading={apply.isPending} onClick={() => apply.mutate()} data-testid="rules-apply">
                  {t('rules.apply')}
                </Button>
                <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="rules-new">
                  {t('rules.new')}
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
          <Card size="small" title={t('rules.listTitle')}>
            <ErrorAlert error={rules.error} />
            <Table<Rule> rowKey="id" size="middle" loading={rules.isFetching} columns={columns} dataSource={rules.data?.items ?? []} pagination={false} locale={{ emptyText: t('rules.empty') }} data-testid="rules-table" />
          </Card>
          <ResolveTester accountId={accountId} />
        </Flex>
      )}
      {editing ? <RuleEditor accountId={accountId} rule={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
    </>
  );
}

function RuleEditor({ accountId, rule, onClose }: { accountId: string; rule: Rule | null; onClose(): void }) {
  const { t } = useTranslation('wecomTransfers');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<RuleForm>();
  const hoursOn = Form.useWatch('hoursOn', form);
  const { memberOptions, treeData } = useDirectoryOptions(accountId);
  const save = useMutation({
    mutationFn: async () => {
      const v = await form.validateFields();
      const body: CreateRuleBody = {
        name: v.name,
        priority: v.priority,
        states: v.states,
        regions: v.regions,
        userids: v.userids,
        departmentIds: v.departmentIds,
        capacityPerDay: v.capacityPerDay ?? null,
        workingHours: v.hoursOn && v.hours ? { days: v.days, start: v.hours[0].format('HH:mm'), end: v.hours[1].format('HH:mm') } : null,
        configId: v.configId?.trim() ? v.configId.trim() : null,
      };
      return rule ? assignmentRulesApi.update(accountId, rule.id, body) : assignmentRulesApi.create(accountId, body);
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: rulesKey(accountId) });
      onClose();
    },
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });
  const initial: RuleForm = {
    name: rule?.name ?? '',
    priority: rule?.priority ?? 100,
    states: rule?.states ?? [],
    regions: rule?.regions ?? [],
    userids: rule?.userids ?? [],
    departmentIds: rule?.departmentIds ?? [],
    capacityPerDay: rule?.capacityPerDay ?? null,
    hoursOn: Boolean(rule?.workingHours),
    days: rule?.workingHours?.days ?? [1, 2, 3, 4, 5],
    hours: rule?.workingHours ? [dayjs(rule.workingHours.start, 'HH:mm'), dayjs(rule.workingHours.end, 'HH:mm')] : [dayjs('09:00', 'HH:mm'), dayjs('18:00', 'HH:mm')],
    configId: rule?.configId ?? '',
  };
  return (
    <Modal open title={rule ? t('rules.edit') : t('rules.new')} onCancel={onClose} onOk={() => save.mutate()} confirmLoading={save.isPending} width={720} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={initial}>
        <Space size={16} style={{ width: '100%' }} wrap>
          <Form.Item name="name" label={t('rules.name')} rules={[{ required: true, message: t('required') }]} style={{ width: 420 }}>
            <Input maxLength={60} />
          </Form.Item>
          <Form.Item name="priority" label={t('rules.priority')} extra={t('rules.priorityHint')}>
            <InputNumber min={0} max={10000} />
          </Form.Item>
        </Space>
        <Form.Item name="states" label={t('rules.channel')} extra={t('rules.channelHint')}>
          <Select mode="tags" tokenSeparators={[',', '，']} />
        </Form.Item>
        <Form.Item name="regions" label={t('rules.region')} extra={t('rules.regionHint')}>
          <Select mode="tags" tokenSeparators={[',', '，']} />
        </Form.Item>
        <Form.Item name="userids" label={t('rules.poolMembers')}>
          <Select mode="multiple" showSearch optionFilterProp="label" options={memberOptions} />
        </Form.Item>
        <Form.Item name="departmentIds" label={t('rules.poolDepartments')} extra={t('rules.poolHint')}>
          <TreeSelect multiple treeDefaultExpandAll treeData={treeData} />
        </Form.Item>
        <Form.Item name="capacityPerDay" label={t('rules.capacity')} extra={t('rules.capacityHint')}>
          <InputNumber min={1} max={10000} placeholder={t('rules.noCapacity')} />
        </Form.Item>
        <Form.Item name="hoursOn" valuePropName="checked">
          <Checkbox>{t('rules.hoursOn')}</Checkbox>
        </Form.Item>
        {hoursOn ? (
          <Space size={16} wrap>
            <Form.Item name="days" label={t('rules.days')}>
              <Checkbox.Group options={weekdays.map((d) => ({ value: d, label: t(`weekday.${d}`) }))} />
            </Form.Item>
            <Form.Item name="hours" label={t('rules.hours')}>
              <TimePicker.RangePicker format="HH:mm" minuteStep={15} />
            </Form.Item>
          </Space>
        ) : null}
        <Form.Item name="configId" label={t('rules.contactWay')} extra={t('rules.contactWayHint')}>
          <Input placeholder="config_id" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ResolveTester({ accountId }: { accountId: string }) {
  const { t } = useTranslation('wecomTransfers');
  const [form] = Form.useForm<{ state?: string; region?: string; phone?: string; tags?: string[]; at?: Dayjs }>();
  const [result, setResult] = useState<ResolutionView | null>(null);
  const resolve = useMutation({
    mutationFn: async () => {
      const v = await form.validateFields();
      return assignmentRulesApi.resolve(accountId, {
        ...(v.state ? { state: v.state } : {}),
        ...(v.region ? { region: v.region } : {}),
        ...(v.phone ? { phone: v.phone } : {}),
        ...(v.tags?.length ? { tags: v.tags } : {}),
        ...(v.at ? { at: v.at.toISOString() } : {}),
      });
    },
    onSuccess: setResult,
  });
  return (
    <Card size="small" title={t('tester.title')} data-testid="rules-tester">
      <Form form={form} layout="inline" style={{ rowGap: 8 }}>
        <Form.Item name="state" label={t('rules.channel')}>
          <Input style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="region" label={t('rules.region')}>
          <Input style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name="phone" label={t('tester.phone')} tooltip={t('tester.phoneHint')}>
          <Input style={{ width: 160 }} placeholder="021-61234567" />
        </Form.Item>
        <Form.Item name="tags" label={t('tester.tags')}>
          <Select mode="tags" style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="at" label={t('tester.at')}>
          <DatePicker showTime format="YYYY-MM-DD HH:mm" />
        </Form.Item>
        <Button type="primary" onClick={() => resolve.mutate()} loading={resolve.isPending} data-testid="rules-resolve">
          {t('tester.resolve')}
        </Button>
      </Form>
      <ErrorAlert error={resolve.error} />
      {result ? (
        <Flex vertical gap={12} style={{ marginTop: 16 }}>
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('tester.rule')}>{result.ruleName ?? t('tester.noRule')}</Descriptions.Item>
            <Descriptions.Item label={t('tester.next')}>{result.next ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('tester.members')}>{result.userids.join(', ') || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('rules.region')}>{result.region ?? t('tester.unknownRegion')}</Descriptions.Item>
          </Descriptions>
          <Table
            rowKey="ruleId"
            size="small"
            pagination={false}
            dataSource={result.verdicts}
            columns={[
              { title: t('rules.name'), dataIndex: 'name', width: 180 },
              { title: t('tester.verdict'), key: 'verdict', width: 220, render: (_v, v) => (v.skipped ? <Tag color="default">{t(`skip.${v.skipped}`)}</Tag> : <Tag color="success">{t('tester.chosen')}</Tag>) },
              {
                title: t('tester.memberReasons'),
                key: 'members',
                render: (_v, v) => (
                  <Space size={4} wrap>
                    {v.members.map((m) => (
                      <Tag key={m.userid} color={m.reason === 'eligible' ? 'green' : 'orange'}>
                        {m.name ?? m.userid} · {t(`memberReason.${m.reason}`)} · {t('tester.adds', { count: m.addsToday })}
                      </Tag>
                    ))}
                  </Space>
                ),
              },
            ]}
          />
        </Flex>
      ) : null}
    </Card>
  );
}

import { SwapOutlined, TagsOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Form, Modal, Progress, Radio, Select, Space, Table, Typography } from 'antd';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../components/error-display';
import { customerTagsApi } from '../customer-tags/customer-tags.api';
import type { Customer } from './customers.api';
import { TagChooser } from './tag-chooser';

type Mode = 'add' | 'remove';

interface Pair {
  customer: Customer;
  userid: string;
  memberName: string | null;
  add: string[];
  remove: string[];
}

interface Failure {
  key: string;
  customer: string;
  member: string;
  reason: string;
}

interface Outcome {
  succeeded: number;
  unchanged: number;
  notFollowed: number;
  failures: Failure[];
  stopped: boolean;
}

/**
 * WeCom keeps tags per member and customer, and mark_tag takes one such pair per call:
 * each selected customer is tagged through every member who follows them (or through one member).
 */
export function plannedPairs(customers: Customer[], mode: Mode, tagIds: string[], userid: string | undefined): { pairs: Pair[]; unchanged: number; notFollowed: number } {
  const pairs: Pair[] = [];
  let unchanged = 0;
  let notFollowed = 0;
  for (const customer of customers) {
    const follows = customer.followers.filter((f) => f.status === 'active' && (!userid || f.userid.toLowerCase() === userid.toLowerCase()));
    if (follows.length === 0) notFollowed += 1;
    for (const follow of follows) {
      const has = new Set(follow.tagIds);
      const add = mode === 'add' ? tagIds.filter((id) => !has.has(id)) : [];
      const remove = mode === 'remove' ? tagIds.filter((id) => has.has(id)) : [];
      if (add.length === 0 && remove.length === 0) unchanged += 1;
      else pairs.push({ customer, userid: follow.userid, memberName: follow.memberName, add, remove });
    }
  }
  return { pairs, unchanged, notFollowed };
}

/** Adds or removes tags on the customers selected in the list, one WeCom call per member and customer, with progress and a summary. */
export function BulkTagsModal(props: { accountId: string; customers: Customer[]; open: boolean; onClose(): void; onDone(): void }) {
  const { t } = useTranslation('wecomCustomers');
  const [mode, setMode] = useState<Mode>('add');
  const [tagIds, setTagIds] = useState<string[]>([]);
  const [userid, setUserid] = useState<string | undefined>();
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const stop = useRef(false);
  const running = progress !== null && outcome === null;

  const members = useMemo(() => {
    const seen = new Map<string, string>();
    for (const c of props.customers) for (const f of c.followers) if (f.status === 'active' && !seen.has(f.userid)) seen.set(f.userid, f.memberName ? `${f.memberName} (${f.userid})` : f.userid);
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [props.customers]);

  const close = () => {
    stop.current = true;
    if (outcome) props.onDone();
    setProgress(null);
    setOutcome(null);
    setTagIds([]);
    props.onClose();
  };

  const run = async () => {
    const plan = plannedPairs(props.customers, mode, tagIds, userid);
    stop.current = false;
    setProgress({ done: 0, total: plan.pairs.length });
    const failures: Failure[] = [];
    let succeeded = 0;
    let done = 0;
    for (const pair of plan.pairs) {
      if (stop.current) break;
      try {
        await customerTagsApi.mark(props.accountId, { userid: pair.userid, externalUserId: pair.customer.externalUserId, add: pair.add, remove: pair.remove });
        succeeded += 1;
      } catch (error) {
        failures.push({
          key: `${pair.customer.externalUserId}|${pair.userid}`,
          customer: pair.customer.name || pair.customer.externalUserId,
          member: pair.memberName ? `${pair.memberName} (${pair.userid})` : pair.userid,
          reason: errorMessage(error, t('common:error.unknown')),
        });
      }
      done += 1;
      setProgress({ done, total: plan.pairs.length });
    }
    setOutcome({ succeeded, unchanged: plan.unchanged, notFollowed: plan.notFollowed, failures, stopped: done < plan.pairs.length });
  };

  const footer = outcome ? (
    <Button type="primary" onClick={close} data-testid="bulk-tags-close">
      {t('common:action.close')}
    </Button>
  ) : running ? (
    <Button danger onClick={() => (stop.current = true)}>
      {t('bulk.stop')}
    </Button>
  ) : (
    <Space>
      <Button onClick={close}>{t('common:action.cancel')}</Button>
      <Button type="primary" disabled={tagIds.length === 0} onClick={() => void run()} data-testid="bulk-tags-run">
        {t(mode === 'add' ? 'bulk.runAdd' : 'bulk.runRemove', { count: props.customers.length })}
      </Button>
    </Space>
  );

  return (
    <Modal open={props.open} title={t('bulk.title', { count: props.customers.length })} onCancel={running ? undefined : close} closable={!running} keyboard={!running} mask={{ closable: false }} footer={footer} width={680} destroyOnHidden>
      {progress === null ? (
        <Form layout="vertical">
          <Form.Item label={t('bulk.mode')}>
            <Radio.Group
              optionType="button"
              value={mode}
              onChange={(e) => setMode(e.target.value as Mode)}
              options={[
                { value: 'add', label: t('bulk.add') },
                { value: 'remove', label: t('bulk.remove') },
              ]}
            />
          </Form.Item>
          <Form.Item label={t('bulk.member')} extra={t('bulk.memberHint')}>
            <Select allowClear showSearch optionFilterProp="label" placeholder={t('bulk.everyMember')} value={userid} onChange={setUserid} options={members} style={{ width: 320 }} />
          </Form.Item>
          <Form.Item label={t('field.tags')} required>
            <TagChooser accountId={props.accountId} value={tagIds} onChange={setTagIds} />
          </Form.Item>
        </Form>
      ) : (
        <Flex vertical gap={12} data-testid="bulk-tags-progress">
          <Progress percent={progress.total ? Math.round((progress.done / progress.total) * 100) : 100} status={running ? 'active' : outcome?.failures.length ? 'exception' : 'success'} />
          {progress.total > 0 ? <Typography.Text type="secondary">{t('bulk.progress', { done: progress.done, total: progress.total })}</Typography.Text> : null}
          {outcome ? <OutcomeSummary outcome={outcome} /> : null}
        </Flex>
      )}
    </Modal>
  );
}

function OutcomeSummary({ outcome }: { outcome: Outcome }) {
  const { t } = useTranslation('wecomCustomers');
  const parts = [t('bulk.succeeded', { count: outcome.succeeded }), t('bulk.unchanged', { count: outcome.unchanged })];
  if (outcome.notFollowed) parts.push(t('bulk.notFollowed', { count: outcome.notFollowed }));
  if (outcome.failures.length) parts.push(t('bulk.failed', { count: outcome.failures.length }));
  return (
    <Flex vertical gap={12} data-testid="bulk-tags-summary">
      <Alert type={outcome.failures.length ? 'warning' : 'success'} showIcon title={parts.join(t('bulk.separator'))} description={outcome.stopped ? t('bulk.stopped') : undefined} />
      {outcome.failures.length ? (
        <Table<Failure>
          size="small"
          rowKey="key"
          dataSource={outcome.failures}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          columns={[
            { title: t('field.customer'), dataIndex: 'customer', width: 160 },
            { title: t('field.member'), dataIndex: 'member', width: 160 },
            { title: t('bulk.reason'), dataIndex: 'reason' },
          ]}
        />
      ) : null}
    </Flex>
  );
}

/** The member handing the customers over: the one the list is filtered by, else the only member who follows them all. */
export function transferMember(rows: Customer[], filteredUserid: string | undefined): { handoverUserid?: string } {
  if (filteredUserid) return { handoverUserid: filteredUserid };
  const common = rows
    .map((c) => new Set(c.followers.filter((f) => f.status === 'active').map((f) => f.userid)))
    .reduce<Set<string> | null>((acc, s) => (acc === null ? s : new Set([...acc].filter((u) => s.has(u)))), null);
  return common?.size === 1 ? { handoverUserid: [...common][0]! } : {};
}

/** Shown above the list while customers are selected: what can be done to all of them at once. */
export function SelectionBar(props: { count: number; canTag: boolean; canTransfer: boolean; onTag(): void; onTransfer(): void; onClear(): void }) {
  const { t } = useTranslation('wecomCustomers');
  return (
    <Alert
      type="info"
      style={{ marginBottom: 12 }}
      data-testid="customers-selection"
      title={
        <Flex justify="space-between" align="center" wrap gap={8}>
          <Typography.Text>{t('selection.count', { count: props.count })}</Typography.Text>
          <Space wrap>
            {props.canTag ? (
              <Button size="small" icon={<TagsOutlined />} onClick={props.onTag} data-testid="customers-bulk-tags">
                {t('selection.tags')}
              </Button>
            ) : null}
            {props.canTransfer ? (
              <Button size="small" icon={<SwapOutlined />} onClick={props.onTransfer} data-testid="customers-bulk-transfer">
                {t('selection.transfer')}
              </Button>
            ) : null}
            <Button size="small" type="link" onClick={props.onClear}>
              {t('selection.clear')}
            </Button>
          </Space>
        </Flex>
      }
    />
  );
}

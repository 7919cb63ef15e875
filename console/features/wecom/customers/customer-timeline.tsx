import { useQueries } from '@tanstack/react-query';
import { Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../../app/session';
import { formatDateTime } from '../../../components/format';
import { directoryApi, membersQueryKey } from '../directory/directory.api';
import { followUpAnchor } from '../follow-ups/customer-follow-ups';
import { followUpStages, stageColors, type FollowUpStage } from '../follow-ups/follow-ups.api';
import type { CustomerDetail, TimelineEntry } from './customers.api';

/** Where the customer page puts its follow-up panel. */
export const FOLLOW_UPS_SECTION_ID = 'customer-follow-ups';

const fixedColors: Record<string, string> = {
  added: 'green',
  deleted_by_member: 'red',
  deleted_by_customer: 'red',
  ended: 'gray',
  transfer_failed: 'orange',
  welcome_sent: 'green',
  welcome_failed: 'orange',
};

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const isStage = (value: unknown): value is FollowUpStage => followUpStages.includes(value as FollowUpStage);

/** Green for what went through, orange for what did not, red for a loss, gray while waiting; a follow-up takes its stage's outcome. */
export function timelineColor(entry: TimelineEntry): string {
  const d = entry.detail;
  if (entry.kind === 'transferred') return d.result === 'waiting' ? 'gray' : 'green';
  if (entry.kind === 'follow_up') return d.stage === 'won' ? 'green' : d.stage === 'lost' ? 'red' : 'blue';
  return fixedColors[entry.kind] ?? 'blue';
}

/** The headline: a transfer still waiting for its takeover is a request, not a transfer. */
function title(t: TFunction, entry: TimelineEntry): string {
  if (entry.kind === 'transferred' && entry.detail.result === 'waiting') return t('timeline.kind.transfer_requested');
  return t(`timeline.kind.${entry.kind}`, { defaultValue: entry.kind });
}

function welcomeDetails(t: TFunction, d: Record<string, unknown>): string[] {
  const out: string[] = [];
  const codeName = text(d.codeName);
  if (d.message === 'default') {
    out.push(t('timeline.welcome.default'));
    if (codeName) out.push(t('timeline.welcome.viaCode', { name: codeName }));
  } else if (codeName) {
    out.push(t(d.message === 'code' ? 'timeline.welcome.ofCode' : 'timeline.welcome.viaCode', { name: codeName }));
  } else if (text(d.state)) {
    out.push(t('timeline.state', { state: d.state }));
  }
  const result = text(d.result);
  if (result === 'sent_without_name' || result === 'media_expired') out.push(t(`timeline.welcome.result.${result}`));
  const failReason = text(d.failReason);
  if (failReason) out.push(t(`timeline.welcome.failReason.${failReason}`, { defaultValue: t('timeline.failReason', { reason: failReason }) }));
  if (typeof d.errcode === 'number' && d.errcode !== 0) out.push(t('timeline.errcode', { errcode: d.errcode }));
  return out;
}

function transferDetails(t: TFunction, d: Record<string, unknown>, memberName: (userid: string) => string): string[] {
  const out: string[] = [];
  const from = text(d.from);
  const to = text(d.to);
  if (from && to) out.push(t('timeline.transfer.fromTo', { from: memberName(from), to: memberName(to) }));
  else if (to) out.push(t('timeline.transfer.to', { to: memberName(to) }));
  if (d.transferKind === 'on_duty' || d.transferKind === 'resigned') out.push(t(`timeline.transfer.kind.${d.transferKind}`));
  const at = text(d.takeoverAt);
  // Only an on-duty transfer can be refused; a departed member's customer is taken over regardless.
  if (d.result === 'waiting' && at) out.push(t(d.transferKind === 'resigned' ? 'timeline.transfer.takesEffect' : 'timeline.transfer.takesEffectUnlessRefused', { at: formatDateTime(at) }));
  if (d.result === 'accepted' && at) out.push(t('timeline.transfer.tookEffect', { at: formatDateTime(at) }));
  const reason = text(d.failReason);
  const errcode = reason ? /^errcode_(\d+)$/.exec(reason)?.[1] : undefined;
  if (errcode) out.push(t(`wecomTransfers:errcode.${errcode}`, { defaultValue: t('timeline.transfer.wechatError', { errcode }) }));
  else if (reason) out.push(t(`timeline.transfer.failReason.${reason}`, { defaultValue: t('timeline.failReason', { reason }) }));
  else if (d.result === 'failed') out.push(t('timeline.transfer.failReason.unknown'));
  return out;
}

function otherDetails(t: TFunction, entry: TimelineEntry): string[] {
  const d = entry.detail;
  const out: string[] = [];
  if (text(d.state)) out.push(t('timeline.state', { state: d.state }));
  if (Array.isArray(d.fields) && d.fields.length) out.push(t('timeline.fields', { fields: (d.fields as string[]).map((f) => t(`editField.${f}`, { defaultValue: f })).join(t('timeline.listSeparator')) }));
  if (Array.isArray(d.added) && d.added.length) out.push(t('timeline.tagsAdded', { count: d.added.length }));
  if (Array.isArray(d.removed) && d.removed.length) out.push(t('timeline.tagsRemoved', { count: d.removed.length }));
  if (text(d.failReason)) out.push(t('timeline.failReason', { reason: d.failReason }));
  if (typeof d.source === 'string' && entry.kind === 'consent_updated') out.push(d.source);
  return out;
}

const label = (name: string | null | undefined, userid: string) => (name ? `${name} (${userid})` : userid);

/**
 * How the page names a member: the customer's followers know their members' names; a member a
 * transfer names who does not follow the customer (yet) is looked up in the directory. Without
 * directory access, or for a member who left it, the userid stands alone.
 */
export function useMemberNames(accountId: string, customer: CustomerDetail | undefined): (userid: string) => string {
  const can = useCan();
  const followers = new Map((customer?.followers ?? []).map((f) => [f.userid.toLowerCase(), f]));
  const others = new Set<string>();
  for (const entry of customer?.timeline ?? []) {
    if (entry.kind !== 'transferred' && entry.kind !== 'transfer_failed') continue;
    for (const userid of [entry.detail.from, entry.detail.to]) if (typeof userid === 'string' && userid && !followers.has(userid.toLowerCase())) others.add(userid);
  }
  const lookups = useQueries({
    queries: [...others].map((userid) => ({
      queryKey: [...membersQueryKey(accountId), 'one', userid.toLowerCase()],
      queryFn: () => directoryApi.member(accountId, userid),
      enabled: Boolean(accountId) && can('wecom.directory.read'),
      retry: false,
      staleTime: 300_000,
    })),
  });
  const found = new Map(lookups.flatMap((q) => (q.data ? [[q.data.userid.toLowerCase(), q.data.name] as const] : [])));
  return (userid: string) => {
    const key = userid.toLowerCase();
    const follower = followers.get(key);
    return label(follower ? follower.memberName : found.get(key), userid);
  };
}

/** Scrolls to the follow-up record in the page's panel, or to the panel when the record is not listed there. */
function showFollowUp(followUpId: string | null): void {
  const target = (followUpId ? document.getElementById(followUpAnchor(followUpId)) : null) ?? document.getElementById(FOLLOW_UPS_SECTION_ID);
  target?.scrollIntoView({ behavior: 'smooth', block: 'center' });
}

/** One timeline entry in words: what happened, who, and the details that matter. */
export function TimelineText({ entry, memberName }: { entry: TimelineEntry; memberName: (userid: string) => string }) {
  const { t } = useTranslation('wecomCustomers');
  const d = entry.detail;
  const isTransfer = entry.kind === 'transferred' || entry.kind === 'transfer_failed';
  // A transfer names both members in its details; its userid is only the takeover member.
  const who = entry.userid && !isTransfer ? memberName(entry.userid) : '';
  const extra =
    entry.kind === 'welcome_sent' || entry.kind === 'welcome_failed'
      ? welcomeDetails(t, d)
      : isTransfer
        ? transferDetails(t, d, memberName)
        : entry.kind === 'follow_up'
          ? []
          : otherDetails(t, entry);
  let body: ReactNode = null;
  if (entry.kind === 'follow_up') {
    const followUpId = text(d.followUpId);
    body = (
      <div>
        {isStage(d.stage) ? <Tag color={stageColors[d.stage]}>{t(`wecomFollowUps:stage.${d.stage}`)}</Tag> : null}
        {text(d.excerpt) ? <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{d.excerpt as string}</Typography.Text> : null}{' '}
        <Typography.Link onClick={() => showFollowUp(followUpId)} data-testid="timeline-follow-up-link">
          {t('timeline.followUp.open')}
        </Typography.Link>
      </div>
    );
  }
  return (
    <>
      <Typography.Text strong>{title(t, entry)}</Typography.Text>
      {who ? <Typography.Text> · {who}</Typography.Text> : null}
      {extra.length ? <Typography.Text type="secondary"> · {extra.join(t('timeline.separator'))}</Typography.Text> : null}
      {body ?? <br />}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {formatDateTime(entry.occurredAt)}
      </Typography.Text>
    </>
  );
}

import type { Logger } from 'pino';
import { AppError, isAppError } from '../../../../common/errors';
import { decodeCursor, encodeCursor, type Page } from '../../../../common/paging';
import type { AuditRecorder } from '../../../platform/audit';
import type { Clock } from '../../../platform/clock';
import type { RequestContext } from '../../../platform/http/principal';
import type { JobContext, JobQueue } from '../../../platform/queue/job-queue';
import { isWeChatApiError, type WeChatAccount, type WeChatClient } from '../../../wechat/client';
import {
  wecomResignedTransferCustomer,
  wecomResignedTransferResult,
  wecomTransferCustomer,
  wecomTransferResult,
  wecomUnassignedList,
} from '../../../wechat/wecom';
import type { CustomerTransfersRepository, TransferItemRow, TransferRow } from './customer-transfers.repository';
import type { CreateTransferBody, ListTransfersQuery, Transfer, TransferDetail, TransferItem, TransferPreview } from './customer-transfers.schema';
import type { TransferItemStatus } from './customer-transfers.tables';
import { batchesOf, MAX_TRANSFER_MESSAGE, statusOfResult, TAKEOVER_DELAY_MS, transferVerdicts, type TransferKind, type TransferVerdict } from './transfer-rules';
import { wecomReceiverFor } from '../../system/accounts';
import type { CustomersService } from '../customers';

export type Actor = RequestContext | null;

export const resignedHandoverJob = 'wecom.customer-transfers.resigned-handover';

/** What transfers need of the directory (the members module, the caller's reach). */
export interface TransferDirectory {
  requireCorp(accountId: string): Promise<unknown>;
  getMember(actor: Actor, accountId: string, userid: string): Promise<{ userid: string; status: string }>;
  listMembers(actor: Actor, accountId: string, query: { limit: number; cursor?: string }): Promise<Page<{ userid: string }>>;
}

export interface CustomerTransfersDeps {
  repository: CustomerTransfersRepository;
  directory: TransferDirectory;
  wechat: WeChatClient;
  accounts: {
    getAccount(id: string): Promise<{ callbacks: { receiver: string }[] }>;
    wechatAccountFor(id: string, receiver: string): Promise<WeChatAccount>;
  };
  queue: JobQueue;
  audit: AuditRecorder;
  clock: Clock;
  logger: Logger;
  /** The customers module: each customer's part in a transfer goes on its timeline. */
  timeline: Pick<CustomersService, 'recordTimelineEvent'>;
}

/** A customer's result in a transfer as its timeline tells it: `waiting` while WeCom's 24 hours run. */
type TimelineResult = 'waiting' | 'accepted' | 'refused' | 'limit' | 'failed';
/** The customer's item, or what a transfer_fail event tells of a transfer Qiao did not make. */
type TimelineItem = { accountId: string; externalUserid: string; takeoverUserid: string; transferId: string | null; kind: TransferKind | null; handoverUserid: string | null };
/** transfer_result's refusals in transfer_fail's words, so both read alike on the timeline. */
const failReasons: Record<'refused' | 'limit' | 'failed', string | null> = { refused: 'customer_refused', limit: 'customer_limit_exceed', failed: null };

const emptyCounts = (): Record<TransferItemStatus, number> => ({ skipped: 0, pending: 0, accepted: 0, refused: 0, limit: 0, failed: 0 });
const iso = (at: Date | null) => (at ? at.toISOString() : null);

function toItem(row: TransferItemRow): TransferItem {
  return {
    externalUserId: row.externalUserid,
    status: row.status,
    reason: row.reason,
    errcode: row.errcode,
    startedAt: iso(row.startedAt),
    takeoverAt: iso(row.takeoverAt),
    finishedAt: iso(row.finishedAt),
  };
}

function toTransfer(row: TransferRow, counts: Partial<Record<TransferItemStatus, number>> | undefined): Transfer {
  return {
    id: row.id,
    accountId: row.accountId,
    kind: row.kind,
    handoverUserid: row.handoverUserid,
    takeoverUserid: row.takeoverUserid,
    message: row.message,
    jobId: row.jobId,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    counts: { ...emptyCounts(), ...counts },
  };
}

/**
 * 在职继承 and 离职继承: WeCom's limits checked and explained before calling,
 * calls in batches of 100, each customer's result tracked (polled from
 * transfer_result, updated by transfer_fail events).
 */
export function createCustomerTransfersService(deps: CustomerTransfersDeps) {
  const { repository, directory } = deps;

  /** Customer contact runs on the 客户联系 secret, or on an app listed under 可调用应用. */
  async function wecomAccount(accountId: string): Promise<WeChatAccount> {
    const account = await deps.accounts.getAccount(accountId);
    const receivers = account.callbacks.map((c) => c.receiver);
    const receiver = wecomReceiverFor(receivers, 'customer-contact') ?? receivers[0] ?? 'customer-contact';
    return deps.accounts.wechatAccountFor(accountId, receiver);
  }

  /**
   * Writes `transferred` (waiting or accepted) or `transfer_failed` on the
   * customer's timeline, from and to whom. Keyed by transfer and result, so
   * a second poll or a replayed event writes nothing more. A failed write
   * costs the entry, never the transfer.
   */
  async function noteOnTimeline(
    item: TimelineItem,
    result: TimelineResult,
    extra: Record<string, unknown> = {},
    dedupeKey = `transfer:${item.transferId}:${result}`,
    occurredAt = deps.clock.now(),
  ): Promise<void> {
    try {
      await deps.timeline.recordTimelineEvent(item.accountId, item.externalUserid, {
        kind: result === 'waiting' || result === 'accepted' ? 'transferred' : 'transfer_failed',
        userid: item.takeoverUserid,
        detail: { transferId: item.transferId, transferKind: item.kind, from: item.handoverUserid, to: item.takeoverUserid, result, ...extra },
        dedupeKey,
        occurredAt,
      });
    } catch (error) {
      deps.logger.warn({ err: error, accountId: item.accountId, transferId: item.transferId }, 'could not put a transfer on the customer timeline');
    }
  }

  function refuseMembers(actor: Actor): void {
    if (actor?.principal?.role === 'member') throw new AppError('WECOM_TRANSFER_ROLE_FORBIDDEN');
  }

  /** The member, within the caller's reach; a departed member Qiao no longer knows is for super admins only. */
  async function memberInReach(actor: Actor, accountId: string, userid: string, departed: boolean): Promise<{ userid: string; status: string } | null> {
    try {
      return await directory.getMember(actor, accountId, userid);
    } catch (error) {
      if (!isAppError(error)) throw error;
      if (error.code === 'WECOM_MEMBER_OUT_OF_SCOPE') throw new AppError('WECOM_TRANSFER_MEMBER_OUT_OF_SCOPE', { userid });
      if (error.code === 'WECOM_MEMBER_NOT_FOUND' && departed) {
        if (actor?.principal?.role === 'super_admin') return null;
        throw new AppError('WECOM_TRANSFER_HANDOVER_UNKNOWN', { userid });
      }
      throw error;
    }
  }

  async function checkMembers(actor: Actor, accountId: string, kind: TransferKind, handoverUserid: string, takeoverUserid: string) {
    refuseMembers(actor);
    await directory.requireCorp(accountId);
    if (handoverUserid.toLowerCase() === takeoverUserid.toLowerCase()) throw new AppError('WECOM_TRANSFER_SAME_MEMBER', { userid: handoverUserid });
    const handover = await memberInReach(actor, accountId, handoverUserid, kind === 'resigned');
    const takeover = (await memberInReach(actor, accountId, takeoverUserid, false)) as { userid: string; status: string };
    if (takeover.status !== 'active') throw new AppError('WECOM_TRANSFER_TAKEOVER_INACTIVE', { userid: takeover.userid, status: takeover.status });
    return { handoverUserid: handover?.userid ?? handoverUserid, takeoverUserid: takeover.userid };
  }

  async function verdicts(accountId: string, kind: TransferKind, handoverUserid: string, ids: readonly string[]): Promise<TransferVerdict[]> {
    const history = await repository.historyOf(accountId, [...new Set(ids)]);
    const list = transferVerdicts(kind, ids, history, deps.clock.now());
    if (kind === 'on_duty') return list;
    // 离职继承 takes only customers WeCom lists as the departed member's unassigned ones (40097 / 40131 otherwise).
    const waiting = new Set((await unassigned(accountId)).filter((u) => u.handoverUserid.toLowerCase() === handoverUserid.toLowerCase()).map((u) => u.externalUserid));
    return list.map((v) => (v.allowed && !waiting.has(v.externalUserId) ? { ...v, allowed: false, reason: 'not_unassigned' as const } : v));
  }

  function previewOf(kind: TransferKind, list: TransferVerdict[]): TransferPreview {
    const allowed = list.filter((v) => v.allowed).length;
    return {
      kind,
      allowed,
      blocked: list.length - allowed,
      calls: Math.ceil(allowed / 100),
      takeoverAt: new Date(deps.clock.now().getTime() + TAKEOVER_DELAY_MS).toISOString(),
      customerMayRefuse: kind === 'on_duty',
      items: list.map((v) => ({ ...v, nextAllowedAt: iso(v.nextAllowedAt) })),
    };
  }

  /** Calls WeCom for the allowed customers, 100 at a time; every customer gets an item. */
  async function run(transfer: TransferRow, list: TransferVerdict[]): Promise<void> {
    const account = await wecomAccount(transfer.accountId);
    const base = { transferId: transfer.id, accountId: transfer.accountId, kind: transfer.kind, handoverUserid: transfer.handoverUserid, takeoverUserid: transfer.takeoverUserid };
    const skipped: TransferItemRow[] = list
      .filter((v) => !v.allowed)
      .map((v) => ({ ...base, externalUserid: v.externalUserId, status: 'skipped', reason: v.reason, errcode: null, startedAt: null, takeoverAt: null, finishedAt: null }));
    await repository.insertItems(skipped.filter((s, i) => skipped.findIndex((o) => o.externalUserid === s.externalUserid) === i));
    for (const batch of batchesOf(list.filter((v) => v.allowed).map((v) => v.externalUserId))) {
      await callBatch(account, transfer, batch);
    }
  }

  async function callBatch(account: WeChatAccount, transfer: TransferRow, batch: string[]): Promise<number> {
    const base = { transferId: transfer.id, accountId: transfer.accountId, kind: transfer.kind, handoverUserid: transfer.handoverUserid, takeoverUserid: transfer.takeoverUserid };
    const startedAt = deps.clock.now();
    let answers: { external_userid: string; errcode: number }[];
    try {
      const answer =
        transfer.kind === 'on_duty'
          ? await deps.wechat.call(account, wecomTransferCustomer, {
              handover_userid: transfer.handoverUserid,
              takeover_userid: transfer.takeoverUserid,
              external_userid: batch,
              ...(transfer.message ? { transfer_success_msg: transfer.message } : {}),
            })
          : await deps.wechat.call(account, wecomResignedTransferCustomer, { handover_userid: transfer.handoverUserid, takeover_userid: transfer.takeoverUserid, external_userid: batch });
      answers = answer.customer;
    } catch (error) {
      // The whole call was refused: each customer of the batch records WeCom's errcode.
      if (!isWeChatApiError(error)) throw error;
      answers = batch.map((id) => ({ external_userid: id, errcode: error.errcode }));
    }
    const byId = new Map(answers.map((a) => [a.external_userid, a.errcode]));
    const items: TransferItemRow[] = batch.map((externalUserid) => {
      const errcode = byId.get(externalUserid) ?? -1;
      return errcode === 0
        ? { ...base, externalUserid, status: 'pending', reason: null, errcode: null, startedAt, takeoverAt: new Date(startedAt.getTime() + TAKEOVER_DELAY_MS), finishedAt: null }
        : { ...base, externalUserid, status: 'failed', reason: `errcode_${errcode}`, errcode, startedAt: null, takeoverAt: null, finishedAt: startedAt };
    });
    await repository.insertItems(items);
    for (const item of items) {
      if (item.status === 'pending') await noteOnTimeline(item, 'waiting', { takeoverAt: iso(item.takeoverAt) });
      else await noteOnTimeline(item, 'failed', { failReason: item.reason, errcode: item.errcode });
    }
    return batch.length;
  }

  async function detail(accountId: string, row: TransferRow): Promise<TransferDetail> {
    const [counts, items] = await Promise.all([repository.countsOf([row.id]), repository.itemsOf(row.id)]);
    return { ...toTransfer(row, counts.get(row.id)), items: items.map(toItem) };
  }

  /** Every customer of departed members not yet given to anyone, from WeCom (all pages). */
  async function unassigned(accountId: string): Promise<{ handoverUserid: string; externalUserid: string; dimissionTime: number }[]> {
    const account = await wecomAccount(accountId);
    const out: { handoverUserid: string; externalUserid: string; dimissionTime: number }[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await deps.wechat.call(account, wecomUnassignedList, { page_size: 1000, ...(cursor ? { cursor } : {}) });
      out.push(...page.info.map((i) => ({ handoverUserid: i.handover_userid, externalUserid: i.external_userid, dimissionTime: i.dimission_time })));
      if (page.is_last || !page.next_cursor) return out;
      cursor = page.next_cursor;
    }
  }

  const service = {
    async preview(actor: Actor, accountId: string, body: Omit<CreateTransferBody, 'message'>): Promise<TransferPreview> {
      const members = await checkMembers(actor, accountId, body.kind, body.handoverUserid, body.takeoverUserid);
      return previewOf(body.kind, await verdicts(accountId, body.kind, members.handoverUserid, body.externalUserIds));
    },

    async create(actor: Actor, accountId: string, body: CreateTransferBody): Promise<TransferDetail> {
      const members = await checkMembers(actor, accountId, body.kind, body.handoverUserid, body.takeoverUserid);
      if (body.message !== undefined && [...body.message].length > MAX_TRANSFER_MESSAGE) {
        throw new AppError('WECOM_TRANSFER_MESSAGE_TOO_LONG', { limit: MAX_TRANSFER_MESSAGE, length: [...body.message].length });
      }
      const list = await verdicts(accountId, body.kind, members.handoverUserid, body.externalUserIds);
      if (!list.some((v) => v.allowed)) {
        const reasons = list
          .slice(0, 5)
          .map((v) => `${v.externalUserId}: ${v.reason}${v.nextAllowedAt ? ` (${v.nextAllowedAt.toISOString()})` : ''}`)
          .join('; ');
        throw new AppError('WECOM_TRANSFER_NOTHING_ALLOWED', { reasons, items: list.map((v) => ({ ...v, nextAllowedAt: iso(v.nextAllowedAt) })) });
      }
      const transfer = await repository.insertTransfer({
        accountId,
        kind: body.kind,
        ...members,
        message: body.kind === 'on_duty' ? (body.message ?? null) : null,
        createdBy: actor?.principal?.userId ?? null,
        createdAt: deps.clock.now(),
      });
      await run(transfer, list);
      await deps.audit.record(actor, {
        action: 'wecom.customers.transfer',
        targetType: 'wecom_customer_transfer',
        targetId: transfer.id,
        summary: { kind: body.kind, ...members, customers: body.externalUserIds.length },
      });
      return detail(accountId, transfer);
    },

    /**
     * An on-duty transfer of one customer that Qiao starts by itself (an
     * assignment rule moving a new customer): the same limits as one asked
     * for in the console, but a blocked customer is recorded as a skipped
     * item with its reason instead of refused, so the outcome stays visible.
     */
    async handOver(accountId: string, body: { handoverUserid: string; takeoverUserid: string; externalUserId: string; cause: Record<string, unknown> }): Promise<TransferDetail> {
      const members = await checkMembers(null, accountId, 'on_duty', body.handoverUserid, body.takeoverUserid);
      const list = await verdicts(accountId, 'on_duty', members.handoverUserid, [body.externalUserId]);
      const transfer = await repository.insertTransfer({ accountId, kind: 'on_duty', ...members, message: null, createdBy: null, createdAt: deps.clock.now() });
      await run(transfer, list);
      await deps.audit.record(null, {
        action: 'wecom.customers.transfer',
        targetType: 'wecom_customer_transfer',
        targetId: transfer.id,
        summary: { kind: 'on_duty', ...members, customers: 1, ...body.cause },
      });
      return detail(accountId, transfer);
    },

    /** 离职继承 in bulk: every unassigned customer of a departed member, as a job with progress. */
    async startResignedHandover(actor: Actor, accountId: string, body: { handoverUserid: string; takeoverUserid: string }): Promise<{ transfer: Transfer; jobId: string }> {
      const members = await checkMembers(actor, accountId, 'resigned', body.handoverUserid, body.takeoverUserid);
      const customers = (await unassigned(accountId)).filter((u) => u.handoverUserid.toLowerCase() === members.handoverUserid.toLowerCase());
      if (customers.length === 0) throw new AppError('WECOM_TRANSFER_NO_UNASSIGNED', { userid: members.handoverUserid });
      const transfer = await repository.insertTransfer({ accountId, kind: 'resigned', ...members, message: null, createdBy: actor?.principal?.userId ?? null, createdAt: deps.clock.now() });
      const job = await deps.queue.enqueue(
        resignedHandoverJob,
        { accountId, transferId: transfer.id },
        { accountId, total: customers.length, ...(actor?.principal ? { createdBy: actor.principal.userId } : {}) },
      );
      await repository.setJob(transfer.id, job.id);
      await deps.audit.record(actor, {
        action: 'wecom.customers.resigned_handover',
        targetType: 'wecom_customer_transfer',
        targetId: transfer.id,
        summary: { ...members, customers: customers.length, jobId: job.id },
      });
      return { transfer: toTransfer({ ...transfer, jobId: job.id }, undefined), jobId: job.id };
    },

    /** The job: lists the member's unassigned customers again (idempotent after a crash) and transfers them 100 at a time. */
    async runResignedHandover(context: JobContext<{ accountId: string; transferId: string }, { done: number }>): Promise<Record<string, unknown>> {
      const { accountId, transferId } = context.input;
      const transfer = await repository.findTransfer(accountId, transferId);
      if (!transfer) throw new AppError('WECOM_TRANSFER_NOT_FOUND');
      const known = new Set((await repository.itemsOf(transferId)).map((i) => i.externalUserid));
      const ids = (await unassigned(accountId))
        .filter((u) => u.handoverUserid.toLowerCase() === transfer.handoverUserid.toLowerCase() && !known.has(u.externalUserid))
        .map((u) => u.externalUserid);
      let done = context.checkpoint?.done ?? known.size;
      await context.setTotal(done + ids.length);
      const account = await wecomAccount(accountId);
      for (const batch of batchesOf(ids)) {
        context.signal.throwIfAborted();
        done += await callBatch(account, transfer, batch);
        await context.progress({ done, checkpoint: { done } });
      }
      const counts = (await repository.countsOf([transferId])).get(transferId) ?? {};
      return { transferId, ...counts };
    },

    async list(actor: Actor, accountId: string, query: ListTransfersQuery): Promise<Page<Transfer>> {
      refuseMembers(actor);
      await directory.requireCorp(accountId);
      let userids: string[] | undefined;
      if (actor?.principal?.role === 'dept_admin') {
        userids = [];
        let cursor: string | undefined;
        do {
          const page = await directory.listMembers(actor, accountId, { limit: 500, ...(cursor ? { cursor } : {}) });
          userids.push(...page.items.map((m) => m.userid));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
      }
      const decoded = query.cursor ? decodeCursor(query.cursor) : null;
      const after = decoded && typeof decoded[0] === 'string' && typeof decoded[1] === 'string' ? { createdAt: new Date(decoded[0]), id: decoded[1] } : null;
      const rows = await repository.listTransfers(accountId, { kind: query.kind, status: query.status, handoverUserids: userids }, after, query.limit + 1);
      const page = rows.slice(0, query.limit);
      const counts = await repository.countsOf(page.map((r) => r.id));
      const last = page[page.length - 1];
      return { items: page.map((r) => toTransfer(r, counts.get(r.id))), nextCursor: rows.length > query.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null };
    },

    async get(actor: Actor, accountId: string, transferId: string): Promise<TransferDetail> {
      refuseMembers(actor);
      await directory.requireCorp(accountId);
      const row = await repository.findTransfer(accountId, transferId);
      if (!row) throw new AppError('WECOM_TRANSFER_NOT_FOUND');
      // A dept_admin sees a transfer when either member is theirs.
      if (actor?.principal?.role === 'dept_admin') {
        const reach = await Promise.all(
          [row.handoverUserid, row.takeoverUserid].map((userid) =>
            directory.getMember(actor, accountId, userid).then(
              () => true,
              () => false,
            ),
          ),
        );
        if (!reach.some(Boolean)) throw new AppError('WECOM_TRANSFER_MEMBER_OUT_OF_SCOPE', { userid: row.handoverUserid });
      }
      return detail(accountId, row);
    },

    /** Departed members with customers waiting for 离职继承 (what the wizard offers). */
    async listUnassigned(actor: Actor, accountId: string) {
      refuseMembers(actor);
      await directory.requireCorp(accountId);
      const byMember = new Map<string, { handoverUserid: string; customers: number; dimissionTime: string }>();
      for (const u of await unassigned(accountId)) {
        const key = u.handoverUserid.toLowerCase();
        const entry = byMember.get(key) ?? { handoverUserid: u.handoverUserid, customers: 0, dimissionTime: new Date(u.dimissionTime * 1000).toISOString() };
        entry.customers += 1;
        byMember.set(key, entry);
      }
      return { items: [...byMember.values()].sort((a, b) => a.handoverUserid.localeCompare(b.handoverUserid)) };
    },

    /** Who may use transfers on this account at all (not the member role). */
    async requireAccess(actor: Actor, accountId: string): Promise<void> {
      refuseMembers(actor);
      await directory.requireCorp(accountId);
    },

    /** Asks WeCom for the results of every waiting pair (one account, or all); answers how many customers changed. */
    async refresh(accountId: string | null): Promise<{ checked: number; changed: number }> {
      let checked = 0;
      let changed = 0;
      for (const pair of await repository.pendingPairs(accountId)) {
        try {
          const account = await wecomAccount(pair.accountId);
          let cursor: string | undefined;
          do {
            const body = { handover_userid: pair.handoverUserid, takeover_userid: pair.takeoverUserid, ...(cursor ? { cursor } : {}) };
            const page = pair.kind === 'on_duty' ? await deps.wechat.call(account, wecomTransferResult, body) : await deps.wechat.call(account, wecomResignedTransferResult, body);
            for (const customer of page.customer) {
              checked += 1;
              const status = statusOfResult(customer.status);
              if (status === 'pending') continue;
              const at = customer.takeover_time ? new Date(customer.takeover_time * 1000) : deps.clock.now();
              const settled = await repository.settle(pair.accountId, pair, customer.external_userid, { status, takeoverAt: status === 'accepted' ? at : null, finishedAt: status === 'accepted' ? at : deps.clock.now() });
              changed += settled.length;
              for (const transferId of settled) {
                const item = { ...pair, transferId, externalUserid: customer.external_userid };
                if (status === 'accepted') await noteOnTimeline(item, 'accepted', { takeoverAt: at.toISOString() });
                else await noteOnTimeline(item, status, { failReason: failReasons[status] });
              }
            }
            cursor = page.next_cursor || undefined;
          } while (cursor);
        } catch (error) {
          // One corp's failure (revoked secret, WeCom down) must not stop the others; the next round retries.
          if (accountId) throw error;
          deps.logger.warn({ err: error, accountId: pair.accountId }, 'could not read customer transfer results');
        }
      }
      return { checked, changed };
    },

    /**
     * change_external_contact / transfer_fail. Every such event goes on the
     * customer's timeline, also for a transfer made in WeCom's own console
     * (no item here: from whom is then unknown); the key is the member and
     * the event's time, so WeChat's re-deliveries write it once.
     */
    async transferFailed(accountId: string, externalUserid: string, takeoverUserid: string, failReason: string | undefined, createTimeS: number): Promise<void> {
      const status = failReason === 'customer_limit_exceed' ? 'limit' : 'refused';
      const [failed] = await repository.failPending(accountId, externalUserid, takeoverUserid, status, deps.clock.now());
      const item = failed
        ? { transferId: failed.transferId, kind: failed.kind, handoverUserid: failed.handoverUserid, takeoverUserid: failed.takeoverUserid, accountId, externalUserid }
        : { transferId: null, accountId, externalUserid, kind: null, handoverUserid: null, takeoverUserid };
      // WeCom's time has whole seconds: a refusal within the second of its request must still follow it on the timeline.
      const at = Math.max(createTimeS * 1000, failed?.startedAt?.getTime() ?? 0);
      await noteOnTimeline(item, status, { failReason: failReason ?? null }, `transfer_failed:${takeoverUserid.toLowerCase()}:${createTimeS}`, new Date(at));
    },
  };
  return service;
}

export type CustomerTransfersService = ReturnType<typeof createCustomerTransfersService>;

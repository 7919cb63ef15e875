import { randomUUID } from 'node:crypto';
import { AppError, isAppError } from '../../../../common/errors';
import { decodeCursor, encodeCursor, type Page } from '../../../../common/paging';
import type { AuditRecorder } from '../../../platform/audit';
import type { Clock } from '../../../platform/clock';
import type { RequestContext } from '../../../platform/http/principal';
import type { Logger } from '../../../platform/logger';
import type { JobQueue } from '../../../platform/queue/job-queue';
import { isWeChatApiError, type WeChatAccount, type WeChatClient } from '../../../wechat/client';
import { oaMassGet, oaMassPreview, oaMassSend, oaMassSendAll } from '../../../wechat/official-account';
import type { AudienceSource } from './audience';
import { createBroadcastsRepository, type BroadcastRow, type BroadcastsRepository } from './broadcasts.repository';
import {
  OPENID_LIST_MAX,
  OPENID_LIST_MIN,
  SERVICE_MONTHLY_PER_FOLLOWER,
  type Broadcast,
  type BroadcastAudienceInput,
  type BroadcastContentInput,
  type CreateBroadcastBody,
  type Estimate,
  type ListBroadcastsQuery,
  type Quota,
} from './broadcasts.schema';
import type { BroadcastAudience, BroadcastContent, BroadcastFailure } from './broadcasts.tables';

export type AccountType = 'service' | 'subscription';
export const broadcastSendJob = 'oa-broadcasts.send';

/** A push still `sending` after this long lost its answer: shown as unknown, to be checked on WeChat. */
const SENDING_STALE_MS = 2 * 60_000;
/** WeChat counts days and months in Beijing time. */
const BEIJING_OFFSET_MS = 8 * 3_600_000;
const TAG_NOT_FOUND_ERRCODE = 45159;
const DUPLICATE_CLIENT_MSG_ID_ERRCODE = 45065;

export function beijingMonth(at: Date): string {
  return new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 7);
}

export function beijingDayStart(at: Date): Date {
  const local = new Date(at.getTime() + BEIJING_OFFSET_MS);
  local.setUTCHours(0, 0, 0, 0);
  return new Date(local.getTime() - BEIJING_OFFSET_MS);
}

/** WeChat's mass-message body for the content (facts §4.5). */
export function massContent(content: BroadcastContent) {
  switch (content.type) {
    case 'text':
      return { msgtype: 'text' as const, text: { content: content.text } };
    case 'image':
      return { msgtype: 'image' as const, image: { media_id: content.mediaId } };
    case 'mpnews':
      return { msgtype: 'mpnews' as const, mpnews: { media_id: content.mediaId }, send_ignore_reprint: 0 };
  }
}

function audienceLabel(audience: BroadcastAudience): string {
  if (audience.kind === 'all') return 'all followers / 全部粉丝';
  if (audience.kind === 'tags') return `tags / 标签 ${audience.tagIds.join(', ')}`;
  return `OpenID list / OpenID 列表 (${audience.openIds.length})`;
}

/** A tag send (one tag or everyone) goes through sendall; several tags or a list through send by OpenIDs. */
function sendsByList(audience: BroadcastAudience): boolean {
  return audience.kind === 'openIds' || (audience.kind === 'tags' && audience.tagIds.length > 1);
}

function normaliseAudience(audience: BroadcastAudienceInput): BroadcastAudience {
  if (audience.kind === 'tags') return { kind: 'tags', tagIds: [...new Set(audience.tagIds)] };
  if (audience.kind === 'openIds') return { kind: 'openIds', openIds: [...new Set(audience.openIds)] };
  return audience;
}

export interface BroadcastsServiceDeps {
  repository: BroadcastsRepository;
  clock: Clock;
  audit: AuditRecorder;
  queue: Pick<JobQueue, 'enqueue' | 'cancel'>;
  logger: Logger;
  wechat: WeChatClient;
  audience: AudienceSource;
  /** Throws ACCOUNT_NOT_FOUND; answers the account's type. */
  getAccount(accountId: string): Promise<{ id: string; type: string }>;
  wechatAccountFor(accountId: string): Promise<WeChatAccount>;
  /** Service or subscription account (the profile module knows). */
  accountTypeOf(accountId: string): Promise<AccountType>;
}

interface Plan {
  accountType: AccountType;
  openIds: string[];
  overQuota: Set<string>;
  quota: Quota;
}

export type BroadcastsService = ReturnType<typeof createBroadcastsService>;

export function createBroadcastsService(deps: BroadcastsServiceDeps) {
  const { repository, clock } = deps;

  function toBroadcast(row: BroadcastRow): Broadcast {
    const stale = row.state === 'sending' && row.sentAt !== null && clock.now().getTime() - row.sentAt.getTime() > SENDING_STALE_MS;
    const hasCounts = row.totalCount !== null;
    return {
      id: row.id,
      accountId: row.accountId,
      state: stale ? 'unknown' : row.state,
      content: row.content,
      audience: row.audience,
      recipientCount: row.recipientCount,
      overQuotaCount: row.overQuotaCount,
      scheduledAt: row.scheduledAt?.toISOString() ?? null,
      jobId: row.jobId,
      msgId: row.msgId,
      wechatStatus: row.wechatStatus,
      counts: hasCounts ? { total: row.totalCount ?? 0, filter: row.filterCount ?? 0, sent: row.sentCount ?? 0, error: row.errorCount ?? 0 } : null,
      failure: row.failure ?? null,
      createdBy: row.createdBy,
      createdAt: row.createdAt.toISOString(),
      sentAt: row.sentAt?.toISOString() ?? null,
      finishedAt: row.finishedAt?.toISOString() ?? null,
    };
  }

  async function officialAccount(accountId: string): Promise<void> {
    const account = await deps.getAccount(accountId);
    if (account.type !== 'official_account') throw new AppError('OA_PUSH_NOT_OFFICIAL_ACCOUNT', { accountId });
  }

  async function quotaFor(accountId: string, accountType: AccountType, openIds: string[]): Promise<{ quota: Quota; overQuota: Set<string> }> {
    const now = clock.now();
    if (accountType === 'subscription') {
      const sends = await repository.sendsSince(accountId, beijingDayStart(now));
      const last = sends[0]?.sentAt ?? null;
      return { quota: { kind: 'daily', limit: 1, usedToday: sends.length, lastSentAt: last?.toISOString() ?? null, allowed: sends.length < 1 }, overQuota: new Set() };
    }
    const atLimit = await repository.followersAtMonthlyLimit(accountId, beijingMonth(now), SERVICE_MONTHLY_PER_FOLLOWER);
    const over = openIds.filter((id) => atLimit.has(id));
    return {
      quota: {
        kind: 'monthly',
        limit: SERVICE_MONTHLY_PER_FOLLOWER,
        overQuota: over.length,
        remaining: openIds.length - over.length,
        overQuotaSample: over.slice(0, 20),
        allowed: over.length === 0,
      },
      overQuota: new Set(over),
    };
  }

  /** Who the push reaches and whether WeChat's limits allow it; refuses a deleted tag or a list WeChat would refuse. */
  async function plan(accountId: string, audience: BroadcastAudience): Promise<Plan> {
    const accountType = await deps.accountTypeOf(accountId);
    if (sendsByList(audience) && accountType !== 'service') throw new AppError('OA_PUSH_OPENID_LIST_SERVICE_ONLY');
    if (audience.kind === 'tags') {
      const [missing] = await deps.audience.missingTags(accountId, audience.tagIds);
      if (missing !== undefined) throw new AppError('OA_PUSH_TAG_NOT_FOUND', { tagId: missing });
    }
    const openIds = await deps.audience.openIds(accountId, audience);
    const { quota, overQuota } = await quotaFor(accountId, accountType, openIds);
    return { accountType, openIds, overQuota, quota };
  }

  function enforce(audience: BroadcastAudience, planned: Plan, skipOverQuota: boolean): void {
    const { openIds, quota } = planned;
    if (openIds.length === 0) throw new AppError('OA_PUSH_AUDIENCE_EMPTY', { audience: audienceLabel(audience) });
    if (quota.kind === 'daily' && !quota.allowed) throw new AppError('OA_PUSH_DAILY_QUOTA_EXCEEDED', { sentAt: quota.lastSentAt ?? '' });
    if (quota.kind === 'monthly') {
      if (quota.remaining === 0) throw new AppError('OA_PUSH_ALL_OVER_QUOTA', { count: openIds.length });
      if (quota.overQuota > 0 && !skipOverQuota) throw new AppError('OA_PUSH_MONTHLY_QUOTA_EXCEEDED', { overQuota: quota.overQuota, remaining: quota.remaining });
    }
    if (sendsByList(audience)) {
      const count = openIds.length - (quota.kind === 'monthly' ? quota.overQuota : 0);
      if (count < OPENID_LIST_MIN || count > OPENID_LIST_MAX) throw new AppError('OA_PUSH_OPENID_LIST_SIZE', { min: OPENID_LIST_MIN, max: OPENID_LIST_MAX, count });
    }
  }

  function recipientsOf(planned: Plan) {
    return planned.openIds.map((openId) => ({ openId, status: planned.overQuota.has(openId) ? ('over_quota' as const) : ('pending' as const) }));
  }

  /**
   * Calls WeChat for a push already claimed (`sending`). Marks it `submitted`
   * with WeChat's msg_id, `failed` when WeChat refused (nothing went out), or
   * `unknown` when the answer was lost (it may have gone out: check WeChat).
   */
  async function callWeChat(row: BroadcastRow, openIds: string[]): Promise<void> {
    const body = { ...massContent(row.content), clientmsgid: row.clientMsgId };
    try {
      const account = await deps.wechatAccountFor(row.accountId);
      const audience = row.audience;
      const answer = sendsByList(audience)
        ? await deps.wechat.call(account, oaMassSend, { touser: openIds, ...body })
        : await deps.wechat.call(account, oaMassSendAll, {
            filter: audience.kind === 'tags' ? { is_to_all: false, tag_id: audience.tagIds[0] as number } : { is_to_all: true },
            ...body,
          });
      await repository.markSubmitted(row.id, { msgId: String(answer.msg_id), msgDataId: answer.msg_data_id === undefined ? null : String(answer.msg_data_id), wechatStatus: null });
    } catch (error) {
      const now = clock.now();
      if (isWeChatApiError(error)) {
        // The same clientmsgid went out before (a retry after a lost answer): it is sent, once.
        if (error.errcode === DUPLICATE_CLIENT_MSG_ID_ERRCODE) {
          await repository.markSubmitted(row.id, { msgId: null, msgDataId: null, wechatStatus: `errcode ${error.errcode}: ${error.errmsg}` });
          return;
        }
        if (error.errcode === TAG_NOT_FOUND_ERRCODE && row.audience.kind === 'tags') {
          await repository.markUnsent(row.id, 'failed', { code: 'OA_PUSH_TAG_NOT_FOUND', errcode: error.errcode, errmsg: error.errmsg }, now);
          throw new AppError('OA_PUSH_TAG_NOT_FOUND', { tagId: row.audience.tagIds[0], errcode: error.errcode, errmsg: error.errmsg });
        }
        await repository.markUnsent(row.id, 'failed', { code: error.code, errcode: error.errcode, errmsg: error.errmsg }, now);
        throw error;
      }
      // Refused by Qiao's own rate limit before anything left: not sent.
      if (isAppError(error) && error.code === 'WECHAT_API_RATE_LIMITED') {
        await repository.markUnsent(row.id, 'failed', { code: error.code }, now);
        throw error;
      }
      await repository.markUnsent(row.id, 'unknown', { code: isAppError(error) ? error.code : 'INTERNAL_ERROR' }, now);
      throw error;
    }
  }

  async function sendClaimed(row: BroadcastRow): Promise<void> {
    const openIds = sendsByList(row.audience) ? await pendingOpenIds(row.id) : [];
    await callWeChat(row, openIds);
  }

  async function pendingOpenIds(broadcastId: string): Promise<string[]> {
    const ids: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await repository.listRecipients(broadcastId, after, 5000);
      ids.push(...page.filter((r) => r.status === 'pending').map((r) => r.openId));
      if (page.length < 5000) return ids;
      after = page.at(-1)?.openId;
    }
  }

  async function reload(accountId: string, id: string): Promise<Broadcast> {
    const row = await repository.findById(accountId, id);
    if (!row) throw new AppError('OA_PUSH_NOT_FOUND', { id });
    return toBroadcast(row);
  }

  const service = {
    async estimate(accountId: string, audienceInput: BroadcastAudienceInput): Promise<Estimate> {
      await officialAccount(accountId);
      const planned = await plan(accountId, normaliseAudience(audienceInput));
      return { accountType: planned.accountType, recipientCount: planned.openIds.length, quota: planned.quota, quotaSource: 'qiao_history' };
    },

    async preview(context: RequestContext, accountId: string, content: BroadcastContentInput, openId: string): Promise<{ ok: true; openId: string }> {
      await officialAccount(accountId);
      const account = await deps.wechatAccountFor(accountId);
      await deps.wechat.call(account, oaMassPreview, { touser: openId, ...massContent(content) });
      await deps.audit.record(context, { action: 'oa.broadcast.preview', targetType: 'oa_follower', targetId: openId, summary: { accountId, type: content.type } });
      return { ok: true, openId };
    },

    /** Writes the intent with its recipients, then sends now or leaves it for its time. */
    async create(context: RequestContext, accountId: string, body: CreateBroadcastBody): Promise<Broadcast> {
      await officialAccount(accountId);
      const now = clock.now();
      const content: BroadcastContent = body.content;
      const audience = normaliseAudience(body.audience);
      const scheduledAt = body.scheduledAt ? new Date(body.scheduledAt) : null;
      if (scheduledAt && scheduledAt.getTime() <= now.getTime()) throw new AppError('OA_PUSH_SCHEDULE_IN_PAST', { scheduledAt: body.scheduledAt });
      if (content.type === 'image' && content.mediaExpiresAt && new Date(content.mediaExpiresAt).getTime() <= (scheduledAt ?? now).getTime()) {
        throw new AppError('OA_PUSH_MEDIA_EXPIRES', { expiresAt: content.mediaExpiresAt });
      }
      const planned = await plan(accountId, audience);
      enforce(audience, planned, body.skipOverQuota);
      const row = await repository.transaction(async (txDb) => {
        const repo = createBroadcastsRepository(txDb);
        const created = await repo.insert({
          accountId,
          state: scheduledAt ? 'scheduled' : 'queued',
          content,
          audience,
          recipientCount: planned.openIds.length,
          overQuotaCount: planned.overQuota.size,
          scheduledAt,
          // ≤ 64 bytes, unique per push: WeChat answers 45065 to a second send with it.
          clientMsgId: randomUUID().replaceAll('-', ''),
          createdBy: context.principal?.userId ?? null,
          createdAt: now,
        });
        await repo.replaceRecipients(created.id, accountId, beijingMonth(scheduledAt ?? now), recipientsOf(planned));
        await deps.audit.record(
          context,
          {
            action: scheduledAt ? 'oa.broadcast.schedule' : 'oa.broadcast.send',
            targetType: 'oa_broadcast',
            targetId: created.id,
            summary: { accountId, type: content.type, audience: audience.kind, recipients: planned.openIds.length, scheduledAt: scheduledAt?.toISOString() ?? null },
          },
          txDb,
        );
        return created;
      });
      if (scheduledAt) return toBroadcast(row);
      const claimed = await repository.claimForSending(row.id, ['queued'], clock.now());
      if (claimed) await sendClaimed(claimed);
      return reload(accountId, row.id);
    },

    async list(accountId: string, query: ListBroadcastsQuery): Promise<Page<Broadcast>> {
      await officialAccount(accountId);
      const cursor = query.cursor ? decodeCursor(query.cursor) : null;
      if (query.cursor && (!cursor || typeof cursor[0] !== 'string' || typeof cursor[1] !== 'string')) {
        throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'querystring.cursor', message: 'invalid cursor' }] });
      }
      const before = cursor ? { createdAt: new Date(cursor[0] as string), id: cursor[1] as string } : undefined;
      const rows = await repository.list({ accountId, state: query.state, before, limit: query.limit + 1 });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map(toBroadcast),
        nextCursor: rows.length > query.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
        total: await repository.count({ accountId, state: query.state }),
      };
    },

    get: (accountId: string, id: string) => reload(accountId, id),

    async recipients(accountId: string, id: string, query: { cursor?: string; limit: number }) {
      await reload(accountId, id);
      const cursor = query.cursor ? decodeCursor(query.cursor) : null;
      const after = cursor && typeof cursor[0] === 'string' ? cursor[0] : undefined;
      const rows = await repository.listRecipients(id, after, query.limit + 1);
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map((r) => ({ openId: r.openId, status: r.status })),
        nextCursor: rows.length > query.limit && last ? encodeCursor([last.openId]) : null,
        total: await repository.countRecipients(id),
      };
    },

    /** Cancels a push that has not started sending; a queued job finds it cancelled and does nothing. */
    async cancel(context: RequestContext, accountId: string, id: string): Promise<Broadcast> {
      const current = await reload(accountId, id);
      const row = await repository.cancel(accountId, id, clock.now());
      if (!row) throw new AppError('OA_PUSH_NOT_EDITABLE', { state: current.state, action: 'cancelled / 取消' });
      if (row.jobId) await deps.queue.cancel(row.jobId).catch(() => undefined);
      await deps.audit.record(context, { action: 'oa.broadcast.cancel', targetType: 'oa_broadcast', targetId: id, summary: { accountId } });
      return toBroadcast(row);
    },

    /**
     * Sends an `unknown` push again with the same clientmsgid: WeChat answers
     * 45065 when the first one did go out, so nobody gets it twice.
     */
    async retry(context: RequestContext, accountId: string, id: string): Promise<Broadcast> {
      const current = await reload(accountId, id);
      if (current.state !== 'unknown') throw new AppError('OA_PUSH_NOT_EDITABLE', { state: current.state, action: 'retried / 重试' });
      const claimed = await repository.claimForSending(id, ['unknown', 'sending'], clock.now());
      if (!claimed) throw new AppError('OA_PUSH_NOT_EDITABLE', { state: current.state, action: 'retried / 重试' });
      await deps.audit.record(context, { action: 'oa.broadcast.retry', targetType: 'oa_broadcast', targetId: id, summary: { accountId } });
      await sendClaimed(claimed);
      return reload(accountId, id);
    },

    /** Asks WeChat (`mass/get`) when the MASSSENDJOBFINISH event has not come. */
    async refresh(accountId: string, id: string): Promise<Broadcast> {
      const row = await repository.findById(accountId, id);
      if (!row) throw new AppError('OA_PUSH_NOT_FOUND', { id });
      if (!row.msgId) throw new AppError('OA_PUSH_NO_MESSAGE_ID', { state: toBroadcast(row).state });
      const answer = await deps.wechat.call(await deps.wechatAccountFor(accountId), oaMassGet, { msg_id: Number(row.msgId) });
      const state = answer.msg_status === 'SEND_SUCCESS' ? 'finished' : answer.msg_status === 'SEND_FAIL' ? 'failed' : row.state === 'finished' ? 'finished' : 'submitted';
      const updated = await repository.recordResult(row.id, {
        state,
        wechatStatus: answer.msg_status,
        finishedAt: state === 'submitted' ? null : (row.finishedAt ?? clock.now()),
      });
      return toBroadcast(updated ?? row);
    },

    /** WeChat's MASSSENDJOBFINISH: the final counts. It may overtake the sendall answer, so the row is awaited briefly. */
    async recordJobFinished(
      accountId: string,
      event: { msgId: string; status: string; totalCount?: number; filterCount?: number; sentCount?: number; errorCount?: number },
      waitMs = 5000,
    ): Promise<void> {
      let row = await repository.findByMsgId(accountId, event.msgId);
      for (let waited = 0; !row && waited < waitMs; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        row = await repository.findByMsgId(accountId, event.msgId);
      }
      if (!row) {
        deps.logger.warn({ accountId, msgId: event.msgId }, 'MASSSENDJOBFINISH for a push Qiao did not send');
        return;
      }
      await repository.recordResult(row.id, {
        state: event.status === 'send success' ? 'finished' : 'failed',
        wechatStatus: event.status,
        counts: { totalCount: event.totalCount ?? 0, filterCount: event.filterCount ?? 0, sentCount: event.sentCount ?? 0, errorCount: event.errorCount ?? 0 },
        finishedAt: clock.now(),
      });
    },

    /** Moves scheduled pushes whose time has come onto the job queue. */
    async dispatchDue(): Promise<number> {
      const due = await repository.claimDue(clock.now());
      for (const row of due) {
        const job = await deps.queue.enqueue(broadcastSendJob, { broadcastId: row.id }, { accountId: row.accountId, ...(row.createdBy ? { createdBy: row.createdBy } : {}) });
        await repository.setJobId(row.id, job.id);
      }
      return due.length;
    },

    /**
     * The job of a scheduled push: reads the audience again (it may have
     * changed), skips followers now at WeChat's monthly limit (the operator
     * confirmed the audience when scheduling), then sends once.
     */
    async runScheduled(broadcastId: string): Promise<Record<string, unknown>> {
      const row = await repository.findAnyById(broadcastId);
      if (!row || row.state !== 'queued') return { skipped: row?.state ?? 'missing' };
      let planned: Plan;
      try {
        planned = await plan(row.accountId, row.audience);
        enforce(row.audience, planned, true);
      } catch (error) {
        if (!isAppError(error)) throw error;
        const failure: BroadcastFailure = { code: error.code };
        await repository.markUnsent(row.id, 'failed', failure, clock.now());
        return { failed: error.code };
      }
      await repository.replaceRecipients(row.id, row.accountId, beijingMonth(clock.now()), recipientsOf(planned));
      await repository.setRecipientCounts(row.id, planned.openIds.length, planned.overQuota.size);
      const claimed = await repository.claimForSending(row.id, ['queued'], clock.now());
      if (!claimed) return { skipped: 'cancelled' };
      try {
        await sendClaimed(claimed);
      } catch (error) {
        if (!isAppError(error)) throw error;
        return { failed: error.code };
      }
      return { sent: true };
    },
  };
  return service;
}

import { AppError } from '../../../../common/errors';
import { decodeCursor, encodeCursor, type Page } from '../../../../common/paging';
import type { AuditRecorder } from '../../../platform/audit';
import type { Clock } from '../../../platform/clock';
import type { RequestContext } from '../../../platform/http/principal';
import type { JobQueue } from '../../../platform/queue';
import type { WeChatAccount, WeChatClient } from '../../../wechat/client';
import { oaFollowerInfo, oaFollowerUpdateRemark } from '../../../wechat/official-account';
import type { Account } from '../../system/accounts';
import type { MessagesService } from '../../system/messages';
import type { FollowerFilter, FollowerRow, FollowersRepository } from './followers.repository';
import {
  FOLLOWER_COUNT_EXACT_UP_TO,
  REMARK_MAX_CHARS,
  type Follower,
  type FollowerDetail,
  type FollowerMessage,
  type ListFollowersQuery,
  type StartedJob,
} from './followers.schema';
import { followerSyncJob } from './followers.sync';
import { infoFromWeChat } from './wechat-info';

export interface FollowersServiceDeps {
  repository: FollowersRepository;
  accounts: { getAccount(id: string): Promise<Account>; wechatAccountFor(id: string): Promise<WeChatAccount> };
  wechat: WeChatClient;
  messages: Pick<MessagesService, 'list'>;
  queue: JobQueue;
  audit: AuditRecorder;
  clock: Clock;
  /** Names of the account's tags, for the follower page. */
  tagNames(accountId: string): Promise<Map<number, string>>;
}

export type FollowersService = ReturnType<typeof createFollowersService>;

export function toFollower(row: FollowerRow): Follower {
  return {
    openId: row.openId,
    subscribed: row.subscribed,
    remark: row.remark,
    tagIds: row.tagIds,
    subscribeTime: row.subscribeTime.toISOString(),
    unsubscribeTime: row.unsubscribeTime?.toISOString() ?? null,
    subscribeScene: row.subscribeScene,
    qrScene: row.qrScene,
    qrSceneStr: row.qrSceneStr,
    language: row.language,
    unionId: row.unionId,
    groupId: row.groupId,
    country: row.country,
    province: row.province,
    city: row.city,
    lastInteractionAt: row.lastInteractionAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

const chars = (value: string) => [...value].length;

/** `2026-05-01` means the whole day: from its start, or to its end. */
function boundary(value: string | undefined, end: boolean): Date | undefined {
  if (!value) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T${end ? '23:59:59.999' : '00:00:00.000'}+08:00`);
  return new Date(value);
}

export function filterOf(accountId: string, query: Omit<ListFollowersQuery, 'cursor' | 'limit' | 'withTotal'>): FollowerFilter {
  return {
    accountId,
    tagIds: query.tagId === undefined ? undefined : [query.tagId],
    subscribed: query.status === 'all' ? undefined : query.status === 'subscribed',
    subscribedFrom: boundary(query.subscribedFrom, false),
    subscribedTo: boundary(query.subscribedTo, true),
    scene: query.scene,
    language: query.language,
    region: query.region,
    q: query.q,
  };
}

export function createFollowersService(deps: FollowersServiceDeps) {
  const { repository } = deps;

  async function requireOfficialAccount(accountId: string): Promise<Account> {
    const account = await deps.accounts.getAccount(accountId);
    if (account.type !== 'official_account') throw new AppError('FOLLOWERS_ACCOUNT_NOT_OFFICIAL', { id: accountId });
    return account;
  }

  async function requireFollower(accountId: string, openId: string): Promise<FollowerRow> {
    const row = await repository.find(accountId, openId);
    if (!row) throw new AppError('FOLLOWER_NOT_FOUND', { openId });
    return row;
  }

  async function totalOf(filter: FollowerFilter): Promise<{ total: number; totalExact: boolean }> {
    const { count, exact } = await repository.countUpTo(filter, FOLLOWER_COUNT_EXACT_UP_TO);
    return { total: count, totalExact: exact };
  }

  return {
    requireOfficialAccount,

    async list(accountId: string, query: ListFollowersQuery): Promise<Page<Follower> & { totalExact?: boolean }> {
      await requireOfficialAccount(accountId);
      const cursor = query.cursor ? decodeCursor(query.cursor) : null;
      if (query.cursor && (!cursor || typeof cursor[0] !== 'string' || typeof cursor[1] !== 'string' || Number.isNaN(Date.parse(cursor[0])))) {
        throw new AppError('FOLLOWER_CURSOR_INVALID');
      }
      const filter = filterOf(accountId, query);
      const after = cursor ? { subscribeTime: new Date(cursor[0] as string), openId: cursor[1] as string } : null;
      const rows = await repository.list(filter, after, query.limit + 1);
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map(toFollower),
        nextCursor: rows.length > query.limit && last ? encodeCursor([last.subscribeTime.toISOString(), last.openId]) : null,
        ...(query.withTotal ? await totalOf(filter) : {}),
      };
    },

    async get(accountId: string, openId: string): Promise<FollowerDetail> {
      await requireOfficialAccount(accountId);
      const row = await requireFollower(accountId, openId);
      const names = await deps.tagNames(accountId);
      return { ...toFollower(row), tags: row.tagIds.map((id) => ({ id, name: names.get(id) ?? String(id) })) };
    },

    /** What the follower sent and what was answered, newest first (the message log). */
    async messages(accountId: string, openId: string, query: { cursor?: string; limit: number }): Promise<Page<FollowerMessage>> {
      await requireOfficialAccount(accountId);
      await requireFollower(accountId, openId);
      const page = await deps.messages.list(accountId, { from: openId, cursor: query.cursor, limit: query.limit });
      return {
        items: page.items.map((m) => ({
          id: m.id,
          type: m.type,
          msgType: m.msgType,
          event: m.event,
          content: m.content,
          fields: m.fields,
          reply: m.reply,
          receivedAt: m.receivedAt,
        })),
        nextCursor: page.nextCursor,
        total: page.total,
      };
    },

    /** Sets the remark on WeChat first, then here: a refusal changes nothing. */
    async updateRemark(context: RequestContext, accountId: string, openId: string, remark: string): Promise<FollowerDetail> {
      await requireOfficialAccount(accountId);
      const trimmed = remark.trim();
      if (chars(trimmed) > REMARK_MAX_CHARS) throw new AppError('FOLLOWER_REMARK_TOO_LONG', { max: REMARK_MAX_CHARS, actual: chars(trimmed) });
      const before = await requireFollower(accountId, openId);
      const wechatAccount = await deps.accounts.wechatAccountFor(accountId);
      await deps.wechat.call(wechatAccount, oaFollowerUpdateRemark, { openid: openId, remark: trimmed });
      await repository.transaction(async (repo, tx) => {
        await repo.updateRemark(accountId, openId, trimmed, deps.clock.now());
        await deps.audit.record(
          context,
          { action: 'official_account.follower.remark', targetType: 'oa_follower', targetId: `${accountId}:${openId}`, summary: { from: before.remark, to: trimmed } },
          tx,
        );
      });
      return this.get(accountId, openId);
    },

    /** Starts a full sync as a job (one at a time per account). */
    async startSync(context: RequestContext, accountId: string): Promise<StartedJob> {
      await requireOfficialAccount(accountId);
      const running = await deps.queue.list({ kind: followerSyncJob, state: 'running', limit: 50 });
      const queued = await deps.queue.list({ kind: followerSyncJob, state: 'queued', limit: 50 });
      const busy = [...running.items, ...queued.items].find((job) => job.accountId === accountId);
      if (busy) throw new AppError('FOLLOWER_SYNC_RUNNING', { jobId: busy.id });
      const job = await deps.queue.enqueue(followerSyncJob, { accountId }, { accountId, createdBy: context.principal?.userId ?? undefined });
      await deps.audit.record(context, { action: 'official_account.followers.sync', targetType: 'account', targetId: accountId, summary: { jobId: job.id } });
      return { id: job.id, kind: job.kind, state: job.state };
    },

    /** Refreshes one follower from user/info (after a follow callback, off the passive path). */
    async refreshFromWeChat(accountId: string, openId: string): Promise<void> {
      const wechatAccount = await deps.accounts.wechatAccountFor(accountId);
      const info = await deps.wechat.call(wechatAccount, oaFollowerInfo, undefined, { openid: openId, lang: 'zh_CN' });
      await repository.upsertInfos(accountId, [infoFromWeChat(info)], deps.clock.now());
    },
  };
}

import { and, desc, eq, gte, inArray, lt, lte, notInArray, or, sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/client';
import { oaBroadcastRecipients, oaBroadcasts, type BroadcastFailure } from './broadcasts.tables';

export type BroadcastRow = typeof oaBroadcasts.$inferSelect;
export type NewBroadcastRow = typeof oaBroadcasts.$inferInsert;
export type RecipientRow = typeof oaBroadcastRecipients.$inferSelect;
type RecipientStatus = RecipientRow['status'];

const INSERT_CHUNK = 1000;
/** States whose recipients count against WeChat's monthly and daily limits. */
const countingStates: BroadcastRow['state'][] = ['sending', 'submitted', 'finished', 'unknown'];

export function createBroadcastsRepository(db: Db) {
  const repository = {
    /** Runs `work` in one transaction on a repository bound to it; `tx` is what the audit recorder commits with. */
    transaction<T>(work: (txDb: Db) => Promise<T>): Promise<T> {
      return db.transaction((tx) => work(tx as unknown as Db));
    },

    async insert(row: NewBroadcastRow): Promise<BroadcastRow> {
      const [created] = await db.insert(oaBroadcasts).values(row).returning();
      if (!created) throw new Error('broadcast not stored');
      return created;
    },

    /** Replaces who the push is meant for (a scheduled push re-reads its audience when it runs). */
    async replaceRecipients(broadcastId: string, accountId: string, month: string, recipients: { openId: string; status: RecipientStatus }[]): Promise<void> {
      await db.delete(oaBroadcastRecipients).where(eq(oaBroadcastRecipients.broadcastId, broadcastId));
      for (let i = 0; i < recipients.length; i += INSERT_CHUNK) {
        await db
          .insert(oaBroadcastRecipients)
          .values(recipients.slice(i, i + INSERT_CHUNK).map((r) => ({ broadcastId, accountId, month, openId: r.openId, status: r.status })));
      }
    },

    async findById(accountId: string, id: string): Promise<BroadcastRow | null> {
      const [row] = await db.select().from(oaBroadcasts).where(and(eq(oaBroadcasts.accountId, accountId), eq(oaBroadcasts.id, id))).limit(1);
      return row ?? null;
    },

    async findAnyById(id: string): Promise<BroadcastRow | null> {
      const [row] = await db.select().from(oaBroadcasts).where(eq(oaBroadcasts.id, id)).limit(1);
      return row ?? null;
    },

    async findByMsgId(accountId: string, msgId: string): Promise<BroadcastRow | null> {
      const [row] = await db.select().from(oaBroadcasts).where(and(eq(oaBroadcasts.accountId, accountId), eq(oaBroadcasts.msgId, msgId))).limit(1);
      return row ?? null;
    },

    async list(filter: { accountId: string; state?: BroadcastRow['state']; before?: { createdAt: Date; id: string }; limit: number }): Promise<BroadcastRow[]> {
      const before = filter.before
        ? or(lt(oaBroadcasts.createdAt, filter.before.createdAt), and(eq(oaBroadcasts.createdAt, filter.before.createdAt), lt(oaBroadcasts.id, filter.before.id)))
        : undefined;
      return db
        .select()
        .from(oaBroadcasts)
        .where(and(eq(oaBroadcasts.accountId, filter.accountId), filter.state ? eq(oaBroadcasts.state, filter.state) : undefined, before))
        .orderBy(desc(oaBroadcasts.createdAt), desc(oaBroadcasts.id))
        .limit(filter.limit);
    },

    async count(filter: { accountId: string; state?: BroadcastRow['state'] }): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(oaBroadcasts)
        .where(and(eq(oaBroadcasts.accountId, filter.accountId), filter.state ? eq(oaBroadcasts.state, filter.state) : undefined));
      return Number(row?.n ?? 0);
    },

    /** Moves the push to `sending` only from one of `from`: whoever wins the update sends, nobody else. */
    async claimForSending(id: string, from: BroadcastRow['state'][], now: Date): Promise<BroadcastRow | null> {
      const [row] = await db
        .update(oaBroadcasts)
        .set({ state: 'sending', sentAt: now })
        .where(and(eq(oaBroadcasts.id, id), inArray(oaBroadcasts.state, from)))
        .returning();
      return row ?? null;
    },

    async markSubmitted(id: string, ids: { msgId: string | null; msgDataId: string | null; wechatStatus: string | null }): Promise<void> {
      await db.update(oaBroadcasts).set({ state: 'submitted', ...ids }).where(and(eq(oaBroadcasts.id, id), eq(oaBroadcasts.state, 'sending')));
      await db
        .update(oaBroadcastRecipients)
        .set({ status: 'submitted' })
        .where(and(eq(oaBroadcastRecipients.broadcastId, id), eq(oaBroadcastRecipients.status, 'pending')));
    },

    /** `failed` (WeChat refused: nothing went out) or `unknown` (the answer was lost: check WeChat). */
    async markUnsent(id: string, state: 'failed' | 'unknown', failure: BroadcastFailure, now: Date): Promise<void> {
      await db
        .update(oaBroadcasts)
        .set({ state, failure, ...(state === 'failed' ? { finishedAt: now } : {}) })
        .where(eq(oaBroadcasts.id, id));
      if (state === 'failed') {
        await db
          .update(oaBroadcastRecipients)
          .set({ status: 'failed' })
          .where(and(eq(oaBroadcastRecipients.broadcastId, id), eq(oaBroadcastRecipients.status, 'pending')));
      }
    },

    async recordResult(
      id: string,
      result: { state: 'finished' | 'failed' | 'submitted'; wechatStatus: string; counts?: { totalCount?: number; filterCount?: number; sentCount?: number; errorCount?: number }; finishedAt: Date | null },
    ): Promise<BroadcastRow | null> {
      const [row] = await db
        .update(oaBroadcasts)
        .set({ state: result.state, wechatStatus: result.wechatStatus, ...result.counts, finishedAt: result.finishedAt })
        .where(eq(oaBroadcasts.id, id))
        .returning();
      return row ?? null;
    },

    /** Followers who already received `limit` of Qiao's mass messages in the month. */
    async followersAtMonthlyLimit(accountId: string, month: string, limit: number): Promise<Set<string>> {
      const rows = await db
        .select({ openId: oaBroadcastRecipients.openId })
        .from(oaBroadcastRecipients)
        .innerJoin(oaBroadcasts, eq(oaBroadcasts.id, oaBroadcastRecipients.broadcastId))
        .where(
          and(
            eq(oaBroadcastRecipients.accountId, accountId),
            eq(oaBroadcastRecipients.month, month),
            inArray(oaBroadcastRecipients.status, ['pending', 'submitted']),
            inArray(oaBroadcasts.state, countingStates),
          ),
        )
        .groupBy(oaBroadcastRecipients.openId)
        .having(sql`count(*) >= ${limit}`);
      return new Set(rows.map((r) => r.openId));
    },

    /** Sends that reached WeChat (or may have) since `since`, newest first. */
    async sendsSince(accountId: string, since: Date, exceptId?: string): Promise<BroadcastRow[]> {
      return db
        .select()
        .from(oaBroadcasts)
        .where(
          and(
            eq(oaBroadcasts.accountId, accountId),
            inArray(oaBroadcasts.state, countingStates),
            gte(oaBroadcasts.sentAt, since),
            exceptId ? notInArray(oaBroadcasts.id, [exceptId]) : undefined,
          ),
        )
        .orderBy(desc(oaBroadcasts.sentAt));
    },

    /** Scheduled pushes whose time has come, moved to `queued` (each by exactly one caller). */
    async claimDue(now: Date, limit = 50): Promise<BroadcastRow[]> {
      const due = await db
        .select({ id: oaBroadcasts.id })
        .from(oaBroadcasts)
        .where(and(eq(oaBroadcasts.state, 'scheduled'), lte(oaBroadcasts.scheduledAt, now)))
        .limit(limit);
      if (due.length === 0) return [];
      return db
        .update(oaBroadcasts)
        .set({ state: 'queued' })
        .where(and(inArray(oaBroadcasts.id, due.map((d) => d.id)), eq(oaBroadcasts.state, 'scheduled')))
        .returning();
    },

    async setRecipientCounts(id: string, recipientCount: number, overQuotaCount: number): Promise<void> {
      await db.update(oaBroadcasts).set({ recipientCount, overQuotaCount }).where(eq(oaBroadcasts.id, id));
    },

    async setJobId(id: string, jobId: string): Promise<void> {
      await db.update(oaBroadcasts).set({ jobId }).where(eq(oaBroadcasts.id, id));
    },

    async cancel(accountId: string, id: string, now: Date): Promise<BroadcastRow | null> {
      const [row] = await db
        .update(oaBroadcasts)
        .set({ state: 'cancelled', finishedAt: now })
        .where(and(eq(oaBroadcasts.accountId, accountId), eq(oaBroadcasts.id, id), inArray(oaBroadcasts.state, ['scheduled', 'queued'])))
        .returning();
      return row ?? null;
    },

    async listRecipients(broadcastId: string, after: string | undefined, limit: number): Promise<RecipientRow[]> {
      return db
        .select()
        .from(oaBroadcastRecipients)
        .where(and(eq(oaBroadcastRecipients.broadcastId, broadcastId), after ? sql`${oaBroadcastRecipients.openId} > ${after}` : undefined))
        .orderBy(oaBroadcastRecipients.openId)
        .limit(limit);
    },

    async countRecipients(broadcastId: string): Promise<number> {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(oaBroadcastRecipients).where(eq(oaBroadcastRecipients.broadcastId, broadcastId));
      return Number(row?.n ?? 0);
    },
  };
  return repository;
}

export type BroadcastsRepository = ReturnType<typeof createBroadcastsRepository>;

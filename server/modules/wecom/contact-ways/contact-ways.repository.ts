import { and, desc, eq, gte, ilike, inArray, isNotNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../platform/db/client';
import {
  wecomContactWayAdds,
  wecomContactWays,
  wecomWelcomeMedia,
  wecomWelcomeSends,
  wecomWelcomeSettings,
  type ContactWayRow,
  type ContactWaySettings,
  type NewContactWayRow,
  type WelcomeMediaRow,
  type WelcomeSendRow,
} from './contact-ways.tables';
import type { WelcomeMessage } from './contact-ways.schema';

export type { ContactWayRow, WelcomeMediaRow, WelcomeSendRow } from './contact-ways.tables';

export interface ContactWayFilter {
  accountId: string;
  q?: string | undefined;
  userid?: string | undefined;
  type?: 'single' | 'multi' | undefined;
  /** A member-role caller sees only codes carrying one of its userids. */
  onlyUserids?: string[] | undefined;
  /** Keyset: rows created before this (createdAt, id). */
  before?: { createdAt: Date; id: string } | null;
  limit: number;
}

export type NewWelcomeSend = Omit<WelcomeSendRow, 'id'>;

export function createContactWaysRepository(db: Db) {
  const way = (accountId: string, configId: string) => and(eq(wecomContactWays.accountId, accountId), eq(wecomContactWays.configId, configId));

  function listConditions(filter: Omit<ContactWayFilter, 'before' | 'limit'>): SQL[] {
    const conditions: SQL[] = [eq(wecomContactWays.accountId, filter.accountId), isNotNull(wecomContactWays.configId)];
    if (filter.q) {
      const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      conditions.push(or(ilike(wecomContactWays.name, like), ilike(wecomContactWays.state, like)) as SQL);
    }
    if (filter.type) conditions.push(eq(wecomContactWays.type, filter.type));
    if (filter.userid) conditions.push(sql`${wecomContactWays.userids} @> ${JSON.stringify([filter.userid])}::jsonb`);
    if (filter.onlyUserids) {
      const any = filter.onlyUserids.map((u) => sql`${wecomContactWays.userids} @> ${JSON.stringify([u])}::jsonb`);
      conditions.push(any.length ? (or(...any) as SQL) : sql`false`);
    }
    return conditions;
  }

  return {
    async list(filter: ContactWayFilter): Promise<ContactWayRow[]> {
      const conditions = listConditions(filter);
      if (filter.before) {
        const { createdAt, id } = filter.before;
        conditions.push(or(lt(wecomContactWays.createdAt, createdAt), and(eq(wecomContactWays.createdAt, createdAt), lt(wecomContactWays.id, id))) as SQL);
      }
      return db
        .select()
        .from(wecomContactWays)
        .where(and(...conditions))
        .orderBy(desc(wecomContactWays.createdAt), desc(wecomContactWays.id))
        .limit(filter.limit);
    },

    async count(filter: Omit<ContactWayFilter, 'before' | 'limit'>): Promise<number> {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(wecomContactWays).where(and(...listConditions(filter)));
      return row?.n ?? 0;
    },

    async find(accountId: string, configId: string): Promise<ContactWayRow | null> {
      const [row] = await db.select().from(wecomContactWays).where(way(accountId, configId)).limit(1);
      return row ?? null;
    },

    async namesOf(accountId: string, configIds: string[]): Promise<Map<string, string>> {
      if (configIds.length === 0) return new Map();
      const rows = await db
        .select({ configId: wecomContactWays.configId, name: wecomContactWays.name })
        .from(wecomContactWays)
        .where(and(eq(wecomContactWays.accountId, accountId), inArray(wecomContactWays.configId, configIds)));
      return new Map(rows.map((r) => [r.configId as string, r.name]));
    },

    async findByState(accountId: string, state: string): Promise<ContactWayRow | null> {
      const [row] = await db
        .select()
        .from(wecomContactWays)
        .where(and(eq(wecomContactWays.accountId, accountId), eq(wecomContactWays.state, state)))
        .limit(1);
      return row ?? null;
    },

    async insert(row: NewContactWayRow): Promise<ContactWayRow> {
      const [inserted] = await db.insert(wecomContactWays).values(row).returning();
      return inserted as ContactWayRow;
    },

    async updateById(id: string, changes: Partial<NewContactWayRow>): Promise<ContactWayRow> {
      const [row] = await db.update(wecomContactWays).set(changes).where(eq(wecomContactWays.id, id)).returning();
      return row as ContactWayRow;
    },

    /** Marks an applied code `updating` with its pending settings; null when another change holds it. */
    async claimUpdate(id: string, pending: ContactWaySettings): Promise<ContactWayRow | null> {
      const [row] = await db
        .update(wecomContactWays)
        .set({ syncState: 'updating', pending })
        .where(and(eq(wecomContactWays.id, id), eq(wecomContactWays.syncState, 'applied')))
        .returning();
      return row ?? null;
    },

    async deleteById(id: string): Promise<void> {
      await db.delete(wecomContactWays).where(eq(wecomContactWays.id, id));
    },

    /** Records one add through a code; false when this add was recorded before (a replay). */
    async recordAdd(row: typeof wecomContactWayAdds.$inferInsert): Promise<boolean> {
      const inserted = await db.insert(wecomContactWayAdds).values(row).onConflictDoNothing().returning({ day: wecomContactWayAdds.day });
      return inserted.length > 0;
    },

    async setAddTagResult(key: { accountId: string; configId: string; externalUserid: string; userid: string; addedAtS: number }, tagResult: string): Promise<void> {
      await db
        .update(wecomContactWayAdds)
        .set({ tagResult })
        .where(
          and(
            eq(wecomContactWayAdds.accountId, key.accountId),
            eq(wecomContactWayAdds.configId, key.configId),
            eq(wecomContactWayAdds.externalUserid, key.externalUserid),
            eq(wecomContactWayAdds.userid, key.userid),
            eq(wecomContactWayAdds.addedAtS, key.addedAtS),
          ),
        );
    },

    /** Adds per code and day within [from, to]. */
    async addsByDay(accountId: string, configIds: string[], from: string, to: string): Promise<{ configId: string; day: string; adds: number }[]> {
      if (configIds.length === 0) return [];
      return db
        .select({ configId: wecomContactWayAdds.configId, day: wecomContactWayAdds.day, adds: sql<number>`count(*)::int` })
        .from(wecomContactWayAdds)
        .where(
          and(
            eq(wecomContactWayAdds.accountId, accountId),
            inArray(wecomContactWayAdds.configId, configIds),
            gte(wecomContactWayAdds.day, from),
            lte(wecomContactWayAdds.day, to),
          ),
        )
        .groupBy(wecomContactWayAdds.configId, wecomContactWayAdds.day);
    },

    async addTotals(accountId: string, configIds: string[]): Promise<Map<string, number>> {
      if (configIds.length === 0) return new Map();
      const rows = await db
        .select({ configId: wecomContactWayAdds.configId, adds: sql<number>`count(*)::int` })
        .from(wecomContactWayAdds)
        .where(and(eq(wecomContactWayAdds.accountId, accountId), inArray(wecomContactWayAdds.configId, configIds)))
        .groupBy(wecomContactWayAdds.configId);
      return new Map(rows.map((r) => [r.configId, r.adds]));
    },

    async defaultWelcome(accountId: string): Promise<{ message: WelcomeMessage | null; updatedAt: Date } | null> {
      const [row] = await db.select().from(wecomWelcomeSettings).where(eq(wecomWelcomeSettings.accountId, accountId)).limit(1);
      return row ? { message: row.message ?? null, updatedAt: row.updatedAt } : null;
    },

    async setDefaultWelcome(accountId: string, message: WelcomeMessage | null, at: Date): Promise<void> {
      await db
        .insert(wecomWelcomeSettings)
        .values({ accountId, message, updatedAt: at })
        .onConflictDoUpdate({ target: wecomWelcomeSettings.accountId, set: { message, updatedAt: at } });
    },

    async insertMedia(row: typeof wecomWelcomeMedia.$inferInsert): Promise<WelcomeMediaRow> {
      const [inserted] = await db.insert(wecomWelcomeMedia).values(row).returning();
      return inserted as WelcomeMediaRow;
    },

    async findMedia(accountId: string, ids: string[]): Promise<WelcomeMediaRow[]> {
      if (ids.length === 0) return [];
      return db
        .select()
        .from(wecomWelcomeMedia)
        .where(and(eq(wecomWelcomeMedia.accountId, accountId), inArray(wecomWelcomeMedia.id, ids)));
    },

    /** What a send needs of its images: the WeCom media id and its expiry, not the stored bytes. */
    async mediaIdsFor(accountId: string, ids: string[]): Promise<Pick<WelcomeMediaRow, 'id' | 'mediaId' | 'mediaExpiresAt'>[]> {
      if (ids.length === 0) return [];
      return db
        .select({ id: wecomWelcomeMedia.id, mediaId: wecomWelcomeMedia.mediaId, mediaExpiresAt: wecomWelcomeMedia.mediaExpiresAt })
        .from(wecomWelcomeMedia)
        .where(and(eq(wecomWelcomeMedia.accountId, accountId), inArray(wecomWelcomeMedia.id, ids)));
    },

    async deleteMedia(id: string): Promise<void> {
      await db.delete(wecomWelcomeMedia).where(eq(wecomWelcomeMedia.id, id));
    },

    async setMediaId(id: string, mediaId: string, expiresAt: Date): Promise<void> {
      await db.update(wecomWelcomeMedia).set({ mediaId, mediaExpiresAt: expiresAt }).where(eq(wecomWelcomeMedia.id, id));
    },

    /** Media whose WeCom copy dies before `before` (or was never uploaded). */
    async mediaExpiringBefore(before: Date, limit: number): Promise<WelcomeMediaRow[]> {
      return db
        .select()
        .from(wecomWelcomeMedia)
        .where(or(sql`${wecomWelcomeMedia.mediaExpiresAt} is null`, lt(wecomWelcomeMedia.mediaExpiresAt, before)))
        .limit(limit);
    },

    /** Claims a welcome code; null when another delivery of the same event claimed it already. */
    async claimWelcome(row: NewWelcomeSend): Promise<WelcomeSendRow | null> {
      const [inserted] = await db.insert(wecomWelcomeSends).values(row).onConflictDoNothing().returning();
      return inserted ?? null;
    },

    /**
     * Welcomes left `sending` (a crash or a lost database write mid-send) whose
     * event is older than `eventBefore`: marked failed as `interrupted`. Answers them.
     */
    async failInterruptedWelcomes(eventBefore: Date): Promise<Pick<WelcomeSendRow, 'accountId' | 'welcomeCode' | 'externalUserid' | 'userid' | 'configId' | 'state'>[]> {
      const w = wecomWelcomeSends;
      return db
        .update(w)
        .set({ status: 'failed', reason: 'interrupted' })
        .where(and(eq(w.status, 'sending'), lt(w.eventAt, eventBefore)))
        .returning({ accountId: w.accountId, welcomeCode: w.welcomeCode, externalUserid: w.externalUserid, userid: w.userid, configId: w.configId, state: w.state });
    },

    async insertWelcome(row: NewWelcomeSend): Promise<void> {
      await db.insert(wecomWelcomeSends).values(row);
    },

    async finishWelcome(id: string, changes: Pick<WelcomeSendRow, 'status' | 'reason' | 'errcode' | 'errmsg' | 'latencyMs'>): Promise<void> {
      await db.update(wecomWelcomeSends).set(changes).where(eq(wecomWelcomeSends.id, id));
    },

    async listWelcomeSends(filter: {
      accountId: string;
      externalUserId?: string | undefined;
      configId?: string | undefined;
      status?: WelcomeSendRow['status'] | undefined;
      before?: { createdAt: Date; id: string } | null;
      limit: number;
    }): Promise<WelcomeSendRow[]> {
      const conditions: SQL[] = [eq(wecomWelcomeSends.accountId, filter.accountId)];
      if (filter.externalUserId) conditions.push(eq(wecomWelcomeSends.externalUserid, filter.externalUserId));
      if (filter.configId) conditions.push(eq(wecomWelcomeSends.configId, filter.configId));
      if (filter.status) conditions.push(eq(wecomWelcomeSends.status, filter.status));
      if (filter.before) {
        const { createdAt, id } = filter.before;
        conditions.push(or(lt(wecomWelcomeSends.createdAt, createdAt), and(eq(wecomWelcomeSends.createdAt, createdAt), lt(wecomWelcomeSends.id, id))) as SQL);
      }
      return db
        .select()
        .from(wecomWelcomeSends)
        .where(and(...conditions))
        .orderBy(desc(wecomWelcomeSends.createdAt), desc(wecomWelcomeSends.id))
        .limit(filter.limit);
    },

    /** The retention purge: the welcomes sent to these customers and their adds through codes (the codes' counts lose them). */
    async purgeCustomers(accountId: string, externalUserIds: readonly string[]): Promise<void> {
      if (externalUserIds.length === 0) return;
      const ids = [...externalUserIds];
      await db.delete(wecomWelcomeSends).where(and(eq(wecomWelcomeSends.accountId, accountId), inArray(wecomWelcomeSends.externalUserid, ids)));
      await db.delete(wecomContactWayAdds).where(and(eq(wecomContactWayAdds.accountId, accountId), inArray(wecomContactWayAdds.externalUserid, ids)));
    },
  };
}

export type ContactWaysRepository = ReturnType<typeof createContactWaysRepository>;

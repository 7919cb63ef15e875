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
import { wecomMemberDepartments, wecomMembers } from '../members';
import type { CodeAddsSort, WelcomeMessage } from './contact-ways.schema';

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

export interface CodeAddsFilter extends Omit<ContactWayFilter, 'before' | 'limit' | 'userid' | 'type'> {
  /** A department admin's reach: codes with a member placed in one of these departments. */
  reachDepartmentIds?: number[] | undefined;
  /** The department filter (a subtree), applied the same way. */
  departmentIds?: number[] | undefined;
  from: string;
  to: string;
  sort: CodeAddsSort;
  /** Keyset: the sort values of the last row of the previous page. */
  after?: CodeAddsKey | null;
  limit: number;
}

/** Where a row stands in the order: its adds, name, creation time and id, as the sort reads them. */
export interface CodeAddsKey {
  adds: number;
  name: string;
  createdAt: Date;
  id: string;
}

export interface CodeAddsRow extends CodeAddsKey {
  configId: string;
  type: 'single' | 'multi';
  scene: 'qr' | 'miniprogram';
  state: string;
  userids: string[];
  isTemp: boolean;
}

const intArray = (values: readonly number[]) => (values.length === 0 ? sql`'{}'::integer[]` : sql`array[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::integer[]`);

/** The code has a member, still in the directory, placed in one of these departments (members match ignoring case, as WeCom's userids do). */
function hasMemberIn(departmentIds: readonly number[]): SQL {
  const m = wecomMembers;
  const md = wecomMemberDepartments;
  return sql`exists (select 1 from jsonb_array_elements_text(${wecomContactWays.userids}) as u(userid)
    join ${m} on ${m.accountId} = ${wecomContactWays.accountId} and lower(${m.userid}) = lower(u.userid) and ${m.deletedAt} is null
    join ${md} on ${md.accountId} = ${m.accountId} and ${md.userid} = ${m.userid}
    where ${md.departmentId} = any(${intArray(departmentIds)}))`;
}

type SortKey = { column: SQL; descending: boolean; value: (key: CodeAddsKey) => SQL };
const byAdds = (descending: boolean): SortKey => ({ column: sql`s.adds`, descending, value: (k) => sql`${k.adds}::int` });
const byName = (descending: boolean): SortKey => ({ column: sql`s.name`, descending, value: (k) => sql`${k.name}::text` });
const byCreated = (descending: boolean): SortKey => ({ column: sql`s.created_at`, descending, value: (k) => sql`${k.createdAt.toISOString()}::timestamptz` });
const byId = (descending: boolean): SortKey => ({ column: sql`s.id`, descending, value: (k) => sql`${k.id}::uuid` });
const newestFirst = [byCreated(true), byId(true)];
const sortKeys: Record<CodeAddsSort, SortKey[]> = {
  '-adds': [byAdds(true), ...newestFirst],
  adds: [byAdds(false), ...newestFirst],
  name: [byName(false), ...newestFirst],
  '-name': [byName(true), ...newestFirst],
  '-createdAt': newestFirst,
  createdAt: [byCreated(false), byId(false)],
};

/** Rows after `key` in the order of `keys`: lexicographic, each key in its own direction. */
function afterKey(keys: SortKey[], key: CodeAddsKey): SQL {
  const [first, ...rest] = keys as [SortKey, ...SortKey[]];
  const beyond = sql`${first.column} ${first.descending ? sql`<` : sql`>`} ${first.value(key)}`;
  return rest.length === 0 ? beyond : sql`(${beyond} or (${first.column} = ${first.value(key)} and ${afterKey(rest, key)}))`;
}

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

    /**
     * Codes with their adds in [from, to], sorted and paged in one statement;
     * the count and the adds of every matching code come with each page.
     */
    async codeAdds(filter: CodeAddsFilter): Promise<{ total: number; adds: number; rows: CodeAddsRow[] }> {
      const conditions = listConditions(filter);
      if (filter.reachDepartmentIds) conditions.push(hasMemberIn(filter.reachDepartmentIds));
      if (filter.departmentIds) conditions.push(hasMemberIn(filter.departmentIds));
      const a = wecomContactWayAdds;
      const w = wecomContactWays;
      const keys = sortKeys[filter.sort];
      const order = sql.join(
        keys.map((k) => sql`${k.column} ${k.descending ? sql`desc` : sql`asc`}`),
        sql`, `,
      );
      const result = await db.execute<{ total: number; adds_all: number; id: string | null; config_id: string; name: string; type: CodeAddsRow['type']; scene: CodeAddsRow['scene']; state: string; userids: string[]; is_temp: boolean; created_at: Date | string; adds: number }>(sql`
        with a as (
          select ${a.configId} as config_id, count(*)::int as adds from ${a}
          where ${a.accountId} = ${filter.accountId} and ${a.day} >= ${filter.from} and ${a.day} <= ${filter.to}
          group by ${a.configId}
        ), s as (
          select ${w.id} as id, ${w.configId} as config_id, ${w.name} as name, ${w.type} as type, ${w.scene} as scene, ${w.state} as state,
            ${w.userids} as userids, ${w.isTemp} as is_temp, ${w.createdAt} as created_at, coalesce(a.adds, 0) as adds
          from ${w} left join a on a.config_id = ${w.configId}
          where ${and(...conditions)}
        )
        select t.total, t.adds_all, p.* from (select count(*)::int as total, coalesce(sum(s.adds), 0)::int as adds_all from s) t
        left join lateral (
          select s.* from s ${filter.after ? sql`where ${afterKey(keys, filter.after)}` : sql``} order by ${order} limit ${filter.limit}
        ) p on true`);
      const first = result.rows[0];
      return {
        total: Number(first?.total ?? 0),
        adds: Number(first?.adds_all ?? 0),
        rows: result.rows
          .filter((r) => r.id !== null)
          .map((r) => ({
            id: r.id as string,
            configId: r.config_id,
            name: r.name,
            type: r.type,
            scene: r.scene,
            state: r.state,
            userids: r.userids,
            isTemp: r.is_temp,
            createdAt: new Date(r.created_at),
            adds: Number(r.adds),
          })),
      };
    },

    /** The directory's names of these members, by lowercased userid; members who left it are not there. */
    async memberNames(accountId: string, userids: string[]): Promise<Map<string, string>> {
      if (userids.length === 0) return new Map();
      const rows = await db
        .select({ userid: wecomMembers.userid, name: wecomMembers.name })
        .from(wecomMembers)
        .where(
          and(
            eq(wecomMembers.accountId, accountId),
            inArray(sql`lower(${wecomMembers.userid})`, [...new Set(userids.map((u) => u.toLowerCase()))]),
            sql`${wecomMembers.deletedAt} is null`,
          ),
        );
      return new Map(rows.map((r) => [r.userid.toLowerCase(), r.name]));
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

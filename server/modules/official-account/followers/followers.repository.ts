import { and, asc, eq, gt, gte, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../platform/db/client';
import { createWriteBatcher } from '../../../platform/db/write-batcher';
import { oaTags } from '../tags/tags.tables';
import { oaFollowers, type FollowerRow, type NewFollowerRow } from './followers.tables';

export type { FollowerRow, NewFollowerRow } from './followers.tables';

/** What the list filters on; every field narrows. */
export interface FollowerFilter {
  accountId: string;
  /** Followers carrying every one of these tags. */
  tagIds?: number[];
  /** true: current followers; false: those who left; undefined: both. */
  subscribed?: boolean;
  subscribedFrom?: Date;
  subscribedTo?: Date;
  scene?: string;
  language?: string;
  /** Country, province or city, as WeChat gave them. */
  region?: string;
  /** An OpenID prefix, or words of the remark. */
  q?: string;
}

/** Who an audience (a push) reaches: current followers with any of the tags, or the listed OpenIDs. */
export interface AudienceFilter {
  tagIds?: number[];
  openIds?: string[];
}

/** The fields user/info still returns, in camelCase. */
export interface FollowerInfo {
  openId: string;
  subscribed: boolean;
  subscribeTime?: Date;
  subscribeScene?: string;
  qrScene?: number;
  qrSceneStr?: string;
  language?: string;
  remark?: string;
  tagIds?: number[];
  unionId?: string;
  groupId?: number;
  country?: string;
  province?: string;
  city?: string;
}

export interface FollowersRepository {
  transaction<T>(work: (repository: FollowersRepository, tx: unknown) => Promise<T>): Promise<T>;
  find(accountId: string, openId: string): Promise<FollowerRow | null>;
  findMany(accountId: string, openIds: string[]): Promise<FollowerRow[]>;
  /** Newest follow first; `after` is the last row of the previous page. */
  list(filter: FollowerFilter, after: { subscribeTime: Date; openId: string } | null, limit: number): Promise<FollowerRow[]>;
  count(filter: FollowerFilter): Promise<number>;
  /**
   * The exact count while it is at most `cap`; above it, the planner's estimate
   * (never below cap + 1), so a broad filter over a million rows costs a short
   * index walk instead of a full count.
   */
  countUpTo(filter: FollowerFilter, cap: number): Promise<{ count: number; exact: boolean }>;
  /** Writes what user/info answered; followers who left are marked so, keeping what was known. */
  upsertInfos(accountId: string, infos: FollowerInfo[], seenAt: Date): Promise<void>;
  /** A follow callback: the row exists at once, user/info fills the rest later. */
  markSubscribed(accountId: string, openId: string, at: Date, scene: { qrScene?: number; qrSceneStr?: string } | null): Promise<void>;
  markUnsubscribed(accountId: string, openId: string, at: Date): Promise<boolean>;
  touchInteraction(accountId: string, openId: string, at: Date): Promise<void>;
  /** After a full sync: current followers the sync did not see have left. Returns how many. */
  unsubscribeUnseen(accountId: string, seenBefore: Date, at: Date): Promise<number>;
  updateRemark(accountId: string, openId: string, remark: string, at: Date): Promise<void>;
  addTag(accountId: string, openIds: string[], tagId: number, at: Date): Promise<void>;
  removeTag(accountId: string, openIds: string[], tagId: number, at: Date): Promise<void>;
  /** A deleted tag leaves every follower. */
  dropTag(accountId: string, tagId: number, at: Date): Promise<void>;
  /** Makes the tag's members exactly `openIds` among the followers Qiao holds (WeChat's list of the tag). */
  setTagMembers(accountId: string, tagId: number, openIds: string[], at: Date): Promise<void>;
  /**
   * After a full sync rewrote many rows: VACUUM marks pages all-visible, so remark search reads its
   * index alone (no row fetch per remarked follower), and ANALYZE refreshes what the planner and the
   * count estimate know. PostgreSQL's autovacuum would get there later; the embedded database has none.
   */
  tidyAfterSync(): Promise<void>;
  /** Names of the account's tags by id. */
  tagNames(accountId: string): Promise<Map<number, string>>;
  /** Current followers per tag id. */
  tagCounts(accountId: string): Promise<Map<number, number>>;
  countAudience(accountId: string, audience: AudienceFilter): Promise<number>;
  /** In OpenID order after `afterOpenId` (the primary key serves it). */
  listAudienceOpenIds(accountId: string, audience: AudienceFilter, afterOpenId: string | null, limit: number): Promise<string[]>;
}

/** OpenIDs per statement when tagging in bulk (one bind parameter each). */
const TAG_MEMBERS_CHUNK = 5000;

const intArray = (ids: number[]) => sql`array[${sql.join(
  ids.map((id) => sql`${id}`),
  sql`, `,
)}]::integer[]`;

/** A LIKE pattern for "begins with", with LIKE's own characters escaped (OpenIDs contain `_`). */
function prefixPattern(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Remark contains `words`, ignoring case. strpos compares bytes, about six times cheaper than ILIKE
 * per remark on the embedded database; only words with cased letters need the remark lower-cased.
 */
function remarkContains(words: string): SQL {
  const f = oaFollowers;
  const caseless = words.toLowerCase() === words.toUpperCase();
  return caseless ? sql`strpos(${f.remark}, ${words}) > 0` : sql`strpos(lower(${f.remark}), ${words.toLowerCase()}) > 0`;
}

/** What every branch of the filter shares: the conditions one index can serve together. */
function commonConditions(filter: FollowerFilter): SQL[] {
  const f = oaFollowers;
  return [
    eq(f.accountId, filter.accountId),
    filter.subscribed === undefined ? undefined : eq(f.subscribed, filter.subscribed),
    filter.tagIds?.length ? sql`${f.tagIds} @> ${intArray(filter.tagIds)}` : undefined,
    filter.subscribedFrom ? gte(f.subscribeTime, filter.subscribedFrom) : undefined,
    filter.subscribedTo ? lte(f.subscribeTime, filter.subscribedTo) : undefined,
    filter.scene ? eq(f.subscribeScene, filter.scene) : undefined,
    filter.language ? eq(f.language, filter.language) : undefined,
  ].filter((c): c is SQL => c !== undefined);
}

/**
 * The filter's OR parts (region: country, province or city; q: OpenID prefix
 * or remark words) as separate branches, each of which one index serves in
 * list order: an OR inside one WHERE leaves the planner a bitmap of every
 * match to sort, or a walk of the whole time index for a region that only
 * older followers carry (seconds at a million rows).
 */
function branches(filter: FollowerFilter): SQL[][] {
  const f = oaFollowers;
  const q = filter.q?.trim();
  let result: SQL[][] = [[]];
  const fork = (alternatives: SQL[]) => {
    result = result.flatMap((branch) => alternatives.map((alternative) => [...branch, alternative]));
  };
  if (filter.region) fork([eq(f.country, filter.region), eq(f.province, filter.region), eq(f.city, filter.region)]);
  if (q) {
    fork([
      // LIKE with a literal prefix becomes a range on the text_pattern_ops index, whatever the collation.
      sql`${f.openId} like ${prefixPattern(q)}`,
      and(sql`${f.remark} <> ''`, remarkContains(q)) as SQL,
    ]);
  }
  return result;
}

function conditions(filter: FollowerFilter): SQL | undefined {
  const alternatives = branches(filter).map((branch) => and(...branch));
  return and(...commonConditions(filter), alternatives.length > 1 ? or(...alternatives) : alternatives[0]);
}

function audienceConditions(accountId: string, audience: AudienceFilter): SQL | undefined {
  const f = oaFollowers;
  const byTag = audience.tagIds?.length ? sql`${f.tagIds} && ${intArray(audience.tagIds)}` : undefined;
  const byOpenId = audience.openIds ? inArray(f.openId, audience.openIds.length ? audience.openIds : ['']) : undefined;
  return and(eq(f.accountId, accountId), eq(f.subscribed, true), byTag, byOpenId);
}

function valuesOf(accountId: string, info: FollowerInfo, seenAt: Date): NewFollowerRow {
  return {
    accountId,
    openId: info.openId,
    subscribed: true,
    subscribeTime: info.subscribeTime ?? seenAt,
    unsubscribeTime: null,
    subscribeScene: info.subscribeScene ?? null,
    qrScene: info.qrScene ?? null,
    qrSceneStr: info.qrSceneStr ?? null,
    language: info.language ?? null,
    remark: info.remark ?? '',
    tagIds: info.tagIds ?? [],
    unionId: info.unionId ?? null,
    groupId: info.groupId ?? null,
    country: info.country || null,
    province: info.province || null,
    city: info.city || null,
    seenAt,
    updatedAt: seenAt,
  };
}

const excluded = (column: string) => sql.raw(`excluded.${column}`);

export function createFollowersRepository(db: Db): FollowersRepository {
  const f = oaFollowers;
  const key = (accountId: string, openId: string) => and(eq(f.accountId, accountId), eq(f.openId, openId));
  const some = (accountId: string, openIds: string[]) => and(eq(f.accountId, accountId), inArray(f.openId, openIds));
  // Every message and event of a follower moves its last interaction: one statement per push under load.
  // Touches of the same moment go in one statement (group commit), each follower's latest time once. A batch
  // that fails (say, a deadlock with another instance's batch) is retried one touch at a time, so that
  // each caller gets its own outcome.
  const touch = createWriteBatcher(
    async (touches: { accountId: string; openId: string; at: Date }[]) => {
      const records = touches.map((t) => ({ account_id: t.accountId, open_id: t.openId, at: t.at.toISOString() }));
      await db.execute(sql`
        update ${f} as f set last_interaction_at = v.at
        from (select account_id, open_id, max(at) as at
              from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(account_id uuid, open_id text, at timestamptz)
              group by account_id, open_id) as v
        where f.account_id = v.account_id and f.open_id = v.open_id`);
      return touches.map(() => undefined);
    },
    500,
    { retrySingly: true },
  );

  return {
    transaction(work) {
      return db.transaction((tx) => work(createFollowersRepository(tx as unknown as Db), tx));
    },
    async find(accountId, openId) {
      const [row] = await db.select().from(f).where(key(accountId, openId)).limit(1);
      return row ?? null;
    },
    async findMany(accountId, openIds) {
      if (openIds.length === 0) return [];
      return db.select().from(f).where(some(accountId, openIds));
    },
    async list(filter, after, limit) {
      const page = after ? sql`(${f.subscribeTime}, ${f.openId}) < (${after.subscribeTime.toISOString()}::timestamptz, ${after.openId})` : undefined;
      const order = [sql`${f.subscribeTime} desc nulls last`, sql`${f.openId} desc nulls last`];
      const common = commonConditions(filter);
      const parts = branches(filter);
      if (parts.length === 1) {
        return db
          .select()
          .from(f)
          .where(and(...common, ...parts[0]!, page))
          .orderBy(...order)
          .limit(limit);
      }
      // Each branch takes its own first `limit` keys in list order (an index walk that stops early,
      // reading only indexed columns), then the union's first `limit` rows are read whole.
      const arms = parts.map(
        (branch) =>
          sql`(${db
            .select({ openId: f.openId })
            .from(f)
            .where(and(...common, ...branch, page))
            .orderBy(...order)
            .limit(limit)})`,
      );
      return db
        .select()
        .from(f)
        .where(and(eq(f.accountId, filter.accountId), sql`${f.openId} in (${sql.join(arms, sql` union `)})`))
        .orderBy(...order)
        .limit(limit);
    },
    async count(filter) {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(f).where(conditions(filter));
      return Number(row?.n ?? 0);
    },
    async countUpTo(filter, cap) {
      // The OpenIDs matching any branch; a union keeps each branch on its own index.
      const common = commonConditions(filter);
      const matching = sql.join(
        branches(filter).map((branch) => sql`(${db.select({ openId: f.openId }).from(f).where(and(...common, ...branch))})`),
        sql` union `,
      );
      const counted = await db.execute<{ n: number }>(sql`select count(*)::int as n from (${matching} limit ${cap + 1}) as capped`);
      const count = Number(counted.rows[0]?.n ?? 0);
      if (count <= cap) return { count, exact: true };
      // Past the cap, the planner's row estimate (from ANALYZE statistics) stands in for a full count.
      const plan = await db.execute<{ 'QUERY PLAN': unknown }>(sql`explain (format json) ${matching}`);
      const raw = plan.rows[0]?.['QUERY PLAN'];
      const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan?: { 'Plan Rows'?: number } }[] | undefined;
      const estimated = Number(parsed?.[0]?.Plan?.['Plan Rows'] ?? 0);
      return { count: Math.max(cap + 1, Math.round(estimated)), exact: false };
    },
    async upsertInfos(accountId, infos, seenAt) {
      const current = infos.filter((i) => i.subscribed);
      const gone = infos.filter((i) => !i.subscribed).map((i) => i.openId);
      if (current.length > 0) {
        await db
          .insert(f)
          .values(current.map((info) => valuesOf(accountId, info, seenAt)))
          .onConflictDoUpdate({
            target: [f.accountId, f.openId],
            set: {
              subscribed: true,
              subscribeTime: excluded('subscribe_time'),
              unsubscribeTime: null,
              subscribeScene: excluded('subscribe_scene'),
              qrScene: excluded('qr_scene'),
              qrSceneStr: excluded('qr_scene_str'),
              language: excluded('language'),
              remark: excluded('remark'),
              tagIds: excluded('tag_ids'),
              unionId: excluded('union_id'),
              groupId: excluded('group_id'),
              country: sql`coalesce(excluded.country, ${f.country})`,
              province: sql`coalesce(excluded.province, ${f.province})`,
              city: sql`coalesce(excluded.city, ${f.city})`,
              seenAt: excluded('seen_at'),
              updatedAt: excluded('updated_at'),
            },
          });
      }
      if (gone.length > 0) {
        await db
          .update(f)
          .set({ subscribed: false, unsubscribeTime: sql`coalesce(${f.unsubscribeTime}, ${seenAt.toISOString()}::timestamptz)`, updatedAt: seenAt })
          .where(and(some(accountId, gone), eq(f.subscribed, true)));
      }
    },
    async markSubscribed(accountId, openId, at, scene) {
      const values: NewFollowerRow = {
        accountId,
        openId,
        subscribed: true,
        subscribeTime: at,
        subscribeScene: scene ? 'ADD_SCENE_QR_CODE' : null,
        qrScene: scene?.qrScene ?? null,
        qrSceneStr: scene?.qrSceneStr ?? null,
        lastInteractionAt: at,
        seenAt: at,
        updatedAt: at,
      };
      await db
        .insert(f)
        .values(values)
        .onConflictDoUpdate({
          target: [f.accountId, f.openId],
          set: {
            subscribed: true,
            subscribeTime: at,
            unsubscribeTime: null,
            ...(scene ? { subscribeScene: 'ADD_SCENE_QR_CODE', qrScene: scene.qrScene ?? null, qrSceneStr: scene.qrSceneStr ?? null } : {}),
            lastInteractionAt: at,
            seenAt: at,
            updatedAt: at,
          },
        });
    },
    async markUnsubscribed(accountId, openId, at) {
      const rows = await db
        .update(f)
        .set({ subscribed: false, unsubscribeTime: at, updatedAt: at, seenAt: at })
        .where(key(accountId, openId))
        .returning({ openId: f.openId });
      return rows.length > 0;
    },
    async touchInteraction(accountId, openId, at) {
      await touch({ accountId, openId, at });
    },
    async unsubscribeUnseen(accountId, seenBefore, at) {
      const rows = await db
        .update(f)
        .set({ subscribed: false, unsubscribeTime: at, updatedAt: at })
        .where(and(eq(f.accountId, accountId), eq(f.subscribed, true), lt(f.seenAt, seenBefore)))
        .returning({ openId: f.openId });
      return rows.length;
    },
    async updateRemark(accountId, openId, remark, at) {
      await db.update(f).set({ remark, updatedAt: at }).where(key(accountId, openId));
    },
    async addTag(accountId, openIds, tagId, at) {
      if (openIds.length === 0) return;
      await db
        .update(f)
        .set({ tagIds: sql`array_append(${f.tagIds}, ${tagId}::integer)`, updatedAt: at })
        .where(and(some(accountId, openIds), sql`not (${f.tagIds} @> array[${tagId}::integer])`));
    },
    async removeTag(accountId, openIds, tagId, at) {
      if (openIds.length === 0) return;
      await db
        .update(f)
        .set({ tagIds: sql`array_remove(${f.tagIds}, ${tagId}::integer)`, updatedAt: at })
        .where(and(some(accountId, openIds), sql`${f.tagIds} @> array[${tagId}::integer]`));
    },
    async dropTag(accountId, tagId, at) {
      await db
        .update(f)
        .set({ tagIds: sql`array_remove(${f.tagIds}, ${tagId}::integer)`, updatedAt: at })
        .where(and(eq(f.accountId, accountId), sql`${f.tagIds} @> array[${tagId}::integer]`));
    },
    async setTagMembers(accountId, tagId, openIds, at) {
      await db.transaction(async (tx) => {
        const repo = createFollowersRepository(tx as unknown as Db);
        const wanted = new Set(openIds);
        const holding = await tx.select({ openId: f.openId }).from(f).where(and(eq(f.accountId, accountId), sql`${f.tagIds} @> array[${tagId}::integer]`));
        const leaving = holding.map((r) => r.openId).filter((openId) => !wanted.has(openId));
        for (let i = 0; i < leaving.length; i += TAG_MEMBERS_CHUNK) await repo.removeTag(accountId, leaving.slice(i, i + TAG_MEMBERS_CHUNK), tagId, at);
        for (let i = 0; i < openIds.length; i += TAG_MEMBERS_CHUNK) await repo.addTag(accountId, openIds.slice(i, i + TAG_MEMBERS_CHUNK), tagId, at);
      });
    },
    async tidyAfterSync() {
      await db.execute(sql`vacuum (analyze) oa_followers`);
    },
    async tagNames(accountId) {
      const rows = await db.select({ id: oaTags.tagId, name: oaTags.name }).from(oaTags).where(eq(oaTags.accountId, accountId));
      return new Map(rows.map((r) => [r.id, r.name]));
    },
    async tagCounts(accountId) {
      const result = await db.execute<{ tagId: number; n: number }>(sql`
        select t.tag_id as "tagId", count(*)::int as n
        from ${f}, unnest(${f.tagIds}) as t(tag_id)
        where ${f.accountId} = ${accountId} and ${f.subscribed} and ${f.tagIds} <> '{}'::integer[]
        group by t.tag_id`);
      return new Map(result.rows.map((r) => [Number(r.tagId), Number(r.n)]));
    },
    async countAudience(accountId, audience) {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(f).where(audienceConditions(accountId, audience));
      return Number(row?.n ?? 0);
    },
    async listAudienceOpenIds(accountId, audience, afterOpenId, limit) {
      const rows = await db
        .select({ openId: f.openId })
        .from(f)
        .where(and(audienceConditions(accountId, audience), afterOpenId === null ? undefined : gt(f.openId, afterOpenId)))
        .orderBy(asc(f.openId))
        .limit(limit);
      return rows.map((r) => r.openId);
    },
  };
}

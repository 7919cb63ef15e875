import { and, asc, count, desc, eq, getTableColumns, gte, inArray, lt, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../platform/db/client';
import { wecomDepartments } from '../departments';
import { wecomMemberDepartments, wecomMembers } from '../members';
import { withoutParallelWorkers } from '../../../platform/db/parallel-workers';
import {
  wecomCustomerEvents,
  wecomCustomerExports,
  wecomCustomerFollows,
  wecomCustomerKeys,
  wecomCustomers,
  type CustomerConsent,
  type CustomerKeyKind,
  type FollowStatus,
} from './customers.tables';

// The search grams are the index's business: rows are read without them.
const { searchGrams: _searchGrams, ...customerColumns } = getTableColumns(wecomCustomers);
export type CustomerRow = Omit<typeof wecomCustomers.$inferSelect, 'searchGrams'>;
export type FollowRow = typeof wecomCustomerFollows.$inferSelect;
export type EventRow = typeof wecomCustomerEvents.$inferSelect;
export type FollowWithMember = FollowRow & { memberName: string | null };

/** Whose customers a caller reaches, in SQL terms. */
export type CustomerReach = { kind: 'all' } | { kind: 'members'; useridKeys: string[] } | { kind: 'departments'; departmentIds: number[] };

export interface CustomerFilter {
  accountId: string;
  reach: CustomerReach;
  status: 'active' | 'lost' | 'all';
  /** lower(userid) of the member filter. */
  useridKey?: string;
  /** The department filter's subtree. */
  departmentIds?: number[];
  tagId?: string;
  source?: string;
  addedFrom?: Date;
  addedTo?: Date;
  q?: string;
}

/** The customer as WeCom describes it (external_contact). */
export interface CustomerProfile {
  externalUserid: string;
  name: string;
  type: number;
  avatar: string | null;
  gender: number;
  corpName: string | null;
  corpFullName: string | null;
  position: string | null;
  unionid: string | null;
}

/** One member's follow as WeCom describes it (follow_user / follow_info). */
export interface FollowValues {
  userid: string;
  remark: string;
  description: string;
  remarkCorpName: string;
  remarkMobiles: string[];
  tagIds: string[];
  addWay: number;
  state: string | null;
  operUserid: string | null;
  addedAt: Date;
}

export interface NewEvent {
  accountId: string;
  externalUserid: string;
  userid: string | null;
  kind: string;
  detail: Record<string, unknown>;
  dedupeKey: string | null;
  actorUserId: string | null;
  occurredAt: Date;
}

/** External userids by account. */
function byAccount(rows: readonly { accountId: string; externalUserid: string }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const row of rows) {
    const ids = out.get(row.accountId);
    if (ids) ids.push(row.externalUserid);
    else out.set(row.accountId, [row.externalUserid]);
  }
  return out;
}

/** LIKE's pattern for text that contains `words` anywhere; lower-cased by the database (`lower(…)`) as the columns are. */
function likeContaining(words: string): SQL {
  return sql`lower(${`%${words.replace(/[\\%_]/g, (c) => `\\${c}`)}%`})`;
}

/** The customer's name or one of its remarks contains `q` (tested on the row itself). */
function nameOrRemarkContains(q: string): SQL {
  const c = wecomCustomers;
  const pattern = likeContaining(q);
  return sql`(lower(${c.name}) like ${pattern} or lower(${c.remarks}) like ${pattern})`;
}

const textArray = (values: readonly string[]) =>
  values.length === 0
    ? sql`'{}'::text[]`
    : sql`array[${sql.join(
        values.map((v) => sql`${v}`),
        sql`, `,
      )}]::text[]`;

const intArray = (values: readonly number[]) =>
  values.length === 0
    ? sql`'{}'::integer[]`
    : sql`array[${sql.join(
        values.map((v) => sql`${v}`),
        sql`, `,
      )}]::integer[]`;

/** lower(userid) of the members placed in these departments: the overview's department filter and reach (on the follows). */
function membersOf(accountId: string, departmentIds: readonly number[]): SQL {
  const md = wecomMemberDepartments;
  return sql`array(select lower(${md.userid}) from ${md} where ${md.accountId} = ${accountId} and ${md.departmentId} = any(${intArray(departmentIds)}))`;
}

/**
 * The departments of the members of every follow of the customer row being
 * written (current or ended, as `userid_keys`): what `department_ids` holds.
 * Follows name members ignoring case, hence the way through wecom_members'
 * lower(userid) index.
 */
function followerDepartments(): SQL {
  const c = wecomCustomers;
  const f = wecomCustomerFollows;
  const m = wecomMembers;
  const md = wecomMemberDepartments;
  return sql`coalesce((select array_agg(distinct ${md.departmentId} order by ${md.departmentId}) from ${f}
    join ${m} on ${m.accountId} = ${f.accountId} and lower(${m.userid}) = lower(${f.userid})
    join ${md} on ${md.accountId} = ${m.accountId} and ${md.userid} = ${m.userid}
    where ${f.accountId} = ${c.accountId} and ${f.externalUserid} = ${c.externalUserid}), '{}'::integer[])`;
}

/** What `remarks` holds for the customer row being written: its follows' remarks (current or ended), one per line. */
function remarksOfFollows(): SQL {
  const c = wecomCustomers;
  const f = wecomCustomerFollows;
  return sql`coalesce((select string_agg(${f.remark}, chr(10) order by ${f.addedAt}, ${f.userid}) from ${f}
    where ${f.accountId} = ${c.accountId} and ${f.externalUserid} = ${c.externalUserid} and ${f.remark} <> ''), '')`;
}

/** Above this many matches the list's total is given as "more than" (`totalCapped`): counting every row of a broad filter reads them all. */
export const TOTAL_CAP = 10_000;

/**
 * Up to this many customers whose name or a remark contains `q` are
 * looked up one by one and sorted; more than that, the list walks the
 * newest-first index and tests each row instead (the matches are then
 * dense enough to fill a page soon). At 1,000,000 customers one lookup costs
 * about what walking three rows does, so the two meet near here.
 */
export const Q_LOOKUP_LIMIT = 4_000;

/**
 * External userids whose name or a member's remark contains `q`, and `q` itself (an exact external userid):
 * the GIN index of the grams narrows the rows to those holding every pair of characters of `q` (migration
 * 0027), and LIKE keeps those that hold `q` itself.
 */
function searchMatches(accountId: string, q: string): SQL {
  const pattern = likeContaining(q);
  // Its own alias: inside the list's `external_userid in (…)` the outer row is wecom_customers too.
  return sql`select named.external_userid from ${wecomCustomers} as named
    where named.account_id = ${accountId} and named.search_grams @> qiao_query_grams(${q})
      and (lower(named.name) like ${pattern} or lower(named.remarks) like ${pattern})
    union all select ${q}::text`;
}

/**
 * Departments whose customers make up at least this share of the table are
 * tested on each row rather than read from the GIN index: building the
 * bitmap of a region's ~150,000 customers costs more than the whole query
 * otherwise (a dept_admin's member or rare-tag filter: 190 → 50 ms).
 */
const BROAD_DEPARTMENTS_SHARE = 0.05;

/** How `q` is matched: by the rows it names (few matches) or by testing each row of the walk (many). */
type SearchWay = 'lookup' | 'walk';

/** A tag, source or member key on fewer than this share of customers is rare: its GIN matches are few enough to fetch and sort. */
const RARE_KEY_SHARE = 0.01;

interface ListPlan {
  search: SearchWay;
  /**
   * Fetch the matches and sort them rather than walk the newest-first index:
   * with a broad department condition and a rare key, the walk tests tens of
   * thousands of rows per page (dept_admin + rare tag: 87,000 rows, 265 ms),
   * while the rare key's GIN matches are a few thousand.
   */
  sortMatches: boolean;
  /** The reach's and the filter's department sets that are too broad for the index. */
  broadReach: boolean;
  broadFilter: boolean;
  /**
   * Walk this source's or tag's rows of `wecom_customer_keys` newest first
   * and read each customer by its key: nothing else narrows the list
   * (no member, no small department set, no search by name), so the key's
   * own rows in order fill a page soonest.
   */
  walkKey: { kind: CustomerKeyKind; key: string } | null;
}

const walkPlan: ListPlan = { search: 'walk', sortMatches: false, broadReach: false, broadFilter: false, walkKey: null };

/** `department_ids && ids`; when broad, written so that no index answers it (the planner then walks or uses another filter's index). */
function inDepartments(departmentIds: readonly number[], broad: boolean): SQL {
  const c = wecomCustomers;
  return broad ? sql`(${c.departmentIds} || '{}'::integer[]) && ${intArray(departmentIds)}` : sql`${c.departmentIds} && ${intArray(departmentIds)}`;
}

function conditions(filter: CustomerFilter, plan: ListPlan = walkPlan): SQL | undefined {
  const c = wecomCustomers;
  const q = filter.q?.trim();
  const way = plan.search;
  const reach =
    filter.reach.kind === 'all'
      ? undefined
      : filter.reach.kind === 'members'
        ? sql`${c.useridKeys} && ${textArray(filter.reach.useridKeys)}`
        : inDepartments(filter.reach.departmentIds, plan.broadReach);
  return and(
    eq(c.accountId, filter.accountId),
    filter.status === 'all' ? undefined : eq(c.status, filter.status),
    reach,
    filter.useridKey ? sql`${c.useridKeys} @> ${textArray([filter.useridKey])}` : undefined,
    filter.departmentIds ? inDepartments(filter.departmentIds, plan.broadFilter) : undefined,
    // The walked key's own condition is the join with its rows; repeated here, it would invite its GIN index instead.
    filter.tagId && plan.walkKey?.kind !== 'tag' ? sql`${c.tagIds} @> ${textArray([filter.tagId])}` : undefined,
    filter.source && plan.walkKey?.kind !== 'source' ? sql`${c.states} @> ${textArray([filter.source])}` : undefined,
    filter.addedFrom ? gte(c.firstAddedAt, filter.addedFrom) : undefined,
    filter.addedTo ? lte(c.firstAddedAt, filter.addedTo) : undefined,
    q && way === 'lookup'
      ? sql`${c.externalUserid} in (${searchMatches(filter.accountId, q)})`
      : q
      ? // Walked rows are tested as they come: the grams would only add a second test.
        or(nameOrRemarkContains(q), eq(c.externalUserid, q))
      : undefined,
  );
}

/** Whose follows the overview counts, over which window. */
export interface OverviewScope {
  accountId: string;
  reach: CustomerReach;
  /** The department filter's subtree. */
  departmentIds?: number[];
  from: Date;
  to: Date;
}

export interface MemberOverviewRow {
  userid: string;
  added: number;
  lost: number;
  lostByMember: number;
  lostByCustomer: number;
  active: number;
}

/** The caller's reach and the department filter, on the follows' own userid. */
function overviewConditions(scope: OverviewScope): SQL | undefined {
  const f = wecomCustomerFollows;
  const reach =
    scope.reach.kind === 'all'
      ? undefined
      : scope.reach.kind === 'members'
        ? sql`lower(${f.userid}) = any(${textArray(scope.reach.useridKeys)})`
        : sql`lower(${f.userid}) = any(${membersOf(scope.accountId, scope.reach.departmentIds)})`;
  return and(eq(f.accountId, scope.accountId), reach, scope.departmentIds ? sql`lower(${f.userid}) = any(${membersOf(scope.accountId, scope.departmentIds)})` : undefined);
}

/** The thresholds of the list's plan; tests set them to reach each way with a few rows. */
export interface CustomersRepositoryOptions {
  /** Q_LOOKUP_LIMIT unless given. */
  searchLookupLimit?: number;
  /** BROAD_DEPARTMENTS_SHARE unless given. */
  broadDepartmentsShare?: number;
  /** RARE_KEY_SHARE unless given. */
  rareKeyShare?: number;
}

/** `serial`: already inside withoutParallelWorkers. */
function buildQueries(db: Db, options: CustomersRepositoryOptions, serial = false) {
  const lookupLimit = options.searchLookupLimit ?? Q_LOOKUP_LIMIT;
  const broadShare = options.broadDepartmentsShare ?? BROAD_DEPARTMENTS_SHARE;
  const rareShare = options.rareKeyShare ?? RARE_KEY_SHARE;
  const c = wecomCustomers;
  const f = wecomCustomerFollows;
  const e = wecomCustomerEvents;
  const customerKey = (accountId: string, externalUserid: string) => and(eq(c.accountId, accountId), eq(c.externalUserid, externalUserid));
  const followKey = (accountId: string, externalUserid: string, userid: string) =>
    and(eq(f.accountId, accountId), eq(f.externalUserid, externalUserid), sql`lower(${f.userid}) = lower(${userid})`);

  async function followsWithMembers(accountId: string, externalUserids: string[]): Promise<FollowWithMember[]> {
    if (externalUserids.length === 0) return [];
    const m = wecomMembers;
    const rows = await db
      .select({ follow: f, memberName: m.name })
      .from(f)
      .leftJoin(m, and(eq(m.accountId, f.accountId), sql`lower(${m.userid}) = lower(${f.userid})`))
      .where(and(eq(f.accountId, accountId), inArray(f.externalUserid, externalUserids)))
      .orderBy(asc(f.externalUserid), sql`${f.status} <> 'active'`, asc(f.addedAt), asc(f.userid));
    return rows.map((r) => ({ ...r.follow, memberName: r.memberName ?? null }));
  }

  /**
   * The planner cannot tell how many rows a search names through the OR of
   * name, remark and id, so it is counted first (up to the limit): a
   * two-character name among a million customers is a few thousand lookups,
   * while walking the index for it, or for a text nobody has, reads most of it.
   */
  async function searchWay(filter: CustomerFilter): Promise<SearchWay> {
    const q = filter.q?.trim();
    if (!q) return 'walk';
    const found = await db.execute<{ n: number }>(sql`select count(*)::int as n from (${searchMatches(filter.accountId, q)} limit ${lookupLimit + 1}) as found`);
    return Number(found.rows[0]?.n ?? 0) <= lookupLimit ? 'lookup' : 'walk';
  }

  /**
   * The share of customer rows in these departments, from the planner's own
   * statistics on `department_ids` (its most common elements; 0 before the
   * table was analysed, when it is small anyway). A customer followed in two
   * of them counts twice, which only errs towards "broad".
   */
  async function departmentsShare(departmentIds: readonly number[]): Promise<number> {
    if (departmentIds.length === 0) return 0;
    const found = await db.execute<{ share: number }>(sql`select coalesce(sum(e.freq), 0)::float8 as share
      from pg_stats s, unnest(s.most_common_elems::text::integer[], s.most_common_elem_freqs) as e(id, freq)
      where s.schemaname = current_schema() and s.tablename = 'wecom_customers' and s.attname = 'department_ids' and e.id = any(${intArray(departmentIds)})`);
    return Number(found.rows[0]?.share ?? 0);
  }

  /**
   * At most the share of customer rows holding `value` in this array
   * column, from the planner's statistics: its own frequency when among the
   * most common elements, else below the least common of them. Null
   * without statistics.
   */
  async function keyShare(column: 'tag_ids' | 'states' | 'userid_keys', value: string): Promise<number | null> {
    const found = await db.execute<{ elems: string[] | null; freqs: number[] | null }>(sql`select s.most_common_elems::text::text[] as elems, s.most_common_elem_freqs as freqs
      from pg_stats s where s.schemaname = current_schema() and s.tablename = 'wecom_customers' and s.attname = ${column}`);
    const row = found.rows[0];
    if (!row?.elems || !row.freqs || row.elems.length === 0) return null;
    const at = row.elems.indexOf(value);
    return at >= 0 ? Number(row.freqs[at]) : Math.min(...row.freqs.slice(0, row.elems.length).map(Number));
  }

  /** The source or tag to walk (the rarer of the two when both are given), or null when something narrower leads. */
  async function keyToWalk(filter: CustomerFilter, narrowReach: boolean, narrowFilter: boolean, search: SearchWay): Promise<ListPlan['walkKey']> {
    if (filter.reach.kind === 'members' || filter.useridKey !== undefined || narrowReach || narrowFilter || search === 'lookup') return null;
    const { source, tagId } = filter;
    if (source !== undefined && tagId !== undefined) {
      const [sourceShare, tagShare] = [await keyShare('states', source), await keyShare('tag_ids', tagId)];
      return tagShare !== null && (sourceShare === null || tagShare < sourceShare) ? { kind: 'tag', key: tagId } : { kind: 'source', key: source };
    }
    if (source !== undefined) return { kind: 'source', key: source };
    if (tagId !== undefined) return { kind: 'tag', key: tagId };
    return null;
  }

  async function planFor(filter: CustomerFilter): Promise<ListPlan> {
    const reachIds = filter.reach.kind === 'departments' ? filter.reach.departmentIds : [];
    const filterIds = filter.departmentIds ?? [];
    const broadReach = reachIds.length > 0 && (await departmentsShare(reachIds)) >= broadShare;
    const broadFilter = filterIds.length > 0 && (await departmentsShare(filterIds)) >= broadShare;
    const search = await searchWay(filter);
    const walkKey = await keyToWalk(filter, reachIds.length > 0 && !broadReach, filterIds.length > 0 && !broadFilter, search);
    if (walkKey) return { search, sortMatches: false, broadReach, broadFilter, walkKey };
    let sortMatches = false;
    if (broadReach || broadFilter) {
      const keys: ['tag_ids' | 'states' | 'userid_keys', string | undefined][] = [
        ['tag_ids', filter.tagId],
        ['states', filter.source],
        ['userid_keys', filter.useridKey],
      ];
      for (const [column, value] of keys) {
        const share = value === undefined ? null : await keyShare(column, value);
        if (share !== null && share < rareShare) sortMatches = true;
      }
    }
    return { search, sortMatches, broadReach, broadFilter, walkKey: null };
  }

  /** The list through one key's rows, in the order of their primary key read backwards. */
  function listByKey(filter: CustomerFilter, plan: ListPlan, walkKey: NonNullable<ListPlan['walkKey']>, after: { firstAddedAt: Date; externalUserid: string } | null, limit: number): Promise<CustomerRow[]> {
    const k = wecomCustomerKeys;
    return db
      .select(customerColumns)
      .from(k)
      .innerJoin(c, and(eq(c.accountId, k.accountId), eq(c.externalUserid, k.externalUserid)))
      .where(
        and(
          eq(k.accountId, filter.accountId),
          eq(k.kind, walkKey.kind),
          eq(k.key, walkKey.key),
          filter.addedFrom ? gte(k.firstAddedAt, filter.addedFrom) : undefined,
          filter.addedTo ? lte(k.firstAddedAt, filter.addedTo) : undefined,
          after ? sql`(${k.firstAddedAt}, ${k.externalUserid}) < (${after.firstAddedAt.toISOString()}::timestamptz, ${after.externalUserid})` : undefined,
          conditions(filter, plan),
        ),
      )
      .orderBy(desc(k.firstAddedAt), desc(k.externalUserid))
      .limit(limit);
  }

  const queries = {
    async findCustomer(accountId: string, externalUserid: string): Promise<CustomerRow | null> {
      const [row] = await db.select(customerColumns).from(c).where(customerKey(accountId, externalUserid)).limit(1);
      return row ?? null;
    },

    async findFollow(accountId: string, externalUserid: string, userid: string): Promise<FollowRow | null> {
      const [row] = await db.select().from(f).where(followKey(accountId, externalUserid, userid)).limit(1);
      return row ?? null;
    },

    followsOf: followsWithMembers,

    /** Newest first by first-added time; `after` is the last row of the previous page. */
    async list(filter: CustomerFilter, after: { firstAddedAt: Date; externalUserid: string } | null, limit: number): Promise<CustomerRow[]> {
      // A search's matches are a few thousand index entries at most: parallel workers cost more to start than they save.
      if (filter.q?.trim() && !serial) return withoutParallelWorkers(db, (tx) => buildQueries(tx, options, true).list(filter, after, limit));
      const plan = await planFor(filter);
      if (plan.walkKey) return listByKey(filter, plan, plan.walkKey, after, limit);
      // A search walked rather than looked up has more than the lookup limit of matches, so the newest-first
      // index fills a page soon. The planner cannot see that from LIKE '%…%' (it guesses a few in a
      // thousand) and, with a broad department filter too, scanned the whole table: 0.7 s at a million.
      if (serial && plan.search === 'walk') await db.execute(sql`set local enable_seqscan = off`);
      const page = after ? sql`(${c.firstAddedAt}, ${c.externalUserid}) < (${after.firstAddedAt.toISOString()}::timestamptz, ${after.externalUserid})` : undefined;
      return db
        .select(customerColumns)
        .from(c)
        .where(and(conditions(filter, plan), page))
        // NULLS LAST as the index is built (the columns are NOT NULL, so the order is the same): plain DESC means NULLS FIRST and would sort every match.
        // `+ interval '0'` is the same order that no index provides, so the planner takes the rare key's GIN matches and sorts them.
        .orderBy(plan.sortMatches ? sql`${c.firstAddedAt} + interval '0' desc` : sql`${c.firstAddedAt} desc nulls last`, sql`${c.externalUserid} desc nulls last`)
        .limit(limit);
    },

    /** Matches counted up to `cap` + 1: `capped` when there are more than `cap`, and `total` is then `cap`. */
    async count(filter: CustomerFilter, cap: number = TOTAL_CAP): Promise<{ total: number; capped: boolean }> {
      if (filter.q?.trim() && !serial) return withoutParallelWorkers(db, (tx) => buildQueries(tx, options, true).count(filter, cap));
      const matches = db
        .select({ one: sql<number>`1`.as('one') })
        .from(c)
        // Counting reads every match (up to the cap) in any order, so the key walk buys nothing here.
        .where(conditions(filter, { ...(await planFor(filter)), walkKey: null }))
        .limit(cap + 1)
        .as('matches');
      const [row] = await db.select({ n: count() }).from(matches);
      const n = Number(row?.n ?? 0);
      return n > cap ? { total: cap, capped: true } : { total: n, capped: false };
    },

    /** Writes WeCom's description of the customer; a new customer starts at `firstAddedAt`. */
    async upsertProfile(accountId: string, profile: CustomerProfile, firstAddedAt: Date, now: Date): Promise<void> {
      const values = {
        name: profile.name,
        type: profile.type,
        avatar: profile.avatar,
        gender: profile.gender,
        corpName: profile.corpName,
        corpFullName: profile.corpFullName,
        position: profile.position,
        unionid: profile.unionid,
        syncedAt: now,
        updatedAt: now,
      };
      await db
        .insert(c)
        .values({ accountId, externalUserid: profile.externalUserid, ...values, firstAddedAt, createdAt: now })
        .onConflictDoUpdate({ target: [c.accountId, c.externalUserid], set: values });
    },

    /** A customer known only from an event so far (WeCom could not describe it yet). */
    async ensureCustomer(accountId: string, externalUserid: string, firstAddedAt: Date, now: Date): Promise<void> {
      await db.insert(c).values({ accountId, externalUserid, firstAddedAt, createdAt: now, updatedAt: now }).onConflictDoNothing();
    },

    /** Writes a current follow as WeCom described it; `state` keeps what Qiao knew when WeCom leaves it out. */
    async upsertFollow(accountId: string, externalUserid: string, values: FollowValues, now: Date): Promise<void> {
      const set = {
        remark: values.remark,
        description: values.description,
        remarkCorpName: values.remarkCorpName,
        remarkMobiles: values.remarkMobiles,
        tagIds: values.tagIds,
        addWay: values.addWay,
        state: values.state,
        operUserid: values.operUserid,
        addedAt: values.addedAt,
        status: 'active' as const,
        endedAt: null,
        seenAt: now,
        updatedAt: now,
      };
      await db
        .insert(f)
        .values({ accountId, externalUserid, userid: values.userid, ...set })
        .onConflictDoUpdate({ target: [f.accountId, f.externalUserid, f.userid], set: { ...set, state: sql`coalesce(excluded.state, ${f.state})` } });
    },

    /** Ends a current follow; false when there was none to end. */
    async endFollow(accountId: string, externalUserid: string, userid: string, status: Exclude<FollowStatus, 'active'>, endedAt: Date, now: Date): Promise<boolean> {
      const ended = await db
        .update(f)
        .set({ status, endedAt, updatedAt: now })
        .where(and(followKey(accountId, externalUserid, userid), eq(f.status, 'active')))
        .returning({ userid: f.userid });
      return ended.length > 0;
    },

    async setRemark(
      accountId: string,
      externalUserid: string,
      userid: string,
      values: { remark?: string; description?: string; remarkMobiles?: string[] },
      now: Date,
    ): Promise<void> {
      await db
        .update(f)
        .set({ ...values, updatedAt: now })
        .where(followKey(accountId, externalUserid, userid));
      if (values.remark !== undefined) await db.update(c).set({ remarks: remarksOfFollows() }).where(customerKey(accountId, externalUserid));
    },

    async setConsent(accountId: string, externalUserid: string, consent: CustomerConsent | null, now: Date): Promise<void> {
      await db.update(c).set({ consent, updatedAt: now }).where(customerKey(accountId, externalUserid));
    },

    /**
     * Recomputes what the customer row repeats from its follows (the filter
     * arrays, first-added time, active/lost), after any follow write.
     */
    async refreshCustomer(accountId: string, externalUserid: string, now: Date): Promise<void> {
      const mine = sql`${f.accountId} = ${c.accountId} and ${f.externalUserid} = ${c.externalUserid}`;
      const active = sql`exists (select 1 from ${f} where ${mine} and ${f.status} = 'active')`;
      await db
        .update(c)
        .set({
          useridKeys: sql`coalesce((select array_agg(distinct lower(${f.userid})) from ${f} where ${mine}), '{}'::text[])`,
          tagIds: sql`coalesce((select array_agg(distinct t) from ${f} cross join lateral unnest(${f.tagIds}) t where ${mine} and ${f.status} = 'active'), '{}'::text[])`,
          states: sql`coalesce((select array_agg(distinct ${f.state}) from ${f} where ${mine} and ${f.state} is not null), '{}'::text[])`,
          remarks: remarksOfFollows(),
          departmentIds: followerDepartments(),
          firstAddedAt: sql`coalesce((select min(${f.addedAt}) from ${f} where ${mine}), ${c.firstAddedAt})`,
          status: sql`case when ${active} then 'active' else 'lost' end`,
          lostAt: sql`case when ${active} then null else coalesce(${c.lostAt}, (select max(${f.endedAt}) from ${f} where ${mine}), ${now.toISOString()}::timestamptz) end`,
          updatedAt: now,
        })
        .where(customerKey(accountId, externalUserid));
    },

    /**
     * After these members' departments changed (a move, a new placement, the
     * member removed): rewrites `department_ids` of every customer they follow
     * or followed. `updated_at` stays: the customer itself did not change.
     * Answers how many customer rows were rewritten.
     */
    async refreshMemberDepartments(accountId: string, userids: readonly string[]): Promise<number> {
      if (userids.length === 0) return 0;
      const keys = [...new Set(userids.map((u) => u.toLowerCase()))];
      const rows = await db
        .update(c)
        .set({ departmentIds: followerDepartments() })
        .where(and(eq(c.accountId, accountId), sql`${c.useridKeys} && ${textArray(keys)}`))
        .returning({ externalUserid: c.externalUserid });
      return rows.length;
    },

    /** Writes a timeline entry; one whose dedupe key is already there is skipped (false). */
    async insertEvent(event: NewEvent): Promise<boolean> {
      const inserted = await db.insert(e).values(event).onConflictDoNothing().returning({ id: e.id });
      return inserted.length > 0;
    },

    /** Rewrites the detail of the entry with this dedupe key; false when there is none. */
    async reviseEvent(accountId: string, externalUserid: string, dedupeKey: string, detail: Record<string, unknown>): Promise<boolean> {
      const rows = await db
        .update(e)
        .set({ detail })
        .where(and(eq(e.accountId, accountId), eq(e.externalUserid, externalUserid), eq(e.dedupeKey, dedupeKey)))
        .returning({ id: e.id });
      return rows.length > 0;
    },

    async deleteEvent(accountId: string, externalUserid: string, dedupeKey: string): Promise<boolean> {
      const rows = await db
        .delete(e)
        .where(and(eq(e.accountId, accountId), eq(e.externalUserid, externalUserid), eq(e.dedupeKey, dedupeKey)))
        .returning({ id: e.id });
      return rows.length > 0;
    },

    async timeline(accountId: string, externalUserid: string, limit: number): Promise<EventRow[]> {
      return db
        .select()
        .from(e)
        .where(and(eq(e.accountId, accountId), eq(e.externalUserid, externalUserid)))
        .orderBy(desc(e.occurredAt), desc(e.seq))
        .limit(limit);
    },

    /** After a full sync: current follows it did not see have ended. Answers them. */
    async endUnseenFollows(accountId: string, seenBefore: Date, now: Date): Promise<{ externalUserid: string; userid: string }[]> {
      return db
        .update(f)
        .set({ status: 'ended', endedAt: now, updatedAt: now })
        .where(and(eq(f.accountId, accountId), eq(f.status, 'active'), lt(f.seenAt, seenBefore)))
        .returning({ externalUserid: f.externalUserid, userid: f.userid });
    },

    /**
     * Counts the user's exports since `since` and, below `limit`, records a new
     * one; the user's lock makes two exports started together count in turn.
     */
    async reserveExport(input: { accountId: string; userId: string; since: Date; limit: number; now: Date }): Promise<string | null> {
      const x = wecomCustomerExports;
      return db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`wecom-customer-export:${input.userId}`}))`);
        const [row] = await tx.select({ n: count() }).from(x).where(and(eq(x.userId, input.userId), gte(x.createdAt, input.since)));
        if (Number(row?.n ?? 0) >= input.limit) return null;
        const [inserted] = await tx.insert(x).values({ accountId: input.accountId, userId: input.userId, createdAt: input.now }).returning({ id: x.id });
        return inserted!.id;
      });
    },

    async setExportRows(id: string, rows: number): Promise<void> {
      await db.update(wecomCustomerExports).set({ rows }).where(eq(wecomCustomerExports.id, id));
    },

    /**
     * The retention purge's first part: deletes up to `limit` customers no
     * member has followed since before `cutoff`, with their follows and
     * timelines, and answers their external userids by account. A customer
     * re-added meanwhile is active again and stays; one being written right
     * now is left to the next run.
     */
    async purgeLostCustomers(cutoff: Date, limit: number): Promise<Map<string, string[]>> {
      const due = and(eq(c.status, 'lost'), lt(c.lostAt, cutoff));
      const batch = db.select({ accountId: c.accountId, externalUserid: c.externalUserid }).from(c).where(due).orderBy(asc(c.lostAt)).limit(limit).for('update', { skipLocked: true });
      // `due` again on the outer delete: PostgreSQL re-checks it against a row another transaction changed first.
      const doomed = await db
        .delete(c)
        .where(and(due, sql`(${c.accountId}, ${c.externalUserid}) in (${batch})`))
        .returning({ accountId: c.accountId, externalUserid: c.externalUserid });
      const grouped = byAccount(doomed);
      for (const [accountId, externalUserids] of grouped) {
        await db.delete(f).where(and(eq(f.accountId, accountId), inArray(f.externalUserid, externalUserids)));
        await db.delete(e).where(and(eq(e.accountId, accountId), inArray(e.externalUserid, externalUserids)));
      }
      return grouped;
    },

    /**
     * The retention purge's second part: follows that ended before `cutoff`
     * (their customers refreshed), and timeline entries of customers never
     * stored (half-added ones) older than it.
     */
    async purgeEndedFollows(cutoff: Date): Promise<{ follows: number; events: number }> {
      const follows = await db
        .delete(f)
        .where(and(ne(f.status, 'active'), lt(f.endedAt, cutoff)))
        .returning({ accountId: f.accountId, externalUserid: f.externalUserid });
      const touched = new Map(follows.map((row) => [`${row.accountId}\u0000${row.externalUserid}`, row]));
      for (const row of touched.values()) await queries.refreshCustomer(row.accountId, row.externalUserid, cutoff);
      const orphans = await db
        .delete(e)
        .where(and(lt(e.occurredAt, cutoff), sql`not exists (select 1 from ${c} where ${c.accountId} = ${e.accountId} and ${c.externalUserid} = ${e.externalUserid})`))
        .returning({ id: e.id });
      return { follows: follows.length, events: orphans.length };
    },

    /**
     * The overview per member: follows begun in [from, to), ended in it (by
     * how they ended) and current ones, counted on the follows table whose
     * (account, lower(userid), added_at) index serves the member grouping.
     */
    async overviewByMember(scope: OverviewScope): Promise<MemberOverviewRow[]> {
      const inWindow = (column: SQL) => sql`${column} >= ${scope.from.toISOString()}::timestamptz and ${column} < ${scope.to.toISOString()}::timestamptz`;
      const rows = await db
        .select({
          userid: sql<string>`min(${f.userid})`,
          added: sql<number>`(count(*) filter (where ${inWindow(sql`${f.addedAt}`)}))::int`,
          lostByMember: sql<number>`(count(*) filter (where ${f.status} = 'deleted_by_member' and ${inWindow(sql`${f.endedAt}`)}))::int`,
          lostByCustomer: sql<number>`(count(*) filter (where ${f.status} = 'deleted_by_customer' and ${inWindow(sql`${f.endedAt}`)}))::int`,
          lost: sql<number>`(count(*) filter (where ${f.status} <> 'active' and ${inWindow(sql`${f.endedAt}`)}))::int`,
          active: sql<number>`(count(*) filter (where ${f.status} = 'active'))::int`,
        })
        .from(f)
        .where(and(overviewConditions(scope), or(eq(f.status, 'active'), inWindow(sql`${f.addedAt}`), inWindow(sql`${f.endedAt}`))))
        .groupBy(sql`lower(${f.userid})`);
      return rows.map((r) => ({ ...r, added: Number(r.added), lost: Number(r.lost), lostByMember: Number(r.lostByMember), lostByCustomer: Number(r.lostByCustomer), active: Number(r.active) }));
    },

    /** Follows begun and ended in [from, to) per China day (UTC+8, no daylight saving). */
    async overviewByDay(scope: OverviewScope): Promise<{ day: string; added: number; lost: number }[]> {
      const dayOf = (column: SQL) => sql<string>`to_char((${column} at time zone 'UTC') + interval '8 hours', 'YYYY-MM-DD')`;
      const between = (column: SQL) => and(sql`${column} >= ${scope.from.toISOString()}::timestamptz`, sql`${column} < ${scope.to.toISOString()}::timestamptz`);
      const added = await db
        .select({ day: dayOf(sql`${f.addedAt}`), n: sql<number>`count(*)::int` })
        .from(f)
        .where(and(overviewConditions(scope), between(sql`${f.addedAt}`)))
        .groupBy(dayOf(sql`${f.addedAt}`));
      const lost = await db
        .select({ day: dayOf(sql`${f.endedAt}`), n: sql<number>`count(*)::int` })
        .from(f)
        .where(and(overviewConditions(scope), ne(f.status, 'active'), between(sql`${f.endedAt}`)))
        .groupBy(dayOf(sql`${f.endedAt}`));
      const days = new Map<string, { day: string; added: number; lost: number }>();
      for (const r of added) days.set(r.day, { day: r.day, added: Number(r.n), lost: 0 });
      for (const r of lost) days.set(r.day, { day: r.day, added: days.get(r.day)?.added ?? 0, lost: Number(r.n) });
      return [...days.values()];
    },

    /** Directory names and departments of these members (matched ignoring case). */
    async memberProfiles(accountId: string, userids: string[]): Promise<{ userid: string; name: string; departments: { id: number; name: string | null }[] }[]> {
      if (userids.length === 0) return [];
      const m = wecomMembers;
      const md = wecomMemberDepartments;
      const d = wecomDepartments;
      const rows = await db
        .select({ userid: m.userid, name: m.name, departmentId: md.departmentId, departmentName: d.name })
        .from(m)
        .leftJoin(md, and(eq(md.accountId, m.accountId), eq(md.userid, m.userid)))
        .leftJoin(d, and(eq(d.accountId, md.accountId), eq(d.id, md.departmentId)))
        .where(and(eq(m.accountId, accountId), sql`lower(${m.userid}) = any(${textArray(userids.map((u) => u.toLowerCase()))})`))
        .orderBy(asc(m.userid), asc(md.departmentId));
      const byMember = new Map<string, { userid: string; name: string; departments: { id: number; name: string | null }[] }>();
      for (const r of rows) {
        const entry = byMember.get(r.userid) ?? { userid: r.userid, name: r.name, departments: [] };
        if (r.departmentId !== null) entry.departments.push({ id: r.departmentId, name: r.departmentName ?? null });
        byMember.set(r.userid, entry);
      }
      return [...byMember.values()];
    },
  };
  return queries;
}

export interface CustomersRepository extends ReturnType<typeof buildQueries> {
  /** Runs `work` in one transaction; `tx` lets other modules' writes (audit, job progress) commit with it. */
  transaction<T>(work: (repo: CustomersRepository, tx: unknown) => Promise<T>): Promise<T>;
  /** The same queries on another module's open transaction (the `tx` its own `transaction` hands out). */
  within(tx: unknown): CustomersRepository;
}

export function createCustomersRepository(db: Db, options: CustomersRepositoryOptions = {}): CustomersRepository {
  return {
    ...buildQueries(db, options),
    transaction(work) {
      return db.transaction((tx) => work(createCustomersRepository(tx as unknown as Db, options), tx));
    },
    within(tx) {
      return createCustomersRepository(tx as Db, options);
    },
  };
}

import { and, asc, eq, getTableColumns, gt, inArray, isNotNull, isNull, like, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../platform/db/client';
import { wecomDirectorySettings, wecomMemberDepartments, wecomMembers, type memberStatuses } from './members.tables';
import { analyzeIfGrown } from '../../../platform/db/table-statistics';

/** Every column of a member but the derived search text, for the reads that hand rows on. */
export const { searchText: _searchText, ...memberColumns } = getTableColumns(wecomMembers);
export type MemberRow = Omit<typeof wecomMembers.$inferSelect, 'searchText'>;
export type NewMemberRow = typeof wecomMembers.$inferInsert;
export type MemberDepartmentRow = typeof wecomMemberDepartments.$inferSelect;
export type MemberVisibilityValue = (typeof wecomDirectorySettings.$inferSelect)['memberVisibility'];

/** A member with its departments in its own listing order. */
export interface MemberRecord {
  row: MemberRow;
  departments: MemberDepartmentRow[];
}

export interface MemberListFilter {
  accountId: string;
  /** Members in any of these departments; undefined = anywhere. */
  departmentIds?: readonly number[];
  /** Only these userids (case-insensitive). */
  onlyUserids?: readonly string[];
  status?: (typeof memberStatuses)[number];
  q?: string;
  /** Keyset: userids after this one. */
  afterUserid?: string;
  limit: number;
}

export interface MembersRepository {
  transaction<T>(work: (repository: MembersRepository, tx: unknown) => Promise<T>): Promise<T>;
  /** Live or tombstoned members by userid, ignoring case; keyed by lower-cased userid. */
  findMany(accountId: string, userids: readonly string[]): Promise<Map<string, MemberRecord>>;
  list(filter: MemberListFilter): Promise<MemberRecord[]>;
  count(filter: Omit<MemberListFilter, 'afterUserid' | 'limit'>): Promise<number>;
  /** Every member, tombstones included, in userid order, a page at a time. */
  listAllAfter(accountId: string, afterUserid: string | null, limit: number): Promise<MemberRecord[]>;
  /** Live members holding any of these mobiles or emails (emails compared ignoring case). */
  contactOwners(accountId: string, mobiles: readonly string[], emails: readonly string[]): Promise<{ userid: string; mobile: string | null; email: string | null }[]>;
  insertMany(rows: NewMemberRow[]): Promise<void>;
  update(accountId: string, userid: string, changes: Partial<NewMemberRow>): Promise<void>;
  replaceDepartments(accountId: string, userids: readonly string[], departments: MemberDepartmentRow[]): Promise<void>;
  hardDelete(accountId: string, userid: string): Promise<void>;
  visibility(accountId: string): Promise<MemberVisibilityValue>;
  setVisibility(accountId: string, memberVisibility: MemberVisibilityValue, at: Date): Promise<void>;
}

const chunkSize = 5000;
function chunks<T>(items: readonly T[], size = chunkSize): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

export function createMembersRepository(db: Db): MembersRepository {
  async function withDepartments(accountId: string, rows: MemberRow[]): Promise<MemberRecord[]> {
    if (rows.length === 0) return [];
    const byUserid = new Map<string, MemberDepartmentRow[]>(rows.map((r) => [r.userid, []]));
    for (const part of chunks(rows.map((r) => r.userid))) {
      const departments = await db
        .select()
        .from(wecomMemberDepartments)
        .where(and(eq(wecomMemberDepartments.accountId, accountId), inArray(wecomMemberDepartments.userid, part)))
        .orderBy(asc(wecomMemberDepartments.position));
      for (const d of departments) byUserid.get(d.userid)?.push(d);
    }
    return rows.map((row) => ({ row, departments: byUserid.get(row.userid) ?? [] }));
  }

  function conditions(filter: Omit<MemberListFilter, 'limit'>): SQL | undefined {
    const parts: (SQL | undefined)[] = [eq(wecomMembers.accountId, filter.accountId), isNull(wecomMembers.deletedAt)];
    if (filter.departmentIds) {
      parts.push(
        inArray(
          wecomMembers.userid,
          db
            .select({ userid: wecomMemberDepartments.userid })
            .from(wecomMemberDepartments)
            .where(and(eq(wecomMemberDepartments.accountId, filter.accountId), inArray(wecomMemberDepartments.departmentId, [...filter.departmentIds, -1]))),
        ),
      );
    }
    if (filter.onlyUserids) parts.push(inArray(sql`lower(${wecomMembers.userid})`, [...filter.onlyUserids.map((u) => u.toLowerCase()), '']));
    if (filter.status) parts.push(eq(wecomMembers.status, filter.status));
    if (filter.q) {
      const pattern = `%${escapeLike(filter.q)}%`;
      parts.push(like(wecomMembers.searchText, sql`lower(${pattern})`));
    }
    if (filter.afterUserid !== undefined) parts.push(gt(wecomMembers.userid, filter.afterUserid));
    return and(...parts);
  }

  return {
    transaction(work) {
      return db.transaction((tx) => work(createMembersRepository(tx as unknown as Db), tx));
    },
    async findMany(accountId, userids) {
      const found = new Map<string, MemberRecord>();
      for (const part of chunks([...new Set(userids.map((u) => u.toLowerCase()))])) {
        const rows = await db
          .select(memberColumns)
          .from(wecomMembers)
          .where(and(eq(wecomMembers.accountId, accountId), inArray(sql`lower(${wecomMembers.userid})`, part)));
        for (const record of await withDepartments(accountId, rows)) found.set(record.row.userid.toLowerCase(), record);
      }
      return found;
    },
    async list(filter) {
      const rows = await db.select(memberColumns).from(wecomMembers).where(conditions(filter)).orderBy(asc(wecomMembers.userid)).limit(filter.limit);
      return withDepartments(filter.accountId, rows);
    },
    async count(filter) {
      if (filter.departmentIds && !filter.status && !filter.q && !filter.onlyUserids) {
        // A subtree counted from its placements (index only), less its tombstones (a partial index):
        // joining every member row instead cost a scan of the whole corp on each first page.
        const placements = and(eq(wecomMemberDepartments.accountId, filter.accountId), inArray(wecomMemberDepartments.departmentId, [...filter.departmentIds, -1]));
        const [placed] = await db.select({ n: sql<number>`count(distinct ${wecomMemberDepartments.userid})::int` }).from(wecomMemberDepartments).where(placements);
        const [gone] = await db
          .select({ n: sql<number>`count(*)::int` })
          .from(wecomMembers)
          .where(
            and(
              eq(wecomMembers.accountId, filter.accountId),
              isNotNull(wecomMembers.deletedAt),
              inArray(wecomMembers.userid, db.select({ userid: wecomMemberDepartments.userid }).from(wecomMemberDepartments).where(placements)),
            ),
          );
        return Number(placed?.n ?? 0) - Number(gone?.n ?? 0);
      }
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(wecomMembers).where(conditions(filter));
      return Number(row?.n ?? 0);
    },
    async listAllAfter(accountId, afterUserid, limit) {
      const rows = await db
        .select(memberColumns)
        .from(wecomMembers)
        .where(and(eq(wecomMembers.accountId, accountId), afterUserid === null ? undefined : gt(wecomMembers.userid, afterUserid)))
        .orderBy(asc(wecomMembers.userid))
        .limit(limit);
      return withDepartments(accountId, rows);
    },
    async contactOwners(accountId, mobiles, emails) {
      const owners: { userid: string; mobile: string | null; email: string | null }[] = [];
      const columns = { userid: wecomMembers.userid, mobile: wecomMembers.mobile, email: wecomMembers.email };
      const live = and(eq(wecomMembers.accountId, accountId), isNull(wecomMembers.deletedAt));
      for (const part of chunks([...new Set(mobiles)])) {
        owners.push(...(await db.select(columns).from(wecomMembers).where(and(live, inArray(wecomMembers.mobile, part)))));
      }
      for (const part of chunks([...new Set(emails.map((e) => e.toLowerCase()))])) {
        owners.push(...(await db.select(columns).from(wecomMembers).where(and(live, inArray(sql`lower(${wecomMembers.email})`, part)))));
      }
      return owners;
    },
    async insertMany(rows) {
      for (const part of chunks(rows, 1000)) if (part.length > 0) await db.insert(wecomMembers).values(part);
      // Before the placements go in: their foreign-key checks read wecom_members with the plan these statistics give.
      await analyzeIfGrown(db, 'wecom_members', rows.length);
    },
    async update(accountId, userid, changes) {
      await db
        .update(wecomMembers)
        .set(changes)
        .where(and(eq(wecomMembers.accountId, accountId), eq(wecomMembers.userid, userid)));
    },
    async replaceDepartments(accountId, userids, departments) {
      for (const part of chunks(userids)) {
        if (part.length > 0) {
          await db.delete(wecomMemberDepartments).where(and(eq(wecomMemberDepartments.accountId, accountId), inArray(wecomMemberDepartments.userid, part)));
        }
      }
      for (const part of chunks(departments, 2000)) if (part.length > 0) await db.insert(wecomMemberDepartments).values(part);
      await analyzeIfGrown(db, 'wecom_member_departments', departments.length);
    },
    async hardDelete(accountId, userid) {
      await db.delete(wecomMembers).where(and(eq(wecomMembers.accountId, accountId), eq(wecomMembers.userid, userid)));
    },
    async visibility(accountId) {
      const [row] = await db.select().from(wecomDirectorySettings).where(eq(wecomDirectorySettings.accountId, accountId)).limit(1);
      return row?.memberVisibility ?? 'all';
    },
    async setVisibility(accountId, memberVisibility, at) {
      await db
        .insert(wecomDirectorySettings)
        .values({ accountId, memberVisibility, updatedAt: at })
        .onConflictDoUpdate({ target: wecomDirectorySettings.accountId, set: { memberVisibility, updatedAt: at } });
    },
  };
}

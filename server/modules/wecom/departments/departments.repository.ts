import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/client';
import { wecomDirectorySettings, wecomMemberDepartments, wecomMembers } from '../members/members.tables';
import { wecomDepartments } from './departments.tables';

export type DepartmentRow = typeof wecomDepartments.$inferSelect;
export type NewDepartmentRow = typeof wecomDepartments.$inferInsert;
export type MemberVisibilityRule = (typeof wecomDirectorySettings.$inferSelect)['memberVisibility'];

export interface DepartmentsRepository {
  transaction<T>(work: (repository: DepartmentsRepository, tx: unknown) => Promise<T>): Promise<T>;
  /** Live departments (no tombstones), parents' order irrelevant. */
  listLive(accountId: string): Promise<DepartmentRow[]>;
  /** Every row, tombstones included (sync and id picking). */
  listAll(accountId: string): Promise<DepartmentRow[]>;
  find(accountId: string, id: number): Promise<DepartmentRow | null>;
  insert(row: NewDepartmentRow): Promise<void>;
  update(accountId: string, id: number, changes: Partial<NewDepartmentRow>): Promise<void>;
  hardDelete(accountId: string, id: number): Promise<void>;
  /** Live members directly in each department. */
  memberCounts(accountId: string): Promise<Map<number, number>>;
  memberCount(accountId: string, id: number): Promise<number>;
  /** Which of these userids are live members of the corp (case-insensitive); lower-cased key → stored userid. */
  existingUserids(accountId: string, userids: string[]): Promise<Map<string, string>>;
  memberVisibility(accountId: string): Promise<MemberVisibilityRule>;
  /** Departments of these live members of the corp. */
  departmentsOfMembers(accountId: string, userids: string[]): Promise<number[]>;
  /** Serialises writes to one corp's tree (sibling names, depth and ids are checked against the whole tree). */
  lockTree(accountId: string): Promise<void>;
}

export function createDepartmentsRepository(db: Db): DepartmentsRepository {
  const live = (accountId: string) => and(eq(wecomDepartments.accountId, accountId), isNull(wecomDepartments.deletedAt));
  return {
    transaction(work) {
      return db.transaction((tx) => work(createDepartmentsRepository(tx as unknown as Db), tx));
    },
    async listLive(accountId) {
      return db.select().from(wecomDepartments).where(live(accountId)).orderBy(asc(wecomDepartments.id));
    },
    async listAll(accountId) {
      return db.select().from(wecomDepartments).where(eq(wecomDepartments.accountId, accountId)).orderBy(asc(wecomDepartments.id));
    },
    async find(accountId, id) {
      const [row] = await db
        .select()
        .from(wecomDepartments)
        .where(and(eq(wecomDepartments.accountId, accountId), eq(wecomDepartments.id, id)))
        .limit(1);
      return row ?? null;
    },
    async insert(row) {
      await db.insert(wecomDepartments).values(row);
    },
    async update(accountId, id, changes) {
      await db
        .update(wecomDepartments)
        .set(changes)
        .where(and(eq(wecomDepartments.accountId, accountId), eq(wecomDepartments.id, id)));
    },
    async hardDelete(accountId, id) {
      await db.delete(wecomDepartments).where(and(eq(wecomDepartments.accountId, accountId), eq(wecomDepartments.id, id)));
    },
    async memberCounts(accountId) {
      const rows = await db
        .select({ departmentId: wecomMemberDepartments.departmentId, n: sql<number>`count(*)::int` })
        .from(wecomMemberDepartments)
        .innerJoin(wecomMembers, and(eq(wecomMembers.accountId, wecomMemberDepartments.accountId), eq(wecomMembers.userid, wecomMemberDepartments.userid)))
        .where(and(eq(wecomMemberDepartments.accountId, accountId), isNull(wecomMembers.deletedAt)))
        .groupBy(wecomMemberDepartments.departmentId);
      return new Map(rows.map((r) => [r.departmentId, Number(r.n)]));
    },
    async memberCount(accountId, id) {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(wecomMemberDepartments)
        .innerJoin(wecomMembers, and(eq(wecomMembers.accountId, wecomMemberDepartments.accountId), eq(wecomMembers.userid, wecomMemberDepartments.userid)))
        .where(and(eq(wecomMemberDepartments.accountId, accountId), eq(wecomMemberDepartments.departmentId, id), isNull(wecomMembers.deletedAt)));
      return Number(row?.n ?? 0);
    },
    async existingUserids(accountId, userids) {
      if (userids.length === 0) return new Map();
      const keys = userids.map((u) => u.toLowerCase());
      const rows = await db
        .select({ userid: wecomMembers.userid })
        .from(wecomMembers)
        .where(and(eq(wecomMembers.accountId, accountId), isNull(wecomMembers.deletedAt), inArray(sql`lower(${wecomMembers.userid})`, keys)));
      return new Map(rows.map((r) => [r.userid.toLowerCase(), r.userid]));
    },
    async memberVisibility(accountId) {
      const [row] = await db.select().from(wecomDirectorySettings).where(eq(wecomDirectorySettings.accountId, accountId)).limit(1);
      return row?.memberVisibility ?? 'all';
    },
    async departmentsOfMembers(accountId, userids) {
      if (userids.length === 0) return [];
      const rows = await db
        .selectDistinct({ departmentId: wecomMemberDepartments.departmentId })
        .from(wecomMemberDepartments)
        .innerJoin(wecomMembers, and(eq(wecomMembers.accountId, wecomMemberDepartments.accountId), eq(wecomMembers.userid, wecomMemberDepartments.userid)))
        .where(
          and(
            eq(wecomMemberDepartments.accountId, accountId),
            isNull(wecomMembers.deletedAt),
            inArray(
              sql`lower(${wecomMembers.userid})`,
              userids.map((u) => u.toLowerCase()),
            ),
          ),
        );
      return rows.map((r) => r.departmentId);
    },
    async lockTree(accountId) {
      await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`wecom-departments:${accountId}`}))`);
    },
  };
}

import { and, asc, count, eq, inArray, isNotNull, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Role } from '../../../../common/permissions';
import type { Db } from '../../../platform/db/client';
import type { DepartmentScope } from '../../../platform/http/principal';
import { userDepartmentScopes, users, userWecomMembers } from './users.tables';

export interface WecomMemberTie {
  accountId: string;
  userid: string;
}

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  role: Role;
  disabledAt: Date | null;
  passwordChangedAt: Date;
  createdAt: Date;
  updatedAt: Date;
  departmentScopes: DepartmentScope[];
  wecomMembers: WecomMemberTie[];
}

export interface UserListFilter {
  role?: Role;
  status?: 'active' | 'disabled';
  q?: string;
  /** Only these users (a dept_admin's view). */
  ids?: string[];
  after?: { usernameLower: string; id: string };
}

const superAdminLockKey = 7_151_180_002;
const setupLockKey = 7_151_180_003;

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Runs `fn` in one transaction; everything inside must use the `tx` it is given. */
export async function inTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => fn(tx as unknown as Db));
}

export function createUsersRepository(db: Db) {
  async function attach(rows: (typeof users.$inferSelect)[]): Promise<UserRecord[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [scopes, members] = await Promise.all([
      db.select().from(userDepartmentScopes).where(inArray(userDepartmentScopes.userId, ids)).orderBy(asc(userDepartmentScopes.accountId), asc(userDepartmentScopes.departmentId)),
      db.select().from(userWecomMembers).where(inArray(userWecomMembers.userId, ids)).orderBy(asc(userWecomMembers.accountId), asc(userWecomMembers.userid)),
    ]);
    return rows.map((row) => ({
      ...row,
      departmentScopes: scopes.filter((s) => s.userId === row.id).map(({ accountId, departmentId }) => ({ accountId, departmentId })),
      wecomMembers: members.filter((m) => m.userId === row.id).map(({ accountId, userid }) => ({ accountId, userid })),
    }));
  }

  function listConditions(filter: UserListFilter): SQL | undefined {
    const conditions: SQL[] = [];
    if (filter.ids) conditions.push(filter.ids.length > 0 ? inArray(users.id, filter.ids) : sql`false`);
    if (filter.role) conditions.push(eq(users.role, filter.role));
    if (filter.status === 'active') conditions.push(isNull(users.disabledAt));
    if (filter.status === 'disabled') conditions.push(isNotNull(users.disabledAt));
    if (filter.q) {
      const pattern = `%${escapeLike(filter.q.toLowerCase())}%`;
      conditions.push(or(sql`lower(${users.username}) LIKE ${pattern}`, sql`lower(${users.displayName}) LIKE ${pattern}`)!);
    }
    return conditions.length > 0 ? and(...conditions) : undefined;
  }

  return {
    async findById(id: string): Promise<UserRecord | null> {
      const rows = await db.select().from(users).where(eq(users.id, id));
      return (await attach(rows))[0] ?? null;
    },

    async findByUsername(username: string): Promise<UserRecord | null> {
      const rows = await db.select().from(users).where(sql`lower(${users.username}) = lower(${username})`);
      return (await attach(rows))[0] ?? null;
    },

    async countAll(): Promise<number> {
      const [row] = await db.select({ n: count() }).from(users);
      return Number(row?.n ?? 0);
    },

    /** Transaction only: serialises first-user creation. */
    async lockSetup(): Promise<void> {
      await db.execute(sql.raw(`SELECT pg_advisory_xact_lock(${setupLockKey})`));
    },

    /** Transaction only: serialises changes that could leave no active super_admin. */
    async lockSuperAdmins(): Promise<void> {
      await db.execute(sql.raw(`SELECT pg_advisory_xact_lock(${superAdminLockKey})`));
    },

    async countActiveSuperAdminsExcept(userId: string): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(users)
        .where(and(eq(users.role, 'super_admin'), isNull(users.disabledAt), ne(users.id, userId)));
      return Number(row?.n ?? 0);
    },

    async insert(values: {
      username: string;
      displayName: string;
      passwordHash: string;
      role: Role;
      now: Date;
      departmentScopes: DepartmentScope[];
      wecomMembers: WecomMemberTie[];
    }): Promise<string> {
      const [row] = await db
        .insert(users)
        .values({
          username: values.username,
          displayName: values.displayName,
          passwordHash: values.passwordHash,
          role: values.role,
          passwordChangedAt: values.now,
          createdAt: values.now,
          updatedAt: values.now,
        })
        .returning({ id: users.id });
      const id = row!.id;
      await this.replaceScopes(id, values.departmentScopes);
      await this.replaceWecomMembers(id, values.wecomMembers);
      return id;
    },

    async update(
      id: string,
      patch: Partial<{ displayName: string; role: Role; disabledAt: Date | null; passwordHash: string; passwordChangedAt: Date }> & { updatedAt: Date },
    ): Promise<void> {
      await db.update(users).set(patch).where(eq(users.id, id));
    },

    async replaceScopes(userId: string, scopes: DepartmentScope[]): Promise<void> {
      await db.delete(userDepartmentScopes).where(eq(userDepartmentScopes.userId, userId));
      const unique = [...new Map(scopes.map((s) => [`${s.accountId}\u0001${s.departmentId}`, s])).values()];
      if (unique.length > 0) await db.insert(userDepartmentScopes).values(unique.map((s) => ({ userId, ...s })));
    },

    async replaceWecomMembers(userId: string, members: WecomMemberTie[]): Promise<void> {
      await db.delete(userWecomMembers).where(eq(userWecomMembers.userId, userId));
      const unique = [...new Map(members.map((m) => [`${m.accountId}\u0001${m.userid}`, m])).values()];
      if (unique.length > 0) await db.insert(userWecomMembers).values(unique.map((m) => ({ userId, ...m })));
    },

    async delete(id: string): Promise<void> {
      await db.delete(users).where(eq(users.id, id));
    },

    async list(filter: UserListFilter, limit: number): Promise<{ items: UserRecord[]; total: number }> {
      const where = listConditions(filter);
      const pageWhere = filter.after
        ? and(where, sql`(lower(${users.username}), ${users.id}) > (${filter.after.usernameLower}, ${filter.after.id}::uuid)`)
        : where;
      const [rows, totals] = await Promise.all([
        db.select().from(users).where(pageWhere).orderBy(sql`lower(${users.username})`, asc(users.id)).limit(limit),
        db.select({ n: count() }).from(users).where(where),
      ]);
      return { items: await attach(rows), total: Number(totals[0]?.n ?? 0) };
    },

    /** Every user below super_admin with its scopes: candidates for a dept_admin's view. */
    async listScopedCandidates(): Promise<{ id: string; role: Role; departmentScopes: DepartmentScope[] }[]> {
      const rows = await db.select().from(users).where(ne(users.role, 'super_admin'));
      return (await attach(rows)).map(({ id, role, departmentScopes }) => ({ id, role, departmentScopes }));
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;

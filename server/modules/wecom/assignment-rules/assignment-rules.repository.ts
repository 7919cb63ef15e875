import { and, asc, count, eq, gte, inArray, isNotNull, lt } from 'drizzle-orm';
import type { Db } from '../../../platform/db/client';
import { wecomAssignmentRules, wecomAssignmentSeenAdds } from './assignment-rules.tables';

export type RuleRow = typeof wecomAssignmentRules.$inferSelect;

/** All SQL of assignment rules and the per-member add counts. */
export function createAssignmentRulesRepository(db: Db) {
  return {
    listRules(accountId: string): Promise<RuleRow[]> {
      return db.select().from(wecomAssignmentRules).where(eq(wecomAssignmentRules.accountId, accountId)).orderBy(asc(wecomAssignmentRules.priority), asc(wecomAssignmentRules.createdAt));
    },
    /** Accounts with a rule bound to a contact way (the scheduler's work). */
    async accountsWithBoundRules(): Promise<string[]> {
      const rows = await db.selectDistinct({ accountId: wecomAssignmentRules.accountId }).from(wecomAssignmentRules).where(isNotNull(wecomAssignmentRules.configId));
      return rows.map((r) => r.accountId);
    },
    async findRule(accountId: string, id: string): Promise<RuleRow | null> {
      const [row] = await db.select().from(wecomAssignmentRules).where(and(eq(wecomAssignmentRules.accountId, accountId), eq(wecomAssignmentRules.id, id))).limit(1);
      return row ?? null;
    },
    async insertRule(row: typeof wecomAssignmentRules.$inferInsert): Promise<RuleRow> {
      const [created] = await db.insert(wecomAssignmentRules).values(row).returning();
      return created as RuleRow;
    },
    async updateRule(accountId: string, id: string, changes: Partial<typeof wecomAssignmentRules.$inferInsert>): Promise<RuleRow | null> {
      const [row] = await db.update(wecomAssignmentRules).set(changes).where(and(eq(wecomAssignmentRules.accountId, accountId), eq(wecomAssignmentRules.id, id))).returning();
      return row ?? null;
    },
    async deleteRule(accountId: string, id: string): Promise<boolean> {
      const rows = await db.delete(wecomAssignmentRules).where(and(eq(wecomAssignmentRules.accountId, accountId), eq(wecomAssignmentRules.id, id))).returning({ id: wecomAssignmentRules.id });
      return rows.length > 0;
    },
    /** Records an add once per member and customer; answers whether it was new. */
    async recordAdd(accountId: string, userid: string, externalUserid: string, at: Date): Promise<boolean> {
      const rows = await db.insert(wecomAssignmentSeenAdds).values({ accountId, userid, externalUserid, at }).onConflictDoNothing().returning({ userid: wecomAssignmentSeenAdds.userid });
      return rows.length > 0;
    },
    /** Adds per member in [from, to). */
    async addsBetween(accountId: string, userids: string[], from: Date, to: Date): Promise<Map<string, number>> {
      const out = new Map<string, number>();
      if (userids.length === 0) return out;
      const a = wecomAssignmentSeenAdds;
      const rows = await db
        .select({ userid: a.userid, n: count() })
        .from(a)
        .where(and(eq(a.accountId, accountId), inArray(a.userid, userids), gte(a.at, from), lt(a.at, to)))
        .groupBy(a.userid);
      for (const row of rows) out.set(row.userid, Number(row.n));
      return out;
    },
    /** The retention purge: the adds of these customers counted for capacity. */
    async purgeCustomers(accountId: string, externalUserIds: readonly string[]): Promise<void> {
      if (externalUserIds.length === 0) return;
      const a = wecomAssignmentSeenAdds;
      await db.delete(a).where(and(eq(a.accountId, accountId), inArray(a.externalUserid, [...externalUserIds])));
    },
  };
}

export type AssignmentRulesRepository = ReturnType<typeof createAssignmentRulesRepository>;

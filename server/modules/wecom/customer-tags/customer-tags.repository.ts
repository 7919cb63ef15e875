import { and, asc, count, eq, inArray, ne } from 'drizzle-orm';
import type { Db } from '../../../platform/db/client';
import {
  wecomCustomerTagRuleRuns,
  wecomCustomerTagRules,
  wecomCustomerTags,
  wecomCustomerTagSyncs,
  type CustomerTagRow,
  type CustomerTagRuleRow,
  type CustomerTagRuleRunRow,
} from './customer-tags.tables';

export type { CustomerTagRow, CustomerTagRuleRow } from './customer-tags.tables';
export type NewCustomerTagRow = Omit<CustomerTagRow, 'id'> & { id?: string };
type RunKey = Pick<CustomerTagRuleRunRow, 'accountId' | 'ruleId' | 'userid' | 'externalUserId'>;

function queries(db: Db) {
  const tagKey = (accountId: string, id: string) => and(eq(wecomCustomerTags.accountId, accountId), eq(wecomCustomerTags.id, id));
  const ruleKey = (accountId: string, id: string) => and(eq(wecomCustomerTagRules.accountId, accountId), eq(wecomCustomerTagRules.id, id));
  const runKey = (k: RunKey) =>
    and(
      eq(wecomCustomerTagRuleRuns.accountId, k.accountId),
      eq(wecomCustomerTagRuleRuns.ruleId, k.ruleId),
      eq(wecomCustomerTagRuleRuns.userid, k.userid),
      eq(wecomCustomerTagRuleRuns.externalUserId, k.externalUserId),
    );
  const repository = {
    listTags(accountId: string): Promise<CustomerTagRow[]> {
      return db.select().from(wecomCustomerTags).where(eq(wecomCustomerTags.accountId, accountId)).orderBy(asc(wecomCustomerTags.createdAt), asc(wecomCustomerTags.id));
    },
    async findTag(accountId: string, id: string): Promise<CustomerTagRow | null> {
      const [row] = await db.select().from(wecomCustomerTags).where(tagKey(accountId, id)).limit(1);
      return row ?? null;
    },
    async insertTags(rows: NewCustomerTagRow[]): Promise<CustomerTagRow[]> {
      if (rows.length === 0) return [];
      return db.insert(wecomCustomerTags).values(rows).returning();
    },
    async updateTag(accountId: string, id: string, changes: Partial<Omit<CustomerTagRow, 'id' | 'accountId'>>): Promise<void> {
      await db.update(wecomCustomerTags).set(changes).where(tagKey(accountId, id));
    },
    /** Gives `id` WeCom's id; a row a pull inserted for that id meanwhile gives way. */
    async linkWecomId(accountId: string, id: string, wecomId: string, changes: Partial<Omit<CustomerTagRow, 'id' | 'accountId'>>): Promise<void> {
      await db.delete(wecomCustomerTags).where(and(eq(wecomCustomerTags.accountId, accountId), eq(wecomCustomerTags.wecomId, wecomId), ne(wecomCustomerTags.id, id)));
      await db.update(wecomCustomerTags).set({ ...changes, wecomId }).where(tagKey(accountId, id));
    },
    async deleteTags(accountId: string, ids: string[]): Promise<void> {
      if (ids.length) await db.delete(wecomCustomerTags).where(and(eq(wecomCustomerTags.accountId, accountId), inArray(wecomCustomerTags.id, ids)));
    },
    async lastPulledAt(accountId: string): Promise<Date | null> {
      const [row] = await db.select().from(wecomCustomerTagSyncs).where(eq(wecomCustomerTagSyncs.accountId, accountId)).limit(1);
      return row?.lastPulledAt ?? null;
    },
    async setPulledAt(accountId: string, at: Date): Promise<void> {
      await db.insert(wecomCustomerTagSyncs).values({ accountId, lastPulledAt: at }).onConflictDoUpdate({ target: wecomCustomerTagSyncs.accountId, set: { lastPulledAt: at } });
    },

    listRules(accountId: string): Promise<CustomerTagRuleRow[]> {
      return db.select().from(wecomCustomerTagRules).where(eq(wecomCustomerTagRules.accountId, accountId)).orderBy(asc(wecomCustomerTagRules.createdAt), asc(wecomCustomerTagRules.id));
    },
    async findRule(accountId: string, id: string): Promise<CustomerTagRuleRow | null> {
      const [row] = await db.select().from(wecomCustomerTagRules).where(ruleKey(accountId, id)).limit(1);
      return row ?? null;
    },
    async insertRule(row: Omit<CustomerTagRuleRow, 'id'>): Promise<CustomerTagRuleRow> {
      const [inserted] = await db.insert(wecomCustomerTagRules).values(row).returning();
      if (!inserted) throw new Error('insert returned no row');
      return inserted;
    },
    async updateRule(accountId: string, id: string, changes: Partial<Omit<CustomerTagRuleRow, 'id' | 'accountId'>>): Promise<void> {
      await db.update(wecomCustomerTagRules).set(changes).where(ruleKey(accountId, id));
    },
    async deleteRule(accountId: string, id: string): Promise<boolean> {
      const rows = await db.delete(wecomCustomerTagRules).where(ruleKey(accountId, id)).returning({ id: wecomCustomerTagRules.id });
      if (rows.length) await db.delete(wecomCustomerTagRuleRuns).where(and(eq(wecomCustomerTagRuleRuns.accountId, accountId), eq(wecomCustomerTagRuleRuns.ruleId, id)));
      return rows.length > 0;
    },
    async appliedCounts(accountId: string): Promise<Map<string, number>> {
      const rows = await db
        .select({ ruleId: wecomCustomerTagRuleRuns.ruleId, n: count() })
        .from(wecomCustomerTagRuleRuns)
        .where(and(eq(wecomCustomerTagRuleRuns.accountId, accountId), eq(wecomCustomerTagRuleRuns.status, 'applied')))
        .groupBy(wecomCustomerTagRuleRuns.ruleId);
      return new Map(rows.map((r) => [r.ruleId, Number(r.n)]));
    },
    /** Claims a rule run; false when it already ran (or runs) for this member and customer. A failed run may be claimed again. */
    async claimRun(key: RunKey, tagIds: string[], at: Date): Promise<boolean> {
      const inserted = await db
        .insert(wecomCustomerTagRuleRuns)
        .values({ ...key, status: 'claimed', errcode: null, tagIds, at })
        .onConflictDoNothing()
        .returning({ ruleId: wecomCustomerTagRuleRuns.ruleId });
      if (inserted.length) return true;
      const retried = await db
        .update(wecomCustomerTagRuleRuns)
        .set({ status: 'claimed', errcode: null, tagIds, at })
        .where(and(runKey(key), eq(wecomCustomerTagRuleRuns.status, 'failed')))
        .returning({ ruleId: wecomCustomerTagRuleRuns.ruleId });
      return retried.length > 0;
    },
    async finishRun(key: RunKey, status: 'applied' | 'failed', errcode: number | null): Promise<void> {
      await db.update(wecomCustomerTagRuleRuns).set({ status, errcode }).where(runKey(key));
    },
    /** The retention purge: the rule runs on these customers (one who comes back is tagged afresh). */
    async purgeCustomers(accountId: string, externalUserIds: readonly string[]): Promise<void> {
      if (externalUserIds.length === 0) return;
      await db.delete(wecomCustomerTagRuleRuns).where(and(eq(wecomCustomerTagRuleRuns.accountId, accountId), inArray(wecomCustomerTagRuleRuns.externalUserId, [...externalUserIds])));
    },
  };
  return repository;
}

type Queries = ReturnType<typeof queries>;

export interface CustomerTagsRepository extends Queries {
  transaction<T>(work: (repo: CustomerTagsRepository, tx: unknown) => Promise<T>): Promise<T>;
}

export function createCustomerTagsRepository(db: Db): CustomerTagsRepository {
  return { ...queries(db), transaction: (work) => db.transaction((tx) => work(createCustomerTagsRepository(tx as unknown as Db), tx)) };
}

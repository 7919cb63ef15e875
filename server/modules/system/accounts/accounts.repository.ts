import { and, asc, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/client';
import { accountReceivers, accounts } from './accounts.tables';

export type AccountRow = typeof accounts.$inferSelect;
export type ReceiverRow = typeof accountReceivers.$inferSelect;
export type NewAccountRow = typeof accounts.$inferInsert;
export type NewReceiverRow = typeof accountReceivers.$inferInsert;

export interface AccountsRepository {
  /** Runs `work` in one transaction; `tx` is what the audit recorder needs to commit with it. */
  transaction<T>(work: (repository: AccountsRepository, tx: unknown) => Promise<T>): Promise<T>;
  findById(id: string): Promise<AccountRow | null>;
  findByWechatId(type: AccountRow['type'], wechatId: string): Promise<AccountRow | null>;
  list(filter: { type?: AccountRow['type']; after?: { createdAt: Date; id: string }; limit: number }): Promise<AccountRow[]>;
  count(filter: { type?: AccountRow['type'] }): Promise<number>;
  receiversOf(accountIds: string[]): Promise<ReceiverRow[]>;
  insert(row: NewAccountRow): Promise<AccountRow>;
  update(id: string, changes: Partial<NewAccountRow>): Promise<void>;
  delete(id: string): Promise<boolean>;
  upsertReceiver(row: NewReceiverRow): Promise<void>;
  deleteReceiver(accountId: string, receiver: string): Promise<void>;
  /** Skips the write when the last one is younger than `minIntervalMs` (busy accounts get many callbacks). */
  touchCallback(id: string, at: Date, minIntervalMs: number): Promise<void>;
  recordApiError(id: string, at: Date, error: { errcode: number; errmsg: string; endpoint: string }): Promise<void>;
}

export function createAccountsRepository(db: Db): AccountsRepository {
  const byType = (type?: AccountRow['type']) => (type ? eq(accounts.type, type) : undefined);
  return {
    transaction(work) {
      return db.transaction((tx) => work(createAccountsRepository(tx as unknown as Db), tx));
    },
    async findById(id) {
      const [row] = await db.select().from(accounts).where(eq(accounts.id, id)).limit(1);
      return row ?? null;
    },
    async findByWechatId(type, wechatId) {
      const [row] = await db
        .select()
        .from(accounts)
        .where(and(eq(accounts.type, type), eq(accounts.wechatId, wechatId)))
        .limit(1);
      return row ?? null;
    },
    async list(filter) {
      const after = filter.after
        ? or(gt(accounts.createdAt, filter.after.createdAt), and(eq(accounts.createdAt, filter.after.createdAt), gt(accounts.id, filter.after.id)))
        : undefined;
      return db
        .select()
        .from(accounts)
        .where(and(byType(filter.type), after))
        .orderBy(asc(accounts.createdAt), asc(accounts.id))
        .limit(filter.limit);
    },
    async count(filter) {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(accounts).where(byType(filter.type));
      return Number(row?.n ?? 0);
    },
    async receiversOf(accountIds) {
      if (accountIds.length === 0) return [];
      return db
        .select()
        .from(accountReceivers)
        .where(inArray(accountReceivers.accountId, accountIds))
        .orderBy(asc(accountReceivers.accountId), asc(accountReceivers.createdAt), asc(accountReceivers.receiver));
    },
    async insert(row) {
      const [inserted] = await db.insert(accounts).values(row).returning();
      if (!inserted) throw new Error('insert returned no row');
      return inserted;
    },
    async update(id, changes) {
      await db.update(accounts).set(changes).where(eq(accounts.id, id));
    },
    async delete(id) {
      const deleted = await db.delete(accounts).where(eq(accounts.id, id)).returning({ id: accounts.id });
      return deleted.length > 0;
    },
    async upsertReceiver(row) {
      const { accountId: _accountId, receiver: _receiver, createdAt: _createdAt, ...changes } = row;
      await db
        .insert(accountReceivers)
        .values(row)
        .onConflictDoUpdate({ target: [accountReceivers.accountId, accountReceivers.receiver], set: changes });
    },
    async deleteReceiver(accountId, receiver) {
      await db.delete(accountReceivers).where(and(eq(accountReceivers.accountId, accountId), eq(accountReceivers.receiver, receiver)));
    },
    async touchCallback(id, at, minIntervalMs) {
      await db
        .update(accounts)
        .set({ lastCallbackAt: at })
        .where(and(eq(accounts.id, id), or(isNull(accounts.lastCallbackAt), lt(accounts.lastCallbackAt, new Date(at.getTime() - minIntervalMs)))));
    },
    async recordApiError(id, at, error) {
      await db.update(accounts).set({ lastApiErrorAt: at, lastApiError: error }).where(eq(accounts.id, id));
    },
  };
}

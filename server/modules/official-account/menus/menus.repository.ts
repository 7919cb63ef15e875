import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/client';
import { oaConditionalMenus, oaMenuDrafts, oaMenuVersions } from './menus.tables';

export type DraftRow = typeof oaMenuDrafts.$inferSelect;
export type VersionRow = typeof oaMenuVersions.$inferSelect;
export type NewVersionRow = Omit<typeof oaMenuVersions.$inferInsert, 'version'>;
export type ConditionalRow = typeof oaConditionalMenus.$inferSelect;
export type NewConditionalRow = typeof oaConditionalMenus.$inferInsert;

export interface MenusRepository {
  transaction<T>(work: (repository: MenusRepository, tx: unknown) => Promise<T>): Promise<T>;
  findDraft(accountId: string): Promise<DraftRow | null>;
  saveDraft(row: DraftRow): Promise<void>;
  /** Numbers the version after the account's last one. */
  insertVersion(row: NewVersionRow): Promise<VersionRow>;
  updateVersion(id: string, changes: Partial<Pick<VersionRow, 'state' | 'appliedAt' | 'errcode' | 'errmsg'>>): Promise<void>;
  listVersions(accountId: string): Promise<VersionRow[]>;
  findVersion(accountId: string, version: number): Promise<VersionRow | null>;
  versionsInState(accountId: string, states: VersionRow['state'][]): Promise<VersionRow[]>;
  listConditional(accountId: string): Promise<ConditionalRow[]>;
  findConditional(accountId: string, id: string): Promise<ConditionalRow | null>;
  insertConditional(row: NewConditionalRow): Promise<ConditionalRow>;
  updateConditional(id: string, changes: Partial<Pick<ConditionalRow, 'state' | 'menuId'>>): Promise<void>;
  deleteConditional(id: string): Promise<void>;
}

export function createMenusRepository(db: Db): MenusRepository {
  return {
    transaction(work) {
      return db.transaction((tx) => work(createMenusRepository(tx as unknown as Db), tx));
    },
    async findDraft(accountId) {
      const [row] = await db.select().from(oaMenuDrafts).where(eq(oaMenuDrafts.accountId, accountId)).limit(1);
      return row ?? null;
    },
    async saveDraft(row) {
      const { accountId: _accountId, ...changes } = row;
      await db.insert(oaMenuDrafts).values(row).onConflictDoUpdate({ target: oaMenuDrafts.accountId, set: changes });
    },
    async insertVersion(row) {
      const next = sql<number>`(select coalesce(max(${oaMenuVersions.version}), 0) + 1 from ${oaMenuVersions} where ${oaMenuVersions.accountId} = ${row.accountId})`;
      const [inserted] = await db
        .insert(oaMenuVersions)
        .values({ ...row, version: next })
        .returning();
      if (!inserted) throw new Error('insert returned no row');
      return inserted;
    },
    async updateVersion(id, changes) {
      await db.update(oaMenuVersions).set(changes).where(eq(oaMenuVersions.id, id));
    },
    async listVersions(accountId) {
      return db.select().from(oaMenuVersions).where(eq(oaMenuVersions.accountId, accountId)).orderBy(desc(oaMenuVersions.version));
    },
    async findVersion(accountId, version) {
      const [row] = await db
        .select()
        .from(oaMenuVersions)
        .where(and(eq(oaMenuVersions.accountId, accountId), eq(oaMenuVersions.version, version)))
        .limit(1);
      return row ?? null;
    },
    async versionsInState(accountId, states) {
      return db
        .select()
        .from(oaMenuVersions)
        .where(and(eq(oaMenuVersions.accountId, accountId), inArray(oaMenuVersions.state, states)))
        .orderBy(desc(oaMenuVersions.version));
    },
    async listConditional(accountId) {
      return db.select().from(oaConditionalMenus).where(eq(oaConditionalMenus.accountId, accountId)).orderBy(asc(oaConditionalMenus.createdAt), asc(oaConditionalMenus.id));
    },
    async findConditional(accountId, id) {
      const [row] = await db
        .select()
        .from(oaConditionalMenus)
        .where(and(eq(oaConditionalMenus.accountId, accountId), eq(oaConditionalMenus.id, id)))
        .limit(1);
      return row ?? null;
    },
    async insertConditional(row) {
      const [inserted] = await db.insert(oaConditionalMenus).values(row).returning();
      if (!inserted) throw new Error('insert returned no row');
      return inserted;
    },
    async updateConditional(id, changes) {
      await db.update(oaConditionalMenus).set(changes).where(eq(oaConditionalMenus.id, id));
    },
    async deleteConditional(id) {
      await db.delete(oaConditionalMenus).where(eq(oaConditionalMenus.id, id));
    },
  };
}

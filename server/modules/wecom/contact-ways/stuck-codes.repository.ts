import { and, asc, eq, inArray, isNotNull, lt } from 'drizzle-orm';
import type { Db } from '../../../platform/db/client';
import { wecomContactWays, type ContactWayRow } from './contact-ways.tables';

/** The rows the stuck-code sweep reads and settles; every change is conditional on the row's state, so several instances agree. */
export function createStuckCodesRepository(db: Db) {
  const byId = (id: string, syncState: 'creating' | 'failed') => and(eq(wecomContactWays.id, id), eq(wecomContactWays.syncState, syncState));

  return {
    /** Of these config_ids, the ones the account already has a row for. */
    async knownConfigIds(accountId: string, configIds: string[]): Promise<Set<string>> {
      if (configIds.length === 0) return new Set();
      const rows = await db
        .select({ configId: wecomContactWays.configId })
        .from(wecomContactWays)
        .where(and(eq(wecomContactWays.accountId, accountId), inArray(wecomContactWays.configId, configIds)));
      return new Set(rows.flatMap((r) => (r.configId === null ? [] : [r.configId])));
    },

    /** Rows still `creating` that were written before `before`, oldest first. */
    creatingBefore(before: Date): Promise<ContactWayRow[]> {
      return db
        .select()
        .from(wecomContactWays)
        .where(and(eq(wecomContactWays.syncState, 'creating'), lt(wecomContactWays.createdAt, before)))
        .orderBy(asc(wecomContactWays.createdAt));
    },

    /** Marks a `creating` row failed; answers whether this call changed it. */
    async markFailed(id: string, reason: string, at: Date): Promise<boolean> {
      const changed = await db.update(wecomContactWays).set({ syncState: 'failed', syncError: reason, updatedAt: at }).where(byId(id, 'creating')).returning({ id: wecomContactWays.id });
      return changed.length > 0;
    },

    /** Completes a `creating` row with what WeCom holds; answers whether this call changed it. */
    async markApplied(id: string, configId: string, qrCodeUrl: string | null): Promise<boolean> {
      const changed = await db.update(wecomContactWays).set({ configId, qrCodeUrl, syncState: 'applied', syncError: null }).where(byId(id, 'creating')).returning({ id: wecomContactWays.id });
      return changed.length > 0;
    },

    /** The account's failed creations that carry a reason, oldest first. */
    failedOf(accountId: string): Promise<ContactWayRow[]> {
      return db
        .select()
        .from(wecomContactWays)
        .where(and(eq(wecomContactWays.accountId, accountId), eq(wecomContactWays.syncState, 'failed'), isNotNull(wecomContactWays.syncError)))
        .orderBy(asc(wecomContactWays.createdAt));
    },

    async deleteFailed(id: string): Promise<void> {
      await db.delete(wecomContactWays).where(byId(id, 'failed'));
    },
  };
}

export type StuckCodesRepository = ReturnType<typeof createStuckCodesRepository>;

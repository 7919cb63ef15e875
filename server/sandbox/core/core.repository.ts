import { and, desc, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client';
import { sandboxAccessTokens, sandboxDeliveries, sandboxQuotaLimits, sandboxQuotaUsage } from './core.tables';

export type TokenRow = typeof sandboxAccessTokens.$inferSelect;
export type DeliveryRow = typeof sandboxDeliveries.$inferSelect;
export type NewDelivery = typeof sandboxDeliveries.$inferInsert;

/** All SQL of the sandbox core: tokens, quota counters and the delivery feed. */
export function createCoreRepository(db: Db) {
  return {
    async findToken(token: string): Promise<TokenRow | null> {
      const [row] = await db.select().from(sandboxAccessTokens).where(eq(sandboxAccessTokens.token, token)).limit(1);
      return row ?? null;
    },

    async latestToken(product: string, ownerKey: string, kind: string): Promise<TokenRow | null> {
      const [row] = await db
        .select()
        .from(sandboxAccessTokens)
        .where(and(eq(sandboxAccessTokens.product, product), eq(sandboxAccessTokens.ownerKey, ownerKey), eq(sandboxAccessTokens.kind, kind)))
        .orderBy(desc(sandboxAccessTokens.issuedAt))
        .limit(1);
      return row ?? null;
    },

    /** Stores a new token; earlier tokens of the same kind stay valid at most until `supersededUntil`. */
    async issueToken(row: TokenRow, supersededUntil: Date | null): Promise<void> {
      await db.transaction(async (tx) => {
        const owner = and(
          eq(sandboxAccessTokens.product, row.product),
          eq(sandboxAccessTokens.ownerKey, row.ownerKey),
          eq(sandboxAccessTokens.kind, row.kind),
        );
        if (supersededUntil) {
          await tx
            .update(sandboxAccessTokens)
            .set({ validUntil: sql`least(${sandboxAccessTokens.validUntil}, ${supersededUntil.toISOString()}::timestamptz)` })
            .where(and(owner, gt(sandboxAccessTokens.validUntil, supersededUntil)));
        }
        // Tokens dead for a day are only noise: 40001 answers the same for a forgotten token.
        await tx.delete(sandboxAccessTokens).where(and(owner, lt(sandboxAccessTokens.expiresAt, new Date(row.issuedAt.getTime() - 86_400_000))));
        await tx.insert(sandboxAccessTokens).values(row);
      });
    },

    /** Counts one call and answers the count so far today and the overriding limit, if any. */
    async countCall(key: { product: string; ownerKey: string; path: string; day: string }): Promise<{ count: number; limit: number | null }> {
      const result = await db.execute<{ count: number; daily_limit: number | null }>(sql`
        insert into ${sandboxQuotaUsage} (product, owner_key, path, day, count)
        values (${key.product}, ${key.ownerKey}, ${key.path}, ${key.day}, 1)
        on conflict (product, owner_key, path, day) do update set count = ${sandboxQuotaUsage}.count + 1
        returning count, (select daily_limit from ${sandboxQuotaLimits} l
          where l.product = ${key.product} and l.owner_key = ${key.ownerKey} and l.path = ${key.path}) as daily_limit`);
      const row = result.rows[0];
      return { count: Number(row?.count ?? 1), limit: row?.daily_limit === null || row?.daily_limit === undefined ? null : Number(row.daily_limit) };
    },

    async setQuotaLimit(key: { product: string; ownerKey: string; path: string }, dailyLimit: number | null): Promise<void> {
      const where = and(eq(sandboxQuotaLimits.product, key.product), eq(sandboxQuotaLimits.ownerKey, key.ownerKey), eq(sandboxQuotaLimits.path, key.path));
      if (dailyLimit === null) {
        await db.delete(sandboxQuotaLimits).where(where);
        return;
      }
      await db
        .insert(sandboxQuotaLimits)
        .values({ ...key, dailyLimit })
        .onConflictDoUpdate({ target: [sandboxQuotaLimits.product, sandboxQuotaLimits.ownerKey, sandboxQuotaLimits.path], set: { dailyLimit } });
    },

    async recordDelivery(row: NewDelivery): Promise<DeliveryRow> {
      const [stored] = await db.insert(sandboxDeliveries).values(row).returning();
      if (!stored) throw new Error('delivery row not stored');
      return stored;
    },

    /** Newest first; `beforeId` continues a page. */
    async listDeliveries(filter: { product?: string; ownerKey?: string; beforeId?: number; limit: number }): Promise<DeliveryRow[]> {
      const conditions = [
        filter.product ? eq(sandboxDeliveries.product, filter.product) : undefined,
        filter.ownerKey ? eq(sandboxDeliveries.ownerKey, filter.ownerKey) : undefined,
        filter.beforeId ? lt(sandboxDeliveries.id, filter.beforeId) : undefined,
      ].filter((c) => c !== undefined);
      return db
        .select()
        .from(sandboxDeliveries)
        .where(conditions.length ? and(...conditions) : undefined)
        .orderBy(desc(sandboxDeliveries.id))
        .limit(filter.limit);
    },
  };
}

export type CoreRepository = ReturnType<typeof createCoreRepository>;

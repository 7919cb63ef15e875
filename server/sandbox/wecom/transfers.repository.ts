import { and, asc, count, eq, gt, gte, inArray, lte, notExists, or } from 'drizzle-orm';
import type { Db } from '../../platform/db/client';
import { sandboxWecomTransfers, sandboxWecomUnassigned } from './transfers.tables';
import { sandboxWecomFollows } from './wecom.tables';

export type TransferRow = typeof sandboxWecomTransfers.$inferSelect;
export type UnassignedRow = typeof sandboxWecomUnassigned.$inferSelect;

/** All SQL of the sandbox's customer transfers. */
export function createTransfersRepository(db: Db) {
  return {
    async insertTransfers(rows: Omit<TransferRow, 'id'>[]): Promise<void> {
      if (rows.length) await db.insert(sandboxWecomTransfers).values(rows);
    },
    /** Waiting transfers whose 24 hours are over. */
    dueTransfers(corpId: string, now: Date): Promise<TransferRow[]> {
      return db
        .select()
        .from(sandboxWecomTransfers)
        .where(and(eq(sandboxWecomTransfers.corpId, corpId), eq(sandboxWecomTransfers.status, 2), lte(sandboxWecomTransfers.takeoverAt, now)))
        .orderBy(asc(sandboxWecomTransfers.id));
    },
    async finish(id: number, status: number, at: Date): Promise<boolean> {
      const rows = await db
        .update(sandboxWecomTransfers)
        .set({ status, finishedAt: at })
        .where(and(eq(sandboxWecomTransfers.id, id), eq(sandboxWecomTransfers.status, 2)))
        .returning({ id: sandboxWecomTransfers.id });
      return rows.length > 0;
    },
    /** Every transfer of these customers started since `since` (the 90-day rule and the one-at-a-time rule). */
    transfersOfCustomers(corpId: string, externalUserids: string[], since: Date): Promise<TransferRow[]> {
      if (externalUserids.length === 0) return Promise.resolve([]);
      return db
        .select()
        .from(sandboxWecomTransfers)
        .where(
          and(
            eq(sandboxWecomTransfers.corpId, corpId),
            inArray(sandboxWecomTransfers.externalUserid, externalUserids),
            or(gte(sandboxWecomTransfers.startedAt, since), eq(sandboxWecomTransfers.status, 2)),
          ),
        );
    },
    pendingOfCustomer(corpId: string, externalUserid: string, kind: TransferRow['kind']): Promise<TransferRow[]> {
      return db
        .select()
        .from(sandboxWecomTransfers)
        .where(
          and(
            eq(sandboxWecomTransfers.corpId, corpId),
            eq(sandboxWecomTransfers.externalUserid, externalUserid),
            eq(sandboxWecomTransfers.kind, kind),
            eq(sandboxWecomTransfers.status, 2),
          ),
        );
    },
    /** Transfers between two members, by id after `afterId`. */
    pairPage(corpId: string, kind: TransferRow['kind'], handoverKey: string, takeoverKey: string, afterId: number, limit: number): Promise<TransferRow[]> {
      return db
        .select()
        .from(sandboxWecomTransfers)
        .where(
          and(
            eq(sandboxWecomTransfers.corpId, corpId),
            eq(sandboxWecomTransfers.kind, kind),
            eq(sandboxWecomTransfers.handoverKey, handoverKey),
            eq(sandboxWecomTransfers.takeoverKey, takeoverKey),
            gt(sandboxWecomTransfers.id, afterId),
          ),
        )
        .orderBy(asc(sandboxWecomTransfers.id))
        .limit(limit);
    },
    async countFollows(corpId: string, key: string): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(sandboxWecomFollows)
        .where(and(eq(sandboxWecomFollows.corpId, corpId), eq(sandboxWecomFollows.useridKey, key)));
      return Number(row?.n ?? 0);
    },
    /** The handover member stops following the customer once the takeover happened. */
    async deleteFollow(corpId: string, externalUserid: string, key: string): Promise<void> {
      await db
        .delete(sandboxWecomFollows)
        .where(and(eq(sandboxWecomFollows.corpId, corpId), eq(sandboxWecomFollows.externalUserid, externalUserid), eq(sandboxWecomFollows.useridKey, key)));
    },
    async insertUnassigned(rows: UnassignedRow[]): Promise<void> {
      if (rows.length) await db.insert(sandboxWecomUnassigned).values(rows).onConflictDoNothing();
    },
    unassignedOf(corpId: string, handoverKey: string, externalUserids: string[]): Promise<UnassignedRow[]> {
      if (externalUserids.length === 0) return Promise.resolve([]);
      return db
        .select()
        .from(sandboxWecomUnassigned)
        .where(
          and(
            eq(sandboxWecomUnassigned.corpId, corpId),
            eq(sandboxWecomUnassigned.handoverKey, handoverKey),
            inArray(sandboxWecomUnassigned.externalUserid, externalUserids),
          ),
        );
    },
    async hasResigned(corpId: string, handoverKey: string): Promise<boolean> {
      const [row] = await db
        .select({ n: count() })
        .from(sandboxWecomUnassigned)
        .where(and(eq(sandboxWecomUnassigned.corpId, corpId), eq(sandboxWecomUnassigned.handoverKey, handoverKey)));
      return Number(row?.n ?? 0) > 0;
    },
    async deleteUnassigned(corpId: string, handoverKey: string, externalUserid: string): Promise<void> {
      await db
        .delete(sandboxWecomUnassigned)
        .where(
          and(eq(sandboxWecomUnassigned.corpId, corpId), eq(sandboxWecomUnassigned.handoverKey, handoverKey), eq(sandboxWecomUnassigned.externalUserid, externalUserid)),
        );
    },
    /** Unassigned customers without a waiting transfer, ordered by (handover, customer) after a cursor. */
    unassignedPage(corpId: string, after: { handoverKey: string; externalUserid: string } | null, limit: number): Promise<UnassignedRow[]> {
      const u = sandboxWecomUnassigned;
      const cursor = after ? or(gt(u.handoverKey, after.handoverKey), and(eq(u.handoverKey, after.handoverKey), gt(u.externalUserid, after.externalUserid))) : undefined;
      const waiting = db
        .select({ id: sandboxWecomTransfers.id })
        .from(sandboxWecomTransfers)
        .where(
          and(
            eq(sandboxWecomTransfers.corpId, u.corpId),
            eq(sandboxWecomTransfers.kind, 'resigned'),
            eq(sandboxWecomTransfers.handoverKey, u.handoverKey),
            eq(sandboxWecomTransfers.externalUserid, u.externalUserid),
            eq(sandboxWecomTransfers.status, 2),
          ),
        );
      return db
        .select()
        .from(u)
        .where(and(eq(u.corpId, corpId), cursor, notExists(waiting)))
        .orderBy(asc(u.handoverKey), asc(u.externalUserid))
        .limit(limit);
    },
  };
}

export type TransfersRepository = ReturnType<typeof createTransfersRepository>;

import { and, asc, count, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/client';
import { wecomCustomerTransferItems, wecomCustomerTransfers, type TransferItemStatus } from './customer-transfers.tables';

export type TransferRow = typeof wecomCustomerTransfers.$inferSelect;
export type TransferItemRow = typeof wecomCustomerTransferItems.$inferSelect;

/** All SQL of customer transfers. */
export function createCustomerTransfersRepository(db: Db) {
  return {
    async insertTransfer(row: typeof wecomCustomerTransfers.$inferInsert): Promise<TransferRow> {
      const [created] = await db.insert(wecomCustomerTransfers).values(row).returning();
      return created as TransferRow;
    },
    async setJob(id: string, jobId: string): Promise<void> {
      await db.update(wecomCustomerTransfers).set({ jobId }).where(eq(wecomCustomerTransfers.id, id));
    },
    async findTransfer(accountId: string, id: string): Promise<TransferRow | null> {
      const [row] = await db
        .select()
        .from(wecomCustomerTransfers)
        .where(and(eq(wecomCustomerTransfers.accountId, accountId), eq(wecomCustomerTransfers.id, id)))
        .limit(1);
      return row ?? null;
    },
    /** Newest first; `(createdAt, id)` keyset. */
    async listTransfers(
      accountId: string,
      filter: { kind?: TransferRow['kind'] | undefined; status?: TransferItemStatus | undefined; handoverUserids?: string[] | undefined },
      after: { createdAt: Date; id: string } | null,
      limit: number,
    ): Promise<TransferRow[]> {
      const t = wecomCustomerTransfers;
      const withStatus = filter.status
        ? sql`exists (select 1 from ${wecomCustomerTransferItems} i where i.transfer_id = ${t.id} and i.status = ${filter.status})`
        : undefined;
      return db
        .select()
        .from(t)
        .where(
          and(
            eq(t.accountId, accountId),
            filter.kind ? eq(t.kind, filter.kind) : undefined,
            filter.handoverUserids ? or(inArray(t.handoverUserid, filter.handoverUserids.length ? filter.handoverUserids : ['']), inArray(t.takeoverUserid, filter.handoverUserids.length ? filter.handoverUserids : [''])) : undefined,
            withStatus,
            after ? or(lt(t.createdAt, after.createdAt), and(eq(t.createdAt, after.createdAt), lt(t.id, after.id))) : undefined,
          ),
        )
        .orderBy(desc(t.createdAt), desc(t.id))
        .limit(limit);
    },
    async countsOf(transferIds: string[]): Promise<Map<string, Partial<Record<TransferItemStatus, number>>>> {
      const out = new Map<string, Partial<Record<TransferItemStatus, number>>>();
      if (transferIds.length === 0) return out;
      const i = wecomCustomerTransferItems;
      const rows = await db.select({ transferId: i.transferId, status: i.status, n: count() }).from(i).where(inArray(i.transferId, transferIds)).groupBy(i.transferId, i.status);
      for (const row of rows) out.set(row.transferId, { ...out.get(row.transferId), [row.status]: Number(row.n) });
      return out;
    },
    itemsOf(transferId: string): Promise<TransferItemRow[]> {
      return db.select().from(wecomCustomerTransferItems).where(eq(wecomCustomerTransferItems.transferId, transferId)).orderBy(asc(wecomCustomerTransferItems.externalUserid));
    },
    async insertItems(rows: TransferItemRow[]): Promise<void> {
      for (let i = 0; i < rows.length; i += 1000) await db.insert(wecomCustomerTransferItems).values(rows.slice(i, i + 1000)).onConflictDoNothing();
    },
    /** What Qiao knows of these customers' transfers (the 90-day and one-at-a-time rules). */
    historyOf(accountId: string, externalUserids: string[]): Promise<Pick<TransferItemRow, 'externalUserid' | 'kind' | 'status' | 'startedAt'>[]> {
      if (externalUserids.length === 0) return Promise.resolve([]);
      const i = wecomCustomerTransferItems;
      return db
        .select({ externalUserid: i.externalUserid, kind: i.kind, status: i.status, startedAt: i.startedAt })
        .from(i)
        .where(and(eq(i.accountId, accountId), inArray(i.externalUserid, externalUserids)));
    },
    /** Member pairs with waiting transfers, per account. */
    pendingPairs(accountId: string | null): Promise<{ accountId: string; kind: TransferItemRow['kind']; handoverUserid: string; takeoverUserid: string }[]> {
      const i = wecomCustomerTransferItems;
      return db
        .selectDistinct({ accountId: i.accountId, kind: i.kind, handoverUserid: i.handoverUserid, takeoverUserid: i.takeoverUserid })
        .from(i)
        .where(and(eq(i.status, 'pending'), accountId ? eq(i.accountId, accountId) : undefined));
    },
    /** Updates the waiting items of a pair from WeCom's answer; answers the transfers whose item changed. */
    async settle(
      accountId: string,
      pair: { kind: TransferItemRow['kind']; handoverUserid: string; takeoverUserid: string },
      externalUserid: string,
      changes: { status: TransferItemStatus; takeoverAt: Date | null; finishedAt: Date | null },
    ): Promise<string[]> {
      const i = wecomCustomerTransferItems;
      const rows = await db
        .update(i)
        .set(changes)
        .where(
          and(
            eq(i.accountId, accountId),
            eq(i.kind, pair.kind),
            eq(i.handoverUserid, pair.handoverUserid),
            eq(i.takeoverUserid, pair.takeoverUserid),
            eq(i.externalUserid, externalUserid),
            eq(i.status, 'pending'),
          ),
        )
        .returning({ id: i.transferId });
      return rows.map((r) => r.id);
    },
    /** A transfer_fail event: the waiting on-duty transfer of this customer to this member failed. */
    async failPending(accountId: string, externalUserid: string, takeoverUserid: string, status: 'refused' | 'limit', at: Date): Promise<Pick<TransferItemRow, 'transferId' | 'kind' | 'handoverUserid' | 'takeoverUserid' | 'startedAt'>[]> {
      const i = wecomCustomerTransferItems;
      return db
        .update(i)
        .set({ status, finishedAt: at })
        .where(and(eq(i.accountId, accountId), eq(i.externalUserid, externalUserid), sql`lower(${i.takeoverUserid}) = lower(${takeoverUserid})`, eq(i.status, 'pending')))
        .returning({ transferId: i.transferId, kind: i.kind, handoverUserid: i.handoverUserid, takeoverUserid: i.takeoverUserid, startedAt: i.startedAt });
    },
    /** The retention purge: these customers' parts in transfers; the transfers (who handed over to whom) stay. */
    async purgeCustomers(accountId: string, externalUserids: readonly string[]): Promise<void> {
      if (externalUserids.length === 0) return;
      const i = wecomCustomerTransferItems;
      await db.delete(i).where(and(eq(i.accountId, accountId), inArray(i.externalUserid, [...externalUserids])));
    },
  };
}

export type CustomerTransfersRepository = ReturnType<typeof createCustomerTransfersRepository>;

import { sql } from 'drizzle-orm';
import type { Db } from './client';

/**
 * Runs `work` in a transaction whose statements get no parallel workers.
 *
 * Why: for a query that reads a few thousand index entries, PostgreSQL may
 * still plan a Gather, and starting its workers is what costs. Measured on
 * the customer search (a two-character name prefix, 1,000,000 customers) on
 * this 2-core machine: 126–130 ms with two workers, 26–28 ms without, the
 * workers' own share of it under 2 ms. The embedded database has no workers;
 * the setting is accepted there and changes nothing.
 */
export function withoutParallelWorkers<T>(db: Db, work: (db: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local max_parallel_workers_per_gather = 0`);
    return work(tx as unknown as Db);
  });
}

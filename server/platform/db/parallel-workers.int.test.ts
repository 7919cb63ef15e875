import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import type { Db } from './client';
import { withoutParallelWorkers } from './parallel-workers';

let database: TestDatabase;
let db: Db;

beforeAll(async () => {
  database = await openTestDatabase();
  db = database.handle.db;
});
afterAll(async () => {
  await database.close();
});

async function workersPerGather(on: Db): Promise<string> {
  const result = await on.execute<{ value: string }>(sql`select current_setting('max_parallel_workers_per_gather') as value`);
  return result.rows[0]!.value;
}

describe('withoutParallelWorkers', () => {
  it('turns parallel workers off for the statements of its work', async () => {
    // Set on the transaction first: the embedded database starts at 0 already.
    const seen = await db.transaction(async (outer) => {
      await outer.execute(sql`set local max_parallel_workers_per_gather = 3`);
      const before = await workersPerGather(outer as unknown as Db);
      const inside = await withoutParallelWorkers(outer as unknown as Db, async (tx) => [await workersPerGather(tx), await workersPerGather(tx)]);
      return { before, inside };
    });
    expect(seen).toEqual({ before: '3', inside: ['0', '0'] });
  });

  it('leaves other statements as they were', async () => {
    const before = await workersPerGather(db);
    await withoutParallelWorkers(db, async (tx) => workersPerGather(tx));
    expect(await workersPerGather(db)).toBe(before);
  });

  it('passes on what the work answers and what it throws', async () => {
    expect(await withoutParallelWorkers(db, async () => 42)).toBe(42);
    await expect(withoutParallelWorkers(db, async () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
  });
});

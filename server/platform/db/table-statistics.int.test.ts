import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import type { Db } from './client';
import { analyzeIfGrown } from './table-statistics';

let database: TestDatabase;
let db: Db;

beforeAll(async () => {
  database = await openTestDatabase();
  db = database.handle.db;
  await db.execute(sql`CREATE TABLE stats_probe (id integer PRIMARY KEY, account integer NOT NULL, label text)`);
});
afterAll(async () => {
  await database.close();
});

async function estimate(): Promise<number> {
  const result = await db.execute<{ reltuples: number }>(sql`select reltuples::float8 as reltuples from pg_class where oid = 'stats_probe'::regclass`);
  return Number(result.rows[0]!.reltuples);
}

async function add(from: number, count: number): Promise<void> {
  await db.execute(sql`insert into stats_probe select g, g % 7, 'r' || g from generate_series(${from}::int, ${from + count - 1}::int) g`);
}

describe('analyzeIfGrown', () => {
  it('takes statistics of a table that never had any, then again only once it has doubled', async () => {
    expect(await estimate()).toBe(-1);
    await add(1, 300);
    expect(await analyzeIfGrown(db, 'stats_probe', 300)).toBe(true);
    expect(await estimate()).toBe(300);

    await add(301, 100);
    expect(await analyzeIfGrown(db, 'stats_probe', 100)).toBe(false);
    expect(await estimate()).toBe(300);

    await add(401, 400);
    expect(await analyzeIfGrown(db, 'stats_probe', 400)).toBe(true);
    expect(await estimate()).toBe(800);
    expect(await analyzeIfGrown(db, 'stats_probe', 0)).toBe(false);
  });

  it('counts rows the calling transaction has written but not committed', async () => {
    await db.transaction(async (tx) => {
      await (tx as unknown as Db).execute(sql`insert into stats_probe select g, 1, null from generate_series(1001, 2800) g`);
      expect(await analyzeIfGrown(tx as unknown as Db, 'stats_probe', 1800)).toBe(true);
    });
    expect(await estimate()).toBe(2600);
  });

  it('refuses a name that is not a plain table name', async () => {
    await expect(analyzeIfGrown(db, 'stats_probe; drop table x', 1_000_000)).rejects.toThrow(/plain table name/);
  });
});

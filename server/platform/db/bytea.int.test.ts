import { customType, pgTable, serial } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { pgliteByteaTypes } from './pglite-types';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });
const probe = pgTable('bytea_probe', { id: serial('id').primaryKey(), content: bytea('content').notNull() });

let database: TestDatabase;

beforeAll(async () => {
  database = await openTestDatabase();
  await database.handle.db.execute(sql`CREATE TABLE bytea_probe (id serial PRIMARY KEY, content bytea NOT NULL)`);
});
afterAll(async () => {
  await database.close();
});

describe('bytea values', () => {
  it('store and come back byte for byte, as Buffers, on either database', async () => {
    const { db } = database.handle;
    const every = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256));
    const view = new Uint8Array(every.buffer, every.byteOffset + 3, 7);
    const [a, b, c] = await db
      .insert(probe)
      .values([{ content: every }, { content: Buffer.alloc(0) }, { content: view as Buffer }])
      .returning({ id: probe.id });
    const rows = await db.select().from(probe).orderBy(probe.id);
    expect(rows.map((r) => r.id)).toEqual([a!.id, b!.id, c!.id]);
    for (const row of rows) expect(Buffer.isBuffer(row.content)).toBe(true);
    expect(rows[0]!.content.equals(every)).toBe(true);
    expect(rows[1]!.content.length).toBe(0);
    expect([...rows[2]!.content]).toEqual([3, 4, 5, 6, 7, 8, 9]);
    const lengths = await db.execute<{ n: number }>(sql`select octet_length(content) as n from bytea_probe order by id`);
    expect(lengths.rows.map((r) => Number(r.n))).toEqual([512, 0, 7]);
  });

  it('refuses a value that is not bytes instead of storing its text', () => {
    expect(() => pgliteByteaTypes.serializers[17]('\\x00')).toThrow(TypeError);
  });
});

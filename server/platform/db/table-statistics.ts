import { sql } from 'drizzle-orm';
import type { Db } from './client';

/**
 * Refreshes a table's planner statistics once a bulk write has at least
 * doubled it since they were last taken (or they never were).
 *
 * Why: PostgreSQL keeps the plans of foreign-key checks for a connection's
 * lifetime and re-plans them only when statistics change. A check planned
 * while a table was empty can pick any index whose first column matches and
 * filter the rest, so every check then reads the whole account: measured on a
 * 5,000-member directory pull, 2.7 ms per placement row by the end. Autovacuum
 * would refresh the statistics a minute later; the embedded database has no
 * autovacuum at all. Doubling keeps the cost to a few ANALYZEs per import of
 * any size. Safe inside a transaction: ANALYZE counts the transaction's own
 * new rows.
 */
export async function analyzeIfGrown(db: Db, table: string, added: number): Promise<boolean> {
  const quoted = quoteIdentifier(table);
  if (added <= 0) return false;
  const result = await db.execute<{ reltuples: number }>(sql`select reltuples::float8 as reltuples from pg_class where oid = to_regclass(${table})`);
  const known = Number(result.rows[0]?.reltuples ?? -1);
  if (known >= 0 && added < Math.max(known, 200)) return false;
  await db.execute(sql.raw(`analyze ${quoted}`));
  return true;
}

function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a plain table name: ${name}`);
  return `"${name}"`;
}

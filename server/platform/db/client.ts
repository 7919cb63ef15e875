import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { Assume } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { createPgliteClusterApart, hasPgliteCluster } from './pglite-cluster';
import { pgliteByteaTypes } from './pglite-types';

// pg returns int8 (count, bigint) as strings while PGlite returns numbers; align on numbers.
pg.types.setTypeParser(20, (v) => Number(v));

interface QueryRows<Row> {
  rows: Row[];
}

/** What both drivers answer to raw `execute()`: the rows, typed by the caller. */
export interface QueryResultHKT extends PgQueryResultHKT {
  type: QueryRows<Assume<this['row'], Record<string, unknown>>>;
}

/** The query builder every repository receives: the same type over PGlite and PostgreSQL. */
export type Db = PgDatabase<QueryResultHKT>;

/** A transaction handed to a callback by `db.transaction`; repositories accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export type DatabaseHandle =
  | { kind: 'pglite'; db: Db; pglite: PGlite; close(): Promise<void> }
  | { kind: 'postgres'; db: Db; pool: pg.Pool; close(): Promise<void> };

/**
 * Opens PostgreSQL when a URL is given, else the embedded PGlite in `pgliteDir` (or memory). A
 * directory without a cluster gets one first, from `createCluster` (a child process by default).
 */
export async function openDatabase(options: {
  databaseUrl?: string;
  poolSize?: number;
  pgliteDir?: string;
  /** PGlite's shared_buffers: it zeroes them at start, so every MiB is resident from the first second. */
  pgliteSharedBuffersMb?: number;
  pglite?: PGlite;
  createCluster?: (dataDir: string) => Promise<void>;
}): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 20 });
    pool.on('error', () => {
      // An idle client lost its connection; the pool replaces it on next use.
    });
    const db = drizzlePg(pool) as unknown as Db;
    return { kind: 'postgres', db, pool, close: () => pool.end() };
  }
  if (!options.pglite && options.pgliteDir && !hasPgliteCluster(options.pgliteDir)) {
    await (options.createCluster ?? createPgliteClusterApart)(options.pgliteDir);
  }
  const startParams = options.pgliteSharedBuffersMb ? [...PGlite.defaultStartParams, '-c', `shared_buffers=${options.pgliteSharedBuffersMb}MB`] : undefined;
  const pglite = options.pglite ?? new PGlite({ ...pgliteByteaTypes, ...(options.pgliteDir ? { dataDir: options.pgliteDir } : {}), ...(startParams ? { startParams } : {}) });
  await pglite.waitReady;
  const db = drizzlePglite(pglite) as unknown as Db;
  return { kind: 'pglite', db, pglite, close: () => pglite.close() };
}

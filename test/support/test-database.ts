import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../server/platform/db/client';
import { withDatabase } from './global-setup';
import { pgliteByteaTypes } from '../../server/platform/db/pglite-types';

export interface TestDatabase {
  handle: DatabaseHandle;
  /** A connection URL when on PostgreSQL (child processes open their own). */
  url: string | null;
  /** Empties every table so each test starts from the migrated state. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** One migrated database per test file: PGlite from the dump, or a PostgreSQL clone of the template. */
export async function openTestDatabase(): Promise<TestDatabase> {
  const baseUrl = process.env.TEST_DATABASE_URL;
  const template = inject('postgresTemplate');
  if (baseUrl && template) {
    const name = `qiao_t_${process.ppid}_${randomBytes(4).toString('hex')}`;
    await createFromTemplate(baseUrl, name, template);
    // A test database is thrown away after its file: commits need not wait for the WAL flush.
    const url = withSessionSetting(withDatabase(baseUrl, name), 'synchronous_commit', 'off');
    const handle = await openDatabase({ databaseUrl: url });
    return {
      handle,
      url,
      reset: () => truncateAll(handle),
      close: async () => {
        await handle.close();
        const admin = new pg.Client({ connectionString: baseUrl });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      },
    };
  }
  const dump = readFileSync(inject('pgliteDumpPath'));
  const pglite = new PGlite({ ...pgliteByteaTypes, loadDataDir: new Blob([dump]) });
  const handle = await openDatabase({ pglite });
  return { handle, url: null, reset: () => truncateAll(handle), close: () => handle.close() };
}

function withSessionSetting(url: string, name: string, value: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `${parsed.searchParams.get('options') ?? ''} -c ${name}=${value}`.trim());
  return parsed.toString();
}

async function createFromTemplate(baseUrl: string, name: string, template: string): Promise<void> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    // PostgreSQL refuses to clone a template that another CREATE DATABASE is copying; wait and retry.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        return;
      } catch (error) {
        if (attempt >= 50 || !String((error as Error).message).includes('being accessed')) throw error;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
}

async function truncateAll(handle: DatabaseHandle): Promise<void> {
  const result = await handle.db.execute<{ tablename: string }>(
    sql`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`,
  );
  const tables = result.rows.map((r) => `"public"."${r.tablename}"`);
  if (tables.length === 0) return;
  // Timers of the previous test's app (schedulers, job polling) may still hold row locks; PostgreSQL
  // then picks the TRUNCATE as a deadlock victim, and trying again once they finish succeeds.
  for (let attempt = 1; ; attempt++) {
    try {
      await handle.db.execute(sql.raw(`TRUNCATE ${tables.join(', ')} RESTART IDENTITY CASCADE`));
      return;
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
      if (code !== '40P01' || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

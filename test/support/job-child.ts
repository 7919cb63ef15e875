/**
 * A Qiao-like process for the restart test: opens the database the way
 * main.ts does (data-dir lock, migrations), runs the job queue with one test
 * job kind, starts that job unless it exists, and prints one JSON line per
 * progress change until the job ends, then what the database holds. The test
 * SIGKILLs it mid-job and runs it again on the same database.
 *
 * Environment: JOB_CHILD_DATA_DIR (PGlite) or JOB_CHILD_DATABASE_URL (PostgreSQL);
 * JOB_CHILD_SEED_DUMP, a migrated PGlite dump to start a new data dir from
 * (initialising an empty one is the slowest part of a first boot).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { systemClock } from '../../server/platform/clock';
import { openDatabase } from '../../server/platform/db/client';
import { lockDataDir } from '../../server/platform/db/data-dir-lock';
import { migrateDatabase } from '../../server/platform/db/migrate';
import { createLogger } from '../../server/platform/logger';
import { createJobQueue } from '../../server/platform/queue';
import { pgliteByteaTypes } from '../../server/platform/db/pglite-types';

const restartJobKind = 'test.restart-items';
const restartItemCount = 200;

const bornAt = Date.now();

function emit(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ pid: process.pid, ms: Date.now() - bornAt, ...event })}\n`);
}

async function openPglite(dataDir: string): Promise<PGlite> {
  const pgdata = join(dataDir, 'pgdata');
  const seed = process.env.JOB_CHILD_SEED_DUMP;
  if (seed && !existsSync(pgdata)) return new PGlite({ ...pgliteByteaTypes, dataDir: pgdata, loadDataDir: new Blob([readFileSync(seed)]) });
  return new PGlite({ ...pgliteByteaTypes, dataDir: pgdata });
}

async function main(): Promise<void> {
  const dataDir = process.env.JOB_CHILD_DATA_DIR;
  const databaseUrl = process.env.JOB_CHILD_DATABASE_URL;
  if (!dataDir && !databaseUrl) throw new Error('set JOB_CHILD_DATA_DIR or JOB_CHILD_DATABASE_URL');
  const lock = dataDir ? lockDataDir(dataDir) : null;
  const database = dataDir ? await openDatabase({ pglite: await openPglite(dataDir) }) : await openDatabase({ databaseUrl });
  await migrateDatabase(database);
  const db = database.db;
  await db.execute(sql`CREATE TABLE IF NOT EXISTS restart_items (job_id uuid NOT NULL, item integer NOT NULL, UNIQUE (job_id, item))`);

  const logger = createLogger(process.env.JOB_CHILD_LOG_LEVEL ?? 'silent');
  const queue = createJobQueue({
    database,
    logger,
    clock: systemClock,
    timings: { superviseIntervalSeconds: 1, pollingIntervalSeconds: 0.5 },
  });
  queue.register(
    restartJobKind,
    async (context) => {
      await context.setTotal(restartItemCount);
      const from = (context.checkpoint as { next: number } | null)?.next ?? 0;
      emit({ event: 'run', from });
      for (let item = from; item < restartItemCount; item++) {
        context.signal.throwIfAborted();
        await sleep(5);
        await db.transaction(async (tx) => {
          try {
            await tx.execute(sql`INSERT INTO restart_items (job_id, item) VALUES (${context.jobId}, ${item})`);
          } catch (error) {
            emit({ event: 'duplicate', item, message: (error as Error).message });
            throw error;
          }
          await context.progress({ done: item + 1, checkpoint: { next: item + 1 } }, tx);
        });
      }
      return { items: restartItemCount - from };
    },
    { retryDelaySeconds: 1 },
  );
  await queue.start();

  const existing = await queue.list({ kind: restartJobKind, limit: 1 });
  const jobId = existing.items[0]?.id ?? (await queue.enqueue(restartJobKind, {}, { total: restartItemCount })).id;
  emit({ event: 'started', jobId, resumed: existing.items.length > 0 });

  let lastDone = -1;
  for (;;) {
    const run = await queue.get(jobId);
    if (run.done !== lastDone || (run.state !== 'queued' && run.state !== 'running')) {
      lastDone = run.done;
      emit({ event: 'progress', jobId, state: run.state, done: run.done, total: run.total });
    }
    if (run.state !== 'queued' && run.state !== 'running') break;
    await sleep(50);
  }
  await queue.stop();
  const counted = (await db.execute(
    sql`SELECT count(*)::int AS rows, count(DISTINCT item)::int AS "distinctItems", min(item) AS first, max(item) AS last,
          (SELECT attempt FROM job_runs WHERE id = ${jobId}) AS attempt
        FROM restart_items WHERE job_id = ${jobId}`,
  )) as unknown as { rows: Record<string, unknown>[] };
  emit({ event: 'verified', jobId, ...counted.rows[0] });
  await database.close();
  lock?.release();
}

const guard = setTimeout(() => {
  emit({ event: 'error', message: 'the child gave up after 120 s' });
  process.exit(3);
}, 120_000);
guard.unref();

main().then(
  () => process.exit(0),
  (error: unknown) => {
    emit({ event: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(1);
  },
);

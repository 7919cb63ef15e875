/**
 * Qiao booted as server/main.ts boots it (config from the environment, data-dir
 * lock, migrations, first-boot sandbox, job queue, listening), for tests that
 * SIGKILL it mid-job and start it again on the same data. It also prints one
 * JSON line per job progress call and per job end on stdout, from inside the
 * job, so a test can kill it at a known point: on the embedded database a
 * busy job holds the only connection, and a progress request over HTTP would
 * only be answered after the job.
 */
import { join, resolve } from 'node:path';
import { buildApp } from '../../server/app';
import { connectSandboxOnFirstBoot } from '../../server/first-boot';
import { createCache } from '../../server/platform/cache';
import { systemClock } from '../../server/platform/clock';
import { loadConfig } from '../../server/platform/config';
import { openDatabase } from '../../server/platform/db/client';
import { lockDataDir } from '../../server/platform/db/data-dir-lock';
import { migrateDatabase } from '../../server/platform/db/migrate';
import { createLogger } from '../../server/platform/logger';
import { createJobQueue, type JobQueue } from '../../server/platform/queue';
import type { JobHandler, JobKindOptions } from '../../server/platform/queue/job-queue';
import { loadSecretKey } from '../../server/platform/secrets';

function emit(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ pid: process.pid, ...event })}\n`);
}

/** The queue with every handler's progress and end reported on stdout. */
function reporting(queue: JobQueue): JobQueue {
  const register = queue.register.bind(queue);
  function registerReporting<Input extends Record<string, unknown>, Checkpoint = unknown>(kind: string, handler: JobHandler<Input, Checkpoint>, options?: JobKindOptions): void {
    register<Input, Checkpoint>(
      kind,
      async (context) => {
        emit({ event: 'run', kind, jobId: context.jobId, from: context.done });
        const result = await handler({
          ...context,
          progress: async (update, tx) => {
            await context.progress(update, tx);
            emit({ event: 'progress', kind, jobId: context.jobId, done: update.done });
          },
        });
        emit({ event: 'end', kind, jobId: context.jobId });
        return result;
      },
      options,
    );
  }
  queue.register = registerReporting;
  return queue;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const dataDir = resolve(config.dataDir);
  const lock = lockDataDir(dataDir);
  loadSecretKey({ secretKey: config.secretKey, dataDir });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, poolSize: config.databasePoolSize, pgliteDir: join(dataDir, 'pgdata') });
  await migrateDatabase(database);
  const cache = await createCache({ redisUrl: config.redisUrl });
  const queue = reporting(createJobQueue({ database, logger: logger.child({ module: 'queue' }), clock: systemClock }));
  const app = await buildApp({ config, database, cache, queue, clock: systemClock, logger });
  if (config.adminUsername && config.adminPassword) await app.system.bootstrapAdmin(config.adminUsername, config.adminPassword);
  await connectSandboxOnFirstBoot({ sandbox: app.sandbox, wecomSandbox: app.wecomSandbox, accounts: app.accounts.service, population: config.sandboxFollowers, logger });
  await queue.start();
  await app.listen({ port: config.port, host: config.host });
  emit({ event: 'ready', url: config.publicBaseUrl });
  process.on('SIGTERM', () => {
    void (async () => {
      await app.close();
      await queue.stop();
      await cache.close();
      await database.close();
      lock.release();
      process.exit(0);
    })();
  });
}

main().catch((error: unknown) => {
  emit({ event: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});

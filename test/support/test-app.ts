import { afterAll, beforeAll, beforeEach } from 'vitest';
import { buildApp, type QiaoApp } from '../../server/app';
import { createCache } from '../../server/platform/cache';
import type { Cache } from '../../server/platform/cache/cache';
import { manualClock } from '../../server/platform/clock';
import { loadConfig, type Config } from '../../server/platform/config';
import { createLogger } from '../../server/platform/logger';
import { createJobQueue } from '../../server/platform/queue';
import type { JobQueue } from '../../server/platform/queue/job-queue';
import { openTestDatabase, type TestDatabase } from './test-database';

export interface TestApp {
  app: QiaoApp;
  db: TestDatabase;
  config: Config;
  cache: Cache;
  queue: JobQueue;
  clock: ReturnType<typeof manualClock>;
}

export interface TestAppOptions {
  /** Extra environment for loadConfig, e.g. `{ QIAO_SANDBOX: 'off' }`. */
  env?: Record<string, string>;
  /** Start pg-boss workers (off by default: most tests never run a job). */
  startQueue?: boolean;
}

/** Builds Qiao on a migrated per-file database, exactly as main.ts wires it, without listening. */
export async function buildTestApp(options: TestAppOptions = {}): Promise<TestApp & { close(): Promise<void> }> {
  const db = await openTestDatabase();
  const config = loadConfig({
    QIAO_DATA_DIR: '/nonexistent-test-data-dir',
    LOG_LEVEL: 'silent',
    // A fixed key keeps tests from writing a key file into a data dir they do not own.
    QIAO_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
    ...options.env,
  });
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const clock = manualClock(new Date());
  const cache = await createCache({ redisUrl: undefined });
  const queue = createJobQueue({ database: db.handle, logger, clock });
  const app = await buildApp({ config, database: db.handle, cache, queue, clock, logger });
  await app.ready();
  if (options.startQueue) await queue.start();
  return {
    app,
    db,
    config,
    cache,
    queue,
    clock,
    async close() {
      await app.close();
      await queue.stop();
      await cache.close();
      await db.close();
    },
  };
}

/**
 * One app per test file, a clean database per test:
 * `const t = useTestApp();` then `t().app.inject(...)` inside tests.
 */
export function useTestApp(options: TestAppOptions = {}): () => TestApp {
  let current: (TestApp & { close(): Promise<void> }) | undefined;
  beforeAll(async () => {
    current = await buildTestApp(options);
  });
  beforeEach(async () => {
    await current?.db.reset();
  });
  afterAll(async () => {
    await current?.close();
  });
  return () => {
    if (!current) throw new Error('useTestApp: the app is built in beforeAll; call the getter inside a test');
    return current;
  };
}

/**
 * Another Qiao instance on the test's database, as a second process would be: its own in-process cache and
 * queue (not started), the test's clock and config with `callbackBudgetMs`. Close it before the test ends.
 */
export async function anotherInstance(base: TestApp, options: { callbackBudgetMs: number }): Promise<{ app: QiaoApp; cache: Cache; close(): Promise<void> }> {
  const logger = createLogger('silent');
  const cache = await createCache({});
  const queue = createJobQueue({ database: base.db.handle, logger, clock: base.clock });
  const app = await buildApp({ config: { ...base.config, callbackBudgetMs: options.callbackBudgetMs }, database: base.db.handle, cache, queue, clock: base.clock, logger });
  await app.ready();
  return { app, cache, close: async () => (await app.close(), await cache.close()) };
}

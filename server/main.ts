import { join, resolve } from 'node:path';
import { buildApp, defaultConsoleDir } from './app';
import { connectSandboxOnFirstBoot } from './first-boot';
import { createCache } from './platform/cache';
import { systemClock } from './platform/clock';
import { ConfigError, loadConfig, type Config } from './platform/config';
import { openDatabase } from './platform/db/client';
import { DataDirLockedError, lockDataDir } from './platform/db/data-dir-lock';
import { migrateDatabase } from './platform/db/migrate';
import { tuneMemory } from './platform/memory-tuning';
import { createLogger } from './platform/logger';
import { createJobQueue } from './platform/queue';
import { loadSecretKey } from './platform/secrets';

function readConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Qiao cannot start. Fix these settings (see docs/configuration.md):\n${error.problems.map((p) => `  - ${p}`).join('\n')}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** Boot: config, lock the data dir, open and migrate the database, start jobs, listen. */
async function main(): Promise<void> {
  const startedAt = performance.now();
  tuneMemory();
  const config = readConfigOrExit();
  const logger = createLogger(config.logLevel);
  const dataDir = resolve(config.dataDir);

  let lock: ReturnType<typeof lockDataDir>;
  try {
    lock = lockDataDir(dataDir);
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      process.stderr.write(`Qiao cannot start: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  // Fails early on a bad key file rather than at the first stored secret.
  loadSecretKey({ secretKey: config.secretKey, dataDir });

  const database = await openDatabase({ databaseUrl: config.databaseUrl, poolSize: config.databasePoolSize, pgliteDir: join(dataDir, 'pgdata'), pgliteSharedBuffersMb: config.pgliteSharedBuffersMb });
  await migrateDatabase(database);
  const cache = await createCache({ redisUrl: config.redisUrl });
  const queue = createJobQueue({ database, logger: logger.child({ module: 'queue' }), clock: systemClock });
  const app = await buildApp({ config, database, cache, queue, clock: systemClock, logger, consoleDir: config.consoleDir ? resolve(config.consoleDir) : defaultConsoleDir });

  if (config.adminUsername && config.adminPassword) {
    const outcome = await app.system.bootstrapAdmin(config.adminUsername, config.adminPassword);
    if (outcome === 'created') logger.info({ username: config.adminUsername }, 'created the first super admin from QIAO_ADMIN_USERNAME');
  }

  await connectSandboxOnFirstBoot({
    sandbox: app.sandbox,
    wecomSandbox: app.wecomSandbox,
    accounts: app.accounts.service,
    population: config.sandboxFollowers,
    logger,
    queue,
  });

  for (const account of await app.accounts.service.unreadableSecrets()) {
    logger.error(
      { accountId: account.id, keyIds: account.keyIds },
      `The secrets of account "${account.name}" were sealed with master key ${account.keyIds.join(', ')}, which this server does not have: its callbacks and API calls will fail. Set QIAO_SECRET_KEY back to that key and restart, or enter the account's secrets again in the console (接入账号 → 编辑).`,
    );
  }

  await queue.start();
  await app.listen({ port: config.port, host: config.host });
  logger.info(
    { url: config.publicBaseUrl, database: database.kind, cache: cache.kind, bootMs: Math.round(performance.now() - startedAt) },
    `Qiao is ready at ${config.publicBaseUrl}`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      await app.close();
      await queue.stop();
      await cache.close();
      await database.close();
    } finally {
      lock.release();
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Qiao failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

import type { Logger } from 'pino';
import type { AuditRecorder } from './audit';
import type { Cache } from './cache/cache';
import type { Clock } from './clock';
import type { Config } from './config';
import type { Db } from './db/client';
import type { JobQueue } from './queue/job-queue';

/** The plain dependency object app.ts hands every module; no container, no decorators. */
export interface PlatformDeps {
  config: Config;
  db: Db;
  cache: Cache;
  queue: JobQueue;
  clock: Clock;
  logger: Logger;
}

export interface ModuleDeps extends PlatformDeps {
  audit: AuditRecorder;
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { PgBoss, fromPglite, type JobWithMetadata, type SendOptions } from 'pg-boss';
import { AppError, isAppError, renderErrorMessage } from '../../../common/errors';
import { decodeCursor, encodeCursor, type Page } from '../../../common/paging';
import type { Clock } from '../clock';
import type { DatabaseHandle, Db } from '../db/client';
import type { JobContext, JobHandler, JobKindOptions, JobQueue, JobRun } from './job-queue';
import { jobRunsRepository as runs, type JobRunRow } from './job-runs.repository';
import type { JobFailure } from './job-runs.tables';

/** Timings, shortened by tests; the defaults suit production. */
export interface JobQueueTimings {
  /** How often pg-boss checks for lost runs (stale heartbeat, timeout). */
  superviseIntervalSeconds: number;
  /** A run whose heartbeat is older than this is treated as crashed and retried (pg-boss minimum 10). */
  heartbeatSeconds: number;
  pollingIntervalSeconds: number;
  /** How often a running handler looks for a cancel request. */
  cancelPollMs: number;
  /** How long cancel() waits for a running handler to stop. */
  cancelWaitMs: number;
  /** How long stop() lets running handlers finish before interrupting them. */
  stopGraceMs: number;
  /** Handlers running at once in this process. */
  concurrency: number;
  /** Jobs still queued without change for this long are handed to pg-boss again (a send that failed). */
  resendAfterMs: number;
}

const defaultTimings: JobQueueTimings = {
  superviseIntervalSeconds: 2,
  heartbeatSeconds: 10,
  pollingIntervalSeconds: 1,
  cancelPollMs: 500,
  cancelWaitMs: 3_000,
  stopGraceMs: 3_000,
  concurrency: 4,
  resendAfterMs: 60_000,
};

const queueName = 'qiao.jobs';
const deadQueueName = 'qiao.jobs.dead';
const bossSchema = 'pgboss';

interface Delivery {
  jobId: string;
  kind: string;
}

type StopReason = 'cancelled' | 'stopping' | 'superseded';

/** Why a handler's signal was aborted; `signal.throwIfAborted()` throws it. */
export class JobInterruptedError extends Error {
  readonly reason: StopReason;
  constructor(reason: StopReason) {
    super(`Job run interrupted: ${reason}`);
    this.name = 'JobInterruptedError';
    this.reason = reason;
  }
}

interface Registration {
  handler: JobHandler<Record<string, unknown>, unknown>;
  options: Required<JobKindOptions>;
}

/**
 * JobQueue on pg-boss in the application database: one pg-boss queue carries
 * every kind (the kind travels in the job), a dead-letter queue tells Qiao
 * about jobs pg-boss gave up on, and `job_runs` holds what users see.
 */
export function createJobQueue(deps: {
  database: DatabaseHandle;
  logger: Logger;
  clock: Clock;
  timings?: Partial<JobQueueTimings>;
}): JobQueue {
  const { database, logger, clock } = deps;
  const timings: JobQueueTimings = { ...defaultTimings, ...deps.timings };
  const db: Db = database.db;
  const registrations = new Map<string, Registration>();
  const active = new Map<string, AbortController>();
  let boss: PgBoss | null = null;
  let state: 'idle' | 'starting' | 'running' | 'stopping' = 'idle';
  let resendSweep: NodeJS.Timeout | undefined;
  /** This process's worker: woken when it enqueues, so a job starts now rather than at the next poll. */
  let workerId: string | null = null;

  const sendOptions = (kind: string, jobId: string): SendOptions => {
    const registration = registrations.get(kind);
    if (!registration) throw new Error(`No handler registered for job kind ${kind}`);
    const { retryLimit, retryDelaySeconds, timeoutSeconds } = registration.options;
    return {
      id: jobId,
      retryLimit,
      retryDelay: retryDelaySeconds,
      retryBackoff: true,
      retryDelayMax: 300,
      expireInSeconds: timeoutSeconds,
      heartbeatSeconds: timings.heartbeatSeconds,
    };
  };

  const createBoss = (): PgBoss => {
    const common = {
      schema: bossSchema,
      superviseIntervalSeconds: timings.superviseIntervalSeconds,
      monitorIntervalSeconds: timings.superviseIntervalSeconds,
      schedule: false,
      registerInstance: false,
    };
    const created =
      database.kind === 'pglite'
        ? new PgBoss({ ...common, db: fromPglite(database.pglite), backend: 'pglite' })
        : new PgBoss({ ...common, connectionString: connectionStringOf(database), max: 4 });
    created.on('error', (error) => logger.error({ err: error }, 'job queue error'));
    created.on('warning', (warning) => logger.warn({ warning: warning.message }, 'job queue warning'));
    return created;
  };

  const toFailure = (error: unknown): JobFailure => {
    if (isAppError(error)) {
      return { code: error.code, message: renderErrorMessage(error.code, 'en-US', error.details), details: error.details };
    }
    return { code: 'INTERNAL_ERROR', message: error instanceof Error ? error.message : String(error) };
  };

  const runOnce = async (job: JobWithMetadata<Delivery>): Promise<void> => {
    const { jobId, kind } = job.data;
    const registration = registrations.get(kind);
    // Another instance of a newer release may know this kind; pg-boss retries it there.
    if (!registration) throw new Error(`No handler registered for job kind ${kind}`);
    const claimed = await runs.claim(db, jobId, clock.now());
    if (!claimed) {
      // Cancelled while queued, already finished, or asked to cancel before a crash: nothing to run.
      await runs.finishCancelRequested(db, jobId, clock.now());
      return;
    }
    const attempt = claimed.attempt;
    const controller = new AbortController();
    const stopWith = (reason: StopReason) => {
      if (!controller.signal.aborted) controller.abort(new JobInterruptedError(reason));
    };
    active.set(jobId, controller);
    // pg-boss aborts its own signal when it took the claim away (timeout, lost heartbeat).
    job.signal.addEventListener('abort', () => stopWith('superseded'), { once: true });
    const poll = setInterval(() => {
      runs
        .control(db, jobId)
        .then((control) => {
          if (!control || control.attempt !== attempt || control.state !== 'running') stopWith('superseded');
          else if (control.cancelRequested) stopWith('cancelled');
        })
        .catch((error: unknown) => logger.warn({ err: error, jobId }, 'could not check the job for a cancel request'));
    }, timings.cancelPollMs);

    const context: JobContext<Record<string, unknown>, unknown> = {
      jobId,
      input: claimed.input,
      checkpoint: claimed.checkpoint ?? null,
      done: claimed.done,
      signal: controller.signal,
      async setTotal(total) {
        if (!(await runs.setTotal(db, jobId, attempt, total, clock.now()))) {
          stopWith('superseded');
          throw new JobInterruptedError('superseded');
        }
      },
      async progress(update, tx) {
        const outcome = await runs.recordProgress((tx as Db | undefined) ?? db, jobId, attempt, update, clock.now());
        if (!outcome) {
          stopWith('superseded');
          throw new JobInterruptedError('superseded');
        }
        if (outcome.cancelRequested) stopWith('cancelled');
      },
    };

    const interruption = (): StopReason | null =>
      controller.signal.aborted && controller.signal.reason instanceof JobInterruptedError ? controller.signal.reason.reason : null;

    try {
      const result = await registration.handler(context);
      const reason = interruption();
      if (reason === 'superseded') return;
      if (reason === 'cancelled') await runs.finish(db, jobId, attempt, { state: 'cancelled' }, clock.now());
      else await runs.finish(db, jobId, attempt, { state: 'succeeded', result: result ?? null }, clock.now());
    } catch (error) {
      const reason = interruption();
      if (reason === 'superseded') return;
      if (reason === 'cancelled') {
        await runs.finish(db, jobId, attempt, { state: 'cancelled' }, clock.now());
        return;
      }
      if (reason === 'stopping') {
        await runs.requeue(db, jobId, attempt, clock.now());
        throw error;
      }
      if (!isAppError(error) && job.retryCount < job.retryLimit) {
        logger.warn({ err: error, jobId, kind, retry: job.retryCount + 1 }, 'job run failed; it will be retried');
        await runs.requeue(db, jobId, attempt, clock.now());
        throw error;
      }
      if (!isAppError(error)) logger.error({ err: error, jobId, kind }, 'job failed after its last retry');
      await runs.finish(db, jobId, attempt, { state: 'failed', failure: toFailure(error) }, clock.now());
    } finally {
      clearInterval(poll);
      active.delete(jobId);
    }
  };

  // pg-boss gave up on a job (retries spent on crashes or timeouts) without a handler ending it.
  const buryDead = async (job: { data: Delivery }): Promise<void> => {
    const failure: JobFailure = { code: 'INTERNAL_ERROR', message: 'The job was interrupted (crash, restart or timeout) and no retry was left' };
    await runs.failUnfinished(db, job.data.jobId, failure, clock.now());
  };

  /** On PGlite this process is the only one (the data dir is locked), so every active job is a dead run's. */
  const reclaimOrphans = async (started: PgBoss): Promise<void> => {
    if (database.kind !== 'pglite') return;
    for (const { id } of await runs.idsInState(db, 'running')) {
      const [bossJob] = await started.findJobs<Delivery>(queueName, { id });
      if (bossJob?.state === 'active') await started.fail(queueName, id, { message: 'interrupted by a restart' });
    }
  };

  // Jobs recorded while the workers were not running, or whose send failed, are sent again; ids make it idempotent.
  const sendRecorded = async (started: PgBoss, unchangedSince?: Date): Promise<void> => {
    const queued = await runs.idsInState(db, 'queued', { unchangedSince, limit: unchangedSince ? 500 : undefined });
    const sendable = queued.filter(({ kind }) => registrations.has(kind));
    for (let i = 0; i < sendable.length; i += 500) {
      const batch = sendable.slice(i, i + 500).map(({ id, kind }) => {
        const { id: jobId, ...options } = sendOptions(kind, id);
        return { id: jobId, data: { jobId: id, kind }, ...options };
      });
      await started.insert(queueName, batch);
    }
  };

  const waitUntilFinished = async (jobId: string, row: JobRunRow): Promise<JobRunRow> => {
    const deadline = Date.now() + timings.cancelWaitMs;
    let current = row;
    while (current.state === 'running' && Date.now() < deadline) {
      await sleep(Math.min(100, timings.cancelPollMs));
      current = (await runs.find(db, jobId)) ?? current;
    }
    return current;
  };

  return {
    register(kind, handler, options = {}) {
      if (state !== 'idle') throw new Error(`Job kind ${kind} registered after the queue started`);
      if (registrations.has(kind)) throw new Error(`Job kind ${kind} is registered twice`);
      registrations.set(kind, {
        handler: handler as JobHandler<Record<string, unknown>, unknown>,
        options: { retryLimit: 5, retryDelaySeconds: 2, timeoutSeconds: 6 * 3600, ...options },
      });
    },

    async enqueue(kind, input, options = {}) {
      if (!registrations.has(kind)) throw new Error(`No handler registered for job kind ${kind}`);
      const row = await runs.insert(db, {
        kind,
        input,
        total: options.total ?? null,
        createdBy: options.createdBy ?? null,
        accountId: options.accountId ?? null,
        now: clock.now(),
      });
      if (boss) {
        // A failed send leaves the job recorded as queued; the resend sweep or the next start delivers it.
        const sent = await boss
          .send(queueName, { jobId: row.id, kind } satisfies Delivery, sendOptions(kind, row.id))
          .catch((error: unknown) => logger.warn({ err: error, jobId: row.id, kind }, 'could not hand the job to the workers yet'));
        if (sent && workerId) boss.notifyWorker(workerId);
      }
      return toJobRun(row);
    },

    async get(jobId) {
      const row = isUuid(jobId) ? await runs.find(db, jobId) : null;
      if (!row) throw new AppError('JOB_NOT_FOUND', { jobId });
      return toJobRun(row);
    },

    async list(filter) {
      const after = filter.cursor ? parseCursor(filter.cursor) : undefined;
      const rows = await runs.list(db, { ...filter, after, limit: filter.limit + 1 });
      const items = rows.slice(0, filter.limit).map(toJobRun);
      const last = rows.length > filter.limit ? items.at(-1) : undefined;
      return { items, nextCursor: last ? encodeCursor([last.createdAt, last.id]) : null } satisfies Page<JobRun>;
    },

    async cancel(jobId) {
      if (!isUuid(jobId)) throw new AppError('JOB_NOT_FOUND', { jobId });
      const row = await runs.requestCancel(db, jobId, clock.now());
      if (!row) {
        if (await runs.find(db, jobId)) throw new AppError('JOB_ALREADY_FINISHED', { jobId });
        throw new AppError('JOB_NOT_FOUND', { jobId });
      }
      if (row.state === 'cancelled') {
        if (boss) {
          await boss.cancel(queueName, jobId).catch((error: unknown) => logger.warn({ err: error, jobId }, 'could not cancel the job in pg-boss'));
        }
        return toJobRun(row);
      }
      active.get(jobId)?.abort(new JobInterruptedError('cancelled'));
      return toJobRun(await waitUntilFinished(jobId, row));
    },

    async start() {
      if (state !== 'idle') return;
      state = 'starting';
      try {
        const started = createBoss();
        await started.start();
        await started.createQueue(deadQueueName);
        await started.createQueue(queueName, { deadLetter: deadQueueName });
        boss = started;
        await reclaimOrphans(started);
        await sendRecorded(started);
        const workOptions = { includeMetadata: true as const, localConcurrency: timings.concurrency, pollingIntervalSeconds: timings.pollingIntervalSeconds };
        workerId = await started.work<Delivery>(queueName, workOptions, async ([job]) => {
          if (job) await runOnce(job as JobWithMetadata<Delivery>);
        });
        await started.work<Delivery>(deadQueueName, { pollingIntervalSeconds: Math.max(timings.pollingIntervalSeconds, 2) }, async ([job]) => {
          if (job) await buryDead(job);
        });
        resendSweep = setInterval(() => {
          void sendRecorded(started, new Date(clock.now().getTime() - timings.resendAfterMs)).catch((error: unknown) =>
            logger.warn({ err: error }, 'could not resend queued jobs'),
          );
        }, timings.resendAfterMs);
        resendSweep.unref();
        state = 'running';
      } catch (error) {
        state = 'idle';
        await boss?.stop({ graceful: false }).catch(() => undefined);
        boss = null;
        throw error;
      }
    },

    async stop() {
      if (state !== 'running' || !boss) return;
      state = 'stopping';
      clearInterval(resendSweep);
      const interrupt = setTimeout(() => {
        for (const controller of active.values()) controller.abort(new JobInterruptedError('stopping'));
      }, timings.stopGraceMs);
      try {
        await boss.stop({ graceful: true, timeout: timings.stopGraceMs + 10_000 });
      } finally {
        clearTimeout(interrupt);
        boss = null;
        workerId = null;
        state = 'idle';
      }
    },

    isRunning: () => state === 'running',
  };
}

function connectionStringOf(database: Extract<DatabaseHandle, { kind: 'postgres' }>): string {
  const url = (database.pool.options as { connectionString?: string }).connectionString;
  if (!url) throw new Error('The job queue needs the PostgreSQL pool to be opened from a connection string');
  return url;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

function parseCursor(cursor: string): { createdAt: Date; id: string } {
  const values = decodeCursor(cursor);
  const [createdAt, id] = values ?? [];
  if (typeof createdAt !== 'string' || typeof id !== 'string' || !isUuid(id) || Number.isNaN(Date.parse(createdAt))) {
    throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'cursor', message: 'invalid cursor' }] });
  }
  return { createdAt: new Date(createdAt), id };
}

/** The public shape of a job_runs row. */
export function toJobRun(row: JobRunRow): JobRun {
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    done: row.done,
    total: row.total,
    errors: row.errors,
    errorCount: row.errorCount,
    result: row.result ?? null,
    failure: row.failure ?? null,
    cancelRequested: row.cancelRequestedAt !== null,
    accountId: row.accountId,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

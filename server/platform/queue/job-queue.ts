import type { Page } from '../../../common/paging';
import type { JobFailure, JobRowError } from './job-runs.tables';

export type { JobFailure, JobRowError } from './job-runs.tables';

export const jobStates = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobState = (typeof jobStates)[number];

/** What the console and `GET /api/v1/jobs/{id}` show of a job. */
export interface JobRun {
  id: string;
  kind: string;
  state: JobState;
  done: number;
  total: number | null;
  /** The first 1000 row errors; `errorCount` counts all of them. */
  errors: JobRowError[];
  errorCount: number;
  result: Record<string, unknown> | null;
  failure: JobFailure | null;
  /** A user asked to cancel; the run stops at its next safe point. */
  cancelRequested: boolean;
  accountId: string | null;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** Handed to a job handler for one run (a retry after a crash starts a new run with the stored checkpoint). */
export interface JobContext<Input, Checkpoint> {
  jobId: string;
  input: Input;
  /** Where the previous run stopped; null on the first run. */
  checkpoint: Checkpoint | null;
  /** What earlier runs recorded as done (0 on the first run). */
  done: number;
  /**
   * Aborted when a user cancels the job, the process stops, or another run took
   * the job over. Stop at the next safe point by throwing: `signal.throwIfAborted()`.
   * A handler that returns normally has finished its work.
   */
  signal: AbortSignal;
  setTotal(total: number): Promise<void>;
  /**
   * Records progress: `done` is the running total, `errors` the row errors
   * found since the last call (the first 1000 are kept, all are counted).
   * Pass the transaction the work was written in (`tx`), so work and
   * checkpoint commit together and nothing is done twice; it throws (rolling
   * that transaction back) when this run no longer owns the job.
   */
  progress(update: { done: number; checkpoint?: Checkpoint; errors?: JobRowError[] }, tx?: unknown): Promise<void>;
}

export type JobHandler<Input, Checkpoint> = (context: JobContext<Input, Checkpoint>) => Promise<Record<string, unknown> | void>;

/** Delivery rules of one job kind. */
export interface JobKindOptions {
  /** Retries after a thrown error or a crash (not after an AppError, which fails at once). Default 5. */
  retryLimit?: number;
  /** First retry delay; later ones back off exponentially. Default 2 s. */
  retryDelaySeconds?: number;
  /** A run taking longer is failed and retried. Default 6 hours. */
  timeoutSeconds?: number;
}

export interface JobListFilter {
  kind?: string;
  state?: JobState;
  /** Only jobs this user created. */
  createdBy?: string;
  cursor?: string;
  limit: number;
}

/**
 * Background jobs on pg-boss in Qiao's own database. A job is idempotent by
 * construction: its handler writes work and checkpoint in one transaction, so a
 * retry after a crash continues where the last commit stopped.
 */
export interface JobQueue {
  /** Registers the handler of a kind; call before start(). */
  register<Input extends Record<string, unknown>, Checkpoint = unknown>(
    kind: string,
    handler: JobHandler<Input, Checkpoint>,
    options?: JobKindOptions,
  ): void;
  /** Records the job (state `queued`) and hands it to the workers; the kind must be registered. */
  enqueue<Input extends Record<string, unknown>>(
    kind: string,
    input: Input,
    options?: { createdBy?: string; accountId?: string; total?: number },
  ): Promise<JobRun>;
  /** Throws JOB_NOT_FOUND. */
  get(jobId: string): Promise<JobRun>;
  /** Newest first. */
  list(filter: JobListFilter): Promise<Page<JobRun>>;
  /**
   * Cancels a queued job at once; asks a running one to stop and waits a few
   * seconds for it (the answer has `cancelRequested` and the state reached).
   * Throws JOB_NOT_FOUND, or JOB_ALREADY_FINISHED for a finished job.
   */
  cancel(jobId: string): Promise<JobRun>;
  start(): Promise<void>;
  /** Lets running handlers finish for a short grace period, then interrupts them (they resume elsewhere or after restart). */
  stop(): Promise<void>;
  isRunning(): boolean;
}

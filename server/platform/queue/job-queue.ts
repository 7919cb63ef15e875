import type { JobRowError } from './job-runs.tables';

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** What the console and `GET /api/v1/jobs/{id}` show of a job. */
export interface JobRun {
  id: string;
  kind: string;
  state: JobState;
  done: number;
  total: number | null;
  errors: JobRowError[];
  errorCount: number;
  result: Record<string, unknown> | null;
  failure: { code: string; message: string } | null;
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
  /** Aborted when a user cancels the job or the process stops. */
  signal: AbortSignal;
  setTotal(total: number): Promise<void>;
  /**
   * Records progress. Pass the same transaction the work was written in
   * (`tx`), so work and checkpoint commit together and nothing is done twice.
   */
  progress(update: { done: number; checkpoint?: Checkpoint; errors?: JobRowError[] }, tx?: unknown): Promise<void>;
}

export type JobHandler<Input, Checkpoint> = (context: JobContext<Input, Checkpoint>) => Promise<Record<string, unknown> | void>;

export interface JobQueue {
  /** Registers the handler of a kind; call before start(). */
  register<Input extends Record<string, unknown>, Checkpoint = unknown>(kind: string, handler: JobHandler<Input, Checkpoint>): void;
  enqueue<Input extends Record<string, unknown>>(
    kind: string,
    input: Input,
    options?: { createdBy?: string; accountId?: string; total?: number },
  ): Promise<JobRun>;
  get(jobId: string): Promise<JobRun>;
  cancel(jobId: string): Promise<JobRun>;
  start(): Promise<void>;
  stop(): Promise<void>;
  isRunning(): boolean;
}

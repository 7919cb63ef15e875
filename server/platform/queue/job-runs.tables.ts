import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** A row error of an import or batch: the Excel row (or item key), column and code. */
export interface JobRowError {
  row?: number;
  item?: string;
  column?: string;
  code: string;
  message: string;
}

/** Why a job ended `failed`: an error code of the registry, its message and details. */
export interface JobFailure {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * Qiao's view of a background job: progress the console polls, row errors and
 * a checkpoint that lets a restarted handler continue without redoing work.
 * pg-boss holds delivery; this table holds what users see. `attempt` counts
 * runs and fences them: progress of a run that another run superseded is refused.
 */
export const jobRuns = pgTable(
  'job_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    state: text('state', { enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled'] }).notNull(),
    done: integer('done').notNull().default(0),
    total: integer('total'),
    errors: jsonb('errors').$type<JobRowError[]>().notNull().default([]),
    errorCount: integer('error_count').notNull().default(0),
    input: jsonb('input').$type<Record<string, unknown>>().notNull().default({}),
    checkpoint: jsonb('checkpoint').$type<Record<string, unknown> | null>(),
    result: jsonb('result').$type<Record<string, unknown> | null>(),
    failure: jsonb('failure').$type<JobFailure | null>(),
    attempt: integer('attempt').notNull().default(0),
    accountId: text('account_id'),
    createdBy: text('created_by'),
    cancelRequestedAt: timestamp('cancel_requested_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('job_runs_kind_idx').on(t.kind, t.createdAt), index('job_runs_created_by_idx').on(t.createdBy, t.createdAt)],
);

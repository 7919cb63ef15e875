import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { accounts } from '../../system/accounts/accounts.tables';
import type { FieldChange } from './directory-sync.schema';

/**
 * One comparison of Qiao's directory with WeCom's (or the conflicts the change
 * callbacks ran into), and later its application. `scopeRoots` holds the
 * department subtrees of a dept_admin who started it; null reaches everything.
 */
export const wecomSyncRuns = pgTable(
  'wecom_sync_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    trigger: text('trigger', { enum: ['manual', 'pull', 'callback'] }).notNull(),
    state: text('state', { enum: ['comparing', 'ready', 'applying', 'applied', 'failed'] }).notNull(),
    counts: jsonb('counts').$type<Record<string, number>>().notNull().default({}),
    hiddenFields: jsonb('hidden_fields').$type<string[]>().notNull().default([]),
    scopeRoots: jsonb('scope_roots').$type<number[] | null>(),
    compareJobId: text('compare_job_id'),
    applyJobId: text('apply_job_id'),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('wecom_sync_runs_account_idx').on(t.accountId, t.createdAt, t.id)],
);

/**
 * One difference found by a run. `local`, `remote` and `base` keep the three
 * versions seen at comparison time, so applying needs no second read of WeCom
 * and can tell when Qiao changed in between. `phase` and `seq` fix the order of
 * application: departments parents first, then members, then department
 * deletions deepest first.
 */
export const wecomSyncItems = pgTable(
  'wecom_sync_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    runId: uuid('run_id')
      .notNull()
      .references(() => wecomSyncRuns.id, { onDelete: 'cascade' }),
    phase: integer('phase').notNull(),
    seq: integer('seq').notNull(),
    kind: text('kind', { enum: ['department', 'member'] }).notNull(),
    key: text('key').notNull(),
    label: text('label').notNull(),
    action: text('action', { enum: ['pull-create', 'pull-update', 'pull-delete', 'push-create', 'push-update', 'push-delete', 'conflict'] }).notNull(),
    fields: jsonb('fields').$type<FieldChange[]>().notNull(),
    unavailableFields: jsonb('unavailable_fields').$type<string[]>().notNull(),
    local: jsonb('local').$type<Record<string, unknown> | null>(),
    remote: jsonb('remote').$type<Record<string, unknown> | null>(),
    base: jsonb('base').$type<Record<string, unknown> | null>(),
    /** Departments the entity sits in (either side), for dept_admin scope. */
    departmentIds: jsonb('department_ids').$type<number[]>().notNull(),
    selected: boolean('selected').notNull().default(false),
    resolution: text('resolution', { enum: ['keep-qiao', 'take-wecom'] }),
    state: text('state', { enum: ['pending', 'applied', 'failed', 'skipped'] }).notNull().default('pending'),
    errcode: integer('errcode'),
    error: text('error'),
    appliedAt: timestamp('applied_at', { withTimezone: true }),
  },
  (t) => [
    index('wecom_sync_items_order_idx').on(t.runId, t.phase, t.seq),
    index('wecom_sync_items_filter_idx').on(t.runId, t.kind, t.action),
    // What the apply job reads next: without it each batch walks past every item already done (quadratic in a run).
    index('wecom_sync_items_pending_idx').on(t.runId, t.phase, t.seq).where(sql`${t.selected} and ${t.state} = 'pending'`),
  ],
);

/**
 * A WeCom batch job (batch/syncuser) carrying many of a run's member pushes at
 * once. It is completed once, by whichever comes first: WeCom's
 * `batch_job_result` push or the apply job's getresult poll. `state` moves
 * submitted → completing (claimed, `claimedAt`) → done; a claim older than the
 * takeover time is treated as its holder having died.
 */
export const wecomSyncBatchJobs = pgTable(
  'wecom_sync_batch_jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    runId: uuid('run_id')
      .notNull()
      .references(() => wecomSyncRuns.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** WeCom's jobid. */
    jobId: text('job_id').notNull(),
    itemIds: jsonb('item_ids').$type<string[]>().notNull(),
    /** Who the run's writes are recorded as (no session secrets). */
    context: jsonb('context').$type<Record<string, unknown> | null>(),
    state: text('state', { enum: ['submitted', 'completing', 'done'] }).notNull(),
    completedVia: text('completed_via', { enum: ['push', 'poll'] }),
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('wecom_sync_batch_jobs_job_key').on(t.accountId, t.jobId), index('wecom_sync_batch_jobs_run_idx').on(t.runId, t.state)],
);

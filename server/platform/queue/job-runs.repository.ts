import { and, desc, eq, inArray, isNotNull, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client';
import type { JobState } from './job-queue';
import { jobRuns, type JobFailure, type JobRowError } from './job-runs.tables';

export type JobRunRow = typeof jobRuns.$inferSelect;

/** How many row errors a job keeps; all are counted. */
export const keptRowErrors = 1000;

const unfinished: JobState[] = ['queued', 'running'];

/** Every statement on `job_runs`; `db` may be a transaction. */
export const jobRunsRepository = {
  async insert(
    db: Db,
    values: { kind: string; input: Record<string, unknown>; total: number | null; createdBy: string | null; accountId: string | null; now: Date },
  ): Promise<JobRunRow> {
    const [row] = await db
      .insert(jobRuns)
      .values({
        kind: values.kind,
        state: 'queued',
        input: values.input,
        total: values.total,
        createdBy: values.createdBy,
        accountId: values.accountId,
        createdAt: values.now,
        updatedAt: values.now,
      })
      .returning();
    if (!row) throw new Error('job_runs insert returned nothing');
    return row;
  },

  async find(db: Db, id: string): Promise<JobRunRow | null> {
    const [row] = await db.select().from(jobRuns).where(eq(jobRuns.id, id));
    return row ?? null;
  },

  /** Newest first, after the `(createdAt, id)` of the previous page's last row. */
  async list(
    db: Db,
    filter: { kind?: string; state?: JobState; createdBy?: string; after?: { createdAt: Date; id: string }; limit: number },
  ): Promise<JobRunRow[]> {
    const conditions: SQL[] = [];
    if (filter.kind) conditions.push(eq(jobRuns.kind, filter.kind));
    if (filter.state) conditions.push(eq(jobRuns.state, filter.state));
    if (filter.createdBy) conditions.push(eq(jobRuns.createdBy, filter.createdBy));
    if (filter.after) conditions.push(sql`(${jobRuns.createdAt}, ${jobRuns.id}) < (${filter.after.createdAt.toISOString()}::timestamptz, ${filter.after.id}::uuid)`);
    return db
      .select()
      .from(jobRuns)
      .where(and(...conditions))
      .orderBy(desc(jobRuns.createdAt), desc(jobRuns.id))
      .limit(filter.limit);
  },

  async count(db: Db, filter: { kind?: string; state?: JobState; createdBy?: string }): Promise<number> {
    const conditions: SQL[] = [];
    if (filter.kind) conditions.push(eq(jobRuns.kind, filter.kind));
    if (filter.state) conditions.push(eq(jobRuns.state, filter.state));
    if (filter.createdBy) conditions.push(eq(jobRuns.createdBy, filter.createdBy));
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(jobRuns).where(and(...conditions));
    return Number(row?.n ?? 0);
  },

  /** Starts a run: the job must be unfinished and not asked to cancel; bumps the attempt that fences older runs. */
  async claim(db: Db, id: string, now: Date): Promise<JobRunRow | null> {
    const [row] = await db
      .update(jobRuns)
      .set({ state: 'running', attempt: sql`${jobRuns.attempt} + 1`, startedAt: sql`coalesce(${jobRuns.startedAt}, ${now.toISOString()}::timestamptz)`, updatedAt: now })
      .where(and(eq(jobRuns.id, id), inArray(jobRuns.state, unfinished), isNull(jobRuns.cancelRequestedAt)))
      .returning();
    return row ?? null;
  },

  /** Writes progress of the run holding `attempt`; null when another run took the job over or it ended. */
  async recordProgress(
    db: Db,
    id: string,
    attempt: number,
    update: { done: number; checkpoint?: unknown; errors?: JobRowError[] },
    now: Date,
  ): Promise<{ cancelRequested: boolean } | null> {
    const errors = update.errors ?? [];
    const set: PgUpdateSetSource<typeof jobRuns> = { done: update.done, updatedAt: now };
    if (update.checkpoint !== undefined) set.checkpoint = update.checkpoint as Record<string, unknown> | null;
    if (errors.length > 0) {
      const added = JSON.stringify(errors);
      // Appends only as many as still fit under the cap, in the order given.
      set.errors = sql`${jobRuns.errors} || coalesce((
        select jsonb_agg(e.value order by e.ordinality)
        from jsonb_array_elements(${added}::jsonb) with ordinality as e(value, ordinality)
        where e.ordinality <= ${keptRowErrors} - jsonb_array_length(${jobRuns.errors})
      ), '[]'::jsonb)`;
      set.errorCount = sql`${jobRuns.errorCount} + ${errors.length}`;
    }
    const [row] = await db
      .update(jobRuns)
      .set(set)
      .where(and(eq(jobRuns.id, id), eq(jobRuns.attempt, attempt), eq(jobRuns.state, 'running')))
      .returning({ cancelRequestedAt: jobRuns.cancelRequestedAt });
    return row ? { cancelRequested: row.cancelRequestedAt !== null } : null;
  },

  async setTotal(db: Db, id: string, attempt: number, total: number, now: Date): Promise<boolean> {
    const rows = await db
      .update(jobRuns)
      .set({ total, updatedAt: now })
      .where(and(eq(jobRuns.id, id), eq(jobRuns.attempt, attempt), eq(jobRuns.state, 'running')))
      .returning({ id: jobRuns.id });
    return rows.length > 0;
  },

  /** What a running handler polls: has someone asked to cancel, and is this run still the owner. */
  async control(db: Db, id: string): Promise<{ attempt: number; state: JobState; cancelRequested: boolean } | null> {
    const [row] = await db
      .select({ attempt: jobRuns.attempt, state: jobRuns.state, cancelRequestedAt: jobRuns.cancelRequestedAt })
      .from(jobRuns)
      .where(eq(jobRuns.id, id));
    return row ? { attempt: row.attempt, state: row.state, cancelRequested: row.cancelRequestedAt !== null } : null;
  },

  /** Ends the run holding `attempt`. */
  async finish(
    db: Db,
    id: string,
    attempt: number,
    outcome: { state: 'succeeded' | 'failed' | 'cancelled'; result?: Record<string, unknown> | null; failure?: JobFailure | null },
    now: Date,
  ): Promise<JobRunRow | null> {
    const [row] = await db
      .update(jobRuns)
      .set({ state: outcome.state, result: outcome.result ?? null, failure: outcome.failure ?? null, finishedAt: now, updatedAt: now })
      .where(and(eq(jobRuns.id, id), eq(jobRuns.attempt, attempt), eq(jobRuns.state, 'running')))
      .returning();
    return row ?? null;
  },

  /** Back to `queued` while pg-boss waits to retry the run holding `attempt`. */
  async requeue(db: Db, id: string, attempt: number, now: Date): Promise<void> {
    await db
      .update(jobRuns)
      .set({ state: 'queued', updatedAt: now })
      .where(and(eq(jobRuns.id, id), eq(jobRuns.attempt, attempt), eq(jobRuns.state, 'running')));
  },

  /** Marks the request; a queued job is cancelled at once. Null when the job is missing or finished. */
  async requestCancel(db: Db, id: string, now: Date): Promise<JobRunRow | null> {
    const [row] = await db
      .update(jobRuns)
      .set({
        cancelRequestedAt: sql`coalesce(${jobRuns.cancelRequestedAt}, ${now.toISOString()}::timestamptz)`,
        state: sql`case when ${jobRuns.state} = 'queued' then 'cancelled' else ${jobRuns.state} end`,
        finishedAt: sql`case when ${jobRuns.state} = 'queued' then ${now.toISOString()}::timestamptz else ${jobRuns.finishedAt} end`,
        updatedAt: now,
      })
      .where(and(eq(jobRuns.id, id), inArray(jobRuns.state, unfinished)))
      .returning();
    return row ?? null;
  },

  /** A job asked to cancel whose run died before it could stop: it ends cancelled. */
  async finishCancelRequested(db: Db, id: string, now: Date): Promise<JobRunRow | null> {
    const [row] = await db
      .update(jobRuns)
      .set({ state: 'cancelled', finishedAt: now, updatedAt: now })
      .where(and(eq(jobRuns.id, id), inArray(jobRuns.state, unfinished), isNotNull(jobRuns.cancelRequestedAt)))
      .returning();
    return row ?? null;
  },

  /** Ends a job pg-boss gave up on (retries spent on crashes or timeouts), unless it already ended. */
  async failUnfinished(db: Db, id: string, failure: JobFailure, now: Date): Promise<JobRunRow | null> {
    const [row] = await db
      .update(jobRuns)
      .set({
        state: sql`case when ${jobRuns.cancelRequestedAt} is null then 'failed' else 'cancelled' end`,
        failure: sql`case when ${jobRuns.cancelRequestedAt} is null then ${JSON.stringify(failure)}::jsonb else null end`,
        finishedAt: now,
        updatedAt: now,
      })
      .where(and(eq(jobRuns.id, id), inArray(jobRuns.state, unfinished)))
      .returning();
    return row ?? null;
  },

  /** Jobs in `state`, oldest first; `unchangedSince` keeps only those not updated after it. */
  async idsInState(db: Db, state: 'queued' | 'running', options: { unchangedSince?: Date; limit?: number } = {}): Promise<{ id: string; kind: string }[]> {
    const conditions: SQL[] = [eq(jobRuns.state, state)];
    if (options.unchangedSince) conditions.push(lt(jobRuns.updatedAt, options.unchangedSince));
    const query = db.select({ id: jobRuns.id, kind: jobRuns.kind }).from(jobRuns).where(and(...conditions)).orderBy(jobRuns.createdAt);
    return options.limit ? query.limit(options.limit) : query;
  },
};

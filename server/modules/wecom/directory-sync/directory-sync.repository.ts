import { and, asc, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../platform/db/client';
import { wecomDepartments } from '../departments';
import { memberColumns, wecomMemberDepartments, wecomMembers, type MemberRecord } from '../members';
import type { DepartmentRow } from '../departments';
import type { ConflictChoice, ItemState, SyncAction, SyncKind } from './directory-sync.schema';
import { wecomSyncBatchJobs, wecomSyncItems, wecomSyncRuns } from './directory-sync.tables';

export type RunRow = typeof wecomSyncRuns.$inferSelect;
export type ItemRow = typeof wecomSyncItems.$inferSelect;
export type NewItemRow = typeof wecomSyncItems.$inferInsert;
export type BatchJobRow = typeof wecomSyncBatchJobs.$inferSelect;

const pullActions: SyncAction[] = ['pull-create', 'pull-update', 'pull-delete'];
const pushActions: SyncAction[] = ['push-create', 'push-update', 'push-delete'];

export interface ItemFilter {
  kind?: SyncKind | undefined;
  action?: SyncAction | undefined;
  state?: ItemState | undefined;
  after?: { phase: number; seq: number } | undefined;
  limit: number;
}

export interface Selection {
  pulls: boolean;
  pushes: boolean;
  itemIds: readonly string[];
  resolutions: readonly { itemId: string; choice: ConflictChoice }[];
}

export interface DirectorySyncRepository {
  transaction<T>(work: (repository: DirectorySyncRepository, tx: unknown) => Promise<T>): Promise<T>;
  insertRun(row: typeof wecomSyncRuns.$inferInsert): Promise<RunRow>;
  updateRun(id: string, changes: Partial<typeof wecomSyncRuns.$inferInsert>): Promise<void>;
  findRun(accountId: string, id: string): Promise<RunRow | null>;
  /** Locks the run row until the transaction ends (two applies of one run queue up). */
  lockRun(id: string): Promise<RunRow | null>;
  findOpenCallbackRun(accountId: string): Promise<RunRow | null>;
  listRuns(filter: { accountId: string; createdBy?: string | undefined; before?: { createdAt: Date; id: string } | undefined; limit: number }): Promise<RunRow[]>;
  insertItems(rows: NewItemRow[]): Promise<void>;
  deleteItems(runId: string): Promise<void>;
  listItems(runId: string, filter: ItemFilter): Promise<ItemRow[]>;
  countItems(runId: string): Promise<Record<string, number>>;
  nextSeq(runId: string): Promise<number>;
  /** Marks what a user chose; returns how many items were selected. */
  select(runId: string, selection: Selection): Promise<number>;
  /** Selected items still to do, in application order. */
  pendingItems(runId: string, limit: number): Promise<ItemRow[]>;
  countSelected(runId: string): Promise<{ total: number; finished: number }>;
  /** Chosen items by state: how an application ended. */
  selectedStates(runId: string): Promise<Record<string, number>>;
  finishItem(id: string, result: { state: ItemState; errcode?: number | null; error?: string | null; appliedAt?: Date | null }): Promise<void>;
  /** The same end for many items at once. */
  finishItems(ids: readonly string[], result: { state: ItemState; error?: string | null; appliedAt?: Date | null }): Promise<void>;
  /** Drops what an earlier callback left undecided about this entity (the newest change replaces it). */
  deletePendingItemsFor(runId: string, kind: SyncKind, key: string): Promise<void>;
  findDepartmentRow(accountId: string, id: number): Promise<DepartmentRow | null>;
  findMemberRecord(accountId: string, userid: string): Promise<MemberRecord | null>;
  /** Members by userid ignoring case, keyed by the lower-cased userid; absent ones are left out. */
  findMemberRecords(accountId: string, userids: readonly string[]): Promise<Map<string, MemberRecord>>;
  /** The agreed snapshot Qiao keeps on the directory rows (null: never pushed). */
  writeSnapshot(kind: SyncKind, accountId: string, key: string, snapshot: Record<string, unknown> | null): Promise<void>;
  /** writeSnapshot for many members in one statement. */
  writeMemberSnapshots(accountId: string, rows: readonly { userid: string; snapshot: Record<string, unknown> | null }[]): Promise<void>;
  insertBatchJob(row: typeof wecomSyncBatchJobs.$inferInsert): Promise<BatchJobRow>;
  /** The run's batch job not yet done, if any (at most one is open at a time). */
  openBatchJob(runId: string): Promise<BatchJobRow | null>;
  findBatchJob(accountId: string, jobId: string): Promise<BatchJobRow | null>;
  /**
   * Takes the right to complete a batch job: one that is submitted, or one whose
   * claim is older than `staleBefore`. Null when someone else holds or finished it.
   */
  claimBatchJob(accountId: string, jobId: string, via: 'push' | 'poll', now: Date, staleBefore: Date): Promise<BatchJobRow | null>;
  /** Gives a claim back (WeCom had not finished yet). */
  releaseBatchJob(id: string): Promise<void>;
  finishBatchJob(id: string, now: Date): Promise<void>;
  itemsByIds(ids: readonly string[]): Promise<ItemRow[]>;
}

export function createDirectorySyncRepository(db: Db): DirectorySyncRepository {
  const repository: DirectorySyncRepository = {
    transaction(work) {
      return db.transaction((tx) => work(createDirectorySyncRepository(tx as unknown as Db), tx));
    },
    async insertRun(row) {
      const [inserted] = await db.insert(wecomSyncRuns).values(row).returning();
      return inserted as RunRow;
    },
    async updateRun(id, changes) {
      await db.update(wecomSyncRuns).set(changes).where(eq(wecomSyncRuns.id, id));
    },
    async findRun(accountId, id) {
      const [row] = await db
        .select()
        .from(wecomSyncRuns)
        .where(and(eq(wecomSyncRuns.accountId, accountId), eq(wecomSyncRuns.id, id)))
        .limit(1);
      return row ?? null;
    },
    async lockRun(id) {
      const [row] = await db.select().from(wecomSyncRuns).where(eq(wecomSyncRuns.id, id)).for('update');
      return row ?? null;
    },
    async findOpenCallbackRun(accountId) {
      const [row] = await db
        .select()
        .from(wecomSyncRuns)
        .where(and(eq(wecomSyncRuns.accountId, accountId), eq(wecomSyncRuns.trigger, 'callback'), eq(wecomSyncRuns.state, 'ready')))
        .orderBy(desc(wecomSyncRuns.createdAt))
        .limit(1);
      return row ?? null;
    },
    async listRuns(filter) {
      const before = filter.before
        ? or(lt(wecomSyncRuns.createdAt, filter.before.createdAt), and(eq(wecomSyncRuns.createdAt, filter.before.createdAt), lt(wecomSyncRuns.id, filter.before.id)))
        : undefined;
      return db
        .select()
        .from(wecomSyncRuns)
        .where(and(eq(wecomSyncRuns.accountId, filter.accountId), filter.createdBy ? eq(wecomSyncRuns.createdBy, filter.createdBy) : undefined, before))
        .orderBy(desc(wecomSyncRuns.createdAt), desc(wecomSyncRuns.id))
        .limit(filter.limit);
    },
    async insertItems(rows) {
      for (let i = 0; i < rows.length; i += 500) await db.insert(wecomSyncItems).values(rows.slice(i, i + 500));
    },
    async deleteItems(runId) {
      await db.delete(wecomSyncItems).where(eq(wecomSyncItems.runId, runId));
    },
    async listItems(runId, filter) {
      const conditions: (SQL | undefined)[] = [eq(wecomSyncItems.runId, runId)];
      if (filter.kind) conditions.push(eq(wecomSyncItems.kind, filter.kind));
      if (filter.action) conditions.push(eq(wecomSyncItems.action, filter.action));
      if (filter.state) conditions.push(eq(wecomSyncItems.state, filter.state));
      if (filter.after) conditions.push(sql`(${wecomSyncItems.phase}, ${wecomSyncItems.seq}) > (${filter.after.phase}, ${filter.after.seq})`);
      return db
        .select()
        .from(wecomSyncItems)
        .where(and(...conditions))
        .orderBy(asc(wecomSyncItems.phase), asc(wecomSyncItems.seq))
        .limit(filter.limit);
    },
    async countItems(runId) {
      const rows = await db
        .select({ action: wecomSyncItems.action, n: sql<number>`count(*)::int` })
        .from(wecomSyncItems)
        .where(eq(wecomSyncItems.runId, runId))
        .groupBy(wecomSyncItems.action);
      return Object.fromEntries(rows.map((r) => [r.action, Number(r.n)]));
    },
    async nextSeq(runId) {
      const [row] = await db.select({ n: sql<number>`coalesce(max(${wecomSyncItems.seq}), 0)::int` }).from(wecomSyncItems).where(eq(wecomSyncItems.runId, runId));
      return Number(row?.n ?? 0) + 1;
    },
    async select(runId, selection) {
      // A failed item chosen again is retried; applied and skipped ones never run twice.
      const pending = and(eq(wecomSyncItems.runId, runId), inArray(wecomSyncItems.state, ['pending', 'failed']));
      const reset = { selected: true, state: 'pending' as const, errcode: null, error: null };
      const chosen: SQL[] = [];
      if (selection.pulls) chosen.push(inArray(wecomSyncItems.action, pullActions));
      if (selection.pushes) chosen.push(inArray(wecomSyncItems.action, pushActions));
      if (selection.itemIds.length > 0) chosen.push(and(inArray(wecomSyncItems.id, [...selection.itemIds]), sql`${wecomSyncItems.action} <> 'conflict'`) as SQL);
      let selected = 0;
      if (chosen.length > 0) {
        const rows = await db
          .update(wecomSyncItems)
          .set(reset)
          .where(and(pending, or(...chosen)))
          .returning({ id: wecomSyncItems.id });
        selected += rows.length;
      }
      for (const choice of ['keep-qiao', 'take-wecom'] as const) {
        const ids = selection.resolutions.filter((r) => r.choice === choice).map((r) => r.itemId);
        if (ids.length === 0) continue;
        const rows = await db
          .update(wecomSyncItems)
          .set({ ...reset, resolution: choice })
          .where(and(pending, eq(wecomSyncItems.action, 'conflict'), inArray(wecomSyncItems.id, ids)))
          .returning({ id: wecomSyncItems.id });
        selected += rows.length;
      }
      return selected;
    },
    async pendingItems(runId, limit) {
      return db
        .select()
        .from(wecomSyncItems)
        // Written as the partial index's own predicate (not as parameters), so the planner can use it.
        .where(and(eq(wecomSyncItems.runId, runId), sql`${wecomSyncItems.selected} and ${wecomSyncItems.state} = 'pending'`))
        .orderBy(asc(wecomSyncItems.phase), asc(wecomSyncItems.seq))
        .limit(limit);
    },
    async countSelected(runId) {
      const [row] = await db
        .select({ total: sql<number>`count(*)::int`, finished: sql<number>`count(*) filter (where ${wecomSyncItems.state} <> 'pending')::int` })
        .from(wecomSyncItems)
        .where(and(eq(wecomSyncItems.runId, runId), eq(wecomSyncItems.selected, true)));
      return { total: Number(row?.total ?? 0), finished: Number(row?.finished ?? 0) };
    },
    async selectedStates(runId) {
      const rows = await db
        .select({ state: wecomSyncItems.state, n: sql<number>`count(*)::int` })
        .from(wecomSyncItems)
        .where(and(eq(wecomSyncItems.runId, runId), eq(wecomSyncItems.selected, true)))
        .groupBy(wecomSyncItems.state);
      return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
    },
    async finishItem(id, result) {
      await db
        .update(wecomSyncItems)
        .set({ state: result.state, errcode: result.errcode ?? null, error: result.error ?? null, appliedAt: result.appliedAt ?? null })
        .where(eq(wecomSyncItems.id, id));
    },
    async finishItems(ids, result) {
      for (let i = 0; i < ids.length; i += 1000) {
        await db
          .update(wecomSyncItems)
          .set({ state: result.state, errcode: null, error: result.error ?? null, appliedAt: result.appliedAt ?? null })
          .where(inArray(wecomSyncItems.id, ids.slice(i, i + 1000)));
      }
    },
    async deletePendingItemsFor(runId, kind, key) {
      await db
        .delete(wecomSyncItems)
        .where(and(eq(wecomSyncItems.runId, runId), eq(wecomSyncItems.kind, kind), sql`lower(${wecomSyncItems.key}) = ${key.toLowerCase()}`, eq(wecomSyncItems.state, 'pending')));
    },
    async findDepartmentRow(accountId, id) {
      const [row] = await db
        .select()
        .from(wecomDepartments)
        .where(and(eq(wecomDepartments.accountId, accountId), eq(wecomDepartments.id, id)))
        .limit(1);
      return row ?? null;
    },
    async findMemberRecord(accountId, userid) {
      const [row] = await db
        .select(memberColumns)
        .from(wecomMembers)
        .where(and(eq(wecomMembers.accountId, accountId), sql`lower(${wecomMembers.userid}) = ${userid.toLowerCase()}`))
        .limit(1);
      if (!row) return null;
      const departments = await db
        .select()
        .from(wecomMemberDepartments)
        .where(and(eq(wecomMemberDepartments.accountId, accountId), eq(wecomMemberDepartments.userid, row.userid)))
        .orderBy(asc(wecomMemberDepartments.position));
      return { row, departments };
    },
    async findMemberRecords(accountId, userids) {
      const found = new Map<string, MemberRecord>();
      if (userids.length === 0) return found;
      const keys = [...new Set(userids.map((u) => u.toLowerCase()))];
      const rows = await db
        .select(memberColumns)
        .from(wecomMembers)
        .where(and(eq(wecomMembers.accountId, accountId), inArray(sql`lower(${wecomMembers.userid})`, keys)));
      if (rows.length === 0) return found;
      const placements = await db
        .select()
        .from(wecomMemberDepartments)
        .where(and(eq(wecomMemberDepartments.accountId, accountId), inArray(wecomMemberDepartments.userid, rows.map((r) => r.userid))))
        .orderBy(asc(wecomMemberDepartments.userid), asc(wecomMemberDepartments.position));
      const byUserid = new Map<string, MemberRecord['departments']>();
      for (const placement of placements) {
        const list = byUserid.get(placement.userid) ?? [];
        list.push(placement);
        byUserid.set(placement.userid, list);
      }
      for (const row of rows) found.set(row.userid.toLowerCase(), { row, departments: byUserid.get(row.userid) ?? [] });
      return found;
    },
    async insertBatchJob(row) {
      const [inserted] = await db.insert(wecomSyncBatchJobs).values(row).returning();
      return inserted!;
    },
    async openBatchJob(runId) {
      const [row] = await db
        .select()
        .from(wecomSyncBatchJobs)
        .where(and(eq(wecomSyncBatchJobs.runId, runId), inArray(wecomSyncBatchJobs.state, ['submitted', 'completing'])))
        .limit(1);
      return row ?? null;
    },
    async findBatchJob(accountId, jobId) {
      const [row] = await db
        .select()
        .from(wecomSyncBatchJobs)
        .where(and(eq(wecomSyncBatchJobs.accountId, accountId), eq(wecomSyncBatchJobs.jobId, jobId)))
        .limit(1);
      return row ?? null;
    },
    async claimBatchJob(accountId, jobId, via, now, staleBefore) {
      const [row] = await db
        .update(wecomSyncBatchJobs)
        .set({ state: 'completing', completedVia: via, claimedAt: now })
        .where(
          and(
            eq(wecomSyncBatchJobs.accountId, accountId),
            eq(wecomSyncBatchJobs.jobId, jobId),
            or(eq(wecomSyncBatchJobs.state, 'submitted'), and(eq(wecomSyncBatchJobs.state, 'completing'), lt(wecomSyncBatchJobs.claimedAt, staleBefore))),
          ),
        )
        .returning();
      return row ?? null;
    },
    async releaseBatchJob(id) {
      await db.update(wecomSyncBatchJobs).set({ state: 'submitted', completedVia: null, claimedAt: null }).where(and(eq(wecomSyncBatchJobs.id, id), eq(wecomSyncBatchJobs.state, 'completing')));
    },
    async finishBatchJob(id, now) {
      await db.update(wecomSyncBatchJobs).set({ state: 'done', finishedAt: now }).where(eq(wecomSyncBatchJobs.id, id));
    },
    async itemsByIds(ids) {
      if (ids.length === 0) return [];
      return db
        .select()
        .from(wecomSyncItems)
        .where(inArray(wecomSyncItems.id, [...ids]))
        .orderBy(asc(wecomSyncItems.phase), asc(wecomSyncItems.seq));
    },
    async writeMemberSnapshots(accountId, rows) {
      if (rows.length === 0) return;
      const payload = JSON.stringify(rows.map((r) => ({ userid: r.userid.toLowerCase(), snapshot: r.snapshot })));
      await db.execute(sql`update wecom_members m set synced_snapshot = v.snapshot
        from jsonb_to_recordset(${payload}::jsonb) as v(userid text, snapshot jsonb)
        where m.account_id = ${accountId} and lower(m.userid) = v.userid`);
    },
    async writeSnapshot(kind, accountId, key, snapshot) {
      if (kind === 'department') {
        await db
          .update(wecomDepartments)
          .set({ syncedSnapshot: snapshot as never })
          .where(and(eq(wecomDepartments.accountId, accountId), eq(wecomDepartments.id, Number(key))));
      } else {
        await db
          .update(wecomMembers)
          .set({ syncedSnapshot: snapshot as never })
          .where(and(eq(wecomMembers.accountId, accountId), sql`lower(${wecomMembers.userid}) = ${key.toLowerCase()}`));
      }
    },
  };
  return repository;
}

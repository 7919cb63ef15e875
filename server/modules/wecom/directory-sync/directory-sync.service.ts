import { AppError, isAppError, type Locale } from '../../../../common/errors';
import { decodeCursor, encodeCursor, type Page } from '../../../../common/paging';
import type { AuditRecorder } from '../../../platform/audit';
import type { Clock } from '../../../platform/clock';
import type { RequestContext } from '../../../platform/http/principal';
import type { JobContext, JobQueue } from '../../../platform/queue/job-queue';
import type { Logger } from '../../../platform/logger';
import { isWeChatApiError, type WeChatAccount, type WeChatClient } from '../../../wechat/client';
import { planDirectoryDiff, type LocalDirectory } from './directory-diff';
import type { ItemRow, DirectorySyncRepository, RunRow } from './directory-sync.repository';
import type { ApplyBody, DepartmentValues, ListItemsQuery, MemberValues, RunWithJob, SyncItem, SyncKind, SyncRun } from './directory-sync.schema';
import { describeFailure, type ItemFailure } from './sync-errcodes';
import { outcomeOf, sameValue, type LocalSide, type Outcome } from './three-way-diff';
import { readWeComDirectory } from './wecom-directory-reader';
import { pushToWeCom } from './wecom-push';
import { BATCH_PUSH_MAX, BATCH_PUSH_MIN, batchEligible, batchResult, submitSyncUser } from './wecom-batch';
import { wecomReceiverFor } from '../../system/accounts';

/** Qiao's directory as sync sees it; implemented over the departments and members modules. */
export interface DirectoryAccess {
  requireCorp(accountId: string): Promise<{ id: string; name: string }>;
  localDirectory(accountId: string): Promise<LocalDirectory>;
  findDepartment(accountId: string, id: number): Promise<LocalSide<DepartmentValues> | null>;
  findMember(accountId: string, userid: string): Promise<LocalSide<MemberValues> | null>;
  /** findMember for many, keyed by the lower-cased userid; absent members are left out. */
  findMembers(accountId: string, userids: readonly string[]): Promise<Map<string, LocalSide<MemberValues>>>;
  /** Writes values that came from WeCom (origin sync). */
  upsertDepartment(actor: RequestContext | null, accountId: string, values: DepartmentValues): Promise<void>;
  upsertMember(actor: RequestContext | null, accountId: string, values: MemberValues): Promise<void>;
  /** Writes many members from WeCom in one transaction, with `alongside` in that same transaction; all or nothing. */
  upsertMembers(actor: RequestContext | null, accountId: string, values: readonly MemberValues[], alongside: (repository: DirectorySyncRepository) => Promise<void>): Promise<void>;
  purgeDepartment(accountId: string, id: number): Promise<void>;
  purgeMember(accountId: string, userid: string): Promise<void>;
}

export interface DirectorySyncDeps {
  repository: DirectorySyncRepository;
  directory: DirectoryAccess;
  wechat: WeChatClient;
  accounts: {
    getAccount(id: string): Promise<{ id: string; name: string; callbacks: { receiver: string }[] }>;
    wechatAccountFor(id: string, receiver: string): Promise<WeChatAccount>;
  };
  queue: JobQueue;
  audit: AuditRecorder;
  clock: Clock;
  logger: Logger;
  /** How often the apply job asks getresult while it waits for a batch job's push (default 30 s). */
  batchPollMs?: number;
}

export const compareJob = 'wecom.directory-sync.compare';
export const applyJob = 'wecom.directory-sync.apply';

export interface SyncJobInput extends Record<string, unknown> {
  runId: string;
  accountId: string;
  context: RequestContext | null;
}

const busyStates = new Set(['comparing', 'applying']);
const APPLY_BATCH = 100;
/** Fewer member pulls than this in a row go one by one: a batch buys nothing. */
const PULL_BATCH_MIN = 2;
/** Member pulls written per transaction. */
const PULL_BATCH_MAX = 500;
/** A completion claimed this long ago is taken to have died with its process. */
const CLAIM_TAKEOVER_MS = 10 * 60_000;
/** How often a waiting apply job looks whether its batch job was completed (by the push, usually). */
const BATCH_WATCH_MS = 250;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}

/** A context safe to keep in a job row: no session secrets. */
function storedContext(context: RequestContext | null): RequestContext | null {
  if (!context) return null;
  const principal = context.principal ? { ...context.principal, sessionId: undefined, csrfToken: undefined } : null;
  return { ...context, principal: principal ? JSON.parse(JSON.stringify(principal)) : null };
}

export type DirectorySyncService = ReturnType<typeof createDirectorySyncService>;

export function createDirectorySyncService(deps: DirectorySyncDeps) {
  const { repository, directory } = deps;
  const logger = deps.logger.child({ module: 'directory-sync' });

  /** Whose subtrees a caller may sync: null for everything (super_admin, Qiao itself). */
  function scopeRootsOf(context: RequestContext | null, accountId: string): number[] | null {
    const principal = context?.principal;
    if (!principal || principal.role === 'super_admin') return null;
    const roots = principal.role === 'dept_admin' ? principal.departmentScopes.filter((s) => s.accountId === accountId).map((s) => s.departmentId) : [];
    if (roots.length === 0) throw new AppError('WECOM_SYNC_NO_SCOPE', { accountId });
    return roots;
  }

  /** The receiver whose secret reads and writes the directory: the contacts-sync one, else an app's (read only). */
  async function directoryAccount(accountId: string): Promise<WeChatAccount> {
    const account = await deps.accounts.getAccount(accountId);
    const receivers = account.callbacks.map((c) => c.receiver);
    const receiver = wecomReceiverFor(receivers, 'contacts');
    if (!receiver) throw new AppError('WECOM_SYNC_NO_RECEIVER', { name: account.name });
    return deps.accounts.wechatAccountFor(accountId, receiver);
  }

  function toRun(row: RunRow): SyncRun {
    return {
      id: row.id,
      accountId: row.accountId,
      trigger: row.trigger,
      state: row.state,
      counts: row.counts,
      hiddenFields: row.hiddenFields,
      compareJobId: row.compareJobId,
      applyJobId: row.applyJobId,
      createdBy: row.createdBy,
      createdAt: row.createdAt.toISOString(),
      finishedAt: row.finishedAt?.toISOString() ?? null,
    };
  }

  function toItem(row: ItemRow, locale: Locale): SyncItem {
    let error: string | null = null;
    if (row.error) {
      try {
        error = describeFailure(JSON.parse(row.error) as ItemFailure, locale);
      } catch {
        error = row.error;
      }
    }
    return {
      id: row.id,
      kind: row.kind,
      key: row.key,
      label: row.label,
      action: row.action,
      fields: row.fields,
      unavailableFields: row.unavailableFields,
      resolution: row.resolution,
      state: row.state,
      errcode: row.errcode,
      error,
      appliedAt: row.appliedAt?.toISOString() ?? null,
    };
  }

  /** A run the caller may see: a super admin sees all, others only their own. */
  async function visibleRun(context: RequestContext | null, accountId: string, runId: string): Promise<RunRow> {
    const run = await repository.findRun(accountId, runId);
    const principal = context?.principal;
    const mine = !principal || principal.role === 'super_admin' || run?.createdBy === principal.userId;
    if (!run || !mine) throw new AppError('WECOM_SYNC_RUN_NOT_FOUND', { runId });
    return run;
  }

  async function local(kind: SyncKind, accountId: string, key: string): Promise<LocalSide<Record<string, unknown>> | null> {
    return (kind === 'department' ? directory.findDepartment(accountId, Number(key)) : directory.findMember(accountId, key)) as Promise<LocalSide<Record<string, unknown>> | null>;
  }

  /** Runs one WeChat call, waiting out Qiao's own per-minute limiter instead of failing the item. */
  async function withinLimits<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await work();
      } catch (error) {
        if (!(isAppError(error) && error.code === 'WECHAT_API_RATE_LIMITED')) throw error;
        const retryAfterS = Number((error.details as { retryAfterS?: unknown }).retryAfterS ?? 1);
        logger.info({ retryAfterS }, 'WeCom per-minute limit reached; waiting');
        await sleep(Math.max(1, retryAfterS) * 1000, signal);
      }
    }
  }

  async function writeLocal(context: RequestContext | null, accountId: string, item: ItemRow, outcome: Outcome<Record<string, unknown>>): Promise<void> {
    const removeLocal = outcome.local === null || (outcome.local === undefined && (outcome.remote?.op === 'delete' || item.action === 'push-delete'));
    if (removeLocal) {
      if (item.kind === 'department') await directory.purgeDepartment(accountId, Number(item.key));
      else await directory.purgeMember(accountId, item.key);
      return;
    }
    if (outcome.local) {
      if (item.kind === 'department') await directory.upsertDepartment(context, accountId, outcome.local as DepartmentValues);
      else await directory.upsertMember(context, accountId, outcome.local as MemberValues);
    }
    await repository.writeSnapshot(item.kind, accountId, item.key, outcome.snapshot);
  }

  /** Applies one chosen item; the failure, if any, is the item's, not the job's. */
  async function applyItem(context: RequestContext | null, accountId: string, item: ItemRow, account: () => Promise<WeChatAccount>, signal: AbortSignal): Promise<void> {
    const current = await local(item.kind, accountId, item.key);
    if (!sameValue(current?.values ?? null, item.local)) {
      await repository.finishItem(item.id, { state: 'skipped', error: JSON.stringify({ errcode: null, code: 'WECOM_SYNC_ITEM_STALE' } satisfies ItemFailure) });
      return;
    }
    const outcome = outcomeOf(item, item.resolution);
    try {
      if (outcome.remote) {
        const target = await account();
        const push = outcome.remote;
        await withinLimits(signal, () => pushToWeCom(deps.wechat, target, item.kind, item.key, push));
      }
      await writeLocal(context, accountId, item, outcome);
      await repository.finishItem(item.id, { state: 'applied', appliedAt: deps.clock.now() });
    } catch (error) {
      if (signal.aborted) throw error;
      let failure: ItemFailure;
      if (isWeChatApiError(error)) failure = { errcode: error.errcode, errmsg: error.errmsg };
      else if (isAppError(error)) failure = { errcode: null, code: error.code, details: error.details as Record<string, unknown> };
      else throw error;
      await repository.finishItem(item.id, { state: 'failed', errcode: failure.errcode, error: JSON.stringify(failure) });
    }
  }

  /**
   * Applies the batch's leading member pulls (writes to Qiao only) in one
   * transaction: one read of the current rows, one upsert, one snapshot
   * write, instead of about ten statements per member. Answers how many items
   * it finished; 0 when there was nothing to batch or Qiao refused a value, in
   * which case the items go one by one so each refusal is its own item's.
   */
  async function applyMemberPulls(context: RequestContext | null, accountId: string, runId: string): Promise<number> {
    const batch = await repository.pendingItems(runId, PULL_BATCH_MAX);
    const pulls: { item: ItemRow; local: MemberValues; snapshot: Record<string, unknown> | null }[] = [];
    for (const item of batch) {
      if (item.kind !== 'member') break;
      const outcome = outcomeOf(item, item.resolution);
      if (outcome.remote || !outcome.local) break;
      pulls.push({ item, local: outcome.local as MemberValues, snapshot: outcome.snapshot });
    }
    if (pulls.length < PULL_BATCH_MIN) return 0;
    const current = await directory.findMembers(accountId, pulls.map((p) => p.item.key));
    const fresh: typeof pulls = [];
    const stale: string[] = [];
    for (const p of pulls) {
      if (sameValue(current.get(p.item.key.toLowerCase())?.values ?? null, p.item.local)) fresh.push(p);
      else stale.push(p.item.id);
    }
    const finish = async (repo: DirectorySyncRepository) => {
      await repo.writeMemberSnapshots(accountId, fresh.map((p) => ({ userid: p.item.key, snapshot: p.snapshot })));
      await repo.finishItems(fresh.map((p) => p.item.id), { state: 'applied', appliedAt: deps.clock.now() });
      await repo.finishItems(stale, { state: 'skipped', error: JSON.stringify({ errcode: null, code: 'WECOM_SYNC_ITEM_STALE' } satisfies ItemFailure) });
    };
    try {
      if (fresh.length === 0) await finish(repository);
      else await directory.upsertMembers(context, accountId, fresh.map((p) => p.local), finish);
    } catch (error) {
      if (!isAppError(error)) throw error;
      logger.info({ accountId, code: error.code, items: pulls.length }, 'a batch of member pulls was refused; applying them one by one');
      return 0;
    }
    return pulls.length;
  }

  /**
   * batch_job_result pushes for jobs not recorded yet: a small job can finish
   * and be announced before the submitting call has stored its jobid.
   */
  const earlyPushes = new Set<string>();

  /** Records a batch item's end; a local write that Qiao refuses is the item's failure, like a single push's. */
  async function finishBatchItem(context: RequestContext | null, accountId: string, item: ItemRow, row: { errcode: number; errmsg: string }): Promise<void> {
    if (row.errcode !== 0) {
      await repository.finishItem(item.id, { state: 'failed', errcode: row.errcode, error: JSON.stringify({ errcode: row.errcode, errmsg: row.errmsg } satisfies ItemFailure) });
      return;
    }
    try {
      await writeLocal(context, accountId, item, outcomeOf(item, item.resolution));
      await repository.finishItem(item.id, { state: 'applied', appliedAt: deps.clock.now() });
    } catch (error) {
      if (!isAppError(error)) throw error;
      const failure: ItemFailure = { errcode: null, code: error.code, details: error.details as Record<string, unknown> };
      await repository.finishItem(item.id, { state: 'failed', error: JSON.stringify(failure) });
    }
  }

  /**
   * Completes a batch job from WeCom's per-member results, once: the push and
   * the poll both come here, and only the one that claims the job applies it.
   * Items WeCom's result does not mention stay pending for single calls.
   * Answers whether this call completed it.
   */
  async function completeBatchJob(accountId: string, jobId: string, via: 'push' | 'poll'): Promise<boolean> {
    const now = deps.clock.now();
    const claimed = await repository.claimBatchJob(accountId, jobId, via, now, new Date(now.getTime() - CLAIM_TAKEOVER_MS));
    if (!claimed) return false;
    try {
      const results = await batchResult(deps.wechat, await directoryAccount(accountId), jobId);
      if (!results) {
        await repository.releaseBatchJob(claimed.id);
        return false;
      }
      const byUserid = new Map(results.map((r) => [r.userid.toLowerCase(), r]));
      const context = claimed.context as RequestContext | null;
      for (const item of await repository.itemsByIds(claimed.itemIds)) {
        const row = byUserid.get(item.key.toLowerCase());
        // A claim taken over from a dead process finds part of the items already finished.
        if (item.state !== 'pending' || !row) continue;
        await finishBatchItem(context, accountId, item, row);
      }
      await repository.finishBatchJob(claimed.id, deps.clock.now());
      logger.info({ accountId, jobId, via, items: claimed.itemIds.length }, 'WeCom batch job completed');
      return true;
    } catch (error) {
      await repository.releaseBatchJob(claimed.id).catch(() => undefined);
      throw error;
    }
  }

  /** Waits for a batch job to be completed, by the push or, every `batchPollMs`, by asking getresult. */
  async function awaitBatchJob(accountId: string, jobId: string, signal: AbortSignal): Promise<void> {
    const pollMs = deps.batchPollMs ?? 30_000;
    let lastPoll = Date.now();
    for (;;) {
      signal.throwIfAborted();
      const row = await repository.findBatchJob(accountId, jobId);
      if (!row || row.state === 'done') return;
      if (Date.now() - lastPoll >= pollMs) {
        lastPoll = Date.now();
        if (await withinLimits(signal, () => completeBatchJob(accountId, jobId, 'poll'))) return;
      }
      await sleep(BATCH_WATCH_MS, signal);
    }
  }

  /**
   * Sends the run's next pending member pushes through batch/syncuser when
   * there are enough that single calls would spend WeCom's call budget.
   * Answers the job it started, or null when single calls should go on.
   */
  async function submitMemberBatch(job: JobContext<SyncJobInput, unknown>, run: RunRow, account: () => Promise<WeChatAccount>, tried: Set<string>): Promise<string | null> {
    const { accountId, context } = job.input;
    const candidates = (await repository.pendingItems(run.id, BATCH_PUSH_MAX * 2)).filter((item) => {
      if (item.kind !== 'member' || tried.has(item.id)) return false;
      const remote = outcomeOf(item, item.resolution).remote;
      return remote !== undefined && remote !== null && batchEligible(remote);
    });
    if (candidates.length < BATCH_PUSH_MIN) return null;
    const chosen: ItemRow[] = [];
    for (const item of candidates) {
      if (chosen.length >= BATCH_PUSH_MAX) break;
      const current = await local(item.kind, accountId, item.key);
      if (!sameValue(current?.values ?? null, item.local)) {
        await repository.finishItem(item.id, { state: 'skipped', error: JSON.stringify({ errcode: null, code: 'WECOM_SYNC_ITEM_STALE' } satisfies ItemFailure) });
        continue;
      }
      chosen.push(item);
    }
    for (const item of chosen) tried.add(item.id);
    if (chosen.length === 0) return null;
    const members = chosen.map((item) => {
      const remote = outcomeOf(item, item.resolution).remote!;
      return (remote.op === 'delete' ? item.local : remote.values) as MemberValues;
    });
    const target = await account();
    const jobId = await withinLimits(job.signal, () => submitSyncUser(deps.wechat, target, members));
    await repository.insertBatchJob({
      runId: run.id,
      accountId,
      jobId,
      itemIds: chosen.map((item) => item.id),
      context: storedContext(context) as Record<string, unknown> | null,
      state: 'submitted',
      createdAt: deps.clock.now(),
    });
    logger.info({ accountId, runId: run.id, jobId, members: members.length }, 'member pushes sent as a WeCom batch job');
    if (earlyPushes.delete(`${accountId}:${jobId}`)) await completeBatchJob(accountId, jobId, 'push');
    return jobId;
  }

  /** Applies every chosen, pending item in order; resumable because each item records its own end. */
  async function applyChosen(job: JobContext<SyncJobInput, unknown>, run: RunRow): Promise<Record<string, number>> {
    const { context, accountId } = job.input;
    let cached: WeChatAccount | undefined;
    const account = async () => (cached ??= await directoryAccount(accountId));
    const counts = await repository.countSelected(run.id);
    await job.setTotal(counts.total);
    let done = counts.finished;
    /** Items already sent in a batch job by this run: what its result left pending goes by single calls. */
    const tried = new Set<string>();
    for (;;) {
      job.signal.throwIfAborted();
      // A batch job an earlier run of this job started (before a crash) is seen through first.
      const open = await repository.openBatchJob(run.id);
      if (open) {
        for (const id of open.itemIds) tried.add(id);
        await awaitBatchJob(accountId, open.jobId, job.signal);
        done = (await repository.countSelected(run.id)).finished;
        await job.progress({ done });
        continue;
      }
      const batch = await repository.pendingItems(run.id, APPLY_BATCH);
      if (batch.length === 0) break;
      // Members come after every department create and move (phase order), so the file's departments exist by now.
      if (batch[0]!.kind === 'member') {
        if (await submitMemberBatch(job, run, account, tried)) continue;
        const pulled = await applyMemberPulls(context, accountId, run.id);
        if (pulled > 0) {
          done += pulled;
          await job.progress({ done });
          continue;
        }
      }
      for (const item of batch) {
        // The members after the departments start a round of their own, where they can go in batches.
        if (item.kind === 'member' && batch[0]!.kind !== 'member') break;
        job.signal.throwIfAborted();
        await applyItem(context, accountId, item, account, job.signal);
        done++;
      }
      await job.progress({ done });
    }
    const finishedAt = deps.clock.now();
    await repository.updateRun(run.id, { state: 'applied', finishedAt });
    return repository.selectedStates(run.id);
  }

  async function compareHandler(job: JobContext<SyncJobInput, unknown>) {
    const { runId, accountId } = job.input;
    const run = await repository.findRun(accountId, runId);
    if (!run) return;
    try {
      // Qiao's side first: a member that reaches both sides while WeCom is being read (a push completing, a
      // create_user callback) would otherwise be seen agreed in Qiao but missing from the earlier WeCom pages,
      // and a pull would delete it. Read in this order, it is new on WeCom's side only: pulled, or left alone.
      const local = await directory.localDirectory(accountId);
      const remote = await readWeComDirectory(deps.wechat, await directoryAccount(accountId), {
        signal: job.signal,
        onProgress: async (read, total) => {
          if (read === 1) await job.setTotal(total);
          await job.progress({ done: read });
        },
      });
      const items = planDirectoryDiff(local, remote, run.scopeRoots);
      await repository.transaction(async (repo) => {
        await repo.deleteItems(runId);
        await repo.insertItems(items.map((item) => ({ ...item, runId })));
        await repo.updateRun(runId, { state: 'ready', counts: await repo.countItems(runId), hiddenFields: remote.hiddenFields });
      });
    } catch (error) {
      if (!job.signal.aborted) await repository.updateRun(runId, { state: 'failed', finishedAt: deps.clock.now() });
      throw error;
    }
    if (run.trigger !== 'pull') return { items: (await repository.countItems(runId)) as Record<string, unknown> };
    await repository.select(runId, { pulls: true, pushes: false, itemIds: [], resolutions: [] });
    await repository.updateRun(runId, { state: 'applying' });
    return applyChosen(job, run);
  }

  async function applyHandler(job: JobContext<SyncJobInput, unknown>) {
    const run = await repository.findRun(job.input.accountId, job.input.runId);
    if (!run) return;
    return applyChosen(job, run);
  }

  deps.queue.register<SyncJobInput>(compareJob, compareHandler, { retryLimit: 2, retryDelaySeconds: 5 });
  deps.queue.register<SyncJobInput>(applyJob, applyHandler, { retryLimit: 5, retryDelaySeconds: 5 });

  return {
    scopeRootsOf,
    completeBatchJob,

    /** WeCom's batch_job_result push: completes the job if it is one of sync's (others are not Qiao's to complete). */
    async onBatchJobResult(accountId: string, jobId: string): Promise<void> {
      if (!(await repository.findBatchJob(accountId, jobId))) {
        // Kept for the submitter to find once it stores the job; bounded, since most such pushes are not Qiao's.
        if (earlyPushes.size >= 1000) earlyPushes.delete(earlyPushes.values().next().value!);
        earlyPushes.add(`${accountId}:${jobId}`);
        return;
      }
      await completeBatchJob(accountId, jobId, 'push');
    },

    /** Reads WeCom and stores the differences as a run; `pull` also applies every pull (WeCom → Qiao). */
    async compare(context: RequestContext | null, accountId: string, trigger: 'manual' | 'pull'): Promise<RunWithJob> {
      await directory.requireCorp(accountId);
      const scopeRoots = scopeRootsOf(context, accountId);
      await directoryAccount(accountId);
      const run = await repository.transaction(async (repo, tx) => {
        const inserted = await repo.insertRun({ accountId, trigger, state: 'comparing', scopeRoots, createdBy: context?.principal?.userId ?? null, createdAt: deps.clock.now() });
        await deps.audit.record(context, { action: trigger === 'pull' ? 'wecom.directory-sync.pull' : 'wecom.directory-sync.compare', targetType: 'wecom_sync_run', targetId: inserted.id, summary: { accountId, scopeRoots } }, tx);
        return inserted;
      });
      const job = await deps.queue.enqueue<SyncJobInput>(compareJob, { runId: run.id, accountId, context: storedContext(context) }, { createdBy: context?.principal?.userId, accountId });
      await repository.updateRun(run.id, { compareJobId: job.id });
      return { run: toRun({ ...run, compareJobId: job.id }), job: { id: job.id, kind: job.kind, state: job.state } };
    },

    async listRuns(context: RequestContext | null, accountId: string, query: { cursor?: string | undefined; limit: number }): Promise<Page<SyncRun>> {
      await directory.requireCorp(accountId);
      const principal = context?.principal;
      const cursor = query.cursor ? decodeCursor(query.cursor) : null;
      const before = cursor && typeof cursor[0] === 'string' && typeof cursor[1] === 'string' ? { createdAt: new Date(cursor[0]), id: cursor[1] } : undefined;
      const rows = await repository.listRuns({ accountId, createdBy: principal && principal.role !== 'super_admin' ? principal.userId : undefined, before, limit: query.limit + 1 });
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      return { items: page.map(toRun), nextCursor: rows.length > query.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null };
    },

    async getRun(context: RequestContext | null, accountId: string, runId: string): Promise<SyncRun> {
      return toRun(await visibleRun(context, accountId, runId));
    },

    async listItems(context: RequestContext | null, accountId: string, runId: string, query: ListItemsQuery, locale: Locale): Promise<Page<SyncItem>> {
      const run = await visibleRun(context, accountId, runId);
      const cursor = query.cursor ? decodeCursor(query.cursor) : null;
      const after = cursor && typeof cursor[0] === 'number' && typeof cursor[1] === 'number' ? { phase: cursor[0], seq: cursor[1] } : undefined;
      const rows = await repository.listItems(run.id, { kind: query.kind, action: query.action, state: query.state, after, limit: query.limit + 1 });
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      return { items: page.map((row) => toItem(row, locale)), nextCursor: rows.length > query.limit && last ? encodeCursor([last.phase, last.seq]) : null };
    },

    /** Marks the chosen items and starts the job that applies them. */
    async apply(context: RequestContext | null, accountId: string, runId: string, body: ApplyBody): Promise<RunWithJob> {
      await directory.requireCorp(accountId);
      scopeRootsOf(context, accountId);
      await visibleRun(context, accountId, runId);
      const run = await repository.transaction(async (repo, tx) => {
        const locked = await repo.lockRun(runId);
        if (!locked) throw new AppError('WECOM_SYNC_RUN_NOT_FOUND', { runId });
        if (busyStates.has(locked.state)) throw new AppError('WECOM_SYNC_RUN_BUSY', { state: locked.state });
        const selected = await repo.select(runId, {
          pulls: body.pulls ?? false,
          pushes: body.pushes ?? false,
          itemIds: body.itemIds ?? [],
          resolutions: body.resolutions ?? [],
        });
        if (selected === 0) throw new AppError('WECOM_SYNC_NOTHING_SELECTED', {});
        await repo.updateRun(runId, { state: 'applying', finishedAt: null });
        await deps.audit.record(
          context,
          { action: 'wecom.directory-sync.apply', targetType: 'wecom_sync_run', targetId: runId, summary: { accountId, selected, pulls: body.pulls ?? false, pushes: body.pushes ?? false, resolutions: body.resolutions?.length ?? 0 } },
          tx,
        );
        return { ...locked, state: 'applying' as const };
      });
      try {
        const job = await deps.queue.enqueue<SyncJobInput>(applyJob, { runId, accountId, context: storedContext(context) }, { createdBy: context?.principal?.userId, accountId });
        await repository.updateRun(runId, { applyJobId: job.id });
        return { run: toRun({ ...run, applyJobId: job.id }), job: { id: job.id, kind: job.kind, state: job.state } };
      } catch (error) {
        await repository.updateRun(runId, { state: 'ready' });
        throw error;
      }
    },
  };
}

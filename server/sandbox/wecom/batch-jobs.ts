import type { Clock } from '../../platform/clock';
import type { Logger } from '../../platform/logger';
import { isSandboxWeChatError } from '../core/wechat-error';
import { readMemberCsv, readPartyCsv, type MemberLine, type PartyLine } from './csv';
import { createDirectory, DepartmentTree } from './directory';
import { newId } from './ids';
import type { PushTarget, Pushes } from './pushes';
import { ROOT_DEPARTMENT_ID, useridKey } from './rules';
import type { WeComCaller } from './scope';
import type { JobRow, WeComRepository } from './wecom.repository';
import type { BatchRowResult } from './wecom.tables';
import { weComError, weComErrmsg } from './wecom-errors';

export type BatchJobType = JobRow['type'];

/** Lines applied per step; each step is one transaction, so a restart repeats at most one step. */
const LINES_PER_STEP = 200;
/**
 * replaceuser refuses (45026) to delete more than this share of the members.
 * WeCom does not publish its threshold; corps under `PROTECTION_MIN_MEMBERS` are exempt.
 */
const PROTECTION_SHARE = 0.5;
const PROTECTION_MIN_MEMBERS = 10;

/** Runs a step later; tests pass their own to walk a job through its states. */
export type StepScheduler = (step: () => Promise<void>) => void;

export const immediateScheduler: StepScheduler = (step) => {
  setImmediate(() => void step());
};

interface JobDeps {
  repository: WeComRepository;
  clock: Clock;
  logger: Logger;
  pushes: Pushes;
  schedule: StepScheduler;
  /** Where `batch_job_result` goes when the request named no callback. */
  contactsTarget(corpId: string): Promise<PushTarget | null>;
}

function rowError(error: unknown): { errcode: number; errmsg: string } {
  if (isSandboxWeChatError(error)) return { errcode: error.errcode, errmsg: String(error.toBody().errmsg) };
  return { errcode: -1, errmsg: weComErrmsg(-1) };
}

/**
 * Asynchronous batch jobs (syncuser, replaceuser, replaceparty): status 1
 * queued → 2 running → 3 done, then `batch_job_result` to the contacts receiver
 * (or the request's own callback).
 */
export function createBatchJobs(deps: JobDeps) {
  const { repository } = deps;
  const contacts = (corpId: string): WeComCaller => ({ corpId, receiver: 'contacts', kind: 'contacts' });

  async function lines(job: JobRow): Promise<MemberLine[] | PartyLine[]> {
    const media = await repository.findMedia(job.corpId, job.mediaId);
    const text = media ? Buffer.from(media.contentBase64, 'base64').toString('utf8') : '';
    return (job.type === 'replace_party' ? readPartyCsv(text) : readMemberCsv(text)) ?? [];
  }

  async function applyMember(tx: WeComRepository, job: JobRow, line: MemberLine): Promise<BatchRowResult> {
    const directory = createDirectory({ repository: tx, clock: deps.clock });
    const input = { ...line, userid: line.userid, name: line.name };
    const exists = line.userid !== '' && (await tx.findMember(job.corpId, useridKey(line.userid))) !== null;
    try {
      if (exists) await directory.updateMember(contacts(job.corpId), input);
      else await directory.createMember(contacts(job.corpId), { ...input, department: line.department ?? [ROOT_DEPARTMENT_ID] });
      return { userid: line.userid, errcode: 0, errmsg: 'ok' };
    } catch (error) {
      return { userid: line.userid, ...rowError(error) };
    }
  }

  async function applyParty(tx: WeComRepository, job: JobRow, line: PartyLine): Promise<BatchRowResult> {
    const directory = createDirectory({ repository: tx, clock: deps.clock });
    const exists = (await tx.findDepartment(job.corpId, line.id)) !== null;
    try {
      if (line.id === ROOT_DEPARTMENT_ID) await directory.updateDepartment(contacts(job.corpId), { id: line.id, name: line.name, order: line.order });
      else if (exists) await directory.updateDepartment(contacts(job.corpId), { id: line.id, name: line.name, parentid: line.parentId, order: line.order });
      else await directory.createDepartment(contacts(job.corpId), { id: line.id, name: line.name, parentid: line.parentId, order: line.order });
      return { action: exists ? 2 : 1, partyid: line.id, errcode: 0, errmsg: 'ok' };
    } catch (error) {
      return { action: exists ? 2 : 1, partyid: line.id, ...rowError(error) };
    }
  }

  /** What a replace removes once every line is applied. */
  async function removals(tx: WeComRepository, job: JobRow, all: MemberLine[] | PartyLine[]): Promise<BatchRowResult[]> {
    if (job.type === 'replace_user') {
      const keep = new Set((all as MemberLine[]).map((l) => useridKey(l.userid)));
      const corp = await tx.findCorp(job.corpId);
      const doomed = (await tx.memberKeys(job.corpId)).filter((key) => !keep.has(key) && key !== (corp?.creatorUserid ? useridKey(corp.creatorUserid) : ''));
      const members = await tx.findMembers(job.corpId, doomed);
      await tx.deleteMembers(job.corpId, doomed);
      return members.map((m) => ({ userid: m.userid, errcode: 0, errmsg: 'deleted' }));
    }
    if (job.type === 'replace_party') {
      const keep = new Set((all as PartyLine[]).map((l) => l.id));
      const tree = new DepartmentTree(await tx.listDepartments(job.corpId));
      const results: BatchRowResult[] = [];
      // Deepest first, so a parent is empty by the time its turn comes.
      const doomed = [...tree.byId.values()].filter((d) => d.id !== ROOT_DEPARTMENT_ID && !keep.has(d.id)).sort((a, b) => tree.level(b.id) - tree.level(a.id));
      for (const department of doomed) {
        const { departments, members } = await tx.countChildren(job.corpId, department.id);
        if (members > 0 || departments > 0) {
          results.push({ action: 3, partyid: department.id, errcode: members > 0 ? 60005 : 60006, errmsg: weComErrmsg(members > 0 ? 60005 : 60006) });
          continue;
        }
        await tx.deleteDepartments(job.corpId, [department.id]);
        results.push({ action: 3, partyid: department.id, errcode: 0, errmsg: 'ok' });
      }
      return results;
    }
    return [];
  }

  async function announce(job: JobRow): Promise<void> {
    const target: PushTarget | null =
      job.callback?.url && job.callback.token && job.callback.encodingaeskey
        ? { corpId: job.corpId, receiver: 'contacts', token: job.callback.token, encodingAesKey: job.callback.encodingaeskey, callbackUrl: job.callback.url }
        : await deps.contactsTarget(job.corpId);
    if (!target) return;
    await deps.pushes.push(target, {
      actor: 'sys',
      label: 'event:batch_job_result',
      fields: {
        FromUserName: 'sys',
        MsgType: 'event',
        Event: 'batch_job_result',
        BatchJob: { JobId: job.jobId, JobType: job.type, ErrCode: job.errcode, ErrMsg: job.errcode === 0 ? 'ok' : weComErrmsg(job.errcode) },
      },
    });
  }

  async function step(jobId: string, corpId: string): Promise<void> {
    const job = await repository.findJob(corpId, jobId);
    if (!job || job.status === 3) return;
    if (job.status === 1) {
      const all = await lines(job);
      await repository.updateJob(jobId, { status: 2, total: all.length });
      enqueue(jobId, corpId);
      return;
    }
    const all = await lines(job);
    if (job.done === 0 && job.type === 'replace_user') {
      const keep = new Set((all as MemberLine[]).map((l) => useridKey(l.userid)));
      const existing = await repository.memberKeys(corpId);
      const deleting = existing.filter((key) => !keep.has(key)).length;
      if (existing.length >= PROTECTION_MIN_MEMBERS && deleting > existing.length * PROTECTION_SHARE) {
        await repository.updateJob(jobId, { status: 3, errcode: 45026, finishedAt: deps.clock.now() });
        await announce({ ...job, errcode: 45026 });
        return;
      }
    }
    const finished = await repository.transaction(async (tx) => {
      const batch = all.slice(job.done, job.done + LINES_PER_STEP);
      const results: BatchRowResult[] = [];
      for (const line of batch) {
        results.push(job.type === 'replace_party' ? await applyParty(tx, job, line as PartyLine) : await applyMember(tx, job, line as MemberLine));
      }
      const done = job.done + batch.length;
      const last = done >= all.length;
      if (last) results.push(...(await removals(tx, job, all)));
      await tx.updateJob(jobId, { done, result: [...job.result, ...results], ...(last ? { status: 3, finishedAt: deps.clock.now() } : {}) });
      return last;
    });
    if (finished) {
      const done = await repository.findJob(corpId, jobId);
      if (done) await announce(done);
      return;
    }
    enqueue(jobId, corpId);
  }

  const running = new Set<Promise<void>>();
  let pending = 0;

  function enqueue(jobId: string, corpId: string): void {
    pending++;
    deps.schedule(() => {
      pending--;
      return runStep(jobId, corpId);
    });
  }

  function runStep(jobId: string, corpId: string): Promise<void> {
    const work = step(jobId, corpId)
      .catch((error: unknown) => deps.logger.warn({ err: error, jobId }, 'sandbox WeCom batch job step failed'))
      .finally(() => running.delete(work));
    running.add(work);
    return work;
  }

  return {
    async start(caller: WeComCaller, type: BatchJobType, input: { media_id: string; callback?: JobRow['callback'] | undefined }) {
      const media = await repository.findMedia(caller.corpId, input.media_id);
      if (!media) throw weComError(40007, 'media_id');
      const text = Buffer.from(media.contentBase64, 'base64').toString('utf8');
      let parsed: unknown[] | null;
      try {
        parsed = type === 'replace_party' ? readPartyCsv(text) : readMemberCsv(text);
      } catch {
        parsed = null;
      }
      if (!parsed) throw weComError(40092, 'media_id');
      const jobId = newId.job();
      await repository.insertJob({
        jobId,
        corpId: caller.corpId,
        type,
        status: 1,
        mediaId: input.media_id,
        receiver: caller.receiver,
        callback: input.callback ?? null,
        total: parsed.length,
        createdAt: deps.clock.now(),
      });
      enqueue(jobId, caller.corpId);
      return { errcode: 0, errmsg: 'ok', jobid: jobId };
    },

    async result(caller: WeComCaller, jobId: string) {
      const job = await repository.findJob(caller.corpId, jobId);
      if (!job) throw weComError(40058, 'jobid');
      const percentage = job.status === 3 ? 100 : job.total === 0 ? 0 : Math.floor((job.done / job.total) * 100);
      return {
        errcode: 0,
        errmsg: 'ok',
        status: job.status,
        type: job.type,
        total: job.total,
        percentage,
        ...(job.status === 3 ? { result: job.result } : {}),
      };
    },

    /** Continues jobs a restart interrupted. */
    async resume(): Promise<void> {
      for (const job of await repository.unfinishedJobs()) enqueue(job.jobId, job.corpId);
    },

    /** Resolves once no step is running or waiting (with the immediate scheduler: every job finished). */
    async idle(): Promise<void> {
      const busy = () => pending > 0 || running.size > 0;
      while (busy()) {
        if (running.size) await Promise.all(running);
        else await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}

export type BatchJobs = ReturnType<typeof createBatchJobs>;

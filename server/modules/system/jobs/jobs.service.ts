import { AppError, errorRegistry, renderErrorMessage, type ErrorCode, type Locale } from '../../../../common/errors';
import type { AuditRecorder } from '../../../platform/audit';
import type { Principal, RequestContext } from '../../../platform/http/principal';
import type { JobQueue, JobRun } from '../../../platform/queue/job-queue';
import type { JobRunPage, JobRunView, ListJobsQuery } from './jobs.schema';

export interface JobsServiceDeps {
  queue: JobQueue;
  audit: AuditRecorder;
}

/** Only a super_admin sees every job; others see the jobs they started. */
function maySee(principal: Principal, run: JobRun): boolean {
  return principal.role === 'super_admin' || run.createdBy === principal.userId;
}

function isRegisteredCode(code: string): code is ErrorCode {
  return Object.hasOwn(errorRegistry, code);
}

/** Qiao's own failure codes are re-rendered in the caller's language; other messages stay as recorded. */
function toView(run: JobRun, locale: Locale): JobRunView {
  const failure = run.failure;
  if (!failure || failure.code === 'INTERNAL_ERROR' || !isRegisteredCode(failure.code)) return run;
  return { ...run, failure: { ...failure, message: renderErrorMessage(failure.code, locale, failure.details ?? {}) } };
}

export function createJobsService(deps: JobsServiceDeps) {
  async function visible(principal: Principal, jobId: string): Promise<JobRun> {
    const run = await deps.queue.get(jobId);
    if (!maySee(principal, run)) throw new AppError('JOB_NOT_FOUND', { jobId });
    return run;
  }

  return {
    async get(principal: Principal, jobId: string, locale: Locale): Promise<JobRunView> {
      return toView(await visible(principal, jobId), locale);
    },

    async list(principal: Principal, query: ListJobsQuery, locale: Locale): Promise<JobRunPage> {
      const page = await deps.queue.list({
        kind: query.kind,
        state: query.state,
        cursor: query.cursor,
        limit: query.limit,
        createdBy: principal.role === 'super_admin' ? undefined : principal.userId,
      });
      return { ...page, items: page.items.map((run) => toView(run, locale)) };
    },

    async cancel(context: RequestContext, principal: Principal, jobId: string, locale: Locale): Promise<JobRunView> {
      const before = await visible(principal, jobId);
      const after = await deps.queue.cancel(jobId);
      await deps.audit.record(context, {
        action: 'job.cancel',
        targetType: 'job',
        targetId: jobId,
        summary: { kind: before.kind, stateBefore: before.state, stateAfter: after.state, done: after.done },
      });
      return toView(after, locale);
    },
  };
}

export type JobsService = ReturnType<typeof createJobsService>;

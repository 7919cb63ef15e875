import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../common/errors';
import { useTestApp } from '../../../../test/support/test-app';
import { setupRoot, userSession, type Caller } from '../../../../test/support/callers';
import { jobRunPageSchema, jobRunSchema, type JobRunView } from './jobs.schema';

const t = useTestApp();

beforeAll(async () => {
  const { queue } = t();
  queue.register('test.count', async (context) => {
    const { to } = context.input as { to: number };
    await context.setTotal(to);
    await context.progress({ done: to, errors: [{ row: 2, column: '手机', code: 'INVALID_MOBILE', message: '手机号格式不正确' }] });
    return { counted: to };
  });
  queue.register('test.endless', async (context) => {
    for (let done = 1; ; done++) {
      context.signal.throwIfAborted();
      await context.progress({ done });
      await sleep(10);
    }
  });
  queue.register('test.refused', async () => {
    throw new AppError('RATE_LIMITED', { retryAfterS: 30 });
  });
  await queue.start();
});

async function getJob(caller: Caller, jobId: string, language = 'zh-CN') {
  return t().app.inject({ method: 'GET', url: `/api/v1/jobs/${jobId}`, headers: { ...caller.headers, 'accept-language': language } });
}

async function finished(caller: Caller, jobId: string, language?: string): Promise<JobRunView> {
  for (;;) {
    const response = await getJob(caller, jobId, language);
    const run = jobRunSchema.parse(response.json());
    if (run.state !== 'queued' && run.state !== 'running') return run;
    await sleep(50);
  }
}

describe('jobs API', () => {
  it('shows progress, total, row errors and result of a job', async () => {
    const root = await setupRoot(t().app);
    const { id } = await t().queue.enqueue('test.count', { to: 7 }, { createdBy: root.userId });
    const run = await finished(root, id);
    expect(run).toMatchObject({
      id,
      kind: 'test.count',
      state: 'succeeded',
      done: 7,
      total: 7,
      errors: [{ row: 2, column: '手机', code: 'INVALID_MOBILE', message: '手机号格式不正确' }],
      errorCount: 1,
      result: { counted: 7 },
      failure: null,
      cancelRequested: false,
      createdBy: root.userId,
    });
  });

  it('answers JOB_NOT_FOUND for an unknown job', async () => {
    const root = await setupRoot(t().app);
    const response = await getJob(root, '00000000-0000-4000-8000-000000000000');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'JOB_NOT_FOUND' });
    expect((await getJob(root, 'no-such-job')).statusCode).toBe(404);
  });

  it('shows a member only the jobs it started', async () => {
    const root = await setupRoot(t().app);
    const member = await userSession(t().app, root, { username: 'member1', role: 'member' });
    const own = await t().queue.enqueue('test.count', { to: 1 }, { createdBy: member.userId });
    const others = await t().queue.enqueue('test.count', { to: 1 }, { createdBy: root.userId });
    expect((await getJob(member, own.id)).statusCode).toBe(200);
    const hidden = await getJob(member, others.id);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toMatchObject({ code: 'JOB_NOT_FOUND' });

    const memberList = jobRunPageSchema.parse((await t().app.inject({ method: 'GET', url: '/api/v1/jobs', headers: member.headers })).json());
    expect(memberList.items.map((r) => r.id)).toEqual([own.id]);
    const rootList = jobRunPageSchema.parse((await t().app.inject({ method: 'GET', url: '/api/v1/jobs', headers: root.headers })).json());
    expect(rootList.items.map((r) => r.id).sort()).toEqual([own.id, others.id].sort());
  });

  it('pages the list with a cursor and filters it by kind and state', async () => {
    const root = await setupRoot(t().app);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await t().queue.enqueue('test.count', { to: i + 1 }, { createdBy: root.userId })).id);
    const refused = await t().queue.enqueue('test.refused', {}, { createdBy: root.userId });
    for (const id of [...ids, refused.id]) await finished(root, id);

    const list = async (query: string) => {
      const response = await t().app.inject({ method: 'GET', url: `/api/v1/jobs?${query}`, headers: root.headers });
      expect(response.statusCode).toBe(200);
      return jobRunPageSchema.parse(response.json());
    };
    const first = await list('limit=2');
    expect(first.items).toHaveLength(2);
    const second = await list(`limit=2&cursor=${encodeURIComponent(first.nextCursor ?? '')}`);
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items].map((r) => r.id).sort()).toEqual([...ids, refused.id].sort());
    expect((await list('kind=test.count')).items).toHaveLength(3);
    expect((await list('state=failed')).items.map((r) => r.id)).toEqual([refused.id]);
    expect((await list('kind=test.count&state=failed')).items).toHaveLength(0);

    const bad = await t().app.inject({ method: 'GET', url: '/api/v1/jobs?state=exploded', headers: root.headers });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('tells why a job failed in the language of the request', async () => {
    const root = await setupRoot(t().app);
    const { id } = await t().queue.enqueue('test.refused', {}, { createdBy: root.userId });
    const english = await finished(root, id, 'en-US');
    expect(english).toMatchObject({ state: 'failed', failure: { code: 'RATE_LIMITED', message: 'Too many requests; try again in 30 s' } });
    const chinese = jobRunSchema.parse((await getJob(root, id, 'zh-CN')).json());
    expect(chinese.failure?.message).toBe('请求过于频繁，请 30 秒后再试');
  });

  it('cancels a running job, answers the cancelled job and leaves an audit entry', async () => {
    const root = await setupRoot(t().app);
    const { id } = await t().queue.enqueue('test.endless', {}, { createdBy: root.userId });
    while (jobRunSchema.parse((await getJob(root, id)).json()).done < 2) await sleep(20);

    const response = await t().app.inject({ method: 'DELETE', url: `/api/v1/jobs/${id}`, headers: root.headers });
    expect(response.statusCode).toBe(200);
    const cancelled = jobRunSchema.parse(response.json());
    expect(cancelled).toMatchObject({ id, state: 'cancelled', cancelRequested: true });
    expect(cancelled.done).toBeGreaterThanOrEqual(2);

    const audit = await t().db.handle.db.execute(sql`SELECT action, target_id AS "targetId", summary FROM audit_log WHERE action = 'job.cancel'`);
    expect(audit.rows).toEqual([{ action: 'job.cancel', targetId: id, summary: expect.objectContaining({ kind: 'test.endless', stateAfter: 'cancelled' }) }]);

    const again = await t().app.inject({ method: 'DELETE', url: `/api/v1/jobs/${id}`, headers: root.headers });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'JOB_ALREADY_FINISHED' });
  });

  it('refuses cancelling to a member, who lacks jobs.cancel', async () => {
    const root = await setupRoot(t().app);
    const member = await userSession(t().app, root, { username: 'member2', role: 'member' });
    const { id } = await t().queue.enqueue('test.count', { to: 1 }, { createdBy: member.userId });
    const response = await t().app.inject({ method: 'DELETE', url: `/api/v1/jobs/${id}`, headers: member.headers });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('asks for a session or API key', async () => {
    const response = await t().app.inject({ method: 'GET', url: '/api/v1/jobs' });
    expect(response.statusCode).toBe(401);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { setupRoot, userSession, type Caller } from '../../../../test/support/callers';
import { useTestApp } from '../../../../test/support/test-app';
import { callWeCom, connectSandboxCorp, listenForCallbacks, type ConnectedCorp } from '../../../../test/support/wecom-corp-kit';
import type { ResolutionView, Rule } from './assignment-rules.schema';

const t = useTestApp({ startQueue: true });
let base = '';

beforeAll(async () => {
  base = await listenForCallbacks(t().app);
});

async function call(caller: Caller, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) {
  const response = await t().app.inject({ method, url, headers: caller.headers, ...(payload ? { payload } : {}) });
  return { status: response.statusCode, body: (response.body ? response.json() : null) as Record<string, unknown> & { code?: string } };
}

async function finishedJob(caller: Caller, jobId: string) {
  const until = Date.now() + 60_000;
  for (;;) {
    const job = await call(caller, 'GET', `/api/v1/jobs/${jobId}`);
    const state = job.body.state as string;
    if (state !== 'queued' && state !== 'running') return job.body;
    if (Date.now() > until) throw new Error(`job ${jobId} still ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const until = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function pullDirectory(root: Caller, corp: ConnectedCorp) {
  const started = await call(root, 'POST', `/api/v1/wecom/${corp.accountId}/directory-sync/diff`);
  const { run, job } = started.body as unknown as { run: { id: string }; job: { id: string } };
  await finishedJob(root, job.id);
  const applied = await call(root, 'POST', `/api/v1/wecom/${corp.accountId}/directory-sync/runs/${run.id}/apply`, { pulls: true });
  await finishedJob(root, (applied.body.job as { id: string }).id);
}

describe('assignment rules', () => {
  it('resolves who a new customer goes to and rotates a bound contact way as members reach capacity', async () => {
    const root = await setupRoot(t().app);
    // Departments 2, 3, 4; user00001 and user00004 in 2, user00002 and user00005 in 3, user00003 in 4.
    const corp = await connectSandboxCorp(t().app, base, root, { departments: 3, members: 5, customers: 0 });
    await pullDirectory(root, corp);
    const way = await callWeCom(corp, 'customer-contact', 'POST', 'cgi-bin/externalcontact/add_contact_way', { type: 2, scene: 2, state: 'expo', user: ['user00003'] });
    expect(way.errcode).toBe(0);
    const rules = `/api/v1/wecom/${corp.accountId}/assignment-rules`;

    const expo = await call(root, 'POST', rules, { name: '展会渠道', priority: 1, states: ['expo'], userids: ['user00001'], departmentIds: [3], capacityPerDay: 1, configId: way.config_id });
    expect(expo.status, JSON.stringify(expo.body)).toBe(201);
    const fallback = await call(root, 'POST', rules, { name: '上海兜底', priority: 2, regions: ['上海'], userids: ['user00003'] });
    expect(fallback.status).toBe(201);
    expect(await call(root, 'POST', rules, { name: '空规则', userids: [] })).toMatchObject({ status: 400, body: { code: 'WECOM_ASSIGNMENT_RULE_INVALID' } });

    const resolved = (await call(root, 'POST', `${rules}/resolve`, { state: 'expo' })).body as unknown as ResolutionView;
    expect(resolved).toMatchObject({ ruleName: '展会渠道', userids: ['user00001', 'user00002', 'user00005'], next: 'user00001' });
    const byPhone = (await call(root, 'POST', `${rules}/resolve`, { phone: '021-61234567' })).body as unknown as ResolutionView;
    expect(byPhone).toMatchObject({ ruleName: '上海兜底', region: '上海', userids: ['user00003'] });
    expect(byPhone.verdicts[0]).toMatchObject({ name: '展会渠道', skipped: 'channel' });

    const applied = await call(root, 'POST', `${rules}/apply`);
    expect(applied.body).toMatchObject({ items: [{ configId: way.config_id, userids: ['user00001', 'user00002', 'user00005'], changed: true }] });
    const members = async () => ((await callWeCom(corp, 'customer-contact', 'POST', 'cgi-bin/externalcontact/get_contact_way', { config_id: way.config_id })).contact_way as { user: string[] }).user;
    expect(await members()).toEqual(['user00001', 'user00002', 'user00005']);

    // A customer scans the code and adds user00001: its capacity of 1 a day is reached, the code rotates without it.
    const created = await call(root, 'POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers`, { count: 1 });
    const customer = (created.body.customers as { externalUserId: string }[])[0]?.externalUserId;
    const added = await call(root, 'POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers/${customer}/add-member`, { userid: 'user00001', state: 'expo' });
    expect(added.status).toBe(200);
    expect(await eventually(members, (users) => users.length === 2)).toEqual(['user00002', 'user00005']);
    const after = (await call(root, 'POST', `${rules}/resolve`, { state: 'expo' })).body as unknown as ResolutionView;
    expect(after.next).toBe('user00002');
    expect(after.verdicts[0]?.members[0]).toMatchObject({ userid: 'user00001', reason: 'full', addsToday: 1 });

    // Next day (Asia/Shanghai) the capacity is fresh again.
    const nextDay = (await call(root, 'POST', `${rules}/resolve`, { state: 'expo', at: new Date(t().clock.now().getTime() + 86_400_000).toISOString() })).body as unknown as ResolutionView;
    expect(nextDay.userids).toContain('user00001');

    const list = (await call(root, 'GET', rules)).body.items as Rule[];
    expect(list.map((r) => r.name)).toEqual(['展会渠道', '上海兜底']);
    expect(list[0]?.appliedUserids).toEqual(['user00002', 'user00005']);

    const deptAdmin = await userSession(t().app, root, { username: 'dept3', role: 'dept_admin', departmentScopes: [{ accountId: corp.accountId, departmentId: 3 }] });
    expect(await call(deptAdmin, 'POST', rules, { name: '越权', userids: ['user00001'] })).toMatchObject({ status: 403, body: { code: 'WECOM_TRANSFER_MEMBER_OUT_OF_SCOPE' } });
    expect((await call(deptAdmin, 'POST', rules, { name: '本部门', departmentIds: [3] })).status).toBe(201);
    const member = await userSession(t().app, root, { username: 'member1', role: 'member' });
    expect((await call(member, 'GET', rules)).status).toBe(403);
  });
});

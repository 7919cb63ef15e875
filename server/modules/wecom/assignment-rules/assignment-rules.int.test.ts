import { beforeAll, describe, expect, it } from 'vitest';
import { loginAs, rootCredentials, setupRoot, userSession, type Caller } from '../../../../test/support/callers';
import { useTestApp } from '../../../../test/support/test-app';
import { callWeCom, connectSandboxCorp, listenForCallbacks, type ConnectedCorp } from '../../../../test/support/wecom-corp-kit';
import type { ContactWay } from '../contact-ways';
import type { Transfer, TransferDetail } from '../customer-transfers';
import type { ApplyAnswer, ResolutionView, Rule } from './assignment-rules.schema';

const DAY = 86_400_000;

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

  it('writes the rotated members to Qiao’s own code, which its GET and a later edit start from, and leaves a code of another channel alone', async () => {
    const root = await setupRoot(t().app);
    const corp = await connectSandboxCorp(t().app, base, root, { departments: 3, members: 5, customers: 0 });
    await pullDirectory(root, corp);
    const ways = `/api/v1/wecom/${corp.accountId}/contact-ways`;
    const expo = await call(root, 'POST', ways, { name: '展会', type: 'multi', userids: ['user00003'], state: 'expo' });
    expect(expo.status, JSON.stringify(expo.body)).toBe(201);
    const shop = await call(root, 'POST', ways, { name: '门店', type: 'multi', userids: ['user00003'], state: 'shop' });
    const expoId = (expo.body as unknown as ContactWay).configId;
    const shopId = (shop.body as unknown as ContactWay).configId;
    const rules = `/api/v1/wecom/${corp.accountId}/assignment-rules`;
    expect((await call(root, 'POST', rules, { name: '展会渠道', priority: 1, states: ['expo'], departmentIds: [3], configId: expoId })).status).toBe(201);
    expect((await call(root, 'POST', rules, { name: '只接展会', priority: 2, states: ['expo'], userids: ['user00001'], configId: shopId })).status).toBe(201);

    const applied = (await call(root, 'POST', `${rules}/apply`)).body as unknown as ApplyAnswer;
    expect(applied.items).toEqual([
      expect.objectContaining({ configId: expoId, userids: ['user00002', 'user00005'], changed: true, skipped: null }),
      expect.objectContaining({ configId: shopId, userids: ['user00003'], changed: false, skipped: 'channel' }),
    ]);
    const inQiao = async (configId: string) => ((await call(root, 'GET', `${ways}/${configId}`)).body as unknown as ContactWay).userids;
    const inWeCom = async (configId: string) => ((await callWeCom(corp, 'customer-contact', 'POST', 'cgi-bin/externalcontact/get_contact_way', { config_id: configId })).contact_way as { user: string[] }).user;
    expect(await inQiao(expoId)).toEqual(['user00002', 'user00005']);
    expect(await inQiao(shopId)).toEqual(['user00003']);
    expect(await inWeCom(shopId)).toEqual(['user00003']);

    // An edit of something else keeps the rotated members instead of writing the old ones back.
    const renamed = await call(root, 'PATCH', `${ways}/${expoId}`, { name: '展会 A 馆' });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect((renamed.body as unknown as ContactWay).userids).toEqual(['user00002', 'user00005']);
    expect(await inWeCom(expoId)).toEqual(['user00002', 'user00005']);
    const again = (await call(root, 'POST', `${rules}/apply`)).body as unknown as ApplyAnswer;
    expect(again.items[0]).toMatchObject({ configId: expoId, changed: false, skipped: null });
  });

  /** A corp with a 上海 region tag, a code put up in the Shanghai shop (tagging its customers 上海), an expo code and a web code. */
  async function shopsAndRules() {
    const root = await setupRoot(t().app);
    const corp = await connectSandboxCorp(t().app, base, root, { departments: 3, members: 5, customers: 0 });
    await pullDirectory(root, corp);
    const tag = await callWeCom(corp, 'customer-contact', 'POST', 'cgi-bin/externalcontact/add_corp_tag', { group_name: '地区', tag: [{ name: '上海' }] });
    const tagId = ((tag.tag_group as { tag: { id: string }[] }).tag[0] as { id: string }).id;
    const ways = `/api/v1/wecom/${corp.accountId}/contact-ways`;
    for (const body of [
      { name: '上海门店', type: 'multi', userids: ['user00001'], state: 'shop-sh', tagIds: [tagId] },
      { name: '展会', type: 'single', userids: ['user00004'], state: 'expo' },
      { name: '官网', type: 'single', userids: ['user00005'], state: 'web' },
    ]) {
      const created = await call(root, 'POST', ways, body);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
    const rules = `/api/v1/wecom/${corp.accountId}/assignment-rules`;
    expect((await call(root, 'POST', rules, { name: '上海客户', priority: 1, regions: ['上海'], userids: ['user00002'] })).status).toBe(201);
    expect((await call(root, 'POST', rules, { name: '展会客户', priority: 2, states: ['expo'], userids: ['user00003'] })).status).toBe(201);
    return { root, corp, rules };
  }

  async function newCustomers(root: Caller, corp: ConnectedCorp, count: number, userid?: string): Promise<string[]> {
    const created = await call(root, 'POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers`, { count, ...(userid ? { userid } : {}) });
    expect(created.status).toBe(201);
    return (created.body.customers as { externalUserId: string }[]).map((c) => c.externalUserId);
  }

  async function scan(root: Caller, corp: ConnectedCorp, externalUserId: string, userid: string, state: string) {
    const added = await call(root, 'POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers/${externalUserId}/add-member`, { userid, state });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
  }

  async function transfersOf(root: Caller, corp: ConnectedCorp): Promise<Transfer[]> {
    return (await call(root, 'GET', `/api/v1/wecom/${corp.accountId}/customer-transfers`)).body.items as Transfer[];
  }

  it('hands a new customer who landed outside the rule covering them (region from the code’s tag, a channel no code serves) to that rule’s member', async () => {
    const { root, corp } = await shopsAndRules();
    const [web, shanghai, expo] = (await newCustomers(root, corp, 3)) as [string, string, string];

    // No rule covers the web channel: the customer stays where it landed.
    await scan(root, corp, web, 'user00005', 'web');
    await scan(root, corp, shanghai, 'user00001', 'shop-sh');
    await scan(root, corp, expo, 'user00004', 'expo');
    const moved = await eventually(
      () => transfersOf(root, corp),
      (list) => list.length === 2 && list.every((m) => m.counts.pending + m.counts.skipped + m.counts.failed > 0),
    );
    expect(moved.map((m) => [m.handoverUserid, m.takeoverUserid, m.counts.pending]).sort()).toEqual([
      ['user00001', 'user00002', 1],
      ['user00004', 'user00003', 1],
    ]);
    const detail = (await call(root, 'GET', `/api/v1/wecom/${corp.accountId}/customer-transfers/${moved.find((m) => m.handoverUserid === 'user00001')?.id}`)).body as unknown as TransferDetail;
    expect(detail.items).toMatchObject([{ externalUserId: shanghai, status: 'pending' }]);
    const audit = (await call(root, 'GET', '/api/v1/audit-log?action=wecom.assignment_rules.handover')).body.items as { summary: Record<string, unknown> }[];
    expect(audit.map((a) => a.summary)).toEqual(
      expect.arrayContaining([expect.objectContaining({ ruleName: '上海客户', externalUserId: shanghai, fromUserid: 'user00001', toUserid: 'user00002', region: '上海', status: 'pending' })]),
    );
    // The web customer's add went through the same line first and moved nobody.
    expect(audit).toHaveLength(2);
    expect(moved.every((m) => m.handoverUserid !== 'user00005')).toBe(true);
  });

  it('does not move a customer transferred twice within 90 days again, and records why', async () => {
    const world = await shopsAndRules();
    const { corp } = world;
    let { root } = world;
    const [customer] = (await newCustomers(root, corp, 1, 'user00004')) as [string];
    const transfers = `/api/v1/wecom/${corp.accountId}/customer-transfers`;
    for (const [from, to] of [
      ['user00004', 'user00005'],
      ['user00005', 'user00004'],
    ]) {
      const created = await call(root, 'POST', transfers, { kind: 'on_duty', handoverUserid: from, takeoverUserid: to, externalUserIds: [customer] });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      t().clock.advance(DAY + 60_000);
      // The session idled out with the day that passed.
      root = await loginAs(t().app, rootCredentials.username, rootCredentials.password);
      expect((await call(root, 'POST', `${transfers}/refresh`)).body).toMatchObject({ changed: 1 });
    }

    await scan(root, corp, customer, 'user00001', 'shop-sh');
    const list = await eventually(
      () => transfersOf(root, corp),
      (items) => items.length === 3 && items.every((m) => m.counts.pending + m.counts.accepted + m.counts.skipped + m.counts.failed > 0),
    );
    const blocked = list.find((i) => i.handoverUserid === 'user00001');
    expect(blocked).toMatchObject({ takeoverUserid: 'user00002', counts: { skipped: 1, pending: 0 } });
    const detail = (await call(root, 'GET', `${transfers}/${blocked?.id}`)).body as unknown as TransferDetail;
    expect(detail.items).toMatchObject([{ externalUserId: customer, status: 'skipped', reason: 'limit_90_days' }]);
    const audit = (await call(root, 'GET', '/api/v1/audit-log?action=wecom.assignment_rules.handover')).body.items as { summary: Record<string, unknown> }[];
    expect(audit[0]?.summary).toMatchObject({ externalUserId: customer, fromUserid: 'user00001', toUserid: 'user00002', status: 'skipped', reason: 'limit_90_days' });
    const followers = await callWeCom(corp, 'customer-contact', 'GET', 'cgi-bin/externalcontact/get', undefined, { external_userid: customer });
    expect((followers.follow_user as { userid: string }[]).map((f) => f.userid).sort()).toEqual(['user00001', 'user00004']);
  });
});

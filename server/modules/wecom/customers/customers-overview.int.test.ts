import { beforeEach, describe, expect, it } from 'vitest';
import { loginAs, rootCredentials, setupRoot, type Caller } from '../../../../test/support/callers';
import { useTestApp } from '../../../../test/support/test-app';
import { callWeCom, connectSandboxCorp, listenForCallbacks, type ConnectedCorp } from '../../../../test/support/wecom-corp-kit';
import { buildWeChatXml, MessageCrypt, sealWeComPush } from '../../../wechat/core';

/** A JSON answer: the assertions below check its shape, so the type stays open. */
// oxlint-disable-next-line typescript/no-explicit-any
type Json = any;

const t = useTestApp({ startQueue: true });

const EAST = 2;
const WEST = 3;
/** 23:00 on 2026-11-20 in China: two hours later it is the 21st there. */
const START = new Date('2026-11-20T15:00:00Z');

let root: Caller;
let corp: ConnectedCorp;
/** Sandbox members, sorted: a and b in 东区, c in 西区. */
let a: string;
let b: string;
let c: string;

async function call(caller: Caller, method: 'GET' | 'POST', url: string, payload?: unknown) {
  const response = await t().app.inject({ method, url, headers: caller.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: response.statusCode, body: response.json() as Json };
}

const overviewUrl = (query = '') => `/api/v1/wecom/${corp.accountId}/customers/overview${query ? `?${query}` : ''}`;

async function overview(caller: Caller, query = ''): Promise<Json> {
  const response = await call(caller, 'GET', overviewUrl(query));
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

async function newCustomers(count: number): Promise<string[]> {
  const response = await call(root, 'POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers`, { count });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return (response.body.customers as { externalUserId: string }[]).map((x) => x.externalUserId);
}

/** The customer scans a member's code: WeCom pushes add_external_contact to Qiao. */
async function addMember(externalUserId: string, userid: string, state: string) {
  const response = await call(root, 'POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers/${externalUserId}/add-member`, { userid, state });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

/** A change_external_contact push exactly as WeCom signs and encrypts it (as in customers.int.test.ts). */
async function push(changeType: string, fields: Record<string, string>) {
  const receiver = corp.receivers.find((r) => r.receiver === 'customer-contact')!;
  const nowS = Math.floor(t().clock.now().getTime() / 1000);
  const message = buildWeChatXml({ ToUserName: corp.corpId, FromUserName: 'sys', CreateTime: nowS, MsgType: 'event', Event: 'change_external_contact', ChangeType: changeType, ...fields });
  const sealed = sealWeComPush({
    message,
    token: receiver.token,
    crypt: new MessageCrypt({ currentKey: receiver.encodingAesKey, receiverId: corp.corpId }),
    toUserName: corp.corpId,
    timestamp: String(nowS),
  });
  const response = await t().app.inject({
    method: 'POST',
    url: `/wechat/wecom/${corp.accountId}/customer-contact/callback?${new URLSearchParams(sealed.query).toString()}`,
    payload: sealed.body,
    headers: { 'content-type': 'text/xml' },
  });
  expect(response.statusCode, response.body).toBe(200);
}

/** The add callbacks reach Qiao asynchronously: waits until the overview has counted them. */
async function untilAdded(total: number, query: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if ((await overview(root, query)).totals.added >= total) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect((await overview(root, query)).totals.added).toBe(total);
}

async function user(username: string, role: 'dept_admin' | 'member', extra: Record<string, unknown>): Promise<Caller> {
  const password = `${username}-password-1`;
  const created = await call(root, 'POST', '/api/v1/users', { username, password, displayName: username, role, departmentScopes: [], ...extra });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return loginAs(t().app, username, password);
}

const rowOf = (body: Json, userid: string) => (body.members as { userid: string }[]).find((m) => m.userid === userid);

/**
 * The world: on the 20th (China time) a adds x1 and x2, c adds x3; on the
 * 21st b adds x4 and x1 too, a deletes x2, x3 deletes c.
 */
async function buildWorld(): Promise<string[]> {
  const [x1, x2, x3, x4] = (await newCustomers(4)) as [string, string, string, string];
  await addMember(x1, a, 'fair');
  await addMember(x2, a, 'fair');
  await addMember(x3, c, 'web');
  await untilAdded(3, 'from=2026-11-20&to=2026-11-21');
  t().clock.advance(2 * 3_600_000);
  root = await loginAs(t().app, rootCredentials.username, rootCredentials.password);
  await addMember(x4, b, 'web');
  await addMember(x1, b, 'web');
  await untilAdded(5, 'from=2026-11-20&to=2026-11-21');
  await push('del_external_contact', { UserID: a, ExternalUserID: x2 });
  await push('del_follow_user', { UserID: c, ExternalUserID: x3 });
  return [x1, x2, x3, x4];
}

beforeEach(async () => {
  t().clock.set(START);
  root = await setupRoot(t().app);
  const base = await listenForCallbacks(t().app);
  corp = await connectSandboxCorp(t().app, base, root, { departments: 1, members: 3, customers: 0 });
  const ids = await callWeCom(corp, 'contacts', 'POST', 'cgi-bin/user/list_id', { limit: 100 });
  [a, b, c] = [...new Set((ids.dept_user as { userid: string }[]).map((u) => u.userid))].sort() as [string, string, string];
  await t().app.wecomDepartments.service.upsertDepartments(
    null,
    corp.accountId,
    [
      { id: EAST, parentId: 1, name: '东区' },
      { id: WEST, parentId: 1, name: '西区' },
    ],
    { origin: 'console' },
  );
  for (const [userid, department] of [
    [a, EAST],
    [b, EAST],
    [c, WEST],
  ] as const) {
    const created = await call(root, 'POST', `/api/v1/wecom/${corp.accountId}/members`, { userid, name: `成员${userid}`, email: `${userid.toLowerCase()}@example.com`, departments: [{ departmentId: department }] });
    if (created.status !== 201) throw new Error(`member ${userid}: ${created.status} ${JSON.stringify(created.body)}`);
  }
});

describe('customer contact overview', () => {
  it('counts adds and losses per member and per China day, with current customers and totals', async () => {
    await buildWorld();
    const body = await overview(root, 'from=2026-11-20&to=2026-11-21');
    expect(body).toMatchObject({ from: '2026-11-20', to: '2026-11-21' });
    expect(body.totals).toEqual({ added: 5, lost: 2, lostByMember: 1, lostByCustomer: 1, net: 3, active: 3 });
    expect(body.days).toEqual([
      { day: '2026-11-20', added: 3, lost: 0 },
      { day: '2026-11-21', added: 2, lost: 2 },
    ]);
    expect(rowOf(body, a)).toEqual({ userid: a, name: `成员${a}`, departments: [{ id: EAST, name: '东区' }], added: 2, lost: 1, lostByMember: 1, lostByCustomer: 0, active: 1 });
    expect(rowOf(body, b)).toMatchObject({ added: 2, lost: 0, active: 2 });
    expect(rowOf(body, c)).toMatchObject({ departments: [{ id: WEST, name: '西区' }], added: 1, lost: 1, lostByMember: 0, lostByCustomer: 1, active: 0 });
  });

  it('counts only what happened inside the window; current customers whenever added', async () => {
    await buildWorld();
    const second = await overview(root, 'from=2026-11-21&to=2026-11-21');
    expect(second.days).toEqual([{ day: '2026-11-21', added: 2, lost: 2 }]);
    expect(second.totals).toMatchObject({ added: 2, lost: 2, net: 0, active: 3 });
    expect(rowOf(second, a)).toMatchObject({ added: 0, lost: 1, active: 1 });
    // c's only customer was added before the window and has left: nothing to show for c.
    expect(rowOf(second, c)).toMatchObject({ added: 0, lost: 1, active: 0 });

    const before = await overview(root, 'from=2026-11-01&to=2026-11-19');
    expect(before.totals).toMatchObject({ added: 0, lost: 0, active: 3 });
    expect(before.days).toHaveLength(19);

    // Default: the 30 days up to today (the 21st in China).
    const recent = await overview(root);
    expect(recent).toMatchObject({ from: '2026-10-23', to: '2026-11-21' });
    expect(recent.days).toHaveLength(30);
    expect(recent.totals).toMatchObject({ added: 5, lost: 2 });

    const west = await overview(root, `from=2026-11-20&to=2026-11-21&departmentId=${WEST}`);
    expect(west.members.map((m: { userid: string }) => m.userid)).toEqual([c]);
    expect(west.totals).toMatchObject({ added: 1, lost: 1, active: 0 });
    expect(west.days).toEqual([
      { day: '2026-11-20', added: 1, lost: 0 },
      { day: '2026-11-21', added: 0, lost: 1 },
    ]);
  });

  it('keeps to the caller’s reach: own members, department subtree, or all', async () => {
    await buildWorld();
    const window = 'from=2026-11-20&to=2026-11-21';
    const salesA = await user('sales-a', 'member', { wecomMembers: [{ accountId: corp.accountId, userid: a }] });
    const westAdmin = await user('west-admin', 'dept_admin', { departmentScopes: [{ accountId: corp.accountId, departmentId: WEST }] });
    const eastAdmin = await user('east-admin', 'dept_admin', { departmentScopes: [{ accountId: corp.accountId, departmentId: EAST }] });

    const mine = await overview(salesA, window);
    expect(mine.members.map((m: { userid: string }) => m.userid)).toEqual([a]);
    expect(mine.totals).toMatchObject({ added: 2, lost: 1, active: 1 });

    const west = await overview(westAdmin, window);
    expect(west.members.map((m: { userid: string }) => m.userid)).toEqual([c]);
    expect(west.days).toEqual([
      { day: '2026-11-20', added: 1, lost: 0 },
      { day: '2026-11-21', added: 0, lost: 1 },
    ]);
    // A department filter outside the reach narrows to nothing rather than widening it.
    expect((await overview(westAdmin, `${window}&departmentId=${EAST}`)).members).toEqual([]);

    const east = await overview(eastAdmin, window);
    expect(east.members.map((m: { userid: string }) => m.userid).sort()).toEqual([a, b].sort());
    expect(east.totals).toMatchObject({ added: 4, lost: 1, active: 3 });

    expect((await overview(root, window)).members).toHaveLength(3);
  });

  it('refuses a reversed window, one longer than 366 days and a day that does not exist', async () => {
    const reversed = await call(root, 'GET', overviewUrl('from=2026-11-21&to=2026-11-20'));
    expect(reversed.status).toBe(400);
    expect(reversed.body).toMatchObject({ code: 'WECOM_CUSTOMER_OVERVIEW_RANGE_REVERSED' });
    const long = await call(root, 'GET', overviewUrl('from=2025-11-20&to=2026-11-21'));
    expect(long.status).toBe(400);
    expect(long.body).toMatchObject({ code: 'WECOM_CUSTOMER_OVERVIEW_RANGE_TOO_LONG' });
    expect(long.body.message).toContain('366');
    const year = await call(root, 'GET', overviewUrl('from=2025-11-21&to=2026-11-21'));
    expect(year.status).toBe(200);
    expect(year.body.days).toHaveLength(366);
    const missing = await call(root, 'GET', overviewUrl('from=2026-02-30&to=2026-03-02'));
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ code: 'WECOM_CUSTOMER_OVERVIEW_DAY_INVALID' });
    const malformed = await call(root, 'GET', overviewUrl('from=20261120'));
    expect(malformed.status).toBe(400);
  });
});

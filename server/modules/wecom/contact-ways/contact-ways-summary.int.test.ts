import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loginAs, setupRoot, userSession, type Caller } from '../../../../test/support/callers';
import { useTestApp } from '../../../../test/support/test-app';
import { connectPulledCorp, listenForCallbacks, type ConnectedCorp } from '../../../../test/support/wecom-corp-kit';
import type { CodeAddsPage, ContactWay, ContactWayStats } from './contact-ways.schema';

const t = useTestApp({ startQueue: true });
const DAY_MS = 86_400_000;
let base = '';
let root: Caller;
let startedAt: Date;

beforeAll(async () => {
  base = await listenForCallbacks(t().app);
  startedAt = t().clock.now();
});

beforeEach(async () => {
  root = await setupRoot(t().app);
});

afterEach(() => {
  t().clock.set(startedAt);
});

type Body = Record<string, unknown> & { code?: string };

async function api(method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, caller: Caller = root) {
  const response = await t().app.inject({ method, url, headers: caller.headers, ...(payload ? { payload } : {}) });
  return { status: response.statusCode, body: (response.body ? response.json() : {}) as Body };
}

/** A connected corp whose directory Qiao has pulled: with two departments under the root 1, 2 holds user00001 and user00003, 3 user00002. */
function world(departments = 1): Promise<ConnectedCorp> {
  return connectPulledCorp(t().app, base, root, { departments, members: 3 });
}

async function code(corp: ConnectedCorp, name: string, userids: string[], state: string): Promise<ContactWay> {
  const created = await api('POST', `/api/v1/wecom/${corp.accountId}/contact-ways`, { name, type: userids.length > 1 ? 'multi' : 'single', userids, state });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  // Codes made in the same instant would tie on creation time; a millisecond apart they sort newest first.
  t().clock.advance(1);
  return created.body as unknown as ContactWay;
}

const stats = async (corp: ConnectedCorp, configId: string, query = '') =>
  (await api('GET', `/api/v1/wecom/${corp.accountId}/contact-ways/${configId}/stats${query}`)).body as unknown as ContactWayStats;

/** `count` new sandbox customers add `userid` through the code with `state`, `daysAgo` days before the test's start; waits until Qiao counted them. */
async function adds(corp: ConnectedCorp, way: ContactWay, userid: string, count: number, daysAgo = 0) {
  t().clock.set(new Date(startedAt.getTime() - daysAgo * DAY_MS));
  const before = (await stats(corp, way.configId, '?from=2000-01-01')).total;
  const created = await api('POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers`, { count });
  expect(created.status).toBe(201);
  for (const customer of created.body.customers as { externalUserId: string }[]) {
    const added = await api('POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers/${customer.externalUserId}/add-member`, { userid, state: way.state });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
  }
  const until = Date.now() + 10_000;
  while ((await stats(corp, way.configId, '?from=2000-01-01')).total < before + count && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 25));
  t().clock.set(startedAt);
}

const summary = async (corp: ConnectedCorp, query = '', caller: Caller = root) => {
  const response = await api('GET', `/api/v1/wecom/${corp.accountId}/contact-ways/stats${query}`, undefined, caller);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body as unknown as CodeAddsPage;
};

const names = (page: CodeAddsPage) => page.items.map((i) => i.name);

describe('adds per contact-me code', () => {
  it('counts each code’s adds in the window as its own stats do, most adds first, paged with the total on every page', async () => {
    const corp = await world();
    const spring = await code(corp, '春季门店', ['user00001'], 'spring');
    const expo = await code(corp, '展会', ['user00002'], 'expo');
    const flyer = await code(corp, '传单', ['user00001', 'user00002'], 'flyer');
    await code(corp, '闲置', ['user00003'], 'idle');
    await adds(corp, spring, 'user00001', 2);
    await adds(corp, spring, 'user00001', 1, 10);
    await adds(corp, expo, 'user00002', 2, 3);
    await adds(corp, flyer, 'user00002', 1, 40);

    const first = await summary(corp);
    const window = await stats(corp, spring.configId);
    expect(first).toMatchObject({ from: window.from, to: window.to, total: 4, adds: 5 });
    expect(first.items.map((i) => [i.name, i.adds, i.addsTotal])).toEqual([
      ['春季门店', 3, 3],
      ['展会', 2, 2],
      ['闲置', 0, 0],
      ['传单', 0, 1],
    ]);
    for (const item of first.items) expect(item.adds).toBe((await stats(corp, item.configId)).total);
    expect(first.items[0]).toMatchObject({ configId: spring.configId, state: 'spring', type: 'single', scene: 'qr', userids: ['user00001'], isTemp: false });
    expect(first.items[0]!.addsPerDay).toBeUndefined();

    // A window reaching back 40 days counts the flyer's add; each code as its own stats count it.
    const wideQuery = `?from=${shift(window.from, -20)}&to=${window.to}`;
    const wide = await summary(corp, wideQuery);
    expect(wide.adds).toBe(6);
    expect(wide.items.find((i) => i.configId === flyer.configId)?.adds).toBe(1);
    for (const item of wide.items) expect(item.adds).toBe((await stats(corp, item.configId, wideQuery)).total);

    // Two at a time: the same order, a cursor to the next page, the totals on each page.
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 5; pages++) {
      const page: CodeAddsPage = await summary(corp, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page).toMatchObject({ total: 4, adds: 5 });
      seen.push(...names(page));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(names(first));

    expect(names(await summary(corp, '?sort=adds'))).toEqual(['闲置', '传单', '展会', '春季门店']);
    const byName = names(await summary(corp, '?sort=name'));
    expect([...byName].sort()).toEqual([...names(first)].sort());
    expect(names(await summary(corp, '?sort=-name'))).toEqual(byName.toReversed());
    const second = await summary(corp, '?sort=name&limit=3');
    expect(names(second)).toEqual(byName.slice(0, 3));
    expect(names(await summary(corp, `?sort=name&limit=3&cursor=${second.nextCursor}`))).toEqual(byName.slice(3));
    // A cursor made for another sort starts that sort over.
    expect(names(await summary(corp, `?limit=3&cursor=${second.nextCursor}`))).toEqual(names(first).slice(0, 3));
    expect(names(await summary(corp, '?sort=-createdAt'))).toEqual(['闲置', '传单', '展会', '春季门店']);
    expect(names(await summary(corp, '?q=spr'))).toEqual(['春季门店']);

    // Per day: one number for each day of the window, matching the code's own stats day by day.
    const daily = await summary(corp, '?perDay=true&limit=2');
    expect(daily.items[0]!.addsPerDay).toEqual((await stats(corp, spring.configId)).days.map((d) => d.adds));
    expect(daily.items[1]!.addsPerDay).toEqual((await stats(corp, expo.configId)).days.map((d) => d.adds));
    expect(daily.items[0]!.addsPerDay).toHaveLength(30);
  });

  it('names each code’s members as the directory does, and gives a member who left it no name', async () => {
    const corp = await world();
    await code(corp, '双人码', ['user00001', 'user00002'], 'pair');
    await code(corp, '离职', ['user00003'], 'gone');
    const nameOf = async (userid: string) => (await api('GET', `/api/v1/wecom/${corp.accountId}/members/${userid}`)).body.name as string;
    const [one, two] = [await nameOf('user00001'), await nameOf('user00002')];
    expect(one).toBeTruthy();
    const removed = await api('DELETE', `/api/v1/wecom/${corp.accountId}/members/user00003`);
    expect(removed.status, JSON.stringify(removed.body)).toBe(204);

    const byName = new Map((await summary(corp, '?sort=name')).items.map((i) => [i.name, i.members]));
    expect(byName.get('双人码')).toEqual([
      { userid: 'user00001', name: one },
      { userid: 'user00002', name: two },
    ]);
    expect(byName.get('离职')).toEqual([{ userid: 'user00003', name: null }]);
    // The codes' own list names them the same way.
    const listed = (await api('GET', `/api/v1/wecom/${corp.accountId}/contact-ways`)).body as unknown as { items: ContactWay[] };
    expect(new Map(listed.items.map((i) => [i.name, i.members]))).toEqual(byName);
  });

  it('shows a department admin and a member only the codes within their reach, and filters by department', async () => {
    const corp = await world(2);
    await code(corp, '二部', ['user00001'], 'dept2');
    const third = await code(corp, '三部', ['user00002'], 'dept3');
    await code(corp, '联合', ['user00001', 'user00002'], 'joint');
    await adds(corp, third, 'user00002', 1);

    const admin = await userSession(t().app, root, { username: 'admin3', role: 'dept_admin', departmentScopes: [{ accountId: corp.accountId, departmentId: 3 }] });
    const reached = await summary(corp, '', admin);
    expect(reached).toMatchObject({ total: 2, adds: 1 });
    expect(names(reached)).toEqual(['三部', '联合']);
    const listed = (await api('GET', `/api/v1/wecom/${corp.accountId}/contact-ways`, undefined, admin)).body.items as ContactWay[];
    expect(listed.map((w) => w.name).sort()).toEqual([...names(reached)].sort());

    const created = await api('POST', '/api/v1/users', {
      username: 'sales1',
      password: 'sales1-password',
      displayName: '销售一',
      role: 'member',
      departmentScopes: [],
      wecomMembers: [{ accountId: corp.accountId, userid: 'user00001' }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const sales = await loginAs(t().app, 'sales1', 'sales1-password');
    expect(names(await summary(corp, '?sort=name', sales)).sort()).toEqual(['二部', '联合'].sort());

    expect(names(await summary(corp, '?departmentId=3')).sort()).toEqual(['三部', '联合'].sort());
    expect(names(await summary(corp, '?departmentId=2')).sort()).toEqual(['二部', '联合'].sort());
    expect((await summary(corp, '?departmentId=1')).total).toBe(3);
    // The filter narrows the reach, never widens it: in department 2 the admin of 3 sees only the code shared with 3.
    expect(names(await summary(corp, '?departmentId=2', admin))).toEqual(['联合']);
  });

  it('counts over the same window as a code’s own stats and refuses malformed days and reversed or over-long windows with the same errors', async () => {
    const corp = await world();
    const way = await code(corp, '春季门店', ['user00001'], 'spring');
    await adds(corp, way, 'user00001', 1, 2);
    for (const query of [`?to=${shift(startedAt.toISOString().slice(0, 10), -1)}`, '?from=2026-01-01', `?from=${shift(startedAt.toISOString().slice(0, 10), 3)}`]) {
      const own = await stats(corp, way.configId, query);
      const all = await summary(corp, query);
      expect({ from: all.from, to: all.to, adds: all.items[0]!.adds }, query).toEqual({ from: own.from, to: own.to, adds: own.total });
    }
    for (const query of ['?from=yesterday', '?to=2026-3-1', '?from=2026-03-01&extra=1']) {
      const own = await api('GET', `/api/v1/wecom/${corp.accountId}/contact-ways/${way.configId}/stats${query}`);
      const all = await api('GET', `/api/v1/wecom/${corp.accountId}/contact-ways/stats${query}`);
      expect(own.status, query).toBe(400);
      expect({ status: all.status, code: all.body.code }, query).toEqual({ status: own.status, code: own.body.code });
    }
    // A reversed or over-long window is refused by both, not quietly trimmed.
    for (const [query, code] of [
      ['?from=2026-03-10&to=2026-03-01', 'CONTACT_WAY_STATS_RANGE_REVERSED'],
      ['?from=2025-02-28&to=2026-03-01', 'CONTACT_WAY_STATS_RANGE_TOO_LONG'],
    ] as const) {
      const own = await api('GET', `/api/v1/wecom/${corp.accountId}/contact-ways/${way.configId}/stats${query}`);
      const all = await api('GET', `/api/v1/wecom/${corp.accountId}/contact-ways/stats${query}`);
      expect({ status: own.status, code: own.body.code }, query).toEqual({ status: 400, code });
      expect({ status: all.status, code: all.body.code }, query).toEqual({ status: 400, code });
    }
    expect((await api('GET', `/api/v1/wecom/${corp.accountId}/contact-ways/stats?from=2025-03-01&to=2026-03-01`)).status).toBe(200);
    const badSort = await api('GET', `/api/v1/wecom/${corp.accountId}/contact-ways/stats?sort=adds_desc`);
    expect(badSort.status).toBe(400);
  });
});

function shift(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

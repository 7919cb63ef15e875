import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setupRoot, userSession, type Caller } from '../../../../test/support/callers';
import { useTestApp } from '../../../../test/support/test-app';
import { act, addSandboxFollowers, armFault, connectSandboxAccount, eventually, finishedJob, type ConnectedSandboxAccount } from './followers-test-kit';
import { createFollowersRepository } from './followers.repository';
import type { Follower, FollowerPage } from './followers.schema';

const t = useTestApp({ startQueue: true });
let base = '';
let root: Caller;

beforeAll(async () => {
  await t().app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t().app.server.address() as AddressInfo).port}`;
});

beforeEach(async () => {
  root = await setupRoot(t().app);
});

async function list(accountId: string, query = '', caller = root) {
  const response = await t().app.inject({ method: 'GET', url: `/api/v1/official-accounts/${accountId}/followers?${query}`, headers: caller.headers });
  return { status: response.statusCode, body: response.json() as FollowerPage & { code?: string } };
}

/** Every follower the list returns for `query`, following the cursor. */
async function listAll(accountId: string, query = ''): Promise<Follower[]> {
  const all: Follower[] = [];
  let cursor: string | null = null;
  do {
    const page: { status: number; body: FollowerPage } = await list(accountId, `${query}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(page.status).toBe(200);
    all.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return all;
}

async function sync(account: ConnectedSandboxAccount) {
  const started = await t().app.inject({ method: 'POST', url: `/api/v1/official-accounts/${account.accountId}/followers/sync`, headers: root.headers });
  expect(started.statusCode, started.body).toBe(202);
  return finishedJob(t().app, root, (started.json() as { id: string }).id, 240_000);
}

async function follower(accountId: string, openId: string) {
  const response = await t().app.inject({ method: 'GET', url: `/api/v1/official-accounts/${accountId}/followers/${openId}`, headers: root.headers });
  return { status: response.statusCode, body: response.json() as Follower & { tags: { id: number; name: string }[]; code?: string } };
}

describe('follower sync', () => {
  it('pulls every follower with what user/info still returns, and marks those who left', async () => {
    const account = await connectSandboxAccount(t().app, root, base, 2_500);
    const job = await sync(account);
    expect(job).toMatchObject({ state: 'succeeded', done: 2_500, total: 2_500 });
    const first = await list(account.accountId, 'limit=3&withTotal=true');
    expect(first.body.total).toBe(2_500);
    expect(first.body.items).toHaveLength(3);
    const sample = first.body.items[0] as Follower;
    expect(sample.subscribed).toBe(true);
    expect(sample.subscribeScene).toMatch(/^ADD_SCENE_/);
    expect(sample.language).toBeTruthy();
    expect(sample).not.toHaveProperty('nickname');
    const times = first.body.items.map((f) => f.subscribeTime);
    expect([...times].sort((a, b) => b.localeCompare(a))).toEqual(times);

    // Someone leaves while Qiao is not listening (no callback): the next full sync notices.
    const leaver = sample.openId;
    await t().app.inject({ method: 'PATCH', url: `/sandbox/control/official-accounts/${account.appId}`, headers: root.headers, payload: { callbackUrl: null } });
    await act(t().app, root, account.appId, leaver, 'unfollow');
    t().clock.advance(60_000);
    const again = await sync(account);
    expect(again).toMatchObject({ state: 'succeeded', done: 2_499, result: { followers: 2_499, left: 1 } });
    expect((await follower(account.accountId, leaver)).body).toMatchObject({ subscribed: false });
    expect((await list(account.accountId, 'withTotal=true&limit=1')).body.total).toBe(2_499);
  }, 300_000);

  it('resumes from its checkpoint after WeChat refuses a call midway, redoing no committed chunk', async () => {
    const account = await connectSandboxAccount(t().app, root, base, 2_500);
    // The first chunk (10 batchget calls) passes, then WeChat says the quota is used up once.
    await armFault(t().app, root, { path: 'cgi-bin/user/info/batchget', delayMs: 0, count: 10 });
    await armFault(t().app, root, { path: 'cgi-bin/user/info/batchget', errcode: 45009, count: 1 });
    const job = await sync(account);
    expect(job).toMatchObject({ state: 'succeeded', done: 2_500, total: 2_500 });
    const calls = await t().db.handle.db.execute<{ ok: number; refused: number }>(sql`
      select count(*) filter (where outcome = 'ok')::int as ok, count(*) filter (where errcode = 45009)::int as refused
      from wechat_api_calls where account_id = ${account.accountId} and path = 'cgi-bin/user/info/batchget'`);
    const counts = calls.rows[0] as { ok: number; refused: number };
    expect(counts.refused).toBe(1);
    // 25 batches are needed. Calls of the refused chunk that were in flight are redone (fewer than a
    // chunk of 10); a restart from zero would also have repeated the committed first chunk (10 more).
    expect(counts.ok).toBeGreaterThanOrEqual(25);
    expect(counts.ok).toBeLessThan(25 + 10);
    expect((await list(account.accountId, 'withTotal=true&limit=1')).body.total).toBe(2_500);
  }, 300_000);

  it('refuses a second sync of the same account while one runs', async () => {
    const account = await connectSandboxAccount(t().app, root, base, 300);
    await armFault(t().app, root, { path: 'cgi-bin/user/get', delayMs: 1_000, count: 1 });
    const first = await t().app.inject({ method: 'POST', url: `/api/v1/official-accounts/${account.accountId}/followers/sync`, headers: root.headers });
    const second = await t().app.inject({ method: 'POST', url: `/api/v1/official-accounts/${account.accountId}/followers/sync`, headers: root.headers });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ code: 'FOLLOWER_SYNC_RUNNING', details: { jobId: (first.json() as { id: string }).id } });
    await finishedJob(t().app, root, (first.json() as { id: string }).id);
  });
});

describe('follow and unfollow callbacks', () => {
  it('adds a new follower at once and describes them from user/info; an unfollow marks them as gone', async () => {
    const account = await connectSandboxAccount(t().app, root, base, 5);
    await sync(account);
    const openId = 'oQiaoNewFollower0000000001';
    await act(t().app, root, account.appId, openId, 'follow');
    const added = await eventually(
      () => follower(account.accountId, openId),
      (r) => r.status === 200 && r.body.language !== null,
    );
    expect(added.body).toMatchObject({ openId, subscribed: true });
    expect(added.body.language).toBeTruthy();
    expect((await list(account.accountId, 'withTotal=true&limit=1')).body.total).toBe(6);

    await act(t().app, root, account.appId, openId, 'unfollow');
    expect((await follower(account.accountId, openId)).body).toMatchObject({ subscribed: false, unsubscribeTime: expect.any(String) });
    expect((await list(account.accountId, 'withTotal=true&limit=1')).body.total).toBe(5);
    const gone = await list(account.accountId, 'status=unsubscribed');
    expect(gone.body.items.map((f) => f.openId)).toEqual([openId]);
  });

  it('records a follow through a parametric QR code with its scene', async () => {
    const account = await connectSandboxAccount(t().app, root, base, 0);
    const openId = 'oQiaoScanner00000000000001';
    await act(t().app, root, account.appId, openId, 'scans', { scene: 'spring-fair' });
    const row = await eventually(
      () => follower(account.accountId, openId),
      (r) => r.status === 200 && r.body.qrSceneStr === 'spring-fair' && r.body.language !== null,
    );
    expect(row.body).toMatchObject({ subscribed: true, subscribeScene: 'ADD_SCENE_QR_CODE', qrSceneStr: 'spring-fair' });
  });
});

describe('follower list', () => {
  it('filters by scene, language, follow time and status exactly as the data says, and pages without gaps', async () => {
    const account = await connectSandboxAccount(t().app, root, base, 1_200);
    await sync(account);
    const everyone = await listAll(account.accountId);
    expect(everyone).toHaveLength(1_200);
    expect(new Set(everyone.map((f) => f.openId)).size).toBe(1_200);

    const scene = (everyone[0] as Follower).subscribeScene as string;
    const byScene = await listAll(account.accountId, `scene=${scene}`);
    expect(byScene.map((f) => f.openId).sort()).toEqual(everyone.filter((f) => f.subscribeScene === scene).map((f) => f.openId).sort());

    const language = (everyone[0] as Follower).language as string;
    const byLanguage = await listAll(account.accountId, `language=${language}`);
    expect(byLanguage.length).toBeGreaterThan(0);
    expect(byLanguage.map((f) => f.openId).sort()).toEqual(everyone.filter((f) => f.language === language).map((f) => f.openId).sort());

    const times = everyone.map((f) => f.subscribeTime).sort();
    const from = times[300] as string;
    const to = times[900] as string;
    const between = await listAll(account.accountId, `subscribedFrom=${encodeURIComponent(from)}&subscribedTo=${encodeURIComponent(to)}`);
    expect(between.map((f) => f.openId).sort()).toEqual(everyone.filter((f) => f.subscribeTime >= from && f.subscribeTime <= to).map((f) => f.openId).sort());

    const combined = await listAll(account.accountId, `scene=${scene}&subscribedFrom=${encodeURIComponent(from)}`);
    expect(combined.every((f) => f.subscribeScene === scene && f.subscribeTime >= from)).toBe(true);

    const bad = await list(account.accountId, 'scene=ADD_SCENE_TELEPATHY');
    expect(bad.status).toBe(400);
    const badCursor = await list(account.accountId, 'cursor=not-a-cursor');
    expect(badCursor.body).toMatchObject({ code: 'FOLLOWER_CURSOR_INVALID' });
  }, 300_000);

  it('searches by OpenID prefix and by remark words, and mirrors a remark to WeChat', async () => {
    const account = await connectSandboxAccount(t().app, root, base, 50);
    await sync(account);
    const [target, other] = (await listAll(account.accountId)) as [Follower, Follower];
    const patched = await t().app.inject({
      method: 'PATCH',
      url: `/api/v1/official-accounts/${account.accountId}/followers/${target.openId}`,
      headers: root.headers,
      payload: { remark: '华东区重点客户' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ openId: target.openId, remark: '华东区重点客户' });

    expect((await list(account.accountId, `q=${encodeURIComponent('重点')}`)).body.items.map((f) => f.openId)).toEqual([target.openId]);
    expect((await list(account.accountId, `q=${other.openId.slice(0, 20)}`)).body.items.map((f) => f.openId)).toContain(other.openId);
    expect((await list(account.accountId, `q=${encodeURIComponent('%')}`)).body.items).toEqual([]);

    // WeChat holds the same remark: a fresh sync brings it back unchanged.
    t().clock.advance(60_000);
    await sync(account);
    expect((await follower(account.accountId, target.openId)).body.remark).toBe('华东区重点客户');

    const tooLong = await t().app.inject({
      method: 'PATCH',
      url: `/api/v1/official-accounts/${account.accountId}/followers/${target.openId}`,
      headers: root.headers,
      payload: { remark: '一'.repeat(30) },
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json()).toMatchObject({ code: 'FOLLOWER_REMARK_TOO_LONG', details: { max: 29, actual: 30 } });
    expect((await follower(account.accountId, target.openId)).body.remark).toBe('华东区重点客户');
  });

  it("shows a follower's message history from the message log", async () => {
    const account = await connectSandboxAccount(t().app, root, base, 3);
    await sync(account);
    const [target] = (await listAll(account.accountId)) as [Follower];
    await act(t().app, root, account.appId, target.openId, 'messages', { type: 'text', content: '产品价格是多少' });
    const history = await t().app.inject({
      method: 'GET',
      url: `/api/v1/official-accounts/${account.accountId}/followers/${target.openId}/messages`,
      headers: root.headers,
    });
    expect(history.statusCode).toBe(200);
    expect((history.json() as { items: { msgType: string; content: string }[] }).items[0]).toMatchObject({ msgType: 'text', content: '产品价格是多少' });
    const detail = await follower(account.accountId, target.openId);
    expect(detail.body.lastInteractionAt).not.toBeNull();
    expect((await follower(account.accountId, 'oNobodyAtAll')).body).toMatchObject({ code: 'FOLLOWER_NOT_FOUND' });
  });

  it('moves each follower’s last interaction to its latest message when many arrive at once', async () => {
    const account = await connectSandboxAccount(t().app, root, base, 3);
    await sync(account);
    const [a, b, c] = (await listAll(account.accountId)).map((f) => f.openId) as [string, string, string];
    const repository = createFollowersRepository(t().db.handle.db);
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 27, 8, minute));
    // One moment's touches, in an order where the last call for a is not its latest: the latest still wins.
    await Promise.all([
      repository.touchInteraction(account.accountId, a, at(30)),
      repository.touchInteraction(account.accountId, b, at(10)),
      repository.touchInteraction(account.accountId, a, at(20)),
      repository.touchInteraction(account.accountId, 'oNobodyAtAll', at(40)),
    ]);
    expect((await follower(account.accountId, a)).body.lastInteractionAt).toBe(at(30).toISOString());
    expect((await follower(account.accountId, b)).body.lastInteractionAt).toBe(at(10).toISOString());
    const untouched = (await follower(account.accountId, c)).body.lastInteractionAt;
    await repository.touchInteraction(account.accountId, c, at(50));
    expect((await follower(account.accountId, c)).body.lastInteractionAt).toBe(at(50).toISOString());
    expect(untouched).not.toBe(at(50).toISOString());

    // A touch that cannot be written fails alone: the others of its moment are written one by one.
    const settled = await Promise.allSettled([
      repository.touchInteraction(account.accountId, b, at(55)),
      repository.touchInteraction('not-an-account-id', a, at(55)),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected']);
    expect((await follower(account.accountId, b)).body.lastInteractionAt).toBe(at(55).toISOString());
    expect((await follower(account.accountId, a)).body.lastInteractionAt).toBe(at(30).toISOString());
  });

  it('refuses members, who lack official_account.read, and keeps dept admins from writing', async () => {
    const account = await connectSandboxAccount(t().app, root, base, 0);
    await addSandboxFollowers(t().app, root, account.appId, 1);
    const member = await userSession(t().app, root, { username: 'member1', role: 'member' });
    expect((await list(account.accountId, '', member)).status).toBe(403);
    const sync = await t().app.inject({ method: 'POST', url: `/api/v1/official-accounts/${account.accountId}/followers/sync`, headers: member.headers });
    expect(sync.statusCode).toBe(403);
  });
});

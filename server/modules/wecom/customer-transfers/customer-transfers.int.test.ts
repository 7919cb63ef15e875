import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loginAs, rootCredentials, setupRoot, userSession, type Caller } from '../../../../test/support/callers';
import { useTestApp } from '../../../../test/support/test-app';
import { connectSandboxCorp, listenForCallbacks, type ConnectedCorp } from '../../../../test/support/wecom-corp-kit';
import { MessageCrypt, sealWeComPush } from '../../../wechat/core';
import type { TransferDetail, TransferPreview } from './customer-transfers.schema';

const DAY = 86_400_000;
const t = useTestApp({ startQueue: true });
let base = '';
let root: Caller;
let corp: ConnectedCorp;

async function call(method: 'GET' | 'POST', url: string, payload?: object, caller: Caller = root) {
  const response = await t().app.inject({ method, url, headers: caller.headers, ...(payload ? { payload } : {}) });
  return { status: response.statusCode, body: (response.body ? response.json() : null) as Record<string, unknown> & { code?: string } };
}

async function finishedJob(jobId: string) {
  const until = Date.now() + 60_000;
  for (;;) {
    const job = await call('GET', `/api/v1/jobs/${jobId}`);
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

/** The corp's directory pulled into Qiao (members, departments), as after a first sync. */
async function pullDirectory() {
  const started = await call('POST', `/api/v1/wecom/${corp.accountId}/directory-sync/diff`);
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  const { run, job } = started.body as unknown as { run: { id: string }; job: { id: string } };
  await finishedJob(job.id);
  const applied = await call('POST', `/api/v1/wecom/${corp.accountId}/directory-sync/runs/${run.id}/apply`, { pulls: true });
  expect(applied.status, JSON.stringify(applied.body)).toBe(202);
  await finishedJob((applied.body.job as { id: string }).id);
}

async function customersOf(userid: string, count: number): Promise<string[]> {
  const created = await call('POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers`, { count, userid });
  expect(created.status).toBe(201);
  return (created.body.customers as { externalUserId: string }[]).map((c) => c.externalUserId);
}

const transfers = () => `/api/v1/wecom/${corp.accountId}/customer-transfers`;

type TimelineEntry = { kind: string; userid: string | null; detail: Record<string, unknown> };

/** Reads the customers into Qiao, as the add callback or a sync would. */
async function known(ids: string[]) {
  for (const id of ids) await t().app.wecomCustomers.service.refreshFromWeCom(corp.accountId, id);
}

/** The customer's transfer entries as its detail route serves them, newest first. */
async function transferTimeline(externalUserId: string): Promise<TimelineEntry[]> {
  const response = await call('GET', `/api/v1/wecom/${corp.accountId}/customers/${externalUserId}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return (response.body.timeline as TimelineEntry[]).filter((e) => e.kind === 'transferred' || e.kind === 'transfer_failed');
}

async function transfer(handoverUserid: string, takeoverUserid: string, externalUserIds: string[], caller: Caller = root) {
  return call('POST', transfers(), { kind: 'on_duty', handoverUserid, takeoverUserid, externalUserIds, message: '您好，我是新的客户经理' }, caller);
}

async function settleAfterADay() {
  t().clock.advance(DAY + 60_000);
  // The session idled out with the day that passed.
  root = await loginAs(t().app, rootCredentials.username, rootCredentials.password);
  const refreshed = await call('POST', `${transfers()}/refresh`);
  expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
  return refreshed.body;
}

beforeAll(async () => {
  base = await listenForCallbacks(t().app);
});

beforeEach(async () => {
  root = await setupRoot(t().app);
  // Departments 2, 3, 4 under the root; user00001 and user00004 in 2, user00002 and user00005 in 3, user00003 in 4.
  corp = await connectSandboxCorp(t().app, base, root, { departments: 3, members: 5, customers: 0 });
  await pullDirectory();
});

describe('customer transfers (在职继承, 离职继承)', () => {
  it('previews, transfers and sees the takeover 24 hours later', async () => {
    const ids = await customersOf('user00001', 2);
    await known(ids);
    const preview = await call('POST', `${transfers()}/preview`, { kind: 'on_duty', handoverUserid: 'user00001', takeoverUserid: 'user00002', externalUserIds: ids });
    expect(preview.status).toBe(200);
    expect(preview.body as unknown as TransferPreview).toMatchObject({ allowed: 2, blocked: 0, calls: 1, customerMayRefuse: true });

    const created = await transfer('user00001', 'user00002', ids);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const detail = created.body as unknown as TransferDetail;
    expect(detail.counts).toMatchObject({ pending: 2 });
    expect(detail.items.map((i) => i.status)).toEqual(['pending', 'pending']);
    const waiting = { kind: 'transferred', userid: 'user00002', detail: { transferId: detail.id, transferKind: 'on_duty', from: 'user00001', to: 'user00002', result: 'waiting', takeoverAt: detail.items[0]!.takeoverAt } };
    expect(await transferTimeline(ids[0]!)).toMatchObject([waiting]);

    expect(await settleAfterADay()).toMatchObject({ changed: 2 });
    const after = (await call('GET', `${transfers()}/${detail.id}`)).body as unknown as TransferDetail;
    expect(after.items.map((i) => i.status)).toEqual(['accepted', 'accepted']);
    for (const id of ids) {
      expect(await transferTimeline(id)).toMatchObject([{ kind: 'transferred', userid: 'user00002', detail: { transferId: detail.id, from: 'user00001', to: 'user00002', result: 'accepted' } }, { detail: { result: 'waiting' } }]);
    }
    // A second poll finds nothing waiting and tells nothing more.
    expect(await settleAfterADay()).toMatchObject({ changed: 0 });
    expect(await transferTimeline(ids[1]!)).toHaveLength(2);
    const list = await call('GET', `${transfers()}?status=accepted`);
    expect((list.body.items as { id: string }[]).map((i) => i.id)).toEqual([detail.id]);
  });

  it('sends more than 100 customers in calls of 100 (WeCom refuses a larger call)', async () => {
    const ids = await customersOf('user00001', 130);
    const created = await call('POST', transfers(), { kind: 'on_duty', handoverUserid: 'user00001', takeoverUserid: 'user00002', externalUserIds: ids });
    expect(created.status, JSON.stringify(created.body).slice(0, 300)).toBe(201);
    expect((created.body as unknown as TransferDetail).counts).toMatchObject({ pending: 130, failed: 0 });
  });

  it('records a refusal by the customer from the transfer_fail event', async () => {
    const [id] = await customersOf('user00001', 1);
    await known([id!]);
    const created = (await transfer('user00001', 'user00002', [id as string])).body as unknown as TransferDetail;
    const refused = await call('POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers/${id}/refuse-transfer`);
    expect(refused.status).toBe(200);
    const after = await eventually(
      async () => (await call('GET', `${transfers()}/${created.id}`)).body as unknown as TransferDetail,
      (d) => d.items[0]?.status !== 'pending',
    );
    expect(after.items[0]).toMatchObject({ externalUserId: id, status: 'refused' });
    const failed = { kind: 'transfer_failed', userid: 'user00002', detail: { transferId: created.id, from: 'user00001', to: 'user00002', result: 'refused', failReason: 'customer_refused' } };
    const told = await eventually(
      () => transferTimeline(id!),
      (entries) => entries.length > 1,
    );
    expect(told).toMatchObject([failed, { kind: 'transferred', detail: { result: 'waiting' } }]);

    // WeChat re-delivers the event: the timeline tells the refusal once.
    const feed = await call('GET', '/sandbox/control/deliveries?product=wecom&limit=50');
    const push = (feed.body.items as { message: string }[]).find((d) => d.message.includes(id!) && d.message.includes('transfer_fail'))!;
    const receiver = corp.receivers.find((r) => r.receiver === 'customer-contact')!;
    for (let i = 0; i < 3; i++) {
      const sealed = sealWeComPush({ message: push.message, token: receiver.token, crypt: new MessageCrypt({ currentKey: receiver.encodingAesKey, receiverId: corp.corpId }), toUserName: corp.corpId, timestamp: String(Math.floor(t().clock.now().getTime() / 1000)) });
      const replay = await t().app.inject({ method: 'POST', url: `/wechat/wecom/${corp.accountId}/customer-contact/callback?${new URLSearchParams(sealed.query)}`, payload: sealed.body, headers: { 'content-type': 'text/xml' } });
      expect(replay.statusCode, replay.body).toBe(200);
    }
    expect(await transferTimeline(id!)).toMatchObject([failed, { kind: 'transferred' }]);
  });

  it('refuses a third transfer within 90 days before calling WeCom, naming the limit', async () => {
    const [id] = await customersOf('user00001', 1);
    expect((await transfer('user00001', 'user00002', [id as string])).status).toBe(201);
    await settleAfterADay();
    expect((await transfer('user00002', 'user00004', [id as string])).status).toBe(201);
    await settleAfterADay();

    const preview = (await call('POST', `${transfers()}/preview`, { kind: 'on_duty', handoverUserid: 'user00004', takeoverUserid: 'user00001', externalUserIds: [id] })).body as unknown as TransferPreview;
    expect(preview.items[0]).toMatchObject({ allowed: false, reason: 'limit_90_days', recentTransfers: 2 });
    expect(preview.items[0]?.nextAllowedAt).not.toBeNull();
    const third = await transfer('user00004', 'user00001', [id as string]);
    expect(third.status).toBe(409);
    expect(third.body).toMatchObject({ code: 'WECOM_TRANSFER_NOTHING_ALLOWED' });
    expect(String(third.body.message)).toContain('limit_90_days');
  });

  it('hands a departed member’s customers over in bulk as a job', async () => {
    const ids = await customersOf('user00005', 3);
    expect((await call('POST', `/sandbox/control/wecom-corps/${corp.corpId}/members/user00005/resign`)).status).toBe(200);
    const unassigned = await call('GET', `${transfers()}/unassigned`);
    expect(unassigned.body).toMatchObject({ items: [{ handoverUserid: 'user00005', customers: 3 }] });

    const started = await call('POST', `${transfers()}/resigned-handover`, { handoverUserid: 'user00005', takeoverUserid: 'user00002' });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const job = await finishedJob(started.body.jobId as string);
    expect(job).toMatchObject({ state: 'succeeded', done: 3, total: 3 });
    const transferId = (started.body.transfer as { id: string }).id;
    const detail = (await call('GET', `${transfers()}/${transferId}`)).body as unknown as TransferDetail;
    expect(detail.items.map((i) => i.externalUserId).sort()).toEqual([...ids].sort());
    expect(detail.counts).toMatchObject({ pending: 3 });
    expect((await call('POST', `${transfers()}/resigned-handover`, { handoverUserid: 'user00005', takeoverUserid: 'user00002' })).body).toMatchObject({ code: 'WECOM_TRANSFER_NO_UNASSIGNED' });

    await settleAfterADay();
    expect(((await call('GET', `${transfers()}/${transferId}`)).body as unknown as TransferDetail).counts).toMatchObject({ accepted: 3, pending: 0 });
  });

  it('lets a department admin transfer only inside its subtree and a member not at all', async () => {
    const [id] = await customersOf('user00002', 1);
    const deptAdmin = await userSession(t().app, root, { username: 'dept3', role: 'dept_admin', departmentScopes: [{ accountId: corp.accountId, departmentId: 3 }] });
    const member = await userSession(t().app, root, { username: 'member1', role: 'member' });

    const outside = await transfer('user00002', 'user00001', [id as string], deptAdmin);
    expect(outside).toMatchObject({ status: 403, body: { code: 'WECOM_TRANSFER_MEMBER_OUT_OF_SCOPE' } });
    expect((await transfer('user00002', 'user00005', [id as string], deptAdmin)).status).toBe(201);
    expect(await transfer('user00002', 'user00005', [id as string], member)).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect((await call('GET', transfers(), undefined, member)).status).toBe(403);
    expect((await call('GET', transfers(), undefined, deptAdmin)).body.items).toHaveLength(1);
  });
});

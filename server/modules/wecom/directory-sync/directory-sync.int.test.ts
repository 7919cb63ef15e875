import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setupRoot, userSession, type Caller } from '../../../../test/support/callers';
import { useTestApp } from '../../../../test/support/test-app';
import { buildWeChatXml, MessageCrypt, sealWeComPush } from '../../../wechat/core';
import type { SyncItem, SyncItemPage, SyncRun } from './directory-sync.schema';

const t = useTestApp({ startQueue: true });
let base = '';
let root: Caller;

interface Receiver {
  receiver: string;
  secret: string;
  token: string;
  encodingAesKey: string;
}
interface Corp {
  corpId: string;
  receivers: Receiver[];
  accountId: string;
  contactsToken: string;
}

beforeAll(async () => {
  await t().app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t().app.server.address() as AddressInfo).port}`;
});

beforeEach(async () => {
  root = await setupRoot(t().app);
});

async function call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, caller: Caller = root) {
  const response = await t().app.inject({ method, url, headers: caller.headers, ...(payload ? { payload } : {}) });
  return { status: response.statusCode, body: (response.body ? response.json() : null) as Record<string, unknown> & { code?: string } };
}

/** A sandbox corp with a generated directory, connected to Qiao with its contacts and app secrets. */
async function connectCorp(spec: { departments: number; members: number }, use = ['contacts', '1000002']): Promise<Corp> {
  const created = await call('POST', '/sandbox/control/wecom-corps', spec);
  expect(created.status).toBe(201);
  const corp = created.body as unknown as { corpId: string; receivers: Receiver[] };
  const receivers = corp.receivers.filter((r) => use.includes(r.receiver));
  const connected = await call('POST', '/api/v1/accounts', {
    type: 'wecom',
    name: '桥沙箱科技有限公司',
    corpId: corp.corpId,
    apiBaseUrl: `${base}/sandbox/wecom`,
    receivers: receivers.map((r) => ({ receiver: r.receiver, secret: r.secret, token: r.token, encodingAesKey: r.encodingAesKey })),
  });
  expect(connected.status, JSON.stringify(connected.body)).toBe(201);
  const accountId = connected.body.id as string;
  const contacts = corp.receivers.find((r) => r.receiver === 'contacts') as Receiver;
  const token = await fetch(`${base}/sandbox/wecom/cgi-bin/gettoken?corpid=${corp.corpId}&corpsecret=${contacts.secret}`).then((r) => r.json() as Promise<{ access_token: string }>);
  return { corpId: corp.corpId, receivers: corp.receivers, accountId, contactsToken: token.access_token };
}

/** "Changed in WeCom": the sandbox's own API called with the corp's contacts secret. */
async function weCom(corp: Corp, method: 'GET' | 'POST', path: string, body?: object, query: Record<string, string> = {}) {
  const search = new URLSearchParams({ access_token: corp.contactsToken, ...query });
  const response = await fetch(`${base}/sandbox/wecom/cgi-bin/${path}?${search}`, {
    method,
    ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
  });
  return (await response.json()) as Record<string, unknown> & { errcode: number };
}

async function finishedJob(jobId: string, caller: Caller = root) {
  const until = Date.now() + 60_000;
  for (;;) {
    const job = await call('GET', `/api/v1/jobs/${jobId}`, undefined, caller);
    const state = job.body.state as string;
    if (state !== 'queued' && state !== 'running') return job.body;
    if (Date.now() > until) throw new Error(`job ${jobId} still ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function compare(corp: Corp, caller: Caller = root): Promise<SyncRun> {
  const started = await call('POST', `/api/v1/wecom/${corp.accountId}/directory-sync/diff`, undefined, caller);
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  const { run, job } = started.body as unknown as { run: SyncRun; job: { id: string } };
  expect(await finishedJob(job.id, caller)).toMatchObject({ state: 'succeeded' });
  return (await call('GET', `/api/v1/wecom/${corp.accountId}/directory-sync/runs/${run.id}`, undefined, caller)).body as unknown as SyncRun;
}

async function items(corp: Corp, runId: string, query = '', caller: Caller = root, locale = 'zh-CN'): Promise<SyncItem[]> {
  const all: SyncItem[] = [];
  let cursor: string | null = null;
  do {
    const response = await t().app.inject({
      method: 'GET',
      url: `/api/v1/wecom/${corp.accountId}/directory-sync/runs/${runId}/items?limit=500&${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      headers: { ...caller.headers, 'accept-language': locale },
    });
    expect(response.statusCode, response.body).toBe(200);
    const page = response.json() as SyncItemPage;
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

async function apply(corp: Corp, runId: string, body: object, caller: Caller = root) {
  const started = await call('POST', `/api/v1/wecom/${corp.accountId}/directory-sync/runs/${runId}/apply`, body, caller);
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  return finishedJob((started.body.job as { id: string }).id, caller);
}

/** Compare, then apply every pull: the state after a first full pull. */
async function pullAll(corp: Corp) {
  const run = await compare(corp);
  await apply(corp, run.id, { pulls: true });
  return run;
}

async function qiaoMember(corp: Corp, userid: string) {
  return call('GET', `/api/v1/wecom/${corp.accountId}/members/${userid}`);
}

async function anyMember(corp: Corp, departmentId?: number): Promise<{ userid: string; name: string; departments: { departmentId: number }[] }> {
  const list = await call('GET', `/api/v1/wecom/${corp.accountId}/members?limit=200${departmentId ? `&departmentId=${departmentId}` : ''}`);
  const found = list.body.items as { userid: string; name: string; departments: { departmentId: number }[] }[];
  return found[found.length - 1]!;
}

function contactsPush(corp: Corp, fields: Record<string, string>) {
  const contacts = corp.receivers.find((r) => r.receiver === 'contacts') as Receiver;
  const message = buildWeChatXml({ ToUserName: corp.corpId, FromUserName: 'sys', CreateTime: Math.floor(Date.now() / 1000), MsgType: 'event', Event: 'change_contact', ...fields });
  const sealed = sealWeComPush({ message, token: contacts.token, crypt: new MessageCrypt({ currentKey: contacts.encodingAesKey, receiverId: corp.corpId }), toUserName: corp.corpId });
  return t().app.inject({ method: 'POST', url: `/wechat/wecom/${corp.accountId}/contacts/callback?${new URLSearchParams(sealed.query)}`, payload: sealed.body, headers: { 'content-type': 'text/xml' } });
}

async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const until = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('directory sync: pull', () => {
  it('compares without writing, then pulls the whole directory into an empty Qiao', async () => {
    const corp = await connectCorp({ departments: 4, members: 12 });
    const run = await compare(corp);
    expect(run.state).toBe('ready');
    expect(run.counts).toMatchObject({ 'pull-create': 16 });
    expect(run.counts['pull-update']).toBe(1); // the root takes WeCom's name and order
    expect((await call('GET', `/api/v1/wecom/${corp.accountId}/members?limit=5`)).body.items).toEqual([]);

    const departmentsOnly = await items(corp, run.id, 'kind=department&action=pull-create');
    expect(departmentsOnly).toHaveLength(4);
    const member = (await items(corp, run.id, 'kind=member'))[0]!;
    expect(member.fields.map((f) => f.field)).toEqual(expect.arrayContaining(['name', 'mobile', 'departments']));
    expect(member.fields.find((f) => f.field === 'name')).toMatchObject({ qiao: null, wecom: member.label });

    const job = await apply(corp, run.id, { pulls: true });
    expect(job).toMatchObject({ state: 'succeeded', done: 17, total: 17 });
    const pulled = await qiaoMember(corp, member.key);
    expect(pulled.body).toMatchObject({ userid: member.key, synced: true, status: 'active' });

    const again = await compare(corp);
    expect(again.counts).toEqual({});
  });

  it('keeps a member that reached both sides while the pull was reading WeCom', async () => {
    const corp = await connectCorp({ departments: 2, members: 2 });
    await pullAll(corp);
    // The pull reads department 1's members at once and department 2's three seconds later: in between, a
    // member is created in WeCom department 1 and its create_user push reaches Qiao, which records it as agreed.
    const arm = (delayMs: number) => call('POST', '/sandbox/control/faults', { product: 'wecom', path: 'cgi-bin/user/list', delayMs, count: 1 });
    expect((await arm(0)).status).toBe(201);
    expect((await arm(3_000)).status).toBe(201);
    const started = await call('POST', `/api/v1/wecom/${corp.accountId}/departments/sync`);
    expect(started.status).toBe(202);
    await eventually(
      async () => ((await call('GET', '/sandbox/control/faults')).body.faults as unknown[]).length,
      (left) => left === 0,
    );
    expect((await weCom(corp, 'POST', 'user/create', { userid: 'mid-pull', name: '读取中加入', mobile: '13900000088', department: [1] })).errcode).toBe(0);
    await contactsPush(corp, { ChangeType: 'create_user', UserID: 'mid-pull', Name: '读取中加入', Department: '1', MainDepartment: '1', Mobile: '13900000088', Status: '1' });
    await eventually(() => qiaoMember(corp, 'mid-pull'), (r) => r.status === 200);

    expect(await finishedJob((started.body.job as { id: string }).id)).toMatchObject({ state: 'succeeded' });
    expect((await qiaoMember(corp, 'mid-pull')).body).toMatchObject({ name: '读取中加入', synced: true });
  });

  it('POST departments/sync pulls in one step', async () => {
    const corp = await connectCorp({ departments: 2, members: 3 });
    const started = await call('POST', `/api/v1/wecom/${corp.accountId}/departments/sync`);
    expect(started.status).toBe(202);
    expect(await finishedJob((started.body.job as { id: string }).id)).toMatchObject({ state: 'succeeded' });
    const list = await call('GET', `/api/v1/wecom/${corp.accountId}/members?limit=10`);
    expect(list.body.items).toHaveLength(3);
  });

  it('marks fields WeCom withholds from a self-built app as unavailable, not as cleared', async () => {
    // Without the contacts secret Qiao reads with the app's, which gets no mobile, email or gender.
    const corp = await connectCorp({ departments: 1, members: 2 }, ['1000002']);
    const run = await compare(corp);
    expect(run.hiddenFields).toEqual(['email', 'gender', 'mobile']);
    const [member] = await items(corp, run.id, 'kind=member');
    expect(member!.unavailableFields).toEqual(['mobile', 'email', 'gender']);
    expect(member!.fields.map((f) => f.field)).not.toContain('mobile');
    await apply(corp, run.id, { pulls: true });
    expect((await qiaoMember(corp, member!.key)).body).toMatchObject({ mobile: null, email: null });
    expect((await compare(corp)).counts).toEqual({});
  });

  it('writes pulled members in one batch and skips one created in Qiao since the compare', async () => {
    const corp = await connectCorp({ departments: 1, members: 8 });
    const run = await compare(corp);
    const [taken, ...rest] = await items(corp, run.id, 'kind=member');
    const created = await call('POST', `/api/v1/wecom/${corp.accountId}/members`, { userid: taken!.key, name: '后来者', mobile: '13900000077', departments: [{ departmentId: 1 }] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);

    expect(await apply(corp, run.id, { pulls: true })).toMatchObject({ state: 'succeeded' });
    const results = await items(corp, run.id, 'kind=member');
    expect(results.find((i) => i.key === taken!.key)).toMatchObject({ state: 'skipped' });
    expect(results.filter((i) => i.state === 'applied').map((i) => i.key).sort()).toEqual(rest.map((i) => i.key).sort());
    expect((await qiaoMember(corp, taken!.key)).body).toMatchObject({ name: '后来者', synced: false });
    // One write for the seven, not one per member.
    const audit = await call('GET', '/api/v1/audit-log?action=wecom.members.upsert&limit=50');
    const writes = (audit.body.items as { summary: { origin: string; created: number } }[]).filter((e) => e.summary.origin === 'sync');
    expect(writes.map((e) => e.summary.created)).toEqual([7]);
  });

  it('reports Qiao’s own refusal of one pulled member on its item and applies the rest of the batch', async () => {
    const corp = await connectCorp({ departments: 1, members: 6 });
    const run = await compare(corp);
    const members = await items(corp, run.id, 'kind=member');
    const victim = members.find((i) => i.fields.some((f) => f.field === 'mobile' && typeof f.wecom === 'string'))!;
    const mobile = victim.fields.find((f) => f.field === 'mobile')!.wecom as string;
    const holder = await call('POST', `/api/v1/wecom/${corp.accountId}/members`, { userid: 'qiao-only', name: '占号者', mobile, departments: [{ departmentId: 1 }] });
    expect(holder.status, JSON.stringify(holder.body)).toBe(201);

    expect(await apply(corp, run.id, { pulls: true })).toMatchObject({ state: 'succeeded' });
    const results = await items(corp, run.id, 'kind=member');
    expect(results.find((i) => i.key === victim.key)).toMatchObject({ state: 'failed', errcode: null });
    expect(results.find((i) => i.key === victim.key)!.error).toContain(mobile);
    expect(results.filter((i) => i.state === 'applied')).toHaveLength(members.length - 1);
    expect((await qiaoMember(corp, victim.key)).status).toBe(404);
  });
});

describe('directory sync: both directions', () => {
  it('shows a change made in WeCom as a pull-update and applies it', async () => {
    const corp = await connectCorp({ departments: 2, members: 4 });
    await pullAll(corp);
    const member = await anyMember(corp);
    expect((await weCom(corp, 'POST', 'user/update', { userid: member.userid, position: '区域经理' })).errcode).toBe(0);
    const run = await compare(corp);
    const [change] = await items(corp, run.id);
    expect(change).toMatchObject({ kind: 'member', key: member.userid, action: 'pull-update', fields: [{ field: 'position', wecom: '区域经理', conflict: false }] });
    await apply(corp, run.id, { itemIds: [change!.id] });
    expect((await qiaoMember(corp, member.userid)).body).toMatchObject({ position: '区域经理', synced: true });
  });

  it('pushes a change made in Qiao to WeCom and records the new agreement', async () => {
    const corp = await connectCorp({ departments: 2, members: 4 });
    await pullAll(corp);
    const member = await anyMember(corp);
    expect((await call('PATCH', `/api/v1/wecom/${corp.accountId}/members/${member.userid}`, { position: '店长' })).status).toBe(200);
    const run = await compare(corp);
    const list = await items(corp, run.id, 'action=push-update');
    expect(list.map((i) => [i.key, i.fields.map((f) => f.field)])).toEqual([[member.userid, ['position']]]);
    await apply(corp, run.id, { pushes: true });
    expect((await weCom(corp, 'GET', 'user/get', undefined, { userid: member.userid })).position).toBe('店长');
    expect((await qiaoMember(corp, member.userid)).body).toMatchObject({ synced: true });
    expect((await compare(corp)).counts).toEqual({});
  });

  it('reports a field changed on both sides as a conflict and changes nothing until someone chooses', async () => {
    const corp = await connectCorp({ departments: 2, members: 4 });
    await pullAll(corp);
    const member = await anyMember(corp);
    await call('PATCH', `/api/v1/wecom/${corp.accountId}/members/${member.userid}`, { position: 'Qiao 的职务' });
    await weCom(corp, 'POST', 'user/update', { userid: member.userid, position: '企业微信的职务' });
    const run = await compare(corp);
    const [conflict] = await items(corp, run.id, 'action=conflict');
    expect(conflict?.fields).toEqual([{ field: 'position', qiao: 'Qiao 的职务', wecom: '企业微信的职务', base: expect.any(String), conflict: true }]);

    const refused = await call('POST', `/api/v1/wecom/${corp.accountId}/directory-sync/runs/${run.id}/apply`, { pulls: true, pushes: true });
    expect(refused).toMatchObject({ status: 400, body: { code: 'WECOM_SYNC_NOTHING_SELECTED' } });
    expect((await qiaoMember(corp, member.userid)).body.position).toBe('Qiao 的职务');
    expect((await weCom(corp, 'GET', 'user/get', undefined, { userid: member.userid })).position).toBe('企业微信的职务');

    await apply(corp, run.id, { resolutions: [{ itemId: conflict!.id, choice: 'keep-qiao' }] });
    expect((await weCom(corp, 'GET', 'user/get', undefined, { userid: member.userid })).position).toBe('Qiao 的职务');
    expect((await compare(corp)).counts).toEqual({});
  });

  it('takes WeCom’s side of a conflict when chosen', async () => {
    const corp = await connectCorp({ departments: 1, members: 3 });
    await pullAll(corp);
    const member = await anyMember(corp);
    await call('PATCH', `/api/v1/wecom/${corp.accountId}/members/${member.userid}`, { name: '本地名' });
    await weCom(corp, 'POST', 'user/update', { userid: member.userid, name: '企微名' });
    const run = await compare(corp);
    const [conflict] = await items(corp, run.id, 'action=conflict');
    await apply(corp, run.id, { resolutions: [{ itemId: conflict!.id, choice: 'take-wecom' }] });
    expect((await qiaoMember(corp, member.userid)).body).toMatchObject({ name: '企微名', synced: true });
  });

  it('carries deletions both ways', async () => {
    const corp = await connectCorp({ departments: 2, members: 5 });
    await pullAll(corp);
    const list = (await call('GET', `/api/v1/wecom/${corp.accountId}/members?limit=10`)).body.items as { userid: string }[];
    const goneInWeCom = list[3]!.userid;
    const goneInQiao = list[4]!.userid;
    expect((await weCom(corp, 'GET', 'user/delete', undefined, { userid: goneInWeCom })).errcode).toBe(0);
    expect((await call('DELETE', `/api/v1/wecom/${corp.accountId}/members/${goneInQiao}`)).status).toBe(204);
    const run = await compare(corp);
    const found = await items(corp, run.id);
    expect(found.map((i) => [i.action, i.key]).sort()).toEqual([
      ['pull-delete', goneInWeCom],
      ['push-delete', goneInQiao],
    ]);
    await apply(corp, run.id, { pulls: true, pushes: true });
    expect((await qiaoMember(corp, goneInWeCom)).status).toBe(404);
    expect((await weCom(corp, 'GET', 'user/get', undefined, { userid: goneInQiao })).errcode).toBe(60111);
    expect((await compare(corp)).counts).toEqual({});
  });

  it('reports a WeCom refusal per item in plain words and applies the rest', async () => {
    const corp = await connectCorp({ departments: 1, members: 4 });
    await pullAll(corp);
    const members = (await call('GET', `/api/v1/wecom/${corp.accountId}/members?limit=10`)).body.items as { userid: string }[];
    for (const m of members.slice(1, 4)) await call('PATCH', `/api/v1/wecom/${corp.accountId}/members/${m.userid}`, { position: `新职务${m.userid}` });
    expect((await call('POST', '/sandbox/control/faults', { product: 'wecom', path: 'cgi-bin/user/update', errcode: 60011, count: 1 })).status).toBe(201);
    const run = await compare(corp);
    await apply(corp, run.id, { pushes: true });
    const results = await items(corp, run.id, 'action=push-update');
    expect(results.map((i) => i.state).sort()).toEqual(['applied', 'applied', 'failed']);
    const failed = results.find((i) => i.state === 'failed')!;
    expect(failed).toMatchObject({ errcode: 60011 });
    expect(failed.error).toContain('60011');
    expect(failed.error).toContain('没有该成员、部门或标签的管理权限');
    const english = await items(corp, run.id, 'state=failed', root, 'en-US');
    expect(english[0]!.error).toContain('No permission');

    // Choosing the failed item again retries only it; the applied ones never run twice.
    const retry = await apply(corp, run.id, { itemIds: [failed.id] });
    expect(retry).toMatchObject({ state: 'succeeded', total: 3 });
    expect((await items(corp, run.id, 'state=applied')).length).toBe(3);
  });
});

describe('directory sync: contact-change callbacks', () => {
  it('applies a WeCom change to a member Qiao did not touch', async () => {
    const corp = await connectCorp({ departments: 1, members: 3 });
    await pullAll(corp);
    const member = await anyMember(corp);
    const pushed = await contactsPush(corp, { ChangeType: 'update_user', UserID: member.userid, Position: '回调里的职务' });
    expect(pushed.statusCode).toBe(200);
    const after = await eventually(() => qiaoMember(corp, member.userid), (r) => r.body.position === '回调里的职务');
    expect(after.body).toMatchObject({ position: '回调里的职务', synced: true });
  });

  it('records a conflict instead of overwriting a member changed in Qiao', async () => {
    const corp = await connectCorp({ departments: 1, members: 3 });
    await pullAll(corp);
    const member = await anyMember(corp);
    await call('PATCH', `/api/v1/wecom/${corp.accountId}/members/${member.userid}`, { position: '本地改过' });
    await contactsPush(corp, { ChangeType: 'update_user', UserID: member.userid, Position: '企微改过' });
    const runs = await eventually(
      () => call('GET', `/api/v1/wecom/${corp.accountId}/directory-sync/runs`),
      (r) => (r.body.items as SyncRun[]).some((run) => run.trigger === 'callback'),
    );
    const callbackRun = (runs.body.items as SyncRun[]).find((run) => run.trigger === 'callback')!;
    const [conflict] = await items(corp, callbackRun.id);
    expect(conflict).toMatchObject({ action: 'conflict', key: member.userid, fields: [{ field: 'position', qiao: '本地改过', wecom: '企微改过', conflict: true }] });
    expect((await qiaoMember(corp, member.userid)).body.position).toBe('本地改过');
  });

  it('creates and deletes members and departments from callbacks', async () => {
    const corp = await connectCorp({ departments: 1, members: 2 });
    await pullAll(corp);
    await contactsPush(corp, { ChangeType: 'create_party', Id: '900', Name: '新门店', ParentId: '1', Order: '1' });
    await eventually(() => call('GET', `/api/v1/wecom/${corp.accountId}/departments/900`), (r) => r.status === 200);
    await contactsPush(corp, { ChangeType: 'create_user', UserID: 'cb-new', Name: '新同事', Department: '900', MainDepartment: '900', Status: '4' });
    const created = await eventually(() => qiaoMember(corp, 'cb-new'), (r) => r.status === 200);
    expect(created.body).toMatchObject({ name: '新同事', mainDepartmentId: 900, status: 'inactive' });
    await contactsPush(corp, { ChangeType: 'delete_user', UserID: 'cb-new' });
    expect((await eventually(() => qiaoMember(corp, 'cb-new'), (r) => r.status === 404)).status).toBe(404);
  });
});

describe('directory sync: department admins', () => {
  it('lets a dept_admin compare and apply only inside its subtree', async () => {
    const corp = await connectCorp({ departments: 3, members: 9 });
    await pullAll(corp);
    const departments = (await call('GET', `/api/v1/wecom/${corp.accountId}/departments`)).body.items as { id: number; parentId: number }[];
    const mine = departments.find((d) => d.id !== 1)!.id;
    const admin = await userSession(t().app, root, { username: 'store-admin', role: 'dept_admin', departmentScopes: [{ accountId: corp.accountId, departmentId: mine }] });
    const inside = await anyMember(corp, mine);
    const outside = (await call('GET', `/api/v1/wecom/${corp.accountId}/members?limit=50`)).body.items as { userid: string; departments: { departmentId: number }[] }[];
    const stranger = outside.find((m) => !m.departments.some((d) => d.departmentId === mine))!;
    await weCom(corp, 'POST', 'user/update', { userid: inside.userid, position: '内' });
    await weCom(corp, 'POST', 'user/update', { userid: stranger.userid, position: '外' });

    const run = await compare(corp, admin);
    const seen = await items(corp, run.id, '', admin);
    expect(seen.map((i) => i.key)).toEqual([inside.userid]);
    await apply(corp, run.id, { pulls: true }, admin);
    expect((await qiaoMember(corp, inside.userid)).body.position).toBe('内');
    expect((await qiaoMember(corp, stranger.userid)).body.position).not.toBe('外');

    // Someone else's run does not exist for the dept_admin.
    const rootRun = await compare(corp);
    expect((await call('GET', `/api/v1/wecom/${corp.accountId}/directory-sync/runs/${rootRun.id}`, undefined, admin)).status).toBe(404);
    const member = await userSession(t().app, root, { username: 'plain-member', role: 'member' });
    expect((await call('POST', `/api/v1/wecom/${corp.accountId}/directory-sync/diff`, undefined, member)).status).toBe(403);
  });
});

describe('directory sync: many member pushes as a WeCom batch job', () => {
  const count = 60;

  /** Members created in Qiao only, each a push-create for WeCom; one of them a leader, which syncuser's file cannot carry. */
  async function createInQiao(corp: Corp, prefix: string) {
    const departments = (await call('GET', `/api/v1/wecom/${corp.accountId}/departments`)).body.items as { id: number }[];
    const store = departments.find((d) => d.id !== 1)!.id;
    for (let i = 0; i < count; i++) {
      const created = await call('POST', `/api/v1/wecom/${corp.accountId}/members`, {
        userid: `${prefix}${i}`,
        name: `批量${i}`,
        mobile: `1${7_700_000_000 + i}`,
        position: i % 2 ? '店员' : null,
        departments: [{ departmentId: i % 3 ? store : 1, isLeader: i === 7 }],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
  }

  async function batchJobs(runId: string) {
    const result = await t().db.handle.db.execute(sql`SELECT job_id, state, completed_via, item_ids FROM wecom_sync_batch_jobs WHERE run_id = ${runId}`);
    return (result as unknown as { rows: { job_id: string; state: string; completed_via: string | null; item_ids: string[] }[] }).rows;
  }

  function batchResultPush(corp: Corp, jobId: string) {
    const contacts = corp.receivers.find((r) => r.receiver === 'contacts') as Receiver;
    const message = buildWeChatXml({
      ToUserName: corp.corpId,
      FromUserName: 'sys',
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: 'event',
      Event: 'batch_job_result',
      BatchJob: { JobId: jobId, JobType: 'sync_user', ErrCode: '0', ErrMsg: 'ok' },
    });
    const sealed = sealWeComPush({ message, token: contacts.token, crypt: new MessageCrypt({ currentKey: contacts.encodingAesKey, receiverId: corp.corpId }), toUserName: corp.corpId });
    return t().app.inject({ method: 'POST', url: `/wechat/wecom/${corp.accountId}/contacts/callback?${new URLSearchParams(sealed.query)}`, payload: sealed.body, headers: { 'content-type': 'text/xml' } });
  }

  it('sends them through batch/syncuser and completes the job on WeCom’s batch_job_result push', { timeout: 120_000 }, async () => {
    const corp = await connectCorp({ departments: 2, members: 4 });
    await pullAll(corp);
    // What an admin types into the WeCom console: the contacts receiver's pushes go to Qiao.
    const pointed = await call('PATCH', `/sandbox/control/wecom-corps/${corp.corpId}/receivers/contacts`, { callbackUrl: `${base}/wechat/wecom/${corp.accountId}/contacts/callback` });
    expect(pointed.status, JSON.stringify(pointed.body)).toBe(200);
    await createInQiao(corp, 'batch');

    const run = await compare(corp);
    expect((await items(corp, run.id, 'action=push-create')).length).toBe(count);
    expect(await apply(corp, run.id, { pushes: true })).toMatchObject({ state: 'succeeded', result: { applied: count } });

    // One job carried every member but the leader; WeCom's push completed it, not the fallback poll (every 30 s).
    const jobs = await batchJobs(run.id);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ state: 'done', completed_via: 'push' });
    expect(jobs[0]!.item_ids).toHaveLength(count - 1);
    expect((await weCom(corp, 'GET', 'user/get', undefined, { userid: 'batch1' })).position).toBe('店员');
    expect((await weCom(corp, 'GET', 'user/get', undefined, { userid: 'batch7' })).is_leader_in_dept).toEqual([1]);
    expect((await qiaoMember(corp, 'batch59')).body).toMatchObject({ synced: true });
    expect((await compare(corp)).counts).toEqual({});
  });

  it('applies a batch job once when its push and the poll race', { timeout: 120_000 }, async () => {
    const corp = await connectCorp({ departments: 2, members: 4 });
    await pullAll(corp);
    // No callback URL in WeCom: the job waits for a push that only this test sends.
    await createInQiao(corp, 'race');
    const run = await compare(corp);
    const started = await call('POST', `/api/v1/wecom/${corp.accountId}/directory-sync/runs/${run.id}/apply`, { pushes: true });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const [job] = await eventually(() => batchJobs(run.id), (rows) => rows.length === 1);
    expect(job).toMatchObject({ state: 'submitted' });
    // WeCom finishes the job on its side before anyone asks.
    await eventually(
      () => weCom(corp, 'GET', 'batch/getresult', undefined, { jobid: job!.job_id }),
      (answer) => answer.status === 3,
    );

    const sync = t().app.wecomDirectorySync.service;
    const [pushA, pollA, pushB, pollB] = await Promise.all([
      batchResultPush(corp, job!.job_id),
      sync.completeBatchJob(corp.accountId, job!.job_id, 'poll'),
      batchResultPush(corp, job!.job_id),
      sync.completeBatchJob(corp.accountId, job!.job_id, 'poll'),
    ]);
    expect([pushA.statusCode, pushB.statusCode]).toEqual([200, 200]);
    const finished = await eventually(() => batchJobs(run.id), (rows) => rows[0]!.state === 'done');
    // Exactly one of the four completed it: a poll that answered true, or else a push.
    const completions = [pollA, pollB].filter(Boolean).length + (finished[0]!.completed_via === 'push' ? 1 : 0);
    expect(completions).toBe(1);
    expect(await sync.completeBatchJob(corp.accountId, job!.job_id, 'poll')).toBe(false);

    expect(await finishedJob((started.body.job as { id: string }).id)).toMatchObject({ state: 'succeeded', result: { applied: count } });
    const applied = await items(corp, run.id, 'state=applied');
    expect(new Set(applied.map((i) => i.key)).size).toBe(count);
    expect((await compare(corp)).counts).toEqual({});
  });
});

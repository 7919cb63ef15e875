import { beforeEach, describe, expect, it } from 'vitest';
import { loginAs, setupRoot, type Caller } from '../../../../test/support/callers';
import { useTestApp } from '../../../../test/support/test-app';
import { callWeCom, connectSandboxCorp, listenForCallbacks, type ConnectedCorp } from '../../../../test/support/wecom-corp-kit';
import type { GroupChat, GroupChatDetail, JoinWay } from './group-chats.schema';

const t = useTestApp({ startQueue: true });
let root: Caller;
let corp: ConnectedCorp;

async function call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object, caller: Caller = root) {
  const response = await t().app.inject({ method, url, headers: caller.headers, ...(payload ? { payload } : {}) });
  return { status: response.statusCode, body: (response.body ? response.json() : null) as Record<string, unknown> & { code?: string } };
}

const chatsUrl = () => `/api/v1/wecom/${corp.accountId}/group-chats`;

type Job = { state: string; total: number | null; done: number; result: Record<string, number> | null; errors: { item?: string; code: string }[]; errorCount: number; failure: { code: string } | null };

/** Starts a sync (202 with the job) and waits for the job to end. */
async function runSync(): Promise<Job> {
  const started = await call('POST', `${chatsUrl()}/sync`);
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  expect(started.body).toMatchObject({ kind: 'wecom.group-chats.sync' });
  for (let i = 0; i < 400; i++) {
    const job = (await call('GET', `/api/v1/jobs/${started.body.id as string}`)).body as unknown as Job;
    if (['succeeded', 'failed', 'cancelled'].includes(job.state)) return job;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the sync job did not end');
}

async function arm(path: string, errcode: number, count = 1): Promise<void> {
  const armed = await call('POST', '/sandbox/control/faults', { product: 'wecom', path, errcode, count });
  expect(armed.status).toBe(201);
}

async function openGroup(owner: string, customers: number): Promise<string> {
  const created = await call('POST', `/sandbox/control/wecom-corps/${corp.corpId}/group-chats`, { owner, customers });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.chatId as string;
}

async function copyDirectory(): Promise<void> {
  const departments = (await callWeCom(corp, 'contacts', 'GET', 'cgi-bin/department/list')).department as { id: number; parentid: number; name: string }[];
  await t().app.wecomDepartments.service.upsertDepartments(null, corp.accountId, departments.filter((d) => d.id !== 1).map((d) => ({ id: d.id, parentId: d.parentid, name: d.name })), { origin: 'sync' });
  for (const userid of ['user00001', 'user00002']) {
    const member = (await callWeCom(corp, 'contacts', 'GET', 'cgi-bin/user/get', undefined, { userid })) as { name: string; department: number[] };
    await t().app.wecomMembers.service.upsertMembers(
      null,
      corp.accountId,
      [{ userid, name: member.name, status: 'active', departments: member.department.map((departmentId, i) => ({ departmentId, isMain: i === 0 })) }],
      { origin: 'sync' },
    );
  }
}

beforeEach(async () => {
  root = await setupRoot(t().app);
  const base = await listenForCallbacks(t().app);
  corp = await connectSandboxCorp(t().app, base, root, { departments: 3, members: 3 });
});

describe('customer groups', () => {
  it('keeps groups current from change_external_chat and counts joins by scene and day', async () => {
    const chatId = await openGroup('user00001', 2);
    let list = (await call('GET', chatsUrl())).body.items as GroupChat[];
    expect(list).toEqual([expect.objectContaining({ chatId, owner: 'user00001', memberCount: 3, customerCount: 2, joins: { total: 3, invited: 3, link: 0, qrCode: 0 } })]);

    const joined = await call('POST', `/sandbox/control/wecom-corps/${corp.corpId}/group-chats/${chatId}/join`, { joinScene: 3, state: 'poster' });
    expect(joined.status).toBe(200);
    list = (await call('GET', chatsUrl())).body.items as GroupChat[];
    expect(list[0]).toMatchObject({ memberCount: 4, customerCount: 3, joins: { total: 4, qrCode: 1 } });

    const detail = (await call('GET', `${chatsUrl()}/${chatId}`)).body as unknown as GroupChatDetail;
    expect(detail.members.find((m) => m.userid === joined.body.externalUserId)).toMatchObject({ type: 'customer', joinScene: 'qr_code', state: 'poster' });
    expect(detail.joinsByDay).toHaveLength(1);
    expect(detail.joinsByDay[0]).toMatchObject({ invited: 3, qrCode: 1 });

    // Replayed by a sync: nothing doubles.
    for (let i = 0; i < 2; i++) expect(await runSync()).toMatchObject({ state: 'succeeded', total: 1, done: 1, result: { listed: 1, synced: 1, failed: 0, dismissed: 0 } });
    list = (await call('GET', chatsUrl())).body.items as GroupChat[];
    expect(list[0]!.joins.total).toBe(4);

    expect((await call('POST', `/sandbox/control/wecom-corps/${corp.corpId}/group-chats/${chatId}/dismiss`)).status).toBe(200);
    expect((await call('GET', chatsUrl())).body.items).toEqual([]);
    const dismissed = (await call('GET', `${chatsUrl()}?includeDismissed=true`)).body.items as GroupChat[];
    expect(dismissed[0]).toMatchObject({ chatId, dismissedAt: expect.any(String) });
  });

  it('syncs every group and filters by owner, department subtree and the caller’s reach', async () => {
    const first = await openGroup('user00001', 1);
    await openGroup('user00002', 1);
    expect((await runSync()).result).toEqual({ listed: 2, synced: 2, failed: 0, dismissed: 0 });
    expect(((await call('GET', chatsUrl())).body.total as number)).toBe(2);
    expect(((await call('GET', `${chatsUrl()}?owner=user00001`)).body.items as GroupChat[]).map((c) => c.chatId)).toEqual([first]);

    await copyDirectory();
    const member = (await callWeCom(corp, 'contacts', 'GET', 'cgi-bin/user/get', undefined, { userid: 'user00001' })) as { department: number[] };
    const dept = member.department[0]!;
    expect(((await call('GET', `${chatsUrl()}?departmentId=${dept}`)).body.items as GroupChat[]).map((c) => c.owner)).toEqual(['user00001']);

    const password = 'sales1-password';
    await call('POST', '/api/v1/users', { username: 'sales1', displayName: '销售一', role: 'member', password, departmentScopes: [], wecomMembers: [{ accountId: corp.accountId, userid: 'user00002' }] });
    const sales = await loginAs(t().app, 'sales1', password);
    const own = (await call('GET', chatsUrl(), undefined, sales)).body.items as GroupChat[];
    expect(own.map((c) => c.owner)).toEqual(['user00002']);
    expect((await call('GET', `${chatsUrl()}/${first}`, undefined, sales)).status).toBe(404);
  });

  it('syncs as a job that resumes after WeCom is busy and notes a group WeCom refuses', async () => {
    const chats = [await openGroup('user00001', 2), await openGroup('user00002', 1), await openGroup('user00001', 0)];
    await call('POST', `/sandbox/control/wecom-corps/${corp.corpId}/group-chats/${chats[0]!}/join`, { joinScene: 3, state: 'poster' });
    // groupchat/get answers "system busy" past the client's own three retries: the run fails after the list was
    // checkpointed, and the queue's retry continues from there without listing again.
    await arm('cgi-bin/externalcontact/groupchat/get', -1, 4);
    const job = await runSync();
    expect(job, JSON.stringify(job)).toMatchObject({ state: 'succeeded', total: 3, done: 3, errorCount: 0, result: { listed: 3, synced: 3, failed: 0 } });
    expect((await call('GET', '/sandbox/control/faults')).body.faults).toEqual([]);
    const calls = async (path: string, extra = '') => ((await call('GET', `/api/v1/api-calls?accountId=${corp.accountId}&path=${path}&limit=100${extra}`)).body.items as unknown[]).length;
    expect(await calls('groupchat/list')).toBe(1);
    expect(await calls('groupchat/get', '&errcode=-1')).toBe(4);
    const list = (await call('GET', `${chatsUrl()}?pageSize=10`)).body.items as GroupChat[];
    expect(list.map((c) => c.chatId).sort()).toEqual([...chats].sort());
    expect(list.find((c) => c.chatId === chats[0])!.joins).toEqual({ total: 4, invited: 3, link: 0, qrCode: 1 });

    // A group WeCom will not describe is a row error; the others are read and the job succeeds.
    await arm('cgi-bin/externalcontact/groupchat/get', 40050);
    const noted = await runSync();
    expect(noted).toMatchObject({ state: 'succeeded', errorCount: 1, result: { listed: 3, synced: 2, failed: 1, dismissed: 0 } });
    expect(noted.errors[0]).toMatchObject({ code: 'GROUP_CHAT_WECHAT_REFUSED', item: expect.any(String) });
    const again = (await call('GET', `${chatsUrl()}?pageSize=10`)).body.items as GroupChat[];
    expect(again.find((c) => c.chatId === chats[0])!.joins.total).toBe(4);

    // A list WeCom refuses fails the job with WeCom's errcode in words.
    await arm('cgi-bin/externalcontact/groupchat/list', 48002);
    const refused = await runSync();
    expect(refused).toMatchObject({ state: 'failed', failure: { code: 'GROUP_CHAT_WECHAT_REFUSED' } });
  });

  it('shows each owner’s name from the directory, the userid when the directory does not know them', async () => {
    await copyDirectory();
    const named = await openGroup('user00001', 1);
    const unknown = await openGroup('user00003', 1);
    const member = (await callWeCom(corp, 'contacts', 'GET', 'cgi-bin/user/get', undefined, { userid: 'user00001' })) as { name: string };
    const list = (await call('GET', chatsUrl())).body.items as GroupChat[];
    expect(list.find((c) => c.chatId === named)).toMatchObject({ owner: 'user00001', ownerName: member.name });
    expect(list.find((c) => c.chatId === unknown)).toMatchObject({ owner: 'user00003', ownerName: 'user00003' });
    expect((await call('GET', `${chatsUrl()}/${named}`)).body).toMatchObject({ owner: 'user00001', ownerName: member.name });
  });

  it('leaves syncing and join codes to admins: a member is refused and nothing changes', async () => {
    await copyDirectory();
    const mine = await openGroup('user00002', 1);
    expect((await runSync()).state).toBe('succeeded');
    const way = (await call('POST', `${chatsUrl()}/join-ways`, { remark: '门店海报', chatIds: [mine], roomBaseName: '门店群', state: 'store1' })).body as unknown as JoinWay;
    await call('POST', '/api/v1/users', { username: 'sales1', displayName: '销售一', role: 'member', password: 'sales1-password', departmentScopes: [], wecomMembers: [{ accountId: corp.accountId, userid: 'user00002' }] });
    const member = await loginAs(t().app, 'sales1', 'sales1-password');
    const syncJobs = async () => (await call('GET', '/api/v1/jobs?kind=wecom.group-chats.sync')).body.items;
    const before = { ways: (await call('GET', `${chatsUrl()}/join-ways`)).body, jobs: await syncJobs() };
    expect(before.jobs).toHaveLength(1);

    const body = { remark: '我的码', chatIds: [mine], roomBaseName: '我的群' };
    const attempts: [method: 'POST' | 'PUT' | 'DELETE', path: string, body?: object][] = [
      ['POST', '/sync'],
      ['POST', '/join-ways', body],
      ['PUT', `/join-ways/${way.id}`, body],
      ['DELETE', `/join-ways/${way.id}`],
    ];
    for (const [method, path, payload] of attempts) {
      expect(await call(method, `${chatsUrl()}${path}`, payload, member), `${method} ${path}`).toMatchObject({ status: 403, body: { code: 'FORBIDDEN', details: { permission: 'wecom.customers.manage' } } });
    }
    expect({ ways: (await call('GET', `${chatsUrl()}/join-ways`)).body, jobs: await syncJobs() }).toEqual(before);
    expect((await callWeCom(corp, 'customer-contact', 'POST', 'cgi-bin/externalcontact/groupchat/get_join_way', { config_id: way.configId })).join_way).toMatchObject({ remark: '门店海报' });

    // A department admin manages customer contact and may, within its departments.
    const owner = (await callWeCom(corp, 'contacts', 'GET', 'cgi-bin/user/get', undefined, { userid: 'user00002' })) as { department: number[] };
    await call('POST', '/api/v1/users', { username: 'lead2', displayName: '主管', role: 'dept_admin', password: 'lead2-password', departmentScopes: [{ accountId: corp.accountId, departmentId: owner.department[0] }] });
    const lead = await loginAs(t().app, 'lead2', 'lead2-password');
    expect((await call('PUT', `${chatsUrl()}/join-ways/${way.id}`, body, lead)).body).toMatchObject({ remark: '我的码' });
    expect((await call('POST', `${chatsUrl()}/sync`, undefined, lead)).status).toBe(202);
  });

  it('lets a department admin see join codes serving a group within reach and change only those whose groups are all within reach', async () => {
    await copyDirectory();
    const theirs = await openGroup('user00001', 1);
    const ours = await openGroup('user00002', 1);
    expect((await runSync()).state).toBe('succeeded');
    const create = async (remark: string, chatIds: string[]) => {
      const created = await call('POST', `${chatsUrl()}/join-ways`, { remark, chatIds, roomBaseName: '门店群', state: remark });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return created.body as unknown as JoinWay;
    };
    const outside = await create('外部门', [theirs]);
    const mixed = await create('两部门', [theirs, ours]);
    const inside = await create('本部门', [ours]);

    const owner = (await callWeCom(corp, 'contacts', 'GET', 'cgi-bin/user/get', undefined, { userid: 'user00002' })) as { department: number[] };
    await call('POST', '/api/v1/users', { username: 'lead2', displayName: '主管', role: 'dept_admin', password: 'lead2-password', departmentScopes: [{ accountId: corp.accountId, departmentId: owner.department[0] }] });
    const lead = await loginAs(t().app, 'lead2', 'lead2-password');
    expect(((await call('GET', chatsUrl(), undefined, lead)).body.items as GroupChat[]).map((c) => c.chatId)).toEqual([ours]);
    expect((await call('GET', `${chatsUrl()}/${theirs}`, undefined, lead)).status).toBe(404);

    const seen = (caller: Caller) => call('GET', `${chatsUrl()}/join-ways`, undefined, caller).then((r) => (r.body.items as JoinWay[]).map((w) => [w.remark, w.editable]).sort());
    expect(await seen(root)).toEqual([['两部门', true], ['外部门', true], ['本部门', true]].sort());
    expect(await seen(lead)).toEqual([['两部门', false], ['本部门', true]].sort());
    await call('POST', '/api/v1/users', { username: 'sales2', displayName: '销售二', role: 'member', password: 'sales2-password', departmentScopes: [], wecomMembers: [{ accountId: corp.accountId, userid: 'user00002' }] });
    expect(await seen(await loginAs(t().app, 'sales2', 'sales2-password'))).toEqual([['两部门', false], ['本部门', false]].sort());

    const inWeCom = async (way: JoinWay) => (await callWeCom(corp, 'customer-contact', 'POST', 'cgi-bin/externalcontact/groupchat/get_join_way', { config_id: way.configId })).join_way as Record<string, unknown>;
    const before = { ways: (await call('GET', `${chatsUrl()}/join-ways`)).body, outside: await inWeCom(outside), mixed: await inWeCom(mixed), inside: await inWeCom(inside) };
    const body = (chatIds: string[]) => ({ remark: '改过', chatIds, roomBaseName: '改过的群' });
    const notFound = { status: 404, body: { code: 'GROUP_JOIN_WAY_NOT_FOUND' } };
    const unknownChat = { status: 400, body: { code: 'GROUP_JOIN_WAY_UNKNOWN_CHAT', details: { chatId: theirs } } };
    expect(await call('PUT', `${chatsUrl()}/join-ways/${outside.id}`, body([ours]), lead)).toMatchObject(notFound);
    expect(await call('DELETE', `${chatsUrl()}/join-ways/${outside.id}`, undefined, lead)).toMatchObject(notFound);
    expect(await call('PUT', `${chatsUrl()}/join-ways/${mixed.id}`, body([ours]), lead)).toMatchObject(unknownChat);
    expect(await call('DELETE', `${chatsUrl()}/join-ways/${mixed.id}`, undefined, lead)).toMatchObject(unknownChat);
    expect(await call('PUT', `${chatsUrl()}/join-ways/${inside.id}`, body([ours, theirs]), lead)).toMatchObject(unknownChat);
    expect({ ways: (await call('GET', `${chatsUrl()}/join-ways`)).body, outside: await inWeCom(outside), mixed: await inWeCom(mixed), inside: await inWeCom(inside) }).toEqual(before);
    for (const path of ['update_join_way', 'del_join_way']) {
      expect((await call('GET', `/api/v1/api-calls?accountId=${corp.accountId}&path=${path}&limit=100`)).body.items, path).toEqual([]);
    }

    const changed = await call('PUT', `${chatsUrl()}/join-ways/${inside.id}`, body([ours]), lead);
    expect(changed, JSON.stringify(changed.body)).toMatchObject({ status: 200, body: { remark: '改过', chatIds: [ours], editable: true } });
    expect(await inWeCom(inside)).toMatchObject({ remark: '改过', chat_id_list: [ours] });
    expect((await call('DELETE', `${chatsUrl()}/join-ways/${inside.id}`, undefined, lead)).status).toBe(204);
    expect(await callWeCom(corp, 'customer-contact', 'POST', 'cgi-bin/externalcontact/groupchat/get_join_way', { config_id: inside.configId })).toMatchObject({ errcode: 40058 });

    // A super admin reaches every group.
    expect(await call('PUT', `${chatsUrl()}/join-ways/${mixed.id}`, body([theirs]), root)).toMatchObject({ status: 200, body: { chatIds: [theirs], editable: true } });
    expect((await call('DELETE', `${chatsUrl()}/join-ways/${outside.id}`)).status).toBe(204);
    expect(await seen(lead)).toEqual([]);
  });

  it('manages join codes with WeCom’s limits checked first', async () => {
    const chatId = await openGroup('user00001', 0);
    const created = await call('POST', `${chatsUrl()}/join-ways`, { remark: '门店海报', chatIds: [chatId], roomBaseName: '门店群', state: 'store1' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const way = created.body as unknown as JoinWay;
    expect(way).toMatchObject({ scene: 'qr_code', chatIds: [chatId], autoCreateRoom: true, state: 'store1', joins: 0 });
    expect(way.qrCode).toMatch(/^https:\/\//);
    const inWeCom = await callWeCom(corp, 'customer-contact', 'POST', 'cgi-bin/externalcontact/groupchat/get_join_way', { config_id: way.configId });
    expect(inWeCom.join_way).toMatchObject({ remark: '门店海报', chat_id_list: [chatId], state: 'store1' });

    await call('POST', `/sandbox/control/wecom-corps/${corp.corpId}/group-chats/${chatId}/join`, { joinScene: 3, state: 'store1' });
    expect(((await call('GET', `${chatsUrl()}/join-ways`)).body.items as JoinWay[])[0]!.joins).toBe(1);

    const bad = await call('POST', `${chatsUrl()}/join-ways`, { remark: '长'.repeat(31), chatIds: [chatId], roomBaseName: '群' });
    expect(bad).toMatchObject({ status: 400, body: { code: 'GROUP_JOIN_WAY_INVALID' } });
    const six = await call('POST', `${chatsUrl()}/join-ways`, { remark: '多群', chatIds: ['a', 'b', 'c', 'd', 'e', 'f'], roomBaseName: '群' });
    expect(six.body.code).toBe('GROUP_JOIN_WAY_INVALID');
    expect((await call('POST', `${chatsUrl()}/join-ways`, { remark: '未知', chatIds: ['wrnope'], roomBaseName: '群' })).body.code).toBe('GROUP_JOIN_WAY_UNKNOWN_CHAT');

    const updated = await call('PUT', `${chatsUrl()}/join-ways/${way.id}`, { remark: '门店海报二', scene: 'miniprogram', chatIds: [chatId], autoCreateRoom: false });
    expect(updated.body).toMatchObject({ remark: '门店海报二', scene: 'miniprogram', qrCode: null, autoCreateRoom: false });
    expect((await call('DELETE', `${chatsUrl()}/join-ways/${way.id}`)).status).toBe(204);
    expect(await callWeCom(corp, 'customer-contact', 'POST', 'cgi-bin/externalcontact/groupchat/get_join_way', { config_id: way.configId })).toMatchObject({ errcode: 40058 });
    expect((await call('GET', `${chatsUrl()}/join-ways`)).body.items).toEqual([]);
  });
});

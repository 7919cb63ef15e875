import { beforeEach, describe, expect, it } from 'vitest';
import { loginAs, setupRoot, type Caller } from '../../../../test/support/callers';
import { useTestApp } from '../../../../test/support/test-app';
import { callWeCom, connectSandboxCorp, listenForCallbacks, type ConnectedCorp } from '../../../../test/support/wecom-corp-kit';
import type { GroupChat, GroupChatDetail, JoinWay } from './group-chats.schema';

const t = useTestApp();
let root: Caller;
let corp: ConnectedCorp;

async function call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object, caller: Caller = root) {
  const response = await t().app.inject({ method, url, headers: caller.headers, ...(payload ? { payload } : {}) });
  return { status: response.statusCode, body: (response.body ? response.json() : null) as Record<string, unknown> & { code?: string } };
}

const chatsUrl = () => `/api/v1/wecom/${corp.accountId}/group-chats`;

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
    for (let i = 0; i < 2; i++) expect((await call('POST', `${chatsUrl()}/sync`)).body).toEqual({ synced: 1, dismissed: 0 });
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
    expect((await call('POST', `${chatsUrl()}/sync`)).body).toEqual({ synced: 2, dismissed: 0 });
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

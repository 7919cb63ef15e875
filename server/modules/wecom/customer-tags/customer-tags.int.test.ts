import { beforeEach, describe, expect, it } from 'vitest';
import { loginAs, setupRoot, type Caller } from '../../../../test/support/callers';
import { useTestApp } from '../../../../test/support/test-app';
import { callWeCom, connectSandboxCorp, listenForCallbacks, type ConnectedCorp } from '../../../../test/support/wecom-corp-kit';
import type { CustomerTagConflict, CustomerTagGroup, CustomerTagLibrary, TagRule } from './customer-tags.schema';

const t = useTestApp();
let root: Caller;
let corp: ConnectedCorp;

/** Someone changes the tag library in the WeCom admin console: WeCom then pushes change_external_tag (it never does for API calls). */
async function inAdminConsole(action: 'add' | 'edit' | 'delete', body: object): Promise<Record<string, unknown>> {
  const answer = await t().app.inject({ method: 'POST', url: `/sandbox/control/wecom-corps/${corp.corpId}/corp-tags`, headers: root.headers, payload: { action, body } });
  return answer.json() as Record<string, unknown>;
}

async function call(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object, caller: Caller = root) {
  const response = await t().app.inject({ method, url, headers: caller.headers, ...(payload ? { payload } : {}) });
  return { status: response.statusCode, body: (response.body ? response.json() : null) as Record<string, unknown> & { code?: string; details?: Record<string, unknown> } };
}

const tagsUrl = () => `/api/v1/wecom/${corp.accountId}/customer-tags`;
const library = async () => (await call('GET', tagsUrl())).body as unknown as CustomerTagLibrary;

interface WeComGroup {
  group_id: string;
  group_name: string;
  order: number;
  tag: { id: string; name: string; order: number }[];
}
async function weComTags(): Promise<WeComGroup[]> {
  const answer = await callWeCom(corp, 'customer-contact', 'POST', 'cgi-bin/externalcontact/get_corp_tag_list', {});
  return answer.tag_group as WeComGroup[];
}

async function createGroup(name: string, tags: string[]): Promise<CustomerTagGroup> {
  const created = await call('POST', `${tagsUrl()}/groups`, { name, tags: tags.map((n) => ({ name: n })) });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as unknown as CustomerTagGroup;
}

/** Departments and members copied from the sandbox corp into Qiao's directory (scopes are checked against it). */
async function copyDirectory(): Promise<void> {
  const departments = (await callWeCom(corp, 'contacts', 'GET', 'cgi-bin/department/list')).department as { id: number; parentid: number; name: string }[];
  await t().app.wecomDepartments.service.upsertDepartments(
    null,
    corp.accountId,
    departments.filter((d) => d.id !== 1).map((d) => ({ id: d.id, parentId: d.parentid, name: d.name })),
    { origin: 'sync' },
  );
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

async function customerOf(userid: string): Promise<string> {
  const created = await call('POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers`, { count: 1, userid });
  expect(created.status).toBe(201);
  return (created.body.customers as { externalUserId: string }[])[0]!.externalUserId;
}

async function tagsOnCustomer(externalUserId: string, userid: string): Promise<string[]> {
  const answer = await callWeCom(corp, 'customer-contact', 'GET', 'cgi-bin/externalcontact/get', undefined, { external_userid: externalUserId });
  const follow = (answer.follow_user as { userid: string; tags: { tag_id: string }[] }[]).find((f) => f.userid === userid);
  return (follow?.tags ?? []).map((t) => t.tag_id);
}

beforeEach(async () => {
  root = await setupRoot(t().app);
  const base = await listenForCallbacks(t().app);
  corp = await connectSandboxCorp(t().app, base, root, { departments: 3, members: 3 });
});

describe('customer tags, two-way with WeCom', () => {
  it('creates, renames, reorders and deletes in Qiao, and WeCom follows', async () => {
    const group = await createGroup('客户等级', ['高意向', '低意向']);
    expect(group.state).toBe('synced');
    expect(group.tags.every((tag) => tag.wecomId && tag.state === 'synced')).toBe(true);
    let remote = await weComTags();
    expect(remote.map((g) => g.group_name)).toEqual(['客户等级']);
    expect(remote[0]!.tag.map((tag) => tag.name).sort()).toEqual(['低意向', '高意向']);

    const high = group.tags.find((tag) => tag.name === '高意向')!;
    expect((await call('PATCH', `${tagsUrl()}/tags/${high.id}`, { name: '高意向客户', order: 9 })).status).toBe(200);
    remote = await weComTags();
    expect(remote[0]!.tag.find((tag) => tag.id === high.wecomId)).toMatchObject({ name: '高意向客户', order: 9 });

    const added = await call('POST', `${tagsUrl()}/groups/${group.id}/tags`, { name: '已成交' });
    expect(added.status).toBe(201);
    expect((await weComTags())[0]!.tag).toHaveLength(3);

    expect((await call('DELETE', `${tagsUrl()}/tags/${high.id}`)).status).toBe(204);
    expect((await weComTags())[0]!.tag.map((tag) => tag.name).sort()).toEqual(['低意向', '已成交']);
    expect((await call('DELETE', `${tagsUrl()}/groups/${group.id}`)).status).toBe(204);
    expect(await weComTags()).toEqual([]);
    expect((await library()).groups).toEqual([]);
  });

  it('takes changes made in WeCom from the change_external_tag events', async () => {
    const created = await inAdminConsole('add', { group_name: '来源', tag: [{ name: '展会' }, { name: '官网' }] });
    expect(created.errcode).toBe(0);
    let lib = await library();
    expect(lib.groups.map((g) => g.name)).toEqual(['来源']);
    expect(lib.groups[0]!.tags.map((tag) => tag.name).sort()).toEqual(['官网', '展会']);
    expect(lib.lastPulledAt).not.toBeNull();

    const expo = (created.tag_group as WeComGroup).tag.find((tag) => tag.name === '展会')!;
    expect((await inAdminConsole('edit', { id: expo.id, name: '线下展会' })).errcode).toBe(0);
    lib = await library();
    expect(lib.groups[0]!.tags.map((tag) => tag.name).sort()).toEqual(['官网', '线下展会']);

    expect((await inAdminConsole('delete', { tag_id: [expo.id] })).errcode).toBe(0);
    lib = await library();
    expect(lib.groups[0]!.tags.map((tag) => tag.name)).toEqual(['官网']);
  });

  it('shows a tag changed on both sides as a conflict, overwrites neither, and lets the admin pick', async () => {
    const group = await createGroup('行业', ['制造业']);
    const tag = group.tags[0]!;
    // WeCom cannot take Qiao's rename now: the intent stays, unapplied.
    await call('POST', '/sandbox/control/faults', { product: 'wecom', path: 'cgi-bin/externalcontact/edit_corp_tag', errcode: 45033, count: 1 });
    const kept = await call('PATCH', `${tagsUrl()}/tags/${tag.id}`, { name: '智能制造' });
    expect(kept.status).toBe(503);
    expect(kept.body).toMatchObject({ code: 'CUSTOMER_TAG_CHANGE_KEPT', details: { errcode: 45033 } });
    expect((await library()).groups[0]!.tags[0]).toMatchObject({ name: '智能制造', state: 'pending' });

    // Meanwhile someone renames it in WeCom.
    expect((await inAdminConsole('edit', { id: tag.wecomId, name: '传统制造' })).errcode).toBe(0);
    const conflicts = (await call('GET', `${tagsUrl()}/conflicts`)).body.items as CustomerTagConflict[];
    expect(conflicts).toEqual([
      expect.objectContaining({ id: tag.id, kind: 'tag', groupName: '行业', qiao: { name: '智能制造', order: 0 }, wecom: { name: '传统制造', order: 0 }, base: { name: '制造业', order: 0 } }),
    ]);

    // A sync leaves both sides as they are.
    const synced = await call('POST', `${tagsUrl()}/sync`);
    expect(synced.body).toMatchObject({ conflicts: 0, pushed: 0 });
    expect((await weComTags())[0]!.tag[0]!.name).toBe('传统制造');
    expect((await library()).groups[0]!.tags[0]).toMatchObject({ name: '智能制造', state: 'conflict' });
    expect((await call('PATCH', `${tagsUrl()}/tags/${tag.id}`, { name: '别的' })).body.code).toBe('CUSTOMER_TAG_UNSETTLED');

    const resolved = await call('POST', `${tagsUrl()}/conflicts/${tag.id}/resolve`, { side: 'qiao' });
    expect(resolved.status).toBe(200);
    expect((await weComTags())[0]!.tag[0]!.name).toBe('智能制造');
    expect((await library()).groups[0]!.tags[0]).toMatchObject({ name: '智能制造', state: 'synced' });
    expect((await call('GET', `${tagsUrl()}/conflicts`)).body.items).toEqual([]);
  });

  it('keeps a Qiao edit of a tag WeCom deleted as a conflict, and takes WeCom’s side when asked', async () => {
    const group = await createGroup('区域', ['华东', '华南']);
    const east = group.tags.find((tag) => tag.name === '华东')!;
    await call('POST', '/sandbox/control/faults', { product: 'wecom', path: 'cgi-bin/externalcontact/edit_corp_tag', errcode: 45033, count: 1 });
    expect((await call('PATCH', `${tagsUrl()}/tags/${east.id}`, { order: 5 })).body.code).toBe('CUSTOMER_TAG_CHANGE_KEPT');
    expect((await inAdminConsole('delete', { tag_id: [east.wecomId] })).errcode).toBe(0);
    const conflicts = (await call('GET', `${tagsUrl()}/conflicts`)).body.items as CustomerTagConflict[];
    expect(conflicts).toEqual([expect.objectContaining({ id: east.id, qiao: { name: '华东', order: 5 }, wecom: null })]);
    expect((await call('POST', `${tagsUrl()}/conflicts/${east.id}/resolve`, { side: 'wecom' })).status).toBe(200);
    expect((await library()).groups[0]!.tags.map((tag) => tag.name)).toEqual(['华南']);
  });

  it('refuses what WeCom would refuse before calling it, naming the limit', async () => {
    const long = await call('POST', `${tagsUrl()}/groups`, { name: '客'.repeat(31), tags: [{ name: 'a' }] });
    expect(long.status).toBe(400);
    expect(long.body).toMatchObject({ code: 'CUSTOMER_TAG_NAME_INVALID', details: { max: 30, actual: 31 } });
    expect(long.body.details).not.toHaveProperty('errcode');
    expect((await call('POST', `${tagsUrl()}/groups`, { name: '空组', tags: [] })).body.code).toBe('CUSTOMER_TAG_GROUP_EMPTY');
    expect((await call('POST', `${tagsUrl()}/groups`, { name: '排序', order: 2 ** 32, tags: [{ name: 'a' }] })).body.code).toBe('CUSTOMER_TAG_ORDER_INVALID');
    expect((await call('POST', `${tagsUrl()}/groups`, { name: '重复', tags: [{ name: 'a' }, { name: 'a' }] })).body.code).toBe('CUSTOMER_TAG_NAME_TAKEN');
    await createGroup('等级', ['A']);
    expect((await call('POST', `${tagsUrl()}/groups`, { name: '等级', tags: [{ name: 'B' }] })).body.code).toBe('CUSTOMER_TAG_GROUP_NAME_TAKEN');
    expect(await weComTags()).toHaveLength(1);
  });

  it('explains WeCom’s refusal with its errcode and keeps nothing half-created', async () => {
    await call('POST', '/sandbox/control/faults', { product: 'wecom', path: 'cgi-bin/externalcontact/add_corp_tag', errcode: 84074, count: 1 });
    const refused = await call('POST', `${tagsUrl()}/groups`, { name: '来源', tags: [{ name: '展会' }] });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'CUSTOMER_TAG_WECHAT_REFUSED', details: { errcode: 84074 } });
    expect((await library()).groups).toEqual([]);
  });

  it('marks a customer within the caller’s reach only', async () => {
    await copyDirectory();
    const group = await createGroup('意向', ['高', '低']);
    const [high, low] = group.tags.map((tag) => tag.wecomId!);
    const mine = await customerOf('user00001');
    const theirs = await customerOf('user00002');
    const password = 'sales1-password';
    expect((await call('POST', '/api/v1/users', { username: 'sales1', displayName: '销售一', role: 'member', password, departmentScopes: [], wecomMembers: [{ accountId: corp.accountId, userid: 'user00001' }] })).status).toBe(201);
    const member = await loginAs(t().app, 'sales1', password);

    const marked = await call('POST', `${tagsUrl()}/mark`, { userid: 'user00001', externalUserId: mine, add: [high, low] }, member);
    expect(marked.status, JSON.stringify(marked.body)).toBe(200);
    expect((await tagsOnCustomer(mine, 'user00001')).sort()).toEqual([high, low].sort());
    expect((await call('POST', `${tagsUrl()}/mark`, { userid: 'user00001', externalUserId: mine, remove: [low] }, member)).status).toBe(200);
    expect(await tagsOnCustomer(mine, 'user00001')).toEqual([high]);

    const forbidden = await call('POST', `${tagsUrl()}/mark`, { userid: 'user00002', externalUserId: theirs, add: [high] }, member);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('CUSTOMER_TAG_MARK_FORBIDDEN');
    expect(await tagsOnCustomer(theirs, 'user00002')).toEqual([]);

    const user2 = (await callWeCom(corp, 'contacts', 'GET', 'cgi-bin/user/get', undefined, { userid: 'user00002' })) as { department: number[] };
    await call('POST', '/api/v1/users', { username: 'lead2', displayName: '主管', role: 'dept_admin', password: 'lead2-password', departmentScopes: [{ accountId: corp.accountId, departmentId: user2.department[0] }] });
    const lead = await loginAs(t().app, 'lead2', 'lead2-password');
    expect((await call('POST', `${tagsUrl()}/mark`, { userid: 'user00002', externalUserId: theirs, add: [low] }, lead)).status).toBe(200);
    expect((await call('POST', `${tagsUrl()}/mark`, { userid: 'user00001', externalUserId: mine, add: [low] }, lead)).status).toBe(403);

    // Root may; WeCom's 84061 (not this member's customer) is named.
    expect((await call('POST', `${tagsUrl()}/mark`, { userid: 'user00002', externalUserId: theirs, add: [high] })).status).toBe(200);
    expect((await tagsOnCustomer(theirs, 'user00002')).sort()).toEqual([high, low].sort());
    expect((await call('POST', `${tagsUrl()}/mark`, { userid: 'user00002', externalUserId: mine, add: [high] })).body.code).toBe('CUSTOMER_TAG_NOT_CUSTOMER');
    expect((await call('POST', `${tagsUrl()}/mark`, { userid: 'user00001', externalUserId: mine, add: ['etUnknown'] })).body.code).toBe('CUSTOMER_TAG_NOT_FOUND');
  });

  it('leaves the tag library, its conflicts and the auto-tag rules to admins: a member is refused and nothing changes', async () => {
    await copyDirectory();
    const group = await createGroup('意向', ['高', '低']);
    const high = group.tags.find((tag) => tag.name === '高');
    const low = group.tags.find((tag) => tag.name === '低');
    const rule = await call('POST', `${tagsUrl()}/rules`, { name: '展会码', trigger: 'state', value: 'expo2026', tagIds: [high!.wecomId] });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    const ruleId = rule.body.id as string;
    await call('POST', '/api/v1/users', { username: 'sales1', displayName: '销售一', role: 'member', password: 'sales1-password', departmentScopes: [], wecomMembers: [{ accountId: corp.accountId, userid: 'user00001' }] });
    const member = await loginAs(t().app, 'sales1', 'sales1-password');
    const rules = async () => (await call('GET', `${tagsUrl()}/rules`)).body.items;
    const before = { library: await library(), wecom: await weComTags(), rules: await rules() };

    const attempts: [method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: object][] = [
      ['POST', '/sync'],
      ['POST', '/groups', { name: '新分组', tags: [{ name: '新标签' }] }],
      ['PATCH', `/groups/${group.id}`, { name: '改名' }],
      ['DELETE', `/groups/${group.id}`],
      ['POST', `/groups/${group.id}/tags`, { name: '中' }],
      ['PATCH', `/tags/${high!.id}`, { name: '很高', order: 3 }],
      ['DELETE', `/tags/${low!.id}`],
      ['POST', `/conflicts/${high!.id}/resolve`, { side: 'qiao' }],
      ['POST', '/rules', { name: '扫码', trigger: 'add_way', value: '1', tagIds: [low!.wecomId] }],
      ['PUT', `/rules/${ruleId}`, { name: '改规则', trigger: 'state', value: 'other', tagIds: [low!.wecomId] }],
      ['DELETE', `/rules/${ruleId}`],
    ];
    for (const [method, path, body] of attempts) {
      const refused = await call(method, `${tagsUrl()}${path}`, body, member);
      expect(refused, `${method} ${path}`).toMatchObject({ status: 403, body: { code: 'FORBIDDEN', details: { permission: 'wecom.customers.manage' } } });
    }
    expect({ library: await library(), wecom: await weComTags(), rules: await rules() }).toEqual(before);

    // Marking the member's own customer is its work and stays allowed.
    const mine = await customerOf('user00001');
    expect((await call('POST', `${tagsUrl()}/mark`, { userid: 'user00001', externalUserId: mine, add: [high!.wecomId] }, member)).status).toBe(200);

    // A department admin manages customer contact and may.
    const user2 = (await callWeCom(corp, 'contacts', 'GET', 'cgi-bin/user/get', undefined, { userid: 'user00002' })) as { department: number[] };
    await call('POST', '/api/v1/users', { username: 'lead2', displayName: '主管', role: 'dept_admin', password: 'lead2-password', departmentScopes: [{ accountId: corp.accountId, departmentId: user2.department[0] }] });
    const lead = await loginAs(t().app, 'lead2', 'lead2-password');
    expect((await call('PATCH', `${tagsUrl()}/tags/${high!.id}`, { name: '很高' }, lead)).status).toBe(200);
    expect((await call('POST', `${tagsUrl()}/groups/${group.id}/tags`, { name: '中' }, lead)).status).toBe(201);
    expect((await call('PUT', `${tagsUrl()}/rules/${ruleId}`, { name: '改规则', trigger: 'state', value: 'other', tagIds: [low!.wecomId] }, lead)).status).toBe(200);
    expect((await weComTags())[0]!.tag.map((tag) => tag.name).sort()).toEqual(['中', '低', '很高'].sort());
  });

  it('tags a customer added through a code’s state, once however often the event comes', async () => {
    const group = await createGroup('渠道', ['2026展会']);
    const tagId = group.tags[0]!.wecomId!;
    const rule = await call('POST', `${tagsUrl()}/rules`, { name: '展会码', trigger: 'state', value: 'expo2026', tagIds: [tagId] });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    const created = await call('POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers`, { count: 2 });
    const [visitor, other] = (created.body.customers as { externalUserId: string }[]).map((c) => c.externalUserId);
    expect((await call('POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers/${visitor}/add-member`, { userid: 'user00001', state: 'expo2026' })).status).toBe(200);
    expect((await call('POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers/${other}/add-member`, { userid: 'user00001', state: 'web' })).status).toBe(200);
    expect(await tagsOnCustomer(visitor!, 'user00001')).toEqual([tagId]);
    expect(await tagsOnCustomer(other!, 'user00001')).toEqual([]);

    // The same event handled again (a replay) tags nobody twice.
    for (let i = 0; i < 3; i++) expect(await t().app.wecomCustomerTags.service.applyAddRules(corp.accountId, 'user00001', visitor!, 'expo2026')).toBe(0);
    const rules = (await call('GET', `${tagsUrl()}/rules`)).body.items as TagRule[];
    expect(rules[0]).toMatchObject({ name: '展会码', applied: 1 });
  });

  it('tags by source and by keyword through applyKeywordRules', async () => {
    const group = await createGroup('兴趣', ['要报价', '扫码客户']);
    const [quote, scanned] = group.tags.map((tag) => tag.wecomId!);
    expect((await call('POST', `${tagsUrl()}/rules`, { name: '报价', trigger: 'keyword', match: 'contains', value: '报价', tagIds: [quote] })).status).toBe(201);
    expect((await call('POST', `${tagsUrl()}/rules`, { name: '扫码', trigger: 'add_way', value: '1', tagIds: [scanned] })).status).toBe(201);
    expect((await call('POST', `${tagsUrl()}/rules`, { name: '坏的', trigger: 'add_way', value: '扫码', tagIds: [scanned] })).status).toBe(400);
    expect((await call('POST', `${tagsUrl()}/rules`, { name: '未知', trigger: 'keyword', value: 'x', tagIds: ['etNope'] })).body.code).toBe('CUSTOMER_TAG_NOT_FOUND');

    const created = await call('POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers`, { count: 1 });
    const customer = (created.body.customers as { externalUserId: string }[])[0]!.externalUserId;
    await call('POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers/${customer}/add-member`, { userid: 'user00002' });
    expect(await tagsOnCustomer(customer, 'user00002')).toEqual([scanned]);

    const service = t().app.wecomCustomerTags.service;
    expect(await service.applyKeywordRules(corp.accountId, 'user00002', customer, '客户说下周要一份报价单')).toBe(1);
    expect(await service.applyKeywordRules(corp.accountId, 'user00002', customer, '再问报价')).toBe(0);
    expect(await service.applyKeywordRules(corp.accountId, 'user00002', customer, '只是闲聊')).toBe(0);
    expect((await tagsOnCustomer(customer, 'user00002')).sort()).toEqual([quote, scanned].sort());
  });

  it('tags a customer when a member’s follow-up note holds a rule’s keyword', async () => {
    const group = await createGroup('意向', ['想试用']);
    const trial = group.tags[0]!.wecomId!;
    expect((await call('POST', `${tagsUrl()}/rules`, { name: '试用', trigger: 'keyword', match: 'contains', value: '试用', tagIds: [trial] })).status).toBe(201);
    const created = await call('POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers`, { count: 1, userid: 'user00003' });
    const customer = (created.body.customers as { externalUserId: string }[])[0]!.externalUserId;
    const written = await call('POST', `/api/v1/wecom/${corp.accountId}/customers/${customer}/follow-ups`, { userid: 'user00003', note: '电话沟通，客户想先试用两周', stage: 'needs_confirmed' });
    expect(written.status, JSON.stringify(written.body)).toBe(201);
    const until = Date.now() + 10_000;
    let tags = await tagsOnCustomer(customer, 'user00003');
    while (!tags.includes(trial) && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      tags = await tagsOnCustomer(customer, 'user00003');
    }
    expect(tags).toEqual([trial]);
  });
});

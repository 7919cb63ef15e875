import { beforeAll, describe, expect, it } from 'vitest';
import { loginAs, setupRoot, type Caller } from '../../../../test/support/callers';
import { useTestApp } from '../../../../test/support/test-app';
import { connectSandboxCorp, listenForCallbacks, type ConnectedCorp } from '../../../../test/support/wecom-corp-kit';
import { wecomCustomers } from '../customers';
import type { QuickReply, Rendered } from './quick-replies.schema';

const t = useTestApp();
let base = '';

beforeAll(async () => {
  base = await listenForCallbacks(t().app);
});

async function call(caller: Caller, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) {
  const response = await t().app.inject({ method, url, headers: caller.headers, ...(payload ? { payload } : {}) });
  return { status: response.statusCode, body: (response.body ? response.json() : null) as Record<string, unknown> & { code?: string } };
}

async function user(root: Caller, spec: { username: string; role: 'dept_admin' | 'member'; departmentScopes?: { accountId: string; departmentId: number }[]; wecomMembers?: { accountId: string; userid: string }[] }) {
  const password = `${spec.username}-password`;
  const created = await call(root, 'POST', '/api/v1/users', { displayName: spec.username, departmentScopes: [], wecomMembers: [], ...spec, password });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return loginAs(t().app, spec.username, password);
}

interface World {
  root: Caller;
  corp: ConnectedCorp;
  url: string;
  /** user00001 (department 2) */
  member1: Caller;
  /** user00002 (department 3) */
  member2: Caller;
  admin3: Caller;
  /** user00001's */
  customer: { externalUserId: string; name: string };
  /** user00002's */
  otherCustomer: { externalUserId: string; name: string };
}

/** Departments 2 and 3 under the root; user00001 in 2, user00002 in 3; one customer each, known to Qiao. */
async function world(): Promise<World> {
  const root = await setupRoot(t().app);
  const corp = await connectSandboxCorp(t().app, base, root, { departments: 2, members: 2, name: '桥沙箱科技' });
  const { accountId } = corp;
  await t().app.wecomDepartments.service.upsertDepartments(
    null,
    accountId,
    [
      { id: 2, parentId: 1, name: '华东区' },
      { id: 3, parentId: 1, name: '华南区' },
    ],
    { origin: 'sync' },
  );
  await t().app.wecomMembers.service.upsertMembers(
    null,
    accountId,
    [
      { userid: 'user00001', name: '张三', status: 'active', departments: [{ departmentId: 2, isMain: true }] },
      { userid: 'user00002', name: '李四', status: 'active', departments: [{ departmentId: 3, isMain: true }] },
    ],
    { origin: 'sync' },
  );
  const customerOf = async (userid: string) => {
    const created = await call(root, 'POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers`, { count: 1, userid });
    const customer = (created.body.customers as { externalUserId: string; name: string }[])[0]!;
    await t().app.wecomCustomers.service.refreshFromWeCom(accountId, customer.externalUserId);
    return customer;
  };
  const customer = await customerOf('user00001');
  const otherCustomer = await customerOf('user00002');
  return {
    root,
    corp,
    url: `/api/v1/wecom/${accountId}/quick-replies`,
    member1: await user(root, { username: 'sales1', role: 'member', wecomMembers: [{ accountId, userid: 'user00001' }] }),
    member2: await user(root, { username: 'sales2', role: 'member', wecomMembers: [{ accountId, userid: 'user00002' }] }),
    admin3: await user(root, { username: 'lead3', role: 'dept_admin', departmentScopes: [{ accountId, departmentId: 3 }] }),
    customer,
    otherCustomer,
  };
}

describe('quick replies', () => {
  it('manages groups and items by role and shows restricted groups to their departments only', async () => {
    const w = await world();
    const common = await call(w.root, 'POST', `${w.url}/groups`, { name: '开场白', order: 1 });
    expect(common.status, JSON.stringify(common.body)).toBe(201);
    expect((await call(w.root, 'POST', `${w.url}/groups`, { name: '开场白' })).body.code).toBe('QUICK_REPLY_GROUP_NAME_TAKEN');
    expect((await call(w.admin3, 'POST', `${w.url}/groups`, { name: '全公司' })).body.code).toBe('QUICK_REPLY_MANAGE_FORBIDDEN');
    expect((await call(w.admin3, 'POST', `${w.url}/groups`, { name: '华东', departmentId: 2 })).body.code).toBe('QUICK_REPLY_DEPARTMENT_OUT_OF_SCOPE');
    expect((await call(w.root, 'POST', `${w.url}/groups`, { name: '不存在', departmentId: 99 })).body.code).toBe('QUICK_REPLY_DEPARTMENT_UNKNOWN');
    expect((await call(w.member1, 'POST', `${w.url}/groups`, { name: '我的' })).status).toBe(403);
    const south = await call(w.admin3, 'POST', `${w.url}/groups`, { name: '华南促销', departmentId: 3, order: 2 });
    expect(south.status).toBe(201);

    const hello = await call(w.root, 'POST', w.url, { groupId: common.body.id, title: '问候', type: 'text', body: { text: '{客户昵称}您好，我是{成员姓名}' } });
    expect(hello.status, JSON.stringify(hello.body)).toBe(201);
    expect(hello.body.variables).toEqual(['客户昵称', '成员姓名']);
    const promo = await call(w.admin3, 'POST', w.url, {
      groupId: south.body.id,
      title: '双十一活动',
      type: 'link',
      body: { title: '{企业名称}双十一', url: 'https://qiao.example/sale', description: '全场八折' },
    });
    expect(promo.status, JSON.stringify(promo.body)).toBe(201);
    expect((await call(w.admin3, 'PATCH', `${w.url}/${hello.body.id as string}`, { title: '改' })).body.code).toBe('QUICK_REPLY_MANAGE_FORBIDDEN');

    const titles = async (caller: Caller, query = '') => ((await call(caller, 'GET', `${w.url}${query}`)).body.items as QuickReply[]).map((i) => i.title);
    expect(await titles(w.root)).toEqual(['问候', '双十一活动']);
    expect(await titles(w.member1)).toEqual(['问候']);
    expect(await titles(w.member2)).toEqual(['问候', '双十一活动']);
    expect(await titles(w.root, '?userid=user00001')).toEqual(['问候']);
    expect((await call(w.member1, 'GET', `${w.url}?userid=user00002`)).status).toBe(404);
    expect(await titles(w.root, '?q=八折')).toEqual(['双十一活动']);
    expect(await titles(w.root, `?groupId=${common.body.id as string}`)).toEqual(['问候']);
    expect((await call(w.member1, 'GET', `${w.url}/${promo.body.id as string}`)).body.code).toBe('QUICK_REPLY_NOT_VISIBLE');
    const groups = (await call(w.member2, 'GET', `${w.url}/groups`)).body.items as { name: string; editable: boolean; itemCount: number }[];
    expect(groups).toEqual([expect.objectContaining({ name: '开场白', editable: false, itemCount: 1 }), expect.objectContaining({ name: '华南促销', editable: false })]);
    expect(((await call(w.admin3, 'GET', `${w.url}/groups`)).body.items as { editable: boolean }[]).map((g) => g.editable)).toEqual([false, true]);

    expect((await call(w.root, 'DELETE', `${w.url}/groups/${common.body.id as string}`)).body.code).toBe('QUICK_REPLY_GROUP_NOT_EMPTY');
    expect((await call(w.root, 'PATCH', `${w.url}/${hello.body.id as string}`, { groupId: south.body.id, order: 5 })).body).toMatchObject({ groupName: '华南促销', order: 5 });
    expect((await call(w.root, 'DELETE', `${w.url}/groups/${common.body.id as string}`)).status).toBe(204);
    expect((await call(w.admin3, 'DELETE', `${w.url}/${promo.body.id as string}`)).status).toBe(204);
    expect(await titles(w.root)).toEqual(['问候']);
  });

  it('leaves managing groups and replies to admins: a member is refused and nothing changes', async () => {
    const w = await world();
    const group = (await call(w.root, 'POST', `${w.url}/groups`, { name: '开场白' })).body.id as string;
    const item = (await call(w.root, 'POST', w.url, { groupId: group, title: '问候', type: 'text', body: { text: '您好' } })).body.id as string;
    const library = async () => ({ groups: (await call(w.root, 'GET', `${w.url}/groups`)).body, items: (await call(w.root, 'GET', w.url)).body });
    const before = await library();

    const attempts: [method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: object][] = [
      ['POST', '/groups', { name: '我的' }],
      ['PATCH', `/groups/${group}`, { name: '改名' }],
      ['DELETE', `/groups/${group}`],
      ['POST', '', { groupId: group, title: '我的话术', type: 'text', body: { text: '你好' } }],
      ['PATCH', `/${item}`, { title: '改' }],
      ['DELETE', `/${item}`],
    ];
    for (const [method, path, body] of attempts) {
      expect(await call(w.member1, method, `${w.url}${path}`, body), `${method} ${path}`).toMatchObject({ status: 403, body: { code: 'FORBIDDEN', details: { permission: 'wecom.customers.manage' } } });
    }
    expect(await library()).toEqual(before);
    // Using the library stays a member's.
    expect(((await call(w.member1, 'GET', w.url)).body.items as QuickReply[]).map((i) => i.title)).toEqual(['问候']);
  });

  it('checks WeChat’s limits and variables when saving', async () => {
    const w = await world();
    const group = (await call(w.root, 'POST', `${w.url}/groups`, { name: '常用' })).body.id as string;
    const create = (type: string, body: object) => call(w.root, 'POST', w.url, { groupId: group, title: '条目', type, body });
    const long = await create('text', { text: '好'.repeat(1334) });
    expect(long.body).toMatchObject({ code: 'QUICK_REPLY_TOO_LONG', details: { field: 'text', bytes: 4002, max: 4000 } });
    expect(long.body.message).toContain('4000');
    expect((await create('text', { text: '{客户名}您好' })).body).toMatchObject({ code: 'QUICK_REPLY_UNKNOWN_VARIABLE', details: { name: '客户名' } });
    expect((await create('link', { title: '链接', url: 'ftp://x' })).body.code).toBe('QUICK_REPLY_URL_INVALID');
    expect((await create('link', { title: '长'.repeat(43), url: 'https://qiao.example' })).body.code).toBe('QUICK_REPLY_TOO_LONG');
    expect((await create('image', {})).body).toMatchObject({ code: 'QUICK_REPLY_FIELD_REQUIRED', details: { field: 'picUrl' } });
    expect((await create('miniprogram', { title: '小程序', appid: 'wx0000000000000001', page: 'pages/index' })).body.code).toBe('QUICK_REPLY_FIELD_REQUIRED');
    expect((await create('image', { picUrl: 'https://qiao.example/a.png' })).status).toBe(201);
    expect(((await call(w.root, 'GET', w.url)).body.items as unknown[]).length).toBe(1);
  });

  it('renders variables for a customer and member, within the limits', async () => {
    const w = await world();
    const group = (await call(w.root, 'POST', `${w.url}/groups`, { name: '常用' })).body.id as string;
    const text = await call(w.root, 'POST', w.url, { groupId: group, title: '问候', type: 'text', body: { text: '{客户昵称}您好，我是{企业名称}的{成员姓名}' } });
    const url = `${w.url}/${text.body.id as string}/render`;

    const rendered = await call(w.member1, 'POST', url, { externalUserId: w.customer.externalUserId });
    expect(rendered.status, JSON.stringify(rendered.body)).toBe(200);
    const answer = rendered.body as unknown as Rendered;
    expect(answer.body.text).toBe(`${w.customer.name}您好，我是桥沙箱科技的张三`);
    expect(answer.message).toEqual({ msgtype: 'text', text: { content: answer.body.text } });
    expect(answer.values).toEqual({ 客户昵称: w.customer.name, 企业名称: '桥沙箱科技', 成员姓名: '张三' });

    expect((await call(w.member1, 'POST', url, {})).body.code).toBe('QUICK_REPLY_RENDER_CUSTOMER_REQUIRED');
    expect((await call(w.root, 'POST', url, { externalUserId: w.customer.externalUserId })).body.code).toBe('QUICK_REPLY_RENDER_MEMBER_REQUIRED');
    const forOther = (await call(w.root, 'POST', url, { externalUserId: w.customer.externalUserId, userid: 'user00002' })).body as unknown as Rendered;
    expect(forOther.body.text).toBe(`${w.customer.name}您好，我是桥沙箱科技的李四`);
    expect((await call(w.member1, 'POST', url, { externalUserId: w.customer.externalUserId, userid: 'user00002' })).body.code).toBe('QUICK_REPLY_RENDER_MEMBER_UNKNOWN');
    expect((await call(w.member1, 'POST', url, { externalUserId: 'wmNoSuchCustomer0000000000000' })).body.code).toBe('WECOM_CUSTOMER_NOT_FOUND');
    // Known to Qiao but gone from WeCom: WeCom's answer is named.
    const now = new Date();
    await t().db.handle.db.insert(wecomCustomers).values({ accountId: w.corp.accountId, externalUserid: 'wmGoneFromWeCom00000000000000', firstAddedAt: now, createdAt: now, updatedAt: now });
    const missing = await call(w.root, 'POST', url, { externalUserId: 'wmGoneFromWeCom00000000000000', userid: 'user00001' });
    expect(missing.body).toMatchObject({ code: 'QUICK_REPLY_RENDER_CUSTOMER_UNKNOWN', details: { errcode: 40096 } });

    // A template inside the limit can overflow once filled: the rendered text is checked again.
    const edge = await call(w.root, 'POST', w.url, { groupId: group, title: '长', type: 'text', body: { text: `${'好'.repeat(1328)}ab{企业名称}` } });
    expect(edge.status).toBe(201);
    const overflow = await call(w.member1, 'POST', `${w.url}/${edge.body.id as string}/render`, { externalUserId: w.customer.externalUserId });
    expect(overflow.body).toMatchObject({ code: 'QUICK_REPLY_TOO_LONG', details: { field: 'text', max: 4000 } });

    const link = await call(w.root, 'POST', w.url, { groupId: group, title: '资料', type: 'link', body: { title: '给{客户昵称}的资料', url: 'https://qiao.example/doc', picUrl: 'https://qiao.example/c.png' } });
    const linkRendered = (await call(w.member1, 'POST', `${w.url}/${link.body.id as string}/render`, { externalUserId: w.customer.externalUserId })).body as unknown as Rendered;
    expect(linkRendered.message).toEqual({ msgtype: 'link', link: { title: `给${w.customer.name}的资料`, url: 'https://qiao.example/doc', picurl: 'https://qiao.example/c.png' } });
  });

  it('fills a customer’s values only for a customer within the caller’s reach, as the customer list does', async () => {
    const w = await world();
    const group = (await call(w.root, 'POST', `${w.url}/groups`, { name: '常用' })).body.id as string;
    const greeting = await call(w.root, 'POST', w.url, { groupId: group, title: '称呼', type: 'text', body: { text: '{客户昵称}您好' } });
    const url = `${w.url}/${greeting.body.id as string}/render`;
    const render = (caller: Caller, customer: { externalUserId: string }, userid?: string) => call(caller, 'POST', url, { externalUserId: customer.externalUserId, ...(userid ? { userid } : {}) });

    const refused = await render(w.member1, w.otherCustomer);
    expect(refused).toMatchObject({ status: 404, body: { code: 'WECOM_CUSTOMER_NOT_FOUND', details: { externalUserId: w.otherCustomer.externalUserId } } });
    expect(JSON.stringify(refused.body)).not.toContain(w.otherCustomer.name);
    expect((await render(w.member2, w.customer)).body.code).toBe('WECOM_CUSTOMER_NOT_FOUND');
    expect((await render(w.member2, w.otherCustomer)).body).toMatchObject({ values: { 客户昵称: w.otherCustomer.name } });

    // A department admin reaches the customers of its subtree's members (department 3: user00002) only.
    expect((await render(w.admin3, w.otherCustomer, 'user00002')).body).toMatchObject({ values: { 客户昵称: w.otherCustomer.name } });
    expect((await render(w.admin3, w.customer)).body.code).toBe('WECOM_CUSTOMER_NOT_FOUND');

    for (const customer of [w.customer, w.otherCustomer]) expect((await render(w.root, customer)).body).toMatchObject({ values: { 客户昵称: customer.name } });
  });
});

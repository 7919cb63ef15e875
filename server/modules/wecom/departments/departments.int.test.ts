import { beforeEach, describe, expect, it } from 'vitest';
import { useTestApp } from '../../../../test/support/test-app';
import { type Caller, setupRoot, userSession } from '../../../../test/support/callers';

const t = useTestApp();

let root: Caller;
let corpId: string;

async function call(caller: Caller, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) {
  const response = await t().app.inject({ method, url, headers: caller.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: response.statusCode, body: response.body ? (response.json() as Record<string, unknown>) : {} };
}

async function connectCorp(name: string, corp = 'ww1234567890abcdef'): Promise<string> {
  const created = await call(root, 'POST', '/api/v1/accounts', { type: 'wecom', name, corpId: corp, receivers: [{ receiver: 'contacts', secret: 's'.repeat(43) }] });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

async function createDepartment(parentId: number, name: string, extra: Record<string, unknown> = {}) {
  const created = await call(root, 'POST', `/api/v1/wecom/${corpId}/departments`, { parentId, name, ...extra });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as number;
}

const listed = async (caller: Caller = root) => {
  const response = await call(caller, 'GET', `/api/v1/wecom/${corpId}/departments`);
  expect(response.status).toBe(200);
  return response.body.items as { id: number; parentId: number; name: string; order: number; memberCount: number; synced: boolean }[];
};

beforeEach(async () => {
  root = await setupRoot(t().app);
  corpId = await connectCorp('桥科技');
});

describe('department tree', () => {
  it('creates the root department from the account name on first use', async () => {
    expect(await listed()).toEqual([expect.objectContaining({ id: 1, parentId: 0, name: '桥科技', synced: false })]);
  });

  it('creates departments with a free id, or the id the creator chose within WeCom’s range', async () => {
    const east = await createDepartment(1, '华东区');
    expect(east).toBe(2);
    expect(await createDepartment(east, '上海店', { id: 500 })).toBe(500);
    expect(await createDepartment(1, '市场部')).toBe(501);
    const taken = await call(root, 'POST', `/api/v1/wecom/${corpId}/departments`, { parentId: 1, name: '财务部', id: 500 });
    expect(taken).toMatchObject({ status: 409, body: { code: 'WECOM_DEPARTMENT_ID_TAKEN' } });
    const rootId = await call(root, 'POST', `/api/v1/wecom/${corpId}/departments`, { parentId: 1, name: '财务部', id: 1 });
    expect(rootId.status).toBe(400);
  });

  it('lists parents before children and siblings by WeCom order, larger first', async () => {
    const east = await createDepartment(1, '华东区', { order: 10 });
    await createDepartment(1, '市场部', { order: 20 });
    await createDepartment(east, '上海店');
    expect((await listed()).map((d) => d.name)).toEqual(['桥科技', '市场部', '华东区', '上海店']);
  });

  it('refuses names WeCom refuses and says which rule', async () => {
    const bad = await call(root, 'POST', `/api/v1/wecom/${corpId}/departments`, { parentId: 1, name: '销售*部' });
    expect(bad).toMatchObject({ status: 400, body: { code: 'WECOM_DEPARTMENT_NAME_CHARACTERS' } });
    expect(bad.body.message).toContain('*');
    const long = await call(root, 'POST', `/api/v1/wecom/${corpId}/departments`, { parentId: 1, name: '部'.repeat(65) });
    expect(long).toMatchObject({ status: 400 });
    await createDepartment(1, '华东区');
    const twin = await call(root, 'POST', `/api/v1/wecom/${corpId}/departments`, { parentId: 1, name: '华东区' });
    expect(twin).toMatchObject({ status: 409, body: { code: 'WECOM_DEPARTMENT_NAME_TAKEN' } });
    const orphan = await call(root, 'POST', `/api/v1/wecom/${corpId}/departments`, { parentId: 99, name: '无主' });
    expect(orphan).toMatchObject({ status: 400, body: { code: 'WECOM_DEPARTMENT_PARENT_NOT_FOUND' } });
  });

  it('stops at WeCom’s 15 levels', async () => {
    let parent = 1;
    for (let level = 2; level <= 15; level++) parent = await createDepartment(parent, `第${level}层`);
    const deeper = await call(root, 'POST', `/api/v1/wecom/${corpId}/departments`, { parentId: parent, name: '第16层' });
    expect(deeper).toMatchObject({ status: 400, body: { code: 'WECOM_DEPARTMENT_TOO_DEEP' } });
  });

  it('renames, moves and reorders, but never under itself or its own sub-department', async () => {
    const east = await createDepartment(1, '华东区');
    const shanghai = await createDepartment(east, '上海店');
    const market = await createDepartment(1, '市场部');
    const renamed = await call(root, 'PATCH', `/api/v1/wecom/${corpId}/departments/${shanghai}`, { name: '上海旗舰店', order: 7 });
    expect(renamed).toMatchObject({ status: 200, body: { name: '上海旗舰店', order: 7, parentId: east } });
    const moved = await call(root, 'PATCH', `/api/v1/wecom/${corpId}/departments/${shanghai}`, { parentId: market });
    expect(moved).toMatchObject({ status: 200, body: { parentId: market } });
    const cycle = await call(root, 'PATCH', `/api/v1/wecom/${corpId}/departments/${market}`, { parentId: shanghai });
    expect(cycle).toMatchObject({ status: 400, body: { code: 'WECOM_DEPARTMENT_CYCLE' } });
    const self = await call(root, 'PATCH', `/api/v1/wecom/${corpId}/departments/${market}`, { parentId: market });
    expect(self).toMatchObject({ status: 400, body: { code: 'WECOM_DEPARTMENT_CYCLE' } });
    const rootMove = await call(root, 'PATCH', `/api/v1/wecom/${corpId}/departments/1`, { parentId: market });
    expect(rootMove).toMatchObject({ status: 400, body: { code: 'WECOM_DEPARTMENT_ROOT_FIXED' } });
  });

  it('deletes only empty departments and never the root', async () => {
    const east = await createDepartment(1, '华东区');
    const shanghai = await createDepartment(east, '上海店');
    const member = await call(root, 'POST', `/api/v1/wecom/${corpId}/members`, { userid: 'zhangsan', name: '张三', mobile: '13800000001', departments: [{ departmentId: shanghai }] });
    expect(member.status).toBe(201);
    expect(await call(root, 'DELETE', `/api/v1/wecom/${corpId}/departments/${east}`)).toMatchObject({ status: 409, body: { code: 'WECOM_DEPARTMENT_HAS_CHILDREN' } });
    expect(await call(root, 'DELETE', `/api/v1/wecom/${corpId}/departments/${shanghai}`)).toMatchObject({ status: 409, body: { code: 'WECOM_DEPARTMENT_HAS_MEMBERS' } });
    expect((await call(root, 'DELETE', `/api/v1/wecom/${corpId}/members/zhangsan`)).status).toBe(204);
    expect((await call(root, 'DELETE', `/api/v1/wecom/${corpId}/departments/${shanghai}`)).status).toBe(204);
    expect((await call(root, 'DELETE', `/api/v1/wecom/${corpId}/departments/${east}`)).status).toBe(204);
    expect(await call(root, 'DELETE', `/api/v1/wecom/${corpId}/departments/1`)).toMatchObject({ status: 400, body: { code: 'WECOM_DEPARTMENT_ROOT_FIXED' } });
    expect((await listed()).map((d) => d.id)).toEqual([1]);
  });

  it('keeps a department WeCom already has as a hidden tombstone until sync pushes the deletion', async () => {
    const { wecomDepartments } = t().app;
    await wecomDepartments.service.upsertDepartments(null, corpId, [{ id: 7, parentId: 1, name: '来自企业微信' }], { origin: 'sync' });
    expect((await listed()).find((d) => d.id === 7)).toMatchObject({ synced: true });
    expect((await call(root, 'DELETE', `/api/v1/wecom/${corpId}/departments/7`)).status).toBe(204);
    expect((await listed()).map((d) => d.id)).toEqual([1]);
    const all = await wecomDepartments.service.listAllDepartments(corpId);
    expect(all.find((d) => d.id === 7)?.deletedAt).toBeInstanceOf(Date);
    // A new department never reuses the id of a pending deletion.
    expect(await createDepartment(1, '新部门')).toBe(8);
  });

  it('upserts departments idempotently, parents first whatever the order given', async () => {
    const { wecomDepartments } = t().app;
    const batch = [
      { id: 12, parentId: 11, name: '上海店' },
      { id: 11, parentId: 1, name: '华东区', order: 5 },
    ];
    expect(await wecomDepartments.service.upsertDepartments(null, corpId, batch, { origin: 'import' })).toEqual({ created: 2, updated: 0, unchanged: 0 });
    expect(await wecomDepartments.service.upsertDepartments(null, corpId, batch, { origin: 'import' })).toEqual({ created: 0, updated: 0, unchanged: 2 });
    await expect(wecomDepartments.service.upsertDepartments(null, corpId, [{ id: 13, parentId: 12, name: 'a|b' }], { origin: 'import' })).rejects.toMatchObject({
      code: 'WECOM_DEPARTMENT_NAME_CHARACTERS',
    });
  });

  it('answers 404 for an unknown account and 400 for an Official Account', async () => {
    expect((await call(root, 'GET', `/api/v1/wecom/00000000-0000-4000-8000-000000000000/departments`)).body.code).toBe('ACCOUNT_NOT_FOUND');
    const oa = await call(root, 'POST', '/api/v1/accounts', { type: 'official_account', name: '公众号', appId: 'wx1234567890abcdef', appSecret: 's'.repeat(32) });
    expect(oa.status).toBe(201);
    expect(await call(root, 'GET', `/api/v1/wecom/${oa.body.id as string}/departments`)).toMatchObject({ status: 400, body: { code: 'WECOM_ACCOUNT_REQUIRED' } });
  });
});

describe('department admins', () => {
  it('see and change only their subtrees', async () => {
    const east = await createDepartment(1, '华东区');
    const shanghai = await createDepartment(east, '上海店');
    const market = await createDepartment(1, '市场部');
    const admin = await userSession(t().app, root, { username: 'east-admin', role: 'dept_admin', departmentScopes: [{ accountId: corpId, departmentId: east }] });
    expect((await listed(admin)).map((d) => d.id)).toEqual([east, shanghai]);
    expect((await call(admin, 'GET', `/api/v1/wecom/${corpId}/departments/${shanghai}`)).status).toBe(200);
    expect(await call(admin, 'GET', `/api/v1/wecom/${corpId}/departments/${market}`)).toMatchObject({ status: 403, body: { code: 'WECOM_DEPARTMENT_OUT_OF_SCOPE' } });
    expect((await call(admin, 'POST', `/api/v1/wecom/${corpId}/departments`, { parentId: shanghai, name: '销售组' })).status).toBe(201);
    expect((await call(admin, 'POST', `/api/v1/wecom/${corpId}/departments`, { parentId: market, name: '渗透组' })).status).toBe(403);
    expect((await call(admin, 'POST', `/api/v1/wecom/${corpId}/departments`, { parentId: 1, name: '越权部' })).status).toBe(403);
    expect((await call(admin, 'PATCH', `/api/v1/wecom/${corpId}/departments/${market}`, { name: '改名' })).status).toBe(403);
    expect((await call(admin, 'PATCH', `/api/v1/wecom/${corpId}/departments/${shanghai}`, { parentId: market })).status).toBe(403);
    expect((await call(admin, 'PATCH', `/api/v1/wecom/${corpId}/departments/${shanghai}`, { name: '上海一店' })).status).toBe(200);
    expect((await call(admin, 'DELETE', `/api/v1/wecom/${corpId}/departments/${market}`)).status).toBe(403);
    expect((await listed()).map((d) => d.name)).toContain('市场部');
  });

  it('see nothing of a corp outside their scopes', async () => {
    const east = await createDepartment(1, '华东区');
    const other = await connectCorp('另一家', 'wwabcdef1234567890');
    const admin = await userSession(t().app, root, { username: 'east-admin', role: 'dept_admin', departmentScopes: [{ accountId: corpId, departmentId: east }] });
    expect((await call(admin, 'GET', `/api/v1/wecom/${other}/departments`)).body.items).toEqual([]);
  });
});

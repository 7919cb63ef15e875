import { beforeEach, describe, expect, it } from 'vitest';
import { useTestApp } from '../../../../test/support/test-app';
import { type Caller, setupRoot, userSession } from '../../../../test/support/callers';

const t = useTestApp();

let root: Caller;
let corpId: string;
// 1 桥科技 ─┬─ 2 华东区 ─┬─ 3 上海店
//           │            └─ 4 杭州店
//           └─ 5 市场部
const east = 2;
const shanghai = 3;
const hangzhou = 4;
const market = 5;

async function call(caller: Caller, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown) {
  const response = await t().app.inject({ method, url, headers: caller.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: response.statusCode, body: response.body ? (response.json() as Record<string, unknown>) : {} };
}

const members = (path = '') => `/api/v1/wecom/${corpId}/members${path}`;

async function createMember(userid: string, departmentIds: number[], extra: Record<string, unknown> = {}, caller = root) {
  const created = await call(caller, 'POST', members(), {
    userid,
    name: `成员${userid}`,
    email: `${userid.toLowerCase()}@example.com`,
    departments: departmentIds.map((departmentId) => ({ departmentId })),
    ...extra,
  });
  return created;
}

async function listUserids(caller: Caller, query = '') {
  const response = await call(caller, 'GET', members(query ? `?${query}` : ''));
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return (response.body.items as { userid: string }[]).map((m) => m.userid);
}

beforeEach(async () => {
  root = await setupRoot(t().app);
  const corp = await call(root, 'POST', '/api/v1/accounts', { type: 'wecom', name: '桥科技', corpId: 'ww1234567890abcdef', receivers: [{ receiver: 'contacts', secret: 's'.repeat(43) }] });
  corpId = corp.body.id as string;
  await t().app.wecomDepartments.service.upsertDepartments(
    null,
    corpId,
    [
      { id: east, parentId: 1, name: '华东区' },
      { id: shanghai, parentId: east, name: '上海店' },
      { id: hangzhou, parentId: east, name: '杭州店' },
      { id: market, parentId: 1, name: '市场部' },
    ],
    { origin: 'console' },
  );
});

describe('members', () => {
  it('creates a member not yet activated, with several departments, a main one and leader flags', async () => {
    const created = await createMember('zhangsan', [], {
      mobile: '13800000001',
      position: '店长',
      departments: [
        { departmentId: shanghai, isLeader: true, order: 3 },
        { departmentId: market, isMain: true },
      ],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      userid: 'zhangsan',
      status: 'inactive',
      mainDepartmentId: market,
      synced: false,
      departments: [
        { departmentId: shanghai, order: 3, isLeader: true, isMain: false },
        { departmentId: market, order: 0, isLeader: false, isMain: true },
      ],
    });
    expect((await call(root, 'GET', members('/ZhangSan'))).body).toMatchObject({ userid: 'zhangsan', position: '店长' });
  });

  it('treats userids as WeCom does: unique ignoring case', async () => {
    expect((await createMember('ZhangSan', [shanghai])).status).toBe(201);
    const twin = await createMember('zhangsan', [shanghai], { email: 'other@example.com' });
    expect(twin).toMatchObject({ status: 409, body: { code: 'WECOM_MEMBER_USERID_TAKEN', details: { existing: 'ZhangSan' } } });
  });

  it('lets one of two simultaneous creations of the same userid in different case win and refuses the other', async () => {
    const answers = await Promise.all([
      createMember('WangWu', [shanghai], { email: 'wangwu@example.com' }),
      createMember('wangwu', [shanghai], { email: 'wangwu2@example.com' }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    expect(answers.find((a) => a.status === 409)?.body).toMatchObject({ code: 'WECOM_MEMBER_USERID_TAKEN' });
  });

  it('answers each broken rule with its own code and a message naming the field', async () => {
    const badUserid = await createMember('_bad', [shanghai]);
    expect(badUserid).toMatchObject({ status: 400, body: { code: 'WECOM_MEMBER_USERID_FORMAT' } });
    const noContact = await createMember('lisi', [shanghai], { email: null });
    expect(noContact).toMatchObject({ status: 400, body: { code: 'WECOM_MEMBER_CONTACT_REQUIRED' } });
    const unknownDepartment = await createMember('lisi', [99]);
    expect(unknownDepartment).toMatchObject({ status: 400, body: { code: 'WECOM_MEMBER_DEPARTMENT_UNKNOWN' } });
    const longPosition = await createMember('lisi', [shanghai], { position: '职'.repeat(129) });
    expect(longPosition).toMatchObject({ status: 400, body: { code: 'WECOM_MEMBER_FIELD_LENGTH' } });
    expect(longPosition.body.message).toContain('128');
    expect((await createMember('wangwu', [shanghai], { mobile: '13800000009' })).status).toBe(201);
    const sameMobile = await createMember('lisi', [shanghai], { mobile: '13800000009' });
    expect(sameMobile).toMatchObject({ status: 409, body: { code: 'WECOM_MEMBER_MOBILE_TAKEN', details: { existing: 'wangwu' } } });
  });

  it('edits, disables and enables a member; a member that never joined stays not activated', async () => {
    await createMember('zhangsan', [shanghai]);
    const edited = await call(root, 'PATCH', members('/zhangsan'), { position: '店员', departments: [{ departmentId: hangzhou }] });
    expect(edited).toMatchObject({ status: 200, body: { position: '店员', mainDepartmentId: hangzhou } });
    expect((await call(root, 'PATCH', members('/zhangsan'), { status: 'disabled' })).body).toMatchObject({ status: 'disabled' });
    expect((await call(root, 'PATCH', members('/zhangsan'), { status: 'active' })).body).toMatchObject({ status: 'inactive' });
    await t().app.wecomMembers.service.upsertMembers(null, corpId, [{ userid: 'zhangsan', status: 'active' }], { origin: 'sync' });
    expect((await call(root, 'PATCH', members('/zhangsan'), { status: 'disabled' })).body).toMatchObject({ status: 'disabled' });
    expect((await call(root, 'PATCH', members('/zhangsan'), { status: 'active' })).body).toMatchObject({ status: 'active' });
  });

  it('deletes a member', async () => {
    await createMember('zhangsan', [shanghai]);
    expect((await call(root, 'DELETE', members('/ZHANGSAN'))).status).toBe(204);
    expect((await call(root, 'GET', members('/zhangsan'))).status).toBe(404);
  });

  it('counts a subtree without its deleted members or a member placed twice', async () => {
    await createMember('twice', [shanghai, hangzhou]);
    await createMember('kept', [hangzhou]);
    await createMember('gone', [shanghai]);
    expect((await call(root, 'DELETE', members('/gone'))).status).toBe(204);
    const page = await call(root, 'GET', members(`?departmentId=${east}&includeSubdepartments=true&limit=1`));
    expect(page.body).toMatchObject({ total: 2 });
    expect((await call(root, 'GET', members(`?departmentId=${shanghai}&limit=1`))).body).toMatchObject({ total: 1 });
  });

  it('pages by userid with an opaque cursor, totals on the first page', async () => {
    for (let i = 0; i < 7; i++) await createMember(`user${i}`, [shanghai]);
    const first = await call(root, 'GET', members('?limit=3'));
    expect(first.body).toMatchObject({ total: 7 });
    const seen = (first.body.items as { userid: string }[]).map((m) => m.userid);
    let cursor = first.body.nextCursor as string | null;
    while (cursor) {
      const page = await call(root, 'GET', members(`?limit=3&cursor=${cursor}`));
      seen.push(...(page.body.items as { userid: string }[]).map((m) => m.userid));
      cursor = page.body.nextCursor as string | null;
    }
    expect(seen).toEqual(['user0', 'user1', 'user2', 'user3', 'user4', 'user5', 'user6']);
  });

  it('filters by department (with or without sub-departments), status and keyword', async () => {
    await createMember('atEast', [east]);
    await createMember('atShanghai', [shanghai], { position: '收银员' });
    await createMember('atHangzhou', [hangzhou], { mobile: '13900000001' });
    await createMember('atMarket', [market]);
    await call(root, 'PATCH', members('/atMarket'), { status: 'disabled' });
    expect(await listUserids(root, `departmentId=${east}`)).toEqual(['atEast']);
    expect(await listUserids(root, `departmentId=${east}&includeSubdepartments=true`)).toEqual(['atEast', 'atHangzhou', 'atShanghai']);
    expect(await listUserids(root, 'status=disabled')).toEqual(['atMarket']);
    expect(await listUserids(root, 'q=收银')).toEqual(['atShanghai']);
    expect(await listUserids(root, 'q=1390000')).toEqual(['atHangzhou']);
    expect(await listUserids(root, 'q=ATEAST@EXAMPLE')).toEqual(['atEast']);
    expect(await listUserids(root, 'q=%25')).toEqual([]);
  });

  it('searches every shown field, ignoring case, within one field at a time, and follows edits', async () => {
    await createMember('Wang.Wei', [east], { name: '王伟', alias: 'David', position: '店长' });
    await createMember('liNa', [east], { name: '李娜', mobile: '13700000002' });
    expect(await listUserids(root, 'q=wang.w')).toEqual(['Wang.Wei']);
    expect(await listUserids(root, 'q=DAVID')).toEqual(['Wang.Wei']);
    expect(await listUserids(root, 'q=王伟')).toEqual(['Wang.Wei']);
    expect(await listUserids(root, 'q=店长')).toEqual(['Wang.Wei']);
    expect(await listUserids(root, 'q=37000000')).toEqual(['liNa']);
    expect(await listUserids(root, 'q=LINA@EXAMPLE.COM')).toEqual(['liNa']);
    expect(await listUserids(root, 'q=a_w')).toEqual([]);
    // The end of one field and the start of the next are not one word.
    expect(await listUserids(root, 'q=伟david')).toEqual([]);
    expect(await listUserids(root, 'q=娜137')).toEqual([]);
    expect((await call(root, 'GET', members('?q=e&limit=1'))).body).toMatchObject({ total: 2 });
    await call(root, 'PATCH', members('/liNa'), { position: '收银员' });
    expect(await listUserids(root, 'q=收银')).toEqual(['liNa']);
  });

  it('upserts a batch idempotently, creating missing departments by path on request', async () => {
    const { upsertMembers } = t().app.wecomMembers.service;
    const batch = [
      { userid: 'imp1', name: '导入一', mobile: '13700000001', departments: [{ path: ['华东区', '南京店'] }] },
      { userid: 'imp2', name: '导入二', email: 'imp2@example.com', departments: [{ path: ['华东区', '上海店'] }, { departmentId: market, isMain: true }] },
    ];
    expect(await upsertMembers(null, corpId, batch, { origin: 'import', createMissingDepartments: true })).toEqual({ created: 2, updated: 0, unchanged: 0, departmentsCreated: 1 });
    expect(await upsertMembers(null, corpId, batch, { origin: 'import', createMissingDepartments: true })).toEqual({ created: 0, updated: 0, unchanged: 2, departmentsCreated: 0 });
    await expect(upsertMembers(null, corpId, [{ ...batch[0]!, userid: 'imp3', mobile: '13700000003', departments: [{ path: ['华北区'] }] }], { origin: 'import' })).rejects.toMatchObject({
      code: 'WECOM_MEMBER_DEPARTMENT_UNKNOWN',
    });
    await expect(
      upsertMembers(null, corpId, [{ ...batch[0]!, userid: 'IMP2' }, { userid: 'bad id', name: 'x', mobile: '13700000004', departments: [{ departmentId: market }] }], { origin: 'import' }),
    ).rejects.toMatchObject({ code: 'WECOM_MEMBERS_INVALID', details: { count: 2 } });
  });
});

describe('department admins', () => {
  let eastAdmin: Caller;
  beforeEach(async () => {
    await createMember('inShanghai', [shanghai]);
    await createMember('inMarket', [market]);
    eastAdmin = await userSession(t().app, root, { username: 'east-admin', role: 'dept_admin', departmentScopes: [{ accountId: corpId, departmentId: east }] });
  });

  it('list and search only members of their subtrees', async () => {
    expect(await listUserids(eastAdmin)).toEqual(['inShanghai']);
    expect(await listUserids(eastAdmin, 'q=in')).toEqual(['inShanghai']);
    expect(await listUserids(eastAdmin, `departmentId=${market}`)).toEqual([]);
    expect(await listUserids(eastAdmin, `departmentId=1&includeSubdepartments=true`)).toEqual(['inShanghai']);
    expect((await call(eastAdmin, 'GET', members())).body.total).toBe(1);
  });

  it('read, change and delete members of their subtrees only', async () => {
    expect((await call(eastAdmin, 'GET', members('/inShanghai'))).status).toBe(200);
    expect(await call(eastAdmin, 'GET', members('/inMarket'))).toMatchObject({ status: 403, body: { code: 'WECOM_MEMBER_OUT_OF_SCOPE' } });
    expect((await call(eastAdmin, 'PATCH', members('/inShanghai'), { position: '店长' })).status).toBe(200);
    expect((await call(eastAdmin, 'PATCH', members('/inMarket'), { position: '店长' })).status).toBe(403);
    expect((await call(eastAdmin, 'DELETE', members('/inMarket'))).status).toBe(403);
    expect((await call(eastAdmin, 'GET', members('/inMarket'))).status).toBe(403);
    expect((await call(root, 'GET', members('/inMarket'))).status).toBe(200);
  });

  it('create members only inside their subtrees and never move one out of them', async () => {
    expect((await createMember('newHangzhou', [hangzhou], {}, eastAdmin)).status).toBe(201);
    expect(await createMember('newMarket', [market], {}, eastAdmin)).toMatchObject({ status: 403, body: { code: 'WECOM_DEPARTMENT_OUT_OF_SCOPE' } });
    const moveOut = await call(eastAdmin, 'PATCH', members('/inShanghai'), { departments: [{ departmentId: market }] });
    expect(moveOut).toMatchObject({ status: 403, body: { code: 'WECOM_DEPARTMENT_OUT_OF_SCOPE' } });
    expect((await call(eastAdmin, 'DELETE', members('/inShanghai'))).status).toBe(204);
  });

  it('cannot change the corp’s visibility rule', async () => {
    expect((await call(eastAdmin, 'PUT', `/api/v1/wecom/${corpId}/directory/visibility`, { memberVisibility: 'all' })).status).toBe(403);
  });

  it('are checked by the access policy against the real tree (tie Qiao users to members of their subtrees only)', async () => {
    const tie = (userid: string) =>
      call(eastAdmin, 'POST', '/api/v1/users', {
        username: `u-${userid.toLowerCase()}`,
        password: 'some-long-password-1',
        displayName: userid,
        role: 'member',
        departmentScopes: [{ accountId: corpId, departmentId: shanghai }],
        wecomMembers: [{ accountId: corpId, userid }],
      });
    expect((await tie('inShanghai')).status).toBe(201);
    expect((await tie('inMarket')).status).toBe(403);
  });
});

describe('member visibility', () => {
  async function memberUser(userid: string) {
    const created = await call(root, 'POST', '/api/v1/users', {
      username: `m-${userid.toLowerCase()}`,
      password: 'member-password-1',
      displayName: userid,
      role: 'member',
      departmentScopes: [],
      wecomMembers: [{ accountId: corpId, userid }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const login = await t().app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: `m-${userid.toLowerCase()}`, password: 'member-password-1' } });
    const cookie = login.cookies[0]!;
    const { user } = login.json() as { user: { id: string; csrfToken: string } };
    return { userId: user.id, headers: { cookie: `${cookie.name}=${cookie.value}`, 'x-csrf-token': user.csrfToken } } satisfies Caller;
  }

  beforeEach(async () => {
    await createMember('zhangsan', [shanghai]);
    await createMember('lisi', [shanghai]);
    await createMember('wangwu', [hangzhou]);
    await createMember('zhaoliu', [market]);
  });

  const setRule = async (memberVisibility: string) =>
    expect((await call(root, 'PUT', `/api/v1/wecom/${corpId}/directory/visibility`, { memberVisibility })).body).toEqual({ memberVisibility });

  it('shows members the whole directory by default, read-only', async () => {
    const zhangsan = await memberUser('zhangsan');
    expect(await listUserids(zhangsan)).toEqual(['lisi', 'wangwu', 'zhangsan', 'zhaoliu']);
    expect((await call(zhangsan, 'PATCH', members('/lisi'), { position: 'x' })).status).toBe(403);
  });

  it('limits members to their own departments', async () => {
    await setRule('own_departments');
    const zhangsan = await memberUser('zhangsan');
    expect(await listUserids(zhangsan)).toEqual(['lisi', 'zhangsan']);
    expect((await call(zhangsan, 'GET', members('/wangwu'))).status).toBe(404);
    const departments = await call(zhangsan, 'GET', `/api/v1/wecom/${corpId}/departments`);
    expect((departments.body.items as { id: number }[]).map((d) => d.id)).toEqual([shanghai]);
  });

  it('shows own departments with their sub-departments, or only themselves', async () => {
    await createMember('atEast', [east]);
    await setRule('own_department_tree');
    const atEast = await memberUser('atEast');
    expect(await listUserids(atEast)).toEqual(['atEast', 'lisi', 'wangwu', 'zhangsan']);
    await setRule('self');
    expect(await listUserids(atEast)).toEqual(['atEast']);
    expect((await call(atEast, 'GET', members('/zhangsan'))).status).toBe(404);
  });
});

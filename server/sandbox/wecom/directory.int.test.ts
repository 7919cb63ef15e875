import { describe, expect, it } from 'vitest';
import { createCorpFixture, qy, useWeComHarness, type CorpFixture } from '../../../test/support/wecom-sandbox-kit';

describe('WeCom sandbox: gettoken and the directory', () => {
  const h = useWeComHarness();

  async function token(query: Record<string, string>) {
    const response = await h().app.inject({ method: 'GET', url: `/sandbox/wecom/cgi-bin/gettoken?${new URLSearchParams(query).toString()}` });
    return response.json() as Record<string, unknown>;
  }

  it('issues one token per secret and refuses a wrong corpid (40013), secret (40001) or another corp’s secret (40091)', async () => {
    const corp = await createCorpFixture(h());
    const other = await createCorpFixture(h());
    const answer = await token({ corpid: corp.corpId, corpsecret: corp.secret('contacts') });
    expect(answer).toMatchObject({ errcode: 0, errmsg: 'ok', expires_in: 7200 });
    expect(answer.access_token).not.toBe(corp.tokens['1000002']);
    expect(await token({ corpid: 'ww0000000000000000', corpsecret: corp.secret('contacts') })).toMatchObject({ errcode: 40013 });
    expect(await token({ corpid: corp.corpId, corpsecret: 'wrong' })).toMatchObject({ errcode: 40001 });
    expect(await token({ corpid: corp.corpId, corpsecret: other.secret('contacts') })).toMatchObject({ errcode: 40091 });
  });

  it('calls an unknown access token 40014 and a missing one 41001, as WeCom does', async () => {
    await createCorpFixture(h());
    expect(await qy(h(), 'not-a-token', 'GET', 'cgi-bin/department/list')).toMatchObject({ errcode: 40014 });
    const missing = await h().app.inject({ method: 'GET', url: '/sandbox/wecom/cgi-bin/department/list' });
    expect(missing.json()).toMatchObject({ errcode: 41001 });
  });

  it('refuses directory writes with an app or customer-contact secret (48002)', async () => {
    const corp = await createCorpFixture(h());
    for (const receiver of ['1000002', 'customer-contact']) {
      expect(await qy(h(), corp.tokens[receiver] as string, 'POST', 'cgi-bin/department/create', { name: '研发', parentid: 1 })).toMatchObject({ errcode: 48002 });
    }
    expect(await qy(h(), corp.tokens['customer-contact'] as string, 'GET', 'cgi-bin/department/list')).toMatchObject({ errcode: 48002 });
  });

  describe('departments', () => {
    async function setup(): Promise<{ corp: CorpFixture; contacts: string }> {
      const corp = await createCorpFixture(h());
      const contacts = corp.tokens.contacts as string;
      expect(await qy(h(), contacts, 'POST', 'cgi-bin/department/create', { name: '研发中心', parentid: 1, id: 2, order: 10 })).toMatchObject({ errcode: 0, errmsg: 'created', id: 2 });
      return { corp, contacts };
    }

    it.each([
      ['an empty name', { name: '', parentid: 1 }, 60001],
      ['a 65-character name', { name: '部'.repeat(65), parentid: 1 }, 60001],
      ['a name with *', { name: '研发*', parentid: 1 }, 60009],
      ['a sibling’s name', { name: '研发中心', parentid: 1 }, 60008],
      ['a taken id', { name: '新部门', parentid: 1, id: 2 }, 60008],
      ['id 1', { name: '新部门', parentid: 1, id: 1 }, 60123],
      ['a missing parent', { name: '新部门', parentid: 99 }, 60004],
      ['an order past 2^32', { name: '新部门', parentid: 1, order: 4_294_967_296 }, 40058],
    ])('refuses to create a department with %s (%s)', async (_name, body, errcode) => {
      const { contacts } = await setup();
      expect(await qy(h(), contacts, 'POST', 'cgi-bin/department/create', body)).toMatchObject({ errcode });
    });

    it('allows 15 levels and refuses the 16th (81002)', async () => {
      const { contacts } = await setup();
      let parent = 2;
      for (let level = 3; level <= 15; level++) {
        const created = await qy(h(), contacts, 'POST', 'cgi-bin/department/create', { name: `第${level}级`, parentid: parent });
        expect(created).toMatchObject({ errcode: 0 });
        parent = created.id as number;
      }
      expect(await qy(h(), contacts, 'POST', 'cgi-bin/department/create', { name: '第16级', parentid: parent })).toMatchObject({ errcode: 81002 });
    });

    it('moves a department but not under itself (60010)', async () => {
      const { contacts } = await setup();
      const child = await qy(h(), contacts, 'POST', 'cgi-bin/department/create', { name: '前端组', parentid: 2 });
      expect(await qy(h(), contacts, 'POST', 'cgi-bin/department/update', { id: 2, parentid: child.id as number })).toMatchObject({ errcode: 60010 });
      expect(await qy(h(), contacts, 'POST', 'cgi-bin/department/update', { id: child.id as number, parentid: 1, name: '前端中心' })).toMatchObject({ errcode: 0, errmsg: 'updated' });
      expect(await qy(h(), contacts, 'POST', 'cgi-bin/department/update', { id: 404, name: 'x' })).toMatchObject({ errcode: 60003 });
    });

    it('deletes only an empty department other than the root (60007, 60006, 60005, 60003)', async () => {
      const { contacts } = await setup();
      await qy(h(), contacts, 'POST', 'cgi-bin/department/create', { name: '前端组', parentid: 2, id: 3 });
      expect(await qy(h(), contacts, 'GET', 'cgi-bin/department/delete', undefined, { id: 1 })).toMatchObject({ errcode: 60007 });
      expect(await qy(h(), contacts, 'GET', 'cgi-bin/department/delete', undefined, { id: 2 })).toMatchObject({ errcode: 60006 });
      await qy(h(), contacts, 'POST', 'cgi-bin/user/create', { userid: 'lisi', name: '李四', department: [3], mobile: '13800000009' });
      expect(await qy(h(), contacts, 'GET', 'cgi-bin/department/delete', undefined, { id: 3 })).toMatchObject({ errcode: 60005 });
      await qy(h(), contacts, 'GET', 'cgi-bin/user/delete', undefined, { userid: 'lisi' });
      expect(await qy(h(), contacts, 'GET', 'cgi-bin/department/delete', undefined, { id: 3 })).toMatchObject({ errcode: 0, errmsg: 'deleted' });
      expect(await qy(h(), contacts, 'GET', 'cgi-bin/department/delete', undefined, { id: 3 })).toMatchObject({ errcode: 60003 });
    });

    it('lists a subtree with siblings by order (larger first), as list, simplelist and get', async () => {
      const { contacts } = await setup();
      await qy(h(), contacts, 'POST', 'cgi-bin/department/create', { name: '低', parentid: 2, id: 5, order: 1 });
      await qy(h(), contacts, 'POST', 'cgi-bin/department/create', { name: '高', parentid: 2, id: 6, order: 9 });
      const list = await qy(h(), contacts, 'GET', 'cgi-bin/department/list', undefined, { id: 2 });
      expect((list.department as { id: number }[]).map((d) => d.id)).toEqual([2, 6, 5]);
      const simple = await qy(h(), contacts, 'GET', 'cgi-bin/department/simplelist');
      expect((simple.department_id as { id: number }[]).map((d) => d.id)).toEqual([1, 2, 6, 5]);
      expect(await qy(h(), contacts, 'GET', 'cgi-bin/department/get', undefined, { id: 6 })).toMatchObject({ department: { id: 6, name: '高', parentid: 2, order: 9 } });
      expect(await qy(h(), contacts, 'GET', 'cgi-bin/department/get', undefined, { id: 60 })).toMatchObject({ errcode: 60003 });
    });
  });

  describe('members', () => {
    const base = { userid: 'ZhangSan', name: '张三', department: [1], mobile: '13800000001' };

    it.each([
      ['a userid with a space', { ...base, userid: 'zhang san' }, 40003],
      ['a 65-byte userid', { ...base, userid: 'z'.repeat(65) }, 40003],
      ['the same userid in other case', { ...base, userid: 'zhangsan', mobile: '13800000002' }, 60102],
      ['a taken mobile', { ...base, userid: 'wangwu' }, 60104],
      ['a taken email', { ...base, userid: 'wangwu', mobile: undefined, email: 'zs@example.com' }, 60106],
      ['neither mobile nor email', { ...base, userid: 'wangwu', mobile: undefined }, 60129],
      ['a bad mobile', { ...base, userid: 'wangwu', mobile: '12-3' }, 60103],
      ['a bad email', { ...base, userid: 'wangwu', mobile: undefined, email: 'nope' }, 60105],
      ['an empty name', { ...base, userid: 'wangwu', mobile: '13800000003', name: '' }, 60112],
      ['no department', { ...base, userid: 'wangwu', mobile: '13800000003', department: [] }, 60127],
      ['101 departments', { ...base, userid: 'wangwu', mobile: '13800000003', department: Array.from({ length: 101 }, (_, i) => i + 1) }, 60110],
      ['a missing department', { ...base, userid: 'wangwu', mobile: '13800000003', department: [77] }, 60123],
      ['a 129-character position', { ...base, userid: 'wangwu', mobile: '13800000003', position: '职'.repeat(129) }, 301012],
      ['mismatched is_leader_in_dept', { ...base, userid: 'wangwu', mobile: '13800000003', is_leader_in_dept: [1, 0] }, 40058],
    ])('refuses to create a member with %s (%s)', async (_name, body, errcode) => {
      const corp = await createCorpFixture(h());
      const contacts = corp.tokens.contacts as string;
      expect(await qy(h(), contacts, 'POST', 'cgi-bin/user/create', { ...base, email: 'zs@example.com' })).toMatchObject({ errcode: 0, errmsg: 'created' });
      expect(await qy(h(), contacts, 'POST', 'cgi-bin/user/create', body)).toMatchObject({ errcode });
    });

    it('keeps several departments with a main one and leaders, and hides sensitive fields from apps', async () => {
      const corp = await createCorpFixture(h());
      const contacts = corp.tokens.contacts as string;
      await qy(h(), contacts, 'POST', 'cgi-bin/department/create', { name: '销售', parentid: 1, id: 2 });
      await qy(h(), contacts, 'POST', 'cgi-bin/user/create', {
        ...base,
        email: 'zs@example.com',
        department: [1, 2],
        order: [5, 0],
        is_leader_in_dept: [0, 1],
        main_department: 2,
        position: '销售经理',
        gender: '1',
      });
      const full = await qy(h(), contacts, 'GET', 'cgi-bin/user/get', undefined, { userid: 'zhangsan' });
      expect(full).toMatchObject({ userid: 'ZhangSan', department: [1, 2], order: [5, 0], is_leader_in_dept: [0, 1], main_department: 2, mobile: '13800000001', email: 'zs@example.com', status: 4 });
      const seenByApp = await qy(h(), corp.tokens['1000002'] as string, 'GET', 'cgi-bin/user/get', undefined, { userid: 'ZhangSan' });
      expect(seenByApp).toMatchObject({ userid: 'ZhangSan', position: '销售经理', department: [1, 2] });
      for (const field of ['mobile', 'email', 'gender', 'avatar', 'qr_code', 'address', 'biz_mail']) expect(seenByApp).not.toHaveProperty(field);
      expect(await qy(h(), contacts, 'GET', 'cgi-bin/user/get', undefined, { userid: 'nobody' })).toMatchObject({ errcode: 60111 });
    });

    it('updates, renames once case-insensitively, lists and deletes members', async () => {
      const corp = await createCorpFixture(h());
      const contacts = corp.tokens.contacts as string;
      await qy(h(), contacts, 'POST', 'cgi-bin/user/create', base);
      await qy(h(), contacts, 'POST', 'cgi-bin/user/create', { ...base, userid: 'lisi', name: '李四', mobile: '13800000002' });
      expect(await qy(h(), contacts, 'POST', 'cgi-bin/user/update', { userid: 'zhangsan', mobile: '13800000002' })).toMatchObject({ errcode: 60104 });
      expect(await qy(h(), contacts, 'POST', 'cgi-bin/user/update', { userid: 'zhangsan', new_userid: 'LISI' })).toMatchObject({ errcode: 60102 });
      expect(await qy(h(), contacts, 'POST', 'cgi-bin/user/update', { userid: 'zhangsan', new_userid: 'zs01', position: '组长' })).toMatchObject({ errcode: 0, errmsg: 'updated' });
      const simple = await qy(h(), contacts, 'GET', 'cgi-bin/user/simplelist', undefined, { department_id: 1 });
      expect((simple.userlist as { userid: string }[]).map((u) => u.userid).sort()).toEqual(['lisi', 'zs01']);
      const list = await qy(h(), contacts, 'GET', 'cgi-bin/user/list', undefined, { department_id: 1 });
      expect(list.userlist).toContainEqual(expect.objectContaining({ userid: 'zs01', position: '组长' }));
      const ids = await qy(h(), contacts, 'POST', 'cgi-bin/user/list_id', { limit: 1 });
      expect(ids.dept_user).toEqual([{ userid: 'lisi', department: 1 }]);
      const next = await qy(h(), contacts, 'POST', 'cgi-bin/user/list_id', { limit: 1, cursor: ids.next_cursor });
      expect(next).toMatchObject({ dept_user: [{ userid: 'zs01', department: 1 }], next_cursor: '' });
      expect(await qy(h(), contacts, 'POST', 'cgi-bin/user/batchdelete', { useridlist: Array.from({ length: 201 }, (_, i) => `u${i}`) })).toMatchObject({ errcode: 40032 });
      expect(await qy(h(), contacts, 'POST', 'cgi-bin/user/batchdelete', { useridlist: ['LISI', 'ZS01'] })).toMatchObject({ errcode: 0, errmsg: 'deleted' });
      expect(await qy(h(), contacts, 'GET', 'cgi-bin/user/delete', undefined, { userid: 'lisi' })).toMatchObject({ errcode: 60111 });
    });

    it('refuses to delete the corp creator (301005)', async () => {
      const corp = await createCorpFixture(h(), { departments: 2, members: 3 });
      expect(corp.creatorUserid).toBe('user00001');
      expect(await qy(h(), corp.tokens.contacts as string, 'GET', 'cgi-bin/user/delete', undefined, { userid: 'user00001' })).toMatchObject({ errcode: 301005 });
    });
  });
});

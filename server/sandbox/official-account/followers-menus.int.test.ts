import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { loginAs, rootCredentials, setupRoot } from '../../../test/support/callers';
import { useTestApp } from '../../../test/support/test-app';
import { createOaFixture, wx, type OaFixture } from '../testing/sandbox-kit';

describe('sandbox Official Account: followers, tags and menus', () => {
  const t = useTestApp();
  const root = () => setupRoot(t().app).catch(() => loginAs(t().app, rootCredentials.username, rootCredentials.password));
  const call = (f: OaFixture, method: 'GET' | 'POST', path: string, body?: unknown, query?: Record<string, string>) => wx(t().app, f, method, path, body, query);
  const openIds = async (f: OaFixture) => ((await call(f, 'GET', 'cgi-bin/user/get')).json.data as { openid: string[] }).openid;
  const control = (f: OaFixture, path: string, payload?: unknown) =>
    t().app.inject({ method: 'POST', url: `/sandbox/control/official-accounts/${f.appId}${path}`, headers: f.root.headers, ...(payload === undefined ? {} : { payload: payload as object }) });

  it('pages user/get 10,000 at a time with next_openid until count is 0', async () => {
    const f = await createOaFixture(t().app, root, { followers: 25_000 });
    const counts: number[] = [];
    const seen = new Set<string>();
    let next = '';
    for (;;) {
      const page = (await call(f, 'GET', 'cgi-bin/user/get', undefined, next ? { next_openid: next } : {})).json as {
        total: number; count: number; data?: { openid: string[] }; next_openid: string;
      };
      expect(page.total).toBe(25_000);
      counts.push(page.count);
      for (const id of page.data?.openid ?? []) seen.add(id);
      if (page.count === 0) {
        expect(page.next_openid).toBe('');
        break;
      }
      next = page.next_openid;
    }
    expect(counts).toEqual([10_000, 10_000, 5_000, 0]);
    expect(seen.size).toBe(25_000);
    expect([...seen].every((id) => /^o[A-Za-z0-9_-]{27}$/.test(id))).toBe(true);
  });

  it('answers user/info without nickname, avatar, sex or place', async () => {
    const f = await createOaFixture(t().app, root, { followers: 3 });
    const [openid] = await openIds(f);
    const info = (await call(f, 'GET', 'cgi-bin/user/info', undefined, { openid: openid as string, lang: 'zh_CN' })).json;
    expect(info).toMatchObject({ subscribe: 1, openid, tagid_list: [], remark: '', subscribe_scene: expect.stringMatching(/^ADD_SCENE_/) });
    expect(Object.keys(info)).not.toEqual(expect.arrayContaining(['nickname']));
    for (const gone of ['nickname', 'headimgurl', 'sex', 'city', 'province', 'country']) expect(info).not.toHaveProperty(gone);
  });

  it('answers subscribe 0 and nothing else for someone who unfollowed', async () => {
    const f = await createOaFixture(t().app, root, { followers: 1 });
    const [openid] = await openIds(f);
    expect((await control(f, `/followers/${openid}/unfollow`)).statusCode).toBe(200);
    expect((await call(f, 'GET', 'cgi-bin/user/info', undefined, { openid: openid as string })).json).toEqual({ subscribe: 0, openid });
    expect((await call(f, 'GET', 'cgi-bin/user/get')).json).toMatchObject({ total: 0, count: 0 });
  });

  it.each([
    ['user/info without openid', 'GET', 'cgi-bin/user/info', undefined, {}, 41009],
    ['user/info of a stranger', 'GET', 'cgi-bin/user/info', undefined, { openid: 'oStranger' }, 40003],
    ['user/info with an unknown lang', 'GET', 'cgi-bin/user/info', undefined, { openid: 'FIRST', lang: 'fr' }, 40097],
    ['batchget of 101', 'POST', 'cgi-bin/user/info/batchget', { user_list: Array.from({ length: 101 }, () => ({ openid: 'FIRST' })) }, {}, 40032],
    ['batchget of none', 'POST', 'cgi-bin/user/info/batchget', { user_list: [] }, {}, 40032],
    ['batchget with a stranger', 'POST', 'cgi-bin/user/info/batchget', { user_list: [{ openid: 'FIRST' }, { openid: 'oStranger' }] }, {}, 40003],
    ['a remark of 30 characters', 'POST', 'cgi-bin/user/info/updateremark', { openid: 'FIRST', remark: '备'.repeat(30) }, {}, 40097],
    ['a remark for a stranger', 'POST', 'cgi-bin/user/info/updateremark', { openid: 'oStranger', remark: 'x' }, {}, 40003],
    ['a tag name of 31 characters', 'POST', 'cgi-bin/tags/create', { tag: { name: '标'.repeat(31) } }, {}, 45158],
    ['renaming a system tag', 'POST', 'cgi-bin/tags/update', { tag: { id: 2, name: 'x' } }, {}, 45058],
    ['deleting a system tag', 'POST', 'cgi-bin/tags/delete', { tag: { id: 1 } }, {}, 45058],
    ['deleting an unknown tag', 'POST', 'cgi-bin/tags/delete', { tag: { id: 999 } }, {}, 45159],
    ['tagging 51 followers', 'POST', 'cgi-bin/tags/members/batchtagging', { tagid: 2, openid_list: Array.from({ length: 51 }, () => 'FIRST') }, {}, 40032],
    ['tagging nobody', 'POST', 'cgi-bin/tags/members/batchtagging', { tagid: 2, openid_list: [] }, {}, 40032],
    ['tagging with an unknown tag', 'POST', 'cgi-bin/tags/members/batchtagging', { tagid: 999, openid_list: ['FIRST'] }, {}, 45159],
    ['tagging a stranger', 'POST', 'cgi-bin/tags/members/batchtagging', { tagid: 2, openid_list: ['oStranger'] }, {}, 40003],
    ['untagging 51 followers', 'POST', 'cgi-bin/tags/members/batchuntagging', { tagid: 2, openid_list: Array.from({ length: 51 }, () => 'FIRST') }, {}, 40032],
    ['listing an unknown tag', 'POST', 'cgi-bin/user/tag/get', { tagid: 999 }, {}, 45159],
    ['the tags of a stranger', 'POST', 'cgi-bin/tags/getidlist', { openid: 'oStranger' }, {}, 40003],
    ['menu/get with no menu', 'GET', 'cgi-bin/menu/get', undefined, {}, 46003],
    ['a conditional menu before a default one', 'POST', 'cgi-bin/menu/addconditional', { button: [{ type: 'click', name: 'A', key: 'K' }], matchrule: { tag_id: '2' } }, {}, 65303],
    ['deleting an unknown conditional menu', 'POST', 'cgi-bin/menu/delconditional', { menuid: '123' }, {}, 65301],
    ['trymatch for a stranger', 'POST', 'cgi-bin/menu/trymatch', { user_id: 'oStranger' }, {}, 65302],
    ['a body that is not JSON', 'POST', 'cgi-bin/tags/create', '{"tag":', {}, 47001],
    ['a body of the wrong shape', 'POST', 'cgi-bin/tags/create', { tag: 'x' }, {}, 47001],
  ] as const)('refuses %s', async (_name, method, path, body, query, errcode) => {
    const f = await createOaFixture(t().app, root, { followers: 2 });
    const [first] = await openIds(f);
    const fill = (value: unknown): unknown => JSON.parse(JSON.stringify(value ?? null).replaceAll('"FIRST"', JSON.stringify(first)));
    const q = fill(query) as Record<string, string>;
    const response =
      typeof body === 'string'
        ? (await t().app.inject({ method, url: `/sandbox/official-account/${path}?access_token=${f.accessToken}`, payload: body })).json()
        : (await call(f, method, path, body === undefined ? undefined : fill(body), q)).json;
    expect(response).toMatchObject({ errcode });
  });

  it('refuses an empty POST body (44002)', async () => {
    const f = await createOaFixture(t().app, root);
    const response = await t().app.inject({ method: 'POST', url: `/sandbox/official-account/cgi-bin/tags/create?access_token=${f.accessToken}` });
    expect(response.json()).toMatchObject({ errcode: 44002 });
  });

  it('keeps tag names unique and at most 100 tags per account', async () => {
    const f = await createOaFixture(t().app, root);
    expect((await call(f, 'POST', 'cgi-bin/tags/create', { tag: { name: '会员' } })).json).toMatchObject({ tag: { id: 100, name: '会员' } });
    expect((await call(f, 'POST', 'cgi-bin/tags/create', { tag: { name: '会员' } })).json).toMatchObject({ errcode: 45157 });
    for (let i = 1; i < 100; i++) expect((await call(f, 'POST', 'cgi-bin/tags/create', { tag: { name: `标签${i}` } })).json).toHaveProperty('tag');
    expect((await call(f, 'POST', 'cgi-bin/tags/create', { tag: { name: '第101个' } })).json).toMatchObject({ errcode: 45056 });
    expect((await call(f, 'POST', 'cgi-bin/tags/update', { tag: { id: 101, name: '会员' } })).json).toMatchObject({ errcode: 45157 });
  });

  it('tags followers, counts them, lists them and caps a follower at 20 tags', async () => {
    const f = await createOaFixture(t().app, root, { followers: 3 });
    const ids = await openIds(f);
    const tagIds: number[] = [];
    for (let i = 0; i < 21; i++) tagIds.push(((await call(f, 'POST', 'cgi-bin/tags/create', { tag: { name: `T${i}` } })).json.tag as { id: number }).id);
    expect((await call(f, 'POST', 'cgi-bin/tags/members/batchtagging', { tagid: tagIds[0], openid_list: ids.slice(0, 2) })).json).toMatchObject({ errcode: 0 });
    const tags = (await call(f, 'GET', 'cgi-bin/tags/get')).json.tags as { id: number; count: number }[];
    expect(tags.find((tag) => tag.id === tagIds[0])?.count).toBe(2);
    expect((await call(f, 'POST', 'cgi-bin/user/tag/get', { tagid: tagIds[0] })).json).toMatchObject({ count: 2, data: { openid: ids.slice(0, 2).sort() } });
    for (const tagid of tagIds.slice(1, 20)) await call(f, 'POST', 'cgi-bin/tags/members/batchtagging', { tagid, openid_list: [ids[0]] });
    expect((await call(f, 'POST', 'cgi-bin/tags/getidlist', { openid: ids[0] })).json).toEqual({ tagid_list: tagIds.slice(0, 20) });
    expect((await call(f, 'POST', 'cgi-bin/tags/members/batchtagging', { tagid: tagIds[20], openid_list: [ids[0]] })).json).toMatchObject({ errcode: 45059 });
    expect((await call(f, 'POST', 'cgi-bin/tags/members/batchuntagging', { tagid: tagIds[0], openid_list: [ids[0]] })).json).toMatchObject({ errcode: 0 });
    expect((await call(f, 'POST', 'cgi-bin/tags/members/batchtagging', { tagid: tagIds[20], openid_list: [ids[0]] })).json).toMatchObject({ errcode: 0 });
    expect((await call(f, 'POST', 'cgi-bin/tags/delete', { tag: { id: tagIds[1] } })).json).toMatchObject({ errcode: 0 });
    expect(((await call(f, 'POST', 'cgi-bin/tags/getidlist', { openid: ids[0] })).json.tagid_list as number[]).includes(tagIds[1] as number)).toBe(false);
  });

  it('refuses to delete a tag with more than 100,000 followers (45057)', async () => {
    const f = await createOaFixture(t().app, root, { followers: 100_001 });
    const tagId = ((await call(f, 'POST', 'cgi-bin/tags/create', { tag: { name: '大标签' } })).json.tag as { id: number }).id;
    await t().db.handle.db.execute(sql`update sandbox_oa_followers set tag_ids = array[${tagId}]::integer[] where app_id = ${f.appId}`);
    expect((await call(f, 'POST', 'cgi-bin/tags/delete', { tag: { id: tagId } })).json).toMatchObject({ errcode: 45057 });
  }, 120_000);

  it('sets a remark that user/info returns', async () => {
    const f = await createOaFixture(t().app, root, { followers: 1 });
    const [openid] = await openIds(f);
    expect((await call(f, 'POST', 'cgi-bin/user/info/updateremark', { openid, remark: '备'.repeat(29) })).json).toMatchObject({ errcode: 0 });
    expect((await call(f, 'POST', 'cgi-bin/user/info/batchget', { user_list: [{ openid }] })).json).toMatchObject({ user_info_list: [{ openid, remark: '备'.repeat(29) }] });
  });

  it('creates, reads and deletes menus, with conditional menus matched by the last-applied tag', async () => {
    const f = await createOaFixture(t().app, root, { followers: 2 });
    const [tagged, plain] = await openIds(f);
    expect((await call(f, 'GET', 'cgi-bin/get_current_selfmenu_info')).json).toEqual({ is_menu_open: 0 });
    const button = [{ type: 'click', name: '今日歌曲', key: 'V1001' }, { name: '菜单', sub_button: [{ type: 'view', name: '搜索', url: 'https://www.soso.com/' }, { type: 'media_id', name: '图片', media_id: 'MEDIA' }] }];
    expect((await call(f, 'POST', 'cgi-bin/menu/create', { button })).json).toMatchObject({ errcode: 0 });
    const vip = ((await call(f, 'POST', 'cgi-bin/tags/create', { tag: { name: 'VIP' } })).json.tag as { id: number }).id;
    await call(f, 'POST', 'cgi-bin/tags/members/batchtagging', { tagid: vip, openid_list: [tagged] });
    expect((await call(f, 'POST', 'cgi-bin/menu/addconditional', { button: [{ type: 'click', name: 'VIP', key: 'VIP' }], matchrule: { sex: '1' } })).json).toMatchObject({ errcode: 65320 });
    expect((await call(f, 'POST', 'cgi-bin/menu/addconditional', { button: [{ type: 'click', name: 'VIP', key: 'VIP' }], matchrule: {} })).json).toMatchObject({ errcode: 65304 });
    expect((await call(f, 'POST', 'cgi-bin/menu/addconditional', { button: [{ type: 'click', name: 'VIP', key: 'VIP' }], matchrule: { tag_id: '999' } })).json).toMatchObject({ errcode: 45159 });
    const added = (await call(f, 'POST', 'cgi-bin/menu/addconditional', { button: [{ type: 'click', name: 'VIP', key: 'VIP' }], matchrule: { tag_id: String(vip) } })).json;
    expect(added).toMatchObject({ menuid: expect.any(String) });
    expect((await call(f, 'POST', 'cgi-bin/menu/trymatch', { user_id: tagged })).json).toMatchObject({ button: [{ key: 'VIP' }] });
    expect((await call(f, 'POST', 'cgi-bin/menu/trymatch', { user_id: plain })).json).toMatchObject({ button: [{ key: 'V1001' }, { name: '菜单' }] });
    const menus = (await call(f, 'GET', 'cgi-bin/menu/get')).json;
    expect(menus).toMatchObject({ menu: { button }, conditionalmenu: [{ matchrule: { tag_id: String(vip) }, menuid: Number(added.menuid) }] });
    expect((await call(f, 'GET', 'cgi-bin/get_current_selfmenu_info')).json).toMatchObject({
      is_menu_open: 1,
      selfmenu_info: { button: [{ type: 'click', key: 'V1001' }, { name: '菜单', sub_button: { list: [{ type: 'view', url: 'https://www.soso.com/' }, { type: 'media_id', value: 'MEDIA' }] } }] },
    });
    expect((await call(f, 'POST', 'cgi-bin/menu/delconditional', { menuid: added.menuid })).json).toMatchObject({ errcode: 0 });
    expect((await call(f, 'GET', 'cgi-bin/menu/delete')).json).toMatchObject({ errcode: 0 });
    expect((await call(f, 'GET', 'cgi-bin/menu/get')).json).toMatchObject({ errcode: 46003 });
  });

  it('refuses conditional menus linking to more than 3 domains (65316)', async () => {
    const f = await createOaFixture(t().app, root);
    await call(f, 'POST', 'cgi-bin/menu/create', { button: [{ type: 'click', name: 'A', key: 'K' }] });
    const link = (host: string) => ({ type: 'view', name: host, url: `https://${host}/` });
    expect((await call(f, 'POST', 'cgi-bin/menu/addconditional', { button: [link('a.com'), link('b.com')], matchrule: { client_platform_type: '1' } })).json).toHaveProperty('menuid');
    expect((await call(f, 'POST', 'cgi-bin/menu/addconditional', { button: [link('c.com')], matchrule: { client_platform_type: '2' } })).json).toHaveProperty('menuid');
    expect((await call(f, 'POST', 'cgi-bin/menu/addconditional', { button: [link('d.com')], matchrule: { client_platform_type: '3' } })).json).toMatchObject({ errcode: 65316 });
  });

  it('answers the platform auto-reply rules set in the web console', async () => {
    const f = await createOaFixture(t().app, root);
    expect((await call(f, 'GET', 'cgi-bin/get_current_autoreply_info')).json).toMatchObject({
      is_add_friend_reply_open: 1,
      keyword_autoreply_info: { list: [{ reply_mode: 'reply_all', keyword_list_info: [{ match_mode: 'contain', content: '营业时间' }] }] },
    });
  });
});

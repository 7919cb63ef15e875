import type { AddressInfo } from 'node:net';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setupRoot, type Caller } from '../../../../test/support/callers';
import { useTestApp } from '../../../../test/support/test-app';
import { createOaFixture, wx, type OaFixture } from '../../../sandbox/testing/sandbox-kit';
import type { WeChatMenuButton } from './menu-rules.schema';
import { createMenusRepository } from './menus.repository';


/** A JSON answer: the assertions below check its shape, so the type stays open. */
// oxlint-disable-next-line typescript/no-explicit-any
type Json = any;
const t = useTestApp();
let base = '';
let root: Caller;
let f: OaFixture;
let accountId = '';
let openIds: string[] = [];

beforeAll(async () => {
  await t().app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t().app.server.address() as AddressInfo).port}`;
});

beforeEach(async () => {
  root = await setupRoot(t().app);
  f = await createOaFixture(t().app, async () => root, { followers: 3 });
  const connected = await t().app.inject({
    method: 'POST',
    url: '/api/v1/accounts',
    headers: root.headers,
    payload: {
      type: 'official_account',
      name: '沙箱公众号',
      appId: f.appId,
      appSecret: f.appSecret,
      token: f.token,
      encodingAesKey: f.encodingAesKey,
      encryptMode: 'safe',
      apiBaseUrl: `${base}/sandbox/official-account`,
    },
  });
  if (connected.statusCode !== 201) throw new Error(`connect: ${connected.statusCode} ${connected.body}`);
  accountId = (connected.json() as { id: string }).id;
  openIds = ((await wx(t().app, f, 'GET', 'cgi-bin/user/get')).json.data as { openid: string[] }).openid;
});

const url = (path = '') => `/api/v1/official-accounts/${accountId}/menu${path}`;

async function call(method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, payload?: unknown, headers: Record<string, string> = {}) {
  const response = await t().app.inject({ method, url: url(path), headers: { ...root.headers, ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: response.statusCode, body: (response.body ? response.json() : null) as Json };
}

const shop: WeChatMenuButton[] = [
  { name: '产品', type: 'click', key: 'PRODUCTS' },
  {
    name: '服务',
    sub_button: [
      { name: '官网', type: 'view', url: 'https://example.com/' },
      { name: '扫一扫', type: 'scancode_push', key: 'SCAN' },
    ],
  },
];
const shop2: WeChatMenuButton[] = [{ name: '产品价格', type: 'click', key: 'PRICES' }, shop[1] as WeChatMenuButton];

async function liveMenu(): Promise<unknown> {
  const answer = await wx(t().app, f, 'GET', 'cgi-bin/menu/get');
  return answer.json.errcode === 46003 ? null : (answer.json.menu as { button: unknown }).button;
}

async function followerMenu(openId: string) {
  const response = await t().app.inject({ method: 'GET', url: `/sandbox/control/official-accounts/${f.appId}/followers/${openId}/menu`, headers: root.headers });
  return response.json() as { button: { name: string }[]; menuId: string | null };
}

async function publish(button: WeChatMenuButton[]) {
  expect((await call('PUT', '', { button })).status).toBe(200);
  const published = await call('POST', '/publish');
  expect(published.status, JSON.stringify(published.body)).toBe(200);
  return published.body;
}

async function certify() {
  const day = t().clock.now().toISOString().slice(0, 10);
  const response = await t().app.inject({
    method: 'PUT',
    url: `/api/v1/official-accounts/${accountId}/certification`,
    headers: root.headers,
    payload: { status: 'approved', submittedAt: day, approvedAt: day },
  });
  expect(response.statusCode, response.body).toBe(200);
}

describe('custom menu: draft and publish', () => {
  it('saves a draft without telling WeChat, then publishes it to WeChat and a follower’s phone', async () => {
    const saved = await call('PUT', '', { button: shop });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ draft: { button: shop }, published: null, publishedAt: null });
    expect(await liveMenu()).toBeNull();

    const published = await call('POST', '/publish');
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ draft: { button: shop }, published: { button: shop }, publishedVersion: 1, lastFailure: null });
    expect(published.body.publishedAt).toBe(t().clock.now().toISOString());
    expect(await liveMenu()).toEqual(shop);
    const phone = await followerMenu(openIds[0] as string);
    expect(phone.button.map((b) => b.name)).toEqual(['产品', '服务']);

    const history = await call('GET', '/versions');
    expect(history.body.items).toEqual([expect.objectContaining({ version: 1, state: 'applied', source: 'publish', createdBy: '系统管理员' })]);
  });

  it('refuses a 61-byte sub-button name, naming the field and the limit, and sends nothing to WeChat', async () => {
    const tooLong = `${'菜'.repeat(20)}x`;
    const refused = await call('PUT', '', { button: [{ name: '更多', sub_button: [{ name: tooLong, type: 'click', key: 'K' }] }] });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      code: 'OA_MENU_SUB_NAME_TOO_LONG',
      message: '子菜单名称不能超过 60 字节（当前 61）',
      details: { field: 'button[0].sub_button[0].name', limit: 60, actual: 61 },
    });
    expect(refused.body.details.issues).toEqual([{ field: 'button[0].sub_button[0].name', code: 'OA_MENU_SUB_NAME_TOO_LONG', params: { limit: 60, actual: 61 } }]);
    const english = await call('PUT', '', { button: [{ name: '产品与服务ABC', type: 'click', key: 'K' }] }, { 'accept-language': 'en-US' });
    expect(english.body.message).toBe('A top-level button name must not exceed 16 bytes (now 18)');
    expect((await call('GET', '')).body.draft).toBeNull();
    const publish = await call('POST', '/publish');
    expect(publish.body.code).toBe('OA_MENU_TOP_COUNT');
    expect(await liveMenu()).toBeNull();
  });

  it('keeps the last good published menu when WeChat refuses a publish, and says the errcode in plain words', async () => {
    await publish(shop);
    const armed = await t().app.inject({
      method: 'POST',
      url: '/sandbox/control/faults',
      headers: root.headers,
      payload: { product: 'official-account', path: 'cgi-bin/menu/create', errcode: 65316, count: 1 },
    });
    expect(armed.statusCode).toBe(201);
    await call('PUT', '', { button: shop2 });
    const refused = await call('POST', '/publish');
    expect(refused.status).toBe(502);
    expect(refused.body).toMatchObject({ code: 'OA_MENU_PUBLISH_REFUSED', details: { errcode: 65316, version: 2 } });
    expect(refused.body.message).toBe('微信拒绝了菜单（错误码 65316：菜单链接的域名超过 3 个），线上仍是上一次成功发布的版本');

    const state = (await call('GET', '')).body;
    expect(state).toMatchObject({ draft: { button: shop2 }, published: { button: shop }, publishedVersion: 1 });
    expect(state.lastFailure).toMatchObject({ version: 2, errcode: 65316, meaning: { 'zh-CN': '菜单链接的域名超过 3 个' } });
    expect(await liveMenu()).toEqual(shop);

    // The next publish goes through and clears the failure.
    const retried = await call('POST', '/publish');
    expect(retried.body).toMatchObject({ published: { button: shop2 }, publishedVersion: 3, lastFailure: null });
  });
});

describe('custom menu: crash between intent and WeChat’s answer', () => {
  it('marks a stuck publish applied when WeChat shows exactly its menu', async () => {
    await publish(shop);
    // The process died after WeChat applied the menu but before Qiao marked it.
    await createMenusRepository(t().db.handle.db).insertVersion({ accountId, button: shop2, state: 'publishing', source: 'publish', createdBy: 'x', createdAt: t().clock.now() });
    expect((await wx(t().app, f, 'POST', 'cgi-bin/menu/create', { button: shop2 })).json.errcode).toBe(0);

    const state = (await call('GET', '')).body;
    expect(state).toMatchObject({ published: { button: shop2 }, publishedVersion: 2, reconciled: { version: 2, outcome: 'applied', pulledVersion: null }, lastFailure: null });
    expect((await call('GET', '')).body.reconciled).toBeNull();
  });

  it('marks a stuck publish failed when WeChat never got it, keeping the published menu', async () => {
    await publish(shop);
    await createMenusRepository(t().db.handle.db).insertVersion({ accountId, button: shop2, state: 'publishing', source: 'publish', createdBy: 'x', createdAt: t().clock.now() });
    const state = (await call('GET', '')).body;
    expect(state).toMatchObject({ published: { button: shop }, publishedVersion: 1, reconciled: { version: 2, outcome: 'failed', pulledVersion: null } });
    expect(state.lastFailure).toMatchObject({ version: 2, errcode: null, errmsg: 'interrupted' });
  });

  it('records WeChat’s live menu when it matches neither the stuck publish nor the published one', async () => {
    await publish(shop);
    await createMenusRepository(t().db.handle.db).insertVersion({ accountId, button: shop2, state: 'publishing', source: 'publish', createdBy: 'x', createdAt: t().clock.now() });
    const elsewhere = [{ name: '别处改的', type: 'click', key: 'ELSEWHERE' }];
    expect((await wx(t().app, f, 'POST', 'cgi-bin/menu/create', { button: elsewhere })).json.errcode).toBe(0);
    const history = (await call('GET', '/versions')).body.items as { version: number; state: string; source: string }[];
    expect(history.map((v) => [v.version, v.state, v.source])).toEqual([
      [3, 'pulled', 'reconcile'],
      [2, 'failed', 'publish'],
      [1, 'applied', 'publish'],
    ]);
    expect((await call('GET', '')).body).toMatchObject({ published: { button: elsewhere }, publishedVersion: 3 });
  });
});

describe('custom menu: pull, history, diff and rollback', () => {
  it('pulls the live menu into the draft and records it as published when it differs', async () => {
    await publish(shop);
    const elsewhere = [{ name: '平台改的', type: 'view', url: 'https://example.org/' }];
    expect((await wx(t().app, f, 'POST', 'cgi-bin/menu/create', { button: elsewhere })).json.errcode).toBe(0);
    const pulled = await call('POST', '/pull');
    expect(pulled.status).toBe(200);
    expect(pulled.body).toMatchObject({ draft: { button: elsewhere }, published: { button: elsewhere }, publishedVersion: 2 });
    // Pulling again changes nothing.
    await call('POST', '/pull');
    expect(((await call('GET', '/versions')).body.items as { source: string }[]).map((v) => v.source)).toEqual(['pull', 'publish']);
  });

  it('lists versions with who and when, diffs two of them and rolls back with one call', async () => {
    await publish(shop);
    await publish(shop2);
    const diff = await call('GET', '/diff?from=1&to=2');
    expect(diff.body).toEqual({
      from: 1,
      to: 2,
      changes: [
        {
          path: 'button[0]',
          name: '产品价格',
          kind: 'changed',
          fields: [
            { field: 'name', before: '产品', after: '产品价格' },
            { field: 'key', before: 'PRODUCTS', after: 'PRICES' },
          ],
        },
      ],
    });
    const rolled = await call('POST', '/versions/1/rollback');
    expect(rolled.status).toBe(200);
    expect(rolled.body).toMatchObject({ published: { button: shop }, publishedVersion: 3 });
    expect(await liveMenu()).toEqual(shop);
    const history = (await call('GET', '/versions')).body.items as Record<string, unknown>[];
    expect(history[0]).toMatchObject({ version: 3, source: 'rollback', rolledBackFrom: 1, state: 'applied', createdBy: '系统管理员' });
    expect((await call('POST', '/versions/9/rollback')).body.code).toBe('OA_MENU_VERSION_NOT_FOUND');
  });
});

describe('custom menu: conditional menus', () => {
  it('creates a conditional menu by tag, matches a tagged follower, and deletes it', async () => {
    const rule = { tagId: 100 };
    expect((await call('POST', '/conditional', { name: 'VIP', button: shop2, matchRule: rule })).body.code).toBe('OA_MENU_NOTHING_PUBLISHED');
    await publish(shop);
    const tag = (await wx(t().app, f, 'POST', 'cgi-bin/tags/create', { tag: { name: 'VIP' } })).json as { tag: { id: number } };
    const tagged = openIds[0] as string;
    await wx(t().app, f, 'POST', 'cgi-bin/tags/members/batchtagging', { openid_list: [tagged], tagid: tag.tag.id });

    expect((await call('POST', '/conditional', { name: '空规则', button: shop2, matchRule: {} })).body.code).toBe('OA_MENU_MATCHRULE_EMPTY');
    const bad = await call('POST', '/conditional', { name: 'VIP', button: [{ name: '产品与服务ABC', type: 'click', key: 'K' }], matchRule: { tagId: tag.tag.id } });
    expect(bad.body).toMatchObject({ code: 'OA_MENU_TOP_NAME_TOO_LONG', details: { field: 'button[0].name' } });

    // WeChat matches the newest conditional menu first: the tag menu is created last so it wins for the tagged follower.
    const platformOnly = await call('POST', '/conditional', { name: 'iOS', button: shop, matchRule: { clientPlatformType: '1' } });
    expect(platformOnly.status).toBe(201);
    t().clock.advance(1000);
    const created = await call('POST', '/conditional', { name: 'VIP', button: shop2, matchRule: { tagId: tag.tag.id } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ name: 'VIP', state: 'applied', menuId: expect.any(String), matchRule: { tagId: tag.tag.id } });
    expect((await call('GET', '/conditional')).body.items.map((m: { name: string }) => m.name)).toEqual(['iOS', 'VIP']);

    const live = (await wx(t().app, f, 'GET', 'cgi-bin/menu/get')).json.conditionalmenu as { menuid: unknown; matchrule: Record<string, string> }[];
    expect(live.map((m) => [String(m.menuid), m.matchrule.tag_id ?? null])).toContainEqual([created.body.menuId, String(tag.tag.id)]);

    const match = await call('POST', '/trymatch', { userId: tagged });
    expect(match.status).toBe(200);
    expect(match.body).toMatchObject({ menuId: created.body.menuId, conditionalMenuId: created.body.id });
    expect(match.body.button.map((b: { name: string }) => b.name)).toEqual(['产品价格', '服务']);

    const removed = await call('DELETE', `/conditional/${created.body.id}`);
    expect(removed.status).toBe(204);
    expect((await call('GET', '/conditional')).body.items.map((m: { name: string }) => m.name)).toEqual(['iOS']);
    const after = (await wx(t().app, f, 'GET', 'cgi-bin/menu/get')).json.conditionalmenu as { menuid: unknown }[];
    expect(after.map((m) => String(m.menuid))).not.toContain(created.body.menuId);
  });
});

describe('custom menu: mini-program buttons need a verified account', () => {
  it('refuses a mini-program button on an unverified account with the reason, and accepts it once verified', async () => {
    const menu = [{ name: '商城', type: 'miniprogram', appid: 'wx1234567890abcdef', pagepath: 'pages/index/index', url: 'https://example.com/shop' }];
    const refused = await call('PUT', '', { button: menu });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'OA_FEATURE_NEEDS_VERIFICATION', details: { feature: 'menu.miniprogram', reason: 'not_verified', field: 'button[0]' } });
    expect(refused.body.message).toContain('微信认证');
    await certify();
    const body = await publish(menu);
    expect(body.published).toEqual({ button: menu });
    expect(await liveMenu()).toEqual(menu);
  });

  it('refuses a mini-program button without its fallback URL', async () => {
    await certify();
    const refused = await call('PUT', '', { button: [{ name: '商城', type: 'miniprogram', appid: 'wx1234567890abcdef', pagepath: 'pages/index/index' }] });
    expect(refused.body).toMatchObject({ code: 'OA_MENU_VALUE_REQUIRED', details: { field: 'button[0].url' } });
  });
});

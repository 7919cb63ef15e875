import { createRequire } from 'node:module';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setupRoot } from '../../../test/support/callers';
import { freePort } from '../../../test/support/server-process';
import { useTestApp } from '../../../test/support/test-app';
import { createOaFixture, type OaFixture } from '../testing/sandbox-kit';

/**
 * The sandbox checked by a WeChat SDK written by others (npm `wechat-api`),
 * pointed at it with nothing but a different endpoint: the proof that other
 * WeChat applications can use the sandbox as they would use WeChat.
 */
type Callback<T> = (error: (Error & { code?: number }) | null, result: T) => void;
interface WechatApi {
  endpoint: string;
  getLatestToken(cb: Callback<{ accessToken: string }>): void;
  createMenu(menu: unknown, cb: Callback<{ errcode: number }>): void;
  getMenu(cb: Callback<{ menu: { button: { name: string; key?: string }[] } }>): void;
  getFollowers(cb: Callback<{ total: number; count: number; data: { openid: string[] }; next_openid: string }>): void;
  batchGetUsers(openids: string[], cb: Callback<{ user_info_list: { openid: string; subscribe: number }[] }>): void;
  updateRemark(openid: string, remark: string, cb: Callback<unknown>): void;
  createTag(name: string, cb: Callback<{ tag: { id: number; name: string } }>): void;
  getTags(cb: Callback<{ tags: { id: number; name: string; count: number }[] }>): void;
  membersBatchtagging(tagId: number, openids: string[], cb: Callback<unknown>): void;
  getUserTags(openid: string, cb: Callback<{ tagid_list: number[] }>): void;
  sendText(openid: string, text: string, cb: Callback<unknown>): void;
}
const WechatAPI = createRequire(import.meta.url)('wechat-api') as new (appId: string, appSecret: string) => WechatApi;

function call<T>(invoke: (cb: Callback<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => invoke((error, result) => (error ? reject(error) : resolve(result))));
}

const port = await freePort();
const t = useTestApp();
let fixture: OaFixture;

function sdk(secret = fixture.appSecret): WechatApi {
  const api = new WechatAPI(fixture.appId, secret);
  api.endpoint = `http://127.0.0.1:${port}/sandbox/official-account`;
  return api;
}

beforeAll(async () => {
  await t().app.listen({ port, host: '127.0.0.1' });
});
beforeEach(async () => {
  fixture = await createOaFixture(t().app, () => setupRoot(t().app));
  const populated = await t().app.inject({
    method: 'POST',
    url: `/sandbox/control/official-accounts/${fixture.appId}/followers`,
    headers: fixture.root.headers,
    payload: { count: 30 },
  });
  if (populated.statusCode >= 300) throw new Error(`populating followers failed: ${populated.body}`);
});

describe('the sandbox, driven by the npm wechat-api SDK', () => {
  it('issues tokens and refuses a wrong secret with WeChat’s errcode', async () => {
    expect((await call<{ accessToken: string }>((cb) => sdk().getLatestToken(cb))).accessToken).toMatch(/\S{20,}/);
    await expect(call((cb) => sdk('wrong-secret-0000000000000000000').getLatestToken(cb))).rejects.toMatchObject({ code: 40125 });
  });

  it('creates and reads a menu, and refuses one WeChat would refuse', async () => {
    const api = sdk();
    await call((cb) => api.createMenu({ button: [{ type: 'click', name: '今日优惠', key: 'TODAY' }, { name: '服务', sub_button: [{ type: 'view', name: '官网', url: 'https://example.com/' }] }] }, cb));
    const menu = await call<{ menu: { button: { name: string; key?: string }[] } }>((cb) => api.getMenu(cb));
    expect(menu.menu.button.map((b) => b.name)).toEqual(['今日优惠', '服务']);
    const tooMany = { button: ['一', '二', '三', '四'].map((name) => ({ type: 'click', name, key: name })) };
    await expect(call((cb) => api.createMenu(tooMany, cb))).rejects.toMatchObject({ code: 40016 });
  });

  it('lists followers, reads them in a batch, tags them and edits a remark', async () => {
    const api = sdk();
    const followers = await call<{ total: number; data: { openid: string[] } }>((cb) => api.getFollowers(cb));
    expect(followers.total).toBe(30);
    const openIds = followers.data.openid.slice(0, 3);
    const users = await call<{ user_info_list: { openid: string; subscribe: number }[] }>((cb) => api.batchGetUsers(openIds, cb));
    expect(users.user_info_list.map((u) => u.openid)).toEqual(openIds);
    const created = await call<{ tag: { id: number; name: string } }>((cb) => api.createTag('意向客户', cb));
    await call((cb) => api.membersBatchtagging(created.tag.id, openIds, cb));
    const tags = await call<{ tags: { id: number; name: string; count: number }[] }>((cb) => api.getTags(cb));
    expect(tags.tags.find((tag) => tag.id === created.tag.id)).toMatchObject({ name: '意向客户', count: 3 });
    expect((await call<{ tagid_list: number[] }>((cb) => api.getUserTags(openIds[0]!, cb))).tagid_list).toContain(created.tag.id);
    await call((cb) => api.updateRemark(openIds[0]!, '老客户', cb));
    await expect(call((cb) => api.createTag('意向客户', cb))).rejects.toMatchObject({ code: 45157 });
  });

  it('sends a customer-service message inside the 48-hour window only', async () => {
    const api = sdk();
    const [openId] = (await call<{ data: { openid: string[] } }>((cb) => api.getFollowers(cb))).data.openid;
    await expect(call((cb) => api.sendText(openId!, '您好', cb))).rejects.toMatchObject({ code: 45015 });
    const spoke = await t().app.inject({
      method: 'POST',
      url: `/sandbox/control/official-accounts/${fixture.appId}/followers/${openId}/messages`,
      headers: fixture.root.headers,
      payload: { type: 'text', content: '在吗？' },
    });
    expect(spoke.statusCode).toBeLessThan(300);
    await call((cb) => api.sendText(openId!, '您好，有什么可以帮您？', cb));
    const inbox = await t().app.inject({ method: 'GET', url: `/sandbox/control/official-accounts/${fixture.appId}/followers/${openId}/inbox`, headers: fixture.root.headers });
    expect(inbox.body).toContain('有什么可以帮您');
  });
});

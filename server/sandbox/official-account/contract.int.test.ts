import { describe, expect, it } from 'vitest';
import { loginAs, rootCredentials, setupRoot } from '../../../test/support/callers';
import { useTestApp } from '../../../test/support/test-app';
import type { WeChatEndpoint } from '../../wechat/client/endpoint';
import { officialAccountEndpoints } from '../../wechat/official-account';
import { createOaFixture, type OaFixture } from '../testing/sandbox-kit';

interface World {
  f: OaFixture;
  openId: string;
  mediaId: string;
  msgId: number;
  menuId: string;
  draftId: string;
  publishId: string;
  articleId: string;
}

/** Yesterday in Beijing time: the latest day analytics answer for. */
const yesterday = new Date(Date.now() + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
const article = (w: World) => ({ title: '春季新品', author: '市场部', content: '<p>新品上市</p>', thumb_media_id: w.mediaId });

type Case = (w: World) => { query?: Record<string, string>; body?: unknown; multipart?: boolean };

/** A valid request for every declaration the sandbox serves; a new declaration without a case fails the coverage test. */
const cases: Record<string, Case> = {
  'cgi-bin/token': (w) => ({ query: { grant_type: 'client_credential', appid: w.f.appId, secret: w.f.appSecret } }),
  'cgi-bin/stable_token': (w) => ({ body: { grant_type: 'client_credential', appid: w.f.appId, secret: w.f.appSecret } }),
  'cgi-bin/getcallbackip': () => ({}),
  'cgi-bin/get_api_domain_ip': () => ({}),
  'cgi-bin/menu/create': () => ({ body: { button: [{ type: 'click', name: '今日歌曲', key: 'V1001' }] } }),
  'cgi-bin/menu/get': () => ({}),
  'cgi-bin/get_current_selfmenu_info': () => ({}),
  'cgi-bin/menu/addconditional': () => ({ body: { button: [{ type: 'click', name: 'VIP', key: 'VIP' }], matchrule: { tag_id: '2' } } }),
  'cgi-bin/menu/trymatch': (w) => ({ body: { user_id: w.openId } }),
  'cgi-bin/menu/delconditional': (w) => ({ body: { menuid: w.menuId } }),
  'cgi-bin/user/get': () => ({}),
  'cgi-bin/user/info': (w) => ({ query: { openid: w.openId, lang: 'zh_CN' } }),
  'cgi-bin/user/info/batchget': (w) => ({ body: { user_list: [{ openid: w.openId, lang: 'zh_CN' }] } }),
  'cgi-bin/user/info/updateremark': (w) => ({ body: { openid: w.openId, remark: '老客户' } }),
  'cgi-bin/tags/get': () => ({}),
  'cgi-bin/tags/create': () => ({ body: { tag: { name: '广东' } } }),
  'cgi-bin/tags/update': () => ({ body: { tag: { id: 100, name: '广东省' } } }),
  'cgi-bin/tags/members/batchtagging': (w) => ({ body: { openid_list: [w.openId], tagid: 100 } }),
  'cgi-bin/user/tag/get': () => ({ body: { tagid: 100, next_openid: '' } }),
  'cgi-bin/tags/getidlist': (w) => ({ body: { openid: w.openId } }),
  'cgi-bin/tags/members/batchuntagging': (w) => ({ body: { openid_list: [w.openId], tagid: 100 } }),
  'cgi-bin/tags/delete': () => ({ body: { tag: { id: 100 } } }),
  'cgi-bin/message/custom/send': (w) => ({ body: { touser: w.openId, msgtype: 'text', text: { content: 'Hello World' } } }),
  'cgi-bin/message/mass/sendall': () => ({ body: { filter: { is_to_all: false, tag_id: 2 }, msgtype: 'text', text: { content: 'CONTENT' } } }),
  'cgi-bin/message/mass/send': (w) => ({ body: { touser: [w.openId], msgtype: 'text', text: { content: 'CONTENT' } } }),
  'cgi-bin/message/mass/get': (w) => ({ body: { msg_id: w.msgId } }),
  'cgi-bin/message/mass/preview': (w) => ({ body: { touser: w.openId, msgtype: 'text', text: { content: 'CONTENT' } } }),
  'cgi-bin/media/upload': () => ({ query: { type: 'image' }, multipart: true }),
  'cgi-bin/media/get': (w) => ({ query: { media_id: w.mediaId } }),
  'cgi-bin/qrcode/create': () => ({ body: { expire_seconds: 604800, action_name: 'QR_SCENE', action_info: { scene: { scene_id: 123 } } } }),
  'cgi-bin/draft/add': (w) => ({ body: { articles: [article(w)] } }),
  'cgi-bin/draft/get': (w) => ({ body: { media_id: w.draftId } }),
  'cgi-bin/draft/update': (w) => ({ body: { media_id: w.draftId, index: 0, articles: { ...article(w), title: '春季新品上市' } } }),
  'cgi-bin/draft/count': () => ({}),
  'cgi-bin/draft/batchget': () => ({ body: { offset: 0, count: 20, no_content: 1 } }),
  'cgi-bin/freepublish/submit': (w) => ({ body: { media_id: w.draftId } }),
  'cgi-bin/freepublish/get': (w) => ({ body: { publish_id: w.publishId } }),
  'cgi-bin/freepublish/getarticle': (w) => ({ body: { article_id: w.articleId } }),
  'cgi-bin/freepublish/batchget': () => ({ body: { offset: 0, count: 10 } }),
  'cgi-bin/freepublish/delete': (w) => ({ body: { article_id: w.articleId, index: 1 } }),
  'cgi-bin/draft/delete': (w) => ({ body: { media_id: w.draftId } }),
  'datacube/getusersummary': () => ({ body: { begin_date: yesterday, end_date: yesterday } }),
  'datacube/getusercumulate': () => ({ body: { begin_date: yesterday, end_date: yesterday } }),
  'datacube/getupstreammsg': () => ({ body: { begin_date: yesterday, end_date: yesterday } }),
  'datacube/getinterfacesummary': () => ({ body: { begin_date: yesterday, end_date: yesterday } }),
  'cgi-bin/get_current_autoreply_info': () => ({}),
  'cgi-bin/menu/delete': () => ({}),
};

const boundary = '----contractBoundary';
const upload = Buffer.concat([
  Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="media"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
  Buffer.from('ffd8ffe000104a464946', 'hex'),
  Buffer.from(`\r\n--${boundary}--\r\n`),
]);

describe('contract: the sandbox answers every declaration in the shape the client declares', () => {
  const t = useTestApp();
  const root = () => setupRoot(t().app).catch(() => loginAs(t().app, rootCredentials.username, rootCredentials.password));

  it('has a case for every Official Account declaration', () => {
    expect(officialAccountEndpoints.map((e) => e.path).filter((path) => !cases[path])).toEqual([]);
  });

  it('answers each declared call with a payload its response schema accepts', async () => {
    const f = await createOaFixture(t().app, root, { followers: 3 });
    const call = async (endpoint: WeChatEndpoint, request: ReturnType<Case>) => {
      const query = new URLSearchParams({ ...(endpoint.auth === 'access_token' ? { access_token: f.accessToken } : {}), ...request.query });
      const response = await t().app.inject({
        method: endpoint.method,
        url: `/sandbox/official-account/${endpoint.path}?${query.toString()}`,
        ...(request.multipart
          ? { payload: upload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
          : request.body === undefined
            ? {}
            : { payload: JSON.stringify(request.body), headers: { 'content-type': 'application/json' } }),
      });
      return response;
    };
    const users = (await call(officialAccountEndpoints.find((e) => e.path === 'cgi-bin/user/get') as WeChatEndpoint, {})).json() as { data: { openid: string[] } };
    const world: World = { f, openId: users.data.openid[0] as string, mediaId: '', msgId: 0, menuId: '', draftId: '', publishId: '', articleId: '' };
    await t().app.inject({ method: 'POST', url: `/sandbox/control/official-accounts/${f.appId}/followers/${world.openId}/messages`, headers: f.root.headers, payload: { type: 'text', content: 'hi' } });

    const order = Object.keys(cases);
    const byPath = new Map(officialAccountEndpoints.map((e) => [e.path, e as WeChatEndpoint]));
    for (const path of order) {
      const endpoint = byPath.get(path) as WeChatEndpoint;
      const response = await call(endpoint, (cases[path] as Case)(world));
      expect(response.statusCode, path).toBe(200);
      if (path === 'cgi-bin/media/get') {
        expect(response.headers['content-type'], path).toMatch(/^image\/jpeg/);
        continue;
      }
      const json = response.json() as Record<string, unknown>;
      expect([path, json.errcode ?? 0], JSON.stringify(json)).toEqual([path, 0]);
      expect(endpoint.response.safeParse(json).success, `${path}: ${JSON.stringify(json).slice(0, 200)}`).toBe(true);
      if (path === 'cgi-bin/media/upload') world.mediaId = String(json.media_id);
      if (path === 'cgi-bin/menu/addconditional') world.menuId = String(json.menuid);
      if (path === 'cgi-bin/message/mass/send') world.msgId = Number(json.msg_id);
      if (path === 'cgi-bin/draft/add') world.draftId = String(json.media_id);
      if (path === 'cgi-bin/freepublish/submit') {
        world.publishId = String(json.publish_id);
        await t().app.sandbox.officialAccount.idle();
      }
      if (path === 'cgi-bin/freepublish/get') world.articleId = String(json.article_id);
    }
    await t().app.sandbox.officialAccount.idle();
  });
});

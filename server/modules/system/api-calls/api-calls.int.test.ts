import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Caller, setupRoot, userSession } from '../../../../test/support/callers';
import { useTestApp } from '../../../../test/support/test-app';
import { createApiCallRepository } from '../../../wechat/client';
import type { ApiCall, ApiCallPage } from './api-calls.schema';

const t = useTestApp();

const issuedToken = 'ACCESS-TOKEN-never-shown-0123456789';
const oaSecret = 'oa-secret-never-shown-abcdef012345';
const wecomSecret = 'wecom-secret-never-shown-abcdef0123';

/** Plays WeChat's token endpoints: the Official Account's secret works, the WeCom app is refused for its IP. */
const wechat = {
  server: createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const send = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if ((req.url ?? '').includes('stable_token') && raw.includes(oaSecret)) return send({ access_token: issuedToken, expires_in: 7200 });
      return send({ errcode: 60020, errmsg: 'not allow to access from your ip, from ip: 203.0.113.7' });
    });
  }),
  baseUrl: '',
};

beforeAll(async () => {
  await new Promise<void>((resolve) => wechat.server.listen(0, '127.0.0.1', resolve));
  wechat.baseUrl = `http://127.0.0.1:${(wechat.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => wechat.server.close(resolve));
});

let root: Caller;
beforeEach(async () => {
  root = await setupRoot(t().app);
});

function get(query: string, caller: Caller = root, language = 'zh-CN') {
  return t().app.inject({ method: 'GET', url: `/api/v1/api-calls${query}`, headers: { ...caller.headers, 'accept-language': language } });
}

async function list(query = '', language = 'zh-CN'): Promise<ApiCallPage> {
  const response = await get(query, root, language);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as ApiCallPage;
}

async function connect(body: Record<string, unknown>): Promise<string> {
  const response = await t().app.inject({ method: 'POST', url: '/api/v1/accounts', headers: root.headers, payload: body });
  expect(response.statusCode, response.body).toBe(201);
  return (response.json() as { id: string }).id;
}

async function testConnection(id: string) {
  const response = await t().app.inject({ method: 'POST', url: `/api/v1/accounts/${id}/test`, headers: root.headers });
  expect(response.statusCode, response.body).toBe(200);
}

/** One Official Account that connects, one WeCom corp refused for its IP, one account whose API host does not answer. */
async function connectAndTestThree() {
  const oa = await connect({ type: 'official_account', name: '桥服务号', appId: 'wx1234567890abcdef', appSecret: oaSecret, apiBaseUrl: wechat.baseUrl });
  const corp = await connect({ type: 'wecom', name: '桥科技', corpId: 'ww1234567890abcdef', apiBaseUrl: wechat.baseUrl, receivers: [{ receiver: '1000002', secret: wecomSecret }] });
  const offline = await connect({ type: 'official_account', name: '离线号', appId: 'wx0000000000abcdef', appSecret: oaSecret, apiBaseUrl: 'http://127.0.0.1:9' });
  await testConnection(oa);
  t().clock.advance(1000);
  await testConnection(corp);
  t().clock.advance(1000);
  await testConnection(offline);
  return { oa, corp, offline };
}

describe('API call log', () => {
  it('lists calls newest first with account, Chinese and English titles, errcode and its meaning', async () => {
    const { oa, corp, offline } = await connectAndTestThree();
    const page = await list();
    expect(page.total).toBe(3);
    expect(page.items.map((c) => c.accountId)).toEqual([offline, corp, oa]);
    const [unreachable, refused, ok] = page.items as [ApiCall, ApiCall, ApiCall];
    expect(ok).toMatchObject({
      product: 'official-account',
      accountName: '桥服务号',
      receiver: null,
      path: 'cgi-bin/stable_token',
      outcome: 'ok',
      errcode: 0,
      message: null,
    });
    expect(ok.titleZh).toMatch(/[\u4e00-\u9fff]/);
    expect(ok.titleEn).toBeTruthy();
    expect(refused).toMatchObject({ product: 'wecom', accountName: '桥科技', receiver: '1000002', path: 'cgi-bin/gettoken', outcome: 'wechat_error', errcode: 60020 });
    expect(refused.message).toContain('可信 IP');
    expect(unreachable).toMatchObject({ accountName: '离线号', outcome: 'unreachable', errcode: null });
    expect(unreachable.message).toContain('无法连接微信服务器');
    expect(ok.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('explains failures in English when asked', async () => {
    await connectAndTestThree();
    const page = await list('?failed=true', 'en-US');
    expect(page.items.map((c) => c.message)).toEqual([
      expect.stringContaining('Could not reach WeChat'),
      expect.stringContaining('trusted IP'),
    ]);
  });

  it('filters by account, path, errcode, failures only and time range', async () => {
    const { oa, corp } = await connectAndTestThree();
    expect((await list(`?accountId=${corp}`)).items.map((c) => c.errcode)).toEqual([60020]);
    expect((await list('?path=gettoken')).items.map((c) => c.accountId)).toEqual([corp]);
    expect((await list('?errcode=60020')).total).toBe(1);
    expect((await list('?failed=true')).items.map((c) => c.outcome)).toEqual(['unreachable', 'wechat_error']);
    expect((await list('?failed=false')).items.map((c) => c.accountId)).toEqual([oa]);
    expect((await list('?outcome=unreachable')).total).toBe(1);
    const [, middle] = (await list()).items as [ApiCall, ApiCall, ApiCall];
    const window = await list(`?from=${encodeURIComponent(middle.at)}&to=${encodeURIComponent(middle.at)}`);
    expect(window.items.map((c) => c.accountId)).toEqual([corp]);
  });

  it('pages with cursors without repeating or skipping calls made in the same millisecond', async () => {
    const log = createApiCallRepository(t().db.handle.db, { clock: t().clock });
    const at = t().clock.now();
    for (let i = 0; i < 7; i++) {
      await log.record({ at, product: 'wecom', accountKey: 'ww1:contacts', accountId: null, path: `cgi-bin/user/get-${i}`, title: '读取成员', outcome: 'ok', errcode: 0, durationMs: i });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ApiCallPage = await list(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.total).toBe(7);
      seen.push(...page.items.map((c) => c.path));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => `cgi-bin/user/get-${i}`));
  });

  it('keeps the account id but no name once the account is disconnected', async () => {
    const { offline } = await connectAndTestThree();
    expect((await t().app.inject({ method: 'DELETE', url: `/api/v1/accounts/${offline}`, headers: root.headers })).statusCode).toBe(204);
    const [last] = (await list()).items;
    expect(last).toMatchObject({ accountId: offline, accountName: null });
  });

  it('never answers with a secret, an access token or a callback token', async () => {
    await connectAndTestThree();
    const accounts = (await t().app.inject({ method: 'GET', url: '/api/v1/accounts', headers: root.headers })).json() as {
      items: { callbacks: { token: string; encodingAesKey: string }[] }[];
    };
    const callbackValues = accounts.items.flatMap((a) => a.callbacks.flatMap((c) => [c.token, c.encodingAesKey]));
    expect(callbackValues.length).toBeGreaterThan(0);
    for (const query of ['', '?failed=true', '?limit=1', '?path=token']) {
      for (const language of ['zh-CN', 'en-US']) {
        const body = (await get(query, root, language)).body;
        for (const secret of [issuedToken, oaSecret, wecomSecret, ...callbackValues]) expect(body).not.toContain(secret);
        const fields = Object.keys((JSON.parse(body) as ApiCallPage).items[0] ?? {});
        expect(fields.filter((f) => /secret|token|key/i.test(f))).toEqual([]);
      }
    }
  });

  it('refuses malformed filters and cursors with field errors', async () => {
    for (const query of ['?accountId=abc', '?errcode=x', '?failed=yes', '?from=yesterday', '?cursor=bm90LWEtY3Vyc29y', '?unknown=1']) {
      const response = await get(query);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().code).toBe('VALIDATION_FAILED');
    }
  });

  it('is open to whoever may read accounts, and closed without a session', async () => {
    const member = await userSession(t().app, root, { username: 'li.member', role: 'member' });
    expect((await get('', member)).statusCode).toBe(200);
    const anonymous = await t().app.inject({ method: 'GET', url: '/api/v1/api-calls' });
    expect(anonymous.statusCode).toBe(401);
  });
});

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { createCache } from '../../platform/cache';
import type { Cache } from '../../platform/cache/cache';
import { manualClock } from '../../platform/clock';
import { createLogger } from '../../platform/logger';
import { createSecretBox, secretKeyFromBase64 } from '../../platform/secrets';
import { oaTagList } from '../official-account';
import { wecomDepartmentList } from '../wecom';
import { createAccessTokenRepository } from './access-tokens.repository';
import { createApiCallRepository } from './api-calls.repository';
import { createWeChatClient, type WeChatAccount, type WeChatClient } from './client';
import { defineEndpoint } from './endpoint';
import { WeChatApiError } from './errors';

/** Plays WeChat's token endpoints and one API of each product for the client under test. */
function createFakeWeChat() {
  const state = {
    tokenFetches: 0,
    forcedFetches: 0,
    apiHits: 0,
    issued: 0,
    current: new Map<string, string>(),
    valid: new Set<string>(),
    /** stable_token's normal mode: hand back the current token while it is valid. */
    stable: false,
    tokenFaults: [] as { errcode: number; errmsg: string }[],
    apiFaults: [] as { errcode: number; errmsg: string }[],
    apiBody: null as unknown,
    /** Runs before an API call is answered, e.g. to let another instance act meanwhile. */
    beforeApiAnswer: null as (() => Promise<void>) | null,
  };
  const issue = (owner: string) => {
    const token = `token-${owner}-${++state.issued}`;
    state.current.set(owner, token);
    state.valid.add(token);
    return token;
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const send = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      const path = url.pathname.replace(/^\/(oa|wecom)\//, '');
      if (path === 'cgi-bin/stable_token' || path === 'cgi-bin/gettoken') {
        state.tokenFetches++;
        const fault = state.tokenFaults.shift();
        if (fault) return send(fault);
        const body = raw ? (JSON.parse(raw) as { appid: string; secret: string; force_refresh?: boolean }) : null;
        const owner = body?.appid ?? url.searchParams.get('corpid') ?? '';
        const secret = body?.secret ?? url.searchParams.get('corpsecret');
        if (secret !== 'right-secret') return send({ errcode: 40001, errmsg: 'invalid credential' });
        if (body?.force_refresh) state.forcedFetches++;
        const existing = state.current.get(owner);
        const token = state.stable && !body?.force_refresh && existing && state.valid.has(existing) ? existing : issue(owner);
        return send({ access_token: token, expires_in: 7200 });
      }
      if (path === 'cgi-bin/tags/get' || path === 'cgi-bin/department/list') {
        state.apiHits++;
        const before = state.beforeApiAnswer;
        state.beforeApiAnswer = null;
        if (before) {
          void before().then(() => answerApi(path, url, send));
          return;
        }
        return answerApi(path, url, send);
      }
      res.writeHead(404).end();
    });
  });
  function answerApi(path: string, url: URL, send: (body: unknown) => void) {
    const fault = state.apiFaults.shift();
    if (fault) return send(fault);
    if (!state.valid.has(url.searchParams.get('access_token') ?? '')) return send({ errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
    if (state.apiBody !== null) return send(state.apiBody);
    return path === 'cgi-bin/tags/get'
      ? send({ tags: [{ id: 2, name: '星标组', count: 0 }] })
      : send({ errcode: 0, errmsg: 'ok', department: [{ id: 1, name: '总部', parentid: 0, order: 100 }] });
  }
  return { state, server };
}

const fake = createFakeWeChat();
let baseUrl = '';
let db: TestDatabase;
let cache: Cache;
const clock = manualClock(new Date('2026-03-01T08:00:00Z'));
const secrets = createSecretBox(secretKeyFromBase64(Buffer.alloc(32, 7).toString('base64'), 'test'));
const warnings: string[] = [];
const logger = createLogger(
  'warn',
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      warnings.push(chunk.toString());
      done();
    },
  }),
);

function client(): WeChatClient {
  return createWeChatClient({
    cache,
    clock,
    logger,
    tokenStore: createAccessTokenRepository(db.handle.db, secrets),
    callLog: createApiCallRepository(db.handle.db, { clock }),
    busyRetryDelaysMs: [1, 1, 1],
  });
}

const oa: WeChatAccount = {
  product: 'official-account',
  accountKey: 'wx1234567890abcdef',
  accountId: 'acc-oa',
  get apiBaseUrl() {
    return `${baseUrl}/oa`;
  },
  credentials: async () => ({ appId: 'wx1234567890abcdef', secret: 'right-secret' }),
};
const wecom: WeChatAccount = {
  product: 'wecom',
  accountKey: 'ww1234567890abcdef:contacts',
  get apiBaseUrl() {
    return `${baseUrl}/wecom`;
  },
  credentials: async () => ({ corpId: 'ww1234567890abcdef', secret: 'right-secret' }),
};

beforeAll(async () => {
  await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
  db = await openTestDatabase();
  cache = await createCache({});
});
afterAll(async () => {
  await new Promise((resolve) => fake.server.close(resolve));
  await cache.close();
  await db.close();
});
beforeEach(async () => {
  await db.reset();
  await cache.close();
  cache = await createCache({});
  Object.assign(fake.state, { tokenFetches: 0, forcedFetches: 0, apiHits: 0, stable: false, tokenFaults: [], apiFaults: [], apiBody: null, beforeApiAnswer: null });
  fake.state.valid.clear();
  fake.state.current.clear();
  warnings.length = 0;
});

describe('access tokens', () => {
  it('fetches one token for two client instances sharing the database', async () => {
    const first = await client().call(oa, oaTagList);
    const second = await client().call(oa, oaTagList);
    expect(first.tags[0]?.name).toBe('星标组');
    expect(second.tags).toHaveLength(1);
    expect(fake.state.tokenFetches).toBe(1);
    expect(fake.state.apiHits).toBe(2);
  });

  it('takes a stored token sealed under another master key for none, and fetches a new one', async () => {
    const former = createSecretBox(secretKeyFromBase64(Buffer.alloc(32, 8).toString('base64'), 'former'));
    await createAccessTokenRepository(db.handle.db, former).save({ accountKey: oa.accountKey, token: 'token-sealed-before', fetchedAt: clock.now(), expiresAt: new Date(clock.now().getTime() + 3_600_000) });
    expect(await createAccessTokenRepository(db.handle.db, secrets).find(oa.accountKey)).toBeNull();
    await client().call(oa, oaTagList);
    expect(fake.state.tokenFetches).toBe(1);
    const replaced = await createAccessTokenRepository(db.handle.db, secrets).find(oa.accountKey);
    expect(replaced?.token).toMatch(/^token-/);
    expect(replaced?.token).not.toBe('token-sealed-before');
  });

  it('fetches a single token for 20 concurrent calls across two instances', async () => {
    const [a, b] = [client(), client()];
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).call(oa, oaTagList)));
    expect(results).toHaveLength(20);
    expect(fake.state.tokenFetches).toBe(1);
    expect(fake.state.apiHits).toBe(20);
  });

  it('keeps tokens per WeCom secret and sends WeCom calls with gettoken', async () => {
    const answer = await client().call(wecom, wecomDepartmentList, undefined, { id: 1 });
    expect(answer.department[0]?.name).toBe('总部');
    await client().call(oa, oaTagList);
    expect(fake.state.tokenFetches).toBe(2);
  });

  it('renews a token ahead of its expiry', async () => {
    const c = client();
    await c.call(oa, oaTagList);
    clock.advance((7200 - 4 * 60) * 1000);
    await c.call(oa, oaTagList);
    expect(fake.state.tokenFetches).toBe(2);
  });

  it('stores tokens sealed, never in clear text', async () => {
    await client().call(oa, oaTagList);
    const rows = (await db.handle.db.execute(sql`SELECT token_sealed FROM wechat_access_tokens`)) as unknown as { rows: { token_sealed: string }[] };
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]?.token_sealed).toMatch(/^v1:/);
    expect(rows.rows[0]?.token_sealed).not.toContain('token-');
  });

  it('refreshes once and retries when WeChat says 40001', async () => {
    const c = client();
    await c.call(oa, oaTagList);
    fake.state.valid.clear();
    const answer = await c.call(oa, oaTagList);
    expect(answer.tags).toHaveLength(1);
    expect(fake.state.tokenFetches).toBe(2);
    expect(fake.state.apiHits).toBe(3);
  });

  it('gives up after one refresh when the new token is refused too', async () => {
    const c = client();
    await c.call(oa, oaTagList);
    fake.state.apiFaults.push({ errcode: 42001, errmsg: 'access_token expired' }, { errcode: 40014, errmsg: 'invalid access_token' });
    const error = await c.call(oa, oaTagList).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WeChatApiError);
    expect((error as WeChatApiError).errcode).toBe(40014);
    expect(fake.state.tokenFetches).toBe(2);
    expect(fake.state.apiHits).toBe(3);
  });

  it('forces a stable-token refresh when WeChat keeps returning the revoked token, and warns', async () => {
    fake.state.stable = true;
    const c = client();
    await c.call(oa, oaTagList);
    const [revoked] = fake.state.valid;
    fake.state.apiFaults.push({ errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
    fake.state.valid.delete(revoked ?? '');
    fake.state.valid.add(revoked ?? '');
    await c.call(oa, oaTagList);
    expect(fake.state.forcedFetches).toBe(1);
    expect(warnings.join('\n')).toContain('another system is probably fetching tokens');
  });
});

describe('token replaced by another instance', () => {
  it('uses the token another instance renewed meanwhile instead of fetching again', async () => {
    const [a, b] = [client(), client()];
    await a.accessToken(oa);
    fake.state.beforeApiAnswer = async () => {
      fake.state.valid.clear();
      await b.fetchAccessToken(oa);
    };
    await expect(a.call(oa, oaTagList)).resolves.toMatchObject({ tags: [{ id: 2 }] });
    expect(fake.state.tokenFetches).toBe(2);
    expect(fake.state.apiHits).toBe(2);
    expect(warnings.join('\n')).not.toContain('another system');
  });
});

describe('errors and retries', () => {
  it('does not retry a quota error (45009)', async () => {
    const c = client();
    await c.call(oa, oaTagList);
    fake.state.apiFaults.push({ errcode: 45009, errmsg: 'reach max api daily quota limit' });
    const error = await c.call(oa, oaTagList).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WeChatApiError);
    expect((error as WeChatApiError).details).toMatchObject({ errcode: 45009, errmsg: 'reach max api daily quota limit', endpoint: 'cgi-bin/tags/get' });
    expect((error as WeChatApiError).reason('zh-CN')).toContain('调用次数已达上限');
    expect((error as WeChatApiError).code).toBe('WECHAT_QUOTA_EXCEEDED');
    expect(fake.state.apiHits).toBe(2);
  });

  it('retries "system busy" (-1) with backoff until it succeeds', async () => {
    const c = client();
    await c.call(oa, oaTagList);
    fake.state.apiFaults.push({ errcode: -1, errmsg: 'system error' }, { errcode: -1, errmsg: 'system error' });
    await expect(c.call(oa, oaTagList)).resolves.toMatchObject({ tags: [{ id: 2 }] });
    expect(fake.state.apiHits).toBe(4);
  });

  it('stops retrying "system busy" after three retries', async () => {
    const c = client();
    await c.call(oa, oaTagList);
    fake.state.apiFaults.push(...Array.from({ length: 5 }, () => ({ errcode: -1, errmsg: 'system error' })));
    const error = await c.call(oa, oaTagList).catch((e: unknown) => e);
    expect((error as WeChatApiError).errcode).toBe(-1);
    expect((error as WeChatApiError).code).toBe('WECHAT_API_BUSY');
    expect(fake.state.apiHits).toBe(5);
  });

  it('names the IP to whitelist from 40164, and where', async () => {
    fake.state.tokenFaults.push({ errcode: 40164, errmsg: 'invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist rid: 6572c3ef-1b2c3d4e' });
    const error = (await client().call(oa, oaTagList).catch((e: unknown) => e)) as WeChatApiError;
    expect(error).toBeInstanceOf(WeChatApiError);
    expect(error.errcode).toBe(40164);
    expect(error.ip).toBe('203.0.113.7');
    expect(error.hint('zh-CN')).toContain('203.0.113.7');
    expect(error.hint('zh-CN')).toContain('IP白名单');
    expect(error.hint('en-US')).toContain('IP whitelist');
    expect(error.code).toBe('WECHAT_IP_NOT_WHITELISTED');
    expect(error.details).toMatchObject({ errcode: 40164, endpoint: 'cgi-bin/stable_token', ip: '203.0.113.7' });
    expect(fake.state.apiHits).toBe(0);
  });

  it('names the IP to add to the WeCom trusted IPs from 60020', async () => {
    fake.state.tokenFaults.push({
      errcode: 60020,
      errmsg: 'not allow to access from your ip, hint: [1701928474_253_2c7d], from ip: 198.51.100.23, more info at https://open.work.weixin.qq.com/devtool/query?e=60020',
    });
    const error = (await client().call(wecom, wecomDepartmentList).catch((e: unknown) => e)) as WeChatApiError;
    expect(error.ip).toBe('198.51.100.23');
    expect(error.code).toBe('WECOM_IP_NOT_TRUSTED');
    expect(error.hint('zh-CN')).toContain('企业可信IP');
    expect(error.hint('zh-CN')).toContain('198.51.100.23');
  });

  it('reports an answer that does not match the declaration as a clear error', async () => {
    const c = client();
    await c.call(oa, oaTagList);
    fake.state.apiBody = { tags: 'not-a-list' };
    const error = await c.call(oa, oaTagList).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'WECHAT_API_BAD_RESPONSE', details: { endpoint: 'cgi-bin/tags/get' } });
    expect((error as { details: { issues: { path: string }[] } }).details.issues[0]?.path).toBe('tags');
  });

  it('reports an unreachable WeChat without retrying', async () => {
    const down: WeChatAccount = { ...oa, apiBaseUrl: 'http://127.0.0.1:1' };
    const error = await client().call(down, oaTagList).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'WECHAT_API_UNREACHABLE' });
  });

  it('refuses locally once a declared rate limit is used up', async () => {
    const limited = defineEndpoint({ ...oaTagList, rateLimits: [{ limit: 2, windowMs: 60_000 }] });
    const c = client();
    await c.call(oa, limited);
    await c.call(oa, limited);
    const error = await c.call(oa, limited).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'WECHAT_API_RATE_LIMITED', details: { endpoint: 'cgi-bin/tags/get' } });
    expect(fake.state.apiHits).toBe(2);
  });

  it('tells the account about WeChat errors', async () => {
    const seen: number[] = [];
    fake.state.tokenFaults.push({ errcode: 40125, errmsg: 'invalid appsecret' });
    await client()
      .call({ ...oa, onApiError: (error) => void seen.push(error.errcode) }, oaTagList)
      .catch(() => undefined);
    expect(seen).toEqual([40125]);
  });
});

describe('call log', () => {
  it('records path, title, account, errcode and duration, but no token or secret', async () => {
    const c = client();
    await c.call(oa, oaTagList);
    fake.state.apiFaults.push({ errcode: 45009, errmsg: 'quota' });
    await c.call(oa, oaTagList).catch(() => undefined);
    const rows = await createApiCallRepository(db.handle.db, { clock }).listRecent({ accountId: 'acc-oa', limit: 10 });
    expect(rows.map((r) => [r.path, r.outcome, r.errcode])).toEqual([
      ['cgi-bin/tags/get', 'wechat_error', 45009],
      ['cgi-bin/tags/get', 'ok', 0],
      ['cgi-bin/stable_token', 'ok', 0],
    ]);
    expect(rows[0]).toMatchObject({ title: '获取公众号已创建的标签', accountKey: 'wx1234567890abcdef', product: 'official-account' });
    expect(JSON.stringify(rows)).not.toMatch(/token-|right-secret/);
  });

  it('prunes entries older than the retention period', async () => {
    const log = createApiCallRepository(db.handle.db, { clock, retentionDays: 30, pruneEvery: 1 });
    const entry = { product: 'wecom' as const, accountKey: 'k', accountId: null, path: 'cgi-bin/gettoken', title: 't', outcome: 'ok' as const, errcode: 0, durationMs: 3 };
    await log.record({ ...entry, at: new Date(clock.now().getTime() - 31 * 86_400_000) });
    await log.record({ ...entry, at: clock.now() });
    const rows = await log.listRecent({ limit: 10 });
    expect(rows).toHaveLength(1);
  });
});

describe('declaration checks', () => {
  it('refuses a body its declaration forbids before calling WeChat', async () => {
    const strict = defineEndpoint({ ...oaTagList, method: 'POST', request: z.strictObject({ name: z.string() }) });
    await expect(client().call(oa, strict, { nope: 1 } as never)).rejects.toThrow(/Invalid body/);
    expect(fake.state.apiHits).toBe(0);
  });
});

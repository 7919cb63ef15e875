import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useTestApp } from '../../../../test/support/test-app';
import type { QiaoApp } from '../../../app';
import { installAccessGuard } from '../../../platform/http/access';
import { createHttpServer, type App } from '../../../platform/http/create-server';
import { createLogger } from '../../../platform/logger';
import { createSecretBox, secretKeyFromBase64 } from '../../../platform/secrets';
import { type Caller, setupRoot, userSession } from '../../../../test/support/callers';
import { createSystemModule } from '../index';
import { createAccountsModule } from './index';

const t = useTestApp({ env: { QIAO_PUBLIC_URL: 'https://qiao.example.com' } });

/** Plays WeChat's token endpoints; `fault` makes the next token call fail. */
const wechat = {
  fault: null as { errcode: number; errmsg: string } | null,
  server: createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const send = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (wechat.fault) {
        const fault = wechat.fault;
        wechat.fault = null;
        return send(fault);
      }
      const secret = url.pathname.endsWith('/cgi-bin/stable_token') ? (JSON.parse(raw) as { secret: string }).secret : url.searchParams.get('corpsecret');
      if (secret?.startsWith('good')) return send({ access_token: `token-${Math.random()}`, expires_in: 7200 });
      return send({ errcode: 40001, errmsg: 'invalid credential' });
    });
  }),
  baseUrl: '',
};

let http: App;
let accounts: ReturnType<typeof createAccountsModule>;
let root: Caller;

beforeAll(async () => {
  await new Promise<void>((resolve) => wechat.server.listen(0, '127.0.0.1', resolve));
  wechat.baseUrl = `http://127.0.0.1:${(wechat.server.address() as AddressInfo).port}`;
  const { db, config, cache, queue, clock } = t();
  const logger = createLogger('silent');
  http = await createHttpServer({ logger, bodyLimitBytes: config.bodyLimitBytes, publicBaseUrl: config.publicBaseUrl, version: 'test' });
  const platform = { config, db: db.handle.db, cache, queue, clock, logger };
  const system = createSystemModule(platform);
  installAccessGuard(http, system);
  await http.register(system.routes);
  const secrets = createSecretBox(secretKeyFromBase64(Buffer.alloc(32, 3).toString('base64'), 'test'));
  accounts = createAccountsModule({ ...platform, audit: system.audit, secrets });
  await http.register(accounts.routes);
  await http.ready();
});
afterAll(async () => {
  await http.close();
  await new Promise((resolve) => wechat.server.close(resolve));
});
beforeEach(async () => {
  wechat.fault = null;
  root = await setupRoot(http as unknown as QiaoApp);
});

const appSecret = 'good-oa-secret-0123456789abcdef';
const wecomSecret = 'good-wecom-secret-contacts-xyz';
const officialAccount = { type: 'official_account', name: '桥服务号', appId: 'wx1234567890abcdef', appSecret, encryptMode: 'safe' };
const wecomCorp = {
  type: 'wecom',
  name: '桥科技',
  corpId: 'ww1234567890abcdef',
  receivers: [
    { receiver: '1000002', secret: 'good-app-secret-1000002' },
    { receiver: 'contacts', secret: wecomSecret, token: 'MyToken123', encodingAesKey: 'a'.repeat(43) },
  ],
};

function request(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, caller: Caller = root, headers: Record<string, string> = {}) {
  return http.inject({ method, url, payload: payload as never, headers: { ...caller.headers, ...headers } });
}

async function connect(body: Record<string, unknown>) {
  const response = await request('POST', '/api/v1/accounts', body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; callbacks: { receiver: string; url: string; token: string; encodingAesKey: string }[] } & Record<string, unknown>;
}

async function auditRows() {
  const result = await t().db.handle.db.execute(sql`SELECT action, target_id AS "targetId", summary FROM audit_log WHERE action LIKE 'accounts.%' ORDER BY seq`);
  return result.rows as { action: string; targetId: string; summary: Record<string, unknown> }[];
}

describe('connecting accounts', () => {
  it('connects an Official Account offline and generates its callback token and EncodingAESKey', async () => {
    const account = await connect(officialAccount);
    expect(account).toMatchObject({
      type: 'official_account',
      name: '桥服务号',
      appId: 'wx1234567890abcdef',
      corpId: null,
      sandbox: false,
      apiBaseUrl: 'https://api.weixin.qq.com',
      encryptMode: 'safe',
      health: { lastCallbackAt: null, lastApiErrorAt: null, lastApiError: null },
    });
    expect(account.callbacks).toHaveLength(1);
    const [callback] = account.callbacks;
    expect(callback).toMatchObject({ receiver: 'official-account', url: `https://qiao.example.com/wechat/official-account/${account.id}/callback` });
    expect(callback?.token).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(callback?.encodingAesKey).toMatch(/^[A-Za-z0-9]{43}$/);
  });

  it('connects a WeCom corp with one callback per receiver, keeping given tokens and keys', async () => {
    const account = await connect(wecomCorp);
    expect(account).toMatchObject({ type: 'wecom', corpId: 'ww1234567890abcdef', appId: null, apiBaseUrl: 'https://qyapi.weixin.qq.com', encryptMode: 'safe' });
    expect(account.callbacks.map((c) => [c.receiver, c.url])).toEqual([
      ['1000002', `https://qiao.example.com/wechat/wecom/${account.id}/1000002/callback`],
      ['contacts', `https://qiao.example.com/wechat/wecom/${account.id}/contacts/callback`],
    ]);
    expect(account.callbacks[1]).toMatchObject({ token: 'MyToken123', encodingAesKey: 'a'.repeat(43) });
  });

  it.each([
    ['appId', { ...officialAccount, appId: 'gh_1234567890ab' }, 'body.appId', 'AppID'],
    ['corpId', { ...wecomCorp, corpId: 'corp-1' }, 'body.corpId', 'CorpID'],
    ['encodingAesKey', { ...officialAccount, encodingAesKey: 'short' }, 'body.encodingAesKey', 'EncodingAESKey'],
    ['receiver', { ...wecomCorp, receivers: [{ receiver: 'app', secret: 'x' }] }, 'body.receivers.0.receiver', 'AgentId'],
    ['apiBaseUrl', { ...officialAccount, apiBaseUrl: 'ftp://example.com' }, 'body.apiBaseUrl', 'http(s) URL'],
  ])('refuses a malformed %s with a 400 naming the field and its format', async (_name, body, field, wording) => {
    const response = await request('POST', '/api/v1/accounts', body);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('VALIDATION_FAILED');
    const problems = response.json().details.fields as { field: string; message: string }[];
    expect(problems.find((p) => p.field === field)?.message).toContain(wording);
  });

  it('refuses unknown fields and repeated receivers', async () => {
    expect((await request('POST', '/api/v1/accounts', { ...officialAccount, extra: 1 })).statusCode).toBe(400);
    const repeated = { ...wecomCorp, receivers: [wecomCorp.receivers[0], wecomCorp.receivers[0]] };
    expect((await request('POST', '/api/v1/accounts', repeated)).statusCode).toBe(400);
  });

  it('refuses to connect the same AppID twice', async () => {
    await connect(officialAccount);
    const response = await request('POST', '/api/v1/accounts', { ...officialAccount, name: '另一个' });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'ACCOUNT_ALREADY_CONNECTED', details: { wechatId: 'wx1234567890abcdef', name: '桥服务号' } });
  });

  it('connects an AppID only once when two requests race', async () => {
    const answers = await Promise.all([request('POST', '/api/v1/accounts', officialAccount), request('POST', '/api/v1/accounts', officialAccount)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
  });

  it('lists, reads and disconnects accounts', async () => {
    const oa = await connect(officialAccount);
    t().clock.advance(1000);
    const corp = await connect(wecomCorp);
    const list = (await request('GET', '/api/v1/accounts?limit=1')).json();
    expect(list.items.map((a: { id: string }) => a.id)).toEqual([oa.id]);
    expect(list.total).toBe(2);
    const next = (await request('GET', `/api/v1/accounts?limit=1&cursor=${list.nextCursor}`)).json();
    expect(next.items.map((a: { id: string }) => a.id)).toEqual([corp.id]);
    expect(next.nextCursor).toBeNull();
    expect((await request('GET', '/api/v1/accounts?type=wecom')).json().items).toHaveLength(1);
    expect((await request('GET', `/api/v1/accounts/${corp.id}`)).json().name).toBe('桥科技');
    expect((await request('DELETE', `/api/v1/accounts/${corp.id}`)).statusCode).toBe(204);
    const gone = await request('GET', `/api/v1/accounts/${corp.id}`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json().code).toBe('ACCOUNT_NOT_FOUND');
  });
});

describe('changing accounts', () => {
  it('rotates the EncodingAESKey and keeps the previous one for decryption', async () => {
    const account = await connect(officialAccount);
    const oldKey = account.callbacks[0]!.encodingAesKey;
    const response = await request('PATCH', `/api/v1/accounts/${account.id}`, { regenerateEncodingAesKey: true, name: '新名字' });
    expect(response.statusCode, response.body).toBe(200);
    const newKey = response.json().callbacks[0].encodingAesKey;
    expect(newKey).toMatch(/^[A-Za-z0-9]{43}$/);
    expect(newKey).not.toBe(oldKey);
    expect(response.json().name).toBe('新名字');
    const credentials = await accounts.service.openCredentials(account.id, 'official-account');
    expect(credentials.encodingAesKeys).toEqual([newKey, oldKey]);
    expect(credentials).toMatchObject({ secret: appSecret, wechatId: 'wx1234567890abcdef', encryptMode: 'safe' });
  });

  it('adds, changes and removes WeCom receivers', async () => {
    const account = await connect(wecomCorp);
    const response = await request('PATCH', `/api/v1/accounts/${account.id}`, {
      receivers: [{ receiver: 'customer-contact', secret: 'good-customer-secret' }, { receiver: 'contacts', token: 'Changed99' }],
      removeReceivers: ['1000002'],
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().callbacks.map((c: { receiver: string; token: string }) => [c.receiver, c.token === 'Changed99'])).toEqual([
      ['contacts', true],
      ['customer-contact', false],
    ]);
  });

  it('refuses fields of the other account type, a new receiver without secret and removing the last receiver', async () => {
    const corp = await connect({ ...wecomCorp, receivers: [wecomCorp.receivers[1]] });
    const wrongType = await request('PATCH', `/api/v1/accounts/${corp.id}`, { appSecret: 'x' });
    expect(wrongType.json()).toMatchObject({ code: 'ACCOUNT_FIELD_NOT_APPLICABLE', details: { field: 'appSecret' } });
    const noSecret = await request('PATCH', `/api/v1/accounts/${corp.id}`, { receivers: [{ receiver: '1000005' }] });
    expect(noSecret.json()).toMatchObject({ code: 'ACCOUNT_RECEIVER_SECRET_REQUIRED', details: { receiver: '1000005' } });
    const last = await request('PATCH', `/api/v1/accounts/${corp.id}`, { removeReceivers: ['contacts'] });
    expect(last.statusCode).toBe(400);
    expect(last.json().code).toBe('ACCOUNT_LAST_RECEIVER');
  });

  it('audits every change without secrets, and never answers a secret', async () => {
    const oa = await connect(officialAccount);
    const corp = await connect(wecomCorp);
    const answers = [
      await request('PATCH', `/api/v1/accounts/${oa.id}`, { appSecret: 'good-rotated-app-secret' }),
      await request('PATCH', `/api/v1/accounts/${corp.id}`, { receivers: [{ receiver: 'contacts', secret: 'good-rotated-contacts' }] }),
      await request('GET', '/api/v1/accounts'),
      await request('GET', `/api/v1/accounts/${oa.id}`),
      await request('POST', `/api/v1/accounts/${oa.id}/test`),
      await request('DELETE', `/api/v1/accounts/${corp.id}`),
    ];
    const secrets = [appSecret, wecomSecret, 'good-app-secret-1000002', 'good-rotated-app-secret', 'good-rotated-contacts'];
    const audit = await auditRows();
    expect(audit.map((row) => row.action)).toEqual(['accounts.create', 'accounts.create', 'accounts.update', 'accounts.update', 'accounts.delete']);
    expect(audit[2]?.summary).toEqual({ changed: ['credentials'] });
    const everything = JSON.stringify([answers.map((a) => a.body), audit]);
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/"(appSecret|secret)"/);
  });
});

describe('testing the connection', () => {
  it('answers ok when every receiver gets a token', async () => {
    const account = await connect({ ...wecomCorp, apiBaseUrl: `${wechat.baseUrl}/wecom` });
    const response = await request('POST', `/api/v1/accounts/${account.id}/test`);
    expect(response.json()).toEqual({ ok: true, results: [{ receiver: '1000002', ok: true }, { receiver: 'contacts', ok: true }] });
  });

  it('reports a wrong secret with WeChat errcode and an explanation', async () => {
    const account = await connect({ ...officialAccount, appSecret: 'bad-secret', apiBaseUrl: `${wechat.baseUrl}/oa` });
    const response = await request('POST', `/api/v1/accounts/${account.id}/test`);
    expect(response.json()).toMatchObject({ ok: false, errcode: 40001, errmsg: 'invalid credential', receiver: 'official-account' });
    expect(response.json().message).toContain('AppSecret');
  });

  it('says which IP to whitelist, and where, in the request language, and shows it in health', async () => {
    const account = await connect({ ...officialAccount, apiBaseUrl: `${wechat.baseUrl}/oa` });
    wechat.fault = { errcode: 40164, errmsg: 'invalid ip 203.0.113.9 ipv6 ::ffff:203.0.113.9, not in whitelist rid: 1a2b' };
    const response = await request('POST', `/api/v1/accounts/${account.id}/test`, undefined, root, { 'accept-language': 'en-US' });
    const body = response.json();
    expect(body).toMatchObject({ ok: false, errcode: 40164 });
    expect(body.message).toContain('whitelist');
    expect(body.hint).toContain('203.0.113.9');
    expect(body.hint).toContain('IP whitelist');
    const health = (await request('GET', `/api/v1/accounts/${account.id}`)).json().health;
    expect(health.lastApiError).toEqual({ errcode: 40164, errmsg: expect.stringContaining('invalid ip'), endpoint: 'cgi-bin/stable_token' });
    expect(health.lastApiErrorAt).not.toBeNull();
  });

  it('reports an unreachable API base URL without failing the request', async () => {
    const account = await connect({ ...officialAccount, apiBaseUrl: 'http://127.0.0.1:1' });
    const body = (await request('POST', `/api/v1/accounts/${account.id}/test`)).json();
    expect(body.ok).toBe(false);
    expect(body.message).toContain('无法连接');
  });
});

describe('secrets sealed under a master key this server does not have', () => {
  // As after QIAO_SECRET_KEY was changed, or a new data dir (with a new generated key) on the same database.
  const formerKey = secretKeyFromBase64(Buffer.alloc(32, 8).toString('base64'), 'former');
  const former = createSecretBox(formerKey);

  async function sealUnderFormerKey(accountId: string) {
    const { db } = t().db.handle;
    await db.execute(sql`UPDATE account_receivers SET secret_sealed = ${former.sealSecret(appSecret)}, token_sealed = ${former.sealSecret('FormerToken1')},
      aes_key_sealed = ${former.sealSecret('b'.repeat(43))} WHERE account_id = ${accountId}`);
  }

  it('lists and shows the account with the values missing and the health saying so, names the key, and refuses uses of the secrets with ACCOUNT_SECRETS_UNREADABLE', async () => {
    const { id } = await connect({ ...officialAccount, apiBaseUrl: wechat.baseUrl });
    await sealUnderFormerKey(id);

    const shown = await request('GET', `/api/v1/accounts/${id}`);
    expect(shown.statusCode, shown.body).toBe(200);
    expect(shown.json()).toMatchObject({ health: { secretsReadable: false }, callbacks: [{ receiver: 'official-account', token: null, encodingAesKey: null }] });
    const listed = await request('GET', '/api/v1/accounts');
    expect(listed.statusCode).toBe(200);
    expect((listed.json() as { items: { id: string; health: { secretsReadable: boolean } }[] }).items.find((a) => a.id === id)?.health.secretsReadable).toBe(false);

    expect(await accounts.service.unreadableSecrets()).toEqual([{ id, name: officialAccount.name, keyIds: [formerKey.id] }]);

    const tested = await request('POST', `/api/v1/accounts/${id}/test`, undefined, root, { 'accept-language': 'en-US' });
    expect(tested.statusCode, tested.body).toBe(200);
    expect(tested.json()).toMatchObject({ ok: false, message: expect.stringContaining(`another master key (id ${formerKey.id})`) });
    const checked = await request('POST', `/api/v1/accounts/${id}/callback-check`, {});
    expect(checked.statusCode, checked.body).toBe(503);
    expect(checked.json()).toMatchObject({ code: 'ACCOUNT_SECRETS_UNREADABLE', details: { keyId: formerKey.id } });
  });

  it('is repaired by entering the secrets again, without the unreadable key kept as the previous one', async () => {
    const { id } = await connect({ ...officialAccount, apiBaseUrl: wechat.baseUrl });
    await sealUnderFormerKey(id);
    const repaired = await request('PATCH', `/api/v1/accounts/${id}`, { appSecret: 'good-oa-secret-entered-again', token: 'EnteredAgain1', encodingAesKey: 'c'.repeat(43) });
    expect(repaired.statusCode, repaired.body).toBe(200);
    expect(repaired.json()).toMatchObject({ health: { secretsReadable: true }, callbacks: [{ token: 'EnteredAgain1', encodingAesKey: 'c'.repeat(43) }] });
    expect(await accounts.service.unreadableSecrets()).toEqual([]);
    const credentials = await accounts.service.openCredentials(id, 'official-account');
    expect(credentials).toMatchObject({ secret: 'good-oa-secret-entered-again', token: 'EnteredAgain1', encodingAesKeys: ['c'.repeat(43)] });
    const tested = await request('POST', `/api/v1/accounts/${id}/test`);
    expect(tested.json()).toMatchObject({ ok: true });
  });
});

describe('service for other modules', () => {
  it('records callbacks in the account health', async () => {
    const account = await connect(officialAccount);
    await accounts.service.recordCallbackReceived(account.id);
    const health = (await request('GET', `/api/v1/accounts/${account.id}`)).json().health;
    expect(health.lastCallbackAt).toBe(t().clock.now().toISOString());
  });

  it('gives the WeChat client an identity per receiver', async () => {
    const account = await connect(wecomCorp);
    const identity = await accounts.service.wechatAccountFor(account.id, 'contacts');
    expect(identity).toMatchObject({ product: 'wecom', accountKey: 'ww1234567890abcdef:contacts', apiBaseUrl: 'https://qyapi.weixin.qq.com', accountId: account.id });
    expect(await identity.credentials()).toEqual({ corpId: 'ww1234567890abcdef', secret: wecomSecret });
    await expect(accounts.service.wechatAccountFor(account.id, '1000099')).rejects.toMatchObject({ code: 'ACCOUNT_RECEIVER_NOT_FOUND' });
  });
});

describe('permissions', () => {
  it('lets members read accounts but not change them', async () => {
    const account = await connect(officialAccount);
    const member = await userSession(http as unknown as QiaoApp, root, { username: 'member1', role: 'member' });
    expect((await request('GET', `/api/v1/accounts/${account.id}`, undefined, member)).statusCode).toBe(200);
    const refused = await request('PATCH', `/api/v1/accounts/${account.id}`, { name: 'x' }, member);
    expect(refused.statusCode).toBe(403);
    expect((await request('POST', '/api/v1/accounts', wecomCorp, member)).statusCode).toBe(403);
  });

  it('refuses callers without a session', async () => {
    expect((await http.inject({ method: 'GET', url: '/api/v1/accounts' })).statusCode).toBe(401);
  });
});

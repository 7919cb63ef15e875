import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { openTestDatabase, type TestDatabase } from './test-database';
import { createCache } from '../../server/platform/cache';
import { manualClock } from '../../server/platform/clock';
import { loadConfig } from '../../server/platform/config';
import { installAccessGuard } from '../../server/platform/http/access';
import { createHttpServer, type App } from '../../server/platform/http/create-server';
import type { Principal } from '../../server/platform/http/principal';
import { createLogger } from '../../server/platform/logger';
import { MessageCrypt, openWeComPush, parseWeChatXml, sealReply, type WeChatRecord } from '../../server/wechat/core';
import { createSandbox } from '../../server/sandbox';
import { createWeComSandbox, type WeComSandbox, type WeComSandboxOptions } from '../../server/sandbox/wecom';
import type { CorpView } from '../../server/sandbox/wecom/world';

const controller: Principal = {
  kind: 'api_key',
  userId: 'sandbox-tests',
  username: 'sandbox-tests',
  displayName: 'sandbox tests',
  role: 'super_admin',
  permissions: ['sandbox.control'],
  departmentScopes: [],
  wecomMembers: [],
};

/** Header that makes a request as a holder of `sandbox.control` in the harness. */
export const controlHeaders = { authorization: 'Bearer sandbox-control' };

export interface WeComHarness {
  app: App;
  db: TestDatabase;
  clock: ReturnType<typeof manualClock>;
  wecom: WeComSandbox;
}

/**
 * The sandbox alone on a real per-file database, with the WeCom plugin and a
 * stand-in authenticator for the control API (Qiao's login is not under test here).
 */
export function useWeComHarness(options: WeComSandboxOptions = {}): () => WeComHarness {
  let current: (WeComHarness & { close(): Promise<void> }) | undefined;
  beforeAll(async () => {
    const db = await openTestDatabase();
    const config = loadConfig({ QIAO_DATA_DIR: '/nonexistent-test-data-dir', LOG_LEVEL: 'silent', QIAO_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') });
    const logger = createLogger('silent');
    const clock = manualClock(new Date());
    const cache = await createCache({ redisUrl: undefined });
    const app = await createHttpServer({ logger, bodyLimitBytes: config.bodyLimitBytes, publicBaseUrl: config.publicBaseUrl, version: 'test' });
    installAccessGuard(app, {
      authenticator: { authenticate: async (request) => (request.headers.authorization === controlHeaders.authorization ? controller : null) },
      refusals: { recordRefusal: async () => undefined },
    });
    let wecom: WeComSandbox | undefined;
    const sandbox = createSandbox(
      { config, db: db.handle.db, cache, clock, logger, delivery: { timeoutMs: 2000, maxAttempts: 3 } },
      { plugins: [(ctx) => (wecom = createWeComSandbox(ctx, options)).product] },
    );
    await app.register(sandbox.routes);
    await app.ready();
    current = {
      app,
      db,
      clock,
      wecom: wecom as WeComSandbox,
      async close() {
        await (wecom as WeComSandbox).jobs.idle();
        await app.close();
        await cache.close();
        await db.close();
      },
    };
  });
  beforeEach(async () => {
    await current?.wecom.jobs.idle();
    await current?.db.reset();
  });
  afterAll(async () => {
    await current?.close();
  });
  return () => {
    if (!current) throw new Error('useWeComHarness: call the getter inside a test');
    return current;
  };
}

/** A corp created through the control API, with a token per receiver. */
export interface CorpFixture extends CorpView {
  tokens: Record<string, string>;
  secret(receiver: string): string;
}

export async function createCorpFixture(h: WeComHarness, body: Record<string, unknown> = {}): Promise<CorpFixture> {
  const created = await h.app.inject({ method: 'POST', url: '/sandbox/control/wecom-corps', headers: controlHeaders, payload: body });
  if (created.statusCode !== 201) throw new Error(`create corp: ${created.statusCode} ${created.body}`);
  const corp = created.json() as CorpView;
  const tokens: Record<string, string> = {};
  for (const receiver of corp.receivers) {
    const answer = await h.app.inject({ method: 'GET', url: `/sandbox/wecom/cgi-bin/gettoken?corpid=${corp.corpId}&corpsecret=${receiver.secret}` });
    tokens[receiver.receiver] = (answer.json() as { access_token: string }).access_token;
  }
  return { ...corp, tokens, secret: (receiver) => corp.receivers.find((r) => r.receiver === receiver)?.secret ?? '' };
}

/** Calls the sandbox as a WeCom client would. */
export async function qy(h: WeComHarness, token: string, method: 'GET' | 'POST', path: string, body?: unknown, query: Record<string, string | number> = {}) {
  const search = new URLSearchParams({ access_token: token, ...Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])) });
  const response = await h.app.inject({
    method,
    url: `/sandbox/wecom/${path}?${search.toString()}`,
    ...(body === undefined ? {} : { payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return response.json() as Record<string, unknown> & { errcode: number; errmsg: string };
}

/** Uploads a file as multipart `media`, as `media/upload` expects. */
export async function upload(h: WeComHarness, token: string, filename: string, content: string): Promise<string> {
  const boundary = '----qiaoSandboxBoundary';
  const payload = `--${boundary}\r\nContent-Disposition: form-data; name="media"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n--${boundary}--\r\n`;
  const response = await h.app.inject({
    method: 'POST',
    url: `/sandbox/wecom/cgi-bin/media/upload?access_token=${token}&type=file`,
    payload: Buffer.from(payload, 'utf8'),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
  const answer = response.json() as { media_id?: string; errcode: number; errmsg: string };
  if (!answer.media_id) throw new Error(`upload failed: ${response.body}`);
  return answer.media_id;
}

/**
 * A callback endpoint playing Qiao's side: opens each push with the receiver's
 * token and key, records the message, answers what `reply` returns (plaintext
 * XML is sealed; `''` means an empty 200).
 */
export function callbackReceiver() {
  const received: WeChatRecord[] = [];
  let keys: { token: string; encodingAesKey: string; corpId: string } | null = null;
  let reply: (message: WeChatRecord) => string = () => '';
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      try {
        if (!keys) throw new Error('no keys');
        const crypt = new MessageCrypt({ currentKey: keys.encodingAesKey, receiverId: keys.corpId });
        const query = Object.fromEntries(new URL(request.url ?? '/', 'http://x').searchParams);
        const opened = openWeComPush({ query, body, token: keys.token, crypt });
        const message = parseWeChatXml(opened.plaintext);
        received.push(message);
        const plaintext = reply(message);
        response.end(plaintext === '' ? '' : sealReply(plaintext, { token: keys.token, crypt }));
      } catch (error) {
        response.statusCode = 400;
        response.end(String(error));
      }
    });
  });
  return {
    received,
    use(next: { token: string; encodingAesKey: string; corpId: string }, answer: (message: WeChatRecord) => string = () => '') {
      keys = next;
      reply = answer;
      received.length = 0;
    },
    async start(): Promise<string> {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

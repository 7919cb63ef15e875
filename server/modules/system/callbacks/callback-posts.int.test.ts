import type { AddressInfo } from 'node:net';
import { request as httpRequest } from 'node:http';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setupRoot } from '../../../../test/support/callers';
import { useTestApp } from '../../../../test/support/test-app';
import { connectOfficialAccount, connectWeCom, oaPush, oaVerifyUrl, oaXml, readAnswer, wecomPush, wecomXml } from './callback-test-kit';

// The callback POSTs as a listening server answers them: from the fast lane in front of Fastify.
const t = useTestApp();

let base: string;
let oaId: string;
let wecomId: string;
/** The /wechat/ requests the fast lane left to Fastify. */
let fastifySaw: string[];

beforeAll(async () => {
  const { app } = t();
  app.callbacks.subscribe('official-account.text', ({ event }) => ({ type: 'text', content: `收到：${event.content}` }));
  const take = app.fastLane.take.bind(app.fastLane);
  app.fastLane.take = (req, res) => {
    const taken = take(req, res);
    if (!taken && req.url?.startsWith('/wechat/')) fastifySaw.push(`${req.method} ${req.url.split('?')[0]}`);
    return taken;
  };
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

// Each test has a clean database (useTestApp), so the accounts are connected again.
beforeEach(async () => {
  const { app } = t();
  const root = await setupRoot(app);
  oaId = await connectOfficialAccount(app, root);
  wecomId = await connectWeCom(app, root);
  fastifySaw = [];
});

function post(url: string, body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) {
  return fetch(`${base}${url}`, { method: 'POST', body, headers: { 'content-type': 'text/xml', ...headers } });
}

/** A POST sent in chunks without a length, as a client streaming its body does. */
function postChunked(url: string, chunks: Buffer[]): Promise<{ status: number; body: string; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${url}`, { method: 'POST', headers: { 'content-type': 'text/xml', 'transfer-encoding': 'chunked' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('callback POSTs on a listening server', () => {
  it('answers a push with the sealed reply and the server headers, without Fastify', async () => {
    const push = oaPush(oaId, oaXml({ MsgType: 'text', Content: '营业时间', MsgId: '6100000000000000001' }));
    const response = await post(push.url, push.body);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const answer = readAnswer(await response.text());
    expect(answer.kind === 'message' && answer.plaintext).toContain('收到：营业时间');
    expect(fastifySaw).toEqual([]);
  });

  it('keeps a well-formed request id the caller sent', async () => {
    const push = oaPush(oaId, oaXml({ MsgType: 'text', Content: 'id', MsgId: '6100000000000000002' }));
    const response = await post(push.url, push.body, { 'x-request-id': 'wechat-trace.42' });
    expect(response.headers.get('x-request-id')).toBe('wechat-trace.42');
  });

  it('refuses a forged signature with the error body in the caller language', async () => {
    const push = oaPush(oaId, oaXml({ MsgType: 'text', Content: 'x', MsgId: '6100000000000000003' }), { token: 'SomeoneElsesToken' });
    const response = await post(push.url, push.body, { 'accept-language': 'zh-CN' });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { code: string; message: string; requestId: string };
    expect(body.code).toBe('WECHAT_SIGNATURE_INVALID');
    expect(body.message).toMatch(/[\u4e00-\u9fff]/);
    expect(body.requestId).toBe(response.headers.get('x-request-id'));
    expect(fastifySaw).toEqual([]);
  });

  it('refuses a body over 1 MiB by its declared length, and one streamed past it', async () => {
    const push = oaPush(oaId, oaXml({ MsgType: 'text', Content: 'big', MsgId: '6100000000000000004' }));
    const declared = await post(push.url, new Uint8Array(1024 * 1024 + 1).fill(0x20));
    expect(declared.status).toBe(413);
    expect(declared.headers.get('connection')).toBe('close');
    expect(((await declared.json()) as { code: string }).code).toBe('WECHAT_CALLBACK_TOO_LARGE');
    const streamed = await postChunked(push.url, Array.from({ length: 20 }, () => Buffer.alloc(64 * 1024, 0x20)));
    expect(streamed.status).toBe(413);
    expect((JSON.parse(streamed.body) as { code: string }).code).toBe('WECHAT_CALLBACK_TOO_LARGE');
    // Nothing was stored, and the server still answers.
    const next = oaPush(oaId, oaXml({ MsgType: 'text', Content: 'after', MsgId: '6100000000000000005' }));
    expect((await post(next.url, next.body)).status).toBe(200);
  });

  it('answers an unknown WeCom receiver 404 and leaves WeCom pushes to the same pipeline', async () => {
    const unknown = await post(`/wechat/wecom/${wecomId}/nobody/callback?msg_signature=a&timestamp=1&nonce=2`, '<xml/>');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { code: string }).code).toBe('ACCOUNT_RECEIVER_NOT_FOUND');
    const push = wecomPush(wecomId, 'contacts', wecomXml({ MsgType: 'event', Event: 'change_contact', ChangeType: 'delete_user', UserID: 'lisi' }));
    const answered = await post(push.url, push.body);
    expect(answered.status).toBe(200);
    expect(await answered.text()).toBe('');
    expect(fastifySaw).toEqual([]);
  });

  it('leaves URL verification and other URLs to Fastify', async () => {
    const verified = await fetch(`${base}${oaVerifyUrl(oaId, 'echo-123')}`);
    expect(verified.status).toBe(200);
    expect(await verified.text()).toBe('echo-123');
    const other = await post(`/wechat/official-account/${oaId}/callback/extra`, '<xml/>');
    expect(other.status).toBe(404);
    expect(((await other.json()) as { code: string }).code).toBe('ROUTE_NOT_FOUND');
    expect(fastifySaw).toEqual([`GET /wechat/official-account/${oaId}/callback`, `POST /wechat/official-account/${oaId}/callback/extra`]);
  });
});

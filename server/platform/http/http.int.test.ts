import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { text } from '../../../common/text';
import { createLogger } from '../logger';
import { createHttpServer } from './create-server';
import { localeFromAcceptLanguage } from '../i18n/locale';

async function buildServer(logLines?: string[]) {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines?.push(chunk.toString());
      done();
    },
  });
  const app = await createHttpServer({
    logger: createLogger('info', sink),
    bodyLimitBytes: 2048,
    publicBaseUrl: 'http://127.0.0.1:3000',
    version: 'test',
  });
  app.post(
    '/api/echo',
    { schema: { body: z.strictObject({ name: text(10), count: z.number().int() }) } },
    async (request) => request.body,
  );
  app.get('/api/boom', async () => {
    throw new Error('database exploded with password=hunter2');
  });
  await app.ready();
  return app;
}

describe('HTTP platform', () => {
  it('answers /healthz and gives every answer a request id and security headers', async () => {
    const app = await buildServer();
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.json()).toEqual({ status: 'ok' });
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['referrer-policy']).toBe('same-origin');
  });

  it('keeps a well-formed request id sent by a proxy and replaces a bad one', async () => {
    const app = await buildServer();
    const kept = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'edge-42.a_b' } });
    expect(kept.headers['x-request-id']).toBe('edge-42.a_b');
    const replaced = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'bad id\nwith newline' } });
    expect(replaced.headers['x-request-id']).not.toContain(' ');
  });

  it('names every bad field, in the caller language', async () => {
    const app = await buildServer();
    const response = await app.inject({
      method: 'POST',
      url: '/api/echo',
      headers: { 'accept-language': 'en-US,en;q=0.9' },
      payload: { name: 'x'.repeat(11), count: 'three', extra: true },
    });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.message).toBe('The request has invalid fields; see details');
    expect(body.requestId).toBe(response.headers['x-request-id']);
    const fields = (body.details.fields as { field: string }[]).map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['body.name', 'body.count', 'body']));
    const zh = await app.inject({ method: 'POST', url: '/api/echo', payload: { name: 'a', count: 1.5 } });
    expect(zh.json().message).toContain('请求参数有误');
  });

  it('refuses NUL characters and unpaired surrogates in strings', async () => {
    const app = await buildServer();
    for (const name of ['a\u0000b', 'x\uD800y']) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/echo',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ name, count: 1 }),
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().details.fields[0].field).toBe('body.name');
    }
  });

  it('answers malformed JSON with 400 MALFORMED_JSON and oversize bodies with 413', async () => {
    const app = await buildServer();
    const malformed = await app.inject({ method: 'POST', url: '/api/echo', headers: { 'content-type': 'application/json' }, payload: '{"name": ' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('MALFORMED_JSON');
    const oversize = await app.inject({
      method: 'POST',
      url: '/api/echo',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'a', count: 1, pad: 'x'.repeat(4096) }),
    });
    expect(oversize.statusCode).toBe(413);
    expect(oversize.json().code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers unknown routes with ROUTE_NOT_FOUND and hides internal errors behind INTERNAL_ERROR', async () => {
    const lines: string[] = [];
    const app = await buildServer(lines);
    const missing = await app.inject({ method: 'GET', url: '/api/nothing-here?x=1' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND', details: { method: 'GET', url: '/api/nothing-here' } });
    const boom = await app.inject({ method: 'GET', url: '/api/boom' });
    expect(boom.statusCode).toBe(500);
    expect(boom.json().code).toBe('INTERNAL_ERROR');
    expect(JSON.stringify(boom.json())).not.toContain('hunter2');
  });

  it('never writes cookies or authorization headers to the log', async () => {
    const lines: string[] = [];
    const app = await buildServer(lines);
    await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { cookie: 'qiao_session=very-secret-cookie', authorization: 'Bearer qiao_secretkeyvalue' },
    });
    const log = lines.join('');
    expect(log).toContain('/healthz');
    expect(log).not.toContain('very-secret-cookie');
    expect(log).not.toContain('qiao_secretkeyvalue');
  });

  it('serves the OpenAPI 3.1 document', async () => {
    const app = await buildServer();
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/echo');
  });
});

describe('locale from Accept-Language', () => {
  it.each([
    [undefined, 'zh-CN'],
    ['en-US,en;q=0.9', 'en-US'],
    ['zh-TW,en;q=0.5', 'zh-CN'],
    ['fr-FR,en;q=0.8,zh;q=0.9', 'zh-CN'],
    ['fr-FR,en;q=0.8', 'en-US'],
    ['de', 'zh-CN'],
  ])('%s → %s', (header, locale) => {
    expect(localeFromAcceptLanguage(header)).toBe(locale);
  });
});

describe('closing while a request runs', () => {
  it('ends the connection of a request answered during close, so a keep-alive client cannot hold close open', async () => {
    const app = await createHttpServer({ logger: createLogger('silent'), bodyLimitBytes: 2048, publicBaseUrl: 'http://127.0.0.1:3000', version: 'test' });
    let release: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      app.get('/api/slow', async () => {
        resolve();
        await new Promise<void>((done) => (release = done));
        return { done: true };
      });
    });
    // Runs after the platform's own preClose hook: the answer comes once closing has begun.
    app.addHook('preClose', (done) => {
      release();
      done();
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const answer = fetch(`http://127.0.0.1:${port}/api/slow`);
    await started;
    const closed = app.close();
    const response = await answer;
    expect(response.headers.get('connection')).toBe('close');
    expect(await response.json()).toEqual({ done: true });
    await closed;
    expect(app.server.listening).toBe(false);
  });
});

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../platform/clock';
import { createLogger } from '../../platform/logger';
import { useTestApp } from '../../../test/support/test-app';
import { createCoreRepository } from './core.repository';
import { createCallbackDeliverer, type DeliveryRequest } from './delivery';
import { createFaultRegistry } from './faults';

type Behaviour = (request: IncomingMessage, response: ServerResponse, body: string) => void;

/** A tiny callback receiver whose behaviour each test scripts, one entry per request. */
function receiver() {
  let script: Behaviour[] = [];
  const seen: { url: string; body: string }[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      seen.push({ url: request.url ?? '', body });
      const next = script.shift() ?? ((_q, res) => res.end('success'));
      next(request, response, body);
    });
  });
  return {
    seen,
    script(...behaviours: Behaviour[]) {
      script = behaviours;
      seen.length = 0;
    },
    async start(): Promise<string> {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const answer = (text: string, status = 200): Behaviour => (_q, res) => {
  res.statusCode = status;
  res.end(text);
};
const silent: Behaviour = () => undefined;

describe('callback delivery', () => {
  const t = useTestApp();
  const server = receiver();
  let url = '';
  const faults = createFaultRegistry();
  const deliverer = () =>
    createCallbackDeliverer({
      repository: createCoreRepository(t().db.handle.db),
      faults,
      clock: manualClock(),
      logger: createLogger('silent'),
      options: { timeoutMs: 300, maxAttempts: 3 },
    });

  beforeAll(async () => {
    url = await server.start();
  });
  afterAll(() => server.stop());
  beforeEach(() => faults.clear());

  const request = (overrides: Partial<DeliveryRequest> = {}): DeliveryRequest => ({
    product: 'official-account',
    ownerKey: 'wx0000000000000001',
    target: 'oFollower',
    event: 'text',
    url,
    message: '<xml><Content>hi</Content></xml>',
    build: () => ({ query: { signature: 'sig', timestamp: '1', nonce: '2' }, body: '<xml><Content>hi</Content></xml>' }),
    judge: async (body) => (body === '' || body === 'success' ? { status: 'no_reply' } : { status: 'replied', received: [body] }),
    onUnanswered: async () => ['notice'],
    ...overrides,
  });

  it.each([
    ['an empty body means no reply', [answer('')], { attempts: 1, status: 'no_reply' }],
    ['`success` means no reply', [answer('success')], { attempts: 1, status: 'no_reply' }],
    ['a reply is judged by the product', [answer('<xml/>')], { attempts: 1, status: 'replied' }],
    ['a 500 is retried and the second answer counts', [answer('oops', 500), answer('success')], { attempts: 2, status: 'no_reply' }],
    ['no answer within the deadline is retried', [silent, answer('success')], { attempts: 2, status: 'no_reply' }],
    ['three unanswered deliveries fail and call onUnanswered', [silent, silent, silent], { attempts: 3, status: 'failed', received: ['notice'] }],
  ] as const)('%s', async (_name, behaviours, expected) => {
    server.script(...behaviours);
    const result = await deliverer().deliver(request());
    expect(result).toMatchObject(expected);
    expect(server.seen.length).toBe(expected.attempts);
    expect(server.seen[0]?.url).toBe('/callback?signature=sig&timestamp=1&nonce=2');
  });

  it('seals each attempt afresh', async () => {
    server.script(answer('', 503), answer(''));
    let builds = 0;
    await deliverer().deliver(request({ build: () => ({ query: { n: String(++builds) }, body: 'x' }) }));
    expect(server.seen.map((s) => s.url)).toEqual(['/callback?n=1', '/callback?n=2']);
  });

  it('treats an attempt as timed out when a timeout fault is armed, then retries', async () => {
    faults.arm({ product: 'official-account', path: 'callback', delivery: 'timeout', count: 1 });
    server.script(answer('success'), answer('success'));
    const result = await deliverer().deliver(request());
    expect(result).toMatchObject({ attempts: 2, status: 'no_reply' });
  });

  it('sends an attempt twice at once when a duplicate fault is armed', async () => {
    faults.arm({ product: 'official-account', path: 'callback', delivery: 'duplicate', count: 1 });
    server.script(answer('success'), answer('success'));
    const result = await deliverer().deliver(request());
    expect(result.attempts).toBe(2);
    expect(server.seen.map((s) => s.body)).toEqual(['<xml><Content>hi</Content></xml>', '<xml><Content>hi</Content></xml>']);
  });

  it('records every delivery in the live feed, newest first', async () => {
    server.script(answer('success'), silent, silent, silent);
    await deliverer().deliver(request({ event: 'event:subscribe' }));
    await deliverer().deliver(request({ event: 'text' }));
    const feed = await createCoreRepository(t().db.handle.db).listDeliveries({ limit: 10 });
    expect(feed.map((row) => [row.event, row.status, row.attempts])).toEqual([
      ['text', 'failed', 3],
      ['event:subscribe', 'no_reply', 1],
    ]);
    expect(feed[0]?.error).toMatch(/no answer within 300 ms/);
  });

  it('records a push without a callback URL without sending it', async () => {
    const result = await deliverer().deliver(request({ url: null }));
    expect(result).toMatchObject({ attempts: 0, status: 'no_callback_url' });
  });
});

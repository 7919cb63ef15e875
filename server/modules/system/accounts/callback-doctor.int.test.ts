import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setupRoot, type Caller } from '../../../../test/support/callers';
import { freePort } from '../../../../test/support/server-process';
import { useTestApp } from '../../../../test/support/test-app';
import { connectOfficialAccount, connectWeCom } from '../callbacks/callback-test-kit';
import type { CallbackCheckResult } from './accounts.schema';

// Qiao listens for real here: the check goes out over HTTP to the public callback URL.
const port = await freePort();
const t = useTestApp({ env: { QIAO_PUBLIC_URL: `http://127.0.0.1:${port}` } });
let root: Caller;

/** Plays a misconfigured reverse proxy or another service answering on the callback URL. */
let impostorAnswer: (res: ServerResponse) => void = (res) => res.end();
const impostor: Server = createServer((_req, res) => impostorAnswer(res));
let impostorUrl = '';

beforeAll(async () => {
  await t().app.listen({ port, host: '127.0.0.1' });
  await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
  impostorUrl = `http://127.0.0.1:${(impostor.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => impostor.close(resolve));
});
beforeEach(async () => {
  root = await setupRoot(t().app);
});

async function check(id: string, body: Record<string, unknown> = {}) {
  const response = await t().app.inject({ method: 'POST', url: `/api/v1/accounts/${id}/callback-check`, headers: root.headers, payload: body });
  expect(response.statusCode).toBe(200);
  return response.json() as CallbackCheckResult;
}

const codes = (result: CallbackCheckResult, receiver = 0) => result.receivers[receiver]?.steps.map((s) => `${s.step}:${s.status}:${s.code}`);

describe('callback self-check', () => {
  it('passes a reachable Official Account URL, warning that WeChat needs port 80/443 and a public address, and stores nothing', async () => {
    const id = await connectOfficialAccount(t().app, root);
    const result = await check(id);
    expect(result.ok).toBe(true);
    expect(codes(result)).toEqual(['url:warn:PORT_NOT_ALLOWED', 'dns:warn:PRIVATE_ADDRESS', 'verify:ok:ECHOED', 'push:ok:PUSH_CHECKED']);
    const log = await t().app.inject({ method: 'GET', url: `/api/v1/accounts/${id}/messages`, headers: root.headers });
    expect(log.json()).toMatchObject({ total: 0 });
  });

  it('decrypts the echo of every WeCom receiver', async () => {
    const id = await connectWeCom(t().app, root);
    const result = await check(id);
    expect(result.receivers.flatMap((r) => r.steps.filter((s) => s.status === 'fail'))).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.receivers.length).toBeGreaterThan(1);
    for (const receiver of result.receivers) expect(receiver.steps.find((s) => s.step === 'verify')?.code).toBe('ECHOED');
    const one = await check(id, { receiver: result.receivers[0]!.receiver });
    expect(one.receivers).toHaveLength(1);
  });

  it.each([
    ['a proxy redirecting', (res: ServerResponse) => res.writeHead(307, { location: 'https://example.com/callback/' }).end(), 'REDIRECTED'],
    ['a missing path', (res: ServerResponse) => res.writeHead(404).end('not found'), 'PATH_NOT_FOUND'],
    ['another service answering', (res: ServerResponse) => res.writeHead(200).end('<html>welcome</html>'), 'ECHO_MISMATCH'],
  ])('names %s as the failing verification step', async (_name, answer, code) => {
    impostorAnswer = answer;
    const id = await connectOfficialAccount(t().app, root);
    const result = await check(id, { baseUrl: impostorUrl });
    expect(result.ok).toBe(false);
    expect(result.receivers[0]?.url.startsWith(impostorUrl)).toBe(true);
    expect(result.receivers[0]?.steps.at(-1)).toMatchObject({ step: 'verify', status: 'fail', code });
  });

  it('reports a refused connection, and an unknown receiver as 404', async () => {
    const id = await connectOfficialAccount(t().app, root);
    const closed = await freePort();
    const result = await check(id, { baseUrl: `http://127.0.0.1:${closed}` });
    expect(result.receivers[0]?.steps.at(-1)).toMatchObject({ step: 'verify', status: 'fail', code: 'CONNECTION_REFUSED' });
    const unknown = await t().app.inject({ method: 'POST', url: `/api/v1/accounts/${id}/callback-check`, headers: root.headers, payload: { receiver: 'nope' } });
    expect(unknown.statusCode).toBe(404);
  });
});

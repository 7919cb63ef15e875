import type { AddressInfo } from 'node:net';
import type { QiaoApp } from '../../server/app';
import type { Caller } from './callers';

export interface SandboxReceiver {
  receiver: string;
  kind: 'app' | 'contacts' | 'customer-contact';
  secret: string;
  token: string;
  encodingAesKey: string;
}

/** A sandbox WeCom corp connected to Qiao as an ordinary account, its receivers pointing at Qiao's callback URLs. */
export interface ConnectedCorp {
  corpId: string;
  accountId: string;
  receivers: SandboxReceiver[];
  /** The sandbox's API base URL, for calls made "in WeCom" (as the admin console or another app would). */
  apiBaseUrl: string;
}

/** Starts listening on a free port (the sandbox pushes callbacks over real HTTP) and returns the base URL. */
export async function listenForCallbacks(app: QiaoApp): Promise<string> {
  if (!app.server.listening) await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/**
 * Creates a sandbox corp (generated departments, members and customers),
 * connects it with the chosen receivers and points those receivers'
 * callback URLs at Qiao, as an admin would in the WeCom admin console.
 */
export async function connectSandboxCorp(
  app: QiaoApp,
  base: string,
  caller: Caller,
  spec: { departments?: number; members?: number; customers?: number; name?: string } = {},
  use: readonly string[] = ['contacts', 'customer-contact', '1000002'],
): Promise<ConnectedCorp> {
  const created = await app.inject({
    method: 'POST',
    url: '/sandbox/control/wecom-corps',
    headers: caller.headers,
    payload: { departments: 3, members: 5, customers: 0, ...spec },
  });
  if (created.statusCode !== 201) throw new Error(`sandbox corp: ${created.statusCode} ${created.body}`);
  const corp = created.json() as { corpId: string; receivers: SandboxReceiver[] };
  const receivers = corp.receivers.filter((r) => use.includes(r.receiver));
  const connected = await app.inject({
    method: 'POST',
    url: '/api/v1/accounts',
    headers: caller.headers,
    payload: {
      type: 'wecom',
      name: spec.name ?? '桥沙箱科技有限公司',
      corpId: corp.corpId,
      apiBaseUrl: `${base}/sandbox/wecom`,
      receivers: receivers.map((r) => ({ receiver: r.receiver, secret: r.secret, token: r.token, encodingAesKey: r.encodingAesKey })),
    },
  });
  if (connected.statusCode !== 201) throw new Error(`connect corp: ${connected.statusCode} ${connected.body}`);
  const accountId = (connected.json() as { id: string }).id;
  for (const r of receivers) {
    const patched = await app.inject({
      method: 'PATCH',
      url: `/sandbox/control/wecom-corps/${corp.corpId}/receivers/${r.receiver}`,
      headers: caller.headers,
      payload: { callbackUrl: `${base}/wechat/wecom/${accountId}/${r.receiver}/callback` },
    });
    if (patched.statusCode !== 200) throw new Error(`receiver ${r.receiver}: ${patched.statusCode} ${patched.body}`);
  }
  return { corpId: corp.corpId, accountId, receivers: corp.receivers, apiBaseUrl: `${base}/sandbox/wecom` };
}

/** Calls the sandbox's WeCom API with one of the corp's secrets, as something other than Qiao would. */
export async function callWeCom(
  corp: ConnectedCorp,
  receiver: string,
  method: 'GET' | 'POST',
  path: string,
  body?: object,
  query: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  const secret = corp.receivers.find((r) => r.receiver === receiver)?.secret;
  if (!secret) throw new Error(`no receiver ${receiver}`);
  const token = (await (await fetch(`${corp.apiBaseUrl}/cgi-bin/gettoken?corpid=${corp.corpId}&corpsecret=${secret}`)).json()) as { access_token: string };
  const url = new URL(`${corp.apiBaseUrl}/${path}`);
  url.searchParams.set('access_token', token.access_token);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const response = await fetch(url, { method, ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}) });
  return (await response.json()) as Record<string, unknown>;
}

/** Waits for a job to leave queued/running (30 s at most) and answers it as `GET /api/v1/jobs/{id}` does. */
export async function finishedJob(app: QiaoApp, caller: Caller, jobId: string): Promise<Record<string, unknown>> {
  const until = Date.now() + 30_000;
  for (;;) {
    const job = (await app.inject({ method: 'GET', url: `/api/v1/jobs/${jobId}`, headers: caller.headers })).json() as Record<string, unknown>;
    if (job.state !== 'queued' && job.state !== 'running') return job;
    if (Date.now() > until) throw new Error(`job ${jobId} still ${String(job.state)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** `connectSandboxCorp`, then the corp's directory pulled into Qiao (the departments sync job, succeeded). */
export async function connectPulledCorp(
  app: QiaoApp,
  base: string,
  caller: Caller,
  spec: Parameters<typeof connectSandboxCorp>[3] = {},
  use?: readonly string[],
): Promise<ConnectedCorp> {
  const corp = await connectSandboxCorp(app, base, caller, spec, use);
  const started = await app.inject({ method: 'POST', url: `/api/v1/wecom/${corp.accountId}/departments/sync`, headers: caller.headers });
  if (started.statusCode !== 202) throw new Error(`directory sync: ${started.statusCode} ${started.body}`);
  const job = await finishedJob(app, caller, (started.json() as { job: { id: string } }).job.id);
  if (job.state !== 'succeeded') throw new Error(`directory sync ended ${String(job.state)}: ${JSON.stringify(job)}`);
  return corp;
}

/** A 1×1 PNG: the smallest image WeCom's media upload takes. */
export const onePixelPng = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** A multipart/form-data body with one file field, and its content type. */
export function multipartFile(filename: string, bytes: Buffer, options: { field?: string; contentType?: string } = {}): { payload: Buffer; contentType: string } {
  const boundary = '----qiao-test-upload';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${options.field ?? 'file'}"; filename="${filename}"\r\nContent-Type: ${options.contentType ?? 'image/png'}\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Uploads a welcome-message image (a 1×1 PNG) through Qiao's API; the answer's status and body. */
export async function uploadWelcomeImage(app: QiaoApp, caller: Caller, accountId: string, filename = 'shop.png'): Promise<{ status: number; body: Record<string, unknown> & { id: string; expiresAt: string | null } }> {
  const { payload, contentType } = multipartFile(filename, onePixelPng);
  const response = await app.inject({ method: 'POST', url: `/api/v1/wecom/${accountId}/welcome-messages/media`, headers: { ...caller.headers, 'content-type': contentType }, payload });
  return { status: response.statusCode, body: response.json() };
}

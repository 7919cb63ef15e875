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

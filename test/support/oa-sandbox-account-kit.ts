// What Official Account integration tests share: a sandbox Official Account connected to a listening Qiao, and WeChat-side calls.

interface Response {
  statusCode: number;
  body: string;
  json(): unknown;
}

export interface Injector {
  inject(options: { method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'; url: string; payload?: object; headers?: Record<string, string> }): Promise<Response>;
}

export interface Caller {
  headers: Record<string, string>;
}

export interface SandboxOa {
  accountId: string;
  appId: string;
  openIds: string[];
  /** Calls the sandbox as WeChat's API with the account's own token (tagging followers, reading tags). */
  wechat(path: string, body: unknown): Promise<Record<string, unknown>>;
  /** What a follower's phone received, oldest first. */
  inbox(openId: string): Promise<{ source: string; msgType: string; content: unknown }[]>;
  /** The follower acts (`messages`, `follow`, ...). */
  act(openId: string, action: string, payload?: object): Promise<unknown>;
}

async function ok(response: Promise<Response>, status: number, what: string): Promise<unknown> {
  const answer = await response;
  if (answer.statusCode !== status) throw new Error(`${what}: ${answer.statusCode} ${answer.body}`);
  return answer.body ? answer.json() : null;
}

/** A sandbox account of `accountType` with `followers` followers, connected to Qiao at `baseUrl`, with Qiao's profile saying the same type. */
export async function connectSandboxOa(app: Injector, root: Caller, baseUrl: string, options: { followers: number; accountType: 'service' | 'subscription' }): Promise<SandboxOa> {
  const created = (await ok(
    app.inject({ method: 'POST', url: '/sandbox/control/official-accounts', headers: root.headers, payload: { encryptMode: 'safe', followers: options.followers, accountType: options.accountType } }),
    201,
    'create sandbox account',
  )) as { appId: string; appSecret: string; token: string; encodingAesKey: string };
  const connected = (await ok(
    app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: root.headers,
      payload: {
        type: 'official_account',
        name: '沙箱公众号',
        appId: created.appId,
        appSecret: created.appSecret,
        token: created.token,
        encodingAesKey: created.encodingAesKey,
        encryptMode: 'safe',
        apiBaseUrl: `${baseUrl}/sandbox/official-account`,
      },
    }),
    201,
    'connect account',
  )) as { id: string; callbacks: { url: string }[] };
  const callbackUrl = `${baseUrl}/wechat/official-account/${connected.id}/callback`;
  await ok(app.inject({ method: 'PATCH', url: `/sandbox/control/official-accounts/${created.appId}`, headers: root.headers, payload: { callbackUrl } }), 200, 'point callbacks');
  await ok(app.inject({ method: 'PUT', url: `/api/v1/official-accounts/${connected.id}/profile`, headers: root.headers, payload: { accountType: options.accountType } }), 200, 'set account type');
  const token = (await ok(
    app.inject({ method: 'GET', url: `/sandbox/official-account/cgi-bin/token?grant_type=client_credential&appid=${created.appId}&secret=${created.appSecret}` }),
    200,
    'sandbox token',
  )) as { access_token: string };
  const followers = (await ok(
    app.inject({ method: 'GET', url: `/sandbox/control/official-accounts/${created.appId}/followers?limit=1000`, headers: root.headers }),
    200,
    'list followers',
  )) as { items: { openId: string }[] };
  const control = `/sandbox/control/official-accounts/${created.appId}/followers`;
  return {
    accountId: connected.id,
    appId: created.appId,
    openIds: followers.items.map((f) => f.openId),
    async wechat(path, body) {
      const answer = await app.inject({ method: 'POST', url: `/sandbox/official-account/${path}?access_token=${token.access_token}`, payload: body as object });
      return answer.json() as Record<string, unknown>;
    },
    async inbox(openId) {
      const page = (await ok(app.inject({ method: 'GET', url: `${control}/${openId}/inbox`, headers: root.headers }), 200, 'inbox')) as { items: { source: string; msgType: string; content: unknown }[] };
      return page.items;
    },
    act: (openId, action, payload) => ok(app.inject({ method: 'POST', url: `${control}/${openId}/${action}`, headers: root.headers, ...(payload ? { payload } : {}) }), 200, action),
  };
}

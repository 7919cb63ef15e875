/** What the kit needs of the app: Fastify's `inject`. */
export interface Injector {
  inject(options: { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string; payload?: string | object | Buffer; headers?: Record<string, string> }): Promise<{
    statusCode: number;
    body: string;
    json(): unknown;
  }>;
}

/** A super admin's request headers (session cookie and CSRF token, or a bearer key). */
export interface RootCaller {
  headers: Record<string, string>;
}

/** A sandbox Official Account seen from both sides: the control API (root) and the WeChat API (a token). */
export interface OaFixture {
  root: RootCaller;
  appId: string;
  appSecret: string;
  token: string;
  encodingAesKey: string;
  accessToken: string;
}

/** Creates a sandbox account through the control API (as `login()`'s super admin) and fetches an access token. */
export async function createOaFixture(app: Injector, login: () => Promise<RootCaller>, body: Record<string, unknown> = {}): Promise<OaFixture> {
  const root = await login();
  const created = await app.inject({ method: 'POST', url: '/sandbox/control/official-accounts', headers: root.headers, payload: body });
  if (created.statusCode !== 201) throw new Error(`create sandbox account: ${created.statusCode} ${created.body}`);
  const account = created.json() as { appId: string; appSecret: string; token: string; encodingAesKey: string };
  const token = await app.inject({
    method: 'GET',
    url: `/sandbox/official-account/cgi-bin/token?grant_type=client_credential&appid=${account.appId}&secret=${account.appSecret}`,
  });
  const accessToken = (token.json() as { access_token: string }).access_token;
  return { root, ...account, accessToken };
}

/** Calls the sandbox as a WeChat client would: GET with query, or POST with a JSON body. */
export async function wx(app: Injector, fixture: Pick<OaFixture, 'accessToken'>, method: 'GET' | 'POST', path: string, body?: unknown, query: Record<string, string> = {}) {
  const search = new URLSearchParams({ access_token: fixture.accessToken, ...query });
  const response = await app.inject({
    method,
    url: `/sandbox/official-account/${path}?${search.toString()}`,
    ...(body === undefined ? {} : { payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return { status: response.statusCode, json: response.json() as Record<string, unknown> & { errcode?: number; errmsg?: string } };
}

/** A fresh access token for the fixture's account (after a test moved the clock past its expiry). */
export async function refreshToken(app: Injector, fixture: OaFixture): Promise<OaFixture> {
  const token = await app.inject({
    method: 'GET',
    url: `/sandbox/official-account/cgi-bin/token?grant_type=client_credential&appid=${fixture.appId}&secret=${fixture.appSecret}`,
  });
  return { ...fixture, accessToken: (token.json() as { access_token: string }).access_token };
}

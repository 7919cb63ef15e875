// What the follower and tag integration tests share: a sandbox Official Account connected to Qiao as an ordinary account.

interface Response {
  statusCode: number;
  body: string;
  json(): unknown;
}

/** The part of the app the helpers use: Fastify's inject. */
export interface Injector {
  inject(options: { method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'; url: string; payload?: object; headers?: Record<string, string> }): Promise<Response>;
}

export interface Caller {
  headers: Record<string, string>;
}

export interface ConnectedSandboxAccount {
  accountId: string;
  appId: string;
}

async function ok(response: Promise<Response>, status: number, what: string): Promise<unknown> {
  const answer = await response;
  if (answer.statusCode !== status) throw new Error(`${what}: ${answer.statusCode} ${answer.body}`);
  return answer.body ? answer.json() : null;
}

/**
 * Creates a sandbox Official Account with `followers` followers, connects it
 * to Qiao with `baseUrl` (the listening app) as API base, and points the
 * sandbox's callbacks at Qiao.
 */
export async function connectSandboxAccount(app: Injector, root: Caller, baseUrl: string, followers: number): Promise<ConnectedSandboxAccount> {
  const created = (await ok(
    app.inject({ method: 'POST', url: '/sandbox/control/official-accounts', headers: root.headers, payload: { encryptMode: 'safe', followers: 0 } }),
    201,
    'create sandbox account',
  )) as { appId: string; appSecret: string; token: string; encodingAesKey: string };
  if (followers > 0) await addSandboxFollowers(app, root, created.appId, followers);
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
  )) as { id: string };
  await ok(
    app.inject({
      method: 'PATCH',
      url: `/sandbox/control/official-accounts/${created.appId}`,
      headers: root.headers,
      payload: { callbackUrl: `${baseUrl}/wechat/official-account/${connected.id}/callback` },
    }),
    200,
    'set callback url',
  );
  return { accountId: connected.id, appId: created.appId };
}

export async function addSandboxFollowers(app: Injector, root: Caller, appId: string, count: number): Promise<void> {
  await ok(app.inject({ method: 'POST', url: `/sandbox/control/official-accounts/${appId}/followers`, headers: root.headers, payload: { count } }), 201, 'add followers');
}

/** OpenIDs of the sandbox account's current followers, as WeChat lists them. */
export async function sandboxOpenIds(app: Injector, root: Caller, appId: string): Promise<string[]> {
  const answer = (await ok(app.inject({ method: 'GET', url: `/sandbox/control/official-accounts/${appId}/followers?limit=500`, headers: root.headers }), 200, 'list followers')) as {
    items: { openId: string }[];
  };
  return answer.items.map((f) => f.openId);
}

/** A follower acts in the sandbox (follow, unfollow, messages, menu-clicks, scans); the push reaches Qiao. */
export async function act(app: Injector, root: Caller, appId: string, openId: string, action: string, payload?: object): Promise<unknown> {
  return ok(
    app.inject({ method: 'POST', url: `/sandbox/control/official-accounts/${appId}/followers/${openId}/${action}`, headers: root.headers, ...(payload ? { payload } : {}) }),
    200,
    `follower ${action}`,
  );
}

export async function armFault(app: Injector, root: Caller, fault: { path: string; errcode?: number; delayMs?: number; count: number }): Promise<void> {
  await ok(app.inject({ method: 'POST', url: '/sandbox/control/faults', headers: root.headers, payload: { product: 'official-account', ...fault } }), 201, 'arm fault');
}

export interface JobView {
  id: string;
  state: string;
  done: number;
  total: number | null;
  errors: { item?: string; code: string; message: string }[];
  errorCount: number;
  result: Record<string, unknown> | null;
  failure: { code: string; message: string } | null;
}

/** Polls the job until it ends. */
export async function finishedJob(app: Injector, caller: Caller, jobId: string, timeoutMs = 60_000): Promise<JobView> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = (await ok(app.inject({ method: 'GET', url: `/api/v1/jobs/${jobId}`, headers: caller.headers }), 200, 'get job')) as JobView;
    if (job.state !== 'queued' && job.state !== 'running') return job;
    if (Date.now() > until) throw new Error(`job ${jobId} still ${job.state} (${job.done}/${job.total})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until `check` holds (callbacks work after the passive answer). */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, rootCredentials, setupRoot } from '../../../test/support/callers';
import { useTestApp } from '../../../test/support/test-app';
import { createOaFixture, wx } from '../testing/sandbox-kit';

describe('the sandbox against Qiao itself (connected as an ordinary account)', () => {
  const t = useTestApp();
  const root = () => setupRoot(t().app).catch(() => loginAs(t().app, rootCredentials.username, rootCredentials.password));
  let base = '';
  beforeAll(async () => {
    await t().app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t().app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await t().app.close();
  });

  it.each(['safe', 'compatible', 'plain'] as const)('Qiao answers pushes in %s mode and its client calls the sandbox', async (mode) => {
    const f = await createOaFixture(t().app, root, { encryptMode: mode, followers: 2 });
    const connected = await t().app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: f.root.headers,
      payload: {
        type: 'official_account',
        name: `沙箱 ${mode}`,
        appId: f.appId,
        appSecret: f.appSecret,
        token: f.token,
        encodingAesKey: f.encodingAesKey,
        encryptMode: mode,
        apiBaseUrl: `${base}/sandbox/official-account`,
      },
    });
    expect(connected.statusCode, connected.body).toBe(201);
    const accountId = (connected.json() as { id: string }).id;
    const patched = await t().app.inject({
      method: 'PATCH',
      url: `/sandbox/control/official-accounts/${f.appId}`,
      headers: f.root.headers,
      payload: { callbackUrl: `${base}/wechat/official-account/${accountId}/callback` },
    });
    expect(patched.statusCode).toBe(200);

    const tested = await t().app.inject({ method: 'POST', url: `/api/v1/accounts/${accountId}/test`, headers: f.root.headers });
    expect(tested.statusCode, tested.body).toBe(200);

    const openId = ((await wx(t().app, f, 'GET', 'cgi-bin/user/get')).json.data as { openid: string[] }).openid[0] as string;
    for (const [path, payload] of [
      ['messages', { type: 'text', content: '你好' }],
      ['unfollow', undefined],
      ['follow', undefined],
    ] as const) {
      const acted = await t().app.inject({
        method: 'POST',
        url: `/sandbox/control/official-accounts/${f.appId}/followers/${openId}/${path}`,
        headers: f.root.headers,
        ...(payload ? { payload } : {}),
      });
      const delivery = (acted.json() as { delivery: { status: string; attempts: number } }).delivery;
      expect([path, delivery.attempts]).toEqual([path, 1]);
      expect(['no_reply', 'replied']).toContain(delivery.status);
    }
  });
});

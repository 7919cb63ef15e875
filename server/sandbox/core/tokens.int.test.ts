import { describe, expect, it } from 'vitest';
import { loginAs, rootCredentials, setupRoot } from '../../../test/support/callers';
import { useTestApp } from '../../../test/support/test-app';
import { createOaFixture, wx } from '../testing/sandbox-kit';

const tokenUrl = (query: Record<string, string>) => `/sandbox/official-account/cgi-bin/token?${new URLSearchParams(query).toString()}`;

describe('sandbox access tokens, quotas and faults', () => {
  const t = useTestApp();
  const root = () => setupRoot(t().app).catch(() => loginAs(t().app, rootCredentials.username, rootCredentials.password));

  async function get(url: string) {
    return (await t().app.inject({ method: 'GET', url })).json() as Record<string, unknown>;
  }
  async function stable(body: unknown) {
    return (await t().app.inject({ method: 'POST', url: '/sandbox/official-account/cgi-bin/stable_token', payload: JSON.stringify(body), headers: { 'content-type': 'text/plain' } })).json() as Record<string, unknown>;
  }

  it.each([
    ['no grant_type', { appid: 'APP', secret: 'SECRET' }, 40002],
    ['a wrong grant_type', { grant_type: 'password', appid: 'APP', secret: 'SECRET' }, 40002],
    ['no appid', { grant_type: 'client_credential', secret: 'SECRET' }, 41002],
    ['no secret', { grant_type: 'client_credential', appid: 'APP' }, 41004],
    ['an unknown appid', { grant_type: 'client_credential', appid: 'wx0000000000000000', secret: 'SECRET' }, 40013],
    ['a wrong secret', { grant_type: 'client_credential', appid: 'APP', secret: 'wrong' }, 40125],
  ])('refuses a token request with %s (%s)', async (_name, raw, errcode) => {
    const f = await createOaFixture(t().app, root);
    const fill = (q: Record<string, string>) => Object.fromEntries(Object.entries(q).map(([k, v]) => [k, v === 'APP' ? f.appId : v === 'SECRET' ? f.appSecret : v]));
    const query = fill(raw as Record<string, string>);
    expect(await get(tokenUrl(query))).toMatchObject({ errcode });
    expect(await stable(query)).toMatchObject({ errcode });
  });

  it('answers WeChat-style errmsg with a rid', async () => {
    const answer = await get('/sandbox/official-account/cgi-bin/tags/get?access_token=nope');
    expect(answer.errcode).toBe(40001);
    expect(answer.errmsg).toMatch(/^invalid credential, access_token is invalid or not latest rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
  });

  it('refuses a call without a token (41001) and an expired token (42001)', async () => {
    const f = await createOaFixture(t().app, root);
    expect(await get('/sandbox/official-account/cgi-bin/tags/get')).toMatchObject({ errcode: 41001 });
    t().clock.advance(7200 * 1000);
    expect((await wx(t().app, f, 'GET', 'cgi-bin/tags/get')).json).toMatchObject({ errcode: 42001 });
  });

  it('keeps a superseded token working for 5 minutes, then answers 40001', async () => {
    const f = await createOaFixture(t().app, root);
    const second = (await get(tokenUrl({ grant_type: 'client_credential', appid: f.appId, secret: f.appSecret }))) as { access_token: string; expires_in: number };
    expect(second.expires_in).toBe(7200);
    expect(second.access_token).not.toBe(f.accessToken);
    t().clock.advance(299_000);
    expect((await wx(t().app, f, 'GET', 'cgi-bin/tags/get')).json).toHaveProperty('tags');
    t().clock.advance(2_000);
    expect((await wx(t().app, f, 'GET', 'cgi-bin/tags/get')).json).toMatchObject({ errcode: 40001 });
    expect((await wx(t().app, { accessToken: second.access_token }, 'GET', 'cgi-bin/tags/get')).json).toHaveProperty('tags');
  });

  it('returns the same stable token while valid, independent of cgi-bin/token', async () => {
    const f = await createOaFixture(t().app, root);
    const credentials = { grant_type: 'client_credential', appid: f.appId, secret: f.appSecret };
    const first = (await stable(credentials)) as { access_token: string; expires_in: number };
    t().clock.advance(60_000);
    const again = (await stable(credentials)) as { access_token: string; expires_in: number };
    expect(again.access_token).toBe(first.access_token);
    expect(again.expires_in).toBe(7140);
    await get(tokenUrl(credentials));
    t().clock.advance(600_000);
    expect((await wx(t().app, { accessToken: first.access_token }, 'GET', 'cgi-bin/tags/get')).json).toHaveProperty('tags');
    // Within its last 5 minutes it is rotated; the old one lives out its time.
    t().clock.advance(7200_000 - 660_000 - 200_000);
    const rotated = (await stable(credentials)) as { access_token: string; expires_in: number };
    expect(rotated.access_token).not.toBe(first.access_token);
    expect((await wx(t().app, { accessToken: first.access_token }, 'GET', 'cgi-bin/tags/get')).json).toHaveProperty('tags');
  });

  it('invalidates the stable token on force_refresh, at most once per 30 s and 20 times a day', async () => {
    // Start just after a Beijing midnight, so the 20 refreshes (about 10 minutes) fall on one quota day.
    const dayMs = 86_400_000;
    t().clock.advance(dayMs - ((t().clock.now().getTime() + 8 * 3_600_000) % dayMs) + 60_000);
    const f = await createOaFixture(t().app, root);
    const credentials = { grant_type: 'client_credential', appid: f.appId, secret: f.appSecret };
    const first = (await stable(credentials)) as { access_token: string };
    const forced = (await stable({ ...credentials, force_refresh: true })) as { access_token: string };
    expect(forced.access_token).not.toBe(first.access_token);
    expect((await wx(t().app, { accessToken: first.access_token }, 'GET', 'cgi-bin/tags/get')).json).toMatchObject({ errcode: 40001 });
    expect(await stable({ ...credentials, force_refresh: true })).toMatchObject({ errcode: 45011 });
    for (let i = 0; i < 19; i++) {
      t().clock.advance(31_000);
      expect(await stable({ ...credentials, force_refresh: true })).toHaveProperty('access_token');
    }
    t().clock.advance(31_000);
    expect(await stable({ ...credentials, force_refresh: true })).toMatchObject({ errcode: 45009 });
  });

  it('answers 45009 past a daily quota and counts again the next Beijing day', async () => {
    const f = await createOaFixture(t().app, root);
    const set = await t().app.inject({
      method: 'PUT',
      url: '/sandbox/control/quotas',
      headers: f.root.headers,
      payload: { product: 'official-account', ownerKey: f.appId, path: 'cgi-bin/menu/delete', dailyLimit: 2 },
    });
    expect(set.statusCode).toBe(200);
    expect((await wx(t().app, f, 'GET', 'cgi-bin/menu/delete')).json).toMatchObject({ errcode: 0 });
    expect((await wx(t().app, f, 'GET', 'cgi-bin/menu/delete')).json).toMatchObject({ errcode: 0 });
    expect((await wx(t().app, f, 'GET', 'cgi-bin/menu/delete')).json).toMatchObject({ errcode: 45009, errmsg: expect.stringMatching(/^reach max api daily quota limit/) });
    t().clock.advance(86_400_000);
    const fresh = (await get(tokenUrl({ grant_type: 'client_credential', appid: f.appId, secret: f.appSecret }))) as { access_token: string };
    expect((await wx(t().app, { accessToken: fresh.access_token }, 'GET', 'cgi-bin/menu/delete')).json).toMatchObject({ errcode: 0 });
  });

  it('fails the next calls of a path with an armed fault, then recovers', async () => {
    const f = await createOaFixture(t().app, root);
    const armed = await t().app.inject({
      method: 'POST',
      url: '/sandbox/control/faults',
      headers: f.root.headers,
      payload: { product: 'official-account', path: 'cgi-bin/tags/get', errcode: -1, count: 2 },
    });
    expect(armed.statusCode).toBe(201);
    expect((await wx(t().app, f, 'GET', 'cgi-bin/tags/get')).json).toMatchObject({ errcode: -1, errmsg: expect.stringMatching(/^system error/) });
    expect((await wx(t().app, f, 'GET', 'cgi-bin/tags/get')).json).toMatchObject({ errcode: -1 });
    expect((await wx(t().app, f, 'GET', 'cgi-bin/tags/get')).json).toHaveProperty('tags');
    const listed = await t().app.inject({ method: 'GET', url: '/sandbox/control/faults', headers: f.root.headers });
    expect(listed.json()).toEqual({ faults: [] });
  });

  it('keeps the control API for super admins', async () => {
    const response = await t().app.inject({ method: 'POST', url: '/sandbox/control/faults', payload: { product: 'official-account', path: 'x', count: 1 } });
    expect(response.statusCode).toBe(401);
  });
});

describe('with the sandbox off', () => {
  const t = useTestApp({ env: { QIAO_SANDBOX: 'off' } });
  it('serves nothing under /sandbox', async () => {
    expect((await t().app.inject({ method: 'GET', url: '/sandbox/official-account/cgi-bin/token' })).statusCode).toBe(404);
    expect((await t().app.inject({ method: 'GET', url: '/sandbox/control/official-accounts' })).statusCode).toBe(404);
  });
});

import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../../../test/support/test-app';
import { createMemoryCache, MemoryCacheState } from '../../../platform/cache/memory-cache';
import { installAccessGuard } from '../../../platform/http/access';
import { createHttpServer } from '../../../platform/http/create-server';
import { createLogger } from '../../../platform/logger';
import { createSystemModule } from '../index';
import { sessionCookieName } from './auth.schema';
import { loginAs, rootCredentials, setupRoot, userSession } from '../../../../test/support/callers';

const t = useTestApp();

async function auditActions(): Promise<{ action: string; outcome: string; actorName: string | null; summary: Record<string, unknown> }[]> {
  const result = await t().db.handle.db.execute(sql`SELECT action, outcome, actor_name AS "actorName", summary FROM audit_log ORDER BY seq`);
  return result.rows as never;
}

async function countRows(table: string): Promise<number> {
  const result = await t().db.handle.db.execute(sql.raw(`SELECT count(*)::int AS n FROM ${table}`));
  return Number((result.rows[0] as { n: number }).n);
}

describe('first-run setup', () => {
  it('reports that setup is needed until the first user exists', async () => {
    const { app } = t();
    expect((await app.inject({ method: 'GET', url: '/api/v1/setup' })).json()).toEqual({ needed: true });
    await setupRoot(app);
    expect((await app.inject({ method: 'GET', url: '/api/v1/setup' })).json()).toEqual({ needed: false });
  });

  it('creates a super admin, logs it in and leaves an audit entry', async () => {
    const { app } = t();
    const response = await app.inject({ method: 'POST', url: '/api/v1/setup', payload: rootCredentials });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body.user).toMatchObject({ username: 'root', displayName: '系统管理员', role: 'super_admin', authMethod: 'session' });
    expect(body.user.permissions).toContain('audit.verify');
    const cookie = response.cookies.find((c) => c.name === sessionCookieName)!;
    const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `${sessionCookieName}=${cookie.value}` } });
    expect(me.json().username).toBe('root');
    expect(await auditActions()).toEqual([expect.objectContaining({ action: 'setup.create_admin', outcome: 'ok', actorName: 'root' })]);
  });

  it('refuses a second setup with 409 SETUP_ALREADY_DONE', async () => {
    const { app } = t();
    await setupRoot(app);
    const again = await app.inject({ method: 'POST', url: '/api/v1/setup', payload: { ...rootCredentials, username: 'intruder' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('SETUP_ALREADY_DONE');
    expect(await countRows('users')).toBe(1);
  });

  it('lets exactly one of two concurrent setups win', async () => {
    const { app } = t();
    const [a, b] = await Promise.all([
      app.inject({ method: 'POST', url: '/api/v1/setup', payload: { ...rootCredentials, username: 'first' } }),
      app.inject({ method: 'POST', url: '/api/v1/setup', payload: { ...rootCredentials, username: 'second' } }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    expect(await countRows('users')).toBe(1);
  });

  it('refuses a weak password and unknown fields without creating anyone', async () => {
    const { app } = t();
    const weak = await app.inject({ method: 'POST', url: '/api/v1/setup', payload: { ...rootCredentials, password: 'short' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().code).toBe('AUTH_WEAK_PASSWORD');
    const sameAsName = await app.inject({ method: 'POST', url: '/api/v1/setup', payload: { ...rootCredentials, username: 'rootroot', password: 'ROOTROOT' } });
    expect(sameAsName.json().code).toBe('AUTH_WEAK_PASSWORD');
    const extra = await app.inject({ method: 'POST', url: '/api/v1/setup', payload: { ...rootCredentials, role: 'member' } });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().code).toBe('VALIDATION_FAILED');
    expect(extra.json().details.fields[0].message).toContain('role');
    expect(await countRows('users')).toBe(0);
  });

  it('bootstraps the admin from settings once, and only when nobody exists', async () => {
    const { app } = t();
    expect(await app.system.bootstrapAdmin('boot', 'boot-password')).toBe('created');
    expect(await app.system.bootstrapAdmin('boot2', 'boot-password')).toBe('exists');
    await loginAs(app, 'boot', 'boot-password');
    const entries = await auditActions();
    expect(entries[0]).toMatchObject({ action: 'setup.create_admin', outcome: 'ok', actorName: null });
  });
});

describe('login and sessions', () => {
  it('sets an HttpOnly SameSite=Lax session cookie and stores only its hash', async () => {
    const { app } = t();
    await setupRoot(app);
    const response = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'ROOT', password: rootCredentials.password } });
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === sessionCookieName)!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.secure).toBeFalsy();
    expect(Buffer.from(cookie.value, 'base64url')).toHaveLength(32);
    const stored = await t().db.handle.db.execute(sql`SELECT id FROM sessions`);
    const ids = stored.rows.map((r) => (r as { id: string }).id);
    expect(ids).not.toContain(cookie.value);
    expect(ids).toContain((await import('node:crypto')).createHash('sha256').update(cookie.value).digest('hex'));
    expect(response.json().user.csrfToken).toEqual(expect.any(String));
  });

  it('answers wrong credentials and unknown users alike with 401 AUTH_INVALID_CREDENTIALS and audits them', async () => {
    const { app } = t();
    await setupRoot(app);
    const wrong = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'root', password: 'nope-nope-nope' }, remoteAddress: '10.1.0.1' });
    const unknown = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'ghost', password: 'nope-nope-nope' }, remoteAddress: '10.1.0.1' });
    for (const response of [wrong, unknown]) {
      expect(response.statusCode).toBe(401);
      expect(response.json().code).toBe('AUTH_INVALID_CREDENTIALS');
      expect(response.cookies).toHaveLength(0);
    }
    const refused = (await auditActions()).filter((e) => e.action === 'auth.login');
    expect(refused.map((e) => [e.outcome, e.summary.username, e.summary.code])).toEqual([
      ['refused', 'root', 'AUTH_INVALID_CREDENTIALS'],
      ['refused', 'ghost', 'AUTH_INVALID_CREDENTIALS'],
    ]);
    expect(JSON.stringify(refused)).not.toContain('nope-nope-nope');
  });

  it('rotates: a session cookie sent to login is revoked and replaced', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    const relogin = await app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { cookie: root.headers.cookie! }, payload: { username: 'root', password: rootCredentials.password } });
    const fresh = relogin.cookies.find((c) => c.name === sessionCookieName)!;
    expect(`${sessionCookieName}=${fresh.value}`).not.toBe(root.headers.cookie);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: root.headers })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `${sessionCookieName}=${fresh.value}` } })).statusCode).toBe(200);
  });

  it('logs out: the cookie stops working and the logout is audited', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: root.headers });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === sessionCookieName)?.value).toBe('');
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: root.headers })).statusCode).toBe(401);
    expect((await auditActions()).map((e) => e.action)).toContain('auth.logout');
  });

  it('refuses a cookie POST without the CSRF token with 403 and audits the refusal', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    const response = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: root.headers.cookie! } });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('CSRF_TOKEN_INVALID');
    const wrongToken = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { ...root.headers, 'x-csrf-token': 'forged' } });
    expect(wrongToken.statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: root.headers })).statusCode).toBe(200);
    expect((await auditActions()).filter((e) => e.action === 'request.refused').map((e) => e.summary.code)).toEqual(['CSRF_TOKEN_INVALID', 'CSRF_TOKEN_INVALID']);
  });

  it('answers /me with role, scopes, WeCom members and permissions', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    const admin = await userSession(app, root, { username: 'east', role: 'dept_admin', departmentScopes: [{ accountId: 'corp', departmentId: 2 }] });
    const me = (await app.inject({ method: 'GET', url: '/api/v1/me', headers: admin.headers })).json();
    expect(me).toMatchObject({ username: 'east', role: 'dept_admin', departmentScopes: [{ accountId: 'corp', departmentId: 2 }], wecomMembers: [], authMethod: 'session' });
    expect(me.permissions).toContain('users.write');
    expect(me.permissions).not.toContain('audit.verify');
    expect(me.csrfToken).toBe(admin.headers['x-csrf-token']);
  });

  it('expires a session after the idle time, sliding with use', async () => {
    const { app, clock, config } = t();
    const root = await setupRoot(app);
    const ttlMs = config.sessionTtlHours * 3600_000;
    clock.advance(ttlMs - 60_000);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: root.headers })).statusCode).toBe(200);
    clock.advance(ttlMs - 60_000);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: root.headers })).statusCode).toBe(200);
    clock.advance(ttlMs + 1000);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: root.headers })).statusCode).toBe(401);
  });

  it('ends a session after 30 days however often it is used', async () => {
    const { app, clock, config } = t();
    const root = await setupRoot(app);
    const step = config.sessionTtlHours * 3600_000 - 60_000;
    const deadline = clock.now().getTime() + 30 * 24 * 3600_000;
    while (clock.now().getTime() + step < deadline) {
      clock.advance(step);
      expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: root.headers })).statusCode).toBe(200);
    }
    clock.advance(deadline - clock.now().getTime() + 1000);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: root.headers })).statusCode).toBe(401);
  });

  it('lists own sessions with the current one flagged, revokes one, and all others', async () => {
    const { app } = t();
    const first = await setupRoot(app);
    const second = await loginAs(app, 'root', rootCredentials.password, '10.2.0.2');
    const third = await loginAs(app, 'root', rootCredentials.password, '10.2.0.3');
    const listed = (await app.inject({ method: 'GET', url: '/api/v1/me/sessions', headers: second.headers })).json();
    expect(listed.items).toHaveLength(3);
    expect(listed.items.filter((s: { current: boolean }) => s.current)).toEqual([expect.objectContaining({ ip: '10.2.0.2' })]);
    const thirdId = listed.items.find((s: { ip: string }) => s.ip === '10.2.0.3').id;
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/me/sessions/${thirdId}`, headers: second.headers })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: third.headers })).statusCode).toBe(401);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/me/sessions/${thirdId}`, headers: second.headers })).json().code).toBe('SESSION_NOT_FOUND');

    const all = await app.inject({ method: 'POST', url: '/api/v1/me/sessions/revoke-all', headers: second.headers });
    expect(all.json()).toEqual({ revoked: 1 });
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: first.headers })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: second.headers })).statusCode).toBe(200);
    const actions = (await auditActions()).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.session.revoke', 'auth.session.revoke_all']));
  });

  it('never revokes another user\'s session by id', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    const other = await userSession(app, root, { username: 'li', role: 'member' });
    const rootSessions = (await app.inject({ method: 'GET', url: '/api/v1/me/sessions', headers: root.headers })).json();
    const response = await app.inject({ method: 'DELETE', url: `/api/v1/me/sessions/${rootSessions.items[0].id}`, headers: other.headers });
    expect(response.statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: root.headers })).statusCode).toBe(200);
  });
});

describe('password change', () => {
  it('needs the current password, checks strength, and revokes the other sessions', async () => {
    const { app } = t();
    const current = await setupRoot(app);
    const other = await loginAs(app, 'root', rootCredentials.password, '10.3.0.1');
    const wrong = await app.inject({ method: 'POST', url: '/api/v1/me/password', headers: current.headers, payload: { currentPassword: 'not-it-at-all', newPassword: 'brand-new-pass' } });
    expect(wrong.json().code).toBe('AUTH_WRONG_PASSWORD');
    const weak = await app.inject({ method: 'POST', url: '/api/v1/me/password', headers: current.headers, payload: { currentPassword: rootCredentials.password, newPassword: 'short' } });
    expect(weak.json().code).toBe('AUTH_WEAK_PASSWORD');
    const changed = await app.inject({ method: 'POST', url: '/api/v1/me/password', headers: current.headers, payload: { currentPassword: rootCredentials.password, newPassword: 'brand-new-pass' } });
    expect(changed.json()).toEqual({ revoked: 1 });
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: other.headers })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: current.headers })).statusCode).toBe(200);
    await loginAs(app, 'root', 'brand-new-pass', '10.3.0.2');
    const entries = (await auditActions()).filter((e) => e.action === 'auth.password.change');
    expect(entries.map((e) => e.outcome)).toEqual(['refused', 'ok']);
    expect(JSON.stringify(entries)).not.toContain('brand-new-pass');
  });
});

describe('disabled users', () => {
  it('cannot log in and their open sessions stop working', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    const li = await userSession(app, root, { username: 'li', role: 'member' });
    const disabled = await app.inject({ method: 'PATCH', url: `/api/v1/users/${li.userId}`, headers: root.headers, payload: { disabled: true } });
    expect(disabled.json().status).toBe('disabled');
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: li.headers })).statusCode).toBe(401);
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'li', password: 'li-password' }, remoteAddress: '10.4.0.1' });
    expect(login.statusCode).toBe(403);
    expect(login.json().code).toBe('AUTH_USER_DISABLED');
  });
});

describe('login throttling', () => {
  const fail = (username: string, ip: string) =>
    t().app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: 'wrong-password' }, remoteAddress: ip });

  it('answers 429 after 10 failures for one username from one address, even with the right password', async () => {
    const { app } = t();
    await setupRoot(app);
    for (let i = 0; i < 10; i++) expect((await fail('root', '10.50.0.1')).statusCode).toBe(401);
    const throttled = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'Root', password: rootCredentials.password }, remoteAddress: '10.50.0.1' });
    expect(throttled.statusCode).toBe(429);
    expect(throttled.json().code).toBe('AUTH_THROTTLED');
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    const entries = (await auditActions()).filter((e) => e.summary.code === 'AUTH_THROTTLED');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'auth.login', outcome: 'refused' });
  });

  it('still lets the real user in from another address', async () => {
    const { app } = t();
    await setupRoot(app);
    for (let i = 0; i < 10; i++) await fail('root', '10.51.0.1');
    expect((await fail('root', '10.51.0.1')).statusCode).toBe(429);
    await loginAs(app, 'root', rootCredentials.password, '10.51.0.2');
  });

  it('throttles one address trying many usernames', async () => {
    const { app } = t();
    await setupRoot(app);
    for (let i = 0; i < 50; i++) expect((await fail(`guess${i}`, '10.52.0.1')).statusCode).toBe(401);
    expect((await fail('another', '10.52.0.1')).statusCode).toBe(429);
    expect((await fail('another', '10.52.0.2')).statusCode).toBe(401);
  });

  it('lets the pair in again once the window has passed', async () => {
    const { db, config, queue, clock } = t();
    let nowMs = Date.parse('2026-03-01T00:00:00Z');
    const cache = createMemoryCache(new MemoryCacheState(() => nowMs));
    const logger = createLogger('silent');
    const http = await createHttpServer({ logger, bodyLimitBytes: config.bodyLimitBytes, publicBaseUrl: config.publicBaseUrl, version: 'test' });
    const system = createSystemModule(
      { config, db: db.handle.db, cache, queue, clock, logger },
      { loginThrottle: { perPair: 3, perIp: 100, windowMs: 60_000 } },
    );
    installAccessGuard(http, system);
    await http.register(system.routes);
    await http.ready();
    try {
      await http.inject({ method: 'POST', url: '/api/v1/setup', payload: rootCredentials });
      const attempt = (password: string) =>
        http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'root', password }, remoteAddress: '10.53.0.1' });
      for (let i = 0; i < 3; i++) expect((await attempt('wrong-password')).statusCode).toBe(401);
      nowMs += 59_000;
      expect((await attempt(rootCredentials.password)).statusCode).toBe(429);
      nowMs += 2_000;
      expect((await attempt(rootCredentials.password)).statusCode).toBe(200);
    } finally {
      await http.close();
      await cache.close();
    }
  });

  it('forgets the pair\'s failures after a successful login', async () => {
    const { app } = t();
    await setupRoot(app);
    for (let i = 0; i < 9; i++) await fail('root', '10.54.0.1');
    await loginAs(app, 'root', rootCredentials.password, '10.54.0.1');
    for (let i = 0; i < 9; i++) expect((await fail('root', '10.54.0.1')).statusCode).toBe(401);
  });
});

describe('request validation', () => {
  it('names each bad field: wrong types, oversize strings, NUL characters', async () => {
    const { app } = t();
    const response = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'x'.repeat(65), password: 12345678 } });
    expect(response.statusCode).toBe(400);
    const fields = response.json().details.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['body.username', 'body.password']));
    const nul = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'ro\u0000ot', password: 'whatever1' } });
    expect(nul.statusCode).toBe(400);
    expect(nul.json().details.fields[0].field).toBe('body.username');
  });

  it('answers 401 to /me without a session, and to a forged cookie', async () => {
    const { app } = t();
    expect((await app.inject({ method: 'GET', url: '/api/v1/me' })).json().code).toBe('UNAUTHENTICATED');
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `${sessionCookieName}=forged` } })).statusCode).toBe(401);
  });
});

import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTestApp } from '../../../../test/support/test-app';
import { bearer, setupRoot, userSession, type Caller } from '../../../../test/support/callers';
import { departmentTreeFromParents } from '../policy/department-tree';

const t = useTestApp();
const corp = (departmentId: number) => ({ accountId: 'corp', departmentId });

beforeEach(() => {
  t().app.system.useDirectory({ tree: departmentTreeFromParents({ corp: { 1: 0, 2: 1, 3: 2, 4: 1, 5: 2 } }) });
});

async function createKey(by: Caller, body: Record<string, unknown>) {
  return t().app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: by.headers, payload: body });
}

async function me(caller: Caller) {
  return t().app.inject({ method: 'GET', url: '/api/v1/me', headers: caller.headers });
}

async function rows(query: string): Promise<Record<string, unknown>[]> {
  return (await t().db.handle.db.execute(sql.raw(query))).rows as Record<string, unknown>[];
}

describe('creating and using keys', () => {
  it('shows the key once, stores only its SHA-256, and authenticates with it', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    const response = await createKey(root, { name: 'CI 部署' });
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created.key).toMatch(/^qiao_[a-z0-9]{8}[A-Za-z0-9_-]{43}$/);
    expect(created.key.startsWith(created.prefix)).toBe(true);
    expect(created).toMatchObject({ name: 'CI 部署', role: 'super_admin', departmentScopes: null, username: 'root', lastUsedAt: null, revokedAt: null });

    const [stored] = await rows('SELECT key_hash, prefix FROM api_keys');
    expect(stored!.key_hash).toBe(createHash('sha256').update(created.key).digest('hex'));
    expect(JSON.stringify(await rows('SELECT * FROM api_keys'))).not.toContain(created.key);
    expect(JSON.stringify(await rows('SELECT summary FROM audit_log'))).not.toContain(created.key);

    const viaKey = await me(bearer(created.key));
    expect(viaKey.statusCode).toBe(200);
    expect(viaKey.json()).toMatchObject({ username: 'root', role: 'super_admin', authMethod: 'api_key' });
    expect(viaKey.json().csrfToken).toBeUndefined();

    const listed = (await app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: root.headers })).json();
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0].key).toBeUndefined();
    expect(listed.items[0].lastUsedAt).not.toBeNull();
  });

  it('needs no CSRF token for writes with a key', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    const key = bearer((await createKey(root, { name: 'cli' })).json().key);
    const response = await app.inject({ method: 'POST', url: '/api/v1/users', headers: key.headers, payload: { username: 'li', password: 'li-password', displayName: '李', role: 'member' } });
    expect(response.statusCode).toBe(201);
    const [entry] = await rows(`SELECT actor_type, actor_name, summary FROM audit_log WHERE action = 'users.create'`);
    expect(entry).toMatchObject({ actor_type: 'api_key', actor_name: 'root' });
  });

  it('carries a narrower role when asked, never a wider one', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    const memberKey = (await createKey(root, { name: 'read-only', role: 'member' })).json();
    const asMember = bearer(memberKey.key);
    expect((await me(asMember)).json().role).toBe('member');
    expect((await app.inject({ method: 'GET', url: '/api/v1/users', headers: asMember.headers })).statusCode).toBe(403);

    const east = await userSession(app, root, { username: 'east', role: 'dept_admin', departmentScopes: [corp(2)] });
    const tooHigh = await createKey(east, { name: 'x', role: 'super_admin' });
    expect(tooHigh.statusCode).toBe(403);
    expect(tooHigh.json().code).toBe('ROLE_NOT_GRANTABLE');
    const wider = await createKey(east, { name: 'x', departmentScopes: [corp(1)] });
    expect(wider.json().code).toBe('ROLE_NOT_GRANTABLE');
    const inside = await createKey(east, { name: 'sh', departmentScopes: [corp(3)] });
    expect(inside.statusCode).toBe(201);
    expect((await me(bearer(inside.json().key))).json()).toMatchObject({ role: 'dept_admin', departmentScopes: [corp(3)] });
    expect(await rows(`SELECT seq FROM audit_log WHERE action = 'api_keys.create' AND outcome = 'refused'`)).toHaveLength(2);
    expect(await rows(`SELECT id FROM api_keys WHERE user_id = '${east.userId}'`)).toHaveLength(1);
  });

  it('refuses a dept_admin key without scopes and an expiry in the past', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    expect((await createKey(root, { name: 'x', role: 'dept_admin' })).json().code).toBe('SCOPE_REQUIRED');
    const past = await createKey(root, { name: 'x', expiresAt: '2000-01-01T00:00:00Z' });
    expect(past.statusCode).toBe(400);
    expect(past.json().details.fields[0].field).toBe('body.expiresAt');
    const badInput = await createKey(root, { name: '', secret: 'x' });
    expect(badInput.statusCode).toBe(400);
    expect(await rows('SELECT id FROM api_keys')).toHaveLength(0);
  });

  it('stops working once expired', async () => {
    const { app, clock } = t();
    const root = await setupRoot(app);
    const expiresAt = new Date(clock.now().getTime() + 3600_000).toISOString();
    const key = bearer((await createKey(root, { name: 'short', expiresAt })).json().key);
    expect((await me(key)).statusCode).toBe(200);
    clock.advance(3600_000 + 1);
    expect((await me(key)).statusCode).toBe(401);
  });
});

describe('keys follow their owner', () => {
  it('never carries more than a demoted owner has now', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    const east = await userSession(app, root, { username: 'east', role: 'dept_admin', departmentScopes: [corp(2)] });
    const key = bearer((await createKey(east, { name: 'wide', departmentScopes: [corp(3), corp(5)] })).json().key);
    const inherit = bearer((await createKey(east, { name: 'inherit' })).json().key);

    await app.inject({ method: 'PATCH', url: `/api/v1/users/${east.userId}`, headers: root.headers, payload: { departmentScopes: [corp(3)] } });
    expect((await me(key)).json().departmentScopes).toEqual([corp(3)]);
    expect((await me(inherit)).json().departmentScopes).toEqual([corp(3)]);

    await app.inject({ method: 'PATCH', url: `/api/v1/users/${east.userId}`, headers: root.headers, payload: { role: 'member' } });
    const demoted = (await me(key)).json();
    expect(demoted.role).toBe('member');
    expect(demoted.permissions).not.toContain('users.read');
    expect((await app.inject({ method: 'GET', url: '/api/v1/users', headers: key.headers })).statusCode).toBe(403);
  });

  it('stops working while its owner is disabled', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    const li = await userSession(app, root, { username: 'li', role: 'member' });
    const key = bearer((await createKey(li, { name: 'mine' })).json().key);
    await app.inject({ method: 'PATCH', url: `/api/v1/users/${li.userId}`, headers: root.headers, payload: { disabled: true } });
    expect((await me(key)).statusCode).toBe(401);
    await app.inject({ method: 'PATCH', url: `/api/v1/users/${li.userId}`, headers: root.headers, payload: { disabled: false } });
    expect((await me(key)).statusCode).toBe(200);
  });
});

describe('listing and revoking', () => {
  it('lists own keys; only a super_admin may list everyone\'s', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    const li = await userSession(app, root, { username: 'li', role: 'member' });
    await createKey(root, { name: 'root key' });
    for (const name of ['a', 'b', 'c']) await createKey(li, { name });
    const own = (await app.inject({ method: 'GET', url: '/api/v1/api-keys?limit=2', headers: li.headers })).json();
    expect(own.items.map((k: { name: string }) => k.name)).toHaveLength(2);
    const rest = (await app.inject({ method: 'GET', url: `/api/v1/api-keys?limit=2&cursor=${own.nextCursor}`, headers: li.headers })).json();
    expect([...own.items, ...rest.items].map((k: { name: string }) => k.name).sort()).toEqual(['a', 'b', 'c']);
    expect(rest.nextCursor).toBeNull();

    const all = (await app.inject({ method: 'GET', url: '/api/v1/api-keys?all=true', headers: root.headers })).json();
    expect(all.items).toHaveLength(4);
    const refused = await app.inject({ method: 'GET', url: '/api/v1/api-keys?all=true', headers: li.headers });
    expect(refused.statusCode).toBe(403);
  });

  it('revokes a key: it answers 401 API_KEY_REVOKED afterwards', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    const created = (await createKey(root, { name: 'old' })).json();
    const revoked = await app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${created.id}`, headers: root.headers });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).not.toBeNull();
    const used = await me(bearer(created.key));
    expect(used.statusCode).toBe(401);
    expect(used.json().code).toBe('API_KEY_REVOKED');
    expect(await rows(`SELECT seq FROM audit_log WHERE action = 'api_keys.revoke'`)).toHaveLength(1);
  });

  it('hides other users\' keys from revocation unless the caller is a super_admin', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    const li = await userSession(app, root, { username: 'li', role: 'member' });
    const zhang = await userSession(app, root, { username: 'zhang', role: 'member' });
    const key = (await createKey(li, { name: 'li key' })).json();
    const response = await app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${key.id}`, headers: zhang.headers });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('API_KEY_NOT_FOUND');
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${key.id}`, headers: root.headers })).statusCode).toBe(200);
  });

  it('answers 401 to an unknown or malformed key', async () => {
    expect((await me(bearer('qiao_doesnotexist'))).statusCode).toBe(401);
    expect((await t().app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Basic abc' } })).statusCode).toBe(401);
  });
});

import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTestApp } from '../../../../test/support/test-app';
import { departmentTreeFromParents } from '../policy/department-tree';
import { setupRoot, userSession, type Caller } from '../../../../test/support/callers';

const t = useTestApp();

// corp: 1 公司 ─┬─ 2 华东区 ─┬─ 3 上海店
//               │            └─ 5 杭州店
//               └─ 4 市场部
const corp = (departmentId: number) => ({ accountId: 'corp', departmentId });

beforeEach(() => {
  t().app.system.useDirectory({
    tree: departmentTreeFromParents({ corp: { 1: 0, 2: 1, 3: 2, 4: 1, 5: 2 } }),
    members: { departmentsOf: async (_accountId, userid) => ({ 'zhang.san': [3], 'li.si': [4] })[userid] ?? null },
  });
});

const newUser = (over: Record<string, unknown> = {}) => ({
  username: 'wang.wu',
  password: 'wang-wu-password',
  displayName: '王五',
  role: 'member',
  departmentScopes: [corp(3)],
  wecomMembers: [],
  ...over,
});

async function create(by: Caller, body: Record<string, unknown>) {
  return t().app.inject({ method: 'POST', url: '/api/v1/users', headers: by.headers, payload: body });
}

async function rows(query: string): Promise<Record<string, unknown>[]> {
  return (await t().db.handle.db.execute(sql.raw(query))).rows as Record<string, unknown>[];
}

describe('creating users', () => {
  it('creates a user that can log in, without exposing the password, and audits it', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    const response = await create(root, newUser({ wecomMembers: [{ accountId: 'corp', userid: 'zhang.san' }] }));
    expect(response.statusCode).toBe(201);
    const user = response.json();
    expect(user).toMatchObject({ username: 'wang.wu', displayName: '王五', role: 'member', status: 'active', departmentScopes: [corp(3)], wecomMembers: [{ accountId: 'corp', userid: 'zhang.san' }] });
    expect(JSON.stringify(user)).not.toContain('password-');
    const [entry] = await rows(`SELECT action, outcome, target_id, summary FROM audit_log WHERE action = 'users.create'`);
    expect(entry).toMatchObject({ outcome: 'ok', target_id: user.id });
    expect(JSON.stringify(entry)).not.toContain('wang-wu-password');
    const [stored] = await rows(`SELECT password_hash FROM users WHERE username = 'wang.wu'`);
    expect(String(stored!.password_hash)).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('refuses a taken username in any letter case with 409', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    await create(root, newUser());
    const again = await create(root, newUser({ username: 'WANG.WU' }));
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('USERNAME_TAKEN');
  });

  it('refuses bad input with 400 naming the fields, writing nothing', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    const cases = [
      newUser({ isAdmin: true }),
      newUser({ displayName: 'x'.repeat(101) }),
      newUser({ role: 'owner' }),
      newUser({ departmentScopes: [{ accountId: 'corp', departmentId: '3' }] }),
      newUser({ username: 'has space' }),
      newUser({ wecomMembers: [{ accountId: 'corp' }] }),
    ];
    for (const body of cases) {
      const response = await create(root, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().code).toBe('VALIDATION_FAILED');
      expect(response.json().details.fields.length).toBeGreaterThan(0);
    }
    expect((await create(root, newUser({ password: 'short' }))).json().code).toBe('AUTH_WEAK_PASSWORD');
    expect(await rows(`SELECT id FROM users WHERE username = 'wang.wu'`)).toHaveLength(0);
  });

  it('requires a department scope for a dept_admin', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    const response = await create(root, newUser({ role: 'dept_admin', departmentScopes: [] }));
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('SCOPE_REQUIRED');
  });

  it('lets a dept_admin create members and dept_admins only inside its subtrees', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    const east = await userSession(app, root, { username: 'east', role: 'dept_admin', departmentScopes: [corp(2)] });
    expect((await create(east, newUser({ departmentScopes: [corp(3)] }))).statusCode).toBe(201);
    expect((await create(east, newUser({ username: 'hz', role: 'dept_admin', departmentScopes: [corp(5)] }))).statusCode).toBe(201);

    const refusals = [
      newUser({ username: 'boss', role: 'super_admin', departmentScopes: [corp(3)] }),
      newUser({ username: 'mkt', departmentScopes: [corp(4)] }),
      newUser({ username: 'all', role: 'dept_admin', departmentScopes: [corp(1)] }),
      newUser({ username: 'tie', wecomMembers: [{ accountId: 'corp', userid: 'li.si' }] }),
      newUser({ username: 'ghost', wecomMembers: [{ accountId: 'corp', userid: 'unknown' }] }),
    ];
    for (const body of refusals) {
      const response = await create(east, body);
      expect(response.statusCode, String(body.username)).toBe(403);
      expect(response.json().code).toBe('ROLE_NOT_GRANTABLE');
    }
    const noScope = await create(east, newUser({ username: 'nowhere', departmentScopes: [] }));
    expect(noScope.json().code).toBe('SCOPE_REQUIRED');
    const refused = await rows(`SELECT summary FROM audit_log WHERE action = 'users.create' AND outcome = 'refused'`);
    expect(refused).toHaveLength(refusals.length);
    expect(await rows(`SELECT id FROM users WHERE username IN ('boss', 'mkt', 'all', 'tie', 'ghost', 'nowhere')`)).toHaveLength(0);
  });

  it('lets a dept_admin tie members of its subtrees to a user', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    const east = await userSession(app, root, { username: 'east', role: 'dept_admin', departmentScopes: [corp(2)] });
    const response = await create(east, newUser({ wecomMembers: [{ accountId: 'corp', userid: 'zhang.san' }] }));
    expect(response.statusCode).toBe(201);
  });
});

describe('seeing users', () => {
  it('shows a dept_admin itself and the users inside its scopes only', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    const east = await userSession(app, root, { username: 'east', role: 'dept_admin', departmentScopes: [corp(2)] });
    const inside = (await create(root, newUser({ username: 'sh', departmentScopes: [corp(3)] }))).json();
    const outside = (await create(root, newUser({ username: 'mkt', departmentScopes: [corp(4)] }))).json();
    await create(root, newUser({ username: 'straddle', departmentScopes: [corp(3), corp(4)] }));

    const listed = (await app.inject({ method: 'GET', url: '/api/v1/users', headers: east.headers })).json();
    expect(listed.items.map((u: { username: string }) => u.username)).toEqual(['east', 'sh']);
    expect(listed.total).toBe(2);
    expect((await app.inject({ method: 'GET', url: `/api/v1/users/${inside.id}`, headers: east.headers })).statusCode).toBe(200);
    const hidden = await app.inject({ method: 'GET', url: `/api/v1/users/${outside.id}`, headers: east.headers });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().code).toBe('USER_NOT_FOUND');
    const rootId = root.userId;
    expect((await app.inject({ method: 'PATCH', url: `/api/v1/users/${rootId}`, headers: east.headers, payload: { disabled: true } })).statusCode).toBe(404);
  });

  it('pages by cursor and filters by role, status and text', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    for (const name of ['amy', 'bob', 'cai', 'dan', 'eve']) {
      await create(root, newUser({ username: name, displayName: `用户${name}`, role: name === 'dan' ? 'dept_admin' : 'member' }));
    }
    const eve = (await app.inject({ method: 'GET', url: '/api/v1/users?q=eve', headers: root.headers })).json().items[0];
    await app.inject({ method: 'PATCH', url: `/api/v1/users/${eve.id}`, headers: root.headers, payload: { disabled: true } });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const page = (await app.inject({ method: 'GET', url: `/api/v1/users${query}`, headers: root.headers })).json();
      expect(page.items.length).toBeLessThanOrEqual(2);
      expect(page.total).toBe(6);
      seen.push(...page.items.map((u: { username: string }) => u.username));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['amy', 'bob', 'cai', 'dan', 'eve', 'root']);

    const names = async (query: string) =>
      (await app.inject({ method: 'GET', url: `/api/v1/users?${query}`, headers: root.headers })).json().items.map((u: { username: string }) => u.username);
    expect(await names('role=dept_admin')).toEqual(['dan']);
    expect(await names('status=disabled')).toEqual(['eve']);
    expect(await names('q=%E7%94%A8%E6%88%B7b')).toEqual(['bob']);
    expect(await names('q=%25')).toEqual([]);
    const bad = await app.inject({ method: 'GET', url: '/api/v1/users?role=owner&extra=1', headers: root.headers });
    expect(bad.statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/v1/users?cursor=garbage', headers: root.headers })).statusCode).toBe(400);
  });
});

describe('editing users', () => {
  it('edits fields, resets a password, and records before and after', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    const user = (await create(root, newUser())).json();
    const response = await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      headers: root.headers,
      payload: { displayName: '王小五', role: 'dept_admin', departmentScopes: [corp(2)], password: 'reset-password-1' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ displayName: '王小五', role: 'dept_admin', departmentScopes: [corp(2)] });
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'wang.wu', password: 'reset-password-1' } });
    expect(login.statusCode).toBe(200);
    const [entry] = await rows(`SELECT summary FROM audit_log WHERE action = 'users.update'`);
    expect(entry!.summary).toMatchObject({
      before: { displayName: '王五', role: 'member', departmentScopes: [corp(3)] },
      after: { displayName: '王小五', role: 'dept_admin', departmentScopes: [corp(2)], passwordReset: true },
    });
    expect(JSON.stringify(entry)).not.toContain('reset-password-1');
  });

  it('keeps a dept_admin from promoting or moving users out of its subtrees', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    const east = await userSession(app, root, { username: 'east', role: 'dept_admin', departmentScopes: [corp(2)] });
    const user = (await create(east, newUser())).json();
    const promote = await app.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, headers: east.headers, payload: { role: 'super_admin' } });
    expect(promote.json().code).toBe('ROLE_NOT_GRANTABLE');
    const move = await app.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, headers: east.headers, payload: { departmentScopes: [corp(4)] } });
    expect(move.json().code).toBe('ROLE_NOT_GRANTABLE');
    const widenSelf = await app.inject({ method: 'PATCH', url: `/api/v1/users/${east.userId}`, headers: east.headers, payload: { departmentScopes: [corp(1)] } });
    expect(widenSelf.json().code).toBe('ROLE_NOT_GRANTABLE');
    const [stored] = await rows(`SELECT role FROM users WHERE id = '${user.id}'`);
    expect(stored!.role).toBe('member');
    expect((await app.inject({ method: 'PATCH', url: `/api/v1/users/${user.id}`, headers: east.headers, payload: { role: 'dept_admin' } })).statusCode).toBe(200);
  });

  it('never demotes, disables or deletes the last active super_admin', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    for (const payload of [{ role: 'member', departmentScopes: [corp(1)] }, { disabled: true }]) {
      const response = await app.inject({ method: 'PATCH', url: `/api/v1/users/${root.userId}`, headers: root.headers, payload });
      expect(response.statusCode).toBe(409);
      expect(response.json().code).toBe('LAST_SUPER_ADMIN');
    }
    const remove = await app.inject({ method: 'DELETE', url: `/api/v1/users/${root.userId}`, headers: root.headers });
    expect(remove.json().code).toBe('LAST_SUPER_ADMIN');
    const [stored] = await rows(`SELECT role, disabled_at FROM users WHERE id = '${root.userId}'`);
    expect(stored).toMatchObject({ role: 'super_admin', disabled_at: null });
    expect(await rows(`SELECT seq FROM audit_log WHERE outcome = 'refused' AND summary->>'code' = 'LAST_SUPER_ADMIN'`)).toHaveLength(3);

    const second = (await create(root, newUser({ username: 'second', role: 'super_admin', departmentScopes: [] }))).json();
    await app.inject({ method: 'PATCH', url: `/api/v1/users/${second.id}`, headers: root.headers, payload: { disabled: true } });
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/users/${root.userId}`, headers: root.headers })).json().code).toBe('LAST_SUPER_ADMIN');
    await app.inject({ method: 'PATCH', url: `/api/v1/users/${second.id}`, headers: root.headers, payload: { disabled: false } });
    expect((await app.inject({ method: 'PATCH', url: `/api/v1/users/${root.userId}`, headers: root.headers, payload: { disabled: true } })).statusCode).toBe(200);
  });

  it('lets only one of two super_admins demote the other at the same time', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    const second = await userSession(app, root, { username: 'second', role: 'super_admin' });
    const [a, b] = await Promise.all([
      app.inject({ method: 'PATCH', url: `/api/v1/users/${second.userId}`, headers: root.headers, payload: { disabled: true } }),
      app.inject({ method: 'PATCH', url: `/api/v1/users/${root.userId}`, headers: second.headers, payload: { disabled: true } }),
    ]);
    // The loser is refused as the last super admin, or, when the winner already committed, no longer logged in.
    expect([a.statusCode, b.statusCode].filter((s) => s === 200)).toHaveLength(1);
    expect([a.statusCode, b.statusCode].every((s) => s === 200 || s === 409 || s === 401)).toBe(true);
    expect(await rows(`SELECT id FROM users WHERE role = 'super_admin' AND disabled_at IS NULL`)).toHaveLength(1);
  });

  it('deletes a user with its sessions and keys, and audits it', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    const li = await userSession(app, root, { username: 'li', role: 'member' });
    await app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: li.headers, payload: { name: 'ci' } });
    const response = await app.inject({ method: 'DELETE', url: `/api/v1/users/${li.userId}`, headers: root.headers });
    expect(response.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: li.headers })).statusCode).toBe(401);
    expect(await rows(`SELECT id FROM api_keys`)).toHaveLength(0);
    expect(await rows(`SELECT seq FROM audit_log WHERE action = 'users.delete' AND target_id = '${li.userId}'`)).toHaveLength(1);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/users/${li.userId}`, headers: root.headers })).statusCode).toBe(404);
  });

  it('revokes a user\'s sessions on an admin\'s request', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    const li = await userSession(app, root, { username: 'li', role: 'member' });
    const response = await app.inject({ method: 'POST', url: `/api/v1/users/${li.userId}/sessions/revoke`, headers: root.headers });
    expect(response.json()).toEqual({ revoked: 1 });
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: li.headers })).statusCode).toBe(401);
    expect(await rows(`SELECT seq FROM audit_log WHERE action = 'users.sessions.revoke'`)).toHaveLength(1);
  });
});

describe('permissions', () => {
  it('refuses a member any user management with 403 and an audit entry', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    const member = await userSession(app, root, { username: 'li', role: 'member' });
    const list = await app.inject({ method: 'GET', url: '/api/v1/users', headers: member.headers });
    expect(list.statusCode).toBe(403);
    expect(list.json()).toMatchObject({ code: 'FORBIDDEN', details: { permission: 'users.read' } });
    const [entry] = await rows(`SELECT actor_name, outcome, summary FROM audit_log WHERE action = 'request.refused'`);
    expect(entry).toMatchObject({ actor_name: 'li', outcome: 'refused', summary: { code: 'FORBIDDEN', permission: 'users.read', method: 'GET', route: '/api/v1/users' } });
  });
});

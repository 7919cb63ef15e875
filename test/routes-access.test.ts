import { sql } from 'drizzle-orm';
import type { RouteOptions } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import type * as CreateServer from '../server/platform/http/create-server';
import { rolePermissions, type Permission, type Role } from '../common/permissions';
import { setupRoot, userSession, type Caller } from './support/callers';
import { isGuardedUrl } from '../server/platform/http/access';
import { useTestApp } from './support/test-app';

// Every route the app registers, seen through an onRoute hook added the moment the server is created.
const seen = vi.hoisted(() => [] as { method: string; url: string; access: unknown }[]);
vi.mock('../server/platform/http/create-server', async (importOriginal) => {
  const original = await importOriginal<typeof CreateServer>();
  return {
    ...original,
    createHttpServer: async (...args: Parameters<typeof CreateServer.createHttpServer>) => {
      const app = await original.createHttpServer(...args);
      app.addHook('onRoute', (route: RouteOptions) => {
        const methods = Array.isArray(route.method) ? route.method : [route.method];
        for (const method of methods) if (method !== 'HEAD') seen.push({ method, url: route.url, access: route.config?.access });
      });
      return app;
    },
  };
});

const t = useTestApp();

const placeholder = '00000000-0000-4000-8000-000000000000';
const guarded = () => seen.filter((r) => isGuardedUrl(r.url));
const concrete = (url: string) => url.replace(/:[A-Za-z_]+/g, placeholder);

async function refusalsFor(route: string, permission: string): Promise<number> {
  const result = await t().db.handle.db.execute(
    sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'request.refused' AND summary->>'route' = ${route} AND summary->>'permission' = ${permission}`,
  );
  return Number((result.rows[0] as { n: number }).n);
}

describe('route access declarations', () => {
  it('sees the app\'s routes', () => {
    expect(guarded().map((r) => `${r.method} ${r.url}`)).toEqual(expect.arrayContaining(['GET /api/v1/users', 'POST /api/v1/auth/login', 'GET /api/v1/audit-log']));
  });

  it('finds an access declaration on every /api/v1 and /sandbox/control route', () => {
    const missing = guarded().filter((r) => typeof r.access !== 'string').map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
  });

  it('keeps public only the routes the contract names', () => {
    const open = guarded().filter((r) => r.access === 'public').map((r) => `${r.method} ${r.url}`).sort();
    expect(open).toEqual(['GET /api/v1/setup', 'POST /api/v1/auth/login', 'POST /api/v1/setup']);
  });
});

describe('route × role', () => {
  it('answers 401 UNAUTHENTICATED on every non-public route without a session or key', async () => {
    const { app } = t();
    for (const route of guarded().filter((r) => r.access !== 'public')) {
      const response = await app.inject({ method: route.method as 'GET', url: concrete(route.url) });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(response.json().code).toBe('UNAUTHENTICATED');
    }
  });

  it.each(['member', 'dept_admin'] as const)('answers 403 FORBIDDEN to a %s on every route it lacks the permission for, and audits it', async (role: Role) => {
    const { app } = t();
    const root = await setupRoot(app);
    const caller: Caller = await userSession(app, root, { username: `as-${role}`, role, departmentScopes: [{ accountId: 'corp', departmentId: 1 }] });
    const denied = guarded().filter((r) => r.access !== 'public' && r.access !== 'authenticated' && !rolePermissions[role].includes(r.access as Permission));
    expect(denied.length).toBeGreaterThan(0);
    for (const route of denied) {
      const label = `${route.method} ${route.url}`;
      const before = await refusalsFor(route.url, String(route.access));
      const response = await app.inject({ method: route.method as 'GET', url: concrete(route.url), headers: caller.headers });
      expect(response.statusCode, label).toBe(403);
      expect(response.json(), label).toMatchObject({ code: 'FORBIDDEN', details: { permission: route.access } });
      expect(await refusalsFor(route.url, String(route.access)), label).toBe(before + 1);
    }
  });
});

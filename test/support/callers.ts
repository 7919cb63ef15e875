import type { QiaoApp } from '../../server/app';
import { sessionCookieName } from '../../server/modules/system/auth/auth.schema';

/** Headers that make a request as someone: a session cookie with its CSRF token, or a bearer key. */
export interface Caller {
  userId: string;
  headers: Record<string, string>;
}

export const rootCredentials = { username: 'root', password: 'root-password-1', displayName: '系统管理员' };

function sessionCaller(response: Awaited<ReturnType<QiaoApp['inject']>>): Caller {
  if (response.statusCode >= 300) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === sessionCookieName);
  if (!cookie) throw new Error('no session cookie');
  const { user } = response.json() as { user: { id: string; csrfToken: string } };
  return { userId: user.id, headers: { cookie: `${sessionCookieName}=${cookie.value}`, 'x-csrf-token': user.csrfToken } };
}

/** Runs first-run setup and returns the super admin's session. */
export async function setupRoot(app: QiaoApp): Promise<Caller> {
  return sessionCaller(await app.inject({ method: 'POST', url: '/api/v1/setup', payload: rootCredentials }));
}

export async function loginAs(app: QiaoApp, username: string, password: string, ip = '10.9.9.9'): Promise<Caller> {
  return sessionCaller(await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress: ip }));
}

/** Creates a user as `by` and logs it in. */
export async function userSession(
  app: QiaoApp,
  by: Caller,
  user: { username: string; role: 'super_admin' | 'dept_admin' | 'member'; departmentScopes?: { accountId: string; departmentId: number }[] },
): Promise<Caller> {
  const password = `${user.username}-password`;
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: by.headers,
    payload: { displayName: user.username, departmentScopes: [], ...user, password },
  });
  if (created.statusCode !== 201) throw new Error(`create user failed: ${created.statusCode} ${created.body}`);
  return loginAs(app, user.username, password);
}

export function bearer(key: string, userId = ''): Caller {
  return { userId, headers: { authorization: `Bearer ${key}` } };
}

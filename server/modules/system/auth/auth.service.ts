import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../../../common/errors';
import type { AuditRecorder } from '../../../platform/audit';
import type { Cache } from '../../../platform/cache/cache';
import type { Clock } from '../../../platform/clock';
import type { Db } from '../../../platform/db/client';
import type { Authenticator } from '../../../platform/http/access';
import type { Principal, RequestContext } from '../../../platform/http/principal';
import { assertPasswordStrength, createUsersRepository, hashPassword, inTransaction, verifyAgainstDummy, verifyPassword } from '../users';
import { createSessionsRepository } from './auth.repository';
import { sessionCookieName, type ChangePasswordBody, type LoginBody, type SessionList, type SetupBody, type SetupStatus } from './auth.schema';
import { createLoginThrottle, defaultLoginThrottle, type LoginThrottleOptions } from './login-throttle';
import { principalFor, sha256Hex } from './principals';

export interface AuthServiceDeps {
  db: Db;
  cache: Cache;
  clock: Clock;
  audit: AuditRecorder;
  /** Resolves a bearer API key; api-keys depends on auth, so the system module wires it in. */
  apiKeys: { authenticate(token: string): Promise<Principal | null> };
  sessionTtlHours: number;
  loginThrottle?: LoginThrottleOptions;
  /** lastSeenAt is written at most this often per session. */
  touchIntervalMs?: number;
}

/** A session never outlives this, however often it is used. */
export const sessionAbsoluteMaxMs = 30 * 24 * 3600_000;

export interface NewSession {
  principal: Principal;
  /** The cookie value; only its SHA-256 is stored. */
  token: string;
}

export function createAuthService(deps: AuthServiceDeps) {
  const users = createUsersRepository(deps.db);
  const sessions = createSessionsRepository(deps.db);
  const throttle = createLoginThrottle(deps.cache, deps.loginThrottle ?? defaultLoginThrottle);
  const ttlMs = deps.sessionTtlHours * 3600_000;
  const touchIntervalMs = deps.touchIntervalMs ?? 60_000;

  function expiryOf(createdAt: Date, lastSeenAt: Date): Date {
    return new Date(Math.min(lastSeenAt.getTime() + ttlMs, createdAt.getTime() + sessionAbsoluteMaxMs));
  }

  /** Inserts a session on `db` (a transaction when given) and returns its token and principal. */
  async function openSession(db: Db, userId: string, context: RequestContext): Promise<{ token: string; sessionId: string; csrfToken: string }> {
    const token = randomBytes(32).toString('base64url');
    const sessionId = sha256Hex(token);
    const csrfToken = randomBytes(32).toString('base64url');
    const now = deps.clock.now();
    await createSessionsRepository(db).insert({
      id: sessionId,
      userId,
      csrfToken,
      ip: context.ip,
      userAgent: context.userAgent,
      now,
      expiresAt: expiryOf(now, now),
    });
    return { token, sessionId, csrfToken };
  }

  async function setupStatus(): Promise<SetupStatus> {
    return { needed: (await users.countAll()) === 0 };
  }

  /**
   * Creates the first super_admin; refused once any user exists, also when two
   * setups race. With a request context it also opens a session for it.
   */
  async function createFirstAdmin(context: RequestContext | null, body: SetupBody): Promise<NewSession | null> {
    assertPasswordStrength(body.username, body.password);
    if ((await users.countAll()) > 0) throw new AppError('SETUP_ALREADY_DONE');
    const passwordHash = await hashPassword(body.password);
    const created = await inTransaction(deps.db, async (tx) => {
      const repository = createUsersRepository(tx);
      await repository.lockSetup();
      if ((await repository.countAll()) > 0) return null;
      const now = deps.clock.now();
      const userId = await repository.insert({ ...body, passwordHash, role: 'super_admin', now, departmentScopes: [], wecomMembers: [] });
      const session = context ? await openSession(tx, userId, context) : null;
      const user = (await repository.findById(userId))!;
      const principal = session ? principalFor(user, { kind: 'session', sessionId: session.sessionId, csrfToken: session.csrfToken }) : null;
      await deps.audit.record(
        context && principal ? { ...context, principal } : context,
        { action: 'setup.create_admin', targetType: 'user', targetId: userId, summary: { after: { username: body.username, displayName: body.displayName, role: 'super_admin' } } },
        tx,
      );
      return { principal, token: session?.token ?? '' };
    });
    if (!created) throw new AppError('SETUP_ALREADY_DONE');
    return created.principal ? { principal: created.principal, token: created.token } : null;
  }

  async function setup(context: RequestContext, body: SetupBody): Promise<NewSession> {
    return (await createFirstAdmin(context, body))!;
  }

  async function bootstrapAdmin(username: string, password: string): Promise<'created' | 'exists'> {
    if ((await users.countAll()) > 0) return 'exists';
    try {
      await createFirstAdmin(null, { username, password, displayName: username });
      return 'created';
    } catch (error) {
      if (error instanceof AppError && error.code === 'SETUP_ALREADY_DONE') return 'exists';
      throw error;
    }
  }

  async function login(context: RequestContext, body: LoginBody, previousToken: string | undefined): Promise<NewSession> {
    const event = { action: 'auth.login', targetType: 'user' };
    const blockedMs = await throttle.blockedForMs(body.username, context.ip);
    if (blockedMs > 0) {
      const retryAfterS = Math.ceil(blockedMs / 1000);
      await deps.audit.record(context, { ...event, outcome: 'refused', summary: { username: body.username, code: 'AUTH_THROTTLED', retryAfterS } });
      throw new AppError('AUTH_THROTTLED', { retryAfterS });
    }
    const user = await users.findByUsername(body.username);
    const matches = user ? await verifyPassword(user.passwordHash, body.password) : (await verifyAgainstDummy(body.password), false);
    if (!user || !matches) {
      await throttle.recordFailure(body.username, context.ip);
      await deps.audit.record(context, { ...event, targetId: user?.id, outcome: 'refused', summary: { username: body.username, code: 'AUTH_INVALID_CREDENTIALS' } });
      throw new AppError('AUTH_INVALID_CREDENTIALS');
    }
    if (user.disabledAt) {
      await deps.audit.record(context, { ...event, targetId: user.id, outcome: 'refused', summary: { username: user.username, code: 'AUTH_USER_DISABLED' } });
      throw new AppError('AUTH_USER_DISABLED');
    }
    await throttle.recordSuccess(body.username, context.ip);
    return inTransaction(deps.db, async (tx) => {
      const repository = createSessionsRepository(tx);
      let rotated = false;
      // A session the browser carried in is replaced, never upgraded: that defeats session fixation.
      if (previousToken) {
        const previous = await repository.findLive(sha256Hex(previousToken), deps.clock.now());
        if (previous) rotated = await repository.revoke(previous.userId, previous.id, deps.clock.now());
      }
      const session = await openSession(tx, user.id, context);
      const principal = principalFor(user, { kind: 'session', sessionId: session.sessionId, csrfToken: session.csrfToken });
      await deps.audit.record({ ...context, principal }, { ...event, targetId: user.id, summary: { username: user.username, replacedSession: rotated } }, tx);
      return { principal, token: session.token };
    });
  }

  async function logout(context: RequestContext, principal: Principal): Promise<void> {
    if (principal.kind !== 'session' || !principal.sessionId) return;
    const sessionId = principal.sessionId;
    await inTransaction(deps.db, async (tx) => {
      await createSessionsRepository(tx).revoke(principal.userId, sessionId, deps.clock.now());
      await deps.audit.record(context, { action: 'auth.logout', targetType: 'session', targetId: sessionId }, tx);
    });
  }

  async function authenticateSession(token: string): Promise<Principal | null> {
    if (token.length > 200) return null;
    const now = deps.clock.now();
    const session = await sessions.findLive(sha256Hex(token), now);
    if (!session) return null;
    const user = await users.findById(session.userId);
    if (!user || user.disabledAt) return null;
    if (now.getTime() - session.lastSeenAt.getTime() >= touchIntervalMs) {
      await sessions.touch(session.id, now, expiryOf(session.createdAt, now));
    }
    return principalFor(user, { kind: 'session', sessionId: session.id, csrfToken: session.csrfToken });
  }

  /** Bearer API key when an Authorization header is sent, else the session cookie. */
  const authenticator: Authenticator = {
    async authenticate(request: FastifyRequest) {
      const authorization = request.headers.authorization;
      if (authorization !== undefined) {
        const match = /^Bearer\s+(\S+)$/i.exec(authorization);
        return match?.[1] ? deps.apiKeys.authenticate(match[1]) : null;
      }
      const token = request.cookies[sessionCookieName];
      return token ? authenticateSession(token) : null;
    },
  };

  async function changePassword(context: RequestContext, principal: Principal, body: ChangePasswordBody): Promise<{ revoked: number }> {
    const user = await users.findById(principal.userId);
    if (!user) throw new AppError('USER_NOT_FOUND');
    if (!(await verifyPassword(user.passwordHash, body.currentPassword))) {
      await deps.audit.record(context, { action: 'auth.password.change', targetType: 'user', targetId: user.id, outcome: 'refused', summary: { code: 'AUTH_WRONG_PASSWORD' } });
      throw new AppError('AUTH_WRONG_PASSWORD');
    }
    assertPasswordStrength(user.username, body.newPassword);
    const passwordHash = await hashPassword(body.newPassword);
    return inTransaction(deps.db, async (tx) => {
      const now = deps.clock.now();
      await createUsersRepository(tx).update(user.id, { passwordHash, passwordChangedAt: now, updatedAt: now });
      const revoked = await createSessionsRepository(tx).revokeAllOf(user.id, now, principal.sessionId);
      await deps.audit.record(context, { action: 'auth.password.change', targetType: 'user', targetId: user.id, summary: { otherSessionsRevoked: revoked } }, tx);
      return { revoked };
    });
  }

  async function listSessions(principal: Principal): Promise<SessionList> {
    const rows = await sessions.listLive(principal.userId, deps.clock.now());
    return {
      items: rows.map((row) => ({
        id: row.id,
        ip: row.ip,
        userAgent: row.userAgent,
        createdAt: row.createdAt.toISOString(),
        lastSeenAt: row.lastSeenAt.toISOString(),
        expiresAt: row.expiresAt.toISOString(),
        current: row.id === principal.sessionId,
      })),
      nextCursor: null,
    };
  }

  async function revokeSession(context: RequestContext, principal: Principal, id: string): Promise<void> {
    await inTransaction(deps.db, async (tx) => {
      const revoked = await createSessionsRepository(tx).revoke(principal.userId, id, deps.clock.now());
      if (!revoked) throw new AppError('SESSION_NOT_FOUND');
      await deps.audit.record(context, { action: 'auth.session.revoke', targetType: 'session', targetId: id, summary: { current: id === principal.sessionId } }, tx);
    });
  }

  async function revokeOtherSessions(context: RequestContext, principal: Principal): Promise<{ revoked: number }> {
    return inTransaction(deps.db, async (tx) => {
      const revoked = await createSessionsRepository(tx).revokeAllOf(principal.userId, deps.clock.now(), principal.sessionId);
      await deps.audit.record(context, { action: 'auth.session.revoke_all', targetType: 'user', targetId: principal.userId, summary: { revoked } }, tx);
      return { revoked };
    });
  }

  return { setupStatus, setup, bootstrapAdmin, login, logout, authenticator, changePassword, listSessions, revokeSession, revokeOtherSessions };
}

export type AuthService = ReturnType<typeof createAuthService>;

import { AppError } from '../../../../common/errors';
import { decodeCursor, encodeCursor } from '../../../../common/paging';
import type { AuditEvent, AuditRecorder } from '../../../platform/audit';
import type { Clock } from '../../../platform/clock';
import type { Db } from '../../../platform/db/client';
import type { DepartmentScope, Principal, RequestContext } from '../../../platform/http/principal';
import { managesUser, mayGrantRole, mayTieWecomMembers, scopeWithin, type DirectoryHolder } from '../policy';
import { assertPasswordStrength, hashPassword } from './passwords';
import { createUsersRepository, inTransaction, type UserRecord, type WecomMemberTie } from './users.repository';
import type { CreateUserBody, ListUsersQuery, RevokedCount, UpdateUserBody, User, UserPage } from './users.schema';
import { isUniqueViolation } from '../../../platform/db/unique-violation';

export interface UsersServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditRecorder;
  directory: DirectoryHolder;
  /**
   * Revokes a user's live sessions inside `tx` (all but `keepId`) and returns how many; sessions
   * belong to auth, which depends on users, so the system module wires this in.
   */
  revokeSessionsOf(tx: Db, userId: string, now: Date, keepId?: string): Promise<number>;
}

export function toUser(record: UserRecord): User {
  return {
    id: record.id,
    username: record.username,
    displayName: record.displayName,
    role: record.role,
    status: record.disabledAt ? 'disabled' : 'active',
    departmentScopes: record.departmentScopes,
    wecomMembers: record.wecomMembers,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    disabledAt: record.disabledAt?.toISOString() ?? null,
    passwordChangedAt: record.passwordChangedAt.toISOString(),
  };
}


function sameTie(a: WecomMemberTie, b: WecomMemberTie): boolean {
  return a.accountId === b.accountId && a.userid === b.userid;
}

function scopeKey(scopes: readonly DepartmentScope[]): string {
  return scopes
    .map((s) => `${s.accountId}/${s.departmentId}`)
    .sort()
    .join(',');
}

export function createUsersService(deps: UsersServiceDeps) {
  const repository = createUsersRepository(deps.db);

  async function refuse(context: RequestContext, event: AuditEvent, code: 'ROLE_NOT_GRANTABLE' | 'LAST_SUPER_ADMIN', details: Record<string, unknown> = {}): Promise<never> {
    await deps.audit.record(context, { ...event, outcome: 'refused', summary: { ...event.summary, code, ...details } });
    throw new AppError(code, details);
  }

  /** The user if this principal may see it: everyone for super_admin, itself and its managed users for a dept_admin. */
  async function getVisible(principal: Principal, id: string): Promise<UserRecord> {
    const user = await repository.findById(id);
    if (!user) throw new AppError('USER_NOT_FOUND');
    if (user.id === principal.userId) return user;
    if (!(await managesUser(principal, user, deps.directory.get().tree))) throw new AppError('USER_NOT_FOUND');
    return user;
  }

  /** Role, scope and WeCom-tie rules shared by create and update. */
  async function assertGrantable(
    context: RequestContext,
    principal: Principal,
    event: AuditEvent,
    next: { role: UserRecord['role']; departmentScopes: DepartmentScope[]; addedWecomMembers: WecomMemberTie[]; roleChanged: boolean },
  ): Promise<void> {
    const { tree, members } = deps.directory.get();
    if (next.roleChanged && !mayGrantRole(principal.role, next.role)) {
      await refuse(context, event, 'ROLE_NOT_GRANTABLE', { role: next.role });
    }
    if (next.role === 'dept_admin' && next.departmentScopes.length === 0) throw new AppError('SCOPE_REQUIRED');
    if (principal.role !== 'super_admin') {
      if (next.departmentScopes.length === 0) throw new AppError('SCOPE_REQUIRED');
      if (!(await scopeWithin(next.departmentScopes, principal.departmentScopes, tree))) {
        await refuse(context, event, 'ROLE_NOT_GRANTABLE', { departmentScopes: next.departmentScopes });
      }
    }
    if (!(await mayTieWecomMembers(principal, next.addedWecomMembers, tree, members))) {
      await refuse(context, event, 'ROLE_NOT_GRANTABLE', { wecomMembers: next.addedWecomMembers });
    }
  }

  async function create(context: RequestContext, principal: Principal, body: CreateUserBody): Promise<User> {
    const event: AuditEvent = { action: 'users.create', targetType: 'user', summary: { username: body.username, role: body.role } };
    await assertGrantable(context, principal, event, {
      role: body.role,
      departmentScopes: body.departmentScopes,
      addedWecomMembers: body.wecomMembers,
      roleChanged: true,
    });
    assertPasswordStrength(body.username, body.password);
    if (await repository.findByUsername(body.username)) throw new AppError('USERNAME_TAKEN', { username: body.username });
    const passwordHash = await hashPassword(body.password);
    const now = deps.clock.now();
    try {
      const id = await inTransaction(deps.db, async (tx) => {
        const id = await createUsersRepository(tx).insert({ ...body, passwordHash, now });
        await deps.audit.record(
          context,
          {
            ...event,
            targetId: id,
            summary: {
              after: { username: body.username, displayName: body.displayName, role: body.role, departmentScopes: body.departmentScopes, wecomMembers: body.wecomMembers },
            },
          },
          tx,
        );
        return id;
      });
      return toUser((await repository.findById(id))!);
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('USERNAME_TAKEN', { username: body.username });
      throw error;
    }
  }

  async function update(context: RequestContext, principal: Principal, id: string, body: UpdateUserBody): Promise<User> {
    const user = await getVisible(principal, id);
    const event: AuditEvent = { action: 'users.update', targetType: 'user', targetId: id, summary: { username: user.username } };
    const role = body.role ?? user.role;
    const departmentScopes = body.departmentScopes ?? user.departmentScopes;
    const addedWecomMembers = (body.wecomMembers ?? []).filter((m) => !user.wecomMembers.some((t) => sameTie(t, m)));
    await assertGrantable(context, principal, event, { role, departmentScopes, addedWecomMembers, roleChanged: role !== user.role });
    if (body.password !== undefined) assertPasswordStrength(user.username, body.password);
    const passwordHash = body.password !== undefined ? await hashPassword(body.password) : undefined;

    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const note = (field: string, was: unknown, now: unknown) => {
      before[field] = was;
      after[field] = now;
    };
    if (body.displayName !== undefined && body.displayName !== user.displayName) note('displayName', user.displayName, body.displayName);
    if (role !== user.role) note('role', user.role, role);
    if (body.departmentScopes && scopeKey(body.departmentScopes) !== scopeKey(user.departmentScopes)) note('departmentScopes', user.departmentScopes, body.departmentScopes);
    if (body.wecomMembers) note('wecomMembers', user.wecomMembers, body.wecomMembers);
    const disabling = body.disabled === true && !user.disabledAt;
    const enabling = body.disabled === false && user.disabledAt !== null;
    if (disabling || enabling) note('status', user.disabledAt ? 'disabled' : 'active', body.disabled ? 'disabled' : 'active');
    if (passwordHash) after.passwordReset = true;

    const losesSuperAdmin = user.role === 'super_admin' && !user.disabledAt && (role !== 'super_admin' || disabling);
    const now = deps.clock.now();
    await inTransaction(deps.db, async (tx) => {
      const users = createUsersRepository(tx);
      if (losesSuperAdmin) {
        await users.lockSuperAdmins();
        if ((await users.countActiveSuperAdminsExcept(id)) === 0) return 'last';
      }
      await users.update(id, {
        updatedAt: now,
        ...(body.displayName !== undefined ? { displayName: body.displayName } : {}),
        ...(role !== user.role ? { role } : {}),
        ...(disabling ? { disabledAt: now } : enabling ? { disabledAt: null } : {}),
        ...(passwordHash ? { passwordHash, passwordChangedAt: now } : {}),
      });
      if (body.departmentScopes) await users.replaceScopes(id, body.departmentScopes);
      if (body.wecomMembers) await users.replaceWecomMembers(id, body.wecomMembers);
      // A disabled account or a reset password must not keep any open console session.
      if (disabling || passwordHash) after.sessionsRevoked = await deps.revokeSessionsOf(tx, id, now);
      await deps.audit.record(context, { ...event, summary: { username: user.username, before, after } }, tx);
      return 'done';
    }).then(async (outcome) => {
      if (outcome === 'last') await refuse(context, event, 'LAST_SUPER_ADMIN');
    });
    return toUser((await repository.findById(id))!);
  }

  async function remove(context: RequestContext, principal: Principal, id: string): Promise<void> {
    const user = await getVisible(principal, id);
    const event: AuditEvent = { action: 'users.delete', targetType: 'user', targetId: id, summary: { username: user.username } };
    const outcome = await inTransaction(deps.db, async (tx) => {
      const users = createUsersRepository(tx);
      if (user.role === 'super_admin' && !user.disabledAt) {
        await users.lockSuperAdmins();
        if ((await users.countActiveSuperAdminsExcept(id)) === 0) return 'last';
      }
      await users.delete(id);
      await deps.audit.record(
        context,
        { ...event, summary: { before: { username: user.username, displayName: user.displayName, role: user.role, departmentScopes: user.departmentScopes } } },
        tx,
      );
      return 'done';
    });
    if (outcome === 'last') await refuse(context, event, 'LAST_SUPER_ADMIN');
  }

  /** Ids of the users a dept_admin manages (not itself); empty for members. */
  async function managedUserIds(principal: Principal): Promise<string[]> {
    if (principal.role === 'member') return [];
    const tree = deps.directory.get().tree;
    const candidates = await repository.listScopedCandidates();
    const ids: string[] = [];
    for (const candidate of candidates) {
      if (candidate.id !== principal.userId && (await managesUser(principal, candidate, tree))) ids.push(candidate.id);
    }
    return ids;
  }

  async function list(principal: Principal, query: ListUsersQuery): Promise<UserPage> {
    let after: { usernameLower: string; id: string } | undefined;
    if (query.cursor) {
      const decoded = decodeCursor(query.cursor);
      if (!decoded || typeof decoded[0] !== 'string' || typeof decoded[1] !== 'string' || !/^[0-9a-f-]{36}$/i.test(decoded[1])) {
        throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'querystring.cursor', message: 'invalid cursor' }] });
      }
      after = { usernameLower: decoded[0], id: decoded[1] };
    }
    const ids = principal.role === 'super_admin' ? undefined : [principal.userId, ...(await managedUserIds(principal))];
    const page = await repository.list({ role: query.role, status: query.status, q: query.q, ids, after }, query.limit + 1);
    const items = page.items.slice(0, query.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toUser),
      nextCursor: page.items.length > query.limit && last ? encodeCursor([last.username.toLowerCase(), last.id]) : null,
      total: page.total,
    };
  }

  async function get(principal: Principal, id: string): Promise<User> {
    return toUser(await getVisible(principal, id));
  }

  async function revokeSessions(context: RequestContext, principal: Principal, id: string): Promise<RevokedCount> {
    const user = await getVisible(principal, id);
    const revoked = await inTransaction(deps.db, async (tx) => {
      const count = await deps.revokeSessionsOf(tx, id, deps.clock.now(), principal.userId === id ? principal.sessionId : undefined);
      await deps.audit.record(context, { action: 'users.sessions.revoke', targetType: 'user', targetId: id, summary: { username: user.username, revoked: count } }, tx);
      return count;
    });
    return { revoked };
  }

  return { create, update, remove, list, get, revokeSessions, managedUserIds };
}

export type UsersService = ReturnType<typeof createUsersService>;

import { randomBytes } from 'node:crypto';
import { AppError } from '../../../../common/errors';
import { decodeCursor, encodeCursor } from '../../../../common/paging';
import { roleRank } from '../../../../common/permissions';
import type { AuditEvent, AuditRecorder } from '../../../platform/audit';
import type { Clock } from '../../../platform/clock';
import type { Db } from '../../../platform/db/client';
import type { DepartmentScope, Principal, RequestContext } from '../../../platform/http/principal';
import { principalFor, sha256Hex } from '../auth';
import { intersectScopes, lowerRole, scopeWithin, type DirectoryHolder } from '../policy';
import { createUsersRepository, inTransaction } from '../users';
import { createApiKeysRepository, type ApiKeyRow } from './api-keys.repository';
import { apiKeyMarker, type ApiKey, type ApiKeyPage, type CreateApiKeyBody, type CreatedApiKey, type ListApiKeysQuery } from './api-keys.schema';

export interface ApiKeysServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditRecorder;
  directory: DirectoryHolder;
  /** lastUsedAt is written at most this often per key. */
  touchIntervalMs?: number;
}

const prefixAlphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomPrefix(): string {
  return [...randomBytes(8)].map((b) => prefixAlphabet[b % prefixAlphabet.length]).join('');
}

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role,
    departmentScopes: row.departmentScopes,
    userId: row.userId,
    username: row.username,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export function createApiKeysService(deps: ApiKeysServiceDeps) {
  const repository = createApiKeysRepository(deps.db);
  const users = createUsersRepository(deps.db);
  const touchIntervalMs = deps.touchIntervalMs ?? 60_000;

  async function refuse(context: RequestContext, event: AuditEvent, details: Record<string, unknown>): Promise<never> {
    await deps.audit.record(context, { ...event, outcome: 'refused', summary: { ...event.summary, code: 'ROLE_NOT_GRANTABLE', ...details } });
    throw new AppError('ROLE_NOT_GRANTABLE', details);
  }

  /**
   * The principal a bearer key stands for. Role and scopes are intersected
   * with what the key's owner holds now, so a demoted or narrowed owner's
   * keys shrink with it; a disabled owner's keys stop working.
   */
  async function authenticate(token: string): Promise<Principal | null> {
    if (!token.startsWith(apiKeyMarker) || token.length > 200) return null;
    const row = await repository.findByHash(sha256Hex(token));
    if (!row) return null;
    if (row.revokedAt) throw new AppError('API_KEY_REVOKED');
    const now = deps.clock.now();
    if (row.expiresAt && row.expiresAt <= now) return null;
    const owner = await users.findById(row.userId);
    if (!owner || owner.disabledAt) return null;
    const role = lowerRole(row.role, owner.role);
    const wanted = row.departmentScopes ?? owner.departmentScopes;
    const departmentScopes =
      owner.role === 'super_admin' ? wanted : await intersectScopes(wanted, owner.departmentScopes, deps.directory.get().tree);
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= touchIntervalMs) await repository.touch(row.id, now);
    return principalFor(owner, { kind: 'api_key', apiKeyId: row.id, role, departmentScopes });
  }

  async function create(context: RequestContext, principal: Principal, body: CreateApiKeyBody): Promise<CreatedApiKey> {
    const role = body.role ?? principal.role;
    const event: AuditEvent = { action: 'api_keys.create', targetType: 'api_key', summary: { name: body.name, role } };
    if (roleRank[role] > roleRank[principal.role]) await refuse(context, event, { role });
    if (body.departmentScopes && principal.role !== 'super_admin') {
      if (!(await scopeWithin(body.departmentScopes, principal.departmentScopes, deps.directory.get().tree))) {
        await refuse(context, event, { departmentScopes: body.departmentScopes });
      }
    }
    // Omitted scopes follow the owner at each use, unless a key creates the key: it may pass on only its own reach.
    let departmentScopes: DepartmentScope[] | null = body.departmentScopes ?? null;
    if (departmentScopes === null && principal.kind === 'api_key' && role !== 'super_admin') departmentScopes = principal.departmentScopes;
    if (role === 'dept_admin') {
      const effective = departmentScopes ?? (principal.role === 'dept_admin' ? principal.departmentScopes : []);
      if (effective.length === 0) throw new AppError('SCOPE_REQUIRED');
    }
    const now = deps.clock.now();
    const expiresAt = body.expiresAt ? new Date(body.expiresAt) : null;
    if (expiresAt && expiresAt <= now) {
      throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'body.expiresAt', message: 'must be in the future' }] });
    }
    const prefix = `${apiKeyMarker}${randomPrefix()}`;
    const key = `${prefix}${randomBytes(32).toString('base64url')}`;
    const id = await inTransaction(deps.db, async (tx) => {
      const id = await createApiKeysRepository(tx).insert({
        userId: principal.userId,
        name: body.name,
        prefix,
        keyHash: sha256Hex(key),
        role,
        departmentScopes,
        now,
        expiresAt,
      });
      await deps.audit.record(
        context,
        { ...event, targetId: id, summary: { after: { name: body.name, prefix, role, departmentScopes, expiresAt: expiresAt?.toISOString() ?? null } } },
        tx,
      );
      return id;
    });
    return { ...toApiKey((await repository.findById(id))!), key };
  }

  async function list(context: RequestContext, principal: Principal, query: ListApiKeysQuery): Promise<ApiKeyPage> {
    const all = query.all === 'true';
    if (all && principal.role !== 'super_admin') {
      await deps.audit.record(context, { action: 'api_keys.list', outcome: 'refused', summary: { code: 'FORBIDDEN', all: true } });
      throw new AppError('FORBIDDEN', { permission: 'super_admin' });
    }
    let before: { createdAt: string; id: string } | undefined;
    if (query.cursor) {
      const decoded = decodeCursor(query.cursor);
      if (!decoded || typeof decoded[0] !== 'string' || typeof decoded[1] !== 'string' || Number.isNaN(Date.parse(decoded[0])) || !/^[0-9a-f-]{36}$/i.test(decoded[1])) {
        throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'querystring.cursor', message: 'invalid cursor' }] });
      }
      before = { createdAt: decoded[0], id: decoded[1] };
    }
    const rows = await repository.list({ userId: all ? undefined : principal.userId, before }, query.limit + 1);
    const items = rows.slice(0, query.limit).map(toApiKey);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > query.limit && last ? encodeCursor([last.createdAt, last.id]) : null };
  }

  async function revoke(context: RequestContext, principal: Principal, id: string): Promise<ApiKey> {
    const row = await repository.findById(id);
    if (!row || (row.userId !== principal.userId && principal.role !== 'super_admin')) throw new AppError('API_KEY_NOT_FOUND');
    if (!row.revokedAt) {
      await inTransaction(deps.db, async (tx) => {
        await createApiKeysRepository(tx).revoke(id, deps.clock.now());
        await deps.audit.record(context, { action: 'api_keys.revoke', targetType: 'api_key', targetId: id, summary: { name: row.name, prefix: row.prefix, owner: row.username } }, tx);
      });
    }
    return toApiKey((await repository.findById(id))!);
  }

  return { authenticate, create, list, revoke };
}

export type ApiKeysService = ReturnType<typeof createApiKeysService>;

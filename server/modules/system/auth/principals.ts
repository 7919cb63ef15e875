import { createHash } from 'node:crypto';
import { rolePermissions, type Role } from '../../../../common/permissions';
import type { DepartmentScope, Principal } from '../../../platform/http/principal';
import type { UserRecord } from '../users';
import type { Me } from './auth.schema';

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** A principal with the permissions of its role; keys pass a narrowed role and scopes. */
export function principalFor(
  user: UserRecord,
  via: { kind: 'session'; sessionId: string; csrfToken: string } | { kind: 'api_key'; apiKeyId: string; role: Role; departmentScopes: DepartmentScope[] },
): Principal {
  const role = via.kind === 'api_key' ? via.role : user.role;
  const base = {
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    role,
    permissions: rolePermissions[role],
    wecomMembers: user.wecomMembers,
  };
  if (via.kind === 'session') {
    return { ...base, kind: 'session', departmentScopes: user.departmentScopes, sessionId: via.sessionId, csrfToken: via.csrfToken };
  }
  return { ...base, kind: 'api_key', departmentScopes: via.departmentScopes, apiKeyId: via.apiKeyId };
}

export function meOf(principal: Principal): Me {
  return {
    id: principal.userId,
    username: principal.username,
    displayName: principal.displayName,
    role: principal.role,
    departmentScopes: principal.departmentScopes,
    wecomMembers: principal.wecomMembers,
    permissions: [...principal.permissions],
    authMethod: principal.kind,
    ...(principal.kind === 'session' && principal.csrfToken ? { csrfToken: principal.csrfToken } : {}),
  };
}

import type { Permission, Role } from '../../../common/permissions';

export interface DepartmentScope {
  accountId: string;
  departmentId: number;
}

/** Who is calling: a console session or an API key, with what it may do. */
export interface Principal {
  kind: 'session' | 'api_key';
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  permissions: readonly Permission[];
  departmentScopes: DepartmentScope[];
  wecomMembers: { accountId: string; userid: string }[];
  sessionId?: string;
  csrfToken?: string;
  apiKeyId?: string;
}

/** What the audit log needs to know about a request, whoever made it. */
export interface RequestContext {
  principal: Principal | null;
  ip: string;
  userAgent: string | null;
  requestId: string;
}

import type { FastifyPluginAsync } from 'fastify';
import type { AuditRecorder } from '../../platform/audit';
import type { Authenticator, RefusalRecorder } from '../../platform/http/access';
import type { PlatformDeps } from '../../platform/module-deps';
import { apiKeysRoutes, createApiKeysService } from './api-keys';
import { auditRoutes, createAuditService } from './audit';
import { authRoutes, createAuthService, revokeSessionsOf, type LoginThrottleOptions } from './auth';
import { createDirectoryHolder, type Directory } from './policy';
import { createUsersService, usersRoutes } from './users';

export {
  departmentTreeFromParents,
  flatDepartmentTree,
  intersectScopes,
  managesUser,
  mayActOnDepartment,
  mayActOnMemberRecord,
  mayGrantRole,
  reachOf,
  scopeWithin,
  scopesCover,
  type DepartmentTree,
  type Directory,
  type MemberDepartments,
  type MemberRecordRef,
  type Reach,
} from './policy';
export { contextOf, principalOf, verifyAuditChain } from './audit';

export interface SystemModuleOptions {
  loginThrottle?: LoginThrottleOptions;
  directory?: Partial<Directory>;
}

export interface SystemModule {
  audit: AuditRecorder;
  authenticator: Authenticator;
  refusals: RefusalRecorder;
  routes: FastifyPluginAsync;
  bootstrapAdmin(username: string, password: string): Promise<'created' | 'exists'>;
  /** Department ancestry and member placement for every scope check, once the WeCom directory can answer. */
  useDirectory(directory: Partial<Directory>): void;
  /** The policy inputs other modules' checks need, as currently wired. */
  directory(): Directory;
}

/** 系统设置: users, sessions, API keys, the audit log and the access policy. */
export function createSystemModule(platform: PlatformDeps, options: SystemModuleOptions = {}): SystemModule {
  const directory = createDirectoryHolder(options.directory);
  const audit = createAuditService({
    db: platform.db,
    clock: platform.clock,
    managedUserIds: (principal) => users.managedUserIds(principal),
  });
  const users = createUsersService({ db: platform.db, clock: platform.clock, audit: audit.recorder, directory, revokeSessionsOf });
  const apiKeys = createApiKeysService({ db: platform.db, clock: platform.clock, audit: audit.recorder, directory });
  const auth = createAuthService({
    db: platform.db,
    cache: platform.cache,
    clock: platform.clock,
    audit: audit.recorder,
    apiKeys,
    sessionTtlHours: platform.config.sessionTtlHours,
    loginThrottle: options.loginThrottle,
  });

  const routes: FastifyPluginAsync = async (app) => {
    await app.register(authRoutes(auth, { secureCookies: platform.config.publicBaseUrl.startsWith('https:') }));
    await app.register(usersRoutes(users));
    await app.register(apiKeysRoutes(apiKeys));
    await app.register(auditRoutes(audit));
  };

  return {
    audit: audit.recorder,
    authenticator: auth.authenticator,
    refusals: audit.refusals,
    routes,
    bootstrapAdmin: (username, password) => auth.bootstrapAdmin(username, password),
    useDirectory: (next) => directory.use(next),
    directory: () => directory.get(),
  };
}

import type { ModuleDeps } from '../../../platform/module-deps';
import { createDepartmentsRepository } from './departments.repository';
import { createDepartmentsRoutes } from './departments.routes';
import { createDepartmentsService, type DepartmentsServiceDeps } from './departments.service';

export { wecomDepartments, type DepartmentSnapshot } from './departments.tables';
export type { Department, DepartmentList, CreateDepartmentBody, UpdateDepartmentBody } from './departments.schema';
export type { DepartmentRow } from './departments.repository';
export { snapshotOf as departmentSnapshotOf, type Actor, type DepartmentUpsert, type DepartmentsService, type UpsertOutcome, type WriteOrigin } from './departments.service';
export {
  charCount,
  checkDepartment,
  checkDepartmentName,
  departmentLimits,
  nextDepartmentId,
  type DepartmentInput,
  type DepartmentNode,
  type DepartmentRuleContext,
  type Problem,
} from './department-rules';
export { ancestorIds, buildTree, subtreeIds, treeOrder, type Tree } from './department-tree';
export { reachOfPrincipal, reachesDepartment, reachesMember, type DirectoryReach } from './directory-scope';
export type { DepartmentsRepository } from './departments.repository';
export { createDepartmentsRepository };

/**
 * WeCom departments: the tree CRUD routes under /api/v1/wecom/{accountId}/departments
 * and the service the members module, import and sync build on (requireCorp,
 * reach, upsertDepartments, ensurePaths, listAllDepartments, tree).
 */
export function createDepartmentsModule(deps: ModuleDeps & { accounts: DepartmentsServiceDeps['accounts'] }) {
  const service = createDepartmentsService({
    repository: createDepartmentsRepository(deps.db),
    cache: deps.cache,
    audit: deps.audit,
    clock: deps.clock,
    accounts: deps.accounts,
  });
  return { routes: createDepartmentsRoutes(service), service };
}

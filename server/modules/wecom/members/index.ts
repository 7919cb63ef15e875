import type { ModuleDeps } from '../../../platform/module-deps';
import type { DepartmentsService } from '../departments';
import { createMembersRepository } from './members.repository';
import { createMembersRoutes } from './members.routes';
import { createMembersService } from './members.service';

export { wecomDirectorySettings, wecomMemberDepartments, wecomMembers, memberStatuses, type MemberSnapshot, type MemberStatusValue } from './members.tables';
export type { Member, MemberStatus, MemberVisibility, CreateMemberBody, UpdateMemberBody, ListMembersQuery } from './members.schema';
export { memberColumns, type MemberRecord, type MemberRow, type MemberDepartmentRow } from './members.repository';
export { checkMember, checkMembers, departmentLabel, memberLimits, useridKey, type MemberDepartmentInput, type MemberInput, type MemberRuleContext, type Problem } from './member-rules';
export { memberSnapshotOf, type MemberProblem, type MembersService, type UpsertMembersOptions, type UpsertMembersOutcome } from './members.service';

/**
 * WeCom members: routes under /api/v1/wecom/{accountId}/members and the
 * service import and sync call (upsertMembers, listAllMembers,
 * markMembersSynced, purgeMember). Built on the departments module.
 */
export function createMembersModule(deps: ModuleDeps & { departments: DepartmentsService }) {
  const service = createMembersService({
    db: deps.db,
    repository: createMembersRepository(deps.db),
    departments: deps.departments,
    audit: deps.audit,
    clock: deps.clock,
  });
  return { routes: createMembersRoutes(service), service };
}

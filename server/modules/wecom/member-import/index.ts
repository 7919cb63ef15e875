import type { FastifyPluginAsync } from 'fastify';
import type { ModuleDeps } from '../../../platform/module-deps';
import type { DepartmentsService } from '../departments';
import { checkMember, memberSnapshotOf, type MembersService } from '../members';
import { createMemberImportRepository } from './member-import.repository';
import { memberImportRoutes } from './member-import.routes';
import { createMemberImportService, type MemberImportDirectory } from './member-import.service';

export type { MemberImportDirectory } from './member-import.service';
export type { MemberImportResult } from './member-import.schema';
export { memberImportKind } from './member-import.schema';

/** The directory as the import sees it, from the departments and members modules. */
export function memberImportDirectoryOf(departments: DepartmentsService, members: MembersService): MemberImportDirectory {
  return {
    requireCorp: (accountId) => departments.requireCorp(accountId),
    async departments(accountId) {
      const tree = await departments.tree(accountId);
      return [...tree.nodes.values()].map((d) => ({ id: d.id, parentId: d.parentId, name: d.name }));
    },
    reach: (actor, accountId) => departments.reach(actor, accountId),
    async membersTouchedBy(accountId, keys) {
      const touched = await members.membersTouchedBy(accountId, keys);
      return { members: touched.members.map(memberSnapshotOf), contactOwners: touched.contactOwners };
    },
    checkMember: (input, context) => checkMember(input, { ...context, requireContact: true }),
    upsertMembers: (actor, accountId, inputs, options) =>
      members.upsertMembers(actor, accountId, inputs, { createMissingDepartments: options.createMissingDepartments, alongside: options.alongside, origin: 'import' }),
    listMembers: (actor, accountId, query) => members.list(actor, accountId, query),
  };
}

/**
 * Excel import and export of WeCom members: the template, imports as
 * resumable jobs (dry run, abort or skip bad rows, annotated copy) and the
 * audited export, on top of the departments and members modules.
 */
export function createMemberImportModule(deps: ModuleDeps & { departments: DepartmentsService; members: MembersService }) {
  const service = createMemberImportService({
    repository: createMemberImportRepository(deps.db),
    directory: memberImportDirectoryOf(deps.departments, deps.members),
    queue: deps.queue,
    audit: deps.audit,
    clock: deps.clock,
  });
  return { routes: memberImportRoutes(service, { uploadLimitBytes: deps.config.uploadLimitBytes }) as FastifyPluginAsync, service };
}

import type { ModuleDeps } from '../../../platform/module-deps';
import type { WeChatAccount, WeChatClient } from '../../../wechat/client';
import type { CallbackSubscriptions } from '../../system/callbacks';
import { departmentSnapshotOf, type DepartmentRow, type DepartmentsService } from '../departments';
import { memberSnapshotOf, type MemberInput, type MemberRecord, type MembersService } from '../members';
import type { Db } from '../../../platform/db/client';
import { subscribeContactCallbacks } from './directory-sync.callbacks';
import { createDirectorySyncRepository, type DirectorySyncRepository } from './directory-sync.repository';
import { createDirectorySyncRoutes } from './directory-sync.routes';
import type { DepartmentValues, MemberValues } from './directory-sync.schema';
import { createDirectorySyncService, type DirectoryAccess } from './directory-sync.service';
import type { LocalSide } from './three-way-diff';

export type { DirectorySyncService } from './directory-sync.service';
export { applyJob as directorySyncApplyJob, compareJob as directorySyncCompareJob } from './directory-sync.service';

function departmentSide(row: DepartmentRow): LocalSide<DepartmentValues> & { id: number } {
  return { id: row.id, values: row.deletedAt ? null : departmentSnapshotOf(row), snapshot: row.syncedSnapshot ?? null };
}

function memberSide(record: MemberRecord): LocalSide<MemberValues> & { userid: string } {
  return { userid: record.row.userid, values: record.row.deletedAt ? null : memberSnapshotOf(record), snapshot: record.row.syncedSnapshot ?? null };
}

function memberInputOf(values: MemberValues): MemberInput {
  const { departments: placements, mainDepartmentId, ...fields } = values;
  return { ...fields, departments: placements.map((d) => ({ departmentId: d.departmentId, order: d.order, isLeader: d.isLeader, isMain: d.departmentId === mainDepartmentId })) };
}

/** Sync's view of the directory, over the departments and members modules (their rules, audit and caches). */
function directoryAccess(departments: DepartmentsService, members: MembersService, repository: DirectorySyncRepository): DirectoryAccess {
  return {
    requireCorp: (accountId) => departments.requireCorp(accountId),
    async localDirectory(accountId) {
      const [departmentRows, memberRecords] = await Promise.all([departments.listAllDepartments(accountId), members.listAllMembers(accountId)]);
      return { departments: departmentRows.map(departmentSide), members: memberRecords.map(memberSide) };
    },
    async findDepartment(accountId, id) {
      const row = await repository.findDepartmentRow(accountId, id);
      return row ? departmentSide(row) : null;
    },
    async findMember(accountId, userid) {
      const record = await repository.findMemberRecord(accountId, userid);
      return record ? memberSide(record) : null;
    },
    async findMembers(accountId, userids) {
      const records = await repository.findMemberRecords(accountId, userids);
      return new Map([...records].map(([key, record]) => [key, memberSide(record)]));
    },
    async upsertDepartment(actor, accountId, values) {
      await departments.upsertDepartments(actor, accountId, [values], { origin: 'sync' });
    },
    async upsertMember(actor, accountId, values) {
      await members.upsertMembers(actor, accountId, [memberInputOf(values)], { origin: 'sync' });
    },
    async upsertMembers(actor, accountId, values, alongside) {
      await members.upsertMembers(actor, accountId, values.map(memberInputOf), { origin: 'sync', alongside: (tx) => alongside(createDirectorySyncRepository(tx as Db)) });
    },
    purgeDepartment: (accountId, id) => departments.purgeDepartment(accountId, id),
    purgeMember: (accountId, userid) => members.purgeMember(accountId, userid),
  };
}

/**
 * Two-way sync of a corp's directory with WeCom: compare (a job writing a run
 * of differences), apply chosen differences (a job), and keep in step from
 * the contact-change callbacks.
 */
export function createDirectorySyncModule(
  deps: ModuleDeps & {
    departments: DepartmentsService;
    members: MembersService;
    wechat: WeChatClient;
    accounts: {
      getAccount(id: string): Promise<{ id: string; name: string; callbacks: { receiver: string }[] }>;
      wechatAccountFor(id: string, receiver: string): Promise<WeChatAccount>;
    };
    subscribe: CallbackSubscriptions['subscribe'];
  },
) {
  const repository = createDirectorySyncRepository(deps.db);
  const directory = directoryAccess(deps.departments, deps.members, repository);
  const service = createDirectorySyncService({
    repository,
    directory,
    wechat: deps.wechat,
    accounts: deps.accounts,
    queue: deps.queue,
    audit: deps.audit,
    clock: deps.clock,
    logger: deps.logger,
  });
  subscribeContactCallbacks({ repository, directory, subscribe: deps.subscribe, clock: deps.clock, logger: deps.logger });
  deps.subscribe('wecom.batch_job_result', ({ event, account }) => service.onBatchJobResult(account.id, event.batchJob.jobId));
  return { routes: createDirectorySyncRoutes(service), service };
}

import type { Db } from '../../../platform/db/client';
import type { ModuleDeps } from '../../../platform/module-deps';
import type { WeChatAccount, WeChatClient } from '../../../wechat/client';
import type { CallbackSubscriptions } from '../../system/callbacks';
import type { ContactWaysService } from '../contact-ways';
import type { CustomerTransfersService } from '../customer-transfers';
import { subscribeAssignmentCallbacks } from './assignment-rules.callbacks';
import { createAssignmentRulesRepository } from './assignment-rules.repository';
import { createAssignmentRulesRoutes } from './assignment-rules.routes';
import { createAssignmentRulesService, type Actor } from './assignment-rules.service';

export { wecomAssignmentRules, wecomAssignmentSeenAdds } from './assignment-rules.tables';
export type { AssignmentRulesService, HandOver } from './assignment-rules.service';
export { resolveAssignment, type AssignmentRule, type AssignmentRuleSpec, type Resolution } from './assignment-rules';

/** Bound contact ways are brought in step with their rules this often (working hours start and end, a new day resets capacity). */
const APPLY_INTERVAL_MS = 5 * 60_000;

/**
 * Assignment rules: routes under /api/v1/wecom/{accountId}/assignment-rules,
 * adds per member counted from add_external_contact, customers who landed
 * outside their rule handed over by on-duty transfer, and a scheduler that
 * keeps each bound 「联系我」 code's members (in WeCom and in Qiao) to its rule.
 */
export function createAssignmentRulesModule(
  deps: ModuleDeps & {
    wechat: WeChatClient;
    accounts: { getAccount(id: string): Promise<{ callbacks: { receiver: string }[] }>; wechatAccountFor(id: string, receiver: string): Promise<WeChatAccount> };
    departments: {
      requireCorp(accountId: string): Promise<unknown>;
      list(actor: Actor, accountId: string): Promise<{ id: number }[]>;
      listAllDepartments(accountId: string): Promise<{ id: number; parentId: number; deletedAt: Date | null }[]>;
    };
    members: {
      get(actor: Actor, accountId: string, userid: string): Promise<unknown>;
      listAllMembers(accountId: string): Promise<{ row: { userid: string; name: string; status: string; deletedAt: Date | null }; departments: { departmentId: number }[] }[]>;
    };
    subscribe: CallbackSubscriptions['subscribe'];
    contactWays: Pick<ContactWaysService, 'findCode' | 'setMembers'>;
    transfers: Pick<CustomerTransfersService, 'handOver'>;
  },
) {
  const logger = deps.logger.child({ module: 'wecom-assignment-rules' });
  const service = createAssignmentRulesService({
    repository: createAssignmentRulesRepository(deps.db),
    directory: {
      requireCorp: (accountId) => deps.departments.requireCorp(accountId),
      async members(accountId) {
        const records = await deps.members.listAllMembers(accountId);
        return records
          .filter((r) => !r.row.deletedAt)
          .map((r) => ({ userid: r.row.userid, name: r.row.name, status: r.row.status, departmentIds: r.departments.map((d) => d.departmentId) }));
      },
      async parents(accountId) {
        const rows = await deps.departments.listAllDepartments(accountId);
        return new Map(rows.filter((d) => !d.deletedAt && d.parentId > 0).map((d) => [d.id, d.parentId]));
      },
      getMember: (actor, accountId, userid) => deps.members.get(actor, accountId, userid),
      reachableDepartments: async (actor, accountId) => (await deps.departments.list(actor, accountId)).map((d) => d.id),
    },
    wechat: deps.wechat,
    accounts: deps.accounts,
    contactWays: deps.contactWays,
    transfers: deps.transfers,
    audit: deps.audit,
    clock: deps.clock,
    logger,
  });
  subscribeAssignmentCallbacks({ subscribe: deps.subscribe, service, logger });
  return {
    routes: createAssignmentRulesRoutes(service),
    service,
    /** What this module keeps about customers the retention purge deletes, deleted in its transaction `tx` (app.ts wires it). */
    purgeCustomers: (accountId: string, externalUserIds: readonly string[], tx: unknown) => createAssignmentRulesRepository(tx as Db).purgeCustomers(accountId, externalUserIds),
    startScheduler(intervalMs = APPLY_INTERVAL_MS): () => void {
      const timer = setInterval(() => {
        service.applyAll().catch((error: unknown) => logger.error({ err: error }, 'could not apply assignment rules'));
      }, intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

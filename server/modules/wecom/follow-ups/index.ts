import type { Db } from '../../../platform/db/client';
import type { ModuleDeps } from '../../../platform/module-deps';
import type { WeChatClient } from '../../../wechat/client';
import type { AccountsService } from '../../system/accounts';
import type { DepartmentTree } from '../../system';
import type { CustomersService } from '../customers';
import type { DepartmentsService } from '../departments';
import type { MembersService } from '../members';
import { createFollowUpsRepository } from './follow-ups.repository';
import { followUpsRoutes } from './follow-ups.routes';
import { createFollowUpsService } from './follow-ups.service';

export type { FollowUp, FollowUpOverview, FollowUpStage } from './follow-ups.schema';
export type { FollowUpListener, FollowUpsService, FollowUpWritten } from './follow-ups.service';
export { stageLabels as followUpStageLabels } from './follow-up-rules';
export { wecomFollowUps, wecomFollowUpAttachments, wecomFollowUpRevisions } from './follow-ups.tables';

const SCHEDULER_INTERVAL_MS = 30_000;

/**
 * 跟进记录: notes with a stage, a next-contact reminder (a WeCom app message to
 * the member when it falls due) and attachments, scoped by the member whose
 * customer it is.
 */
export function createFollowUpsModule(
  deps: ModuleDeps & {
    accounts: { service: AccountsService; wechat: WeChatClient };
    departments: DepartmentsService;
    members: MembersService;
    policyTree(): DepartmentTree;
    /** The customers module: each record shows on its customer's timeline. */
    timeline: Pick<CustomersService, 'recordTimelineEvent' | 'reviseTimelineEvent' | 'removeTimelineEvent'>;
  },
) {
  const logger = deps.logger.child({ module: 'wecom-follow-ups' });
  const service = createFollowUpsService({
    repository: createFollowUpsRepository(deps.db),
    audit: deps.audit,
    clock: deps.clock,
    logger,
    wechat: deps.accounts.wechat,
    accounts: { getAccount: (id) => deps.accounts.service.getAccount(id), wechatAccountFor: (id, receiver) => deps.accounts.service.wechatAccountFor(id, receiver) },
    departments: deps.departments,
    members: deps.members,
    policyTree: deps.policyTree,
    timeline: deps.timeline,
  });
  return {
    routes: followUpsRoutes(service),
    service,
    /** What this module keeps about customers the retention purge deletes, deleted in its transaction `tx` (app.ts wires it). */
    purgeCustomers: (accountId: string, externalUserIds: readonly string[], tx: unknown) => createFollowUpsRepository(tx as Db).purgeCustomers(accountId, externalUserIds),
    /** Subscribes to records written or edited (note or stage); returns the unsubscribe function. */
    onFollowUpWritten: service.onFollowUpWritten,
    /** Sends due reminders every 30 s; returns the function that stops it. */
    startScheduler(intervalMs = SCHEDULER_INTERVAL_MS): () => void {
      let running = false;
      const timer = setInterval(() => {
        // One tick at a time: a slow WeCom must not stack overlapping scans.
        if (running) return;
        running = true;
        service
          .tick()
          .catch((error: unknown) => logger.error({ err: error }, 'could not send follow-up reminders'))
          .finally(() => (running = false));
      }, intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

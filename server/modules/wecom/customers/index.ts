import type { ModuleDeps } from '../../../platform/module-deps';
import type { WeChatAccount, WeChatClient } from '../../../wechat/client';
import type { CallbackSubscriptions } from '../../system/callbacks';
import { subscribeCustomerCallbacks } from './customers.callbacks';
import { createCustomersRepository } from './customers.repository';
import { createCustomersRoutes } from './customers.routes';
import { createCustomersService, customerSyncJob, type CustomersServiceDeps } from './customers.service';
import { createCustomerSyncHandler } from './customers.sync';

export { wecomCustomers, wecomCustomerFollows, wecomCustomerEvents, timelineKinds, type CustomerConsent, type TimelineKind, type FollowStatus } from './customers.tables';
export type { Customer, CustomerDetail, Follower, TimelineEntry } from './customers.schema';
export type { CustomersPurgedListener, CustomersService } from './customers.service';
export { customerSyncJob } from './customers.service';
export { maskMobile } from './customer-rules';

const DAY_MS = 86_400_000;
/** The first purge runs a little after start, off the boot path. */
const FIRST_PURGE_DELAY_MS = 60_000;

/**
 * 客户: customers and who follows them, synced from WeCom (a resumable job)
 * and kept current by the change_external_contact callbacks; list, detail,
 * remark and consent edits, export, and the retention purge. Other modules
 * use `service.findCustomer`, `service.mayAccessCustomer` and the timeline
 * writes `service.recordTimelineEvent` / `reviseTimelineEvent` /
 * `removeTimelineEvent` (welcomes, transfers, follow-ups).
 */
export function createCustomersModule(
  deps: ModuleDeps & {
    wechat: WeChatClient;
    accounts: {
      getAccount(id: string): Promise<{ id: string; name: string; type: string; callbacks: { receiver: string }[] }>;
      wechatAccountFor(id: string, receiver: string): Promise<WeChatAccount>;
    };
    departments: CustomersServiceDeps['departments'];
    members: CustomersServiceDeps['members'] & {
      onPlacementsChanged(listener: (accountId: string, userids: readonly string[], tx: unknown) => Promise<void>): () => void;
    };
    subscribe: CallbackSubscriptions['subscribe'];
  },
) {
  const repository = createCustomersRepository(deps.db);
  const logger = deps.logger.child({ module: 'wecom-customers' });
  const service = createCustomersService({
    repository,
    wechat: deps.wechat,
    accounts: deps.accounts,
    departments: deps.departments,
    members: deps.members,
    queue: deps.queue,
    audit: deps.audit,
    clock: deps.clock,
    settings: { exportsPerDay: deps.config.customerExportsPerDay, retentionDays: deps.config.customerRetentionDays },
  });
  deps.queue.register(
    customerSyncJob,
    createCustomerSyncHandler({
      repository,
      wechat: deps.wechat,
      customerContactAccount: (accountId) => service.customerContactAccount(accountId),
      applyFromWeCom: (repo, accountId, contact, follows) => service.applyFromWeCom(repo, accountId, contact, follows),
      clock: deps.clock,
    }),
    { retryLimit: 5, retryDelaySeconds: 2 },
  );
  subscribeCustomerCallbacks({ repository, service, subscribe: deps.subscribe, clock: deps.clock, logger });
  // The department filter and a dept_admin's reach read department_ids: a member's move rewrites its customers in the same transaction.
  deps.members.onPlacementsChanged((accountId, userids, tx) => service.memberDepartmentsChanged(accountId, userids, tx));

  async function purge(): Promise<void> {
    const removed = await service.purgeExpired();
    if (removed.customers || removed.follows || removed.events) logger.info(removed, 'purged customers past their retention period');
  }

  return {
    routes: createCustomersRoutes(service),
    service,
    /** Other modules' records about a customer go with it: each registers its purge here (app.ts wires them). */
    onCustomersPurged: service.onCustomersPurged,
    /** Runs the retention purge daily (and once shortly after start); returns a stop function for onClose. */
    startPurgeScheduler(intervalMs = DAY_MS): () => void {
      const run = () => void purge().catch((error: unknown) => logger.error({ err: error }, 'could not purge expired customers'));
      const first = setTimeout(run, Math.min(FIRST_PURGE_DELAY_MS, intervalMs));
      const timer = setInterval(run, intervalMs);
      first.unref();
      timer.unref();
      return () => {
        clearTimeout(first);
        clearInterval(timer);
      };
    },
  };
}

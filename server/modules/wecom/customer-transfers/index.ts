import type { Page } from '../../../../common/paging';
import type { Db } from '../../../platform/db/client';
import type { ModuleDeps } from '../../../platform/module-deps';
import type { WeChatAccount, WeChatClient } from '../../../wechat/client';
import type { CallbackSubscriptions } from '../../system/callbacks';
import type { CustomersService } from '../customers';
import { subscribeTransferCallbacks } from './customer-transfers.callbacks';
import { createCustomerTransfersRepository } from './customer-transfers.repository';
import { createCustomerTransfersRoutes } from './customer-transfers.routes';
import { createCustomerTransfersService, resignedHandoverJob, type Actor } from './customer-transfers.service';

export { wecomCustomerTransfers, wecomCustomerTransferItems } from './customer-transfers.tables';
export type { CustomerTransfersService } from './customer-transfers.service';
export type { Transfer, TransferDetail, TransferPreview } from './customer-transfers.schema';
export { resignedHandoverJob } from './customer-transfers.service';

/** Results of waiting transfers are read from WeCom this often. */
const REFRESH_INTERVAL_MS = 10 * 60_000;

/**
 * Customer transfers (在职继承, 离职继承): routes under
 * /api/v1/wecom/{accountId}/customer-transfers, the bulk handover job, the
 * transfer_fail subscription and a scheduler polling transfer results.
 */
export function createCustomerTransfersModule(
  deps: ModuleDeps & {
    wechat: WeChatClient;
    accounts: { getAccount(id: string): Promise<{ callbacks: { receiver: string }[] }>; wechatAccountFor(id: string, receiver: string): Promise<WeChatAccount> };
    departments: { requireCorp(accountId: string): Promise<unknown> };
    members: {
      get(actor: Actor, accountId: string, userid: string): Promise<{ userid: string; status: string }>;
      list(actor: Actor, accountId: string, query: { limit: number; cursor?: string }): Promise<Page<{ userid: string }>>;
    };
    subscribe: CallbackSubscriptions['subscribe'];
    /** The customers module: each customer's part in a transfer goes on its timeline. */
    timeline: Pick<CustomersService, 'recordTimelineEvent'>;
  },
) {
  const service = createCustomerTransfersService({
    repository: createCustomerTransfersRepository(deps.db),
    directory: {
      requireCorp: (accountId) => deps.departments.requireCorp(accountId),
      getMember: (actor, accountId, userid) => deps.members.get(actor, accountId, userid),
      listMembers: (actor, accountId, query) => deps.members.list(actor, accountId, query),
    },
    wechat: deps.wechat,
    accounts: deps.accounts,
    queue: deps.queue,
    audit: deps.audit,
    clock: deps.clock,
    logger: deps.logger.child({ module: 'wecom-customer-transfers' }),
    timeline: deps.timeline,
  });
  deps.queue.register(resignedHandoverJob, (context) => service.runResignedHandover(context as Parameters<typeof service.runResignedHandover>[0]), {
    retryLimit: 5,
    retryDelaySeconds: 2,
  });
  subscribeTransferCallbacks({ subscribe: deps.subscribe, service });
  return {
    routes: createCustomerTransfersRoutes(service),
    service,
    /** What this module keeps about customers the retention purge deletes, deleted in its transaction `tx` (app.ts wires it). */
    purgeCustomers: (accountId: string, externalUserIds: readonly string[], tx: unknown) => createCustomerTransfersRepository(tx as Db).purgeCustomers(accountId, externalUserIds),
    startScheduler(intervalMs = REFRESH_INTERVAL_MS): () => void {
      const timer = setInterval(() => {
        service.refresh(null).catch((error: unknown) => deps.logger.error({ err: error }, 'could not refresh customer transfers'));
      }, intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

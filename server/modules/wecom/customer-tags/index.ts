import { AppError } from '../../../../common/errors';
import type { Db } from '../../../platform/db/client';
import type { ModuleDeps } from '../../../platform/module-deps';
import type { WeChatAccount, WeChatClient } from '../../../wechat/client';
import type { DepartmentTree, MemberDepartments } from '../../system';
import type { CallbackSubscriptions } from '../../system/callbacks';
import { subscribeCustomerTagCallbacks } from './customer-tags.callbacks';
import { createCustomerTagsRepository } from './customer-tags.repository';
import { customerTagsRoutes } from './customer-tags.routes';
import { createCustomerTagsService } from './customer-tags.service';
import { wecomReceiverFor } from '../../system/accounts';

export { wecomCustomerTags, wecomCustomerTagRules, wecomCustomerTagRuleRuns, wecomCustomerTagSyncs } from './customer-tags.tables';
export type { CustomerTag, CustomerTagGroup, CustomerTagLibrary, TagRule } from './customer-tags.schema';
export type { CustomerTagsService } from './customer-tags.service';

export interface CustomerTagsModuleDeps extends ModuleDeps {
  wechat: WeChatClient;
  accounts: {
    getAccount(id: string): Promise<{ type: string; callbacks: { receiver: string }[] }>;
    wechatAccountFor(id: string, receiver: string): Promise<WeChatAccount>;
  };
  departments: DepartmentTree & { requireCorp(accountId: string): Promise<unknown> };
  members: MemberDepartments;
  subscribe: CallbackSubscriptions['subscribe'];
  tagsMarked?: (accountId: string, externalUserId: string) => Promise<void>;
}

/**
 * 客户标签: the corp tag library two-way with WeCom (edits written as intents,
 * applied, and conflicts shown), marking customers within the caller's reach,
 * and auto-tag rules. `applyKeywordRules(accountId, userid, externalUserId, text)`
 * is for modules that hold what members write (follow-ups).
 */
export function createCustomerTagsModule(deps: CustomerTagsModuleDeps) {
  const service = createCustomerTagsService({
    repository: createCustomerTagsRepository(deps.db),
    wechat: deps.wechat,
    async wechatAccountFor(accountId) {
      // The 客户联系 secret when connected, else a self-built app listed under 可调用应用.
      const account = await deps.accounts.getAccount(accountId);
      const receivers = account.callbacks.map((c) => c.receiver);
      const receiver = wecomReceiverFor(receivers, 'customer-contact');
      if (account.type !== 'wecom' || !receiver) throw new AppError('WECOM_ACCOUNT_REQUIRED', { name: accountId });
      return deps.accounts.wechatAccountFor(accountId, receiver);
    },
    requireCorp: (accountId) => deps.departments.requireCorp(accountId),
    tree: deps.departments,
    members: deps.members,
    audit: deps.audit,
    clock: deps.clock,
    logger: deps.logger,
    ...(deps.tagsMarked ? { tagsMarked: deps.tagsMarked } : {}),
  });
  subscribeCustomerTagCallbacks({ service, subscribe: deps.subscribe, logger: deps.logger });
  return {
    routes: customerTagsRoutes(service),
    service,
    /** What this module keeps about customers the retention purge deletes, deleted in its transaction `tx` (app.ts wires it). */
    purgeCustomers: (accountId: string, externalUserIds: readonly string[], tx: unknown) => createCustomerTagsRepository(tx as Db).purgeCustomers(accountId, externalUserIds),
    applyKeywordRules: (accountId: string, userid: string, externalUserId: string, text: string) => service.applyKeywordRules(accountId, userid, externalUserId, text),
  };
}

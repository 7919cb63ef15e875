import type { ModuleDeps } from '../../../platform/module-deps';
import type { WeChatClient } from '../../../wechat/client';
import type { AccountsService } from '../../system/accounts';
import type { CustomersService } from '../customers';
import type { DepartmentsService } from '../departments';
import type { MembersService } from '../members';
import { createQuickRepliesRepository } from './quick-replies.repository';
import { quickRepliesRoutes } from './quick-replies.routes';
import { createQuickRepliesService } from './quick-replies.service';

export type { QuickReply, QuickReplyGroup, Rendered } from './quick-replies.schema';
export type { QuickRepliesService } from './quick-replies.service';
export { quickReplyLimits, quickReplyVariables } from './quick-reply-rules';
export { wecomQuickReplies, wecomQuickReplyGroups } from './quick-replies.tables';

/** 话术库: a corp's quick replies for members, managed in the console and served to sidebars. */
export function createQuickRepliesModule(
  deps: ModuleDeps & { accounts: { service: AccountsService; wechat: WeChatClient }; departments: DepartmentsService; members: MembersService; customers: Pick<CustomersService, 'mayAccessCustomer'> },
) {
  const service = createQuickRepliesService({
    repository: createQuickRepliesRepository(deps.db),
    audit: deps.audit,
    clock: deps.clock,
    wechat: deps.accounts.wechat,
    accounts: { getAccount: (id) => deps.accounts.service.getAccount(id), wechatAccountFor: (id, receiver) => deps.accounts.service.wechatAccountFor(id, receiver) },
    departments: deps.departments,
    members: deps.members,
    customers: deps.customers,
  });
  return { routes: quickRepliesRoutes(service), service };
}

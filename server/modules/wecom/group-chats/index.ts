import { AppError } from '../../../../common/errors';
import type { ModuleDeps } from '../../../platform/module-deps';
import type { WeChatAccount, WeChatClient } from '../../../wechat/client';
import type { DepartmentTree, MemberDepartments } from '../../system';
import type { CallbackSubscriptions } from '../../system/callbacks';
import { subscribeGroupChatCallbacks } from './group-chats.callbacks';
import { createGroupChatsRepository } from './group-chats.repository';
import { groupChatsRoutes } from './group-chats.routes';
import { createGroupChatsService } from './group-chats.service';
import { wecomReceiverFor } from '../../system/accounts';

export { wecomGroupChats, wecomGroupChatMembers, wecomGroupChatJoins, wecomGroupJoinWays } from './group-chats.tables';
export type { GroupChat, GroupChatDetail, JoinWay } from './group-chats.schema';
export type { GroupChatsService } from './group-chats.service';

export interface GroupChatsModuleDeps extends ModuleDeps {
  wechat: WeChatClient;
  accounts: {
    getAccount(id: string): Promise<{ type: string; callbacks: { receiver: string }[] }>;
    wechatAccountFor(id: string, receiver: string): Promise<WeChatAccount>;
  };
  departments: DepartmentTree & { requireCorp(accountId: string): Promise<unknown> };
  members: MemberDepartments;
  subscribe: CallbackSubscriptions['subscribe'];
}

/** 客户群: customer groups synced and kept current from change_external_chat, with join counts and 「加入群聊」 codes. */
export function createGroupChatsModule(deps: GroupChatsModuleDeps) {
  const service = createGroupChatsService({
    repository: createGroupChatsRepository(deps.db),
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
  });
  subscribeGroupChatCallbacks({ service, subscribe: deps.subscribe, logger: deps.logger });
  return { routes: groupChatsRoutes(service), service };
}

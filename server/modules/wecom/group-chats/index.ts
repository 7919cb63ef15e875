import { AppError } from '../../../../common/errors';
import type { Db } from '../../../platform/db/client';
import type { ModuleDeps } from '../../../platform/module-deps';
import type { WeChatAccount, WeChatClient } from '../../../wechat/client';
import type { DepartmentTree, MemberDepartments } from '../../system';
import type { CallbackSubscriptions } from '../../system/callbacks';
import { subscribeGroupChatCallbacks } from './group-chats.callbacks';
import { createGroupChatsRepository } from './group-chats.repository';
import { groupChatsRoutes } from './group-chats.routes';
import { createGroupChatsService } from './group-chats.service';
import { createGroupChatSyncHandler, groupChatSyncJob } from './group-chats.sync';
import { wecomReceiverFor } from '../../system/accounts';

export { wecomGroupChats, wecomGroupChatMembers, wecomGroupChatJoins, wecomGroupJoinWays } from './group-chats.tables';
export type { GroupChat, GroupChatDetail, JoinWay } from './group-chats.schema';
export type { GroupChatsService } from './group-chats.service';
export { groupChatSyncJob } from './group-chats.sync';

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
  const repository = createGroupChatsRepository(deps.db);
  const wechatAccountFor = async (accountId: string): Promise<WeChatAccount> => {
    // The 客户联系 secret when connected, else a self-built app listed under 可调用应用.
    const account = await deps.accounts.getAccount(accountId);
    const receivers = account.callbacks.map((c) => c.receiver);
    const receiver = wecomReceiverFor(receivers, 'customer-contact');
    if (account.type !== 'wecom' || !receiver) throw new AppError('WECOM_ACCOUNT_REQUIRED', { name: accountId });
    return deps.accounts.wechatAccountFor(accountId, receiver);
  };
  const service = createGroupChatsService({
    repository,
    wechat: deps.wechat,
    wechatAccountFor,
    requireCorp: (accountId) => deps.departments.requireCorp(accountId),
    tree: deps.departments,
    members: deps.members,
    queue: deps.queue,
    audit: deps.audit,
    clock: deps.clock,
  });
  deps.queue.register(
    groupChatSyncJob,
    createGroupChatSyncHandler({
      repository,
      wechatAccountFor,
      requireCorp: (accountId) => deps.departments.requireCorp(accountId),
      listFromWeCom: (account) => service.listFromWeCom(account),
      readChat: (account, accountId, chatId, status) => service.readChat(account, accountId, chatId, status),
      clock: deps.clock,
    }),
    { retryLimit: 5, retryDelaySeconds: 2 },
  );
  subscribeGroupChatCallbacks({ service, subscribe: deps.subscribe, logger: deps.logger });
  return {
    routes: groupChatsRoutes(service),
    service,
    /** What this module keeps about customers the retention purge deletes, deleted in its transaction `tx` (app.ts wires it). */
    purgeCustomers: (accountId: string, externalUserIds: readonly string[], tx: unknown) => createGroupChatsRepository(tx as Db).purgeCustomers(accountId, externalUserIds),
  };
}

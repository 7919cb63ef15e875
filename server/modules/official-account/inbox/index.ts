import type { ModuleDeps } from '../../../platform/module-deps';
import type { WeChatClient } from '../../../wechat/client';
import { oaFollowerInfo } from '../../../wechat/official-account';
import type { AccountsService } from '../../system/accounts';
import type { CallbackSubscriptions } from '../../system/callbacks';
import { createInboxRepository } from './inbox.repository';
import { inboxRoutes } from './inbox.routes';
import { createInboxService } from './inbox.service';

export type { Conversation, InboxMessage, QuickReply } from './inbox.schema';
export type { InboxService } from './inbox.service';
export { oaConversationMessages, oaConversationResponses, oaConversations, oaQuickReplies } from './inbox.tables';

/**
 * 客服消息: follower messages as conversations, answers through the
 * customer-service API inside WeChat's window, quick replies, and the
 * first-response time of each conversation. It never replies passively
 * (automatic replies are their own module's).
 */
export function createInboxModule(
  deps: ModuleDeps & {
    accounts: { service: AccountsService; wechat: WeChatClient };
    callbacks: { subscribe: CallbackSubscriptions['subscribe'] };
    /** The followers module's record of a follower, when wired. */
    findFollower?: (accountId: string, openId: string) => Promise<{ remark?: string | null } | null>;
  },
) {
  const logger = deps.logger.child({ module: 'oa-inbox' });
  const wechatAccountFor = (accountId: string) => deps.accounts.service.wechatAccountFor(accountId);
  const service = createInboxService({
    repository: createInboxRepository(deps.db),
    clock: deps.clock,
    audit: deps.audit,
    wechat: deps.accounts.wechat,
    getAccount: (accountId) => deps.accounts.service.getAccount(accountId),
    wechatAccountFor,
    async remarkOf(accountId, openId) {
      const known = deps.findFollower ? await deps.findFollower(accountId, openId) : null;
      if (known) return known.remark ?? '';
      const info = await deps.accounts.wechat.call(await wechatAccountFor(accountId), oaFollowerInfo, undefined, { openid: openId, lang: 'zh_CN' });
      return info.remark ?? '';
    },
  });

  deps.callbacks.subscribe('official-account.*', async ({ event, account }) => {
    try {
      await service.record(account.id, event);
    } catch (error) {
      logger.error({ err: error, type: event.type }, 'could not record a follower message in the inbox');
    }
  });

  return { routes: inboxRoutes(service), service };
}

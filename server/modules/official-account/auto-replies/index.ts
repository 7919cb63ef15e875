import type { ModuleDeps } from '../../../platform/module-deps';
import type { WeChatClient } from '../../../wechat/client';
import type { AccountsService } from '../../system/accounts';
import type { CallbackSubscriptions } from '../../system/callbacks';
import { createSendRestHandler, sendRestJob, subscribeAutoReplies } from './auto-replies.callbacks';
import { createAutoRepliesRepository } from './auto-replies.repository';
import { createAutoRepliesRoutes } from './auto-replies.routes';
import { createAutoRepliesService } from './auto-replies.service';

export type { AutoRepliesService } from './auto-replies.service';
export type { AutoReplyRule, AutoReplyMessage, AutoReplyKind } from './auto-replies.schema';
export { sendRestJob } from './auto-replies.callbacks';

/**
 * Official Account automatic replies: rules under
 * /api/v1/official-accounts/{id}/auto-replies, and the callback handlers that
 * answer follows, messages and menu clicks from them.
 */
export function createAutoRepliesModule(
  deps: ModuleDeps & {
    accounts: { service: AccountsService; wechat: WeChatClient };
    callbacks: { subscribe: CallbackSubscriptions['subscribe'] };
    random?: () => number;
  },
) {
  const service = createAutoRepliesService({
    repository: createAutoRepliesRepository(deps.db),
    accounts: { getAccount: (id) => deps.accounts.service.getAccount(id), wechatAccountFor: (id) => deps.accounts.service.wechatAccountFor(id) },
    wechat: deps.accounts.wechat,
    audit: deps.audit,
    clock: deps.clock,
  });
  subscribeAutoReplies(deps.callbacks.subscribe, {
    matcherFor: (id) => service.matcherFor(id),
    cache: deps.cache,
    queue: deps.queue,
    logger: deps.logger.child({ module: 'oa-auto-replies' }),
    ...(deps.random ? { random: deps.random } : {}),
  });
  deps.queue.register(
    sendRestJob,
    createSendRestHandler({ wechat: deps.accounts.wechat, wechatAccountFor: (id) => deps.accounts.service.wechatAccountFor(id) }),
    { retryLimit: 3, retryDelaySeconds: 5 },
  );
  return { routes: createAutoRepliesRoutes(service), service };
}

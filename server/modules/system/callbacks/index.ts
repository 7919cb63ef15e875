import { securityHeaders } from '../../../platform/http/fast-lane';
import type { ModuleDeps } from '../../../platform/module-deps';
import type { WeChatClient } from '../../../wechat/client';
import type { AccountsService } from '../accounts';
import type { MessagesService } from '../messages';
import { callbacksRoutes } from './callbacks.routes';
import { createCallbacksService, lateReplyJob } from './callbacks.service';
import { createLateReplyHandler } from './late-replies';
import type { PushClaims } from './push-claims';
import { createCallbackSubscriptions } from './subscriptions';

export type {
  CallbackAccount,
  CallbackContext,
  CallbackHandler,
  CallbackPattern,
  CallbackSubscriptions,
} from './subscriptions';
export { CALLBACK_BODY_LIMIT_BYTES } from './callbacks.routes';
export { lateReplyJob } from './callbacks.service';
export { markerClaims, pushClaimsFor, type PushClaims } from './push-claims';

/**
 * WeChat callback endpoints. Other modules call `subscribe('official-account.text', handler)`
 * (or `'wecom.*'`, `'*'`) at wiring time; a handler may return a passive reply.
 * `budgetMs` overrides `config.callbackBudgetMs` (tests).
 */
export function createCallbacksModule(
  deps: ModuleDeps & {
    accounts: { service: AccountsService; wechat: WeChatClient };
    messages: { service: MessagesService };
    budgetMs?: number;
    /** How pushes are claimed: `pushClaimsFor(…)` as deployed, `markerClaims` where one process handles them all. */
    claims: PushClaims;
  },
) {
  const subscriptions = createCallbackSubscriptions();
  const logger = deps.logger.child({ module: 'callbacks' });
  const service = createCallbacksService({
    accounts: deps.accounts.service,
    log: deps.messages.service.log,
    subscriptions,
    cache: deps.cache,
    queue: deps.queue,
    clock: deps.clock,
    logger,
    maxAgeS: deps.config.callbackMaxAgeS,
    budgetMs: deps.budgetMs ?? deps.config.callbackBudgetMs,
    claims: deps.claims,
  });
  deps.queue.register(
    lateReplyJob,
    createLateReplyHandler({
      log: deps.messages.service.log,
      wechat: deps.accounts.wechat,
      wechatAccountFor: (id, receiver) => deps.accounts.service.wechatAccountFor(id, receiver),
      clock: deps.clock,
    }),
    { retryLimit: 3, retryDelaySeconds: 5 },
  );
  return { routes: callbacksRoutes({ service, logger, headers: securityHeaders(deps.config.publicBaseUrl) }), service, subscribe: subscriptions.subscribe };
}

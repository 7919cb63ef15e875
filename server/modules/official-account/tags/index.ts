import type { ModuleDeps } from '../../../platform/module-deps';
import type { WeChatClient } from '../../../wechat/client';
import type { AccountsService } from '../../system/accounts';
import type { CallbackSubscriptions } from '../../system/callbacks';
import { createFollowersRepository, type FollowersService } from '../followers';
import { createAutoTagger } from './auto-tagger';
import { createBatchCaller, createTagFollowersHandler, tagFollowersJob } from './tag-batches';
import { subscribeTagRuleCallbacks } from './tags.callbacks';
import { createTagsRepository } from './tags.repository';
import { tagsRoutes } from './tags.routes';
import { createTagsService } from './tags.service';

export { oaTags, oaTagRules } from './tags.tables';
export type { Tag, TagRule } from './tags.schema';
export type { TagsService } from './tags.service';
export { tagFollowersJob } from './tag-batches';

export interface TagsModuleDeps extends ModuleDeps {
  accounts: { service: AccountsService; wechat: WeChatClient };
  callbacks: { subscribe: CallbackSubscriptions['subscribe'] };
  followers: { service: Pick<FollowersService, 'requireOfficialAccount'> };
}

/** 标签: tags mirrored to WeChat, bulk (un)tagging jobs and auto-tag rules applied from callbacks. */
export function createTagsModule(deps: TagsModuleDeps) {
  const followers = createFollowersRepository(deps.db);
  const repository = createTagsRepository(deps.db);
  const wechatAccountFor = (id: string) => deps.accounts.service.wechatAccountFor(id);
  const batchDeps = { followers, wechat: deps.accounts.wechat, wechatAccountFor, clock: deps.clock };
  const tagger = createAutoTagger({
    followers,
    callBatch: createBatchCaller(batchDeps),
    wechatAccountFor,
    clock: deps.clock,
    logger: deps.logger.child({ module: 'oa-tags' }),
  });
  const ruleCallbacks = subscribeTagRuleCallbacks({ repository, subscribe: deps.callbacks.subscribe, tagger, clock: deps.clock });
  const service = createTagsService({
    repository,
    followers,
    requireOfficialAccount: (id) => deps.followers.service.requireOfficialAccount(id),
    wechatAccountFor,
    wechat: deps.accounts.wechat,
    queue: deps.queue,
    audit: deps.audit,
    clock: deps.clock,
    onRulesChanged: (accountId) => ruleCallbacks.forget(accountId),
  });
  deps.queue.register(tagFollowersJob, createTagFollowersHandler(batchDeps), { retryLimit: 5, retryDelaySeconds: 2 });
  return { routes: tagsRoutes(service), service, tagger };
}

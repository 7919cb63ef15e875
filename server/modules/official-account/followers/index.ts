import type { ModuleDeps } from '../../../platform/module-deps';
import type { WeChatClient } from '../../../wechat/client';
import type { AccountsService } from '../../system/accounts';
import type { CallbackSubscriptions } from '../../system/callbacks';
import type { MessagesService } from '../../system/messages';
import { createFollowerAudience } from './audience';
import { subscribeFollowerCallbacks } from './followers.callbacks';
import { createFollowersRepository } from './followers.repository';
import { followersRoutes } from './followers.routes';
import { createFollowersService } from './followers.service';
import { createFollowerSyncHandler, followerSyncJob } from './followers.sync';

export { oaFollowers } from './followers.tables';
export type { FollowerRow, NewFollowerRow } from './followers.tables';
export type { AudienceFilter, FollowerFilter, FollowersRepository } from './followers.repository';
export { createFollowersRepository } from './followers.repository';
export { createFollowerAudience, type AudiencePage, type FollowerAudience } from './audience';
export type { Follower, FollowerDetail } from './followers.schema';
export type { FollowersService } from './followers.service';
export { followerSyncJob } from './followers.sync';

export interface FollowersModuleDeps extends ModuleDeps {
  accounts: { service: AccountsService; wechat: WeChatClient };
  messages: { service: MessagesService };
  callbacks: { subscribe: CallbackSubscriptions['subscribe'] };
  /** Pulls tags (tags/get) at the start of a sync; the tags module provides it. */
  pullTags?(accountId: string): Promise<unknown>;
}

/**
 * 粉丝: the follower table, its sync job, the callbacks that keep it current,
 * and `audience` — the readers pushes and the inbox use
 * (`countAudience`, `listAudienceOpenIds`, `findFollower`).
 */
export function createFollowersModule(deps: FollowersModuleDeps) {
  const repository = createFollowersRepository(deps.db);
  const wechatAccountFor = (id: string) => deps.accounts.service.wechatAccountFor(id);
  const service = createFollowersService({
    repository,
    accounts: { getAccount: (id) => deps.accounts.service.getAccount(id), wechatAccountFor },
    wechat: deps.accounts.wechat,
    messages: deps.messages.service,
    queue: deps.queue,
    audit: deps.audit,
    clock: deps.clock,
    tagNames: (accountId) => repository.tagNames(accountId),
  });
  deps.queue.register(
    followerSyncJob,
    createFollowerSyncHandler({
      repository,
      wechat: deps.accounts.wechat,
      wechatAccountFor,
      clock: deps.clock,
      pullTags: deps.pullTags,
    }),
    { retryLimit: 5, retryDelaySeconds: 2 },
  );
  subscribeFollowerCallbacks({
    repository,
    subscribe: deps.callbacks.subscribe,
    refreshFromWeChat: (accountId, openId) => service.refreshFromWeChat(accountId, openId),
    logger: deps.logger.child({ module: 'oa-followers' }),
  });
  return { routes: followersRoutes(service), service, repository, audience: createFollowerAudience(deps.db) };
}

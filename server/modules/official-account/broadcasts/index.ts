import type { ModuleDeps } from '../../../platform/module-deps';
import type { WeChatClient } from '../../../wechat/client';
import type { AccountsService } from '../../system/accounts';
import type { CallbackSubscriptions } from '../../system/callbacks';
import { createWeChatAudience, type AudienceSource } from './audience';
import { createBroadcastsRepository } from './broadcasts.repository';
import { broadcastsRoutes } from './broadcasts.routes';
import { broadcastSendJob, createBroadcastsService, type AccountType } from './broadcasts.service';

export type { Broadcast, Estimate, Quota } from './broadcasts.schema';
export type { BroadcastsService } from './broadcasts.service';
export { oaBroadcastRecipients, oaBroadcasts } from './broadcasts.tables';

/** What the followers module offers: current followers by tag and/or OpenID (none: everyone), paged by OpenID. */
export interface LocalFollowers {
  countAudience(accountId: string, audience: { tagIds?: number[]; openIds?: string[] }): Promise<number>;
  listAudienceOpenIds(accountId: string, audience: { tagIds?: number[]; openIds?: string[] }, cursor: string | null, limit: number): Promise<{ openIds: string[]; nextCursor: string | null }>;
}

const SCHEDULER_INTERVAL_MS = 30_000;
const LOCAL_PAGE = 5000;

/**
 * The audience from Qiao's follower tables once it holds followers of the
 * account (synced), else from WeChat's lists; tag existence is always asked
 * of WeChat, which refuses a deleted tag.
 */
function audienceSource(wechatAudience: AudienceSource, local: LocalFollowers | undefined): AudienceSource {
  if (!local) return wechatAudience;
  return {
    missingTags: (accountId, tagIds) => wechatAudience.missingTags(accountId, tagIds),
    async openIds(accountId, audience) {
      if ((await local.countAudience(accountId, {})) === 0) return wechatAudience.openIds(accountId, audience);
      const filter = audience.kind === 'tags' ? { tagIds: audience.tagIds } : audience.kind === 'openIds' ? { openIds: audience.openIds } : {};
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await local.listAudienceOpenIds(accountId, filter, cursor, LOCAL_PAGE);
        ids.push(...page.openIds);
        cursor = page.nextCursor;
      } while (cursor);
      return ids;
    },
  };
}

/**
 * 群发: targeted pushes with WeChat's quotas checked first, preview, send now
 * or at a time (a job), and the status from MASSSENDJOBFINISH.
 */
export function createBroadcastsModule(
  deps: ModuleDeps & {
    accounts: { service: AccountsService; wechat: WeChatClient };
    callbacks: { subscribe: CallbackSubscriptions['subscribe'] };
    /** The profile module's answer; without it every account counts as a service account. */
    accountTypeOf?: (accountId: string) => Promise<AccountType>;
    followers?: LocalFollowers;
  },
) {
  const wechatAccountFor = (accountId: string) => deps.accounts.service.wechatAccountFor(accountId);
  const logger = deps.logger.child({ module: 'oa-broadcasts' });
  const service = createBroadcastsService({
    repository: createBroadcastsRepository(deps.db),
    clock: deps.clock,
    audit: deps.audit,
    queue: deps.queue,
    logger,
    wechat: deps.accounts.wechat,
    audience: audienceSource(createWeChatAudience({ wechat: deps.accounts.wechat, wechatAccountFor }), deps.followers),
    getAccount: (accountId) => deps.accounts.service.getAccount(accountId),
    wechatAccountFor,
    accountTypeOf: deps.accountTypeOf ?? (async () => 'service'),
  });

  deps.queue.register<{ broadcastId: string }>(broadcastSendJob, async (context) => service.runScheduled(context.input.broadcastId), { retryLimit: 3 });

  deps.callbacks.subscribe('official-account.MASSSENDJOBFINISH', ({ event, account }) => {
    // Not awaited: the event may overtake the sendall answer, and waiting for it must not hold WeChat's push.
    void service.recordJobFinished(account.id, event).catch((error: unknown) => logger.error({ err: error, msgId: event.msgId }, 'could not record MASSSENDJOBFINISH'));
  });

  return {
    routes: broadcastsRoutes(service),
    service,
    /** Checks for due scheduled pushes every 30 s; returns the function that stops it. */
    startScheduler(intervalMs = SCHEDULER_INTERVAL_MS): () => void {
      const timer = setInterval(() => {
        service.dispatchDue().catch((error: unknown) => logger.error({ err: error }, 'could not dispatch scheduled pushes'));
      }, intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

import type { Logger } from 'pino';
import type { Clock } from '../../../platform/clock';
import type { WeChatAccount } from '../../../wechat/client';
import type { FollowersRepository } from '../followers';
import type { createBatchCaller } from './tag-batches';
import { TAG_LIMITS } from './tags.schema';

export interface AutoTaggerDeps {
  followers: Pick<FollowersRepository, 'findMany' | 'addTag'>;
  callBatch: ReturnType<typeof createBatchCaller>;
  wechatAccountFor(accountId: string): Promise<WeChatAccount>;
  clock: Clock;
  logger: Logger;
  /** How long OpenIDs gather before one batch call. */
  gatherMs?: number;
}

/**
 * Collects the tags rules earned and sends them to WeChat in batches of up
 * to 50 per tag, a moment later: a busy menu button costs one call per 50
 * clicks, and the callback that found the match never waits for WeChat.
 * Followers who already carry the tag are skipped.
 */
export function createAutoTagger(deps: AutoTaggerDeps) {
  const gatherMs = deps.gatherMs ?? 300;
  const pending = new Map<string, { accountId: string; tagId: number; openIds: Set<string> }>();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();

  async function send(accountId: string, tagId: number, openIds: string[]): Promise<void> {
    const known = await deps.followers.findMany(accountId, openIds);
    const carrying = new Set(known.filter((f) => f.tagIds.includes(tagId)).map((f) => f.openId));
    const wanted = openIds.filter((openId) => !carrying.has(openId));
    const account = await deps.wechatAccountFor(accountId);
    for (let i = 0; i < wanted.length; i += TAG_LIMITS.batchOpenIds) {
      const batch = wanted.slice(i, i + TAG_LIMITS.batchOpenIds);
      try {
        await deps.callBatch(account, 'tag', tagId, batch);
        await deps.followers.addTag(accountId, batch, tagId, deps.clock.now());
      } catch (error) {
        deps.logger.warn({ err: error, accountId, tagId, openIds: batch.length }, 'auto-tagging failed for a batch');
      }
    }
  }

  function flush(): Promise<void> {
    timer = null;
    const work = [...pending.values()];
    pending.clear();
    running = running.then(async () => {
      for (const item of work) await send(item.accountId, item.tagId, [...item.openIds]);
    });
    return running;
  }

  return {
    /** Queues the tag for the follower; returns at once. */
    add(accountId: string, openId: string, tagId: number): void {
      const key = `${accountId}:${tagId}`;
      const entry = pending.get(key) ?? { accountId, tagId, openIds: new Set<string>() };
      entry.openIds.add(openId);
      pending.set(key, entry);
      if (entry.openIds.size >= TAG_LIMITS.batchOpenIds) {
        if (timer) clearTimeout(timer);
        void flush();
      } else if (!timer) {
        timer = setTimeout(() => void flush(), gatherMs);
      }
    },
    /** Sends whatever is queued and waits for it (shutdown, tests). */
    async drain(): Promise<void> {
      if (timer) clearTimeout(timer);
      await flush();
    },
  };
}

export type AutoTagger = ReturnType<typeof createAutoTagger>;

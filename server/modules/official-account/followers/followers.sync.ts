import { isAppError } from '../../../../common/errors';
import type { Clock } from '../../../platform/clock';
import type { JobContext, JobHandler } from '../../../platform/queue';
import { isWeChatApiError, type WeChatAccount, type WeChatClient } from '../../../wechat/client';
import { oaFollowerInfoBatch, oaFollowerList } from '../../../wechat/official-account';
import type { FollowerInfo, FollowersRepository } from './followers.repository';
import { infoFromWeChat } from './wechat-info';

export const followerSyncJob = 'official-account.followers.sync';

/** user/info/batchget takes at most 100 OpenIDs (facts §4.3). */
const INFO_BATCH = 100;
/** OpenIDs written (and checkpointed) together: a crash redoes at most this many. */
const CHUNK = 1_000;
const PARALLEL_CALLS = 4;

export interface FollowerSyncInput extends Record<string, unknown> {
  accountId: string;
}

/**
 * Where a sync stands: the `next_openid` its current user/get page started
 * from and how far into that page it got. `startedAt` marks the run: at the
 * end, current followers not seen since then have left.
 */
export interface FollowerSyncCheckpoint {
  startedAt: string;
  pageStart: string;
  offset: number;
  tagsPulled: boolean;
}

export interface FollowerSyncDeps {
  repository: FollowersRepository;
  wechat: WeChatClient;
  wechatAccountFor(accountId: string): Promise<WeChatAccount>;
  clock: Clock;
  /** Pulls the account's tags (tags/get) first, so tag ids on followers have names. */
  pullTags?(accountId: string): Promise<unknown>;
}

/**
 * Quota and busy answers, and an API that cannot be reached (a network blip, or the first boot's sync
 * starting a moment before this server's own sandbox listens), pass: the queue retries the run later
 * from its checkpoint, with backoff. Every other refusal fails the job with WeChat's reason.
 */
function retryable(error: unknown): unknown {
  if (isWeChatApiError(error) && (error.errcode === -1 || error.kind === 'quota')) {
    return Object.assign(new Error(`WeChat answered ${error.errcode} (${error.errmsg}); retrying from the checkpoint`), { cause: error });
  }
  if (isAppError(error) && error.code === 'WECHAT_API_UNREACHABLE') {
    return Object.assign(new Error(`WeChat could not be reached (${String(error.details?.reason ?? '')}); retrying from the checkpoint`), { cause: error });
  }
  return error;
}

async function inParallel<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  let failed = false;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    // After a failure no new call starts: the chunk is redone as a whole anyway.
    while (next < items.length && !failed) {
      const at = next++;
      try {
        results[at] = await work(items[at] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  });
  await Promise.all(workers);
  return results;
}

/**
 * A full sync: user/get pages of up to 10,000 OpenIDs by `next_openid`,
 * user/info/batchget 100 at a time, upserts and checkpoint committed
 * together every 1,000 followers, so a retried run continues where the last
 * commit stopped and writes nothing twice.
 */
export function createFollowerSyncHandler(deps: FollowerSyncDeps): JobHandler<FollowerSyncInput, FollowerSyncCheckpoint> {
  return async (context: JobContext<FollowerSyncInput, FollowerSyncCheckpoint>) => {
    const { accountId } = context.input;
    const account = await deps.wechatAccountFor(accountId);
    const checkpoint: FollowerSyncCheckpoint = context.checkpoint ?? {
      startedAt: deps.clock.now().toISOString(),
      pageStart: '',
      offset: 0,
      tagsPulled: false,
    };
    let done = context.done;
    try {
      if (!checkpoint.tagsPulled && deps.pullTags) {
        await deps.pullTags(accountId);
        checkpoint.tagsPulled = true;
        await context.progress({ done, checkpoint });
      }
      let totalSet = false;
      for (;;) {
        context.signal.throwIfAborted();
        const page = await deps.wechat.call(account, oaFollowerList, undefined, checkpoint.pageStart ? { next_openid: checkpoint.pageStart } : {});
        if (!totalSet) {
          await context.setTotal(page.total);
          totalSet = true;
        }
        const openIds = page.data?.openid ?? [];
        if (page.count === 0 || openIds.length === 0) break;
        while (checkpoint.offset < openIds.length) {
          context.signal.throwIfAborted();
          const chunk = openIds.slice(checkpoint.offset, checkpoint.offset + CHUNK);
          const batches: string[][] = [];
          for (let i = 0; i < chunk.length; i += INFO_BATCH) batches.push(chunk.slice(i, i + INFO_BATCH));
          const answers = await inParallel(batches, PARALLEL_CALLS, (batch) =>
            deps.wechat.call(account, oaFollowerInfoBatch, { user_list: batch.map((openid) => ({ openid, lang: 'zh_CN' as const })) }),
          );
          const infos: FollowerInfo[] = answers.flatMap((answer) => answer.user_info_list.map(infoFromWeChat));
          checkpoint.offset += chunk.length;
          done += chunk.length;
          await deps.repository.transaction(async (repo, tx) => {
            await repo.upsertInfos(accountId, infos, deps.clock.now());
            await context.progress({ done, checkpoint }, tx);
          });
        }
        if (!page.next_openid) break;
        checkpoint.pageStart = page.next_openid;
        checkpoint.offset = 0;
        await context.progress({ done, checkpoint });
      }
      const left = await deps.repository.unsubscribeUnseen(accountId, new Date(checkpoint.startedAt), deps.clock.now());
      await deps.repository.tidyAfterSync();
      return { followers: done, left };
    } catch (error) {
      throw retryable(error);
    }
  };
}

import type { Clock } from '../../../platform/clock';
import type { JobContext, JobHandler, JobRowError } from '../../../platform/queue';
import { isWeChatApiError, type WeChatAccount, type WeChatClient } from '../../../wechat/client';
import { oaTagBatchTagging, oaTagBatchUntagging } from '../../../wechat/official-account';
import type { FollowersRepository } from '../followers';
import { TAG_LIMITS } from './tags.schema';
import { errcodeInWords, isTransient } from './wechat-refusals';

export const tagFollowersJob = 'official-account.tags.followers';

export interface TagFollowersInput extends Record<string, unknown> {
  accountId: string;
  tagId: number;
  action: 'tag' | 'untag';
  openIds: string[];
}

/** The index of the next OpenID to send, and what the earlier runs achieved. */
export interface TagFollowersCheckpoint {
  next: number;
  succeeded: number;
  failed: number;
  failedByErrcode: Record<string, number>;
}

export interface TagBatchDeps {
  followers: Pick<FollowersRepository, 'transaction' | 'addTag' | 'removeTag'>;
  wechat: WeChatClient;
  wechatAccountFor(accountId: string): Promise<WeChatAccount>;
  clock: Clock;
  /** Waits before each retry of a busy or over-quota batch; its length is the number of retries. */
  retryDelaysMs?: readonly number[];
  sleep?(ms: number): Promise<void>;
}

const defaultDelays = [200, 500, 1_000, 2_000, 4_000] as const;

/** One batch call with retries on -1, 45009 and 45011, backing off between attempts. */
export function createBatchCaller(deps: TagBatchDeps) {
  const delays = deps.retryDelaysMs ?? defaultDelays;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return async function callBatch(account: WeChatAccount, action: 'tag' | 'untag', tagId: number, openIds: string[]): Promise<void> {
    const endpoint = action === 'tag' ? oaTagBatchTagging : oaTagBatchUntagging;
    for (let attempt = 0; ; attempt++) {
      try {
        await deps.wechat.call(account, endpoint, { openid_list: openIds, tagid: tagId });
        return;
      } catch (error) {
        const delay = delays[attempt];
        if (!isTransient(error) || delay === undefined) throw error;
        await sleep(delay);
      }
    }
  };
}

interface BatchOutcome {
  succeeded: string[];
  failures: { openId: string; errcode: number; errmsg: string }[];
}

/**
 * Sends one batch; when WeChat refuses it for a reason tied to some OpenIDs
 * (40003 not a follower, 45059 too many tags), halves it until the refused
 * OpenIDs stand alone, so the others still get their tag. A refusal after
 * the retries of a busy answer fails the whole batch.
 */
async function sendSplitting(callBatch: ReturnType<typeof createBatchCaller>, account: WeChatAccount, action: 'tag' | 'untag', tagId: number, openIds: string[]): Promise<BatchOutcome> {
  try {
    await callBatch(account, action, tagId, openIds);
    return { succeeded: openIds, failures: [] };
  } catch (error) {
    if (!isWeChatApiError(error)) throw error;
    const splittable = !isTransient(error) && error.errcode !== 45159 && openIds.length > 1;
    if (!splittable) return { succeeded: [], failures: openIds.map((openId) => ({ openId, errcode: error.errcode, errmsg: error.errmsg })) };
    const half = Math.ceil(openIds.length / 2);
    const left = await sendSplitting(callBatch, account, action, tagId, openIds.slice(0, half));
    const right = await sendSplitting(callBatch, account, action, tagId, openIds.slice(half));
    return { succeeded: [...left.succeeded, ...right.succeeded], failures: [...left.failures, ...right.failures] };
  }
}

/**
 * Tags or untags many followers: WeChat's batches of 50, each retried with
 * backoff when WeChat is busy or over quota; the local tag ids change only for
 * the OpenIDs WeChat accepted, in the transaction that records the progress.
 * Failed OpenIDs become the job's row errors with the errcode in plain words.
 */
export function createTagFollowersHandler(deps: TagBatchDeps): JobHandler<TagFollowersInput, TagFollowersCheckpoint> {
  const callBatch = createBatchCaller(deps);
  return async (context: JobContext<TagFollowersInput, TagFollowersCheckpoint>) => {
    const { accountId, tagId, action, openIds } = context.input;
    const account = await deps.wechatAccountFor(accountId);
    const checkpoint: TagFollowersCheckpoint = context.checkpoint ?? { next: 0, succeeded: 0, failed: 0, failedByErrcode: {} };
    if (!context.checkpoint) await context.setTotal(openIds.length);
    while (checkpoint.next < openIds.length) {
      context.signal.throwIfAborted();
      const batch = openIds.slice(checkpoint.next, checkpoint.next + TAG_LIMITS.batchOpenIds);
      const outcome = await sendSplitting(callBatch, account, action, tagId, batch);
      checkpoint.next += batch.length;
      checkpoint.succeeded += outcome.succeeded.length;
      checkpoint.failed += outcome.failures.length;
      for (const failure of outcome.failures) {
        checkpoint.failedByErrcode[String(failure.errcode)] = (checkpoint.failedByErrcode[String(failure.errcode)] ?? 0) + 1;
      }
      const errors: JobRowError[] = outcome.failures.map((f) => ({ item: f.openId, code: `WECHAT_${f.errcode}`, message: errcodeInWords(f.errcode, f.errmsg) }));
      await deps.followers.transaction(async (repo, tx) => {
        const at = deps.clock.now();
        if (action === 'tag') await repo.addTag(accountId, outcome.succeeded, tagId, at);
        else await repo.removeTag(accountId, outcome.succeeded, tagId, at);
        await context.progress({ done: checkpoint.next, checkpoint, errors }, tx);
      });
    }
    return { action, tagId, succeeded: checkpoint.succeeded, failed: checkpoint.failed, failedByErrcode: checkpoint.failedByErrcode };
  };
}

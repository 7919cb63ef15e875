import { isAppError } from '../../../../common/errors';
import type { Clock } from '../../../platform/clock';
import type { JobContext, JobHandler } from '../../../platform/queue';
import { isWeChatApiError, type WeChatAccount, type WeChatClient } from '../../../wechat/client';
import { wecomCustomerBatchGetByUser, wecomFollowUserList } from '../../../wechat/wecom';
import type { CustomersRepository } from './customers.repository';
import type { WeComContact, WeComFollow } from './customers.service';

/** batch/get_by_user takes at most 100 userids and answers at most 100 entries a page. */
const USERS_PER_CALL = 100;
const PAGE_LIMIT = 100;

export interface CustomerSyncInput extends Record<string, unknown> {
  accountId: string;
}

/**
 * Where a sync stands: the members with customer contact (read once), the
 * batch of them being read and the batch/get_by_user cursor inside it.
 * `startedAt` marks the run: follows not seen since then have ended.
 */
export interface CustomerSyncCheckpoint {
  startedAt: string;
  userids: string[] | null;
  batch: number;
  cursor: string;
  follows: number;
}

export interface CustomerSyncDeps {
  repository: CustomersRepository;
  wechat: WeChatClient;
  customerContactAccount(accountId: string): Promise<WeChatAccount>;
  applyFromWeCom(repo: CustomersRepository, accountId: string, contact: WeComContact, follows: WeComFollow[]): Promise<void>;
  clock: Clock;
}

/** Busy, quota and Qiao's own per-minute limiter pass: the queue retries the run from its checkpoint. */
function retryable(error: unknown): unknown {
  if (isWeChatApiError(error) && (error.errcode === -1 || error.kind === 'quota')) {
    return Object.assign(new Error(`WeCom answered ${error.errcode} (${error.errmsg}); retrying from the checkpoint`), { cause: error });
  }
  if (isAppError(error) && error.code === 'WECHAT_API_RATE_LIMITED') {
    return Object.assign(new Error('WeCom per-minute limit reached; retrying from the checkpoint'), { cause: error });
  }
  return error;
}

/**
 * A full customer sync: get_follow_user_list, then batch/get_by_user for 100
 * members at a time, page by page. Each page's customers and the checkpoint
 * commit together, so a retried run continues at the page where the last
 * commit stopped, and writing a page again changes nothing (upserts, timeline
 * entries keyed by member and createtime). Progress counts members.
 */
export function createCustomerSyncHandler(deps: CustomerSyncDeps): JobHandler<CustomerSyncInput, CustomerSyncCheckpoint> {
  return async (context: JobContext<CustomerSyncInput, CustomerSyncCheckpoint>) => {
    const { accountId } = context.input;
    const checkpoint: CustomerSyncCheckpoint = context.checkpoint ?? { startedAt: deps.clock.now().toISOString(), userids: null, batch: 0, cursor: '', follows: 0 };
    try {
      const account = await deps.customerContactAccount(accountId);
      if (!checkpoint.userids) {
        const answer = await deps.wechat.call(account, wecomFollowUserList);
        checkpoint.userids = answer.follow_user;
        await context.setTotal(checkpoint.userids.length);
        await context.progress({ done: 0, checkpoint });
      }
      const userids = checkpoint.userids;
      while (checkpoint.batch * USERS_PER_CALL < userids.length) {
        const batch = userids.slice(checkpoint.batch * USERS_PER_CALL, (checkpoint.batch + 1) * USERS_PER_CALL);
        for (;;) {
          context.signal.throwIfAborted();
          const page = await deps.wechat.call(account, wecomCustomerBatchGetByUser, {
            userid_list: batch,
            limit: PAGE_LIMIT,
            ...(checkpoint.cursor ? { cursor: checkpoint.cursor } : {}),
          });
          const finished = !page.next_cursor;
          await deps.repository.transaction(async (repo, tx) => {
            for (const entry of page.external_contact_list) await deps.applyFromWeCom(repo, accountId, entry.external_contact, [entry.follow_info]);
            checkpoint.follows += page.external_contact_list.length;
            if (finished) {
              checkpoint.batch += 1;
              checkpoint.cursor = '';
            } else {
              checkpoint.cursor = page.next_cursor as string;
            }
            await context.progress({ done: Math.min(userids.length, checkpoint.batch * USERS_PER_CALL), checkpoint }, tx);
          });
          if (finished) break;
        }
      }
      const ended = await deps.repository.transaction(async (repo) => {
        const now = deps.clock.now();
        const gone = await repo.endUnseenFollows(accountId, new Date(checkpoint.startedAt), now);
        for (const follow of gone) {
          await repo.insertEvent({
            accountId,
            externalUserid: follow.externalUserid,
            userid: follow.userid,
            kind: 'ended',
            detail: { reason: 'not_in_sync' },
            dedupeKey: `ended:${follow.userid.toLowerCase()}:${checkpoint.startedAt}`,
            actorUserId: null,
            occurredAt: now,
          });
        }
        for (const externalUserid of new Set(gone.map((g) => g.externalUserid))) await repo.refreshCustomer(accountId, externalUserid, now);
        return gone.length;
      });
      return { members: userids.length, follows: checkpoint.follows, ended };
    } catch (error) {
      throw retryable(error);
    }
  };
}

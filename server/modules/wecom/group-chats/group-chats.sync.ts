import { isAppError } from '../../../../common/errors';
import type { Clock } from '../../../platform/clock';
import type { JobContext, JobHandler, JobRowError } from '../../../platform/queue';
import { describeErrcode, isWeChatApiError, type WeChatAccount } from '../../../wechat/client';
import type { GroupChatMemberRow, GroupChatRow, GroupChatsRepository } from './group-chats.repository';

export const groupChatSyncJob = 'wecom.group-chats.sync';

export interface GroupChatSyncInput extends Record<string, unknown> {
  accountId: string;
}

export interface ListedChat {
  chat_id: string;
  status: number;
}

/**
 * Where a sync stands: the groups WeCom listed (read once, before any group is
 * read), how many of them are done, and the counts so far.
 */
export interface GroupChatSyncCheckpoint {
  startedAt: string;
  listed: ListedChat[] | null;
  next: number;
  synced: number;
  failed: number;
}

export interface GroupChatSyncDeps {
  repository: GroupChatsRepository;
  wechatAccountFor(accountId: string): Promise<WeChatAccount>;
  requireCorp(accountId: string): Promise<unknown>;
  listFromWeCom(account: WeChatAccount): Promise<ListedChat[]>;
  readChat(account: WeChatAccount, accountId: string, chatId: string, status: number): Promise<{ row: GroupChatRow; members: GroupChatMemberRow[] }>;
  clock: Clock;
}

/** Busy, quota and Qiao's own per-minute limiter pass: the queue retries the run from its checkpoint. */
function transient(error: unknown): boolean {
  if (isWeChatApiError(error)) return error.errcode === -1 || error.kind === 'quota';
  return isAppError(error) && error.code === 'WECHAT_API_RATE_LIMITED';
}

function retryable(error: unknown): unknown {
  if (!transient(error)) return error;
  const words = isWeChatApiError(error) ? `WeCom answered ${error.errcode} (${error.errmsg})` : 'WeCom per-minute limit reached';
  return Object.assign(new Error(`${words}; retrying from the checkpoint`), { cause: error });
}

/** A group WeCom refused to describe (e.g. dismissed since it was listed): noted on the job, the others go on. */
function rowErrorOf(chatId: string, error: { errcode: number; errmsg: string }): JobRowError {
  const words = describeErrcode('wecom', error.errcode);
  return { item: chatId, code: 'GROUP_CHAT_WECHAT_REFUSED', message: `${error.errcode} ${words ? `${words.zh} / ${words.en}` : error.errmsg}` };
}

/**
 * A full customer-group sync: groupchat/list (by owner when WeCom answers
 * 81017), then groupchat/get for each group. Each group and the checkpoint
 * commit together, so a retried run continues at the group where the last
 * commit stopped; storing a group again changes nothing (its joins are keyed
 * by person and join time). Groups no longer listed are marked dismissed at
 * the end. Progress counts groups.
 */
export function createGroupChatSyncHandler(deps: GroupChatSyncDeps): JobHandler<GroupChatSyncInput, GroupChatSyncCheckpoint> {
  return async (context: JobContext<GroupChatSyncInput, GroupChatSyncCheckpoint>) => {
    const { accountId } = context.input;
    const checkpoint: GroupChatSyncCheckpoint = context.checkpoint ?? { startedAt: deps.clock.now().toISOString(), listed: null, next: 0, synced: 0, failed: 0 };
    try {
      await deps.requireCorp(accountId);
      const account = await deps.wechatAccountFor(accountId);
      if (!checkpoint.listed) {
        checkpoint.listed = await deps.listFromWeCom(account);
        await context.setTotal(checkpoint.listed.length);
        await context.progress({ done: 0, checkpoint });
      }
      const listed = checkpoint.listed;
      while (checkpoint.next < listed.length) {
        context.signal.throwIfAborted();
        const chat = listed[checkpoint.next] as ListedChat;
        let read: Awaited<ReturnType<GroupChatSyncDeps['readChat']>> | null = null;
        let rowError: JobRowError | null = null;
        try {
          read = await deps.readChat(account, accountId, chat.chat_id, chat.status);
        } catch (error) {
          if (transient(error) || !isWeChatApiError(error)) throw error;
          rowError = rowErrorOf(chat.chat_id, error);
        }
        await deps.repository.transaction(async (repo, tx) => {
          if (read) await repo.saveChat(read.row, read.members);
          checkpoint.next += 1;
          if (read) checkpoint.synced += 1;
          else checkpoint.failed += 1;
          await context.progress({ done: checkpoint.next, checkpoint, ...(rowError ? { errors: [rowError] } : {}) }, tx);
        });
      }
      const gone = await deps.repository.liveChatIdsNotIn(accountId, listed.map((c) => c.chat_id));
      const dismissed = await deps.repository.dismiss(accountId, gone, deps.clock.now());
      return { listed: listed.length, synced: checkpoint.synced, failed: checkpoint.failed, dismissed };
    } catch (error) {
      throw retryable(error);
    }
  };
}

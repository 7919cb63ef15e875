import type { Logger } from 'pino';
import type { Cache } from '../../../platform/cache/cache';
import type { JobContext, JobQueue, JobRowError } from '../../../platform/queue/job-queue';
import { isWeChatApiError, type WeChatAccount, type WeChatClient } from '../../../wechat/client';
import { oaCustomerServiceSend } from '../../../wechat/official-account';
import type { CallbackContext, CallbackSubscriptions } from '../../system/callbacks';
import type { AutoReplyMessage } from './auto-replies.schema';
import type { AutoReplyMatcher, RuleMatch } from './auto-reply-matcher';
import { pickReplies } from './auto-reply-rules';

export const sendRestJob = 'oa-auto-replies.send-rest';

/** WeChat sends the platform's default reply at most once an hour per follower (facts §4.12); Qiao keeps that. */
const DEFAULT_REPLY_INTERVAL_MS = 60 * 60_000;

const otherMessages = ['image', 'voice', 'video', 'shortvideo', 'location', 'link'] as const;

export interface AutoReplyCallbackDeps {
  matcherFor(accountId: string): Promise<AutoReplyMatcher>;
  cache: Cache;
  queue: Pick<JobQueue, 'enqueue'>;
  logger: Logger;
  random?: () => number;
}

/**
 * Answers follows, text and other messages, and menu clicks from the
 * account's rules. The first reply is passive; in reply-all mode the others
 * are queued as customer-service messages, since WeChat takes one passive reply.
 */
export function subscribeAutoReplies(subscribe: CallbackSubscriptions['subscribe'], deps: AutoReplyCallbackDeps): void {
  async function answer(context: CallbackContext, pick: (matcher: AutoReplyMatcher) => RuleMatch | null) {
    const accountId = context.account.id;
    const found = pick(await deps.matcherFor(accountId));
    if (!found) return;
    if (found.rule.kind === 'default') {
      const key = `oa-auto-replies:default:${accountId}:${context.event.fromUserName}`;
      if (!(await deps.cache.markIfAbsent(key, DEFAULT_REPLY_INTERVAL_MS))) return;
    }
    const [first, ...rest] = pickReplies(found.rule.replies, found.rule.replyMode, deps.random);
    if (!first) return;
    context.reply(first);
    if (rest.length > 0) {
      await deps.queue.enqueue(sendRestJob, { accountId, openId: context.event.fromUserName, ruleId: found.rule.id, replies: rest }, { accountId, total: rest.length });
    }
  }

  subscribe('official-account.subscribe', (context) => answer(context as CallbackContext, (m) => m.forSubscribe()));
  subscribe('official-account.text', (context) => answer(context as CallbackContext, (m) => m.forText(context.event.content)));
  subscribe('official-account.CLICK', (context) => answer(context as CallbackContext, (m) => m.forClick(context.event.eventKey)));
  for (const type of otherMessages) {
    subscribe(`official-account.${type}`, (context) => answer(context as CallbackContext, (m) => m.forOtherMessage()));
  }
}

/** A reply as a customer-service message body (facts §4.6; news carries one article). */
export function customerServiceBody(touser: string, reply: AutoReplyMessage) {
  const of = (msgtype: 'text' | 'image' | 'voice' | 'video' | 'music' | 'news', payload: Record<string, unknown>) => ({ touser, msgtype, [msgtype]: payload });
  switch (reply.type) {
    case 'text':
      return of('text', { content: reply.content });
    case 'image':
    case 'voice':
      return of(reply.type, { media_id: reply.mediaId });
    case 'video':
      return of('video', { media_id: reply.mediaId, title: reply.title ?? '', description: reply.description ?? '' });
    case 'music':
      return of('music', {
        title: reply.title ?? '',
        description: reply.description ?? '',
        musicurl: reply.musicUrl ?? '',
        hqmusicurl: reply.hqMusicUrl ?? '',
        thumb_media_id: reply.thumbMediaId,
      });
    case 'news':
      return of(
        'news',
        { articles: reply.articles.slice(0, 1).map((a) => ({ title: a.title, description: a.description ?? '', url: a.url ?? '', picurl: a.picUrl ?? '' })) },
      );
  }
}

interface SendRestInput extends Record<string, unknown> {
  accountId: string;
  openId: string;
  ruleId: string;
  replies: AutoReplyMessage[];
}

/**
 * Sends the replies after the passive one, in order, resuming after the last
 * one sent. A WeChat refusal (window closed 45015, quota 45047) ends the run:
 * retrying would only be refused again.
 */
export function createSendRestHandler(deps: { wechat: WeChatClient; wechatAccountFor(accountId: string): Promise<WeChatAccount> }) {
  return async (context: JobContext<SendRestInput, { sent: number }>) => {
    const { accountId, openId, replies } = context.input;
    const account = await deps.wechatAccountFor(accountId);
    let sent = context.checkpoint?.sent ?? 0;
    for (; sent < replies.length; sent++) {
      context.signal.throwIfAborted();
      try {
        await deps.wechat.call(account, oaCustomerServiceSend, customerServiceBody(openId, replies[sent]!) as never);
      } catch (error) {
        if (!isWeChatApiError(error)) throw error;
        const rowError: JobRowError = { row: sent + 1, code: error.code, message: `${error.errcode} ${error.errmsg}` };
        await context.progress({ done: sent, checkpoint: { sent: replies.length }, errors: [rowError] });
        return { sent, refusedWith: error.errcode };
      }
      await context.progress({ done: sent + 1, checkpoint: { sent: sent + 1 } });
    }
    return { sent };
  };
}

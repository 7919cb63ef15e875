import { AppError, isAppError } from '../../../../common/errors';
import type { Clock } from '../../../platform/clock';
import type { JobContext } from '../../../platform/queue/job-queue';
import type { OfficialAccountReply, WeComReply } from '../../../wechat/callback';
import { isWeChatApiError, type WeChatAccount, type WeChatClient } from '../../../wechat/client';
import { oaCustomerServiceSend } from '../../../wechat/official-account';
import { wecomMessageSend } from '../../../wechat/wecom';
import type { MessageLog, MessageRow } from '../messages';

/** A follower's action opens a window for customer-service messages (facts §4.6). */
interface ServiceWindow {
  lengthMs: number;
  label: string;
}

const afterMessage: ServiceWindow = { lengthMs: 48 * 3600_000, label: '48 小时 (48 hours)' };
const afterAction: ServiceWindow = { lengthMs: 60_000, label: '1 分钟 (1 minute)' };
// Only these menu buttons open a window, besides a follow and a parametric QR scan.
const windowEvents = new Set(['click', 'scancode_push', 'scancode_waitmsg', 'subscribe', 'scan']);

/** The window a push opened, or null when it opened none (e.g. a VIEW click or a location report). */
export function serviceWindowOf(row: Pick<MessageRow, 'msgType' | 'event'>): ServiceWindow | null {
  if (row.msgType !== 'event') return afterMessage;
  return row.event && windowEvents.has(row.event.toLowerCase()) ? afterAction : null;
}

function notDeliverable(type: string): never {
  throw new AppError('CALLBACK_REPLY_NOT_DELIVERABLE', { replyType: type });
}

/** A passive Official Account reply as a customer-service message body (one article at most for news). */
export function customerServiceMessage(touser: string, reply: OfficialAccountReply): Record<string, unknown> & { touser: string; msgtype: 'text' } {
  const body = (msgtype: string, payload: Record<string, unknown>) => ({ touser, msgtype, [msgtype]: payload }) as Record<string, unknown> & { touser: string; msgtype: 'text' };
  switch (reply.type) {
    case 'text':
      return body('text', { content: reply.content });
    case 'image':
      return body('image', { media_id: reply.mediaId });
    case 'voice':
      return body('voice', { media_id: reply.mediaId });
    case 'video':
      return body('video', { media_id: reply.mediaId, title: reply.title ?? '', description: reply.description ?? '' });
    case 'music':
      return body('music', {
        title: reply.title ?? '',
        description: reply.description ?? '',
        musicurl: reply.musicUrl ?? '',
        hqmusicurl: reply.hqMusicUrl ?? '',
        thumb_media_id: reply.thumbMediaId,
      });
    case 'news': {
      const [first] = reply.articles;
      if (!first) return notDeliverable('news');
      return body('news', { articles: [{ title: first.title, description: first.description ?? '', url: first.url ?? '', picurl: first.picUrl ?? '' }] });
    }
    default:
      return notDeliverable(reply.type);
  }
}

/** A passive WeCom reply as an app message to the member who wrote. */
export function appMessage(touser: string, agentId: number, reply: WeComReply): Record<string, unknown> & { agentid: number; msgtype: 'text' } {
  const body = (msgtype: string, payload: Record<string, unknown>) =>
    ({ touser, agentid: agentId, msgtype, [msgtype]: payload }) as Record<string, unknown> & { agentid: number; msgtype: 'text' };
  switch (reply.type) {
    case 'text':
      return body('text', { content: reply.content });
    case 'image':
      return body('image', { media_id: reply.mediaId });
    case 'voice':
      return body('voice', { media_id: reply.mediaId });
    case 'video':
      return body('video', { media_id: reply.mediaId, title: reply.title ?? '', description: reply.description ?? '' });
    case 'news':
      return body('news', {
        articles: reply.articles.map((a) => ({ title: a.title, description: a.description ?? '', url: a.url ?? '', picurl: a.picUrl ?? '' })),
      });
    default:
      return notDeliverable(reply.type);
  }
}

export interface LateReplyDeps {
  log: MessageLog;
  wechat: WeChatClient;
  wechatAccountFor(accountId: string, receiver: string): Promise<WeChatAccount>;
  clock: Clock;
}

/**
 * Sends a reply a handler gave after the deadline through WeChat's message
 * API, once: a recorded delivery is never repeated, and refusals (window
 * closed, quota used up: 45015, 45047) are recorded, not retried.
 */
export function createLateReplyHandler(deps: LateReplyDeps) {
  return async (context: JobContext<{ accountId: string; messageId: string }, unknown>) => {
    const { accountId, messageId } = context.input;
    const row = await deps.log.findById(accountId, messageId);
    if (!row || row.lateDelivery || !row.replySummary) return { skipped: true };
    const at = () => deps.clock.now().toISOString();
    try {
      await send(row);
      await deps.log.recordLateDelivery(row.id, { status: 'sent', at: at() });
      return { sent: true };
    } catch (error) {
      if (!isAppError(error)) throw error;
      const delivery = isWeChatApiError(error)
        ? { status: 'failed' as const, at: at(), code: error.code, errcode: error.errcode, errmsg: error.errmsg }
        : { status: 'failed' as const, at: at(), code: error.code };
      await deps.log.recordLateDelivery(row.id, delivery);
      return { sent: false, code: error.code };
    }
  };

  async function send(row: MessageRow): Promise<void> {
    const reply = row.replySummary as OfficialAccountReply & WeComReply;
    const account = await deps.wechatAccountFor(row.accountId, row.receiver);
    if (account.product === 'official-account') {
      const window = serviceWindowOf(row);
      if (!window || deps.clock.now().getTime() - row.createTime.getTime() > window.lengthMs) {
        throw new AppError('CALLBACK_REPLY_WINDOW_CLOSED', { windowLabel: window?.label ?? '—' });
      }
      await deps.wechat.call(account, oaCustomerServiceSend, customerServiceMessage(row.fromUser, reply));
      return;
    }
    if (!/^\d+$/.test(row.receiver)) notDeliverable(reply.type);
    await deps.wechat.call(account, wecomMessageSend, appMessage(row.fromUser, Number(row.receiver), reply));
  }
}

import { AppError } from '../../../../common/errors';
import { decodeCursor, encodeCursor, type Page } from '../../../../common/paging';
import type { AuditRecorder } from '../../../platform/audit';
import type { Clock } from '../../../platform/clock';
import type { RequestContext } from '../../../platform/http/principal';
import type { OfficialAccountEvent } from '../../../wechat/callback';
import { isWeChatApiError, type WeChatAccount, type WeChatClient } from '../../../wechat/client';
import { oaCustomerServiceSend } from '../../../wechat/official-account';
import type { ConversationRow, IncomingMessage, InboxRepository, MessageRow, QuickReplyRow } from './inbox.repository';
import {
  REPLY_VARIABLES,
  SERVICE_WINDOW_MS,
  SERVICE_WINDOW_SENDS,
  type Conversation,
  type ConversationDetail,
  type InboxMessage,
  type ListConversationsQuery,
  type ListInboxMessagesQuery,
  type QuickReply,
  type QuickReplyBody,
  type ReplyBody,
  type UpdateQuickReplyBody,
} from './inbox.schema';
import { fillTemplate, unknownVariable, variablesIn } from './reply-template';

const WINDOW_CLOSED_ERRCODE = 45015;
const WINDOW_QUOTA_ERRCODE = 45047;

/** The follower messages the inbox keeps (facts §3.1); events are other modules' business. */
export const conversationMessageTypes = new Set(['text', 'image', 'voice', 'video', 'shortvideo', 'location', 'link']);

/** A follower message as the inbox stores it: text for search and the list, the fields for the chat view. */
export function incomingFrom(accountId: string, event: OfficialAccountEvent): IncomingMessage | null {
  if (event.type === 'official-account.unknown') return null;
  const msgType = event.type.slice('official-account.'.length);
  if (!conversationMessageTypes.has(msgType)) return null;
  const { product: _product, type: _type, toUserName: _to, fromUserName, createTimeS, dedupeKey: _key, ...fields } = event as OfficialAccountEvent & Record<string, unknown>;
  const text =
    event.type === 'official-account.text'
      ? event.content
      : event.type === 'official-account.location'
        ? (event.label ?? `${event.locationX},${event.locationY}`)
        : event.type === 'official-account.link'
          ? (event.title ?? event.url)
          : null;
  const msgId = typeof fields.msgId === 'string' ? fields.msgId : null;
  return {
    accountId,
    openId: fromUserName as string,
    msgType,
    text,
    preview: text ?? '',
    payload: fields,
    wechatMsgId: msgId,
    at: new Date((createTimeS as number) * 1000),
  };
}

export interface InboxServiceDeps {
  repository: InboxRepository;
  clock: Clock;
  audit: AuditRecorder;
  wechat: WeChatClient;
  getAccount(accountId: string): Promise<{ id: string; type: string }>;
  wechatAccountFor(accountId: string): Promise<WeChatAccount>;
  /** The follower's remark in Qiao or on WeChat ('' when none). */
  remarkOf(accountId: string, openId: string): Promise<string>;
}

export type InboxService = ReturnType<typeof createInboxService>;

export function createInboxService(deps: InboxServiceDeps) {
  const { repository, clock } = deps;

  function windowOf(row: ConversationRow, sent: number) {
    const closesAt = row.lastIncomingAt ? new Date(row.lastIncomingAt.getTime() + SERVICE_WINDOW_MS) : null;
    return { isOpen: closesAt !== null && closesAt.getTime() > clock.now().getTime(), closesAt: closesAt?.toISOString() ?? null, sentSinceOpen: sent, limit: SERVICE_WINDOW_SENDS };
  }

  function toConversation(row: ConversationRow, sent: number): Conversation {
    return {
      id: row.id,
      accountId: row.accountId,
      openId: row.openId,
      state: row.state,
      assigneeId: row.assigneeId,
      unreadCount: row.unreadCount,
      waitingSince: row.waitingSince?.toISOString() ?? null,
      lastMessageAt: row.lastMessageAt.toISOString(),
      lastMessagePreview: row.lastMessagePreview,
      lastDirection: row.lastDirection,
      window: windowOf(row, sent),
      firstResponseMs: row.firstResponseMs,
      closedAt: row.closedAt?.toISOString() ?? null,
      createdAt: row.createdAt.toISOString(),
    };
  }

  async function conversations(rows: ConversationRow[]): Promise<Conversation[]> {
    const sent = await repository.countOutgoingSinceLastIncoming(rows.map((r) => r.id));
    return rows.map((row) => toConversation(row, sent.get(row.id) ?? 0));
  }

  function toMessage(row: MessageRow, openId: string): InboxMessage {
    return {
      id: row.id,
      conversationId: row.conversationId,
      openId,
      direction: row.direction,
      msgType: row.msgType,
      text: row.text,
      payload: row.payload,
      operatorId: row.operatorId,
      createdAt: row.createdAt.toISOString(),
    };
  }

  function toQuickReply(row: QuickReplyRow): QuickReply {
    return { id: row.id, groupName: row.groupName, title: row.title, content: row.content, variables: variablesIn(row.content), createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
  }

  async function officialAccount(accountId: string): Promise<void> {
    const account = await deps.getAccount(accountId);
    if (account.type !== 'official_account') throw new AppError('OA_PUSH_NOT_OFFICIAL_ACCOUNT', { accountId });
  }

  async function load(accountId: string, id: string): Promise<ConversationRow> {
    const row = await repository.findConversation(accountId, id);
    if (!row) throw new AppError('OA_CONVERSATION_NOT_FOUND', { id });
    return row;
  }

  function checkVariables(template: string): void {
    const unknown = unknownVariable(template, REPLY_VARIABLES);
    if (unknown) throw new AppError('OA_QUICK_REPLY_UNKNOWN_VARIABLE', { name: unknown, known: REPLY_VARIABLES.map((v) => `{{${v}}}`).join(', ') });
  }

  function cursorOf(cursor: string | undefined): [string, string] | undefined {
    if (!cursor) return undefined;
    const values = decodeCursor(cursor);
    if (!values || typeof values[0] !== 'string' || typeof values[1] !== 'string') {
      throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'querystring.cursor', message: 'invalid cursor' }] });
    }
    return [values[0], values[1]];
  }

  const service = {
    /** Records a follower's message (the callback path); redeliveries are stored once. */
    async record(accountId: string, event: OfficialAccountEvent): Promise<boolean> {
      const incoming = incomingFrom(accountId, event);
      return incoming ? repository.recordIncoming(incoming) : false;
    },

    async listConversations(accountId: string, query: ListConversationsQuery): Promise<Page<Conversation>> {
      await officialAccount(accountId);
      const cursor = cursorOf(query.cursor);
      const filter = { accountId, state: query.state, waiting: query.waiting, assigneeId: query.assigneeId, q: query.q };
      const rows = await repository.listConversations({ ...filter, before: cursor ? { lastMessageAt: new Date(cursor[0]), id: cursor[1] } : undefined, limit: query.limit + 1 });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: await conversations(page),
        nextCursor: rows.length > query.limit && last ? encodeCursor([last.lastMessageAt.toISOString(), last.id]) : null,
        total: await repository.countConversations(filter),
      };
    },

    async getConversation(accountId: string, id: string): Promise<ConversationDetail> {
      const row = await load(accountId, id);
      const [conversation] = await conversations([row]);
      const responses = await repository.responsesOf(id);
      return {
        ...(conversation as Conversation),
        responses: responses.map((r) => ({ waitingSince: r.waitingSince.toISOString(), answeredAt: r.answeredAt.toISOString(), responseMs: r.responseMs, operatorId: r.operatorId })),
      };
    },

    /** The history, newest first (the console reverses a page); `conversationId` or `openId` narrows it. */
    async listMessages(accountId: string, query: ListInboxMessagesQuery & { conversationId?: string }): Promise<Page<InboxMessage>> {
      await officialAccount(accountId);
      if (query.conversationId) await load(accountId, query.conversationId);
      const cursor = cursorOf(query.cursor);
      const rows = await repository.listMessages({
        accountId,
        conversationId: query.conversationId,
        openId: query.openId,
        direction: query.direction,
        before: cursor ? { createdAt: new Date(cursor[0]), id: cursor[1] } : undefined,
        limit: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1)?.message;
      return {
        items: page.map((r) => toMessage(r.message, r.openId)),
        nextCursor: rows.length > query.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
      };
    },

    /**
     * Answers the follower through the customer-service API, only inside the
     * 48-hour window their last message opened; WeChat's own refusals
     * (45015, 45047) come back in plain words. Nothing is stored unless sent.
     */
    async reply(context: RequestContext, accountId: string, id: string, body: ReplyBody): Promise<InboxMessage> {
      const row = await load(accountId, id);
      if (!row.lastIncomingAt) throw new AppError('OA_INBOX_NO_WINDOW');
      const closesAt = new Date(row.lastIncomingAt.getTime() + SERVICE_WINDOW_MS);
      if (clock.now().getTime() >= closesAt.getTime()) throw new AppError('OA_INBOX_WINDOW_CLOSED', { closedAt: closesAt.toISOString() });
      let message: { msgType: string; text: string | null; preview: string; payload: Record<string, unknown> };
      if (body.type === 'text') {
        checkVariables(body.text);
        const needsRemark = variablesIn(body.text).includes('remark');
        const text = fillTemplate(body.text, {
          openId: row.openId,
          remark: needsRemark ? await deps.remarkOf(accountId, row.openId) : '',
          operator: context.principal?.displayName ?? '',
        });
        message = { msgType: 'text', text, preview: text, payload: { content: text } };
      } else {
        message = { msgType: 'image', text: null, preview: '', payload: { mediaId: body.mediaId } };
      }
      const wechatBody =
        body.type === 'text'
          ? { touser: row.openId, msgtype: 'text' as const, text: { content: message.text ?? '' } }
          : { touser: row.openId, msgtype: 'image' as const, image: { media_id: body.mediaId } };
      try {
        await deps.wechat.call(await deps.wechatAccountFor(accountId), oaCustomerServiceSend, wechatBody);
      } catch (error) {
        if (isWeChatApiError(error) && error.errcode === WINDOW_CLOSED_ERRCODE) throw new AppError('OA_INBOX_WECHAT_WINDOW_CLOSED', { errcode: error.errcode, errmsg: error.errmsg });
        if (isWeChatApiError(error) && error.errcode === WINDOW_QUOTA_ERRCODE) throw new AppError('OA_INBOX_WECHAT_QUOTA', { errcode: error.errcode, errmsg: error.errmsg });
        throw error;
      }
      const stored = await repository.recordOutgoing(row, { ...message, operatorId: context.principal?.userId ?? null, at: clock.now() });
      await deps.audit.record(context, { action: 'oa.inbox.reply', targetType: 'oa_conversation', targetId: id, summary: { accountId, msgType: message.msgType } });
      return toMessage(stored, row.openId);
    },

    async markRead(accountId: string, id: string): Promise<Conversation> {
      await load(accountId, id);
      const row = await repository.updateConversation(accountId, id, { unreadCount: 0 });
      const [conversation] = await conversations([row as ConversationRow]);
      return conversation as Conversation;
    },

    async assign(context: RequestContext, accountId: string, id: string, assigneeId: string | null): Promise<Conversation> {
      await load(accountId, id);
      if (assigneeId && !(await repository.userExists(assigneeId))) throw new AppError('OA_INBOX_ASSIGNEE_NOT_FOUND', { userId: assigneeId });
      const row = await repository.updateConversation(accountId, id, { assigneeId });
      await deps.audit.record(context, { action: 'oa.inbox.assign', targetType: 'oa_conversation', targetId: id, summary: { accountId, assigneeId } });
      const [conversation] = await conversations([row as ConversationRow]);
      return conversation as Conversation;
    },

    /** Closes the conversation; the follower's next message opens it again. */
    async close(context: RequestContext, accountId: string, id: string): Promise<Conversation> {
      await load(accountId, id);
      const row = await repository.updateConversation(accountId, id, { state: 'closed', closedAt: clock.now(), unreadCount: 0 });
      await deps.audit.record(context, { action: 'oa.inbox.close', targetType: 'oa_conversation', targetId: id, summary: { accountId } });
      const [conversation] = await conversations([row as ConversationRow]);
      return conversation as Conversation;
    },

    async listQuickReplies(accountId: string, filter: { q?: string; groupName?: string }): Promise<{ items: QuickReply[] }> {
      await officialAccount(accountId);
      return { items: (await repository.listQuickReplies(accountId, filter)).map(toQuickReply) };
    },

    async createQuickReply(context: RequestContext, accountId: string, body: QuickReplyBody): Promise<QuickReply> {
      await officialAccount(accountId);
      checkVariables(body.content);
      const now = clock.now();
      const row = await repository.insertQuickReply({ accountId, groupName: body.groupName, title: body.title, content: body.content, createdAt: now, updatedAt: now });
      await deps.audit.record(context, { action: 'oa.quick_reply.create', targetType: 'oa_quick_reply', targetId: row.id, summary: { accountId, title: body.title } });
      return toQuickReply(row);
    },

    async updateQuickReply(context: RequestContext, accountId: string, id: string, body: UpdateQuickReplyBody): Promise<QuickReply> {
      if (body.content !== undefined) checkVariables(body.content);
      const row = await repository.updateQuickReply(accountId, id, { ...body, updatedAt: clock.now() });
      if (!row) throw new AppError('OA_QUICK_REPLY_NOT_FOUND', { id });
      await deps.audit.record(context, { action: 'oa.quick_reply.update', targetType: 'oa_quick_reply', targetId: id, summary: { accountId, fields: Object.keys(body) } });
      return toQuickReply(row);
    },

    async deleteQuickReply(context: RequestContext, accountId: string, id: string): Promise<void> {
      if (!(await repository.deleteQuickReply(accountId, id))) throw new AppError('OA_QUICK_REPLY_NOT_FOUND', { id });
      await deps.audit.record(context, { action: 'oa.quick_reply.delete', targetType: 'oa_quick_reply', targetId: id, summary: { accountId } });
    },
  };
  return service;
}

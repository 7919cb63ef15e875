import { z } from 'zod';
import { pageOf, pageQuerySchema } from '../../../../common/paging';
import { requiredText, text } from '../../../../common/text';

/** WeChat's customer-service window after a follower's message, and what it allows (facts §4.6). */
export const SERVICE_WINDOW_MS = 48 * 3_600_000;
export const SERVICE_WINDOW_SENDS = 5;
/** Variables a quick reply or an answer may use, filled per follower. */
export const REPLY_VARIABLES = ['remark', 'openId', 'operator'] as const;

export const inboxAccountParamsSchema = z.strictObject({ accountId: z.uuid() });
export const conversationParamsSchema = z.strictObject({ accountId: z.uuid(), conversationId: z.uuid() });
export const quickReplyParamsSchema = z.strictObject({ accountId: z.uuid(), quickReplyId: z.uuid() });

const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export const listConversationsQuerySchema = z.strictObject({
  ...pageQuerySchema.shape,
  state: z.enum(['open', 'closed']).optional(),
  /** Only conversations whose follower waits for an answer. */
  waiting: booleanQuery.optional(),
  assigneeId: z.uuid().optional(),
  /** Part of the OpenID. */
  q: text(64).optional(),
});
export type ListConversationsQuery = z.infer<typeof listConversationsQuerySchema>;

export const listMessagesQuerySchema = z.strictObject({
  ...pageQuerySchema.shape,
  openId: text(64).optional(),
  direction: z.enum(['in', 'out']).optional(),
});
export type ListInboxMessagesQuery = z.infer<typeof listMessagesQuerySchema>;

export const replyBodySchema = z.discriminatedUnion('type', [
  /** `{{remark}}`, `{{openId}}` and `{{operator}}` are filled before sending. */
  z.strictObject({ type: z.literal('text'), text: requiredText(2000) }),
  /** A media_id of the account's image media. */
  z.strictObject({ type: z.literal('image'), mediaId: text(200, 1) }),
]);
export type ReplyBody = z.infer<typeof replyBodySchema>;

export const assignBodySchema = z.strictObject({ assigneeId: z.uuid().nullable() });

export const quickReplyBodySchema = z.strictObject({
  groupName: requiredText(30).default('常用'),
  title: requiredText(60),
  content: requiredText(2000),
});
export const updateQuickReplyBodySchema = z.strictObject({
  groupName: requiredText(30).optional(),
  title: requiredText(60).optional(),
  content: requiredText(2000).optional(),
});
export type QuickReplyBody = z.infer<typeof quickReplyBodySchema>;
export type UpdateQuickReplyBody = z.infer<typeof updateQuickReplyBodySchema>;

export const listQuickRepliesQuerySchema = z.strictObject({ q: text(60).optional(), groupName: text(30).optional() });

export const serviceWindowSchema = z.object({
  isOpen: z.boolean(),
  /** When the window closes (or closed); null before the follower ever wrote. */
  closesAt: z.string().nullable(),
  /** Customer-service messages sent since the follower's last message (WeChat allows 5). */
  sentSinceOpen: z.number().int(),
  limit: z.number().int(),
});

export const conversationSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  openId: z.string(),
  state: z.enum(['open', 'closed']),
  assigneeId: z.string().nullable(),
  unreadCount: z.number().int(),
  /** Since when the follower waits for an answer; null when answered. */
  waitingSince: z.string().nullable(),
  lastMessageAt: z.string(),
  lastMessagePreview: z.string(),
  lastDirection: z.enum(['in', 'out']),
  window: serviceWindowSchema,
  firstResponseMs: z.number().int().nullable(),
  closedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Conversation = z.infer<typeof conversationSchema>;
export const conversationPageSchema = pageOf(conversationSchema);

export const inboxMessageSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  openId: z.string(),
  direction: z.enum(['in', 'out']),
  msgType: z.string(),
  text: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  operatorId: z.string().nullable(),
  createdAt: z.string(),
});
export type InboxMessage = z.infer<typeof inboxMessageSchema>;
export const inboxMessagePageSchema = pageOf(inboxMessageSchema);

export const responseTimeSchema = z.object({ waitingSince: z.string(), answeredAt: z.string(), responseMs: z.number().int(), operatorId: z.string().nullable() });
export const conversationDetailSchema = conversationSchema.extend({ responses: z.array(responseTimeSchema) });
export type ConversationDetail = z.infer<typeof conversationDetailSchema>;

export const quickReplySchema = z.object({
  id: z.string(),
  groupName: z.string(),
  title: z.string(),
  content: z.string(),
  variables: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type QuickReply = z.infer<typeof quickReplySchema>;
export const quickReplyListSchema = z.object({ items: z.array(quickReplySchema) });

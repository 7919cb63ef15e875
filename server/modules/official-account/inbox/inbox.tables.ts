import { index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { accounts } from '../../system/accounts/accounts.tables';

/**
 * One conversation per follower of an account. `waitingSince` is the time of
 * the follower's first message nobody has answered yet (null when answered);
 * `lastIncomingAt` opens WeChat's 48-hour customer-service window.
 */
export const oaConversations = pgTable(
  'oa_conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    openId: text('open_id').notNull(),
    state: text('state', { enum: ['open', 'closed'] }).notNull(),
    assigneeId: uuid('assignee_id'),
    unreadCount: integer('unread_count').notNull().default(0),
    waitingSince: timestamp('waiting_since', { withTimezone: true }),
    lastIncomingAt: timestamp('last_incoming_at', { withTimezone: true }),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }).notNull(),
    lastMessagePreview: text('last_message_preview').notNull(),
    lastDirection: text('last_direction', { enum: ['in', 'out'] }).notNull(),
    /** The conversation's very first response time, kept for KPI pages; every later one is in `oa_conversation_responses`. */
    firstResponseMs: integer('first_response_ms'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [unique('oa_conversations_account_open_id').on(t.accountId, t.openId), index('oa_conversations_account_last_idx').on(t.accountId, t.lastMessageAt, t.id)],
);

/** What a follower sent and what operators answered, in order. */
export const oaConversationMessages = pgTable(
  'oa_conversation_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => oaConversations.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id').notNull(),
    direction: text('direction', { enum: ['in', 'out'] }).notNull(),
    msgType: text('msg_type').notNull(),
    /** Text, or a short description of media (location label, link title). */
    text: text('text'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    /** WeChat's MsgId of an incoming message: a redelivery is stored once. */
    wechatMsgId: text('wechat_msg_id'),
    operatorId: uuid('operator_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [unique('oa_conversation_messages_msg_id').on(t.accountId, t.wechatMsgId), index('oa_conversation_messages_conv_idx').on(t.conversationId, t.createdAt, t.id)],
);

/** One waiting period answered: from the first unanswered message to the operator's answer. */
export const oaConversationResponses = pgTable(
  'oa_conversation_responses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => oaConversations.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id').notNull(),
    operatorId: uuid('operator_id'),
    waitingSince: timestamp('waiting_since', { withTimezone: true }).notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true }).notNull(),
    responseMs: integer('response_ms').notNull(),
  },
  (t) => [index('oa_conversation_responses_account_idx').on(t.accountId, t.answeredAt)],
);

/** Canned answers operators pick from; `{{remark}}` and `{{openId}}` are filled per follower. */
export const oaQuickReplies = pgTable(
  'oa_quick_replies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    groupName: text('group_name').notNull(),
    title: text('title').notNull(),
    content: text('content').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('oa_quick_replies_account_idx').on(t.accountId, t.groupName, t.title)],
);

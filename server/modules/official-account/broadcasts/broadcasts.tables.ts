import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { accounts } from '../../system/accounts/accounts.tables';

export type BroadcastContent = { type: 'text'; text: string } | { type: 'image'; mediaId: string; mediaExpiresAt: string | null } | { type: 'mpnews'; mediaId: string; title: string | null };
export type BroadcastAudience = { kind: 'all' } | { kind: 'tags'; tagIds: number[] } | { kind: 'openIds'; openIds: string[] };
export type BroadcastFailure = { code: string; errcode?: number; errmsg?: string };

/**
 * One targeted push (群发). The row is written before WeChat is called
 * (`sending`) and marked after (`submitted` or `failed`); a crash in between
 * leaves `sending`, shown as "unknown, check WeChat" and never sent again
 * without the same `clientMsgId`, which WeChat dedupes (45065).
 */
export const oaBroadcasts = pgTable(
  'oa_broadcasts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    state: text('state', { enum: ['scheduled', 'queued', 'sending', 'submitted', 'finished', 'failed', 'unknown', 'cancelled'] }).notNull(),
    content: jsonb('content').$type<BroadcastContent>().notNull(),
    audience: jsonb('audience').$type<BroadcastAudience>().notNull(),
    recipientCount: integer('recipient_count').notNull().default(0),
    /** Followers Qiao expected WeChat to skip (4 a month already). */
    overQuotaCount: integer('over_quota_count').notNull().default(0),
    scheduledAt: timestamp('scheduled_at', { withTimezone: true }),
    jobId: uuid('job_id'),
    clientMsgId: text('client_msg_id').notNull(),
    msgId: text('msg_id'),
    msgDataId: text('msg_data_id'),
    /** WeChat's words: `send success`, `send fail`, `err(N)`, or mass/get's SEND_SUCCESS and the like. */
    wechatStatus: text('wechat_status'),
    totalCount: integer('total_count'),
    filterCount: integer('filter_count'),
    sentCount: integer('sent_count'),
    errorCount: integer('error_count'),
    failure: jsonb('failure').$type<BroadcastFailure | null>(),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('oa_broadcasts_account_created_idx').on(t.accountId, t.createdAt, t.id),
    index('oa_broadcasts_due_idx').on(t.state, t.scheduledAt),
    unique('oa_broadcasts_account_msg_id').on(t.accountId, t.msgId),
  ],
);

/**
 * Who a push was meant for, written with the intent: the month's mass
 * messages per follower are counted from here (WeChat allows 4) and a
 * send by OpenID list shows its status per recipient.
 */
export const oaBroadcastRecipients = pgTable(
  'oa_broadcast_recipients',
  {
    broadcastId: uuid('broadcast_id')
      .notNull()
      .references(() => oaBroadcasts.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id').notNull(),
    openId: text('open_id').notNull(),
    status: text('status', { enum: ['pending', 'submitted', 'over_quota', 'failed'] }).notNull(),
    /** Beijing month `yyyy-MM`, WeChat's quota period. */
    month: text('month').notNull(),
  },
  (t) => [primaryKey({ columns: [t.broadcastId, t.openId] }), index('oa_broadcast_recipients_quota_idx').on(t.accountId, t.month, t.openId)],
);

import { bigserial, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * One row per HTTP call to WeChat: which API, for which account, the errcode
 * and how long it took. Never tokens, secrets or bodies. Rows older than the
 * retention period are pruned as new ones arrive.
 */
export const wechatApiCalls = pgTable(
  'wechat_api_calls',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    product: text('product', { enum: ['official-account', 'wecom'] }).notNull(),
    accountKey: text('account_key').notNull(),
    accountId: text('account_id'),
    path: text('path').notNull(),
    title: text('title').notNull(),
    outcome: text('outcome', { enum: ['ok', 'wechat_error', 'bad_response', 'unreachable'] }).notNull(),
    /** Null when WeChat gave no JSON answer. */
    errcode: integer('errcode'),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [index('wechat_api_calls_at_idx').on(t.at), index('wechat_api_calls_account_idx').on(t.accountId, t.at)],
);

import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The current access token of each (AppID) or (CorpID:receiver), shared by
 * every Qiao instance and kept across restarts, so WeChat's daily token quota
 * is not spent on boots. The token is sealed with the secrets key.
 */
export const wechatAccessTokens = pgTable('wechat_access_tokens', {
  accountKey: text('account_key').primaryKey(),
  tokenSealed: text('token_sealed').notNull(),
  fetchedAt: timestamp('fetched_at', { withTimezone: true }).notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

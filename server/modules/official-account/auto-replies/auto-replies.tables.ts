import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { accounts } from '../../system/accounts/accounts.tables';
import type { AutoReplyKeyword, AutoReplyMessage } from './auto-replies.schema';

/**
 * One automatic-reply rule of an Official Account. `position` orders the
 * rules of one kind (0 answers first); positions stay contiguous.
 */
export const oaAutoReplyRules = pgTable(
  'oa_auto_reply_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['subscribe', 'default', 'keyword', 'click'] }).notNull(),
    name: text('name').notNull(),
    position: integer('position').notNull(),
    enabled: boolean('enabled').notNull(),
    keywords: jsonb('keywords').$type<AutoReplyKeyword[]>().notNull(),
    clickKeys: jsonb('click_keys').$type<string[]>().notNull(),
    replies: jsonb('replies').$type<AutoReplyMessage[]>().notNull(),
    replyMode: text('reply_mode', { enum: ['all', 'random'] }).notNull(),
    source: text('source', { enum: ['qiao', 'platform'] }).notNull(),
    /** Identifies a rule imported from the platform, so a second import skips it. */
    platformKey: text('platform_key'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('oa_auto_reply_rules_order_idx').on(t.accountId, t.kind, t.position)],
);

/**
 * Per account: `version` grows with every rule change, so each instance knows
 * when its compiled matcher is stale; `importedAt` records the platform import.
 */
export const oaAutoReplySettings = pgTable('oa_auto_reply_settings', {
  accountId: uuid('account_id')
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  version: integer('version').notNull(),
  importedAt: timestamp('imported_at', { withTimezone: true }),
});

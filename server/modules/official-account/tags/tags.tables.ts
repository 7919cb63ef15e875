import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { accounts } from '../../system/accounts/accounts.tables';

/** The account's follower tags as WeChat holds them (ids are WeChat's; 0–2 are system tags). */
export const oaTags = pgTable(
  'oa_tags',
  {
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    tagId: integer('tag_id').notNull(),
    name: text('name').notNull(),
    /** WeChat's own count at the last pull; the API shows the local count. */
    wechatCount: integer('wechat_count'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.tagId] })],
);

/**
 * Auto-tag rules: a follower who clicks the menu button `value` (trigger
 * `menu_click`), or sends text matching `value` (trigger `keyword`, exact or
 * contains), gets the tag.
 */
export const oaTagRules = pgTable(
  'oa_tag_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    tagId: integer('tag_id').notNull(),
    trigger: text('trigger', { enum: ['menu_click', 'keyword'] }).notNull(),
    match: text('match', { enum: ['exact', 'contains'] }).notNull(),
    value: text('value').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('oa_tag_rules_account_idx').on(t.accountId, t.trigger)],
);

export type TagRow = typeof oaTags.$inferSelect;
export type TagRuleRow = typeof oaTagRules.$inferSelect;

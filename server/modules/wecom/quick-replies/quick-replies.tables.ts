import { foreignKey, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accounts } from '../../system/accounts/accounts.tables';
import type { QuickReplyBody } from './quick-reply-rules';

export const quickReplyTypes = ['text', 'image', 'link', 'miniprogram'] as const;

/**
 * 话术分组: a corp's library is a list of groups. `departmentId` restricts a
 * group (and its replies) to members of that department's subtree; null is corp-wide.
 */
export const wecomQuickReplyGroups = pgTable(
  'wecom_quick_reply_groups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    departmentId: integer('department_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('wecom_quick_reply_groups_name_key').on(t.accountId, t.name)],
);

/** One reply: its type's fields live in `body` (text, or title/description/url/picUrl, or appid/page). */
export const wecomQuickReplies = pgTable(
  'wecom_quick_replies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    groupId: uuid('group_id').notNull(),
    title: text('title').notNull(),
    type: text('type', { enum: quickReplyTypes }).notNull(),
    body: jsonb('body').$type<QuickReplyBody>().notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    createdBy: uuid('created_by'),
    updatedBy: uuid('updated_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('wecom_quick_replies_group_idx').on(t.accountId, t.groupId, t.sortOrder),
    foreignKey({ columns: [t.groupId], foreignColumns: [wecomQuickReplyGroups.id] }).onDelete('restrict'),
  ],
);

export type QuickReplyGroupRow = typeof wecomQuickReplyGroups.$inferSelect;
export type QuickReplyRow = typeof wecomQuickReplies.$inferSelect;

import { index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { accounts } from '../../system/accounts/accounts.tables';
import type { WeChatMenuButton } from './menu-rules.schema';

/** The menu being edited; WeChat never sees it until it is published. */
export const oaMenuDrafts = pgTable('oa_menu_drafts', {
  accountId: uuid('account_id')
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  button: jsonb('button').$type<WeChatMenuButton[]>().notNull(),
  updatedBy: text('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/**
 * Every default menu Qiao sent to WeChat or found there. A publish writes its
 * row as `publishing` before calling WeChat and marks it `applied` or `failed`
 * after, so a crash in between leaves a row that the next read settles
 * against WeChat's live menu. `pulled` rows are menus found live on WeChat.
 */
export const oaMenuVersions = pgTable(
  'oa_menu_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    button: jsonb('button').$type<WeChatMenuButton[]>().notNull(),
    state: text('state', { enum: ['publishing', 'applied', 'failed', 'pulled'] }).notNull(),
    source: text('source', { enum: ['publish', 'rollback', 'pull', 'reconcile'] }).notNull(),
    rolledBackFrom: integer('rolled_back_from'),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    appliedAt: timestamp('applied_at', { withTimezone: true }),
    errcode: integer('errcode'),
    errmsg: text('errmsg'),
  },
  (t) => [unique('oa_menu_versions_account_version_key').on(t.accountId, t.version), index('oa_menu_versions_state_idx').on(t.accountId, t.state)],
);

/** Conditional menus (个性化菜单) with the menuid WeChat returned; WeChat has no edit, only add and delete. */
export const oaConditionalMenus = pgTable(
  'oa_conditional_menus',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    menuId: text('menu_id'),
    state: text('state', { enum: ['publishing', 'applied', 'failed'] }).notNull(),
    button: jsonb('button').$type<WeChatMenuButton[]>().notNull(),
    matchRule: jsonb('match_rule').$type<{ tagId?: number; clientPlatformType?: '1' | '2' | '3' }>().notNull(),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('oa_conditional_menus_account_idx').on(t.accountId, t.createdAt)],
);

import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accounts } from '../../system/accounts/accounts.tables';

/** A tag's or group's values as both sides compare them. */
export interface TagValues {
  name: string;
  order: number;
}

/**
 * The corp tag library (企业客户标签) as Qiao holds it: groups (`kind`
 * group) and their tags, in one table as WeCom keeps them. `wecomId` is
 * WeCom's id (null until created there); `base` the values both sides last
 * agreed on; `pending` an intent written in Qiao and not yet applied in WeCom;
 * `conflict` set when WeCom changed the same row meanwhile (`remote` holds
 * WeCom's values, `remoteDeleted` when WeCom deleted it).
 */
export const wecomCustomerTags = pgTable(
  'wecom_customer_tags',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['group', 'tag'] }).notNull(),
    groupId: uuid('group_id'),
    wecomId: text('wecom_id'),
    name: text('name').notNull(),
    order: bigint('order', { mode: 'number' }).notNull().default(0),
    base: jsonb('base').$type<TagValues>(),
    pending: text('pending', { enum: ['create', 'update', 'delete'] }),
    conflict: boolean('conflict').notNull().default(false),
    remote: jsonb('remote').$type<TagValues>(),
    remoteDeleted: boolean('remote_deleted').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('wecom_customer_tags_wecom_id_key').on(t.accountId, t.wecomId), index('wecom_customer_tags_group_idx').on(t.accountId, t.groupId)],
);

/** When the library was last pulled from WeCom. */
export const wecomCustomerTagSyncs = pgTable('wecom_customer_tag_syncs', {
  accountId: uuid('account_id')
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  lastPulledAt: timestamp('last_pulled_at', { withTimezone: true }).notNull(),
});

/**
 * Auto-tag rules: a customer added with 「联系我」 `state` = value (trigger
 * `state`), added through add_way = value (`add_way`), or about whom a member
 * writes text matching value (`keyword`) gets `tagIds` (WeCom tag ids) from that member.
 */
export const wecomCustomerTagRules = pgTable(
  'wecom_customer_tag_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    trigger: text('trigger', { enum: ['state', 'add_way', 'keyword'] }).notNull(),
    match: text('match', { enum: ['exact', 'contains'] }).notNull(),
    value: text('value').notNull(),
    tagIds: jsonb('tag_ids').$type<string[]>().notNull(),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('wecom_customer_tag_rules_account_idx').on(t.accountId, t.trigger)],
);

/** One rule applied to one member's customer: claimed before calling WeCom, so a replayed event tags nobody twice. */
export const wecomCustomerTagRuleRuns = pgTable(
  'wecom_customer_tag_rule_runs',
  {
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    ruleId: uuid('rule_id').notNull(),
    userid: text('userid').notNull(),
    externalUserId: text('external_user_id').notNull(),
    status: text('status', { enum: ['claimed', 'applied', 'failed'] }).notNull(),
    errcode: integer('errcode'),
    tagIds: jsonb('tag_ids').$type<string[]>().notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.ruleId, t.userid, t.externalUserId] })],
);

export type CustomerTagRow = typeof wecomCustomerTags.$inferSelect;
export type CustomerTagRuleRow = typeof wecomCustomerTagRules.$inferSelect;
export type CustomerTagRuleRunRow = typeof wecomCustomerTagRuleRuns.$inferSelect;

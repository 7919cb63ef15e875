import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { accounts } from '../../system/accounts/accounts.tables';

/**
 * One row per follower of an Official Account, as user/info last described
 * them, kept current by subscribe/unsubscribe callbacks.
 *
 * Tags are an int[] (WeChat's `tagid_list`) with a GIN index rather than a
 * join table: WeChat hands the whole list at once (sync replaces it in one
 * write), a follower has at most 20 tags, and at a million rows the planner
 * has both paths it needs for "tag X, newest first" — the GIN index for a
 * rare tag, the ordered (account, subscribe_time) index walked with a filter
 * for a common one — choosing by the array's element statistics. A join
 * table would double the writes of every sync and tagging batch for the same
 * queries.
 *
 * Nickname, avatar, sex and place are not stored: WeChat stopped returning
 * them on 2021-12-27. `country`/`province`/`city` hold them only where
 * WeChat still hands them over (older data, or if it ever returns them
 * again); nothing fills them otherwise.
 */
export const oaFollowers = pgTable(
  'oa_followers',
  {
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    openId: text('open_id').notNull(),
    subscribed: boolean('subscribed').notNull(),
    /** The last follow (WeChat's `subscribe_time`). */
    subscribeTime: timestamp('subscribe_time', { withTimezone: true }).notNull(),
    unsubscribeTime: timestamp('unsubscribe_time', { withTimezone: true }),
    /** ADD_SCENE_SEARCH, ADD_SCENE_QR_CODE…; null until user/info told. */
    subscribeScene: text('subscribe_scene'),
    qrScene: bigint('qr_scene', { mode: 'number' }),
    qrSceneStr: text('qr_scene_str'),
    /** zh_CN, en… */
    language: text('language'),
    remark: text('remark').notNull().default(''),
    tagIds: integer('tag_ids').array().notNull().default(sql`'{}'::integer[]`),
    unionId: text('union_id'),
    groupId: integer('group_id'),
    country: text('country'),
    province: text('province'),
    city: text('city'),
    lastInteractionAt: timestamp('last_interaction_at', { withTimezone: true }),
    /** When a sync (or a callback) last saw this follower: a full sync unsubscribes the ones it did not see. */
    seenAt: timestamp('seen_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.openId] }),
    index('oa_followers_subscribe_time_idx').on(t.accountId, t.subscribeTime.desc(), t.openId.desc()),
    index('oa_followers_tag_ids_idx').using('gin', t.tagIds),
    index('oa_followers_scene_idx').on(t.accountId, t.subscribeScene, t.subscribeTime.desc(), t.openId.desc()),
    index('oa_followers_language_idx').on(t.accountId, t.language, t.subscribeTime.desc(), t.openId.desc()),
    // Remark search reads this index alone (remarks are the few followers an operator annotated):
    // walked in list order, the other filters' columns are in it, so no row is fetched until one matches.
    index('oa_followers_remarked_idx')
      .on(t.accountId, t.subscribeTime.desc(), t.openId.desc(), t.remark, t.subscribed, t.subscribeScene, t.language, t.tagIds)
      .where(sql`${t.remark} <> ''`),
    // "OpenID begins with": LIKE 'prefix%' becomes a range on this index under any database collation.
    index('oa_followers_open_id_prefix_idx').on(t.accountId, t.openId.op('text_pattern_ops')),
    // Region filters: only followers who have a place are indexed (WeChat stopped sending it in 2021).
    index('oa_followers_country_idx').on(t.accountId, t.country, t.subscribeTime.desc(), t.openId.desc()).where(sql`${t.country} is not null`),
    index('oa_followers_province_idx').on(t.accountId, t.province, t.subscribeTime.desc(), t.openId.desc()).where(sql`${t.province} is not null`),
    index('oa_followers_city_idx').on(t.accountId, t.city, t.subscribeTime.desc(), t.openId.desc()).where(sql`${t.city} is not null`),
  ],
);

export type FollowerRow = typeof oaFollowers.$inferSelect;
export type NewFollowerRow = typeof oaFollowers.$inferInsert;

import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accounts } from '../../system/accounts/accounts.tables';

/** Customer groups (客户群) as WeCom last described them; `dismissedAt` once dismissed or no longer listed. */
export const wecomGroupChats = pgTable(
  'wecom_group_chats',
  {
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    chatId: text('chat_id').notNull(),
    name: text('name').notNull(),
    owner: text('owner').notNull(),
    notice: text('notice').notNull().default(''),
    /** 0 normal, 1 owner left and awaiting transfer, 2 transferring, 3 transferred. */
    status: integer('status').notNull().default(0),
    memberCount: integer('member_count').notNull().default(0),
    customerCount: integer('customer_count').notNull().default(0),
    admins: jsonb('admins').$type<string[]>().notNull().default([]),
    memberVersion: text('member_version'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    dismissedAt: timestamp('dismissed_at', { withTimezone: true }),
    syncedAt: timestamp('synced_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.chatId] }), index('wecom_group_chats_owner_idx').on(t.accountId, t.owner)],
);

/** Who is in a group now: `type` 1 a member of the corp, 2 a customer. */
export const wecomGroupChatMembers = pgTable(
  'wecom_group_chat_members',
  {
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    chatId: text('chat_id').notNull(),
    userid: text('userid').notNull(),
    type: integer('type').notNull(),
    name: text('name'),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull(),
    /** 1 invited directly, 2 by link, 3 by QR code. */
    joinScene: integer('join_scene').notNull(),
    invitor: text('invitor'),
    state: text('state'),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.chatId, t.userid] })],
);

/** Every join seen (kept after people leave), for join counts by scene and day; one row per person and join time. */
export const wecomGroupChatJoins = pgTable(
  'wecom_group_chat_joins',
  {
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    chatId: text('chat_id').notNull(),
    userid: text('userid').notNull(),
    type: integer('type').notNull(),
    joinedAt: timestamp('joined_at', { withTimezone: true }).notNull(),
    joinScene: integer('join_scene').notNull(),
    state: text('state'),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.chatId, t.userid, t.joinedAt] }), index('wecom_group_chat_joins_day_idx').on(t.accountId, t.joinedAt)],
);

/** 「加入群聊」 codes (join ways): up to 5 groups behind one QR code or mini-program button. */
export const wecomGroupJoinWays = pgTable(
  'wecom_group_join_ways',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    configId: text('config_id').notNull(),
    remark: text('remark').notNull(),
    scene: integer('scene').notNull(),
    chatIds: jsonb('chat_ids').$type<string[]>().notNull(),
    autoCreateRoom: boolean('auto_create_room').notNull(),
    roomBaseName: text('room_base_name').notNull().default(''),
    roomBaseId: integer('room_base_id').notNull().default(0),
    state: text('state').notNull().default(''),
    qrCode: text('qr_code'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('wecom_group_join_ways_config_key').on(t.accountId, t.configId)],
);

export type GroupChatRow = typeof wecomGroupChats.$inferSelect;
export type GroupChatMemberRow = typeof wecomGroupChatMembers.$inferSelect;
export type GroupChatJoinRow = typeof wecomGroupChatJoins.$inferSelect;
export type GroupJoinWayRow = typeof wecomGroupJoinWays.$inferSelect;

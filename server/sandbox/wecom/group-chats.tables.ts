import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { sandboxWecomCorps } from './wecom.tables';

/** A simulated customer group (客户群). `status` 0 normal, 1 owner left, 2 transferring, 3 transferred. */
export const sandboxWecomGroupChats = pgTable(
  'sandbox_wecom_group_chats',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => sandboxWecomCorps.corpId, { onDelete: 'cascade' }),
    chatId: text('chat_id').notNull(),
    name: text('name').notNull(),
    owner: text('owner').notNull(),
    notice: text('notice').notNull().default(''),
    status: integer('status').notNull().default(0),
    admins: jsonb('admins').$type<string[]>().notNull().default([]),
    /** Bumped on every membership change, echoed as member_version and in update events. */
    memberVersion: integer('member_version').notNull().default(1),
    createTimeS: bigint('create_time_s', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.chatId] }), index('sandbox_wecom_group_chats_owner_idx').on(t.corpId, t.owner)],
);

/** Who is in a group: `type` 1 a member of the corp, 2 a customer; `joinScene` 1 invited, 2 by link, 3 by QR code. */
export const sandboxWecomGroupChatMembers = pgTable(
  'sandbox_wecom_group_chat_members',
  {
    corpId: text('corp_id').notNull(),
    chatId: text('chat_id').notNull(),
    userid: text('userid').notNull(),
    type: integer('type').notNull(),
    name: text('name').notNull(),
    joinTimeS: bigint('join_time_s', { mode: 'number' }).notNull(),
    joinScene: integer('join_scene').notNull(),
    invitor: text('invitor'),
    state: text('state'),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.chatId, t.userid] })],
);

/** 「加入群聊」 settings, as add_join_way stored them. */
export const sandboxWecomJoinWays = pgTable(
  'sandbox_wecom_join_ways',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => sandboxWecomCorps.corpId, { onDelete: 'cascade' }),
    configId: text('config_id').notNull(),
    scene: integer('scene').notNull(),
    remark: text('remark').notNull().default(''),
    autoCreateRoom: integer('auto_create_room').notNull().default(1),
    roomBaseName: text('room_base_name').notNull().default(''),
    roomBaseId: integer('room_base_id').notNull().default(0),
    chatIds: jsonb('chat_ids').$type<string[]>().notNull(),
    state: text('state').notNull().default(''),
    qrCode: text('qr_code'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.configId] })],
);

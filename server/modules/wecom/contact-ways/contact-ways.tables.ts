import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accounts } from '../../system/accounts/accounts.tables';
import type { WelcomeMessage } from './contact-ways.schema';

/** The settings Qiao sends to WeCom for one code; `pending` holds an edit until WeCom accepted it. */
export interface ContactWaySettings {
  name: string;
  userids: string[];
  state: string;
  skipVerify: boolean;
  style: number | null;
  expiresInS: number | null;
  chatExpiresInS: number | null;
}

/**
 * 「联系我」 codes. A row is written as intent (`syncState` `creating`,
 * `updating`, `deleting`) before WeCom is called and marked `applied` once it
 * answered, so a crash in between is visible instead of half-applied.
 * `state` is unique per account among live codes: it is how an add is attributed.
 */
export const wecomContactWays = pgTable(
  'wecom_contact_ways',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** WeCom's handle; null until add_contact_way answered. */
    configId: text('config_id'),
    name: text('name').notNull(),
    type: text('type', { enum: ['single', 'multi'] }).notNull(),
    scene: text('scene', { enum: ['qr', 'miniprogram'] }).notNull(),
    style: integer('style'),
    userids: jsonb('userids').$type<string[]>().notNull(),
    state: text('state').notNull(),
    skipVerify: boolean('skip_verify').notNull(),
    tagIds: jsonb('tag_ids').$type<string[]>().notNull(),
    welcomeMessage: jsonb('welcome_message').$type<WelcomeMessage | null>(),
    isTemp: boolean('is_temp').notNull(),
    expiresInS: integer('expires_in_s'),
    chatExpiresInS: integer('chat_expires_in_s'),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    qrCodeUrl: text('qr_code_url'),
    /** `failed`: a creation cut off before WeCom's answer was recorded that WeCom turned out not to have (see stuck-codes.ts). */
    syncState: text('sync_state', { enum: ['creating', 'applied', 'updating', 'deleting', 'failed'] }).notNull(),
    /** Why a creation `failed`, as a reason code the console explains. */
    syncError: text('sync_error'),
    /** The edit sent to WeCom while `syncState` is `updating`. */
    pending: jsonb('pending').$type<ContactWaySettings | null>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('wecom_contact_ways_config_key').on(t.accountId, t.configId),
    uniqueIndex('wecom_contact_ways_state_key').on(t.accountId, t.state),
    index('wecom_contact_ways_created_idx').on(t.accountId, t.createdAt),
  ],
);

/**
 * One row per customer added through a code (the add event's CreateTime makes
 * WeChat's retries and replays the same row). `day` is the Asia/Shanghai date.
 */
export const wecomContactWayAdds = pgTable(
  'wecom_contact_way_adds',
  {
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    configId: text('config_id').notNull(),
    externalUserid: text('external_userid').notNull(),
    userid: text('userid').notNull(),
    addedAtS: integer('added_at_s').notNull(),
    day: text('day').notNull(),
    /** mark_tag's outcome: null while not tried or nothing to tag, else `ok` or the errcode in words. */
    tagResult: text('tag_result'),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.configId, t.externalUserid, t.userid, t.addedAtS] }),
    index('wecom_contact_way_adds_day_idx').on(t.accountId, t.configId, t.day),
    // Every code's adds in a window (the per-code summary) read only that window's entries: through the index above they
    // cost a walk of the corp's whole history (1M adds, 30 days: 49 → 8 ms in psql, and growing with the history, not the window).
    index('wecom_contact_way_adds_window_idx').on(t.accountId, t.day, t.configId),
  ],
);

/** The corp's default welcome message, sent when the code has none of its own (or the add came from elsewhere). */
export const wecomWelcomeSettings = pgTable('wecom_welcome_settings', {
  accountId: uuid('account_id')
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  message: jsonb('message').$type<WelcomeMessage | null>(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/**
 * Images for welcome messages, kept in Qiao and uploaded to WeCom ahead of
 * use: `mediaId` lives three days, so it is renewed before `mediaExpiresAt`.
 */
export const wecomWelcomeMedia = pgTable(
  'wecom_welcome_media',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    contentBase64: text('content_base64').notNull(),
    bytes: integer('bytes').notNull(),
    mediaId: text('media_id'),
    mediaExpiresAt: timestamp('media_expires_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('wecom_welcome_media_expiry_idx').on(t.mediaExpiresAt)],
);

/** Every welcome attempt, one per welcome code: what happened, why, and how long it took. */
export const wecomWelcomeSends = pgTable(
  'wecom_welcome_sends',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** WeCom's single-use code; null when the event carried none. */
    welcomeCode: text('welcome_code'),
    externalUserid: text('external_userid').notNull(),
    userid: text('userid').notNull(),
    configId: text('config_id'),
    state: text('state'),
    status: text('status', { enum: ['sending', 'sent', 'failed', 'skipped'] }).notNull(),
    reason: text('reason').notNull(),
    errcode: integer('errcode'),
    errmsg: text('errmsg'),
    latencyMs: integer('latency_ms'),
    eventAt: timestamp('event_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('wecom_welcome_sends_code_key').on(t.accountId, t.welcomeCode).where(sql`${t.welcomeCode} is not null`),
    index('wecom_welcome_sends_customer_idx').on(t.accountId, t.externalUserid, t.createdAt),
    index('wecom_welcome_sends_created_idx').on(t.accountId, t.createdAt),
    // The sweep of interrupted sends reads only rows still `sending`: a handful among every welcome ever sent.
    index('wecom_welcome_sends_sending_idx').on(t.eventAt).where(sql`${t.status} = 'sending'`),
  ],
);

export type ContactWayRow = typeof wecomContactWays.$inferSelect;
export type NewContactWayRow = typeof wecomContactWays.$inferInsert;
export type WelcomeMediaRow = typeof wecomWelcomeMedia.$inferSelect;
export type WelcomeSendRow = typeof wecomWelcomeSends.$inferSelect;

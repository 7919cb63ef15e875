import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, customType, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/**
 * Sandbox Official Accounts: WeChat's side of each account, so its secrets are
 * shown as they are (the control API plays the MP admin console).
 */
export const sandboxOaAccounts = pgTable('sandbox_oa_accounts', {
  appId: text('app_id').primaryKey(),
  appSecret: text('app_secret').notNull(),
  originalId: text('original_id').notNull(),
  name: text('name').notNull(),
  accountType: text('account_type').notNull(),
  token: text('token').notNull(),
  encodingAesKey: text('encoding_aes_key').notNull(),
  encryptMode: text('encrypt_mode').notNull(),
  callbackUrl: text('callback_url'),
  /** Rules set in the MP web console, read by get_current_autoreply_info. */
  autoReply: jsonb('auto_reply').notNull(),
  /** Followers currently following, kept with each change so user/get need not count a million rows. */
  followersTotal: integer('followers_total').notNull().default(0),
  /** Sequence feeding generated OpenIDs, so repeated generation never collides. */
  followerSeq: bigint('follower_seq', { mode: 'number' }).notNull().default(0),
  nextTagId: integer('next_tag_id').notNull().default(100),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

/**
 * Followers. WeChat still returns language, remark, tags, scene and unionid;
 * gender and region stay here for the simulated analytics only.
 */
export const sandboxOaFollowers = pgTable(
  'sandbox_oa_followers',
  {
    appId: text('app_id').notNull(),
    openId: text('open_id').notNull(),
    subscribed: boolean('subscribed').notNull(),
    subscribeTime: timestamp('subscribe_time', { withTimezone: true }).notNull(),
    unsubscribeTime: timestamp('unsubscribe_time', { withTimezone: true }),
    subscribeScene: text('subscribe_scene').notNull(),
    qrScene: bigint('qr_scene', { mode: 'number' }).notNull().default(0),
    qrSceneStr: text('qr_scene_str').notNull().default(''),
    language: text('language').notNull(),
    remark: text('remark').notNull().default(''),
    unionId: text('union_id'),
    tagIds: integer('tag_ids').array().notNull().default(sql`'{}'::integer[]`),
    gender: smallint('gender').notNull(),
    country: text('country').notNull(),
    province: text('province').notNull(),
    city: text('city').notNull(),
    /** Customer-service windows: a message opens 5 sends for 48 h, a click/follow/scan 3 sends for 1 min. */
    messageWindowAt: timestamp('message_window_at', { withTimezone: true }),
    messageWindowUsed: integer('message_window_used').notNull().default(0),
    eventWindowAt: timestamp('event_window_at', { withTimezone: true }),
    eventWindowUsed: integer('event_window_used').notNull().default(0),
    /** Mass messages received in `massMonth` (at most 4 a month). */
    massMonth: text('mass_month'),
    massCount: integer('mass_count').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.appId, t.openId] }),
    index('sandbox_oa_followers_tags_idx').using('gin', t.tagIds),
  ],
);

export const sandboxOaTags = pgTable(
  'sandbox_oa_tags',
  {
    appId: text('app_id').notNull(),
    id: integer('id').notNull(),
    name: text('name').notNull(),
  },
  (t) => [primaryKey({ columns: [t.appId, t.id] })],
);

/** The default menu and conditional menus; `menuId` is WeChat's menuid. */
export const sandboxOaMenus = pgTable(
  'sandbox_oa_menus',
  {
    menuId: bigserial('menu_id', { mode: 'number' }).primaryKey(),
    appId: text('app_id').notNull(),
    conditional: boolean('conditional').notNull(),
    button: jsonb('button').notNull(),
    matchRule: jsonb('match_rule'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sandbox_oa_menus_app_idx').on(t.appId, t.menuId)],
);

/** What a follower's WeChat shows: passive replies, customer-service and mass messages, notices. */
export const sandboxOaInbox = pgTable(
  'sandbox_oa_inbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    appId: text('app_id').notNull(),
    openId: text('open_id').notNull(),
    source: text('source').notNull(),
    msgType: text('msg_type').notNull(),
    content: jsonb('content').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sandbox_oa_inbox_follower_idx').on(t.appId, t.openId, t.id)],
);

export const sandboxOaMassJobs = pgTable(
  'sandbox_oa_mass_jobs',
  {
    msgId: bigserial('msg_id', { mode: 'number' }).primaryKey(),
    appId: text('app_id').notNull(),
    clientMsgId: text('client_msg_id'),
    msgType: text('msg_type').notNull(),
    target: jsonb('target').notNull(),
    status: text('status').notNull(),
    totalCount: integer('total_count').notNull(),
    filterCount: integer('filter_count').notNull(),
    sentCount: integer('sent_count').notNull(),
    errorCount: integer('error_count').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sandbox_oa_mass_jobs_client_idx').on(t.appId, t.clientMsgId)],
);

/** Temporary media (3 days). */
export const sandboxOaMedia = pgTable('sandbox_oa_media', {
  mediaId: text('media_id').primaryKey(),
  appId: text('app_id').notNull(),
  type: text('type').notNull(),
  filename: text('filename').notNull(),
  contentType: text('content_type').notNull(),
  data: bytea('data').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

export const sandboxOaQrCodes = pgTable(
  'sandbox_oa_qr_codes',
  {
    ticket: text('ticket').primaryKey(),
    appId: text('app_id').notNull(),
    actionName: text('action_name').notNull(),
    sceneId: bigint('scene_id', { mode: 'number' }),
    sceneStr: text('scene_str'),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sandbox_oa_qr_codes_app_idx').on(t.appId, t.actionName)],
);

/** Drafts (草稿箱): `mediaId` is the draft's media_id; `articles` keep WeChat's field names. */
export const sandboxOaDrafts = pgTable(
  'sandbox_oa_drafts',
  {
    mediaId: text('media_id').primaryKey(),
    appId: text('app_id').notNull(),
    articles: jsonb('articles').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sandbox_oa_drafts_app_idx').on(t.appId, t.updatedAt)],
);

/**
 * Publications (发布): one per freepublish/submit, moving from publishing (1)
 * to its verdict; `articles` is the draft as it was submitted, `deletedIdx`
 * the 1-based articles deleted since.
 */
export const sandboxOaPublications = pgTable(
  'sandbox_oa_publications',
  {
    publishId: bigserial('publish_id', { mode: 'number' }).primaryKey(),
    appId: text('app_id').notNull(),
    draftMediaId: text('draft_media_id').notNull(),
    articleId: text('article_id'),
    articles: jsonb('articles').notNull(),
    status: smallint('status').notNull(),
    failIdx: integer('fail_idx').array().notNull().default(sql`'{}'::integer[]`),
    deletedIdx: integer('deleted_idx').array().notNull().default(sql`'{}'::integer[]`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sandbox_oa_publications_app_idx').on(t.appId, t.publishId), index('sandbox_oa_publications_article_idx').on(t.articleId)],
);

/** The verdicts the platform's review will give the next submissions of an account, set through the control API (first in, first used). */
export const sandboxOaReviewVerdicts = pgTable(
  'sandbox_oa_review_verdicts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    appId: text('app_id').notNull(),
    status: smallint('status').notNull(),
    failIdx: integer('fail_idx').array().notNull().default(sql`'{}'::integer[]`),
  },
  (t) => [index('sandbox_oa_review_verdicts_app_idx').on(t.appId, t.id)],
);

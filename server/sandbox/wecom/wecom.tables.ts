import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/** A simulated WeCom corp. `creatorUserid` cannot be deleted (301005). */
export const sandboxWecomCorps = pgTable('sandbox_wecom_corps', {
  corpId: text('corp_id').primaryKey(),
  name: text('name').notNull(),
  creatorUserid: text('creator_userid'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

/**
 * Who holds a secret and receives callbacks: an app (`receiver` = its AgentId),
 * `contacts` (通讯录同步) or `customer-contact` (客户联系). The sandbox plays
 * WeChat, so secrets are kept readable: the control API shows them.
 */
export const sandboxWecomReceivers = pgTable(
  'sandbox_wecom_receivers',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => sandboxWecomCorps.corpId, { onDelete: 'cascade' }),
    receiver: text('receiver').notNull(),
    name: text('name').notNull(),
    secret: text('secret').notNull(),
    token: text('token').notNull(),
    encodingAesKey: text('encoding_aes_key').notNull(),
    callbackUrl: text('callback_url'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.receiver] }), uniqueIndex('sandbox_wecom_receivers_secret_key').on(t.secret)],
);

/** The department tree; the root is id 1 with parent 0. `order` spans [0, 2^32). */
export const sandboxWecomDepartments = pgTable(
  'sandbox_wecom_departments',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => sandboxWecomCorps.corpId, { onDelete: 'cascade' }),
    id: integer('id').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    parentId: integer('parent_id').notNull(),
    order: bigint('order', { mode: 'number' }).notNull(),
    leaders: jsonb('leaders').$type<string[]>().notNull().default([]),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.id] }), index('sandbox_wecom_departments_parent_idx').on(t.corpId, t.parentId)],
);

/** Everything about a member besides its departments; `useridKey` is the lower-cased userid WeCom compares. */
export interface MemberProfile {
  alias?: string;
  position?: string;
  gender?: string;
  bizMail?: string;
  telephone?: string;
  address?: string;
  directLeader?: string[];
  extattr?: Record<string, unknown>;
  externalPosition?: string;
  externalProfile?: Record<string, unknown>;
  enable?: number;
}

export const sandboxWecomMembers = pgTable(
  'sandbox_wecom_members',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => sandboxWecomCorps.corpId, { onDelete: 'cascade' }),
    useridKey: text('userid_key').notNull(),
    userid: text('userid').notNull(),
    name: text('name').notNull(),
    mobile: text('mobile'),
    email: text('email'),
    mainDepartment: integer('main_department').notNull(),
    status: integer('status').notNull(),
    profile: jsonb('profile').$type<MemberProfile>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.corpId, t.useridKey] }),
    uniqueIndex('sandbox_wecom_members_mobile_key').on(t.corpId, t.mobile).where(sql`${t.mobile} is not null`),
    uniqueIndex('sandbox_wecom_members_email_key').on(t.corpId, t.email).where(sql`${t.email} is not null`),
  ],
);

/** A member's place in a department: order inside it and whether it leads it. `position` keeps the list order. */
export const sandboxWecomMemberDepartments = pgTable(
  'sandbox_wecom_member_departments',
  {
    corpId: text('corp_id').notNull(),
    useridKey: text('userid_key').notNull(),
    departmentId: integer('department_id').notNull(),
    position: integer('position').notNull(),
    order: bigint('order', { mode: 'number' }).notNull(),
    isLeader: boolean('is_leader').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.corpId, t.useridKey, t.departmentId] }),
    index('sandbox_wecom_member_departments_dept_idx').on(t.corpId, t.departmentId),
  ],
);

/** External contacts (customers): WeChat users or members of other WeCom corps. */
export const sandboxWecomCustomers = pgTable(
  'sandbox_wecom_customers',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => sandboxWecomCorps.corpId, { onDelete: 'cascade' }),
    externalUserid: text('external_userid').notNull(),
    name: text('name').notNull(),
    type: integer('type').notNull(),
    gender: integer('gender').notNull(),
    unionid: text('unionid'),
    corpName: text('corp_name'),
    position: text('position'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.externalUserid] })],
);

/** A member following a customer, with the member's remark and corp tags on it. */
export const sandboxWecomFollows = pgTable(
  'sandbox_wecom_follows',
  {
    corpId: text('corp_id').notNull(),
    externalUserid: text('external_userid').notNull(),
    useridKey: text('userid_key').notNull(),
    remark: text('remark').notNull().default(''),
    description: text('description').notNull().default(''),
    remarkMobiles: jsonb('remark_mobiles').$type<string[]>().notNull().default([]),
    createdAtS: bigint('created_at_s', { mode: 'number' }).notNull(),
    addWay: integer('add_way').notNull(),
    state: text('state'),
    tagIds: jsonb('tag_ids').$type<string[]>().notNull().default([]),
  },
  (t) => [
    primaryKey({ columns: [t.corpId, t.externalUserid, t.useridKey] }),
    index('sandbox_wecom_follows_member_idx').on(t.corpId, t.useridKey, t.externalUserid),
  ],
);

export interface ContactWaySettings {
  type: number;
  scene: number;
  style?: number;
  remark?: string;
  skip_verify?: boolean;
  state?: string;
  user?: string[];
  party?: number[];
  is_temp?: boolean;
  expires_in?: number;
  chat_expires_in?: number;
  unionid?: string;
  is_exclusive?: boolean;
  conclusions?: Record<string, unknown>;
}

/** 「联系我」 configurations made through the API. */
export const sandboxWecomContactWays = pgTable(
  'sandbox_wecom_contact_ways',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => sandboxWecomCorps.corpId, { onDelete: 'cascade' }),
    configId: text('config_id').notNull(),
    settings: jsonb('settings').$type<ContactWaySettings>().notNull(),
    qrCode: text('qr_code'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.configId] })],
);

/** Welcome codes pushed with add events: usable once, for 20 seconds. */
export const sandboxWecomWelcomeCodes = pgTable('sandbox_wecom_welcome_codes', {
  code: text('code').primaryKey(),
  corpId: text('corp_id')
    .notNull()
    .references(() => sandboxWecomCorps.corpId, { onDelete: 'cascade' }),
  externalUserid: text('external_userid').notNull(),
  userid: text('userid').notNull(),
  issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
});

/** Corp customer tags (企业客户标签) and their groups. `groupId` is null for a group row. */
export const sandboxWecomCorpTags = pgTable(
  'sandbox_wecom_corp_tags',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => sandboxWecomCorps.corpId, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    groupId: text('group_id'),
    name: text('name').notNull(),
    order: bigint('order', { mode: 'number' }).notNull(),
    createdAtS: bigint('created_at_s', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.id] }), index('sandbox_wecom_corp_tags_group_idx').on(t.corpId, t.groupId)],
);

/** What a member or a customer received, oldest first. */
export const sandboxWecomInbox = pgTable(
  'sandbox_wecom_inbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    corpId: text('corp_id')
      .notNull()
      .references(() => sandboxWecomCorps.corpId, { onDelete: 'cascade' }),
    ownerKind: text('owner_kind', { enum: ['member', 'customer'] }).notNull(),
    ownerId: text('owner_id').notNull(),
    /** `app_message`, `passive_reply`, `welcome`. */
    source: text('source').notNull(),
    /** The AgentId or UserID it came from. */
    sender: text('sender').notNull(),
    msgtype: text('msgtype').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sandbox_wecom_inbox_owner_idx').on(t.corpId, t.ownerKind, t.ownerId, t.id)],
);

/** Temporary media (CSV files for batch jobs, images), kept as Base64. */
export const sandboxWecomMedia = pgTable('sandbox_wecom_media', {
  mediaId: text('media_id').primaryKey(),
  corpId: text('corp_id')
    .notNull()
    .references(() => sandboxWecomCorps.corpId, { onDelete: 'cascade' }),
  type: text('type').notNull(),
  filename: text('filename').notNull(),
  contentBase64: text('content_base64').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

export interface BatchRowResult {
  userid?: string;
  partyid?: number;
  action?: number;
  errcode: number;
  errmsg: string;
}

/** Asynchronous batch jobs: status 1 queued, 2 running, 3 done. */
export const sandboxWecomJobs = pgTable('sandbox_wecom_jobs', {
  jobId: text('job_id').primaryKey(),
  corpId: text('corp_id')
    .notNull()
    .references(() => sandboxWecomCorps.corpId, { onDelete: 'cascade' }),
  type: text('type', { enum: ['sync_user', 'replace_user', 'replace_party'] }).notNull(),
  status: integer('status').notNull(),
  mediaId: text('media_id').notNull(),
  /** The receiver whose token started it: its callback gets `batch_job_result` unless `callback` names another. */
  receiver: text('receiver').notNull(),
  callback: jsonb('callback').$type<{ url?: string; token?: string; encodingaeskey?: string } | null>(),
  total: integer('total').notNull().default(0),
  done: integer('done').notNull().default(0),
  result: jsonb('result').$type<BatchRowResult[]>().notNull().default([]),
  errcode: integer('errcode').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});

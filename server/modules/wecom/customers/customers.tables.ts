import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accounts } from '../../system/accounts/accounts.tables';

export const customerStatuses = ['active', 'lost'] as const;
export type CustomerStatus = (typeof customerStatuses)[number];

/** A member's relationship with a customer: current, or how it ended. */
export const followStatuses = ['active', 'deleted_by_member', 'deleted_by_customer', 'ended'] as const;
export type FollowStatus = (typeof followStatuses)[number];

/** Where the company recorded the customer's consent to be contacted and kept on file. */
export interface CustomerConsent {
  givenAt: string;
  source: string;
  note: string;
}

/**
 * A corp's customers (外部联系人), as externalcontact/get and batch/get_by_user
 * describe them, one row however many members follow them.
 *
 * The list filters (member, department subtree, tag, source, remark search)
 * concern the follows, but run on the customer row: `userid_keys`,
 * `department_ids`, `tag_ids`, `states` and `remarks` repeat the follows' values (kept in step in the same
 * transaction as every follow write and every change of a member's
 * departments) so that one GIN index answers each of them without a join,
 * and keyset paging walks `(account_id, first_added_at desc, external_userid desc)`.
 * See docs/wecom-customers.md for how each filter finds its rows at a million customers.
 */
export const wecomCustomers = pgTable(
  'wecom_customers',
  {
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    externalUserid: text('external_userid').notNull(),
    /** WeChat nickname or the other corp member's name; blank until WeCom described the customer. */
    name: text('name').notNull().default(''),
    /** 1 a WeChat user, 2 a member of another WeCom corp. */
    type: integer('type').notNull().default(1),
    avatar: text('avatar'),
    /** 0 unknown, 1 male, 2 female. */
    gender: integer('gender').notNull().default(0),
    corpName: text('corp_name'),
    corpFullName: text('corp_full_name'),
    position: text('position'),
    unionid: text('unionid'),
    /** The earliest follow's time: when the corp first gained this customer. */
    firstAddedAt: timestamp('first_added_at', { withTimezone: true }).notNull(),
    /** `active` while any member still follows the customer; `lost` once none does. */
    status: text('status', { enum: customerStatuses }).notNull().default('active'),
    /** When the last follow ended; the retention period counts from here. */
    lostAt: timestamp('lost_at', { withTimezone: true }),
    /** lower(userid) of every follow, current or ended: scope and the member filter. */
    useridKeys: text('userid_keys').array().notNull().default(sql`'{}'::text[]`),
    /** Corp tag ids on current follows. */
    tagIds: text('tag_ids').array().notNull().default(sql`'{}'::text[]`),
    /** `state` of every follow (the contact-me code's channel): the source filter. */
    states: text('states').array().notNull().default(sql`'{}'::text[]`),
    /**
     * The departments the members of every follow (current or ended, as
     * `userid_keys`) are placed in: the department filter and a dept_admin's
     * reach. Subtrees are expanded when querying, so moving a department in
     * the tree changes nothing here; a member's move refreshes its customers.
     */
    departmentIds: integer('department_ids').array().notNull().default(sql`'{}'::integer[]`),
    consent: jsonb('consent').$type<CustomerConsent | null>(),
    /** When a sync or a callback last read the customer from WeCom. */
    syncedAt: timestamp('synced_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    /** The follows' remarks (current or ended), one per line: what a search reads besides the name. */
    remarks: text('remarks').notNull().default(''),
    /**
     * Every character and every two adjacent characters of the lower-cased name
     * and remarks (`qiao_search_grams`, migration 0027): the GIN index finds a
     * customer whose name or a remark contains the search anywhere, as 伟 in
     * 张伟, without reading every row or any follow.
     */
    searchGrams: text('search_grams').array().generatedAlwaysAs(sql`qiao_search_grams(name || chr(10) || remarks)`),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.externalUserid] }),
    index('wecom_customers_added_idx').on(t.accountId, t.status, t.firstAddedAt.desc(), t.externalUserid.desc()),
    index('wecom_customers_userids_idx').using('gin', t.useridKeys),
    index('wecom_customers_tags_idx').using('gin', t.tagIds),
    index('wecom_customers_states_idx').using('gin', t.states),
    index('wecom_customers_departments_idx').using('gin', t.departmentIds),
    index('wecom_customers_search_idx').using('gin', t.searchGrams),
    index('wecom_customers_lost_idx').on(t.lostAt).where(sql`${t.status} = 'lost'`),
  ],
);

/** What a customer is found by in `wecom_customer_keys`. */
export const customerKeyKinds = ['source', 'tag'] as const;
export type CustomerKeyKind = (typeof customerKeyKinds)[number];

/**
 * The source and tag filters as an index in the list's own order: one row per
 * (customer, value of `states` or `tag_ids`), keyed by first-added time. A
 * list filtered by a source or a tag walks that value's rows newest first and
 * reads each customer by its key, so a page costs what it shows plus the rows
 * the other filters turn away, however many customers there are. The GIN
 * indexes cannot give rows in order, and the newest-first index of all
 * customers passes every customer without that value.
 *
 * Written only by triggers on `wecom_customers` (migration
 * 0024_customer-keys), so no write of the customer row can leave it behind.
 */
export const wecomCustomerKeys = pgTable(
  'wecom_customer_keys',
  {
    // No foreign key: rows come and go with their customer row, which has one (a check per key row would slow bulk writes for nothing).
    accountId: uuid('account_id').notNull(),
    kind: text('kind', { enum: customerKeyKinds }).notNull(),
    key: text('key').notNull(),
    firstAddedAt: timestamp('first_added_at', { withTimezone: true }).notNull(),
    externalUserid: text('external_userid').notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.kind, t.key, t.firstAddedAt, t.externalUserid] })],
);

/**
 * Who follows whom: one row per (customer, member), with what the member
 * wrote about the customer (remark, description, phone numbers, tags) and
 * how the customer came (add_way, the code's `state`). An ended follow keeps
 * its row until the retention period passes.
 */
export const wecomCustomerFollows = pgTable(
  'wecom_customer_follows',
  {
    accountId: uuid('account_id').notNull(),
    externalUserid: text('external_userid').notNull(),
    userid: text('userid').notNull(),
    remark: text('remark').notNull().default(''),
    description: text('description').notNull().default(''),
    remarkCorpName: text('remark_corp_name').notNull().default(''),
    remarkMobiles: text('remark_mobiles').array().notNull().default(sql`'{}'::text[]`),
    tagIds: text('tag_ids').array().notNull().default(sql`'{}'::text[]`),
    /** WeCom's add_way: 0 unknown, 1 QR code, 2 phone search, 3 card share, 201 assigned by admin… */
    addWay: integer('add_way').notNull().default(0),
    /** The contact-me code's `state`: the channel this customer came through. */
    state: text('state'),
    operUserid: text('oper_userid'),
    /** WeCom's createtime of this follow. */
    addedAt: timestamp('added_at', { withTimezone: true }).notNull(),
    status: text('status', { enum: followStatuses }).notNull().default('active'),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    /** A full sync marks what it saw; follows it did not see have ended. */
    seenAt: timestamp('seen_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.externalUserid, t.userid] }),
    index('wecom_customer_follows_member_idx').on(t.accountId, sql`lower(${t.userid})`, t.addedAt.desc()),
    index('wecom_customer_follows_ended_idx').on(t.endedAt).where(sql`${t.status} <> 'active'`),
  ],
);

/** Kinds of timeline entries; other modules add their own through `recordTimelineEvent`. */
export const timelineKinds = [
  'added',
  'half_added',
  'edited',
  'tags_changed',
  'deleted_by_member',
  'deleted_by_customer',
  'ended',
  'transfer_failed',
  'remark_updated',
  'consent_updated',
  'welcome_sent',
  'welcome_failed',
  'transferred',
  'follow_up',
] as const;
export type TimelineKind = (typeof timelineKinds)[number];

/**
 * What happened to a customer, oldest to newest. `dedupe_key` makes a write
 * that may come twice (a callback WeCom repeats, a sync after the callback)
 * land once.
 */
export const wecomCustomerEvents = pgTable(
  'wecom_customer_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    externalUserid: text('external_userid').notNull(),
    userid: text('userid'),
    kind: text('kind').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    dedupeKey: text('dedupe_key'),
    /** Who in Qiao did it; null for WeCom's events. */
    actorUserId: uuid('actor_user_id'),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    /** Keeps entries of one instant in the order they were written. */
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
  },
  (t) => [
    index('wecom_customer_events_customer_idx').on(t.accountId, t.externalUserid, t.occurredAt, t.seq),
    uniqueIndex('wecom_customer_events_dedupe_key').on(t.accountId, t.externalUserid, t.dedupeKey).where(sql`${t.dedupeKey} is not null`),
  ],
);

/** One row per export, for the per-user daily cap (the audit log keeps the what). */
export const wecomCustomerExports = pgTable(
  'wecom_customer_exports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    rows: integer('rows').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('wecom_customer_exports_user_idx').on(t.userId, t.createdAt)],
);

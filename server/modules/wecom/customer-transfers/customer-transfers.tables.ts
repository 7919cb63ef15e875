import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { accounts } from '../../system/accounts/accounts.tables';

export const transferKinds = ['on_duty', 'resigned'] as const;
/**
 * A customer's part in a transfer: `skipped` Qiao did not ask WeCom (a rule
 * said no), `pending` WeCom started it (24 h wait), then `accepted`,
 * `refused` (by the customer), `limit` (the takeover member is full) or
 * `failed` (WeCom answered an errcode at call time).
 */
export const transferItemStatuses = ['skipped', 'pending', 'accepted', 'refused', 'limit', 'failed'] as const;
export type TransferItemStatus = (typeof transferItemStatuses)[number];

/** One transfer request: customers of one member handed to another (在职继承 / 离职继承). */
export const wecomCustomerTransfers = pgTable(
  'wecom_customer_transfers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: transferKinds }).notNull(),
    handoverUserid: text('handover_userid').notNull(),
    takeoverUserid: text('takeover_userid').notNull(),
    message: text('message'),
    /** The bulk resigned handover's job; null for transfers made in one request. */
    jobId: text('job_id'),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('wecom_customer_transfers_account_idx').on(t.accountId, t.createdAt)],
);

export const wecomCustomerTransferItems = pgTable(
  'wecom_customer_transfer_items',
  {
    transferId: uuid('transfer_id')
      .notNull()
      .references(() => wecomCustomerTransfers.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id').notNull(),
    kind: text('kind', { enum: transferKinds }).notNull(),
    handoverUserid: text('handover_userid').notNull(),
    takeoverUserid: text('takeover_userid').notNull(),
    externalUserid: text('external_userid').notNull(),
    status: text('status', { enum: transferItemStatuses }).notNull(),
    /** Why it was skipped (`pending`, `limit_90_days`, …) or WeCom's errcode. */
    reason: text('reason'),
    errcode: integer('errcode'),
    /** When WeCom accepted the call (the 24 h and the 90 days count from here). */
    startedAt: timestamp('started_at', { withTimezone: true }),
    /** WeCom's takeover time: when it happened, or when it will while waiting. */
    takeoverAt: timestamp('takeover_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.transferId, t.externalUserid] }),
    index('wecom_customer_transfer_items_customer_idx').on(t.accountId, t.externalUserid),
    index('wecom_customer_transfer_items_pending_idx').on(t.accountId, t.status, t.kind, t.handoverUserid, t.takeoverUserid),
  ],
);

import { bigserial, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { sandboxWecomCorps } from './wecom.tables';

/**
 * Customer transfers (在职继承 `on_duty`, 离职继承 `resigned`): status 2 waiting,
 * 1 taken over, 3 refused by the customer, 4 the takeover member is full.
 * A waiting transfer completes at `takeoverAt` (24 h after the call).
 */
export const sandboxWecomTransfers = pgTable(
  'sandbox_wecom_transfers',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    corpId: text('corp_id')
      .notNull()
      .references(() => sandboxWecomCorps.corpId, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['on_duty', 'resigned'] }).notNull(),
    handoverKey: text('handover_key').notNull(),
    handoverUserid: text('handover_userid').notNull(),
    takeoverKey: text('takeover_key').notNull(),
    takeoverUserid: text('takeover_userid').notNull(),
    externalUserid: text('external_userid').notNull(),
    status: integer('status').notNull(),
    message: text('message'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    takeoverAt: timestamp('takeover_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('sandbox_wecom_transfers_customer_idx').on(t.corpId, t.externalUserid),
    index('sandbox_wecom_transfers_pair_idx').on(t.corpId, t.kind, t.handoverKey, t.takeoverKey, t.id),
    index('sandbox_wecom_transfers_due_idx').on(t.corpId, t.status, t.takeoverAt),
  ],
);

/** Customers a member had when they left (离职), until given to someone (get_unassigned_list). */
export const sandboxWecomUnassigned = pgTable(
  'sandbox_wecom_unassigned',
  {
    corpId: text('corp_id')
      .notNull()
      .references(() => sandboxWecomCorps.corpId, { onDelete: 'cascade' }),
    handoverKey: text('handover_key').notNull(),
    handoverUserid: text('handover_userid').notNull(),
    externalUserid: text('external_userid').notNull(),
    dimissionAt: timestamp('dimission_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.corpId, t.handoverKey, t.externalUserid] })],
);

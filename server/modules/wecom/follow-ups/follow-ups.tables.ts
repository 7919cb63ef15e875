import { customType, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { accounts } from '../../system/accounts/accounts.tables';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

export const followUpStages = ['initial_contact', 'needs_confirmed', 'proposal', 'negotiation', 'won', 'lost'] as const;
export type FollowUpStageValue = (typeof followUpStages)[number];
export const reminderStates = ['none', 'pending', 'sent', 'failed', 'cancelled'] as const;
export type ReminderStateValue = (typeof reminderStates)[number];

/**
 * 跟进记录: a note a member (or an admin for them) writes on one of the
 * member's customers. `userid` is the WeCom member whose customer it is:
 * every scope check is on it. The customer's name is cached from
 * externalcontact/get when the record is written, so lists never call WeCom.
 */
export const wecomFollowUps = pgTable(
  'wecom_follow_ups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    externalUserId: text('external_user_id').notNull(),
    userid: text('userid').notNull(),
    customerName: text('customer_name').notNull(),
    note: text('note').notNull(),
    stage: text('stage', { enum: followUpStages }).notNull(),
    nextContactAt: timestamp('next_contact_at', { withTimezone: true }),
    reminderState: text('reminder_state', { enum: reminderStates }).notNull().default('none'),
    reminderSentAt: timestamp('reminder_sent_at', { withTimezone: true }),
    reminderError: text('reminder_error'),
    createdBy: uuid('created_by'),
    createdByName: text('created_by_name'),
    updatedBy: uuid('updated_by'),
    updatedByName: text('updated_by_name'),
    revision: integer('revision').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('wecom_follow_ups_customer_idx').on(t.accountId, t.externalUserId, t.createdAt),
    index('wecom_follow_ups_member_idx').on(t.accountId, t.userid, t.createdAt),
    index('wecom_follow_ups_created_idx').on(t.accountId, t.createdAt, t.id),
    // The scheduler's scan: only records whose reminder still waits.
    index('wecom_follow_ups_due_idx').on(t.nextContactAt).where(sql`${t.reminderState} = 'pending'`),
  ],
);

/** The values a record had before each edit: 跟进记录 keep their history. */
export const wecomFollowUpRevisions = pgTable(
  'wecom_follow_up_revisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    followUpId: uuid('follow_up_id')
      .notNull()
      .references(() => wecomFollowUps.id, { onDelete: 'cascade' }),
    revision: integer('revision').notNull(),
    note: text('note').notNull(),
    stage: text('stage', { enum: followUpStages }).notNull(),
    nextContactAt: timestamp('next_contact_at', { withTimezone: true }),
    /** Who wrote this revision and when (the record's updatedBy/updatedAt at the time). */
    writtenBy: uuid('written_by'),
    writtenByName: text('written_by_name'),
    writtenAt: timestamp('written_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('wecom_follow_up_revisions_record_idx').on(t.followUpId, t.revision)],
);

/**
 * Files attached to a record, kept in the database: they go with its backups
 * and its transactions (deleting a record deletes them), and the size cap
 * keeps the table small enough for that.
 */
export const wecomFollowUpAttachments = pgTable(
  'wecom_follow_up_attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    followUpId: uuid('follow_up_id')
      .notNull()
      .references(() => wecomFollowUps.id, { onDelete: 'cascade' }),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    content: bytea('content').notNull(),
    uploadedBy: uuid('uploaded_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('wecom_follow_up_attachments_record_idx').on(t.followUpId)],
);

export type FollowUpRow = typeof wecomFollowUps.$inferSelect;
export type FollowUpRevisionRow = typeof wecomFollowUpRevisions.$inferSelect;
export type FollowUpAttachmentRow = typeof wecomFollowUpAttachments.$inferSelect;

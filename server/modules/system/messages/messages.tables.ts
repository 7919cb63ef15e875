import { boolean, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { accounts } from '../accounts/accounts.tables';

/** How the answer to one push went out: passively in the HTTP answer, later through WeChat's API, or not at all. */
export type LateDelivery =
  | { status: 'sent'; at: string }
  | { status: 'failed'; at: string; code: string; errcode?: number; errmsg?: string };

/**
 * Every message and event WeChat pushed, once per deduplication key and
 * account: the unique key is what makes processing happen exactly once
 * across retries and instances. Holds the decrypted fields, never the
 * ciphertext; `replyXml` is the plaintext passive reply, re-sealed for a
 * duplicate delivery.
 */
export const callbackMessages = pgTable(
  'callback_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    receiver: text('receiver').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    /** `official-account.text`, `wecom.change_contact.create_user`, `<product>.unknown`… */
    type: text('type').notNull(),
    msgType: text('msg_type').notNull(),
    event: text('event'),
    /** OpenID, UserID or `sys`. */
    fromUser: text('from_user').notNull(),
    /** The text of a text message, for search. */
    content: text('content'),
    fields: jsonb('fields').$type<Record<string, unknown>>().notNull(),
    state: text('state', { enum: ['processing', 'done', 'failed'] }).notNull(),
    replyXml: text('reply_xml'),
    replySummary: jsonb('reply_summary').$type<Record<string, unknown> | null>(),
    handledLate: boolean('handled_late').notNull().default(false),
    lateDelivery: jsonb('late_delivery').$type<LateDelivery | null>(),
    failure: text('failure'),
    processingMs: integer('processing_ms'),
    /**
     * While `processing`: until when the process handling it holds it (renewed
     * while its handlers run). A row left `processing` past it was abandoned
     * by a crash, and the next delivery of the push takes it over.
     */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    createTime: timestamp('create_time', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    unique('callback_messages_dedupe_key').on(t.accountId, t.dedupeKey),
    index('callback_messages_account_received_idx').on(t.accountId, t.receivedAt, t.id),
  ],
);

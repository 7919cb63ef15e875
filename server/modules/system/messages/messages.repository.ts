import { and, desc, eq, gte, ilike, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/client';
import { callbackMessages, type LateDelivery } from './messages.tables';
import { createWriteBatcher } from '../../../platform/db/write-batcher';
import { compactFields, fullFields } from './stored-fields';

export type MessageRow = typeof callbackMessages.$inferSelect;
export type NewMessageRow = typeof callbackMessages.$inferInsert;

export interface MessageListFilter {
  accountId: string;
  type?: string;
  fromUser?: string;
  since?: Date;
  until?: Date;
  q?: string;
  before?: { receivedAt: Date; id: string };
  limit: number;
}

export interface MessagesRepository {
  /** Inserts the row unless one with its account and dedupe key exists; its id, or null when it did. */
  claim(row: NewMessageRow): Promise<{ id: string } | null>;
  findByKey(accountId: string, dedupeKey: string): Promise<MessageRow | null>;
  /** Dedupe keys of an account's pushes received since a time, newest first. */
  recentKeys(accountId: string, since: Date): Promise<string[]>;
  findById(accountId: string, id: string): Promise<MessageRow | null>;
  finish(id: string, changes: Pick<NewMessageRow, 'state' | 'replyXml' | 'replySummary' | 'handledLate' | 'failure' | 'processingMs'>): Promise<void>;
  /** Extends the lease of rows still `processing` (their handlers still run here). */
  renewLeases(ids: string[]): Promise<void>;
  /** Takes a `processing` row whose lease ran out; its id, or null when it is finished or still held. */
  takeOver(id: string): Promise<{ id: string } | null>;
  recordLateDelivery(id: string, delivery: LateDelivery): Promise<void>;
  list(filter: MessageListFilter): Promise<MessageRow[]>;
  count(filter: MessageListFilter): Promise<number>;
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function conditions(filter: MessageListFilter) {
  return and(
    eq(callbackMessages.accountId, filter.accountId),
    filter.type ? eq(callbackMessages.type, filter.type) : undefined,
    filter.fromUser ? eq(callbackMessages.fromUser, filter.fromUser) : undefined,
    filter.since ? gte(callbackMessages.receivedAt, filter.since) : undefined,
    filter.until ? lte(callbackMessages.receivedAt, filter.until) : undefined,
    filter.q ? ilike(callbackMessages.content, `%${escapeLike(filter.q)}%`) : undefined,
  );
}

type Finish = Parameters<MessagesRepository['finish']>[1] & { id: string };

/**
 * How long a `processing` row stays held without renewal: above the longest
 * callback budget (4.9 s), so a push handled in time needs none, and short
 * enough that WeChat's retries (about 5, 10 and 15 s after the first
 * delivery) find a crashed process's row free. The clock is the database's,
 * shared by every instance.
 */
export const PROCESSING_LEASE_S = 8;
const lease = sql.raw(`now() + interval '${PROCESSING_LEASE_S} seconds'`);
// Rows from before leases existed: held for a minute after they arrived.
const leaseOf = sql.raw(`coalesce(lease_until, received_at + interval '60 seconds')`);

/** A row as `jsonb_to_recordset` reads it: snake_case keys, timestamps as ISO text. */
function recordOf(row: NewMessageRow): Record<string, unknown> {
  return {
    account_id: row.accountId,
    receiver: row.receiver,
    dedupe_key: row.dedupeKey,
    type: row.type,
    msg_type: row.msgType,
    event: row.event ?? null,
    from_user: row.fromUser,
    content: row.content ?? null,
    fields: compactFields(row.fields, { type: row.type, fromUser: row.fromUser, createTime: row.createTime, content: row.content ?? null }),
    state: row.state,
    reply_xml: row.replyXml ?? null,
    reply_summary: row.replySummary ?? null,
    handled_late: row.handledLate ?? false,
    failure: row.failure ?? null,
    processing_ms: row.processingMs ?? null,
    create_time: row.createTime.toISOString(),
    received_at: row.receivedAt.toISOString(),
  };
}

/** A row as readers see it: its fields whole again (see stored-fields). */
function completed(row: MessageRow): MessageRow {
  return { ...row, fields: fullFields(row.fields, row) };
}

export function createMessagesRepository(db: Db): MessagesRepository & { drain(): Promise<void> } {
  // The callback path writes through these two statements only. Each takes its
  // whole batch as one JSON parameter: building a multi-row insert through the
  // query builder cost more CPU than the rest of a callback, and returning whole
  // rows parsed every stored message back. Only the ids come back.
  const claimBatch = createWriteBatcher(async (rows: NewMessageRow[]) => {
    const result = await db.execute<{ id: string; account_id: string; dedupe_key: string }>(sql`
      insert into ${callbackMessages} (account_id, receiver, dedupe_key, type, msg_type, event, from_user, content, fields, state,
        reply_xml, reply_summary, handled_late, failure, processing_ms, create_time, received_at, lease_until)
      select account_id, receiver, dedupe_key, type, msg_type, event, from_user, content, fields, state,
        reply_xml, reply_summary, handled_late, failure, processing_ms, create_time, received_at,
        case when state = 'processing' then ${lease} end
      from jsonb_to_recordset(${JSON.stringify(rows.map(recordOf))}::jsonb) as r(account_id uuid, receiver text, dedupe_key text, type text,
        msg_type text, event text, from_user text, content text, fields jsonb, state text, reply_xml text, reply_summary jsonb,
        handled_late boolean, failure text, processing_ms int, create_time timestamptz, received_at timestamptz)
      on conflict (account_id, dedupe_key) do nothing
      returning id, account_id, dedupe_key`);
    const byKey = new Map(result.rows.map((row) => [`${row.account_id}|${row.dedupe_key}`, { id: row.id }]));
    return rows.map((row) => byKey.get(`${row.accountId}|${row.dedupeKey}`) ?? null);
  });
  const finishBatch = createWriteBatcher(async (changes: Finish[]) => {
    const records = changes.map((c) => ({
      id: c.id,
      state: c.state,
      reply_xml: c.replyXml ?? null,
      reply_summary: c.replySummary ?? null,
      handled_late: c.handledLate ?? false,
      failure: c.failure ?? null,
      processing_ms: c.processingMs ?? null,
    }));
    await db.execute(sql`
      update ${callbackMessages} as m
      set state = v.state, reply_xml = v.reply_xml, reply_summary = v.reply_summary, handled_late = v.handled_late, failure = v.failure,
        processing_ms = v.processing_ms, lease_until = null
      from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as v(id uuid, state text, reply_xml text, reply_summary jsonb, handled_late boolean, failure text, processing_ms int)
      where m.id = v.id`);
    return changes.map(() => undefined);
  });
  return {
    claim: claimBatch,
    async drain() {
      await Promise.all([claimBatch.drain(), finishBatch.drain()]);
    },
    async findByKey(accountId, dedupeKey) {
      const [row] = await db
        .select()
        .from(callbackMessages)
        .where(and(eq(callbackMessages.accountId, accountId), eq(callbackMessages.dedupeKey, dedupeKey)))
        .limit(1);
      return row ? completed(row) : null;
    },
    async recentKeys(accountId, since) {
      const rows = await db
        .select({ dedupeKey: callbackMessages.dedupeKey })
        .from(callbackMessages)
        .where(and(eq(callbackMessages.accountId, accountId), gte(callbackMessages.receivedAt, since)))
        .orderBy(desc(callbackMessages.receivedAt))
        .limit(200_000);
      return rows.map((row) => row.dedupeKey);
    },
    async findById(accountId, id) {
      const [row] = await db
        .select()
        .from(callbackMessages)
        .where(and(eq(callbackMessages.accountId, accountId), eq(callbackMessages.id, id)))
        .limit(1);
      return row ? completed(row) : null;
    },
    async finish(id, changes) {
      await finishBatch({ ...changes, id });
    },
    async renewLeases(ids) {
      if (ids.length === 0) return;
      await db.execute(sql`
        update ${callbackMessages} set lease_until = ${lease}
        where id = any(${`{${ids.join(',')}}`}::uuid[]) and state = 'processing'`);
    },
    async takeOver(id) {
      const result = await db.execute<{ id: string }>(sql`
        update ${callbackMessages} set lease_until = ${lease}
        where id = ${id} and state = 'processing' and ${leaseOf} < now()
        returning id`);
      return result.rows[0] ?? null;
    },
    async recordLateDelivery(id, delivery) {
      await db.update(callbackMessages).set({ lateDelivery: delivery }).where(eq(callbackMessages.id, id));
    },
    async list(filter) {
      const before = filter.before
        ? or(
            lt(callbackMessages.receivedAt, filter.before.receivedAt),
            and(eq(callbackMessages.receivedAt, filter.before.receivedAt), lt(callbackMessages.id, filter.before.id)),
          )
        : undefined;
      const rows = await db
        .select()
        .from(callbackMessages)
        .where(and(conditions(filter), before))
        .orderBy(desc(callbackMessages.receivedAt), desc(callbackMessages.id))
        .limit(filter.limit);
      return rows.map(completed);
    },
    async count(filter) {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(callbackMessages).where(conditions(filter));
      return Number(row?.n ?? 0);
    },
  };
}

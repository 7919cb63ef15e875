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

/**
 * A row as the batch insert reads it: a JSON array in the order of `claimColumns`, timestamps as ISO
 * text. Arrays rather than objects: the key names were a sixth of every row's bytes on the wire.
 */
function recordOf(row: NewMessageRow): unknown[] {
  return [
    row.accountId,
    row.receiver,
    row.dedupeKey,
    row.type,
    row.msgType,
    row.event ?? null,
    row.fromUser,
    row.content ?? null,
    compactFields(row.fields, { type: row.type, fromUser: row.fromUser, createTime: row.createTime, content: row.content ?? null }),
    row.state,
    row.replyXml ?? null,
    row.replySummary ?? null,
    row.handledLate ?? false,
    row.failure ?? null,
    row.processingMs ?? null,
    row.createTime.toISOString(),
    row.receivedAt.toISOString(),
  ];
}

// Element i of a batch row, as SQL of its column's type. JSON null reads as SQL null for every type.
const textAt = (i: number) => sql.raw(`(r->>${i})`);
const jsonAt = (i: number) => sql.raw(`nullif(r->${i}, 'null'::jsonb)`);
const castAt = (i: number, type: string) => sql.raw(`(r->>${i})::${type}`);

/** A row as readers see it: its fields whole again (see stored-fields). */
function completed(row: MessageRow): MessageRow {
  return { ...row, fields: fullFields(row.fields, row) };
}

export function createMessagesRepository(db: Db): MessagesRepository & { drain(): Promise<void> } {
  // The callback path writes through these two statements only. Each takes its
  // whole batch as one JSON parameter (an array of arrays): building a multi-row insert through the
  // query builder cost more CPU than the rest of a callback, and returning whole
  // rows parsed every stored message back. Only the ids come back.
  const claimBatch = createWriteBatcher(async (rows: NewMessageRow[]) => {
    const result = await db.execute<{ id: string; account_id: string; dedupe_key: string }>(sql`
      insert into ${callbackMessages} (account_id, receiver, dedupe_key, type, msg_type, event, from_user, content, fields, state,
        reply_xml, reply_summary, handled_late, failure, processing_ms, create_time, received_at, lease_until)
      select ${castAt(0, 'uuid')}, ${textAt(1)}, ${textAt(2)}, ${textAt(3)}, ${textAt(4)}, ${textAt(5)}, ${textAt(6)}, ${textAt(7)},
        ${jsonAt(8)}, ${textAt(9)}, ${textAt(10)}, ${jsonAt(11)}, ${castAt(12, 'boolean')}, ${textAt(13)}, ${castAt(14, 'int')},
        ${castAt(15, 'timestamptz')}, ${castAt(16, 'timestamptz')},
        case when r->>9 = 'processing' then ${lease} end
      from jsonb_array_elements(${JSON.stringify(rows.map(recordOf))}::jsonb) as r
      on conflict (account_id, dedupe_key) do nothing
      returning id, account_id, dedupe_key`);
    const byKey = new Map(result.rows.map((row) => [`${row.account_id}|${row.dedupe_key}`, { id: row.id }]));
    return rows.map((row) => byKey.get(`${row.accountId}|${row.dedupeKey}`) ?? null);
  });
  const finishBatch = createWriteBatcher(async (changes: Finish[]) => {
    const records = changes.map((c) => [c.id, c.state, c.replyXml ?? null, c.replySummary ?? null, c.handledLate ?? false, c.failure ?? null, c.processingMs ?? null]);
    await db.execute(sql`
      update ${callbackMessages} as m
      set state = ${textAt(1)}, reply_xml = ${textAt(2)}, reply_summary = ${jsonAt(3)}, handled_late = ${castAt(4, 'boolean')},
        failure = ${textAt(5)}, processing_ms = ${castAt(6, 'int')}, lease_until = null
      from jsonb_array_elements(${JSON.stringify(records)}::jsonb) as r
      where m.id = ${castAt(0, 'uuid')}`);
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

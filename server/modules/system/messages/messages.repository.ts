import { and, desc, eq, gte, ilike, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/client';
import { callbackMessages, type LateDelivery } from './messages.tables';
import { createWriteBatcher } from './write-batcher';

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
  /** Inserts the row unless one with its account and dedupe key exists; null when it did. */
  claim(row: NewMessageRow): Promise<MessageRow | null>;
  findByKey(accountId: string, dedupeKey: string): Promise<MessageRow | null>;
  /** Dedupe keys of an account's pushes received since a time, newest first. */
  recentKeys(accountId: string, since: Date): Promise<string[]>;
  findById(accountId: string, id: string): Promise<MessageRow | null>;
  finish(id: string, changes: Pick<NewMessageRow, 'state' | 'replyXml' | 'replySummary' | 'handledLate' | 'failure' | 'processingMs'>): Promise<void>;
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

export function createMessagesRepository(db: Db): MessagesRepository {
  // Log rows and late finishes of callbacks arriving together share one statement each.
  const claimBatch = createWriteBatcher(async (rows: NewMessageRow[]) => {
    const inserted = await db
      .insert(callbackMessages)
      .values(rows)
      .onConflictDoNothing({ target: [callbackMessages.accountId, callbackMessages.dedupeKey] })
      .returning();
    const byKey = new Map(inserted.map((row) => [`${row.accountId}|${row.dedupeKey}`, row]));
    return rows.map((row) => byKey.get(`${row.accountId}|${row.dedupeKey}`) ?? null);
  });
  const finishBatch = createWriteBatcher(async (changes: Finish[]) => {
    const values = sql.join(
      changes.map(
        (c) =>
          sql`(${c.id}::uuid, ${c.state}::text, ${c.replyXml ?? null}::text, ${c.replySummary ? JSON.stringify(c.replySummary) : null}::jsonb, ${c.handledLate ?? false}::boolean, ${c.failure ?? null}::text, ${c.processingMs ?? null}::int)`,
      ),
      sql`, `,
    );
    await db.execute(sql`
      update ${callbackMessages} as m
      set state = v.state, reply_xml = v.reply_xml, reply_summary = v.reply_summary, handled_late = v.handled_late, failure = v.failure, processing_ms = v.processing_ms
      from (values ${values}) as v(id, state, reply_xml, reply_summary, handled_late, failure, processing_ms)
      where m.id = v.id`);
    return changes.map(() => undefined);
  });
  return {
    claim: claimBatch,
    async findByKey(accountId, dedupeKey) {
      const [row] = await db
        .select()
        .from(callbackMessages)
        .where(and(eq(callbackMessages.accountId, accountId), eq(callbackMessages.dedupeKey, dedupeKey)))
        .limit(1);
      return row ?? null;
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
      return row ?? null;
    },
    async finish(id, changes) {
      await finishBatch({ ...changes, id });
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
      return db
        .select()
        .from(callbackMessages)
        .where(and(conditions(filter), before))
        .orderBy(desc(callbackMessages.receivedAt), desc(callbackMessages.id))
        .limit(filter.limit);
    },
    async count(filter) {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(callbackMessages).where(conditions(filter));
      return Number(row?.n ?? 0);
    },
  };
}

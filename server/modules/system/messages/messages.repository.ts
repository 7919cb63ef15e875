import { and, desc, eq, gte, ilike, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/client';
import { callbackMessages, type LateDelivery } from './messages.tables';

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

export function createMessagesRepository(db: Db): MessagesRepository {
  return {
    async claim(row) {
      const [inserted] = await db
        .insert(callbackMessages)
        .values(row)
        .onConflictDoNothing({ target: [callbackMessages.accountId, callbackMessages.dedupeKey] })
        .returning();
      return inserted ?? null;
    },
    async findByKey(accountId, dedupeKey) {
      const [row] = await db
        .select()
        .from(callbackMessages)
        .where(and(eq(callbackMessages.accountId, accountId), eq(callbackMessages.dedupeKey, dedupeKey)))
        .limit(1);
      return row ?? null;
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
      await db.update(callbackMessages).set(changes).where(eq(callbackMessages.id, id));
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

import { and, asc, desc, eq, gt, ilike, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { Db } from '../../../platform/db/client';
import { createWriteBatcher } from '../../../platform/db/write-batcher';
import { users } from '../../system/users/users.tables';
import { oaConversationMessages, oaConversationResponses, oaConversations, oaQuickReplies } from './inbox.tables';

export type ConversationRow = typeof oaConversations.$inferSelect;
export type MessageRow = typeof oaConversationMessages.$inferSelect;
export type ResponseRow = typeof oaConversationResponses.$inferSelect;
export type QuickReplyRow = typeof oaQuickReplies.$inferSelect;

export interface IncomingMessage {
  accountId: string;
  openId: string;
  msgType: string;
  text: string | null;
  preview: string;
  payload: Record<string, unknown>;
  wechatMsgId: string | null;
  at: Date;
}

export function createInboxRepository(db: Db) {
  /** One message in its own transaction. */
  async function recordOne(message: IncomingMessage): Promise<boolean> {
    return db.transaction(async (tx) => {
      const [conversation] = await tx
        .insert(oaConversations)
        .values({
          accountId: message.accountId,
          openId: message.openId,
          state: 'open',
          unreadCount: 0,
          lastMessageAt: message.at,
          lastMessagePreview: '',
          lastDirection: 'in',
          createdAt: message.at,
        })
        .onConflictDoUpdate({ target: [oaConversations.accountId, oaConversations.openId], set: { accountId: sql`excluded.account_id` } })
        .returning({ id: oaConversations.id });
      if (!conversation) throw new Error('conversation not stored');
      const inserted = await tx
        .insert(oaConversationMessages)
        .values({
          conversationId: conversation.id,
          accountId: message.accountId,
          direction: 'in',
          msgType: message.msgType,
          text: message.text,
          payload: message.payload,
          wechatMsgId: message.wechatMsgId,
          createdAt: message.at,
        })
        .onConflictDoNothing()
        .returning({ id: oaConversationMessages.id });
      if (inserted.length === 0) return false;
      await tx
        .update(oaConversations)
        .set({
          state: 'open',
          closedAt: null,
          unreadCount: sql`${oaConversations.unreadCount} + 1`,
          waitingSince: sql`coalesce(${oaConversations.waitingSince}, ${message.at.toISOString()}::timestamptz)`,
          lastIncomingAt: sql`greatest(${oaConversations.lastIncomingAt}, ${message.at.toISOString()}::timestamptz)`,
          lastMessageAt: sql`greatest(${oaConversations.lastMessageAt}, ${message.at.toISOString()}::timestamptz)`,
          lastMessagePreview: message.preview,
          lastDirection: 'in',
        })
        .where(eq(oaConversations.id, conversation.id));
      return true;
    });
  }

  /**
   * Messages of one moment in one transaction of three statements (conversations, messages,
   * conversation updates) instead of five statements each: under load every follower message
   * came with its own transaction, and the embedded database runs one transaction at a time.
   */
  async function recordMany(messages: IncomingMessage[]): Promise<boolean[]> {
    const rows = messages.map((m, ord) => ({
      id: randomUUID(),
      ord,
      account_id: m.accountId,
      open_id: m.openId,
      msg_type: m.msgType,
      text: m.text,
      payload: m.payload,
      wechat_msg_id: m.wechatMsgId,
      at: m.at.toISOString(),
    }));
    const json = JSON.stringify(rows);
    const inserted = await db.transaction(async (tx) => {
      await tx.execute(sql`
        insert into ${oaConversations} (account_id, open_id, state, unread_count, last_message_at, last_message_preview, last_direction, created_at)
        select distinct on (account_id, open_id) account_id, open_id, 'open', 0, at, '', 'in', at
        from jsonb_to_recordset(${json}::jsonb) as r(account_id uuid, open_id text, at timestamptz)
        order by account_id, open_id, at
        on conflict (account_id, open_id) do nothing`);
      const stored = await tx.execute<{ id: string; conversation_id: string }>(sql`
        insert into ${oaConversationMessages} (id, conversation_id, account_id, direction, msg_type, text, payload, wechat_msg_id, created_at)
        select r.id, c.id, r.account_id, 'in', r.msg_type, r.text, r.payload, r.wechat_msg_id, r.at
        from jsonb_to_recordset(${json}::jsonb) as r(id uuid, ord int, account_id uuid, open_id text, msg_type text, text text, payload jsonb, wechat_msg_id text, at timestamptz)
        join ${oaConversations} c on c.account_id = r.account_id and c.open_id = r.open_id
        order by r.ord
        on conflict do nothing
        returning id, conversation_id`);
      const conversationOf = new Map(stored.rows.map((row) => [row.id, row.conversation_id]));
      // Per conversation, as the messages would have left it one after the other: the first starts the wait, the last is the preview.
      const updates = new Map<string, { id: string; n: number; first_at: string; last_at: string; preview: string }>();
      rows.forEach((row, i) => {
        const conversationId = conversationOf.get(row.id);
        if (!conversationId) return;
        const preview = messages[i]!.preview;
        const update = updates.get(conversationId);
        if (!update) updates.set(conversationId, { id: conversationId, n: 1, first_at: row.at, last_at: row.at, preview });
        else {
          update.n++;
          if (row.at > update.last_at) update.last_at = row.at;
          update.preview = preview;
        }
      });
      if (updates.size > 0) {
        await tx.execute(sql`
          update ${oaConversations} as c
          set state = 'open', closed_at = null, unread_count = c.unread_count + v.n,
            waiting_since = coalesce(c.waiting_since, v.first_at),
            last_incoming_at = greatest(c.last_incoming_at, v.last_at),
            last_message_at = greatest(c.last_message_at, v.last_at),
            last_message_preview = v.preview, last_direction = 'in'
          from jsonb_to_recordset(${JSON.stringify([...updates.values()])}::jsonb) as v(id uuid, n int, first_at timestamptz, last_at timestamptz, preview text)
          where c.id = v.id`);
      }
      return conversationOf;
    });
    return rows.map((row) => inserted.has(row.id));
  }

  // One message alone takes the five-statement way; a failed batch is retried message by message.
  const recordBatch = createWriteBatcher(
    async (messages: IncomingMessage[]) => (messages.length === 1 ? [await recordOne(messages[0]!)] : recordMany(messages)),
    500,
    { retrySingly: true },
  );

  return {
    /**
     * Stores a follower's message once (by MsgId) and updates its conversation:
     * opens or reopens it, counts it unread, starts the wait if none runs and
     * moves the 48-hour window. Answers false for a message already stored.
     * Messages arriving together are written together (group commit).
     */
    recordIncoming(message: IncomingMessage): Promise<boolean> {
      return recordBatch(message);
    },

    /** Stores an operator's answer; ends the wait and records its response time (the first one also on the conversation). */
    async recordOutgoing(conversation: ConversationRow, message: { msgType: string; text: string | null; preview: string; payload: Record<string, unknown>; operatorId: string | null; at: Date }): Promise<MessageRow> {
      return db.transaction(async (tx) => {
        const [stored] = await tx
          .insert(oaConversationMessages)
          .values({
            conversationId: conversation.id,
            accountId: conversation.accountId,
            direction: 'out',
            msgType: message.msgType,
            text: message.text,
            payload: message.payload,
            operatorId: message.operatorId,
            createdAt: message.at,
          })
          .returning();
        if (!stored) throw new Error('message not stored');
        const [current] = await tx.select().from(oaConversations).where(eq(oaConversations.id, conversation.id)).for('update');
        const waitingSince = current?.waitingSince ?? null;
        const responseMs = waitingSince ? Math.max(0, message.at.getTime() - waitingSince.getTime()) : null;
        if (waitingSince && responseMs !== null) {
          await tx.insert(oaConversationResponses).values({
            conversationId: conversation.id,
            accountId: conversation.accountId,
            operatorId: message.operatorId,
            waitingSince,
            answeredAt: message.at,
            responseMs,
          });
        }
        await tx
          .update(oaConversations)
          .set({
            waitingSince: null,
            unreadCount: 0,
            lastMessageAt: message.at,
            lastMessagePreview: message.preview,
            lastDirection: 'out',
            ...(current?.firstResponseMs === null && responseMs !== null ? { firstResponseMs: responseMs } : {}),
          })
          .where(eq(oaConversations.id, conversation.id));
        return stored;
      });
    },

    async findConversation(accountId: string, id: string): Promise<ConversationRow | null> {
      const [row] = await db.select().from(oaConversations).where(and(eq(oaConversations.accountId, accountId), eq(oaConversations.id, id))).limit(1);
      return row ?? null;
    },

    async listConversations(filter: {
      accountId: string;
      state?: 'open' | 'closed';
      waiting?: boolean;
      assigneeId?: string;
      q?: string;
      before?: { lastMessageAt: Date; id: string };
      limit: number;
    }): Promise<ConversationRow[]> {
      const before = filter.before
        ? or(lt(oaConversations.lastMessageAt, filter.before.lastMessageAt), and(eq(oaConversations.lastMessageAt, filter.before.lastMessageAt), lt(oaConversations.id, filter.before.id)))
        : undefined;
      return db
        .select()
        .from(oaConversations)
        .where(and(...conversationFilter(filter), before))
        .orderBy(desc(oaConversations.lastMessageAt), desc(oaConversations.id))
        .limit(filter.limit);
    },

    async countConversations(filter: { accountId: string; state?: 'open' | 'closed'; waiting?: boolean; assigneeId?: string; q?: string }): Promise<number> {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(oaConversations).where(and(...conversationFilter(filter)));
      return Number(row?.n ?? 0);
    },

    /** Answers sent since each follower's last message: what the window has used of its 5. */
    async countOutgoingSinceLastIncoming(conversationIds: string[]): Promise<Map<string, number>> {
      const counts = new Map<string, number>();
      if (conversationIds.length === 0) return counts;
      const rows = await db
        .select({ conversationId: oaConversationMessages.conversationId })
        .from(oaConversationMessages)
        .innerJoin(oaConversations, eq(oaConversations.id, oaConversationMessages.conversationId))
        .where(
          and(
            sql`${oaConversationMessages.conversationId} in (${sql.join(conversationIds.map((id) => sql`${id}::uuid`), sql`, `)})`,
            eq(oaConversationMessages.direction, 'out'),
            isNotNull(oaConversations.lastIncomingAt),
            gt(oaConversationMessages.createdAt, oaConversations.lastIncomingAt),
          ),
        );
      for (const row of rows) counts.set(row.conversationId, (counts.get(row.conversationId) ?? 0) + 1);
      return counts;
    },

    async listMessages(filter: { accountId: string; conversationId?: string; openId?: string; direction?: 'in' | 'out'; before?: { createdAt: Date; id: string }; limit: number }) {
      const before = filter.before
        ? or(lt(oaConversationMessages.createdAt, filter.before.createdAt), and(eq(oaConversationMessages.createdAt, filter.before.createdAt), lt(oaConversationMessages.id, filter.before.id)))
        : undefined;
      return db
        .select({ message: oaConversationMessages, openId: oaConversations.openId })
        .from(oaConversationMessages)
        .innerJoin(oaConversations, eq(oaConversations.id, oaConversationMessages.conversationId))
        .where(
          and(
            eq(oaConversationMessages.accountId, filter.accountId),
            filter.conversationId ? eq(oaConversationMessages.conversationId, filter.conversationId) : undefined,
            filter.openId ? eq(oaConversations.openId, filter.openId) : undefined,
            filter.direction ? eq(oaConversationMessages.direction, filter.direction) : undefined,
            before,
          ),
        )
        .orderBy(desc(oaConversationMessages.createdAt), desc(oaConversationMessages.id))
        .limit(filter.limit);
    },

    async responsesOf(conversationId: string): Promise<ResponseRow[]> {
      return db.select().from(oaConversationResponses).where(eq(oaConversationResponses.conversationId, conversationId)).orderBy(asc(oaConversationResponses.answeredAt));
    },

    async updateConversation(accountId: string, id: string, changes: Partial<Pick<ConversationRow, 'assigneeId' | 'state' | 'closedAt' | 'unreadCount'>>): Promise<ConversationRow | null> {
      const [row] = await db.update(oaConversations).set(changes).where(and(eq(oaConversations.accountId, accountId), eq(oaConversations.id, id))).returning();
      return row ?? null;
    },

    async userExists(id: string): Promise<boolean> {
      const [row] = await db.select({ id: users.id }).from(users).where(eq(users.id, id)).limit(1);
      return Boolean(row);
    },

    async listQuickReplies(accountId: string, filter: { q?: string; groupName?: string }): Promise<QuickReplyRow[]> {
      const like = filter.q ? `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
      return db
        .select()
        .from(oaQuickReplies)
        .where(
          and(
            eq(oaQuickReplies.accountId, accountId),
            filter.groupName ? eq(oaQuickReplies.groupName, filter.groupName) : undefined,
            like ? or(ilike(oaQuickReplies.title, like), ilike(oaQuickReplies.content, like)) : undefined,
          ),
        )
        .orderBy(asc(oaQuickReplies.groupName), asc(oaQuickReplies.title))
        .limit(500);
    },

    async findQuickReply(accountId: string, id: string): Promise<QuickReplyRow | null> {
      const [row] = await db.select().from(oaQuickReplies).where(and(eq(oaQuickReplies.accountId, accountId), eq(oaQuickReplies.id, id))).limit(1);
      return row ?? null;
    },

    async insertQuickReply(row: typeof oaQuickReplies.$inferInsert): Promise<QuickReplyRow> {
      const [created] = await db.insert(oaQuickReplies).values(row).returning();
      if (!created) throw new Error('quick reply not stored');
      return created;
    },

    async updateQuickReply(accountId: string, id: string, changes: Partial<Pick<QuickReplyRow, 'groupName' | 'title' | 'content' | 'updatedAt'>>): Promise<QuickReplyRow | null> {
      const [row] = await db.update(oaQuickReplies).set(changes).where(and(eq(oaQuickReplies.accountId, accountId), eq(oaQuickReplies.id, id))).returning();
      return row ?? null;
    },

    async deleteQuickReply(accountId: string, id: string): Promise<boolean> {
      const rows = await db.delete(oaQuickReplies).where(and(eq(oaQuickReplies.accountId, accountId), eq(oaQuickReplies.id, id))).returning({ id: oaQuickReplies.id });
      return rows.length > 0;
    },
  };
}

function conversationFilter(filter: { accountId: string; state?: 'open' | 'closed'; waiting?: boolean; assigneeId?: string; q?: string }) {
  return [
    eq(oaConversations.accountId, filter.accountId),
    filter.state ? eq(oaConversations.state, filter.state) : undefined,
    filter.waiting === undefined ? undefined : filter.waiting ? isNotNull(oaConversations.waitingSince) : isNull(oaConversations.waitingSince),
    filter.assigneeId ? eq(oaConversations.assigneeId, filter.assigneeId) : undefined,
    filter.q ? ilike(oaConversations.openId, `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined,
  ];
}

export type InboxRepository = ReturnType<typeof createInboxRepository>;

import { and, asc, count, desc, eq, ilike, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/client';
import { wecomMembers } from '../members';
import {
  wecomGroupChatJoins,
  wecomGroupChatMembers,
  wecomGroupChats,
  wecomGroupJoinWays,
  type GroupChatJoinRow,
  type GroupChatMemberRow,
  type GroupChatRow,
  type GroupJoinWayRow,
} from './group-chats.tables';

export type { GroupChatRow, GroupChatMemberRow, GroupJoinWayRow } from './group-chats.tables';

/** A group with its owner's name from the directory (null when the owner is not in it). */
export type GroupChatWithOwner = GroupChatRow & { ownerName: string | null };

export interface ChatFilter {
  owners: string[] | null;
  q: string | null;
  includeDismissed: boolean;
}

function queries(db: Db) {
  const chatKey = (accountId: string, chatId: string) => and(eq(wecomGroupChats.accountId, accountId), eq(wecomGroupChats.chatId, chatId));
  const where = (accountId: string, filter: ChatFilter) =>
    and(
      eq(wecomGroupChats.accountId, accountId),
      filter.owners ? (filter.owners.length ? inArray(wecomGroupChats.owner, filter.owners) : sql`false`) : undefined,
      filter.q ? ilike(wecomGroupChats.name, `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined,
      filter.includeDismissed ? undefined : isNull(wecomGroupChats.dismissedAt),
    );
  // WeCom compares userids ignoring case; so does the directory's unique index.
  const withOwner = () =>
    db
      .select({ chat: wecomGroupChats, ownerName: wecomMembers.name })
      .from(wecomGroupChats)
      .leftJoin(wecomMembers, and(eq(wecomMembers.accountId, wecomGroupChats.accountId), sql`lower(${wecomMembers.userid}) = lower(${wecomGroupChats.owner})`));
  const flatten = (r: { chat: GroupChatRow; ownerName: string | null }): GroupChatWithOwner => ({ ...r.chat, ownerName: r.ownerName ?? null });
  const repository = {
    async listChats(accountId: string, filter: ChatFilter, page: { offset: number; limit: number }): Promise<{ rows: GroupChatWithOwner[]; total: number }> {
      const [totalRow] = await db.select({ n: count() }).from(wecomGroupChats).where(where(accountId, filter));
      const rows = await withOwner()
        .where(where(accountId, filter))
        .orderBy(desc(wecomGroupChats.createdAt), asc(wecomGroupChats.chatId))
        .offset(page.offset)
        .limit(page.limit);
      return { rows: rows.map(flatten), total: Number(totalRow?.n ?? 0) };
    },
    async findChatWithOwner(accountId: string, chatId: string): Promise<GroupChatWithOwner | null> {
      const [row] = await withOwner().where(chatKey(accountId, chatId)).limit(1);
      return row ? flatten(row) : null;
    },
    async owners(accountId: string): Promise<string[]> {
      const rows = await db.selectDistinct({ owner: wecomGroupChats.owner }).from(wecomGroupChats).where(eq(wecomGroupChats.accountId, accountId));
      return rows.map((r) => r.owner);
    },
    async findChat(accountId: string, chatId: string): Promise<GroupChatRow | null> {
      const [row] = await db.select().from(wecomGroupChats).where(chatKey(accountId, chatId)).limit(1);
      return row ?? null;
    },
    async findChats(accountId: string, chatIds: string[]): Promise<GroupChatRow[]> {
      if (chatIds.length === 0) return [];
      return db.select().from(wecomGroupChats).where(and(eq(wecomGroupChats.accountId, accountId), inArray(wecomGroupChats.chatId, chatIds)));
    },
    /** Makes one group what WeCom says: the row, its members, and any joins not seen before. */
    async saveChat(row: GroupChatRow, members: GroupChatMemberRow[]): Promise<void> {
      await db
        .insert(wecomGroupChats)
        .values(row)
        .onConflictDoUpdate({
          target: [wecomGroupChats.accountId, wecomGroupChats.chatId],
          set: {
            name: row.name,
            owner: row.owner,
            notice: row.notice,
            status: row.status,
            memberCount: row.memberCount,
            customerCount: row.customerCount,
            admins: row.admins,
            memberVersion: row.memberVersion,
            createdAt: row.createdAt,
            dismissedAt: null,
            syncedAt: row.syncedAt,
          },
        });
      await db.delete(wecomGroupChatMembers).where(and(eq(wecomGroupChatMembers.accountId, row.accountId), eq(wecomGroupChatMembers.chatId, row.chatId)));
      if (members.length === 0) return;
      await db.insert(wecomGroupChatMembers).values(members);
      const joins: GroupChatJoinRow[] = members.map((m) => ({ accountId: m.accountId, chatId: m.chatId, userid: m.userid, type: m.type, joinedAt: m.joinedAt, joinScene: m.joinScene, state: m.state }));
      await db.insert(wecomGroupChatJoins).values(joins).onConflictDoNothing();
    },
    async dismiss(accountId: string, chatIds: string[], at: Date): Promise<number> {
      if (chatIds.length === 0) return 0;
      const rows = await db
        .update(wecomGroupChats)
        .set({ dismissedAt: at })
        .where(and(eq(wecomGroupChats.accountId, accountId), inArray(wecomGroupChats.chatId, chatIds), isNull(wecomGroupChats.dismissedAt)))
        .returning({ chatId: wecomGroupChats.chatId });
      return rows.length;
    },
    /** Groups Qiao holds as live that WeCom no longer listed. */
    async liveChatIdsNotIn(accountId: string, chatIds: string[]): Promise<string[]> {
      const rows = await db
        .select({ chatId: wecomGroupChats.chatId })
        .from(wecomGroupChats)
        .where(and(eq(wecomGroupChats.accountId, accountId), isNull(wecomGroupChats.dismissedAt), chatIds.length ? notInArray(wecomGroupChats.chatId, chatIds) : undefined));
      return rows.map((r) => r.chatId);
    },
    membersOf(accountId: string, chatId: string): Promise<GroupChatMemberRow[]> {
      return db
        .select()
        .from(wecomGroupChatMembers)
        .where(and(eq(wecomGroupChatMembers.accountId, accountId), eq(wecomGroupChatMembers.chatId, chatId)))
        .orderBy(asc(wecomGroupChatMembers.joinedAt), asc(wecomGroupChatMembers.userid));
    },
    /** Join counts per chat and scene. */
    async joinCounts(accountId: string, chatIds: string[]): Promise<{ chatId: string; joinScene: number; n: number }[]> {
      if (chatIds.length === 0) return [];
      const rows = await db
        .select({ chatId: wecomGroupChatJoins.chatId, joinScene: wecomGroupChatJoins.joinScene, n: count() })
        .from(wecomGroupChatJoins)
        .where(and(eq(wecomGroupChatJoins.accountId, accountId), inArray(wecomGroupChatJoins.chatId, chatIds)))
        .groupBy(wecomGroupChatJoins.chatId, wecomGroupChatJoins.joinScene);
      return rows.map((r) => ({ ...r, n: Number(r.n) }));
    },
    /** Joins of one chat per Asia/Shanghai day and scene. */
    async joinsByDay(accountId: string, chatId: string): Promise<{ day: string; joinScene: number; n: number }[]> {
      const day = sql<string>`to_char(${wecomGroupChatJoins.joinedAt} at time zone 'Asia/Shanghai', 'YYYY-MM-DD')`;
      const rows = await db
        .select({ day, joinScene: wecomGroupChatJoins.joinScene, n: count() })
        .from(wecomGroupChatJoins)
        .where(and(eq(wecomGroupChatJoins.accountId, accountId), eq(wecomGroupChatJoins.chatId, chatId)))
        .groupBy(day, wecomGroupChatJoins.joinScene)
        .orderBy(day);
      return rows.map((r) => ({ ...r, n: Number(r.n) }));
    },
    async joinsByState(accountId: string, states: string[]): Promise<Map<string, number>> {
      if (states.length === 0) return new Map();
      const rows = await db
        .select({ state: wecomGroupChatJoins.state, n: count() })
        .from(wecomGroupChatJoins)
        .where(and(eq(wecomGroupChatJoins.accountId, accountId), inArray(wecomGroupChatJoins.state, states)))
        .groupBy(wecomGroupChatJoins.state);
      return new Map(rows.map((r) => [r.state ?? '', Number(r.n)]));
    },

    listJoinWays(accountId: string): Promise<GroupJoinWayRow[]> {
      return db.select().from(wecomGroupJoinWays).where(eq(wecomGroupJoinWays.accountId, accountId)).orderBy(desc(wecomGroupJoinWays.createdAt));
    },
    async findJoinWay(accountId: string, id: string): Promise<GroupJoinWayRow | null> {
      const [row] = await db.select().from(wecomGroupJoinWays).where(and(eq(wecomGroupJoinWays.accountId, accountId), eq(wecomGroupJoinWays.id, id))).limit(1);
      return row ?? null;
    },
    async insertJoinWay(row: Omit<GroupJoinWayRow, 'id'>): Promise<GroupJoinWayRow> {
      const [inserted] = await db.insert(wecomGroupJoinWays).values(row).returning();
      if (!inserted) throw new Error('insert returned no row');
      return inserted;
    },
    async updateJoinWay(accountId: string, id: string, changes: Partial<Omit<GroupJoinWayRow, 'id' | 'accountId'>>): Promise<void> {
      await db.update(wecomGroupJoinWays).set(changes).where(and(eq(wecomGroupJoinWays.accountId, accountId), eq(wecomGroupJoinWays.id, id)));
    },
    async deleteJoinWay(accountId: string, id: string): Promise<void> {
      await db.delete(wecomGroupJoinWays).where(and(eq(wecomGroupJoinWays.accountId, accountId), eq(wecomGroupJoinWays.id, id)));
    },
    /**
     * The retention purge: these customers' joins and their places in
     * dismissed groups. A live group they are still in keeps showing them,
     * with that join, as WeCom does (its next read would write them back).
     */
    async purgeCustomers(accountId: string, externalUserIds: readonly string[]): Promise<void> {
      if (externalUserIds.length === 0) return;
      const m = wecomGroupChatMembers;
      const j = wecomGroupChatJoins;
      const g = wecomGroupChats;
      const ids = [...externalUserIds];
      await db
        .delete(m)
        .where(and(eq(m.accountId, accountId), eq(m.type, 2), inArray(m.userid, ids), sql`exists (select 1 from ${g} where ${g.accountId} = ${m.accountId} and ${g.chatId} = ${m.chatId} and ${g.dismissedAt} is not null)`));
      await db
        .delete(j)
        .where(
          and(
            eq(j.accountId, accountId),
            eq(j.type, 2),
            inArray(j.userid, ids),
            sql`not exists (select 1 from ${m} where ${m.accountId} = ${j.accountId} and ${m.chatId} = ${j.chatId} and ${m.userid} = ${j.userid} and ${m.joinedAt} = ${j.joinedAt})`,
          ),
        );
    },
  };
  return repository;
}

type Queries = ReturnType<typeof queries>;

export interface GroupChatsRepository extends Queries {
  /** `tx` is handed on so a job can record its progress in the same transaction. */
  transaction<T>(work: (repo: GroupChatsRepository, tx: unknown) => Promise<T>): Promise<T>;
}

export function createGroupChatsRepository(db: Db): GroupChatsRepository {
  return { ...queries(db), transaction: (work) => db.transaction((tx) => work(createGroupChatsRepository(tx as unknown as Db), tx)) };
}

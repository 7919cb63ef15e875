import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { Db } from '../../platform/db/client';
import { sandboxWecomGroupChatMembers, sandboxWecomGroupChats, sandboxWecomJoinWays } from './group-chats.tables';

export type GroupChatRow = typeof sandboxWecomGroupChats.$inferSelect;
export type GroupChatMemberRow = typeof sandboxWecomGroupChatMembers.$inferSelect;
export type JoinWayRow = typeof sandboxWecomJoinWays.$inferSelect;

/** The sandbox's customer groups and join ways. */
function queries(db: Db) {
  const chatKey = (corpId: string, chatId: string) => and(eq(sandboxWecomGroupChats.corpId, corpId), eq(sandboxWecomGroupChats.chatId, chatId));
  const wayKey = (corpId: string, configId: string) => and(eq(sandboxWecomJoinWays.corpId, corpId), eq(sandboxWecomJoinWays.configId, configId));
  return {
    /** Chats in chat_id order after `after`, optionally only some owners and one status. */
    listChats(corpId: string, filter: { owners: string[] | null; status: number | null; after: string | null; limit: number }): Promise<GroupChatRow[]> {
      return db
        .select()
        .from(sandboxWecomGroupChats)
        .where(
          and(
            eq(sandboxWecomGroupChats.corpId, corpId),
            filter.owners ? inArray(sandboxWecomGroupChats.owner, filter.owners) : undefined,
            filter.status !== null ? eq(sandboxWecomGroupChats.status, filter.status) : undefined,
            filter.after ? gt(sandboxWecomGroupChats.chatId, filter.after) : undefined,
          ),
        )
        .orderBy(asc(sandboxWecomGroupChats.chatId))
        .limit(filter.limit);
    },
    async findChat(corpId: string, chatId: string): Promise<GroupChatRow | null> {
      const [row] = await db.select().from(sandboxWecomGroupChats).where(chatKey(corpId, chatId)).limit(1);
      return row ?? null;
    },
    async insertChat(row: GroupChatRow, members: GroupChatMemberRow[]): Promise<void> {
      await db.insert(sandboxWecomGroupChats).values(row);
      if (members.length) await db.insert(sandboxWecomGroupChatMembers).values(members);
    },
    async addMember(member: GroupChatMemberRow): Promise<number> {
      await db.insert(sandboxWecomGroupChatMembers).values(member);
      const [chat] = await db.select().from(sandboxWecomGroupChats).where(chatKey(member.corpId, member.chatId)).limit(1);
      const version = (chat?.memberVersion ?? 0) + 1;
      await db.update(sandboxWecomGroupChats).set({ memberVersion: version }).where(chatKey(member.corpId, member.chatId));
      return version;
    },
    async deleteChat(corpId: string, chatId: string): Promise<void> {
      await db.delete(sandboxWecomGroupChatMembers).where(and(eq(sandboxWecomGroupChatMembers.corpId, corpId), eq(sandboxWecomGroupChatMembers.chatId, chatId)));
      await db.delete(sandboxWecomGroupChats).where(chatKey(corpId, chatId));
    },
    membersOf(corpId: string, chatId: string): Promise<GroupChatMemberRow[]> {
      return db
        .select()
        .from(sandboxWecomGroupChatMembers)
        .where(and(eq(sandboxWecomGroupChatMembers.corpId, corpId), eq(sandboxWecomGroupChatMembers.chatId, chatId)))
        .orderBy(asc(sandboxWecomGroupChatMembers.joinTimeS), asc(sandboxWecomGroupChatMembers.userid));
    },
    async findJoinWay(corpId: string, configId: string): Promise<JoinWayRow | null> {
      const [row] = await db.select().from(sandboxWecomJoinWays).where(wayKey(corpId, configId)).limit(1);
      return row ?? null;
    },
    async insertJoinWay(row: JoinWayRow): Promise<void> {
      await db.insert(sandboxWecomJoinWays).values(row);
    },
    async updateJoinWay(corpId: string, configId: string, changes: Partial<Omit<JoinWayRow, 'corpId' | 'configId' | 'createdAt'>>): Promise<void> {
      await db.update(sandboxWecomJoinWays).set(changes).where(wayKey(corpId, configId));
    },
    async deleteJoinWay(corpId: string, configId: string): Promise<boolean> {
      const rows = await db.delete(sandboxWecomJoinWays).where(wayKey(corpId, configId)).returning({ configId: sandboxWecomJoinWays.configId });
      return rows.length > 0;
    },
  };
}

type Queries = ReturnType<typeof queries>;

export interface GroupChatsRepository extends Queries {
  transaction<T>(work: (repository: GroupChatsRepository) => Promise<T>): Promise<T>;
}

export function createGroupChatsRepository(db: Db): GroupChatsRepository {
  return { ...queries(db), transaction: (work) => db.transaction((tx) => work(createGroupChatsRepository(tx as unknown as Db))) };
}

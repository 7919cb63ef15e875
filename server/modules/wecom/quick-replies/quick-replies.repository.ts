import { and, asc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../platform/db/client';
import { wecomMembers } from '../members/members.tables';
import { wecomQuickReplies, wecomQuickReplyGroups, type QuickReplyGroupRow, type QuickReplyRow } from './quick-replies.tables';

export type { QuickReplyGroupRow, QuickReplyRow } from './quick-replies.tables';

const g = wecomQuickReplyGroups;
const r = wecomQuickReplies;

export interface QuickReplyFilter {
  accountId: string;
  /** Groups the reader may see; undefined: all. */
  groupIds?: string[];
  groupId?: string;
  q?: string;
}

/** Position of a reply in the library's order: its group's order, then its own. */
export type QuickReplyKey = [number, string, number, string];

function conditions(filter: QuickReplyFilter): SQL[] {
  const parts: SQL[] = [eq(r.accountId, filter.accountId)];
  if (filter.groupIds) parts.push(inArray(r.groupId, [...filter.groupIds, '00000000-0000-0000-0000-000000000000']));
  if (filter.groupId) parts.push(eq(r.groupId, filter.groupId));
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    parts.push(or(ilike(r.title, pattern), ilike(sql`${r.body}::text`, pattern))!);
  }
  return parts;
}

function queries(db: Db) {
  return {
    async listGroups(accountId: string): Promise<(QuickReplyGroupRow & { itemCount: number })[]> {
      const rows = await db
        .select({ group: g, itemCount: sql<number>`(select count(*) from wecom_quick_replies counted where counted.group_id = wecom_quick_reply_groups.id)::int` })
        .from(g)
        .where(eq(g.accountId, accountId))
        .orderBy(asc(g.sortOrder), asc(g.createdAt), asc(g.id));
      return rows.map((row) => ({ ...row.group, itemCount: Number(row.itemCount) }));
    },
    async findGroup(accountId: string, id: string): Promise<QuickReplyGroupRow | null> {
      const [row] = await db.select().from(g).where(and(eq(g.accountId, accountId), eq(g.id, id)));
      return row ?? null;
    },
    async findGroupByName(accountId: string, name: string): Promise<QuickReplyGroupRow | null> {
      const [row] = await db.select().from(g).where(and(eq(g.accountId, accountId), eq(g.name, name)));
      return row ?? null;
    },
    async insertGroup(row: typeof g.$inferInsert): Promise<QuickReplyGroupRow> {
      const [inserted] = await db.insert(g).values(row).returning();
      return inserted!;
    },
    async updateGroup(id: string, changes: Partial<typeof g.$inferInsert>): Promise<void> {
      await db.update(g).set(changes).where(eq(g.id, id));
    },
    async deleteGroup(id: string): Promise<void> {
      await db.delete(g).where(eq(g.id, id));
    },
    async countItems(groupId: string): Promise<number> {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(r).where(eq(r.groupId, groupId));
      return Number(row?.n ?? 0);
    },

    async list(filter: QuickReplyFilter, after: QuickReplyKey | null, limit: number): Promise<{ row: QuickReplyRow; groupName: string; groupOrder: number }[]> {
      const parts = conditions(filter);
      if (after) parts.push(sql`(${g.sortOrder}, ${g.id}, ${r.sortOrder}, ${r.id}) > (${after[0]}, ${after[1]}::uuid, ${after[2]}, ${after[3]}::uuid)`);
      return db
        .select({ row: r, groupName: g.name, groupOrder: g.sortOrder })
        .from(r)
        .innerJoin(g, eq(g.id, r.groupId))
        .where(and(...parts))
        .orderBy(asc(g.sortOrder), asc(g.id), asc(r.sortOrder), asc(r.id))
        .limit(limit);
    },
    async count(filter: QuickReplyFilter): Promise<number> {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(r).where(and(...conditions(filter)));
      return Number(row?.n ?? 0);
    },
    async find(accountId: string, id: string): Promise<{ row: QuickReplyRow; groupName: string; groupOrder: number } | null> {
      const [found] = await db
        .select({ row: r, groupName: g.name, groupOrder: g.sortOrder })
        .from(r)
        .innerJoin(g, eq(g.id, r.groupId))
        .where(and(eq(r.accountId, accountId), eq(r.id, id)));
      return found ?? null;
    },
    async insert(row: typeof r.$inferInsert): Promise<QuickReplyRow> {
      const [inserted] = await db.insert(r).values(row).returning();
      return inserted!;
    },
    async update(id: string, changes: Partial<typeof r.$inferInsert>): Promise<void> {
      await db.update(r).set(changes).where(eq(r.id, id));
    },
    async delete(id: string): Promise<void> {
      await db.delete(r).where(eq(r.id, id));
    },

    /** A member's name as the directory holds it (userid matched ignoring case). */
    async memberName(accountId: string, userid: string): Promise<{ userid: string; name: string } | null> {
      const [row] = await db
        .select({ userid: wecomMembers.userid, name: wecomMembers.name })
        .from(wecomMembers)
        .where(and(eq(wecomMembers.accountId, accountId), sql`lower(${wecomMembers.userid}) = ${userid.toLowerCase()}`, sql`${wecomMembers.deletedAt} is null`));
      return row ?? null;
    },
  };
}

export type QuickRepliesRepository = ReturnType<typeof queries> & {
  transaction<T>(work: (repo: QuickRepliesRepository, tx: unknown) => Promise<T>): Promise<T>;
};

export function createQuickRepliesRepository(db: Db): QuickRepliesRepository {
  return { ...queries(db), transaction: (work) => db.transaction((tx) => work(createQuickRepliesRepository(tx as unknown as Db), tx)) };
}

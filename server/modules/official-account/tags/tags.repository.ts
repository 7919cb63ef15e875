import { and, asc, eq, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/client';
import { oaTagRules, oaTags, type TagRow, type TagRuleRow } from './tags.tables';

export type { TagRow, TagRuleRow } from './tags.tables';

export interface TagsRepository {
  transaction<T>(work: (repository: TagsRepository, tx: unknown) => Promise<T>): Promise<T>;
  list(accountId: string): Promise<TagRow[]>;
  find(accountId: string, tagId: number): Promise<TagRow | null>;
  /** Makes the local list WeChat's: upserts these, deletes the others. */
  replaceAll(accountId: string, tags: { id: number; name: string; count: number | null }[], at: Date): Promise<void>;
  upsert(accountId: string, tag: { id: number; name: string }, at: Date): Promise<void>;
  rename(accountId: string, tagId: number, name: string, at: Date): Promise<void>;
  delete(accountId: string, tagId: number): Promise<void>;
  listRules(accountId: string): Promise<TagRuleRow[]>;
  findRule(accountId: string, id: string): Promise<TagRuleRow | null>;
  insertRule(row: Omit<TagRuleRow, 'id'>): Promise<TagRuleRow>;
  updateRule(accountId: string, id: string, changes: Partial<Omit<TagRuleRow, 'id' | 'accountId'>>): Promise<void>;
  deleteRule(accountId: string, id: string): Promise<boolean>;
  deleteRulesOfTag(accountId: string, tagId: number): Promise<void>;
}

export function createTagsRepository(db: Db): TagsRepository {
  const key = (accountId: string, tagId: number) => and(eq(oaTags.accountId, accountId), eq(oaTags.tagId, tagId));
  const ruleKey = (accountId: string, id: string) => and(eq(oaTagRules.accountId, accountId), eq(oaTagRules.id, id));
  return {
    transaction(work) {
      return db.transaction((tx) => work(createTagsRepository(tx as unknown as Db), tx));
    },
    list(accountId) {
      return db.select().from(oaTags).where(eq(oaTags.accountId, accountId)).orderBy(asc(oaTags.tagId));
    },
    async find(accountId, tagId) {
      const [row] = await db.select().from(oaTags).where(key(accountId, tagId)).limit(1);
      return row ?? null;
    },
    async replaceAll(accountId, tags, at) {
      await db.transaction(async (tx) => {
        const ids = tags.map((t) => t.id);
        await tx.delete(oaTags).where(and(eq(oaTags.accountId, accountId), ids.length ? notInArray(oaTags.tagId, ids) : undefined));
        if (tags.length === 0) return;
        await tx
          .insert(oaTags)
          .values(tags.map((t) => ({ accountId, tagId: t.id, name: t.name, wechatCount: t.count, createdAt: at, updatedAt: at })))
          .onConflictDoUpdate({
            target: [oaTags.accountId, oaTags.tagId],
            set: { name: sqlExcluded('name'), wechatCount: sqlExcluded('wechat_count'), updatedAt: at },
          });
      });
    },
    async upsert(accountId, tag, at) {
      await db
        .insert(oaTags)
        .values({ accountId, tagId: tag.id, name: tag.name, wechatCount: 0, createdAt: at, updatedAt: at })
        .onConflictDoUpdate({ target: [oaTags.accountId, oaTags.tagId], set: { name: tag.name, updatedAt: at } });
    },
    async rename(accountId, tagId, name, at) {
      await db.update(oaTags).set({ name, updatedAt: at }).where(key(accountId, tagId));
    },
    async delete(accountId, tagId) {
      await db.delete(oaTags).where(key(accountId, tagId));
    },
    async listRules(accountId) {
      return db.select().from(oaTagRules).where(eq(oaTagRules.accountId, accountId)).orderBy(asc(oaTagRules.createdAt), asc(oaTagRules.id));
    },
    async findRule(accountId, id) {
      const [row] = await db.select().from(oaTagRules).where(ruleKey(accountId, id)).limit(1);
      return row ?? null;
    },
    async insertRule(row) {
      const [inserted] = await db.insert(oaTagRules).values(row).returning();
      if (!inserted) throw new Error('insert returned no row');
      return inserted;
    },
    async updateRule(accountId, id, changes) {
      await db.update(oaTagRules).set(changes).where(ruleKey(accountId, id));
    },
    async deleteRule(accountId, id) {
      const rows = await db.delete(oaTagRules).where(ruleKey(accountId, id)).returning({ id: oaTagRules.id });
      return rows.length > 0;
    },
    async deleteRulesOfTag(accountId, tagId) {
      await db.delete(oaTagRules).where(and(eq(oaTagRules.accountId, accountId), eq(oaTagRules.tagId, tagId)));
    },
  };
}

function sqlExcluded(column: string) {
  return sql.raw(`excluded.${column}`);
}

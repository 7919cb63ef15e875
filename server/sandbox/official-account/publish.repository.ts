import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client';
import { sandboxOaDrafts, sandboxOaPublications, sandboxOaReviewVerdicts } from './oa.tables';

export type DraftRow = typeof sandboxOaDrafts.$inferSelect;
export type PublicationRow = typeof sandboxOaPublications.$inferSelect;
export type ReviewVerdictRow = typeof sandboxOaReviewVerdicts.$inferSelect;

/** Drafts, publications and the review verdicts queued for them. */
export function createPublishRepository(db: Db) {
  return {
    async insertDraft(row: typeof sandboxOaDrafts.$inferInsert): Promise<DraftRow> {
      const [created] = await db.insert(sandboxOaDrafts).values(row).returning();
      return created as DraftRow;
    },

    async findDraft(appId: string, mediaId: string): Promise<DraftRow | null> {
      const [row] = await db.select().from(sandboxOaDrafts).where(and(eq(sandboxOaDrafts.appId, appId), eq(sandboxOaDrafts.mediaId, mediaId))).limit(1);
      return row ?? null;
    },

    async updateDraft(appId: string, mediaId: string, articles: unknown[], now: Date): Promise<void> {
      await db.update(sandboxOaDrafts).set({ articles, updatedAt: now }).where(and(eq(sandboxOaDrafts.appId, appId), eq(sandboxOaDrafts.mediaId, mediaId)));
    },

    async deleteDraft(appId: string, mediaId: string): Promise<boolean> {
      const deleted = await db.delete(sandboxOaDrafts).where(and(eq(sandboxOaDrafts.appId, appId), eq(sandboxOaDrafts.mediaId, mediaId))).returning({ mediaId: sandboxOaDrafts.mediaId });
      return deleted.length > 0;
    },

    async countDrafts(appId: string): Promise<number> {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(sandboxOaDrafts).where(eq(sandboxOaDrafts.appId, appId));
      return row?.n ?? 0;
    },

    /** Newest first, as the MP console and the API list them. */
    async pageDrafts(appId: string, offset: number, count: number): Promise<DraftRow[]> {
      return db
        .select()
        .from(sandboxOaDrafts)
        .where(eq(sandboxOaDrafts.appId, appId))
        .orderBy(desc(sandboxOaDrafts.updatedAt), desc(sandboxOaDrafts.mediaId))
        .offset(offset)
        .limit(count);
    },

    async insertPublication(row: typeof sandboxOaPublications.$inferInsert): Promise<PublicationRow> {
      const [created] = await db.insert(sandboxOaPublications).values(row).returning();
      return created as PublicationRow;
    },

    async findPublication(appId: string, publishId: number): Promise<PublicationRow | null> {
      const [row] = await db
        .select()
        .from(sandboxOaPublications)
        .where(and(eq(sandboxOaPublications.appId, appId), eq(sandboxOaPublications.publishId, publishId)))
        .limit(1);
      return row ?? null;
    },

    async findPublicationByArticle(appId: string, articleId: string): Promise<PublicationRow | null> {
      const [row] = await db
        .select()
        .from(sandboxOaPublications)
        .where(and(eq(sandboxOaPublications.appId, appId), eq(sandboxOaPublications.articleId, articleId)))
        .limit(1);
      return row ?? null;
    },

    /** For the public article page, which carries no token. */
    async findPublicationByArticleId(articleId: string): Promise<PublicationRow | null> {
      const [row] = await db.select().from(sandboxOaPublications).where(eq(sandboxOaPublications.articleId, articleId)).limit(1);
      return row ?? null;
    },

    /** Moves a publication on; `from` guards the state machine against a concurrent move. */
    async movePublication(
      publishId: number,
      from: readonly number[],
      change: { status: number; articleId?: string | null; failIdx?: number[]; deletedIdx?: number[]; updatedAt: Date },
    ): Promise<PublicationRow | null> {
      const [row] = await db
        .update(sandboxOaPublications)
        .set(change)
        .where(and(eq(sandboxOaPublications.publishId, publishId), sql`${sandboxOaPublications.status} in (${sql.join(from.map((s) => sql`${s}`), sql`, `)})`))
        .returning();
      return row ?? null;
    },

    /** Successful publications still visible (status 0), newest first. */
    async pagePublished(appId: string, offset: number, count: number): Promise<{ total: number; rows: PublicationRow[] }> {
      const visible = and(eq(sandboxOaPublications.appId, appId), eq(sandboxOaPublications.status, 0));
      const [total] = await db.select({ n: sql<number>`count(*)::int` }).from(sandboxOaPublications).where(visible);
      const rows = await db.select().from(sandboxOaPublications).where(visible).orderBy(desc(sandboxOaPublications.publishId)).offset(offset).limit(count);
      return { total: total?.n ?? 0, rows };
    },

    async queueVerdict(row: typeof sandboxOaReviewVerdicts.$inferInsert): Promise<void> {
      await db.insert(sandboxOaReviewVerdicts).values(row);
    },

    /** Takes the oldest verdict queued for the account, if any. */
    async takeVerdict(appId: string): Promise<ReviewVerdictRow | null> {
      const [next] = await db
        .select()
        .from(sandboxOaReviewVerdicts)
        .where(eq(sandboxOaReviewVerdicts.appId, appId))
        .orderBy(asc(sandboxOaReviewVerdicts.id))
        .limit(1);
      if (!next) return null;
      const taken = await db.delete(sandboxOaReviewVerdicts).where(eq(sandboxOaReviewVerdicts.id, next.id)).returning();
      return taken.length > 0 ? next : null;
    },
  };
}

export type PublishRepository = ReturnType<typeof createPublishRepository>;

import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client';
import { sandboxWecomContactWays, sandboxWecomCorps } from './wecom.tables';

/** Read-only view of a corp's 「联系我」 codes, for the simulated phones that scan them. */
export function createContactWaysViewRepository(db: Db) {
  return {
    async corpExists(corpId: string): Promise<boolean> {
      const [row] = await db.select({ corpId: sandboxWecomCorps.corpId }).from(sandboxWecomCorps).where(eq(sandboxWecomCorps.corpId, corpId)).limit(1);
      return Boolean(row);
    },
    /** Newest first. */
    async listContactWays(corpId: string, limit: number) {
      return db
        .select()
        .from(sandboxWecomContactWays)
        .where(eq(sandboxWecomContactWays.corpId, corpId))
        .orderBy(desc(sandboxWecomContactWays.createdAt), desc(sandboxWecomContactWays.configId))
        .limit(limit);
    },
  };
}

export type ContactWaysViewRepository = ReturnType<typeof createContactWaysViewRepository>;

import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../../../platform/db/client';
import { wecomMemberImports, type StoredRowProblem } from './member-import.tables';

export interface MemberImportUpload {
  id: string;
  accountId: string;
  jobId: string | null;
  filename: string;
  content: Buffer;
  rowProblems: StoredRowProblem[] | null;
  checkedAt: Date | null;
  createdBy: string | null;
}

export function createMemberImportRepository(db: Db) {
  return {
    async insert(row: { accountId: string; filename: string; content: Buffer; createdBy: string | null; createdAt: Date }): Promise<string> {
      const [inserted] = await db.insert(wecomMemberImports).values(row).returning({ id: wecomMemberImports.id });
      return inserted!.id;
    },

    async setJob(id: string, jobId: string): Promise<void> {
      await db.update(wecomMemberImports).set({ jobId }).where(eq(wecomMemberImports.id, id));
    },

    async find(id: string): Promise<MemberImportUpload | null> {
      const [row] = await db.select().from(wecomMemberImports).where(eq(wecomMemberImports.id, id));
      return row ?? null;
    },

    async findByJob(accountId: string, jobId: string): Promise<MemberImportUpload | null> {
      const [row] = await db
        .select()
        .from(wecomMemberImports)
        .where(and(eq(wecomMemberImports.accountId, accountId), eq(wecomMemberImports.jobId, jobId)));
      return row ?? null;
    },

    async saveProblems(id: string, problems: StoredRowProblem[], checkedAt: Date): Promise<void> {
      await db.update(wecomMemberImports).set({ rowProblems: problems, checkedAt }).where(eq(wecomMemberImports.id, id));
    },

    /** Uploads older than the cut-off go; their jobs keep their counts and first errors. */
    async deleteCreatedBefore(cutOff: Date): Promise<number> {
      const deleted = await db.delete(wecomMemberImports).where(lt(wecomMemberImports.createdAt, cutOff)).returning({ id: wecomMemberImports.id });
      return deleted.length;
    },
  };
}

export type MemberImportRepository = ReturnType<typeof createMemberImportRepository>;

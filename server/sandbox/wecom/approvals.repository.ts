import { and, asc, eq, gt, gte, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/client';
import { sandboxWecomApprovals, sandboxWecomApprovalTemplates } from './approvals.tables';

export type ApprovalTemplateRow = typeof sandboxWecomApprovalTemplates.$inferSelect;
export type ApprovalRow = typeof sandboxWecomApprovals.$inferSelect;

export interface ApprovalFilter {
  templateIds: string[];
  creators: string[];
  departments: string[];
  statuses: number[];
}

export function createApprovalsRepository(db: Db) {
  return {
    async insertTemplate(row: ApprovalTemplateRow): Promise<void> {
      await db.insert(sandboxWecomApprovalTemplates).values(row);
    },

    async findTemplate(corpId: string, templateId: string): Promise<ApprovalTemplateRow | null> {
      const [row] = await db
        .select()
        .from(sandboxWecomApprovalTemplates)
        .where(and(eq(sandboxWecomApprovalTemplates.corpId, corpId), eq(sandboxWecomApprovalTemplates.templateId, templateId)))
        .limit(1);
      return row ?? null;
    },

    async listTemplates(corpId: string): Promise<ApprovalTemplateRow[]> {
      return db.select().from(sandboxWecomApprovalTemplates).where(eq(sandboxWecomApprovalTemplates.corpId, corpId)).orderBy(asc(sandboxWecomApprovalTemplates.createdAt));
    },

    /** Applications of one Beijing day so far, for the next day-prefixed number. */
    async countNumbered(corpId: string, prefix: string): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(sandboxWecomApprovals)
        .where(and(eq(sandboxWecomApprovals.corpId, corpId), sql`${sandboxWecomApprovals.spNo} like ${`${prefix}%`}`));
      return Number(row?.n ?? 0);
    },

    async insertApproval(row: ApprovalRow): Promise<void> {
      await db.insert(sandboxWecomApprovals).values(row);
    },

    async findApproval(corpId: string, spNo: string): Promise<ApprovalRow | null> {
      const [row] = await db.select().from(sandboxWecomApprovals).where(and(eq(sandboxWecomApprovals.corpId, corpId), eq(sandboxWecomApprovals.spNo, spNo))).limit(1);
      return row ?? null;
    },

    async updateApproval(corpId: string, spNo: string, changes: Partial<Pick<ApprovalRow, 'spStatus' | 'spRecord' | 'comments'>>): Promise<void> {
      await db.update(sandboxWecomApprovals).set(changes).where(and(eq(sandboxWecomApprovals.corpId, corpId), eq(sandboxWecomApprovals.spNo, spNo)));
    },

    /** Numbers applied for in [from, to] seconds, in (apply time, number) order after `after`. */
    async pageNumbers(corpId: string, range: { from: number; to: number }, filter: ApprovalFilter, after: { t: number; sp: string } | null, limit: number): Promise<{ spNo: string; applyTimeS: number }[]> {
      const t = sandboxWecomApprovals;
      const conditions: (SQL | undefined)[] = [eq(t.corpId, corpId), gte(t.applyTimeS, range.from), lte(t.applyTimeS, range.to)];
      if (filter.templateIds.length > 0) conditions.push(inArray(t.templateId, filter.templateIds));
      if (filter.creators.length > 0) conditions.push(inArray(t.applicant, filter.creators));
      if (filter.departments.length > 0) conditions.push(inArray(t.applicantParty, filter.departments));
      if (filter.statuses.length > 0) conditions.push(inArray(t.spStatus, filter.statuses));
      if (after) conditions.push(or(gt(t.applyTimeS, after.t), and(eq(t.applyTimeS, after.t), gt(t.spNo, after.sp))));
      return db
        .select({ spNo: t.spNo, applyTimeS: t.applyTimeS })
        .from(t)
        .where(and(...conditions))
        .orderBy(asc(t.applyTimeS), asc(t.spNo))
        .limit(limit);
    },
  };
}

export type ApprovalsRepository = ReturnType<typeof createApprovalsRepository>;

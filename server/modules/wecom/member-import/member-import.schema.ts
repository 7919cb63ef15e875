import { z } from 'zod';
import { text } from '../../../../common/text';

export const memberImportKind = 'wecom.member-import';

export const accountParamsSchema = z.strictObject({ accountId: z.uuid() });
export const importJobParamsSchema = z.strictObject({ accountId: z.uuid(), jobId: z.uuid() });

const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export const importQuerySchema = z.strictObject({
  /** Check every row and report; write nothing. */
  dryRun: booleanQuery.default(false),
  /** `abort` (default): any bad row and nothing is written; `skip`: write the good rows only. */
  onError: z.enum(['abort', 'skip']).default('abort'),
  /** Create departments named in the sheet that do not exist yet (else they are row errors). */
  createMissingDepartments: booleanQuery.default(false),
});
export type ImportQuery = z.infer<typeof importQuerySchema>;

/** What a finished import job reports in `result`. */
export const memberImportResultSchema = z.object({
  dryRun: z.boolean(),
  rows: z.number().int(),
  validRows: z.number().int(),
  invalidRows: z.number().int(),
  /** Real import: what was written. Dry run: what would be. */
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  /** Rows left out because they were bad (onError=skip). */
  skipped: z.number().int(),
  departmentsCreated: z.number().int(),
});
export type MemberImportResult = z.infer<typeof memberImportResultSchema>;

/** The export takes the member list's filters (without paging). */
export const exportQuerySchema = z.strictObject({
  departmentId: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
  includeSubdepartments: booleanQuery.optional(),
  status: z.enum(['active', 'disabled', 'inactive', 'resigned']).optional(),
  q: text(100).optional(),
});
export type ExportQuery = z.infer<typeof exportQuerySchema>;

import { z } from 'zod';
import { pageOf, pageQuerySchema } from '../../../../common/paging';
import { text } from '../../../../common/text';

export const jobStateSchema = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);
export type JobStateName = z.infer<typeof jobStateSchema>;

/** One row error of an import or batch: the Excel row (or item key), column, code and message. */
export const jobRowErrorSchema = z.object({
  row: z.number().int().optional(),
  item: z.string().optional(),
  column: z.string().optional(),
  code: z.string(),
  message: z.string(),
});

/** Progress of an import, sync or push, as `GET /api/v1/jobs/{jobId}` answers it. */
export const jobRunSchema = z.object({
  id: z.string(),
  kind: z.string(),
  state: jobStateSchema,
  done: z.number().int(),
  total: z.number().int().nullable(),
  /** The first 1000 row errors; `errorCount` counts all of them. */
  errors: z.array(jobRowErrorSchema),
  errorCount: z.number().int(),
  result: z.record(z.string(), z.unknown()).nullable(),
  /** Why the job failed; `message` follows Accept-Language for Qiao's own error codes. */
  failure: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }).nullable(),
  /** Someone asked to cancel; a running job stops at its next safe point. */
  cancelRequested: z.boolean(),
  accountId: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type JobRunView = z.infer<typeof jobRunSchema>;

export const jobRunPageSchema = pageOf(jobRunSchema);
export type JobRunPage = z.infer<typeof jobRunPageSchema>;

export const jobIdParamsSchema = z.strictObject({ jobId: text(64, 1) });

export const listJobsQuerySchema = z.strictObject({
  ...pageQuerySchema.shape,
  kind: text(100, 1).optional(),
  state: jobStateSchema.optional(),
});
export type ListJobsQuery = z.infer<typeof listJobsQuerySchema>;

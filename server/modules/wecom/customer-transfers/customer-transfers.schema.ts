import { z } from 'zod';
import { pageOf, pageQuerySchema } from '../../../../common/paging';

export const transferKindSchema = z.enum(['on_duty', 'resigned']);
export const transferItemStatusSchema = z.enum(['skipped', 'pending', 'accepted', 'refused', 'limit', 'failed']);
export const transferBlockSchema = z.enum(['pending', 'limit_90_days', 'duplicate', 'not_unassigned']);

export const accountParamsSchema = z.strictObject({ accountId: z.uuid() });
export const transferParamsSchema = z.strictObject({ accountId: z.uuid(), transferId: z.uuid() });

const userid = z.string().trim().min(1).max(64);

export const createTransferBodySchema = z.strictObject({
  kind: transferKindSchema,
  handoverUserid: userid,
  takeoverUserid: userid,
  /** Split into WeCom calls of 100. */
  externalUserIds: z.array(z.string().trim().min(1).max(128)).min(1).max(10_000),
  /** Shown to the customer when an on-duty transfer succeeds (≤ 200 characters). */
  message: z.string().max(1000).optional(),
});
export type CreateTransferBody = z.infer<typeof createTransferBodySchema>;

export const previewTransferBodySchema = createTransferBodySchema.omit({ message: true });

export const resignedHandoverBodySchema = z.strictObject({ handoverUserid: userid, takeoverUserid: userid });

export const transferVerdictSchema = z.object({
  externalUserId: z.string(),
  allowed: z.boolean(),
  reason: transferBlockSchema.nullable(),
  recentTransfers: z.number().int(),
  nextAllowedAt: z.string().nullable(),
});

export const transferPreviewSchema = z.object({
  kind: transferKindSchema,
  allowed: z.number().int(),
  blocked: z.number().int(),
  /** WeCom calls the allowed customers need (100 per call). */
  calls: z.number().int(),
  /** When the takeover happens if nobody refuses (24 h from now). */
  takeoverAt: z.string(),
  /** On-duty transfers only: the customer may refuse within 24 hours. */
  customerMayRefuse: z.boolean(),
  items: z.array(transferVerdictSchema),
});
export type TransferPreview = z.infer<typeof transferPreviewSchema>;

export const transferItemSchema = z.object({
  externalUserId: z.string(),
  status: transferItemStatusSchema,
  reason: z.string().nullable(),
  errcode: z.number().int().nullable(),
  startedAt: z.string().nullable(),
  takeoverAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type TransferItem = z.infer<typeof transferItemSchema>;

const count = z.number().int();
export const transferCountsSchema = z.object({ skipped: count, pending: count, accepted: count, refused: count, limit: count, failed: count });

export const transferSchema = z.object({
  id: z.uuid(),
  accountId: z.uuid(),
  kind: transferKindSchema,
  handoverUserid: z.string(),
  takeoverUserid: z.string(),
  message: z.string().nullable(),
  jobId: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  counts: transferCountsSchema,
});
export type Transfer = z.infer<typeof transferSchema>;

export const transferDetailSchema = transferSchema.extend({ items: z.array(transferItemSchema) });
export type TransferDetail = z.infer<typeof transferDetailSchema>;

export const transferPageSchema = pageOf(transferSchema);

export const listTransfersQuerySchema = pageQuerySchema.extend({
  kind: transferKindSchema.optional(),
  /** Transfers with at least one customer in this state. */
  status: transferItemStatusSchema.optional(),
});
export type ListTransfersQuery = z.infer<typeof listTransfersQuerySchema>;

export const resignedHandoverAnswerSchema = z.object({ transfer: transferSchema, jobId: z.string() });

export const refreshAnswerSchema = z.object({ checked: z.number().int(), changed: z.number().int() });

export const unassignedSchema = z.object({
  items: z.array(z.object({ handoverUserid: z.string(), customers: z.number().int(), dimissionTime: z.string() })),
});

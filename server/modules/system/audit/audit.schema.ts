import { z } from 'zod';
import { pageOf, pageQuerySchema } from '../../../../common/paging';
import { text } from '../../../../common/text';

export const auditActorTypeSchema = z.enum(['user', 'api_key', 'system', 'anonymous']);
export const auditOutcomeSchema = z.enum(['ok', 'refused']);

export const auditEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorType: auditActorTypeSchema,
  /** The user id behind the actor (for API keys: the key's owner). */
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  outcome: auditOutcomeSchema,
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  summary: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  requestId: z.string().nullable(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** Newest first; `from`/`to` bound `at` (inclusive, ISO 8601). */
export const listAuditQuerySchema = z.strictObject({
  ...pageQuerySchema.shape,
  /** A user id or username. */
  actor: text(100).optional(),
  action: text(100).optional(),
  outcome: auditOutcomeSchema.optional(),
  targetType: text(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type ListAuditQuery = z.infer<typeof listAuditQuerySchema>;

export const auditPageSchema = pageOf(auditEntrySchema);
export type AuditPage = z.infer<typeof auditPageSchema>;

export const auditVerifyResultSchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  /** The first entry whose hash does not match or that is missing from the chain. */
  brokenAt: z.number().int().optional(),
});
export type AuditVerifyResult = z.infer<typeof auditVerifyResultSchema>;

import { z } from 'zod';
import { pageOf, pageQuerySchema } from '../../../../common/paging';
import { requiredText, text } from '../../../../common/text';

export const followUpStageSchema = z.enum(['initial_contact', 'needs_confirmed', 'proposal', 'negotiation', 'won', 'lost']);
export type FollowUpStage = z.infer<typeof followUpStageSchema>;
export const reminderStateSchema = z.enum(['none', 'pending', 'sent', 'failed', 'cancelled']);
/** `due`: the latest record of a customer and member, its next-contact time ahead; `overdue`: that time has passed. */
export const reminderStatusSchema = z.enum(['none', 'due', 'overdue']);

const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');
const isoTime = z.iso.datetime({ offset: true });

export const accountParamsSchema = z.strictObject({ accountId: z.uuid() });
export const customerParamsSchema = z.strictObject({ accountId: z.uuid(), externalUserId: text(64, 1) });
export const followUpParamsSchema = z.strictObject({ accountId: z.uuid(), externalUserId: text(64, 1), followUpId: z.uuid() });
export const attachmentParamsSchema = followUpParamsSchema.extend({ attachmentId: z.uuid() });

export const attachmentSchema = z.object({
  id: z.string(),
  filename: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  createdAt: z.string(),
});
export type FollowUpAttachment = z.infer<typeof attachmentSchema>;

export const followUpSchema = z.object({
  id: z.string(),
  externalUserId: z.string(),
  customerName: z.string(),
  /** The WeCom member whose customer this is. */
  userid: z.string(),
  memberName: z.string().nullable(),
  note: z.string(),
  stage: followUpStageSchema,
  nextContactAt: z.string().nullable(),
  reminderStatus: reminderStatusSchema,
  reminder: z.object({ state: reminderStateSchema, sentAt: z.string().nullable(), error: z.string().nullable() }),
  attachments: z.array(attachmentSchema),
  createdBy: z.object({ userId: z.string().nullable(), name: z.string().nullable() }),
  updatedBy: z.object({ userId: z.string().nullable(), name: z.string().nullable() }),
  revision: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type FollowUp = z.infer<typeof followUpSchema>;
export const followUpPageSchema = pageOf(followUpSchema);
export type FollowUpPage = z.infer<typeof followUpPageSchema>;

export const followUpRevisionSchema = z.object({
  revision: z.number().int(),
  note: z.string(),
  stage: followUpStageSchema,
  nextContactAt: z.string().nullable(),
  writtenBy: z.object({ userId: z.string().nullable(), name: z.string().nullable() }),
  writtenAt: z.string(),
});
export const followUpHistorySchema = z.object({ items: z.array(followUpRevisionSchema) });
export type FollowUpRevision = z.infer<typeof followUpRevisionSchema>;

export const createFollowUpBodySchema = z.strictObject({
  /** The member whose customer it is; a member-role user tied to one WeCom member may leave it out. */
  userid: text(64, 1).optional(),
  note: requiredText(5000),
  stage: followUpStageSchema,
  nextContactAt: isoTime.nullable().optional(),
});
export type CreateFollowUpBody = z.infer<typeof createFollowUpBodySchema>;

export const updateFollowUpBodySchema = z
  .strictObject({
    note: requiredText(5000).optional(),
    stage: followUpStageSchema.optional(),
    nextContactAt: isoTime.nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'change at least one field');
export type UpdateFollowUpBody = z.infer<typeof updateFollowUpBodySchema>;

export const listCustomerFollowUpsQuerySchema = z.strictObject({ ...pageQuerySchema.shape });
export type ListCustomerFollowUpsQuery = z.infer<typeof listCustomerFollowUpsQuerySchema>;

const listFilters = {
  userid: text(64, 1).optional(),
  /** Members of this department and its sub-departments. */
  departmentId: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
  stage: followUpStageSchema.optional(),
  externalUserId: text(64, 1).optional(),
  /** Open reminders (the latest record of a customer and member) due at or before this time, overdue ones included. */
  dueBefore: isoTime.optional(),
  /** Open reminders whose time has passed. */
  overdue: booleanQuery.optional(),
  /** Matches the note or the customer's name (contains, ignoring case). */
  q: text(100).optional(),
};

export const listFollowUpsQuerySchema = z.strictObject({ ...pageQuerySchema.shape, ...listFilters });
export type ListFollowUpsQuery = z.infer<typeof listFollowUpsQuerySchema>;
export const exportFollowUpsQuerySchema = z.strictObject(listFilters);
export type ExportFollowUpsQuery = z.infer<typeof exportFollowUpsQuerySchema>;

export const overviewQuerySchema = z.strictObject({ from: isoTime.optional(), to: isoTime.optional(), departmentId: listFilters.departmentId });
export type OverviewQuery = z.infer<typeof overviewQuerySchema>;

export const memberOverviewSchema = z.object({
  userid: z.string(),
  name: z.string().nullable(),
  /** Records created in [from, to). */
  written: z.number().int(),
  /** Open reminders whose time lies ahead, inside [from, to). */
  due: z.number().int(),
  /** Open reminders whose time has passed, inside [from, to). */
  overdue: z.number().int(),
});
export const followUpOverviewSchema = z.object({
  from: z.string(),
  to: z.string(),
  members: z.array(memberOverviewSchema),
  totals: z.object({ written: z.number().int(), due: z.number().int(), overdue: z.number().int() }),
});
export type FollowUpOverview = z.infer<typeof followUpOverviewSchema>;

import { z } from 'zod';
import { pageOf, pageQuerySchema } from '../../../../common/paging';

export const syncKinds = ['department', 'member'] as const;
export type SyncKind = (typeof syncKinds)[number];

export const syncActions = ['pull-create', 'pull-update', 'pull-delete', 'push-create', 'push-update', 'push-delete', 'conflict'] as const;
export type SyncAction = (typeof syncActions)[number];

export const itemStates = ['pending', 'applied', 'failed', 'skipped'] as const;
export type ItemState = (typeof itemStates)[number];

export const conflictChoices = ['keep-qiao', 'take-wecom'] as const;
export type ConflictChoice = (typeof conflictChoices)[number];

export const runStates = ['comparing', 'ready', 'applying', 'applied', 'failed'] as const;
export type RunState = (typeof runStates)[number];

/**
 * Member fields WeCom stopped returning to self-built apps created after
 * 2022-06-20 (facts §5.3). Qiao stores mobile, email and gender; the others it
 * never keeps. When WeCom leaves one out, the diff marks it unavailable
 * instead of treating it as cleared.
 */
export const restrictedMemberFields = ['mobile', 'email', 'gender', 'avatar', 'biz_mail', 'qr_code', 'address'] as const;

/** A department's values as compared between Qiao and WeCom. */
export const departmentValuesSchema = z.object({
  id: z.number().int(),
  parentId: z.number().int(),
  name: z.string(),
  nameEn: z.string().nullable(),
  order: z.number(),
  leaderUserids: z.array(z.string()),
});
export type DepartmentValues = z.infer<typeof departmentValuesSchema>;

/** A member's values as compared between Qiao and WeCom. */
export const memberValuesSchema = z.object({
  userid: z.string(),
  name: z.string(),
  alias: z.string().nullable(),
  mobile: z.string().nullable(),
  email: z.string().nullable(),
  position: z.string().nullable(),
  gender: z.enum(['unknown', 'male', 'female']),
  telephone: z.string().nullable(),
  status: z.enum(['active', 'disabled', 'inactive', 'resigned']),
  mainDepartmentId: z.number().int(),
  departments: z.array(z.object({ departmentId: z.number().int(), order: z.number(), isLeader: z.boolean() })),
});
export type MemberValues = z.infer<typeof memberValuesSchema>;

/** One field that differs: what Qiao has, what WeCom has, what both last agreed on. */
export const fieldChangeSchema = z.object({
  field: z.string(),
  qiao: z.unknown(),
  wecom: z.unknown(),
  /** The last agreed value; null when the entity was never synced. */
  base: z.unknown(),
  /** Changed on both sides to different values. */
  conflict: z.boolean(),
});
export type FieldChange = z.infer<typeof fieldChangeSchema>;

export const syncItemSchema = z.object({
  id: z.string(),
  kind: z.enum(syncKinds),
  /** The userid, or the department id as text. */
  key: z.string(),
  label: z.string(),
  action: z.enum(syncActions),
  fields: z.array(fieldChangeSchema),
  /** Fields WeCom did not return for this entity (restricted for self-built apps). */
  unavailableFields: z.array(z.string()),
  resolution: z.enum(conflictChoices).nullable(),
  state: z.enum(itemStates),
  errcode: z.number().int().nullable(),
  error: z.string().nullable(),
  appliedAt: z.string().nullable(),
});
export type SyncItem = z.infer<typeof syncItemSchema>;
export const syncItemPageSchema = pageOf(syncItemSchema);
export type SyncItemPage = z.infer<typeof syncItemPageSchema>;

export const actionCountsSchema = z.record(z.string(), z.number().int());

export const syncRunSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  /** `manual`: a comparison someone started; `callback`: conflicts WeCom's change callbacks ran into. */
  trigger: z.enum(['manual', 'pull', 'callback']),
  state: z.enum(runStates),
  counts: actionCountsSchema,
  /** Restricted member fields WeCom left out in this comparison. */
  hiddenFields: z.array(z.string()),
  compareJobId: z.string().nullable(),
  applyJobId: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type SyncRun = z.infer<typeof syncRunSchema>;
export const syncRunPageSchema = pageOf(syncRunSchema);

export const syncAccountParamsSchema = z.strictObject({ accountId: z.uuid() });
export const syncRunParamsSchema = z.strictObject({ accountId: z.uuid(), runId: z.uuid() });

export const listRunsQuerySchema = pageQuerySchema;
export const listItemsQuerySchema = pageQuerySchema.extend({
  kind: z.enum(syncKinds).optional(),
  action: z.enum(syncActions).optional(),
  state: z.enum(itemStates).optional(),
});
export type ListItemsQuery = z.infer<typeof listItemsQuerySchema>;

export const applyBodySchema = z.strictObject({
  /** Every pull item (WeCom → Qiao). */
  pulls: z.boolean().optional(),
  /** Every push item (Qiao → WeCom). */
  pushes: z.boolean().optional(),
  /** Single items, in addition. */
  itemIds: z.array(z.uuid()).max(10_000).optional(),
  /** A choice per conflict; a conflict without one is left alone. */
  resolutions: z.array(z.strictObject({ itemId: z.uuid(), choice: z.enum(conflictChoices) })).max(10_000).optional(),
});
export type ApplyBody = z.infer<typeof applyBodySchema>;

export const jobRefSchema = z.object({ id: z.string(), kind: z.string(), state: z.string() });
export const runWithJobSchema = z.object({ run: syncRunSchema, job: jobRefSchema });
export type RunWithJob = z.infer<typeof runWithJobSchema>;

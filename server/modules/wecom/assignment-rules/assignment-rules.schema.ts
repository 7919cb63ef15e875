import { z } from 'zod';

export const accountParamsSchema = z.strictObject({ accountId: z.uuid() });
export const ruleParamsSchema = z.strictObject({ accountId: z.uuid(), ruleId: z.uuid() });

const hhmm = z.string().regex(/^([01]\d|2[0-3]):([0-5]\d)$/, 'HH:MM');

export const workingHoursSchema = z.strictObject({
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  days: z.array(z.number().int().min(1).max(7)).min(1).max(7),
  start: hhmm,
  end: hhmm,
});

const ruleFields = {
  name: z.string().trim().min(1).max(60),
  /** Lower runs first. */
  priority: z.number().int().min(0).max(10_000),
  /** Contact-way `state` values (channels); empty = any. */
  states: z.array(z.string().trim().min(1).max(30)).max(50),
  /** Region names (上海, 杭州…); a customer's region comes from the request, a tag or a landline area code (mobile numbers carry none: those customers need a region tag). */
  regions: z.array(z.string().trim().min(1).max(30)).max(50),
  userids: z.array(z.string().trim().min(1).max(64)).max(100),
  /** Members of these departments and their sub-departments. */
  departmentIds: z.array(z.number().int().min(1)).max(100),
  /** Most new customers per member per day (Asia/Shanghai); null = no cap. */
  capacityPerDay: z.number().int().min(1).max(10_000).nullable(),
  /** Asia/Shanghai; null = any time. */
  workingHours: workingHoursSchema.nullable(),
  /** A 「联系我」 code (config_id) whose members Qiao keeps to this rule's eligible members. */
  configId: z.string().trim().min(1).max(128).nullable(),
};

export const createRuleBodySchema = z.strictObject({
  ...ruleFields,
  priority: ruleFields.priority.default(100),
  states: ruleFields.states.default([]),
  regions: ruleFields.regions.default([]),
  userids: ruleFields.userids.default([]),
  departmentIds: ruleFields.departmentIds.default([]),
  capacityPerDay: ruleFields.capacityPerDay.default(null),
  workingHours: ruleFields.workingHours.default(null),
  configId: ruleFields.configId.default(null),
});
export type CreateRuleBody = z.infer<typeof createRuleBodySchema>;

export const updateRuleBodySchema = z.strictObject(ruleFields).partial();
export type UpdateRuleBody = z.infer<typeof updateRuleBodySchema>;

export const ruleSchema = z.object({
  id: z.uuid(),
  accountId: z.uuid(),
  ...ruleFields,
  appliedUserids: z.array(z.string()).nullable(),
  appliedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Rule = z.infer<typeof ruleSchema>;

export const ruleListSchema = z.object({ items: z.array(ruleSchema) });

export const resolveBodySchema = z.strictObject({
  state: z.string().max(30).optional(),
  region: z.string().max(30).optional(),
  phone: z.string().max(30).optional(),
  tags: z.array(z.string().max(30)).max(100).optional(),
  /** When the customer arrives; now when absent. */
  at: z.iso.datetime({ offset: true }).optional(),
});
export type ResolveBody = z.infer<typeof resolveBodySchema>;

const memberReason = z.enum(['eligible', 'inactive', 'full', 'unknown']);

export const resolutionSchema = z.object({
  ruleId: z.string().nullable(),
  ruleName: z.string().nullable(),
  userids: z.array(z.string()),
  next: z.string().nullable(),
  region: z.string().nullable(),
  at: z.string(),
  verdicts: z.array(
    z.object({
      ruleId: z.string(),
      name: z.string(),
      matched: z.boolean(),
      skipped: z.enum(['channel', 'region', 'off_hours', 'empty_pool', 'none_eligible']).optional(),
      members: z.array(z.object({ userid: z.string(), name: z.string().nullable(), reason: memberReason, addsToday: z.number().int() })),
    }),
  ),
});
export type ResolutionView = z.infer<typeof resolutionSchema>;

export const applyAnswerSchema = z.object({
  items: z.array(
    z.object({
      ruleId: z.string(),
      configId: z.string(),
      /** The code's members: as set now, or as they stay when skipped. */
      userids: z.array(z.string()),
      changed: z.boolean(),
      /**
       * Why the contact way was left as it was: `channel` the code's state is not one of the rule's channels,
       * `code_busy` another change to the code was in flight (the next round tries again).
       */
      skipped: z.enum(['channel', 'off_hours', 'empty_pool', 'none_eligible', 'code_busy', 'wecom_error']).nullable(),
      errcode: z.number().int().nullable(),
    }),
  ),
});
export type ApplyAnswer = z.infer<typeof applyAnswerSchema>;

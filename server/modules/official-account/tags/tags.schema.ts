import { z } from 'zod';
import { text } from '../../../../common/text';

/** WeChat's tag limits (facts §4.4). */
export const TAG_LIMITS = {
  perAccount: 100,
  nameChars: 30,
  /** Tags 0–2 belong to WeChat (e.g. 2 = 星标组) and cannot change. */
  systemMaxId: 2,
  perFollower: 20,
  batchOpenIds: 50,
  deletableFollowers: 100_000,
  /** What one tagging request may carry (a job of 50-OpenID batches). */
  bulkOpenIds: 20_000,
} as const;

export const tagAccountParamsSchema = z.strictObject({ id: z.uuid() });
export const tagParamsSchema = z.strictObject({ id: z.uuid(), tagId: z.coerce.number().int().min(0) });
export const ruleParamsSchema = z.strictObject({ id: z.uuid(), ruleId: z.uuid() });

export const tagSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  /** Current followers carrying the tag, as Qiao knows them. */
  count: z.number().int(),
  /** WeChat's own tags 0–2: read-only. */
  system: z.boolean(),
});
export type Tag = z.infer<typeof tagSchema>;
export const tagListSchema = z.object({ items: z.array(tagSchema) });

export const tagBodySchema = z.strictObject({ name: text(100, 1) });
export type TagBody = z.infer<typeof tagBodySchema>;

export const tagFollowersBodySchema = z.strictObject({ openIds: z.array(text(64, 1)).min(1).max(TAG_LIMITS.bulkOpenIds) });
export type TagFollowersBody = z.infer<typeof tagFollowersBodySchema>;

export const ruleTriggers = ['menu_click', 'keyword'] as const;
export const ruleMatches = ['exact', 'contains'] as const;

export const tagRuleSchema = z.object({
  id: z.string(),
  tagId: z.number().int(),
  /** `menu_click`: the menu button key equals `value`; `keyword`: a text message matches `value`. */
  trigger: z.enum(ruleTriggers),
  match: z.enum(ruleMatches),
  value: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TagRule = z.infer<typeof tagRuleSchema>;
export const tagRuleListSchema = z.object({ items: z.array(tagRuleSchema) });

export const tagRuleBodySchema = z.strictObject({
  tagId: z.number().int().min(0),
  trigger: z.enum(ruleTriggers),
  /** Menu clicks match the key exactly; keywords exactly or anywhere in the message. */
  match: z.enum(ruleMatches).default('exact'),
  value: text(128, 1).transform((s) => s.trim()).pipe(z.string().min(1, 'must not be empty')),
});
export type TagRuleBody = z.infer<typeof tagRuleBodySchema>;

export const startedTagJobSchema = z.object({ id: z.string(), kind: z.string(), state: z.string() });

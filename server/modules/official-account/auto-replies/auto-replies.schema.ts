import { z } from 'zod';
import { pageOf, pageQuerySchema } from '../../../../common/paging';
import { requiredText, text } from '../../../../common/text';

/**
 * `subscribe` answers a follow (被关注回复), `default` any message no keyword
 * rule matched (收到消息回复), `keyword` a text message (关键词回复), `click`
 * a menu button of type click (菜单点击回复; an extension of the contract's three kinds).
 */
export const autoReplyKindSchema = z.enum(['subscribe', 'default', 'keyword', 'click']);
export type AutoReplyKind = z.infer<typeof autoReplyKindSchema>;

export const keywordMatchSchema = z.enum(['exact', 'contains']);
export type KeywordMatch = z.infer<typeof keywordMatchSchema>;

/** `all`: every reply (the first passively, the rest as customer-service messages); `random`: one at random. */
export const replyModeSchema = z.enum(['all', 'random']);
export type ReplyMode = z.infer<typeof replyModeSchema>;

// Bounds here are sanity limits; WeChat's own limits (bytes, articles) are checked by the service with the field named.
export const keywordSchema = z.strictObject({ text: requiredText(60), match: keywordMatchSchema });
export type AutoReplyKeyword = z.infer<typeof keywordSchema>;
const keywordOutSchema = z.object({ text: z.string(), match: keywordMatchSchema });

interface StringKinds {
  required(max: number): z.ZodType<string>;
  optional(max: number): z.ZodOptional<z.ZodType<string>>;
}
const inputStrings: StringKinds = {
  required: (max) => text(max).pipe(z.string().min(1, 'must not be empty')),
  optional: (max) => text(max).optional(),
};
// Responses are serialized through plain strings (input schemas carry transforms).
const outputStrings: StringKinds = { required: () => z.string(), optional: () => z.string().optional() };

/** One reply, in the shapes of WeChat's passive replies (facts §3.3). */
function messageSchema(s: StringKinds) {
  const mediaId = s.required(256);
  const article = z.strictObject({ title: s.required(64), description: s.optional(120), picUrl: s.optional(1024), url: s.optional(1024) });
  return z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('text'), content: s.required(4000) }),
    z.strictObject({ type: z.literal('image'), mediaId }),
    z.strictObject({ type: z.literal('voice'), mediaId }),
    z.strictObject({ type: z.literal('video'), mediaId, title: s.optional(64), description: s.optional(120) }),
    z.strictObject({
      type: z.literal('music'),
      title: s.optional(64),
      description: s.optional(120),
      musicUrl: s.optional(1024),
      hqMusicUrl: s.optional(1024),
      thumbMediaId: mediaId,
    }),
    z.strictObject({ type: z.literal('news'), articles: z.array(article).min(1).max(8) }),
  ]);
}
export const autoReplyMessageSchema = messageSchema(inputStrings);
const autoReplyMessageOutSchema = messageSchema(outputStrings);
export type AutoReplyMessage = z.infer<typeof autoReplyMessageSchema>;

export const autoReplySourceSchema = z.enum(['qiao', 'platform']);

export const createAutoReplyBodySchema = z.strictObject({
  kind: autoReplyKindSchema,
  name: text(60).optional(),
  enabled: z.boolean().default(true),
  keywords: z.array(keywordSchema).max(20).default([]),
  /** Menu button keys (click, scancode_push, scancode_waitmsg buttons) this rule answers. */
  clickKeys: z.array(text(200).pipe(z.string().min(1))).max(20).default([]),
  replies: z.array(autoReplyMessageSchema).min(1).max(10),
  replyMode: replyModeSchema.default('all'),
});
export type CreateAutoReplyBody = z.infer<typeof createAutoReplyBodySchema>;

export const updateAutoReplyBodySchema = z.strictObject({
  name: text(60).optional(),
  enabled: z.boolean().optional(),
  keywords: z.array(keywordSchema).max(20).optional(),
  clickKeys: z.array(text(200).pipe(z.string().min(1))).max(20).optional(),
  replies: z.array(autoReplyMessageSchema).min(1).max(10).optional(),
  replyMode: replyModeSchema.optional(),
});
export type UpdateAutoReplyBody = z.infer<typeof updateAutoReplyBodySchema>;

export const autoReplyRuleSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  kind: autoReplyKindSchema,
  name: z.string(),
  enabled: z.boolean(),
  /** 0 is the highest priority within the kind. */
  position: z.number().int(),
  keywords: z.array(keywordOutSchema),
  clickKeys: z.array(z.string()),
  replies: z.array(autoReplyMessageOutSchema),
  replyMode: replyModeSchema,
  source: autoReplySourceSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AutoReplyRule = z.infer<typeof autoReplyRuleSchema>;

/** Another enabled rule a follower's message could match together with this one. */
export const autoReplyOverlapSchema = z.object({
  keyword: keywordOutSchema,
  otherRuleId: z.string(),
  otherRuleName: z.string(),
  otherKeyword: keywordOutSchema,
  /** Which rule answers a message both match: the one with the higher priority. */
  winner: z.enum(['this', 'other']),
});
export type AutoReplyOverlap = z.infer<typeof autoReplyOverlapSchema>;

export const autoReplyRuleWithWarningsSchema = autoReplyRuleSchema.extend({ overlaps: z.array(autoReplyOverlapSchema) });
export type AutoReplyRuleWithWarnings = z.infer<typeof autoReplyRuleWithWarningsSchema>;

export const listAutoRepliesQuerySchema = pageQuerySchema.extend({
  kind: autoReplyKindSchema.optional(),
  /** Finds rules by name or keyword. */
  q: text(60).optional(),
});
export type ListAutoRepliesQuery = z.infer<typeof listAutoRepliesQuerySchema>;
export const autoReplyPageSchema = pageOf(autoReplyRuleSchema);

export const accountParamsSchema = z.object({ id: z.uuid() });
export const ruleParamsSchema = z.object({ id: z.uuid(), ruleId: z.uuid() });

export const moveAutoReplyBodySchema = z.strictObject({ toIndex: z.number().int().min(0).max(1_000_000) });

export const autoReplyStatusSchema = z.object({
  counts: z.record(autoReplyKindSchema, z.number().int()),
  /** When rules were last imported from the platform's own auto-replies; null: never. */
  importedAt: z.string().nullable(),
  version: z.number().int(),
});
export type AutoReplyStatus = z.infer<typeof autoReplyStatusSchema>;

export const autoReplyTestBodySchema = z.strictObject({
  content: text(4000),
  /** What the follower did: sent `content`, followed, or clicked the button whose key is `content`. */
  trigger: z.enum(['message', 'subscribe', 'click']).default('message'),
});
export type AutoReplyTestBody = z.infer<typeof autoReplyTestBodySchema>;

export const autoReplyTestResultSchema = z.object({
  matched: z.boolean(),
  ruleId: z.string().nullable(),
  ruleName: z.string().nullable(),
  kind: autoReplyKindSchema.nullable(),
  keyword: keywordOutSchema.nullable(),
  replyMode: replyModeSchema.nullable(),
  replies: z.array(autoReplyMessageOutSchema),
});
export type AutoReplyTestResult = z.infer<typeof autoReplyTestResultSchema>;

export const autoReplyImportResultSchema = z.object({
  imported: z.number().int(),
  /** Rules an earlier import already brought in. */
  alreadyImported: z.number().int(),
  skipped: z.array(z.object({ name: z.string(), reason: z.string() })),
  importedAt: z.string(),
});
export type AutoReplyImportResult = z.infer<typeof autoReplyImportResultSchema>;

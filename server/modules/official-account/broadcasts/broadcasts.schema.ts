import { z } from 'zod';
import { pageOf, pageQuerySchema } from '../../../../common/paging';
import { requiredText, text } from '../../../../common/text';

/** WeChat's bounds for a send by OpenID list (facts §4.5). */
export const OPENID_LIST_MIN = 2;
export const OPENID_LIST_MAX = 10_000;
/** Each follower gets at most this many mass messages a month from a service account. */
export const SERVICE_MONTHLY_PER_FOLLOWER = 4;

export const broadcastAccountParamsSchema = z.strictObject({ accountId: z.uuid() });
export const broadcastParamsSchema = z.strictObject({ accountId: z.uuid(), broadcastId: z.uuid() });

const openIdSchema = text(64, 1).regex(/^[A-Za-z0-9_-]+$/, 'an OpenID is letters, digits, - and _');

export const broadcastContentSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), text: requiredText(2000) }),
  /** A media_id from the account's media (temporary media expires after 3 days). */
  z.strictObject({ type: z.literal('image'), mediaId: text(200, 1), mediaExpiresAt: z.iso.datetime({ offset: true }).nullable().default(null) }),
  /** An article: the media_id of a draft (草稿箱 `draft/add`). */
  z.strictObject({ type: z.literal('mpnews'), mediaId: text(200, 1), title: text(64).nullable().default(null) }),
]);
export type BroadcastContentInput = z.infer<typeof broadcastContentSchema>;

export const broadcastAudienceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('tags'), tagIds: z.array(z.number().int().min(0)).min(1).max(20) }),
  z.strictObject({ kind: z.literal('openIds'), openIds: z.array(openIdSchema).min(1).max(OPENID_LIST_MAX) }),
]);
export type BroadcastAudienceInput = z.infer<typeof broadcastAudienceSchema>;

export const estimateBroadcastBodySchema = z.strictObject({ audience: broadcastAudienceSchema });

export const createBroadcastBodySchema = z.strictObject({
  content: broadcastContentSchema,
  audience: broadcastAudienceSchema,
  /** Send at this time (a job runs then); omitted: send now. */
  scheduledAt: z.iso.datetime({ offset: true }).optional(),
  /** Service accounts: send to the followers still under 4 this month, skipping the rest, instead of refusing. */
  skipOverQuota: z.boolean().default(false),
});
export type CreateBroadcastBody = z.infer<typeof createBroadcastBodySchema>;

export const previewBroadcastBodySchema = z.strictObject({ content: broadcastContentSchema, openId: openIdSchema });

export const listBroadcastsQuerySchema = z.strictObject({
  ...pageQuerySchema.shape,
  state: z.enum(['scheduled', 'queued', 'sending', 'submitted', 'finished', 'failed', 'unknown', 'cancelled']).optional(),
});
export type ListBroadcastsQuery = z.infer<typeof listBroadcastsQuerySchema>;

export const listRecipientsQuerySchema = z.strictObject({ ...pageQuerySchema.shape });

export const broadcastStateSchema = z.enum(['scheduled', 'queued', 'sending', 'submitted', 'finished', 'failed', 'unknown', 'cancelled']);
export type BroadcastState = z.infer<typeof broadcastStateSchema>;

export const quotaSchema = z.discriminatedUnion('kind', [
  /** Subscription accounts: one mass send a day (Beijing time). */
  z.object({ kind: z.literal('daily'), limit: z.number().int(), usedToday: z.number().int(), lastSentAt: z.string().nullable(), allowed: z.boolean() }),
  /** Service accounts: 4 per follower a month, counted from Qiao's own sends. */
  z.object({ kind: z.literal('monthly'), limit: z.number().int(), overQuota: z.number().int(), remaining: z.number().int(), overQuotaSample: z.array(z.string()), allowed: z.boolean() }),
]);
export type Quota = z.infer<typeof quotaSchema>;

export const estimateSchema = z.object({
  accountType: z.enum(['service', 'subscription']),
  recipientCount: z.number().int(),
  quota: quotaSchema,
  /** Counted from Qiao's own send history; sends made on mp.weixin.qq.com are not known here. */
  quotaSource: z.literal('qiao_history'),
});
export type Estimate = z.infer<typeof estimateSchema>;

export const broadcastSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  state: broadcastStateSchema,
  content: z.union([
    z.object({ type: z.literal('text'), text: z.string() }),
    z.object({ type: z.literal('image'), mediaId: z.string(), mediaExpiresAt: z.string().nullable() }),
    z.object({ type: z.literal('mpnews'), mediaId: z.string(), title: z.string().nullable() }),
  ]),
  audience: z.union([
    z.object({ kind: z.literal('all') }),
    z.object({ kind: z.literal('tags'), tagIds: z.array(z.number()) }),
    z.object({ kind: z.literal('openIds'), openIds: z.array(z.string()) }),
  ]),
  recipientCount: z.number().int(),
  overQuotaCount: z.number().int(),
  scheduledAt: z.string().nullable(),
  jobId: z.string().nullable(),
  msgId: z.string().nullable(),
  wechatStatus: z.string().nullable(),
  counts: z.object({ total: z.number().int(), filter: z.number().int(), sent: z.number().int(), error: z.number().int() }).nullable(),
  failure: z.object({ code: z.string(), errcode: z.number().optional(), errmsg: z.string().optional() }).nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Broadcast = z.infer<typeof broadcastSchema>;

export const broadcastPageSchema = pageOf(broadcastSchema);

export const recipientSchema = z.object({ openId: z.string(), status: z.enum(['pending', 'submitted', 'over_quota', 'failed']) });
export const recipientPageSchema = pageOf(recipientSchema);

export const previewResultSchema = z.object({ ok: z.literal(true), openId: z.string() });

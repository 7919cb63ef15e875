import { z } from 'zod';
import { pageOf, pageQuerySchema } from '../../../../common/paging';
import { text } from '../../../../common/text';

/** How a follower found the account (user/info `subscribe_scene`, facts §4.3). */
export const subscribeScenes = [
  'ADD_SCENE_SEARCH',
  'ADD_SCENE_ACCOUNT_MIGRATION',
  'ADD_SCENE_PROFILE_CARD',
  'ADD_SCENE_QR_CODE',
  'ADD_SCENE_PROFILE_LINK',
  'ADD_SCENE_PROFILE_ITEM',
  'ADD_SCENE_PAID',
  'ADD_SCENE_WECHAT_ADVERTISEMENT',
  'ADD_SCENE_REPRINT',
  'ADD_SCENE_LIVESTREAM',
  'ADD_SCENE_CHANNELS',
  'ADD_SCENE_OTHERS',
] as const;

/** WeChat takes remarks shorter than 30 characters. */
export const REMARK_MAX_CHARS = 29;

export const accountParamsSchema = z.strictObject({ id: z.uuid() });
export const followerParamsSchema = z.strictObject({ id: z.uuid(), openId: text(64, 1) });

const dateTime = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

export const listFollowersQuerySchema = z.strictObject({
  ...pageQuerySchema.shape,
  /** Followers carrying this tag. */
  tagId: z.coerce.number().int().min(0).optional(),
  subscribedFrom: dateTime.optional(),
  subscribedTo: dateTime.optional(),
  scene: z.enum(subscribeScenes).optional(),
  language: text(20, 1).optional(),
  /** Country, province or city, where WeChat still returned them. */
  region: text(50, 1).optional(),
  /** An OpenID (or its beginning) or words of the remark. */
  q: text(64, 1).optional(),
  /** Current followers by default. */
  status: z.enum(['subscribed', 'unsubscribed', 'all']).default('subscribed'),
  /** Counting costs time: the total comes only when asked, exact up to FOLLOWER_COUNT_EXACT_UP_TO, estimated above. */
  withTotal: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export type ListFollowersQuery = z.infer<typeof listFollowersQuerySchema>;

export const followerSchema = z.object({
  openId: z.string(),
  subscribed: z.boolean(),
  remark: z.string(),
  tagIds: z.array(z.number().int()),
  subscribeTime: z.string(),
  unsubscribeTime: z.string().nullable(),
  subscribeScene: z.string().nullable(),
  qrScene: z.number().nullable(),
  qrSceneStr: z.string().nullable(),
  language: z.string().nullable(),
  unionId: z.string().nullable(),
  groupId: z.number().nullable(),
  country: z.string().nullable(),
  province: z.string().nullable(),
  city: z.string().nullable(),
  lastInteractionAt: z.string().nullable(),
  updatedAt: z.string(),
});
export type Follower = z.infer<typeof followerSchema>;
export const followerPageSchema = pageOf(followerSchema).extend({
  /** false when `total` is an estimate: past FOLLOWER_COUNT_EXACT_UP_TO matches, counting stops and the planner's estimate is given. */
  totalExact: z.boolean().optional(),
});
/** Up to this many matches `total` is exact; counting a broad filter over a million rows exactly takes a second or more. */
export const FOLLOWER_COUNT_EXACT_UP_TO = 10_000;
export type FollowerPage = z.infer<typeof followerPageSchema>;

/** One entry of a follower's message history (what they sent, what was answered). */
export const followerMessageSchema = z.object({
  id: z.string(),
  type: z.string(),
  msgType: z.string(),
  event: z.string().nullable(),
  content: z.string().nullable(),
  fields: z.record(z.string(), z.unknown()),
  reply: z.record(z.string(), z.unknown()).nullable(),
  receivedAt: z.string(),
});
export const followerMessagePageSchema = pageOf(followerMessageSchema);
export type FollowerMessage = z.infer<typeof followerMessageSchema>;

export const followerDetailSchema = followerSchema.extend({
  tags: z.array(z.object({ id: z.number().int(), name: z.string() })),
});
export type FollowerDetail = z.infer<typeof followerDetailSchema>;

export const followerMessagesQuerySchema = z.strictObject({ ...pageQuerySchema.shape });

export const updateFollowerBodySchema = z.strictObject({ remark: text(200) });
export type UpdateFollowerBody = z.infer<typeof updateFollowerBodySchema>;

/** A job Qiao started: poll `GET /api/v1/jobs/{id}` for its progress. */
export const startedJobSchema = z.object({ id: z.string(), kind: z.string(), state: z.string() });
export type StartedJob = z.infer<typeof startedJobSchema>;

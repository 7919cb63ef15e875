import { z } from 'zod';
import { pageOf, pageQuerySchema } from '../../../../common/paging';
import { text } from '../../../../common/text';

export const apiCallOutcomeSchema = z.enum(['ok', 'wechat_error', 'bad_response', 'unreachable']);
export type ApiCallOutcome = z.infer<typeof apiCallOutcomeSchema>;

/** Newest first; `from`/`to` bound the call time (inclusive, ISO 8601). */
export const listApiCallsQuerySchema = z.strictObject({
  ...pageQuerySchema.shape,
  accountId: z.uuid().optional(),
  /** Part of WeChat's path, e.g. `menu/create` or `cgi-bin/gettoken`. */
  path: text(200).optional(),
  errcode: z.coerce.number().int().min(-1_000_000).max(100_000_000).optional(),
  /** `true`: every call that did not succeed (WeChat error, unreachable, unexpected answer). */
  failed: z.enum(['true', 'false']).optional(),
  outcome: apiCallOutcomeSchema.optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type ListApiCallsQuery = z.infer<typeof listApiCallsQuerySchema>;

/** One outbound call to WeChat as the log keeps it: never a token, secret or body. */
export const apiCallSchema = z.object({
  id: z.string(),
  at: z.string(),
  product: z.enum(['official-account', 'wecom']),
  accountId: z.string().nullable(),
  /** Null when the account was disconnected since. */
  accountName: z.string().nullable(),
  /** WeCom: the app AgentId, `contacts` or `customer-contact` whose secret made the call. */
  receiver: z.string().nullable(),
  path: z.string(),
  titleZh: z.string(),
  /** Null for an API Qiao no longer declares. */
  titleEn: z.string().nullable(),
  outcome: apiCallOutcomeSchema,
  errcode: z.number().nullable(),
  /** What went wrong in plain words, in the request's language; null for a success. */
  message: z.string().nullable(),
  durationMs: z.number(),
});
export type ApiCall = z.infer<typeof apiCallSchema>;

export const apiCallPageSchema = pageOf(apiCallSchema);
export type ApiCallPage = z.infer<typeof apiCallPageSchema>;

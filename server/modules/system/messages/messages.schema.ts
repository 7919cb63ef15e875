import { z } from 'zod';
import { pageOf, pageQuerySchema } from '../../../../common/paging';
import { text } from '../../../../common/text';

export const messageAccountParamsSchema = z.strictObject({ accountId: z.uuid() });
export const messageParamsSchema = z.strictObject({ accountId: z.uuid(), id: z.uuid() });

export const listMessagesQuerySchema = z.strictObject({
  cursor: pageQuerySchema.shape.cursor,
  limit: pageQuerySchema.shape.limit,
  /** An event type such as `official-account.text` or `wecom.change_contact.create_user`. */
  type: text(100).optional(),
  /** OpenID, UserID or external UserID of the sender. */
  from: text(128).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  /** Words in a text message's content. */
  q: text(200).optional(),
});
export type ListMessagesQuery = z.infer<typeof listMessagesQuerySchema>;

const lateDeliverySchema = z.object({
  status: z.enum(['sent', 'failed']),
  at: z.string(),
  code: z.string().optional(),
  errcode: z.number().optional(),
  errmsg: z.string().optional(),
});

export const messageSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  /** `official-account`, an AgentId, `contacts` or `customer-contact`. */
  receiver: z.string(),
  type: z.string(),
  msgType: z.string(),
  event: z.string().nullable(),
  from: z.string(),
  content: z.string().nullable(),
  /** The decrypted fields as parsed (camelCase), never the ciphertext. */
  fields: z.record(z.string(), z.unknown()),
  state: z.enum(['processing', 'done', 'failed']),
  /** What was answered: the reply's type and main fields; null when nothing was. */
  reply: z.record(z.string(), z.unknown()).nullable(),
  /** The handler missed the deadline; its reply went out later through WeChat's message API. */
  handledLate: z.boolean(),
  lateDelivery: lateDeliverySchema.nullable(),
  failure: z.string().nullable(),
  processingMs: z.number().int().nullable(),
  createTime: z.string(),
  receivedAt: z.string(),
});
export type Message = z.infer<typeof messageSchema>;

export const messagePageSchema = pageOf(messageSchema);

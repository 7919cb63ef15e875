import { z } from 'zod';
import { text } from '../../../common/text';

const httpUrl = text(1024).refine((value) => {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}, 'must be an http(s) URL');

export const weComReceiverSchema = z.object({
  receiver: z.string(),
  kind: z.enum(['app', 'contacts', 'customer-contact']),
  name: z.string(),
  secret: z.string(),
  token: z.string(),
  encodingAesKey: z.string(),
  callbackUrl: z.string().nullable(),
});

export const weComCorpSchema = z.object({
  corpId: z.string(),
  name: z.string(),
  creatorUserid: z.string().nullable(),
  apiBaseUrl: z.string(),
  receivers: z.array(weComReceiverSchema),
});

export const createCorpBody = z.strictObject({
  name: text(64, 1).optional(),
  agentIds: z.array(z.string().regex(/^[1-9]\d{0,9}$/, 'an AgentId')).min(1).max(10).optional(),
  departments: z.number().int().min(0).max(30_000).optional(),
  members: z.number().int().min(0).max(200_000).optional(),
  customers: z.number().int().min(0).max(1_000_000).optional(),
});

export const patchReceiverBody = z.strictObject({
  callbackUrl: httpUrl.nullable().optional(),
  token: z.string().regex(/^[A-Za-z0-9]{1,32}$/, 'letters and digits, at most 32').optional(),
  encodingAesKey: z.string().regex(/^[A-Za-z0-9]{43}$/, '43 letters and digits').optional(),
});

export const corpParams = z.strictObject({ corpId: text(64, 1) });
export const receiverParams = z.strictObject({ corpId: text(64, 1), receiver: text(32, 1) });
export const customerParams = z.strictObject({ corpId: text(64, 1), externalUserId: text(64, 1) });
export const memberParams = z.strictObject({ corpId: text(64, 1), userid: text(64, 1) });

export const createCustomersBody = z.strictObject({
  count: z.number().int().min(1).max(10_000),
  /** The member who already follows each new customer; none when omitted. */
  userid: text(64, 1).optional(),
});

export const populateBody = z.strictObject({
  members: z.number().int().min(0).max(200_000).optional(),
  customers: z.number().int().min(0).max(1_000_000).optional(),
});

export const addMemberBody = z.strictObject({ userid: text(64, 1), state: text(30).optional() });
export const memberMessageBody = z.strictObject({ content: text(2048, 1), agentId: z.string().regex(/^[1-9]\d{0,9}$/, 'an AgentId').optional() });

export const customerListSchema = z.object({ customers: z.array(z.object({ externalUserId: z.string(), name: z.string() })) });

const deliverySchema = z.object({ attempts: z.number(), status: z.string(), latencyMs: z.number() });

export const addMemberAnswer = z.object({ delivery: deliverySchema, received: z.array(z.unknown()), welcomeCode: z.string() });
export const memberMessageAnswer = z.object({ delivery: deliverySchema, received: z.array(z.unknown()), msgId: z.string() });

export const inboxSchema = z.object({
  items: z.array(
    z.object({
      id: z.number(),
      source: z.string(),
      sender: z.string(),
      msgtype: z.string(),
      payload: z.record(z.string(), z.unknown()),
      receivedAt: z.string(),
    }),
  ),
});

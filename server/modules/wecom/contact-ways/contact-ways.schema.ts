import { z } from 'zod';
import { pageOf, pageQuerySchema } from '../../../../common/paging';
import { text } from '../../../../common/text';

/** WeCom's limits for 「联系我」 (facts §5.5; WeCom doc 92228). */
export const CONTACT_WAY_LIMITS = {
  /** Members per code, departments expanded. */
  membersPerCode: 100,
  stateChars: 30,
  /** The channel name is sent as WeCom's `remark`. */
  nameChars: 30,
  /** Temporary codes: QR validity and chat validity, both at most 14 days. */
  tempMaxS: 14 * 86_400,
  tempDefaultExpiresS: 7 * 86_400,
  tempDefaultChatExpiresS: 86_400,
} as const;

/** send_welcome_msg limits (facts §5.5; WeCom doc 92137). Byte counts are UTF-8. */
export const WELCOME_LIMITS = {
  textBytes: 4000,
  attachments: 9,
  linkTitleBytes: 128,
  linkDescBytes: 512,
  miniprogramTitleBytes: 64,
  /** What each customer-name variable counts for when the text is measured before the name is known. */
  nameBytes: 64,
  /** The code is single-use and dies this long after the add event. */
  windowMs: 20_000,
  /** Temporary media live three days on WeCom. */
  mediaTtlMs: 3 * 86_400_000,
  /** WeCom's temporary image limit. */
  imageBytes: 10 * 1024 * 1024,
} as const;

/** The variables a welcome text may hold; both spellings mean the customer's WeChat name. */
export const CUSTOMER_NAME_VARIABLES = ['{客户昵称}', '{customerName}'] as const;

export const contactWayTypes = ['single', 'multi'] as const;
export const contactWayScenes = ['qr', 'miniprogram'] as const;

export const accountParamsSchema = z.strictObject({ accountId: z.uuid() });
export const contactWayParamsSchema = z.strictObject({ accountId: z.uuid(), configId: text(64, 1) });
export const mediaParamsSchema = z.strictObject({ accountId: z.uuid(), mediaFileId: z.uuid() });

export const welcomeAttachmentSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('image'), mediaFileId: z.uuid() }),
  z.strictObject({
    type: z.literal('link'),
    title: text(400, 1),
    url: text(2048, 1).pipe(z.url({ protocol: /^https?$/ })),
    desc: text(2000).optional(),
    picUrl: text(2048).pipe(z.url({ protocol: /^https?$/ })).optional(),
  }),
  z.strictObject({
    type: z.literal('miniprogram'),
    title: text(400, 1),
    appid: text(64, 1),
    page: text(1024, 1),
    /** The cover image, uploaded ahead like an image attachment. */
    mediaFileId: z.uuid(),
  }),
]);
export type WelcomeAttachment = z.infer<typeof welcomeAttachmentSchema>;

/**
 * A welcome message: text (may hold {客户昵称} / {customerName}) and attachments.
 * Schema maxima are loose on purpose: WeCom's byte limits answer with their own codes.
 */
export const welcomeMessageSchema = z.strictObject({
  text: text(20_000).default(''),
  attachments: z.array(welcomeAttachmentSchema).max(50).default([]),
});
export type WelcomeMessage = z.infer<typeof welcomeMessageSchema>;
export type WelcomeMessageInput = z.input<typeof welcomeMessageSchema>;

const contactWayFields = {
  /** 渠道名称: shown in Qiao and sent as WeCom's remark. */
  name: text(200, 1),
  userids: z.array(text(64, 1)).min(1).max(1000),
  /** Attribution key echoed in the add event; generated when omitted. */
  state: text(200).optional(),
  skipVerify: z.boolean(),
  /** Corp customer tags put on every customer who adds through the code. */
  tagIds: z.array(text(64, 1)).max(100),
  /** null: the corp's default welcome message is sent. */
  welcomeMessage: welcomeMessageSchema.nullable(),
  /** Mini-program button style (WeCom's table); ignored for QR codes. */
  style: z.number().int().min(1).max(99).nullable(),
  expiresInS: z.number().int().nullable(),
  chatExpiresInS: z.number().int().nullable(),
};

export const createContactWayBodySchema = z.strictObject({
  ...contactWayFields,
  type: z.enum(contactWayTypes),
  scene: z.enum(contactWayScenes).default('qr'),
  skipVerify: contactWayFields.skipVerify.default(true),
  tagIds: contactWayFields.tagIds.default([]),
  welcomeMessage: contactWayFields.welcomeMessage.optional(),
  style: contactWayFields.style.optional(),
  /** 临时会话: single-member only, the QR code expires and dies after one add. */
  isTemp: z.boolean().default(false),
  expiresInS: contactWayFields.expiresInS.optional(),
  chatExpiresInS: contactWayFields.chatExpiresInS.optional(),
});
export type CreateContactWayBody = z.infer<typeof createContactWayBodySchema>;
export type CreateContactWayInput = z.input<typeof createContactWayBodySchema>;

/** Type, scene and temporary mode are fixed once WeCom created the code. */
export const updateContactWayBodySchema = z.strictObject({
  name: contactWayFields.name.optional(),
  userids: contactWayFields.userids.optional(),
  state: contactWayFields.state,
  skipVerify: contactWayFields.skipVerify.optional(),
  tagIds: contactWayFields.tagIds.optional(),
  welcomeMessage: contactWayFields.welcomeMessage.optional(),
  style: contactWayFields.style.optional(),
  expiresInS: contactWayFields.expiresInS.optional(),
  chatExpiresInS: contactWayFields.chatExpiresInS.optional(),
});
export type UpdateContactWayBody = z.infer<typeof updateContactWayBodySchema>;

/** A code's members with their names in the directory (null for one who is not in it). */
const codeMembersSchema = z.array(z.object({ userid: z.string(), name: z.string().nullable() }));

export const contactWaySchema = z.object({
  configId: z.string(),
  name: z.string(),
  type: z.enum(contactWayTypes),
  scene: z.enum(contactWayScenes),
  style: z.number().int().nullable(),
  userids: z.array(z.string()),
  members: codeMembersSchema,
  state: z.string(),
  skipVerify: z.boolean(),
  tagIds: z.array(z.string()),
  welcomeMessage: welcomeMessageSchema.nullable(),
  isTemp: z.boolean(),
  expiresInS: z.number().int().nullable(),
  chatExpiresInS: z.number().int().nullable(),
  /** When a temporary code's QR stops working. */
  expiresAt: z.string().nullable(),
  /** WeCom's QR image URL; download it through `qr.png`. */
  qrCodeUrl: z.string().nullable(),
  addsTotal: z.number().int(),
  /** Adds on each of the last 7 days (Asia/Shanghai), oldest first, today last. */
  addsLast7Days: z.array(z.number().int()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ContactWay = z.infer<typeof contactWaySchema>;
export const contactWayPageSchema = pageOf(contactWaySchema);

export const listContactWaysQuerySchema = pageQuerySchema.extend({
  q: text(100).optional(),
  userid: text(64).optional(),
  type: z.enum(contactWayTypes).optional(),
});
export type ListContactWaysQuery = z.infer<typeof listContactWaysQuerySchema>;

const daySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
export const statsQuerySchema = z.strictObject({ from: daySchema.optional(), to: daySchema.optional() });
export const contactWayStatsSchema = z.object({
  configId: z.string(),
  from: z.string(),
  to: z.string(),
  total: z.number().int(),
  days: z.array(z.object({ day: z.string(), adds: z.number().int() })),
});
export type ContactWayStats = z.infer<typeof contactWayStatsSchema>;

/** `-` sorts descending; ties fall back to the newest code first. */
export const codeAddsSorts = ['-adds', 'adds', 'name', '-name', '-createdAt', 'createdAt'] as const;
export type CodeAddsSort = (typeof codeAddsSorts)[number];
/** Every code within the caller's reach with its adds in a window of days; the window as for one code's stats. */
export const codeAddsQuerySchema = z.strictObject({
  ...pageQuerySchema.shape,
  ...statsQuerySchema.shape,
  /** Only codes with a member placed in this department or any department below it. */
  departmentId: z.coerce.number().int().min(1).optional(),
  /** Matches name or state. */
  q: text(100).optional(),
  sort: z.enum(codeAddsSorts).default('-adds'),
  /** Adds on each day of the window per code (`addsPerDay`). */
  perDay: z.enum(['true', 'false']).default('false'),
});
export type CodeAddsQuery = z.infer<typeof codeAddsQuerySchema>;
export const codeAddsSchema = z.object({
  configId: z.string(),
  name: z.string(),
  type: z.enum(contactWayTypes),
  scene: z.enum(contactWayScenes),
  state: z.string(),
  userids: z.array(z.string()),
  members: codeMembersSchema,
  isTemp: z.boolean(),
  createdAt: z.string(),
  /** Customers added through the code in the window. */
  adds: z.number().int(),
  /** Customers added through the code since it was made. */
  addsTotal: z.number().int(),
  /** With `perDay=true`: adds on each day from `from` to `to`, oldest first. */
  addsPerDay: z.array(z.number().int()).optional(),
});
export type CodeAdds = z.infer<typeof codeAddsSchema>;
export const codeAddsPageSchema = z.object({
  ...pageOf(codeAddsSchema).shape,
  /** The window counted (Asia/Shanghai days, both included). */
  from: z.string(),
  to: z.string(),
  /** Codes matching the query, on every page. */
  total: z.number().int(),
  /** Adds in the window through all of those codes. */
  adds: z.number().int(),
});
export type CodeAddsPage = z.infer<typeof codeAddsPageSchema>;

export const defaultWelcomeSchema = z.object({ message: welcomeMessageSchema.nullable(), updatedAt: z.string().nullable() });
export type DefaultWelcome = z.infer<typeof defaultWelcomeSchema>;
export const defaultWelcomeBodySchema = z.strictObject({ message: welcomeMessageSchema.nullable() });

export const welcomeMediaSchema = z.object({
  id: z.string(),
  filename: z.string(),
  contentType: z.string(),
  bytes: z.number().int(),
  /** When WeCom forgets the uploaded copy; Qiao uploads again ahead of it. */
  expiresAt: z.string().nullable(),
});
export type WelcomeMedia = z.infer<typeof welcomeMediaSchema>;

export const welcomeSendStatuses = ['sending', 'sent', 'failed', 'skipped'] as const;
/** Why a welcome went as it did; `wechat_error` carries the errcode. */
export const welcomeReasons = ['sent', 'sent_without_name', 'expired', 'no_welcome_code', 'no_message', 'wechat_error', 'unreachable', 'media_expired', 'name_unavailable', 'interrupted'] as const;

export const welcomeSendSchema = z.object({
  id: z.string(),
  externalUserId: z.string(),
  userid: z.string(),
  configId: z.string().nullable(),
  /** The code's channel name while the code exists. */
  codeName: z.string().nullable(),
  state: z.string().nullable(),
  status: z.enum(welcomeSendStatuses),
  reason: z.enum(welcomeReasons),
  errcode: z.number().int().nullable(),
  /** The reason in the caller's language. */
  message: z.string(),
  latencyMs: z.number().int().nullable(),
  createdAt: z.string(),
});
export type WelcomeSend = z.infer<typeof welcomeSendSchema>;
export const welcomeSendPageSchema = pageOf(welcomeSendSchema);
export const listWelcomeSendsQuerySchema = pageQuerySchema.extend({
  externalUserId: text(64).optional(),
  configId: text(64).optional(),
  status: z.enum(welcomeSendStatuses).optional(),
});
export type ListWelcomeSendsQuery = z.infer<typeof listWelcomeSendsQuerySchema>;

/** A contact-me code whose creation was cut off and that WeCom turned out not to have (GET …/contact-ways/failed). */
export const failedCodeSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  type: z.enum(contactWayTypes),
  scene: z.enum(contactWayScenes),
  userids: z.array(z.string()),
  state: z.string(),
  isTemp: z.boolean(),
  /** `not_in_wecom`, `temp_unverifiable`, `no_receiver` or `wechat_error:<errcode>`. */
  reason: z.string(),
  /** The reason in the caller's language. */
  message: z.string(),
  createdAt: z.string(),
});
export type FailedCode = z.infer<typeof failedCodeSchema>;

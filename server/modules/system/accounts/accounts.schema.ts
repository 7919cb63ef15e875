import { z } from 'zod';
import { pageOf, pageQuerySchema } from '../../../../common/paging';
import { requiredText, text } from '../../../../common/text';

export const accountTypeSchema = z.enum(['official_account', 'wecom']);
export type AccountType = z.infer<typeof accountTypeSchema>;

/** WeChat's three message modes; WeCom always encrypts (`safe`). */
export const encryptModeSchema = z.enum(['plain', 'compatible', 'safe']);
export type EncryptMode = z.infer<typeof encryptModeSchema>;

export const appIdSchema = text(18).regex(/^wx[0-9A-Za-z]{16}$/, 'an AppID is "wx" followed by 16 letters or digits (公众号后台「设置与开发 → 基本配置」)');
export const corpIdSchema = text(18).regex(
  /^(ww|wx)[0-9A-Za-z]{16}$/,
  'a CorpID is "ww" (older corps: "wx") followed by 16 letters or digits (管理后台「我的企业 → 企业信息」)',
);
/** WeChat's callback settings: Base64 of a 32-byte key without its trailing "=". */
export const encodingAesKeySchema = text(43).regex(/^[A-Za-z0-9]{43}$/, 'an EncodingAESKey is exactly 43 letters or digits');
export const callbackTokenSchema = text(32).regex(/^[A-Za-z0-9]{3,32}$/, 'a callback token is 3 to 32 letters or digits');
export const appSecretSchema = requiredText(128);
/** An app's AgentId, or the contacts-sync or customer-contact secret. */
export const receiverSchema = text(16).regex(/^(\d{1,10}|contacts|customer-contact)$/, 'use an app AgentId (digits), "contacts" or "customer-contact"');
export const apiBaseUrlSchema = text(300).refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !url.search && !url.hash && !url.username;
  } catch {
    return false;
  }
}, 'must be an http(s) URL without query, fragment or credentials');
export const accountNameSchema = requiredText(100);

const receiverInputSchema = z.strictObject({
  receiver: receiverSchema,
  secret: appSecretSchema,
  token: callbackTokenSchema.optional(),
  encodingAesKey: encodingAesKeySchema.optional(),
});

const uniqueReceivers = (receivers: { receiver: string }[]) => new Set(receivers.map((r) => r.receiver)).size === receivers.length;

export const createOfficialAccountBodySchema = z.strictObject({
  type: z.literal('official_account'),
  name: accountNameSchema,
  appId: appIdSchema,
  appSecret: appSecretSchema,
  token: callbackTokenSchema.optional(),
  encodingAesKey: encodingAesKeySchema.optional(),
  encryptMode: encryptModeSchema.default('safe'),
  apiBaseUrl: apiBaseUrlSchema.optional(),
});

export const createWecomAccountBodySchema = z.strictObject({
  type: z.literal('wecom'),
  name: accountNameSchema,
  corpId: corpIdSchema,
  apiBaseUrl: apiBaseUrlSchema.optional(),
  receivers: z.array(receiverInputSchema).min(1).max(50).refine(uniqueReceivers, 'each receiver may appear once'),
});

/** `token` and `encodingAesKey` may be omitted: Qiao generates them. */
export const createAccountBodySchema = z.discriminatedUnion('type', [createOfficialAccountBodySchema, createWecomAccountBodySchema]);
export type CreateAccountBody = z.infer<typeof createAccountBodySchema>;

const receiverUpdateSchema = z.strictObject({
  receiver: receiverSchema,
  secret: appSecretSchema.optional(),
  token: callbackTokenSchema.optional(),
  encodingAesKey: encodingAesKeySchema.optional(),
  /** A new EncodingAESKey is generated; the previous one keeps decrypting until WeChat uses the new one. */
  regenerateEncodingAesKey: z.boolean().optional(),
});

/**
 * Every field optional. Official Account fields and WeCom fields are refused
 * on the other type. A new EncodingAESKey keeps the previous one for decryption.
 */
export const updateAccountBodySchema = z.strictObject({
  name: accountNameSchema.optional(),
  apiBaseUrl: apiBaseUrlSchema.optional(),
  appSecret: appSecretSchema.optional(),
  token: callbackTokenSchema.optional(),
  encodingAesKey: encodingAesKeySchema.optional(),
  regenerateEncodingAesKey: z.boolean().optional(),
  encryptMode: encryptModeSchema.optional(),
  /** WeCom: added when new (then `secret` is required), changed when present. */
  receivers: z.array(receiverUpdateSchema).max(50).refine(uniqueReceivers, 'each receiver may appear once').optional(),
  removeReceivers: z.array(receiverSchema).max(50).optional(),
});
export type UpdateAccountBody = z.infer<typeof updateAccountBodySchema>;

export const listAccountsQuerySchema = z.strictObject({
  ...pageQuerySchema.shape,
  type: accountTypeSchema.optional(),
});
export type ListAccountsQuery = z.infer<typeof listAccountsQuerySchema>;

export const accountIdParamsSchema = z.strictObject({ id: z.uuid() });

/**
 * What to paste into WeChat's callback settings; `receiver` is `official-account` for an Official Account.
 * `token` and `encodingAesKey` are null when they were sealed under a master key this server does not have
 * (`health.secretsReadable` is then false).
 */
export const accountCallbackSchema = z.object({
  receiver: z.string(),
  url: z.string(),
  token: z.string().nullable(),
  encodingAesKey: z.string().nullable(),
});

export const apiErrorSummarySchema = z.object({ errcode: z.number(), errmsg: z.string(), endpoint: z.string() });
export type ApiErrorSummary = z.infer<typeof apiErrorSummarySchema>;

export const accountSchema = z.object({
  id: z.string(),
  type: accountTypeSchema,
  name: z.string(),
  /** True for accounts of the built-in sandbox. */
  sandbox: z.boolean(),
  appId: z.string().nullable(),
  corpId: z.string().nullable(),
  apiBaseUrl: z.string(),
  encryptMode: encryptModeSchema,
  callbacks: z.array(accountCallbackSchema),
  health: z.object({
    /** False when stored secrets were sealed under a master key this server lacks (QIAO_SECRET_KEY changed): enter them again, or restore the key. */
    secretsReadable: z.boolean(),
    lastCallbackAt: z.string().nullable(),
    lastApiErrorAt: z.string().nullable(),
    lastApiError: apiErrorSummarySchema.nullable(),
  }),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Account = z.infer<typeof accountSchema>;

export const accountPageSchema = pageOf(accountSchema);

const testOutcomeFields = {
  ok: z.boolean(),
  errcode: z.number().optional(),
  errmsg: z.string().optional(),
  /** What went wrong, in the request's language. */
  message: z.string().optional(),
  /** How to fix it when known, e.g. the IP to whitelist and where. */
  hint: z.string().optional(),
};

/** One step of a callback self-check; the console words each `code` in its language. */
export const callbackCheckStepSchema = z.object({
  step: z.enum(['url', 'dns', 'verify', 'push']),
  status: z.enum(['ok', 'warn', 'fail']),
  code: z.enum([
    'URL_OK',
    'PORT_NOT_ALLOWED',
    'PLAIN_HTTP',
    'HOST_NOT_FOUND',
    'HOST_RESOLVED',
    'PRIVATE_ADDRESS',
    'TIMEOUT',
    'CONNECTION_REFUSED',
    'TLS_FAILED',
    'UNREACHABLE',
    'REDIRECTED',
    'PATH_NOT_FOUND',
    'SIGNATURE_REFUSED',
    'UNEXPECTED_STATUS',
    'ECHO_MISMATCH',
    'SLOW',
    'ECHOED',
    'PUSH_CHECKED',
    'PUSH_NOT_CHECKED',
  ]),
  details: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type CallbackCheckStep = z.infer<typeof callbackCheckStepSchema>;

export const callbackCheckBodySchema = z.strictObject({
  /** Check one receiver only; default every receiver of the account. */
  receiver: text(64).optional(),
  /**
   * Check the callback path under another origin, e.g. the public address a
   * reverse proxy will serve before QIAO_PUBLIC_URL is changed to it.
   */
  baseUrl: z.url({ protocol: /^https?$/ }).max(300).optional(),
});
export type CallbackCheckBody = z.infer<typeof callbackCheckBodySchema>;

export const callbackCheckResultSchema = z.object({
  ok: z.boolean(),
  receivers: z.array(z.object({ receiver: z.string(), url: z.string(), ok: z.boolean(), steps: z.array(callbackCheckStepSchema) })),
});
export type CallbackCheckResult = z.infer<typeof callbackCheckResultSchema>;

/** The first failure (if any) at the top, every receiver's outcome in `results`. */
export const accountTestResultSchema = z.object({
  ...testOutcomeFields,
  receiver: z.string().optional(),
  results: z.array(z.object({ receiver: z.string(), ...testOutcomeFields })),
});
export type AccountTestResult = z.infer<typeof accountTestResultSchema>;

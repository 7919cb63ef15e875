import { z } from 'zod';
import { text } from '../../../../common/text';

export const PROFILE_LIMITS = {
  /**
   * 功能介绍 length in characters. Not in wechat-protocol.md; these are the
   * bounds the MP console's settings form enforces, kept in one place.
   */
  introductionMin: 4,
  introductionMax: 120,
  /** Avatar upload: the MP console takes images up to 2 MB. */
  avatarBytes: 2 * 1024 * 1024,
  avatarTypes: ['image/png', 'image/jpeg', 'image/gif', 'image/bmp'] as const,
  /** The yearly review fee of 微信认证, in yuan (the source document: 每年300元). */
  certificationFeeYuan: 300,
  /** Days before expiry when the console reminds. */
  reminderDays: [30, 7, 1] as const,
} as const;

export const accountTypeSchema = z.enum(['subscription', 'service']);
export type OaAccountType = z.infer<typeof accountTypeSchema>;
export const verificationStateSchema = z.enum(['unverified', 'pending', 'verified', 'expired']);
export type VerificationState = z.infer<typeof verificationStateSchema>;
export const certificationStatusSchema = z.enum(['none', 'submitted', 'approved', 'rejected']);

/** Features that depend on account type or verification; other modules ask for these by name. */
export const oaFeatureSchema = z.enum(['menu.miniprogram', 'customer_service', 'mass_send.tag', 'mass_send.openids', 'template_messages', 'payments']);
export type OaFeature = z.infer<typeof oaFeatureSchema>;
export const lockReasonSchema = z.enum(['needs_service_account', 'not_verified', 'certification_expired']);
export type LockReason = z.infer<typeof lockReasonSchema>;

export const capabilitySchema = z.object({
  feature: oaFeatureSchema,
  available: z.boolean(),
  reason: lockReasonSchema.nullable(),
  requires: z.array(z.enum(['verified', 'service_account'])),
});
export type Capability = z.infer<typeof capabilitySchema>;

export const reminderSchema = z.object({ daysBefore: z.number(), remindAt: z.string(), due: z.boolean() });
export const certificationSchema = z.object({
  status: certificationStatusSchema,
  submittedAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  feeYuan: z.number(),
  note: z.string(),
  /** Whole days until expiry (negative once expired); null without an expiry. */
  daysLeft: z.number().nullable(),
  /** The 30/7/1-day reminders, computed from the clock on every read. */
  reminders: z.array(reminderSchema),
  /** The tightest reminder that is due now, or null. */
  currentReminder: z.number().nullable(),
});
export type Certification = z.infer<typeof certificationSchema>;

export const profileSchema = z.object({
  accountId: z.string(),
  name: z.string(),
  introduction: z.string(),
  accountType: accountTypeSchema,
  avatarUrl: z.string().nullable(),
  verification: verificationStateSchema,
  certification: certificationSchema,
  capabilities: z.array(capabilitySchema),
  /** False until someone saved the profile: the values shown are defaults. */
  saved: z.boolean(),
  updatedAt: z.string().nullable(),
});
export type Profile = z.infer<typeof profileSchema>;

export const accountParamsSchema = z.strictObject({ accountId: z.uuid() });

export const updateProfileSchema = z.strictObject({
  name: text(64, 1).optional(),
  introduction: text(500).optional(),
  accountType: accountTypeSchema.optional(),
});
export type UpdateProfileBody = z.infer<typeof updateProfileSchema>;

export const uploadAvatarSchema = z.strictObject({
  contentType: z.enum(PROFILE_LIMITS.avatarTypes),
  /** The image, base64-encoded. */
  data: z.base64().max(Math.ceil((PROFILE_LIMITS.avatarBytes * 2 * 4) / 3)),
});
export type UploadAvatarBody = z.infer<typeof uploadAvatarSchema>;

const dateInput = z.iso.datetime({ offset: true }).or(z.iso.date());
export const updateCertificationSchema = z.strictObject({
  status: certificationStatusSchema,
  submittedAt: dateInput.nullable().optional(),
  approvedAt: dateInput.nullable().optional(),
  /** Defaults to one year after approval: 微信认证 is reviewed yearly. */
  expiresAt: dateInput.nullable().optional(),
  feeYuan: z.number().int().min(0).max(100_000).optional(),
  note: text(500).optional(),
});
export type UpdateCertificationBody = z.infer<typeof updateCertificationSchema>;

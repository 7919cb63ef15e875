import { integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { accounts } from '../../system/accounts/accounts.tables';

/**
 * What Qiao knows about an Official Account that WeChat's server API does not
 * tell: its public profile, type and 微信认证 record. One row per account,
 * created on the first edit (until then the profile shows defaults).
 */
export const oaProfiles = pgTable('oa_profiles', {
  accountId: uuid('account_id')
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  introduction: text('introduction').notNull().default(''),
  accountType: text('account_type', { enum: ['subscription', 'service'] }).notNull(),
  /** The avatar image itself, base64; small by rule (see PROFILE_LIMITS.avatarBytes). */
  avatarData: text('avatar_data'),
  avatarContentType: text('avatar_content_type'),
  avatarBytes: integer('avatar_bytes'),
  avatarUpdatedAt: timestamp('avatar_updated_at', { withTimezone: true }),
  certStatus: text('cert_status', { enum: ['none', 'submitted', 'approved', 'rejected'] }).notNull().default('none'),
  certSubmittedAt: timestamp('cert_submitted_at', { withTimezone: true }),
  certApprovedAt: timestamp('cert_approved_at', { withTimezone: true }),
  certExpiresAt: timestamp('cert_expires_at', { withTimezone: true }),
  certFeeYuan: integer('cert_fee_yuan').notNull().default(300),
  certNote: text('cert_note').notNull().default(''),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

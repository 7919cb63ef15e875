import { PROFILE_LIMITS, type Capability, type Certification, type LockReason, type OaAccountType, type OaFeature, type VerificationState } from './profile.schema';

const dayMs = 86_400_000;

export interface CertificationRecord {
  status: 'none' | 'submitted' | 'approved' | 'rejected';
  submittedAt: Date | null;
  approvedAt: Date | null;
  expiresAt: Date | null;
  feeYuan: number;
  note: string;
}

/** Verification follows from the record and the clock: an approval counts until it expires. */
export function verificationOf(record: CertificationRecord, now: Date): VerificationState {
  if (record.status === 'approved') return record.expiresAt && record.expiresAt.getTime() <= now.getTime() ? 'expired' : 'verified';
  if (record.status === 'submitted') return 'pending';
  return 'unverified';
}

/** The certification as shown: days left and the 30/7/1-day reminders, computed on read from the clock. */
export function describeCertification(record: CertificationRecord, now: Date): Certification {
  const expiresAt = record.status === 'approved' ? record.expiresAt : null;
  const msLeft = expiresAt ? expiresAt.getTime() - now.getTime() : null;
  const reminders = expiresAt
    ? PROFILE_LIMITS.reminderDays.map((daysBefore) => {
        const remindAt = new Date(expiresAt.getTime() - daysBefore * dayMs);
        return { daysBefore, remindAt: remindAt.toISOString(), due: now.getTime() >= remindAt.getTime() && (msLeft ?? 0) > 0 };
      })
    : [];
  const due = reminders.filter((r) => r.due).map((r) => r.daysBefore);
  return {
    status: record.status,
    submittedAt: record.submittedAt?.toISOString() ?? null,
    approvedAt: record.approvedAt?.toISOString() ?? null,
    expiresAt: record.expiresAt?.toISOString() ?? null,
    feeYuan: record.feeYuan,
    note: record.note,
    daysLeft: msLeft === null ? null : Math.ceil(msLeft / dayMs),
    reminders,
    currentReminder: due.length > 0 ? Math.min(...due) : null,
  };
}

/**
 * What each feature needs (wechat-protocol.md §4.5–4.7, §6; the source
 * document: 认证是解锁高级功能的前提). Account type is checked first because
 * verifying cannot fix it.
 */
export const FEATURE_REQUIREMENTS: Record<OaFeature, readonly ('service_account' | 'verified')[]> = {
  'menu.miniprogram': ['verified'],
  customer_service: ['verified'],
  'mass_send.tag': ['verified'],
  'mass_send.openids': ['service_account', 'verified'],
  template_messages: ['service_account', 'verified'],
  payments: ['service_account', 'verified'],
};

export function lockReason(feature: OaFeature, accountType: OaAccountType, verification: VerificationState): LockReason | null {
  const requires = FEATURE_REQUIREMENTS[feature];
  if (requires.includes('service_account') && accountType !== 'service') return 'needs_service_account';
  if (requires.includes('verified') && verification !== 'verified') return verification === 'expired' ? 'certification_expired' : 'not_verified';
  return null;
}

export function capabilitiesOf(accountType: OaAccountType, verification: VerificationState): Capability[] {
  return (Object.keys(FEATURE_REQUIREMENTS) as OaFeature[]).map((feature) => {
    const reason = lockReason(feature, accountType, verification);
    return { feature, available: reason === null, reason, requires: [...FEATURE_REQUIREMENTS[feature]] };
  });
}

/** Counted as people read it: code points, so an emoji is one character. */
export function characterCount(value: string): number {
  return [...value].length;
}

/** Which image the bytes really are, whatever the upload claims; null for anything else. */
export function sniffImageType(bytes: Uint8Array): (typeof PROFILE_LIMITS.avatarTypes)[number] | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x42, 0x4d)) return 'image/bmp';
  return null;
}

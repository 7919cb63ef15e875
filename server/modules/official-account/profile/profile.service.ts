import { AppError } from '../../../../common/errors';
import type { AuditRecorder } from '../../../platform/audit';
import type { Clock } from '../../../platform/clock';
import type { RequestContext } from '../../../platform/http/principal';
import type { AccountsService } from '../../system/accounts';
import { capabilitiesOf, characterCount, describeCertification, lockReason, sniffImageType, verificationOf, type CertificationRecord } from './profile-rules';
import type { NewProfileRow, ProfileRepository, ProfileRow } from './profile.repository';
import {
  PROFILE_LIMITS,
  type Capability,
  type OaFeature,
  type Profile,
  type UpdateCertificationBody,
  type UpdateProfileBody,
  type UploadAvatarBody,
} from './profile.schema';

export interface ProfileServiceDeps {
  repository: ProfileRepository;
  accounts: Pick<AccountsService, 'getAccount'>;
  audit: AuditRecorder;
  clock: Clock;
}

export type ProfileService = ReturnType<typeof createProfileService>;

const yearMs = 365 * 86_400_000;

function recordOf(row: ProfileRow | null): CertificationRecord {
  return {
    status: row?.certStatus ?? 'none',
    submittedAt: row?.certSubmittedAt ?? null,
    approvedAt: row?.certApprovedAt ?? null,
    expiresAt: row?.certExpiresAt ?? null,
    feeYuan: row?.certFeeYuan ?? PROFILE_LIMITS.certificationFeeYuan,
    note: row?.certNote ?? '',
  };
}

/** A date-only input means midnight China time, the day WeChat's console shows. */
function parseDate(value: string | null | undefined): Date | null | undefined {
  if (value === undefined || value === null) return value;
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00+08:00` : value);
}

export function createProfileService(deps: ProfileServiceDeps) {
  const { repository } = deps;

  /** The account must exist and be an Official Account. */
  async function officialAccount(accountId: string) {
    const account = await deps.accounts.getAccount(accountId);
    if (account.type !== 'official_account') throw new AppError('OA_PROFILE_NOT_OFFICIAL_ACCOUNT', { name: account.name });
    return account;
  }

  /** The stored row, or the defaults a fresh account starts from (subscription, unverified: the strictest quotas). */
  async function current(accountId: string, repo: ProfileRepository = repository, known?: { name: string }): Promise<{ row: ProfileRow | null; base: NewProfileRow }> {
    // Checked before a transaction opens: the accounts module reads through its own connection.
    const account = known ?? (await officialAccount(accountId));
    const row = await repo.find(accountId);
    const base: NewProfileRow = row ?? { accountId, name: account.name, introduction: '', accountType: 'subscription', updatedAt: deps.clock.now() };
    return { row, base };
  }

  function toProfile(accountId: string, row: ProfileRow | null, base: NewProfileRow): Profile {
    const now = deps.clock.now();
    const record = recordOf(row);
    const verification = verificationOf(record, now);
    return {
      accountId,
      name: base.name,
      introduction: base.introduction ?? '',
      accountType: base.accountType,
      avatarUrl: row?.avatarData ? `/api/v1/official-accounts/${accountId}/profile/avatar?v=${row.avatarUpdatedAt?.getTime() ?? 0}` : null,
      verification,
      certification: describeCertification(record, now),
      capabilities: capabilitiesOf(base.accountType, verification),
      saved: row !== null,
      updatedAt: row?.updatedAt.toISOString() ?? null,
    };
  }

  const service = {
    async getProfile(accountId: string): Promise<Profile> {
      const { row, base } = await current(accountId);
      return toProfile(accountId, row, base);
    },

    async capabilitiesOf(accountId: string): Promise<Capability[]> {
      return (await service.getProfile(accountId)).capabilities;
    },

    /** Throws the lock's reason (OA_FEATURE_*) when the account may not use `feature`; `field` says where it was asked for. */
    async requireCapability(accountId: string, feature: OaFeature, field?: string): Promise<void> {
      const profile = await service.getProfile(accountId);
      const reason = lockReason(feature, profile.accountType, profile.verification);
      if (reason === null) return;
      const details = { feature, reason, ...(field ? { field } : {}) };
      if (reason === 'needs_service_account') throw new AppError('OA_FEATURE_NEEDS_SERVICE_ACCOUNT', details);
      if (reason === 'certification_expired') {
        throw new AppError('OA_FEATURE_CERTIFICATION_EXPIRED', { ...details, expiredAt: profile.certification.expiresAt?.slice(0, 10) ?? '' });
      }
      throw new AppError('OA_FEATURE_NEEDS_VERIFICATION', details);
    },

    async updateProfile(context: RequestContext | null, accountId: string, input: UpdateProfileBody): Promise<Profile> {
      if (input.introduction !== undefined) {
        const actual = characterCount(input.introduction.trim());
        if (actual < PROFILE_LIMITS.introductionMin || actual > PROFILE_LIMITS.introductionMax) {
          throw new AppError('OA_PROFILE_INTRODUCTION_LENGTH', { field: 'introduction', min: PROFILE_LIMITS.introductionMin, max: PROFILE_LIMITS.introductionMax, actual });
        }
      }
      const account = await officialAccount(accountId);
      await repository.transaction(async (repo, tx) => {
        const { base } = await current(accountId, repo, account);
        const next = { ...base, updatedAt: deps.clock.now() };
        const changed: Record<string, unknown> = {};
        if (input.name !== undefined && input.name.trim() !== base.name) changed.name = next.name = input.name.trim();
        if (input.introduction !== undefined && input.introduction.trim() !== base.introduction) changed.introduction = next.introduction = input.introduction.trim();
        if (input.accountType !== undefined && input.accountType !== base.accountType) changed.accountType = next.accountType = input.accountType;
        if (Object.keys(changed).length === 0 && (await repo.find(accountId))) return;
        await repo.upsert(next);
        await deps.audit.record(context, { action: 'official_account.profile.update', targetType: 'account', targetId: accountId, summary: changed }, tx);
      });
      return service.getProfile(accountId);
    },

    async uploadAvatar(context: RequestContext | null, accountId: string, input: UploadAvatarBody): Promise<Profile> {
      const bytes = Buffer.from(input.data, 'base64');
      if (bytes.length > PROFILE_LIMITS.avatarBytes) {
        throw new AppError('OA_PROFILE_AVATAR_TOO_LARGE', { field: 'data', limitKb: PROFILE_LIMITS.avatarBytes / 1024, actualKb: Math.ceil(bytes.length / 1024) });
      }
      const sniffed = sniffImageType(bytes);
      if (!sniffed) throw new AppError('OA_PROFILE_AVATAR_TYPE', { field: 'data', allowed: 'PNG, JPEG, GIF, BMP' });
      const account = await officialAccount(accountId);
      await repository.transaction(async (repo, tx) => {
        const { base } = await current(accountId, repo, account);
        const now = deps.clock.now();
        await repo.upsert({ ...base, avatarData: bytes.toString('base64'), avatarContentType: sniffed, avatarBytes: bytes.length, avatarUpdatedAt: now, updatedAt: now });
        await deps.audit.record(
          context,
          { action: 'official_account.profile.avatar', targetType: 'account', targetId: accountId, summary: { contentType: sniffed, bytes: bytes.length } },
          tx,
        );
      });
      return service.getProfile(accountId);
    },

    async avatar(accountId: string): Promise<{ contentType: string; bytes: Buffer }> {
      await officialAccount(accountId);
      const row = await repository.find(accountId);
      if (!row?.avatarData || !row.avatarContentType) throw new AppError('OA_PROFILE_AVATAR_NOT_FOUND');
      return { contentType: row.avatarContentType, bytes: Buffer.from(row.avatarData, 'base64') };
    },

    async updateCertification(context: RequestContext | null, accountId: string, input: UpdateCertificationBody): Promise<Profile> {
      const submittedAt = parseDate(input.submittedAt);
      const approvedAt = parseDate(input.approvedAt);
      const account = await officialAccount(accountId);
      await repository.transaction(async (repo, tx) => {
        const { row, base } = await current(accountId, repo, account);
        const before = recordOf(row);
        const next: CertificationRecord = {
          status: input.status,
          submittedAt: submittedAt === undefined ? before.submittedAt : submittedAt,
          approvedAt: approvedAt === undefined ? before.approvedAt : approvedAt,
          expiresAt: null,
          feeYuan: input.feeYuan ?? before.feeYuan,
          note: input.note ?? before.note,
        };
        const expiresInput = parseDate(input.expiresAt);
        next.expiresAt = expiresInput ?? (next.approvedAt ? new Date(next.approvedAt.getTime() + yearMs) : null);
        checkCertification(next);
        await repo.upsert({
          ...base,
          certStatus: next.status,
          certSubmittedAt: next.submittedAt,
          certApprovedAt: next.approvedAt,
          certExpiresAt: next.expiresAt,
          certFeeYuan: next.feeYuan,
          certNote: next.note,
          updatedAt: deps.clock.now(),
        });
        await deps.audit.record(
          context,
          {
            action: 'official_account.certification.update',
            targetType: 'account',
            targetId: accountId,
            summary: {
              status: next.status,
              submittedAt: next.submittedAt?.toISOString() ?? null,
              approvedAt: next.approvedAt?.toISOString() ?? null,
              expiresAt: next.expiresAt?.toISOString() ?? null,
              feeYuan: next.feeYuan,
            },
          },
          tx,
        );
      });
      return service.getProfile(accountId);
    },
  };
  return service;
}

function checkCertification(record: CertificationRecord): void {
  const labels = { submittedAt: '提交日期 submittedAt', approvedAt: '通过日期 approvedAt', expiresAt: '到期日期 expiresAt' };
  if (record.status === 'submitted' && !record.submittedAt) throw new AppError('OA_CERTIFICATION_FIELD_REQUIRED', { status: record.status, field: labels.submittedAt });
  if (record.status === 'approved' && !record.approvedAt) throw new AppError('OA_CERTIFICATION_FIELD_REQUIRED', { status: record.status, field: labels.approvedAt });
  const order: [keyof typeof labels, keyof typeof labels][] = [
    ['submittedAt', 'approvedAt'],
    ['approvedAt', 'expiresAt'],
  ];
  for (const [earlier, later] of order) {
    const a = record[earlier];
    const b = record[later];
    if (a && b && b.getTime() < a.getTime()) {
      throw new AppError('OA_CERTIFICATION_DATE_ORDER', {
        field: later,
        earlier: labels[earlier],
        later: labels[later],
        earlierValue: a.toISOString().slice(0, 10),
        laterValue: b.toISOString().slice(0, 10),
      });
    }
  }
}

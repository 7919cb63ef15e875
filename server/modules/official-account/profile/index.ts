import type { ModuleDeps } from '../../../platform/module-deps';
import type { AccountsService } from '../../system/accounts';
import { createProfileRepository } from './profile.repository';
import { createProfileRoutes } from './profile.routes';
import { createProfileService } from './profile.service';

export type { Capability, Certification, LockReason, OaAccountType, OaFeature, Profile, VerificationState } from './profile.schema';
export type { ProfileService } from './profile.service';
export { FEATURE_REQUIREMENTS, lockReason } from './profile-rules';
export { oaProfiles } from './profile.tables';

/**
 * Official Account profile and 微信认证. Other modules use the service:
 * `getProfile(accountId).accountType` (push quotas), `capabilitiesOf(accountId)`
 * and `requireCapability(accountId, feature)` (features that need verification
 * or a service account).
 */
export function createProfileModule(deps: ModuleDeps & { accounts: AccountsService }) {
  const service = createProfileService({ repository: createProfileRepository(deps.db), accounts: deps.accounts, audit: deps.audit, clock: deps.clock });
  return { routes: createProfileRoutes(service), service };
}

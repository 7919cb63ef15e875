import type { Db } from '../../../platform/db/client';
import { createSessionsRepository } from './auth.repository';

/** Sessions, login and first-run setup, plus how a user becomes a Principal (api-keys uses it too). */
export { authRoutes, type AuthRoutesOptions } from './auth.routes';
export { createAuthService, sessionAbsoluteMaxMs, type AuthService, type AuthServiceDeps } from './auth.service';
export type { LoginThrottleOptions } from './login-throttle';
export { principalFor, sha256Hex } from './principals';

/** Revokes a user's live sessions inside `db` (a transaction when the caller has one), keeping `keepId`; returns how many. */
export function revokeSessionsOf(db: Db, userId: string, now: Date, keepId?: string): Promise<number> {
  return createSessionsRepository(db).revokeAllOf(userId, now, keepId);
}

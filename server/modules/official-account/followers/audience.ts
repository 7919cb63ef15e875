import type { Db } from '../../../platform/db/client';
import { createFollowersRepository, type AudienceFilter, type FollowerRow } from './followers.repository';

export interface AudiencePage {
  openIds: string[];
  /** Pass back to continue; null when there is no more. */
  nextCursor: string | null;
}

/**
 * Readers other modules (targeted pushes, the inbox) use to reach followers.
 * An audience is current followers only: with any of `tagIds`, and/or among
 * `openIds`; with neither, every current follower.
 */
export function createFollowerAudience(db: Db) {
  const repository = createFollowersRepository(db);
  return {
    countAudience(accountId: string, audience: AudienceFilter): Promise<number> {
      return repository.countAudience(accountId, audience);
    },
    /** OpenIDs in a stable order; `cursor` is the previous page's `nextCursor` (null for the first page). */
    async listAudienceOpenIds(accountId: string, audience: AudienceFilter, cursor: string | null, limit: number): Promise<AudiencePage> {
      const openIds = await repository.listAudienceOpenIds(accountId, audience, cursor, limit);
      return { openIds, nextCursor: openIds.length === limit ? (openIds[openIds.length - 1] ?? null) : null };
    },
    /** The follower as Qiao knows them (also those who left), or null. */
    findFollower(accountId: string, openId: string): Promise<FollowerRow | null> {
      return repository.find(accountId, openId);
    },
  };
}

export type FollowerAudience = ReturnType<typeof createFollowerAudience>;

import { eq } from 'drizzle-orm';
import type { Db } from '../../../platform/db/client';
import { oaProfiles } from './profile.tables';

export type ProfileRow = typeof oaProfiles.$inferSelect;
export type NewProfileRow = typeof oaProfiles.$inferInsert;

export interface ProfileRepository {
  transaction<T>(work: (repository: ProfileRepository, tx: unknown) => Promise<T>): Promise<T>;
  find(accountId: string): Promise<ProfileRow | null>;
  upsert(row: NewProfileRow): Promise<void>;
}

export function createProfileRepository(db: Db): ProfileRepository {
  return {
    transaction(work) {
      return db.transaction((tx) => work(createProfileRepository(tx as unknown as Db), tx));
    },
    async find(accountId) {
      const [row] = await db.select().from(oaProfiles).where(eq(oaProfiles.accountId, accountId)).limit(1);
      return row ?? null;
    },
    async upsert(row) {
      const { accountId: _accountId, ...changes } = row;
      await db.insert(oaProfiles).values(row).onConflictDoUpdate({ target: oaProfiles.accountId, set: changes });
    },
  };
}

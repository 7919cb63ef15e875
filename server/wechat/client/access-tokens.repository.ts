import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client';
import { openSecretOrNull, type SecretBox } from '../../platform/secrets';
import { wechatAccessTokens } from './access-tokens.tables';
import type { AccessTokenStore } from './stores';

/** Access tokens in the database, sealed, so a dump of it holds no usable token. */
export function createAccessTokenRepository(db: Db, secrets: SecretBox): AccessTokenStore {
  return {
    async find(accountKey) {
      const [row] = await db.select().from(wechatAccessTokens).where(eq(wechatAccessTokens.accountKey, accountKey)).limit(1);
      if (!row) return null;
      // Sealed under a master key this server no longer has: as good as absent, a new token replaces it.
      const token = openSecretOrNull(secrets, row.tokenSealed);
      return token === null ? null : { accountKey, token, fetchedAt: row.fetchedAt, expiresAt: row.expiresAt };
    },
    async save(token) {
      const values = { tokenSealed: secrets.sealSecret(token.token), fetchedAt: token.fetchedAt, expiresAt: token.expiresAt };
      await db
        .insert(wechatAccessTokens)
        .values({ accountKey: token.accountKey, ...values })
        .onConflictDoUpdate({ target: wechatAccessTokens.accountKey, set: values });
    },
    async delete(accountKey) {
      await db.delete(wechatAccessTokens).where(eq(wechatAccessTokens.accountKey, accountKey));
    },
  };
}

import { and, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Role } from '../../../../common/permissions';
import type { Db } from '../../../platform/db/client';
import type { DepartmentScope } from '../../../platform/http/principal';
import { users } from '../users/users.tables';
import { apiKeys } from './api-keys.tables';

export type ApiKeyRow = typeof apiKeys.$inferSelect & { username: string };

const columns = {
  id: apiKeys.id,
  userId: apiKeys.userId,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  keyHash: apiKeys.keyHash,
  role: apiKeys.role,
  departmentScopes: apiKeys.departmentScopes,
  createdAt: apiKeys.createdAt,
  expiresAt: apiKeys.expiresAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
  username: users.username,
};

export function createApiKeysRepository(db: Db) {
  return {
    async insert(values: {
      userId: string;
      name: string;
      prefix: string;
      keyHash: string;
      role: Role;
      departmentScopes: DepartmentScope[] | null;
      now: Date;
      expiresAt: Date | null;
    }): Promise<string> {
      const [row] = await db
        .insert(apiKeys)
        .values({
          userId: values.userId,
          name: values.name,
          prefix: values.prefix,
          keyHash: values.keyHash,
          role: values.role,
          departmentScopes: values.departmentScopes,
          createdAt: values.now,
          expiresAt: values.expiresAt,
        })
        .returning({ id: apiKeys.id });
      return row!.id;
    },

    async findById(id: string): Promise<ApiKeyRow | null> {
      const rows = await db.select(columns).from(apiKeys).innerJoin(users, eq(users.id, apiKeys.userId)).where(eq(apiKeys.id, id));
      return rows[0] ?? null;
    },

    async findByHash(keyHash: string): Promise<ApiKeyRow | null> {
      const rows = await db.select(columns).from(apiKeys).innerJoin(users, eq(users.id, apiKeys.userId)).where(eq(apiKeys.keyHash, keyHash));
      return rows[0] ?? null;
    },

    async touch(id: string, at: Date): Promise<void> {
      await db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id));
    },

    async revoke(id: string, at: Date): Promise<void> {
      await db.update(apiKeys).set({ revokedAt: at }).where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)));
    },

    /** Newest first; `userId` undefined lists every user's keys. */
    async list(filter: { userId?: string; before?: { createdAt: string; id: string } }, limit: number): Promise<ApiKeyRow[]> {
      const conditions: SQL[] = [];
      if (filter.userId) conditions.push(eq(apiKeys.userId, filter.userId));
      if (filter.before) conditions.push(sql`(${apiKeys.createdAt}, ${apiKeys.id}) < (${filter.before.createdAt}::timestamptz, ${filter.before.id}::uuid)`);
      return db
        .select(columns)
        .from(apiKeys)
        .innerJoin(users, eq(users.id, apiKeys.userId))
        .where(conditions.length > 0 ? and(...conditions) : undefined)
        .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
        .limit(limit);
    },
  };
}

export type ApiKeysRepository = ReturnType<typeof createApiKeysRepository>;

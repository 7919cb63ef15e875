import { and, desc, eq, gt, isNull, ne } from 'drizzle-orm';
import type { Db } from '../../../platform/db/client';
import { sessions } from './auth.tables';

export type SessionRow = typeof sessions.$inferSelect;

export function createSessionsRepository(db: Db) {
  return {
    async insert(values: { id: string; userId: string; csrfToken: string; ip: string | null; userAgent: string | null; now: Date; expiresAt: Date }): Promise<void> {
      await db.insert(sessions).values({
        id: values.id,
        userId: values.userId,
        csrfToken: values.csrfToken,
        ip: values.ip,
        userAgent: values.userAgent,
        createdAt: values.now,
        lastSeenAt: values.now,
        expiresAt: values.expiresAt,
      });
    },

    async findLive(id: string, now: Date): Promise<SessionRow | null> {
      const rows = await db
        .select()
        .from(sessions)
        .where(and(eq(sessions.id, id), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)));
      return rows[0] ?? null;
    },

    async touch(id: string, lastSeenAt: Date, expiresAt: Date): Promise<void> {
      await db.update(sessions).set({ lastSeenAt, expiresAt }).where(eq(sessions.id, id));
    },

    async listLive(userId: string, now: Date): Promise<SessionRow[]> {
      return db
        .select()
        .from(sessions)
        .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
        .orderBy(desc(sessions.lastSeenAt));
    },

    /** Revokes one live session of the user; false when there was none. */
    async revoke(userId: string, id: string, now: Date): Promise<boolean> {
      const rows = await db
        .update(sessions)
        .set({ revokedAt: now })
        .where(and(eq(sessions.id, id), eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
        .returning({ id: sessions.id });
      return rows.length > 0;
    },

    /** Revokes every live session of the user except `keepId`; returns how many. */
    async revokeAllOf(userId: string, now: Date, keepId?: string): Promise<number> {
      const conditions = [eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)];
      if (keepId) conditions.push(ne(sessions.id, keepId));
      const rows = await db.update(sessions).set({ revokedAt: now }).where(and(...conditions)).returning({ id: sessions.id });
      return rows.length;
    },
  };
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;

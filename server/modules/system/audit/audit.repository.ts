import { and, desc, eq, gte, inArray, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../platform/db/client';
import type { ChainedFields } from './audit-chain';
import { auditLog } from './audit.tables';

/** Serialises appends across connections and instances (works on PGlite and PostgreSQL). */
const chainLockKey = 7_151_180_001;

/** `at` exactly as it was hashed: ISO 8601 in UTC with milliseconds. */
const isoAt = sql<string>`to_char(${auditLog.at} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const entryColumns = {
  seq: auditLog.seq,
  at: isoAt,
  actorType: auditLog.actorType,
  actorId: auditLog.actorId,
  actorName: auditLog.actorName,
  action: auditLog.action,
  outcome: auditLog.outcome,
  targetType: auditLog.targetType,
  targetId: auditLog.targetId,
  summary: auditLog.summary,
  ip: auditLog.ip,
  userAgent: auditLog.userAgent,
  requestId: auditLog.requestId,
  prevHash: auditLog.prevHash,
  hash: auditLog.hash,
};

export type AuditRow = ChainedFields & { hash: string };

export interface AuditFilter {
  actorIds?: string[];
  actorId?: string;
  actorName?: string;
  action?: string;
  outcome?: 'ok' | 'refused';
  targetType?: string;
  from?: string;
  to?: string;
  beforeSeq?: number;
}

export function createAuditRepository(db: Db) {
  return {
    /** Must run inside a transaction: the lock is released at commit or rollback. */
    async lockChain(): Promise<void> {
      await db.execute(sql.raw(`SELECT pg_advisory_xact_lock(${chainLockKey})`));
    },

    async findLast(): Promise<{ seq: number; hash: string } | null> {
      const rows = await db.select({ seq: auditLog.seq, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
      return rows[0] ?? null;
    },

    async insert(row: AuditRow): Promise<void> {
      await db.insert(auditLog).values(row);
    },

    async list(filter: AuditFilter, limit: number): Promise<AuditRow[]> {
      const conditions: SQL[] = [];
      if (filter.actorIds) {
        if (filter.actorIds.length === 0) return [];
        conditions.push(inArray(auditLog.actorId, filter.actorIds));
      }
      if (filter.actorId) conditions.push(eq(auditLog.actorId, filter.actorId));
      if (filter.actorName) conditions.push(sql`lower(${auditLog.actorName}) = lower(${filter.actorName})`);
      if (filter.action) conditions.push(eq(auditLog.action, filter.action));
      if (filter.outcome) conditions.push(eq(auditLog.outcome, filter.outcome));
      if (filter.targetType) conditions.push(eq(auditLog.targetType, filter.targetType));
      if (filter.from) conditions.push(gte(auditLog.at, filter.from));
      if (filter.to) conditions.push(lte(auditLog.at, filter.to));
      if (filter.beforeSeq !== undefined) conditions.push(lt(auditLog.seq, filter.beforeSeq));
      return db
        .select(entryColumns)
        .from(auditLog)
        .where(conditions.length > 0 ? and(...conditions) : undefined)
        .orderBy(desc(auditLog.seq))
        .limit(limit);
    },

    /** A slice of the chain in order, for verification. */
    async chainAfter(seq: number, limit: number): Promise<AuditRow[]> {
      return db
        .select(entryColumns)
        .from(auditLog)
        .where(sql`${auditLog.seq} > ${seq}`)
        .orderBy(auditLog.seq)
        .limit(limit);
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;

import type { FastifyRequest } from 'fastify';
import { AppError } from '../../../../common/errors';
import { decodeCursor, encodeCursor } from '../../../../common/paging';
import type { AuditEvent, AuditRecorder } from '../../../platform/audit';
import type { Clock } from '../../../platform/clock';
import type { Db } from '../../../platform/db/client';
import type { RefusalRecorder } from '../../../platform/http/access';
import type { Principal, RequestContext } from '../../../platform/http/principal';
import { entryHash, genesisHash, sanitizeSummary } from './audit-chain';
import { createAuditRepository, type AuditFilter, type AuditRow } from './audit.repository';
import type { AuditEntry, AuditPage, AuditVerifyResult, ListAuditQuery } from './audit.schema';
import { contextOf } from './request-context';

export interface AuditServiceDeps {
  db: Db;
  clock: Clock;
  /** The user ids a dept_admin manages; the audit list shows only their entries (and its own). */
  managedUserIds(principal: Principal): Promise<string[]>;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function actorOf(context: RequestContext | null) {
  if (!context) return { actorType: 'system' as const, actorId: null, actorName: null };
  const principal = context.principal;
  if (!principal) return { actorType: 'anonymous' as const, actorId: null, actorName: null };
  return {
    actorType: principal.kind === 'api_key' ? ('api_key' as const) : ('user' as const),
    actorId: principal.userId,
    actorName: principal.username,
  };
}

function toEntry(row: AuditRow): AuditEntry {
  const { prevHash: _prevHash, ...entry } = row;
  return entry;
}

/** Appends one entry to the chain on `db`, which must be a transaction. */
async function append(db: Db, clock: Clock, context: RequestContext | null, event: AuditEvent): Promise<void> {
  const repository = createAuditRepository(db);
  await repository.lockChain();
  const last = await repository.findLast();
  const summary = sanitizeSummary(event.summary);
  if (context?.principal?.kind === 'api_key' && context.principal.apiKeyId) summary.viaApiKey = context.principal.apiKeyId;
  const fields = {
    seq: (last?.seq ?? 0) + 1,
    at: clock.now().toISOString(),
    ...actorOf(context),
    action: event.action,
    outcome: event.outcome ?? 'ok',
    targetType: event.targetType ?? null,
    targetId: event.targetId ?? null,
    summary,
    ip: context?.ip ?? null,
    userAgent: context?.userAgent ?? null,
    requestId: context?.requestId ?? null,
    prevHash: last?.hash ?? genesisHash,
  };
  await repository.insert({ ...fields, hash: entryHash(fields) });
}

/**
 * Walks the whole chain in order: each entry must follow the previous one
 * (seq without gaps, prevHash equal to its hash) and hash to what it stores.
 */
export async function verifyAuditChain(db: Db): Promise<AuditVerifyResult> {
  const repository = createAuditRepository(db);
  let previous = { seq: 0, hash: genesisHash };
  let checked = 0;
  for (;;) {
    const rows = await repository.chainAfter(previous.seq, 1000);
    for (const row of rows) {
      if (row.seq !== previous.seq + 1) return { ok: false, checked, brokenAt: previous.seq + 1 };
      const { hash, ...fields } = row;
      if (row.prevHash !== previous.hash || entryHash(fields) !== hash) return { ok: false, checked, brokenAt: row.seq };
      checked += 1;
      previous = { seq: row.seq, hash };
    }
    if (rows.length < 1000) return { ok: true, checked };
  }
}

export function createAuditService(deps: AuditServiceDeps) {
  const recorder: AuditRecorder = {
    async record(context, event, tx) {
      if (tx) {
        await append(tx as Db, deps.clock, context, event);
        return;
      }
      await deps.db.transaction(async (inner) => append(inner as unknown as Db, deps.clock, context, event));
    },
  };

  const refusals: RefusalRecorder = {
    async recordRefusal(request: FastifyRequest, reason) {
      await recorder.record(contextOf(request), {
        action: 'request.refused',
        outcome: 'refused',
        summary: { code: reason.code, permission: reason.permission, method: request.method, route: request.routeOptions.url },
      });
    },
  };

  async function list(principal: Principal, query: ListAuditQuery): Promise<AuditPage> {
    const filter: AuditFilter = {
      action: query.action,
      outcome: query.outcome,
      targetType: query.targetType,
      from: query.from,
      to: query.to,
    };
    if (query.actor) {
      if (uuidPattern.test(query.actor)) filter.actorId = query.actor.toLowerCase();
      else filter.actorName = query.actor;
    }
    if (query.cursor) {
      const decoded = decodeCursor(query.cursor);
      const seq = decoded?.[0];
      if (typeof seq !== 'number') throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'querystring.cursor', message: 'invalid cursor' }] });
      filter.beforeSeq = seq;
    }
    if (principal.role !== 'super_admin') {
      filter.actorIds = [principal.userId, ...(await deps.managedUserIds(principal))];
    }
    const rows = await createAuditRepository(deps.db).list(filter, query.limit + 1);
    const items = rows.slice(0, query.limit).map(toEntry);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > query.limit && last ? encodeCursor([last.seq]) : null };
  }

  async function verify(context: RequestContext): Promise<AuditVerifyResult> {
    const result = await verifyAuditChain(deps.db);
    await recorder.record(context, { action: 'audit.verify', outcome: 'ok', summary: { ...result } });
    return result;
  }

  return { recorder, refusals, list, verify };
}

export type AuditService = ReturnType<typeof createAuditService>;

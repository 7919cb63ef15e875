import type { DatabaseHandle } from '../../../platform/db/client';
import { createInstancePresence } from '../../../platform/db/instance-presence';
import type { Cache } from '../../../platform/cache/cache';
import type { Logger } from 'pino';

/**
 * How a push whose cache marker this delivery took is claimed before it is
 * handled. The marker claims it against every delivery that sees the same
 * cache: all of them with Redis, all of them with the embedded database (one
 * process). Instances that share a PostgreSQL database but no cache cannot see
 * each other's markers: there the push's log row claims it as well, before
 * the handlers run, at one more statement per batch of pushes.
 */
export interface PushClaims {
  /** Runs `byMarker` when the marker is claim enough, `byRow` when the row must claim the push too. */
  handle<T>(byMarker: () => Promise<T>, byRow: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The marker is claim enough: the cache is shared by every instance, or there is one process. */
export const markerClaims: PushClaims = {
  handle: (byMarker) => byMarker(),
  close: async () => undefined,
};

/**
 * The claims that suit how this process is deployed: on PostgreSQL without Redis, rows claim pushes
 * whenever another instance is on the database (instance-presence.ts); otherwise the marker alone.
 */
export function pushClaimsFor(deps: { database: DatabaseHandle; cache: Pick<Cache, 'kind'>; logger: Logger }): PushClaims {
  if (deps.database.kind !== 'postgres' || deps.cache.kind !== 'memory') return markerClaims;
  const presence = createInstancePresence({ pool: deps.database.pool, logger: deps.logger });
  return { handle: presence.act, close: presence.close };
}

import type pg from 'pg';
import type { Logger } from 'pino';

/**
 * Whether this process is the only Qiao instance on its PostgreSQL database.
 *
 * Every instance that joins holds an advisory lock on one key for as long as
 * it runs, on a connection of its own: exclusive when it found nobody there
 * ('alone'), shared otherwise ('shared'). A newcomer that finds an exclusive
 * holder waits for a shared lock; the lone instance sees it waiting (it looks
 * a few times a second), lets the work that relied on being alone finish,
 * takes a shared lock too and drops the exclusive one: from then on both are
 * 'shared'. So no instance acts as if alone while another one acts at all.
 * An instance that has shared stays shared until it restarts.
 *
 * PostgreSQL drops a connection's locks when the connection ends, so an
 * instance that stops (or crashes) leaves nothing behind.
 */
export type Presence = 'alone' | 'shared';

export interface InstancePresence {
  /** Joins on the first call; a promise until this instance holds its lock. */
  current(): Presence | Promise<Presence>;
  /**
   * Runs `alone` while this instance is alone, `shared` otherwise (joining
   * first when needed). What `alone` does is only right while no other
   * instance acts, so stepping down to 'shared' waits until it has settled.
   */
  act<T>(alone: () => Promise<T>, shared: () => Promise<T>): Promise<T>;
  /** Releases the lock (and its connection); call it after the last work that relied on it. */
  close(): Promise<void>;
}

/** The lock's two int4 keys ('QIAO', 1): pg_locks shows them as classid and objid, objsubid 2. */
export const presenceLockKey: readonly [number, number] = [0x5149414f, 1];

// The newcomers waiting for a shared lock while this instance holds the exclusive one.
const waitingSql = `
  select count(*)::int as waiting from pg_locks
  where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())
    and classid = $1 and objid = $2 and objsubid = 2 and not granted`;

export function createInstancePresence(options: {
  pool: pg.Pool;
  logger: Logger;
  /** How often a lone instance looks for newcomers. */
  pollMs?: number;
  /** How long a newcomer waits before it says so in the log (and again after as long). */
  patienceMs?: number;
  key?: readonly [number, number];
}): InstancePresence {
  const { pool, logger } = options;
  const pollMs = options.pollMs ?? 250;
  const patienceMs = options.patienceMs ?? 10_000;
  const key = [...(options.key ?? presenceLockKey)];
  let presence: Presence | undefined;
  let joining: Promise<Presence> | undefined;
  let client: pg.PoolClient | undefined;
  let poller: NodeJS.Timeout | undefined;
  let looking = false;
  let closed = false;
  const aloneWork = new Set<Promise<unknown>>();

  /** The lock went with its connection: join again on the next call. */
  function lost(held: pg.PoolClient, error: unknown): void {
    if (client !== held) return;
    logger.warn({ err: error, presence }, 'lost the connection that held this instance’s presence lock; joining again');
    stopPolling();
    client = undefined;
    presence = undefined;
    joining = undefined;
    held.release(error instanceof Error ? error : true);
  }

  function stopPolling(): void {
    if (poller) clearInterval(poller);
    poller = undefined;
  }

  async function join(): Promise<Presence> {
    const held = await pool.connect();
    if (closed) {
      held.release(true);
      throw new Error('instance presence is closed');
    }
    client = held;
    held.on('error', (error) => lost(held, error));
    try {
      const tried = await held.query<{ ok: boolean }>('select pg_try_advisory_lock($1, $2) as ok', key);
      if (tried.rows[0]!.ok) {
        presence = 'alone';
        poller = setInterval(lookForNewcomers, pollMs);
        poller.unref();
        return presence;
      }
      // Someone is here. A lone instance steps down once it sees this request waiting.
      const started = Date.now();
      const nag = setInterval(() => logger.warn({ waitedMs: Date.now() - started }, 'waiting for the instance that was alone on the database to share it'), patienceMs);
      nag.unref();
      try {
        await held.query('select pg_advisory_lock_shared($1, $2)', key);
      } finally {
        clearInterval(nag);
      }
      presence = 'shared';
      return presence;
    } catch (error) {
      lost(held, error);
      throw error;
    }
  }

  function lookForNewcomers(): void {
    const held = client;
    if (presence !== 'alone' || looking || !held) return;
    looking = true;
    held
      .query<{ waiting: number }>(waitingSql, key)
      .then((result) => (result.rows[0]!.waiting > 0 && presence === 'alone' && client === held ? stepDown(held) : undefined))
      .catch((error: unknown) => lost(held, error))
      .finally(() => {
        looking = false;
      });
  }

  async function stepDown(held: pg.PoolClient): Promise<void> {
    // New work sees 'shared' from now on; what began while alone finishes first.
    presence = 'shared';
    stopPolling();
    logger.info({ running: aloneWork.size }, 'another instance joined the database; this one shares it from now on');
    await Promise.allSettled(aloneWork);
    await held.query('select pg_advisory_lock_shared($1, $2)', key);
    await held.query('select pg_advisory_unlock($1, $2)', key);
  }

  function current(): Presence | Promise<Presence> {
    if (closed) throw new Error('instance presence is closed');
    if (presence) return presence;
    if (!joining) {
      // A failed attempt is forgotten, so that the next push tries again (unless a newer attempt began meanwhile).
      const attempt: Promise<Presence> = join().catch((error: unknown) => {
        if (joining === attempt) joining = undefined;
        throw error;
      });
      joining = attempt;
    }
    return joining;
  }

  function act<T>(alone: () => Promise<T>, shared: () => Promise<T>): Promise<T> {
    const now = current();
    if (now === 'shared') return shared();
    if (now === 'alone') {
      const work = alone();
      aloneWork.add(work);
      const settled = () => aloneWork.delete(work);
      void work.then(settled, settled);
      return work;
    }
    // Joined by now, unless the lock was lost meanwhile: decide again with what is known then.
    return now.then(() => act(alone, shared));
  }

  return {
    current,
    act,
    async close() {
      closed = true;
      stopPolling();
      const held = client;
      client = undefined;
      presence = undefined;
      // Destroyed rather than returned to the pool: the locks end with the connection (and a wait for one ends too).
      held?.release(true);
      await joining?.catch(() => undefined);
    },
  };
}

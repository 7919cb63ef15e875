import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { createLogger } from '../logger';
import { createInstancePresence, presenceLockKey, type InstancePresence, type Presence } from './instance-presence';

// Several processes on one database exist only with PostgreSQL: the embedded database admits one.
describe.skipIf(!process.env.TEST_DATABASE_URL)('instance presence on PostgreSQL', () => {
  let database: TestDatabase;
  const opened: InstancePresence[] = [];

  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterEach(async () => {
    for (const presence of opened.splice(0)) await presence.close();
  });
  afterAll(async () => {
    await database.close();
  });

  function instance(pool?: pg.Pool): InstancePresence {
    if (database.handle.kind !== 'postgres') throw new Error('PostgreSQL only');
    const presence = createInstancePresence({ pool: pool ?? database.handle.pool, logger: createLogger('silent'), pollMs: 20 });
    opened.push(presence);
    return presence;
  }

  function deferred(): { promise: Promise<string>; resolve(value: string): void } {
    let resolve!: (value: string) => void;
    const promise = new Promise<string>((r) => (resolve = r));
    return { promise, resolve };
  }

  /** Which branch `act` ran. */
  const branch = (presence: InstancePresence) =>
    presence.act(
      async () => 'alone',
      async () => 'shared',
    );

  it('is alone while no other instance has joined, and answers at once from then on', async () => {
    const first = instance();
    expect(await first.current()).toBe('alone');
    expect(first.current()).toBe('alone');
    expect(await branch(first)).toBe('alone');
  });

  it('shares the database once a second instance joins, both of them', async () => {
    const first = instance();
    const second = instance();
    expect(await first.current()).toBe('alone');
    expect(await second.current()).toBe('shared');
    expect(first.current()).toBe('shared');
    expect(await branch(first)).toBe('shared');
    expect(await branch(second)).toBe('shared');
    // A third finds nobody alone and shares at once.
    expect(await instance().current()).toBe('shared');
  });

  it('lets a newcomer in only after the work begun alone has settled; new work meanwhile runs shared', async () => {
    const first = instance();
    expect(await first.current()).toBe('alone');
    const work = deferred();
    const running = first.act(
      () => work.promise,
      async () => 'wrong branch',
    );
    const joined: Presence[] = [];
    const second = instance();
    const joining = Promise.resolve(second.current()).then((presence) => joined.push(presence));
    await expect.poll(() => first.current(), { timeout: 5_000 }).toBe('shared');
    expect(await branch(first)).toBe('shared');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(joined).toEqual([]);
    work.resolve('done alone');
    expect(await running).toBe('done alone');
    await joining;
    expect(joined).toEqual(['shared']);
  });

  it('leaves nothing behind when it closes: the next instance is alone', async () => {
    const first = instance();
    expect(await first.current()).toBe('alone');
    await first.close();
    expect(() => first.current()).toThrow(/closed/);
    expect(await instance().current()).toBe('alone');
  });

  it('ends a newcomer’s wait when the newcomer closes', async () => {
    const first = instance();
    expect(await first.current()).toBe('alone');
    const work = deferred();
    void first.act(
      () => work.promise,
      async () => 'shared',
    );
    const second = instance();
    const waiting = Promise.resolve(second.current());
    await expect.poll(() => first.current(), { timeout: 5_000 }).toBe('shared');
    await second.close();
    await expect(waiting).rejects.toThrow();
    work.resolve('done');
  });

  it('tries again on the next call when the database could not be reached', async () => {
    if (database.handle.kind !== 'postgres') throw new Error('PostgreSQL only');
    const real = database.handle.pool;
    let refusals = 1;
    const flaky = { connect: () => (refusals-- > 0 ? Promise.reject(new Error('connection refused')) : real.connect()) } as unknown as pg.Pool;
    const presence = instance(flaky);
    await expect(Promise.resolve(presence.current())).rejects.toThrow('connection refused');
    expect(await presence.current()).toBe('alone');
  });

  it('joins again after losing the connection that held its lock', async () => {
    const first = instance();
    expect(await first.current()).toBe('alone');
    if (database.handle.kind !== 'postgres') throw new Error('PostgreSQL only');
    // What a database restart or a dropped connection does to the lock's session (waiting until it has ended).
    await database.handle.pool.query(`
      select pg_terminate_backend(pid, 5000) from pg_locks
      where locktype = 'advisory' and classid = $1 and objid = $2 and objsubid = 2 and granted`, [...presenceLockKey]);
    // A second instance can now take the exclusive lock; the first, joining again, must share.
    const second = instance();
    await expect.poll(() => Promise.resolve(second.current()), { timeout: 5_000 }).toBe('alone');
    await expect.poll(() => Promise.resolve(first.current()), { timeout: 5_000 }).toBe('shared');
    expect(await second.current()).toBe('shared');
  });
});

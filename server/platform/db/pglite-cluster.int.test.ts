import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './client';
import { createPgliteClusterApart, hasPgliteCluster } from './pglite-cluster';

const made: string[] = [];
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'qiao-pglite-cluster-'));
  made.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// The embedded database only: PostgreSQL runs elsewhere, so this leg has nothing to test here.
describe.skipIf(Boolean(process.env.TEST_DATABASE_URL))('embedded database cluster', () => {
  it('creates a missing cluster in a child process once, then opens it as it is, with the page cache asked for', async () => {
    const dir = join(scratch(), 'pgdata');
    const created: string[] = [];
    const createCluster = async (dataDir: string) => {
      created.push(dataDir);
      await createPgliteClusterApart(dataDir);
    };
    const first = await openDatabase({ pgliteDir: dir, createCluster });
    expect(created).toEqual([dir]);
    expect(hasPgliteCluster(dir)).toBe(true);
    await first.db.execute(sql`create table kept (note text)`);
    await first.db.execute(sql`insert into kept values ('橋')`);
    await first.close();

    const second = await openDatabase({ pgliteDir: dir, createCluster, pgliteSharedBuffersMb: 24 });
    expect(created).toEqual([dir]);
    const rows = await second.db.execute<{ note: string }>(sql`select note from kept`);
    expect(rows.rows).toEqual([{ note: '橋' }]);
    // The page cache is the one setting asked for; everything else stays PGlite's own start.
    const buffers = await second.db.execute<{ shared_buffers: string }>(sql`show shared_buffers`);
    expect(buffers.rows).toEqual([{ shared_buffers: '24MB' }]);
    const parallel = await second.db.execute<{ max_parallel_workers: string }>(sql`show max_parallel_workers`);
    expect(parallel.rows).toEqual([{ max_parallel_workers: '0' }]);
    await second.close();
  }, 60_000);

  it('says which directory it could not create the cluster in', async () => {
    const blocker = join(scratch(), 'a-file');
    writeFileSync(blocker, 'not a directory');
    const dir = join(blocker, 'pgdata');
    const failure = createPgliteClusterApart(dir);
    await expect(failure).rejects.toThrow(`Could not create the embedded database in ${dir}`);
    await expect(failure).rejects.toThrow('ENOTDIR');
    expect(hasPgliteCluster(dir)).toBe(false);
  }, 60_000);
});

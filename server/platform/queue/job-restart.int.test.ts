import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { lockDataDir } from '../db/data-dir-lock';

const childScript = fileURLToPath(new URL('../../../test/support/job-child.ts', import.meta.url));
const itemCount = 200;

interface ChildEvent {
  pid: number;
  event: 'run' | 'started' | 'progress' | 'duplicate' | 'verified' | 'error';
  jobId?: string;
  state?: string;
  done?: number;
  from?: number;
  message?: string;
  rows?: number;
  distinctItems?: number;
  first?: number;
  last?: number;
  attempt?: number;
}

interface Child {
  process: ChildProcess;
  events: ChildEvent[];
  stderr: string[];
  /** Resolves with the first event that matches, or rejects when the child exits first. */
  waitFor(match: (event: ChildEvent) => boolean): Promise<ChildEvent>;
  exited: Promise<number | null>;
}

function startChild(env: Record<string, string>): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: ChildEvent[] = [];
  const stderr: string[] = [];
  const waiters: { match: (event: ChildEvent) => boolean; resolve: (event: ChildEvent) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let event: ChildEvent;
    try {
      event = JSON.parse(line) as ChildEvent;
    } catch {
      return;
    }
    events.push(event);
    for (const waiter of waiters.filter((w) => w.match(event))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(event);
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    process: child,
    events,
    stderr,
    exited,
    waitFor(match) {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise<ChildEvent>((resolve, reject) => {
        waiters.push({ match, resolve });
        void exited.then((code) =>
          reject(new Error(`child exited (${code}) first; events ${JSON.stringify(events.slice(-5))}; stderr ${stderr.join('').slice(-2000)}`)),
        );
      });
    },
  };
}

const children: Child[] = [];
let cleanup: (() => Promise<void>) | null = null;

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.process.exitCode === null && child.process.signalCode === null) {
      child.process.kill('SIGKILL');
      await child.exited;
    }
  }
  await cleanup?.();
  cleanup = null;
});

describe('a job survives its process being killed', () => {
  it('resumes after SIGKILL in a new process and ends with every item done exactly once', { timeout: 120_000 }, async () => {
    let env: Record<string, string>;
    let dataDir: string | null = null;
    if (process.env.TEST_DATABASE_URL) {
      const database: TestDatabase = await openTestDatabase();
      env = { JOB_CHILD_DATABASE_URL: database.url ?? '' };
      cleanup = () => database.close();
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'qiao-restart-'));
      dataDir = dir;
      env = { JOB_CHILD_DATA_DIR: dir, JOB_CHILD_SEED_DUMP: inject('pgliteDumpPath') };
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    }

    const first = startChild(env);
    children.push(first);
    const started = await first.waitFor((e) => e.event === 'started');
    const jobId = started.jobId!;
    const midway = await first.waitFor((e) => e.event === 'progress' && (e.done ?? 0) > 20);
    first.process.kill('SIGKILL');
    await first.exited;
    expect(midway.done).toBeLessThan(itemCount);

    const second = startChild(env);
    children.push(second);
    const resumed = await second.waitFor((e) => e.event === 'started');
    expect(resumed).toMatchObject({ jobId, resumed: true });
    const end = await second.waitFor((e) => e.event === 'progress' && e.state !== 'queued' && e.state !== 'running');
    expect(end).toMatchObject({ state: 'succeeded', done: itemCount, total: itemCount });
    const verified = await second.waitFor((e) => e.event === 'verified');
    expect(await second.exited).toBe(0);

    // The resumed run started after the last item the killed process committed, and no item was inserted twice.
    const runs = second.events.filter((e) => e.event === 'run');
    expect(runs.length).toBeGreaterThan(0);
    expect(runs[0]!.from).toBeGreaterThan(20);
    expect([...first.events, ...second.events].filter((e) => e.event === 'duplicate')).toEqual([]);
    expect(verified).toMatchObject({ rows: itemCount, distinctItems: itemCount, first: 0, last: itemCount - 1 });
    expect(verified.attempt).toBeGreaterThanOrEqual(2);
    // Both processes let go of the data directory: the killed one's stale lock was taken over.
    if (dataDir) lockDataDir(dataDir).release();
  });
});

// Cold start to /readyz on a fresh and on an existing data dir, and RSS at idle after each.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function startServer(dataDir: string, port: number): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { ...process.env, QIAO_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', DATABASE_URL: '', REDIS_URL: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function waitReady(port: number, startedAt: number): Promise<number> {
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (response.status === 200) return performance.now() - startedAt;
    } catch {
      // not listening yet
    }
    if (performance.now() - startedAt > 120_000) throw new Error('server did not become ready in 120 s');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function stop(child: ChildProcess): Promise<void> {
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export async function benchStartup(runs = 3): Promise<Record<string, number[]>> {
  const fresh: number[] = [];
  const existing: number[] = [];
  const idle: number[] = [];
  const idleFresh: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'qiao-bench-start-'));
    const port = 3900 + i;
    let child = startServer(dataDir, port);
    fresh.push(await waitReady(port, performance.now()));
    await new Promise((r) => setTimeout(r, 5000));
    idleFresh.push(rssMiB(child.pid!));
    await stop(child);
    const startedAt = performance.now();
    child = startServer(dataDir, port);
    existing.push(await waitReady(port, startedAt));
    await new Promise((r) => setTimeout(r, 5000));
    idle.push(rssMiB(child.pid!));
    await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
  return { 'cold start, fresh data dir (ms)': fresh, 'cold start, existing data dir (ms)': existing, 'RSS at idle after 5 s, existing data dir (MiB)': idle, 'RSS at idle after 5 s, fresh data dir (MiB)': idleFresh };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = await benchStartup(Number(process.env.RUNS ?? 3));
  for (const [name, values] of Object.entries(results)) {
    const sorted = [...values].sort((a, b) => a - b);
    console.log(`${name}: median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)}, runs ${values.map((v) => v.toFixed(0)).join(' / ')}`);
  }
}

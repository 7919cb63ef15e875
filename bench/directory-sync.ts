// Full pull of a WeCom directory from the sandbox. The sandbox corp gets BENCH_MEMBERS (default 50,000)
// members in BENCH_DEPARTMENTS (default 500) departments (made by the sandbox's control API, not timed);
// Qiao connects it with the contacts secret over HTTP on BENCH_PORT (default 4651) and runs
// `POST /api/v1/wecom/{id}/departments/sync` (the compare job: department/list and user/list per
// department, then the three-way diff; then every pull applied). Printed: seconds of the compare and of
// the apply, the items, WeCom calls made, and this process's peak RSS (VmHWM; it holds the sandbox too).
// Embedded database by default; DATABASE_URL (an empty database) runs it on PostgreSQL.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { buildApp } from '../server/app';
import { createCache } from '../server/platform/cache';
import { systemClock } from '../server/platform/clock';
import { loadConfig } from '../server/platform/config';
import { openDatabase } from '../server/platform/db/client';
import { migrateDatabase } from '../server/platform/db/migrate';
import { createLogger } from '../server/platform/logger';
import { createJobQueue } from '../server/platform/queue';
import { setupRoot } from '../test/support/callers';

const memberCount = Number(process.env.BENCH_MEMBERS ?? 50_000);
const departmentCount = Number(process.env.BENCH_DEPARTMENTS ?? 500);
const port = Number(process.env.BENCH_PORT ?? 4651);
const base = `http://127.0.0.1:${port}`;

const dataDir = mkdtempSync(join(tmpdir(), 'qiao-bench-directory-sync-'));
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
const config = loadConfig({
  ...process.env,
  LOG_LEVEL: 'warn',
  PORT: String(port),
  QIAO_DATA_DIR: dataDir,
  QIAO_SANDBOX: 'on',
  QIAO_PUBLIC_URL: base,
  QIAO_SECRET_KEY: Buffer.alloc(32, 9).toString('base64'),
});
const logger = createLogger('warn');
const database = await openDatabase({ ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), pgliteDir: join(dataDir, 'pgdata') });
await migrateDatabase(database);
const db = database.db;
const cache = await createCache({ redisUrl: undefined });
const queue = createJobQueue({ database, logger, clock: systemClock });
const app = await buildApp({ config, database, cache, queue, clock: systemClock, logger });
await queue.start();
await app.listen({ port, host: '127.0.0.1' });
const root = await setupRoot(app);

async function call(method: 'GET' | 'POST', url: string, payload?: object): Promise<Record<string, unknown>> {
  const response = await app.inject({ method, url, headers: root.headers, ...(payload ? { payload } : {}) });
  if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.json() as Record<string, unknown>;
}

async function finished(jobId: string): Promise<Record<string, unknown>> {
  for (;;) {
    const job = await call('GET', `/api/v1/jobs/${jobId}`);
    if (job.state !== 'queued' && job.state !== 'running') return job;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const peakRssMiB = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;
const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');

const making = performance.now();
const corp = (await call('POST', '/sandbox/control/wecom-corps', { departments: departmentCount, members: memberCount })) as {
  corpId: string;
  receivers: { receiver: string; secret: string; token: string; encodingAesKey: string }[];
};
const contacts = corp.receivers.find((r) => r.receiver === 'contacts')!;
const connected = await call('POST', '/api/v1/accounts', {
  type: 'wecom',
  name: '桥沙箱连锁',
  corpId: corp.corpId,
  apiBaseUrl: `${base}/sandbox/wecom`,
  receivers: [{ receiver: 'contacts', secret: contacts.secret, token: contacts.token, encodingAesKey: contacts.encodingAesKey }],
});
const accountId = connected.id as string;
console.log(`database        ${database.kind}; sandbox corp of ${memberCount} members in ${departmentCount} departments made in ${((performance.now() - making) / 1000).toFixed(1)} s`);
console.log(`load average    ${load()} (before)`);

const started = performance.now();
const answer = (await call('POST', `/api/v1/wecom/${accountId}/departments/sync`)) as { run: { id: string }; job: { id: string } };
const job = await finished(answer.job.id);
const totalS = (performance.now() - started) / 1000;
const run = (await call('GET', `/api/v1/wecom/${accountId}/directory-sync/runs/${answer.run.id}`)) as { counts: Record<string, number>; createdAt: string; finishedAt: string | null };
// Phases from the rows' own clocks: the run starts comparing at createdAt, the first item applied ends the compare.
const phases = await db.execute<{ compare_s: number | null; apply_s: number | null }>(sql`select
  extract(epoch from min(i.applied_at) - r.created_at)::float8 as compare_s,
  extract(epoch from r.finished_at - min(i.applied_at))::float8 as apply_s
  from wecom_sync_runs r join wecom_sync_items i on i.run_id = r.id where r.id = ${answer.run.id} group by r.id`);
const compareS = phases.rows[0]?.compare_s ?? null;
const applyS = phases.rows[0]?.apply_s ?? null;
const counted = await db.execute<{ members: number; departments: number; calls: number }>(sql`select
  (select count(*)::int from wecom_members where account_id = ${accountId}) as members,
  (select count(*)::int from wecom_departments where account_id = ${accountId}) as departments,
  (select count(*)::int from wechat_api_calls where account_id = ${accountId}) as calls`);
const figures = counted.rows[0]!;
console.log(
  JSON.stringify(
    {
      database: database.kind,
      state: job.state,
      result: job.result,
      items: run.counts,
      pullSeconds: +totalS.toFixed(1),
      compareSeconds: compareS === null ? null : +Number(compareS).toFixed(1),
      applySeconds: applyS === null ? null : +Number(applyS).toFixed(1),
      membersInQiao: figures.members,
      departmentsInQiao: figures.departments,
      wecomCallsLogged: figures.calls,
      peakRssMiB: Math.round(peakRssMiB()),
      loadAfter: load(),
    },
    null,
    2,
  ),
);
if (job.state !== 'succeeded' || figures.members < memberCount) process.exitCode = 1;
await app.close();
await queue.stop().catch(() => undefined);
await database.close();
process.exit(process.exitCode ?? 0);

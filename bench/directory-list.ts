// WeCom member list of a subtree. BENCH_MEMBERS (default 50,000) members of one corp are inserted with a
// few statements into a directory of root → 5 regions → 20 stores each, one region holding a fifth of
// the members (10,000 by default, BENCH_SUBTREE_SHARE=0.2), each member in one store and every 20th also
// in head office. Then `GET /api/v1/wecom/{id}/members` is timed through the real app (app.inject:
// session, reach, subtree, list query, departments of the page, serialisation): BENCH_RUNS (default 200)
// requests per case, limit 50, 6 in 10 first pages (which also count the subtree) and 4 in 10 pages 2–5
// by cursor; p50/p95/p99/max per case. Goal (issue 7): p95 under 50 ms for a 10,000-member subtree.
// Embedded database by default; DATABASE_URL (an empty database) runs it on PostgreSQL.
import { mkdtempSync, rmSync } from 'node:fs';
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
import { setupRoot, userSession, type Caller } from '../test/support/callers';

const members = Number(process.env.BENCH_MEMBERS ?? 50_000);
const share = Number(process.env.BENCH_SUBTREE_SHARE ?? 0.2);
const runs = Number(process.env.BENCH_RUNS ?? 200);
const REGIONS = 5;
const STORES = 20;
const GOAL_MS = 50;
const HEAD_OFFICE = 10;
const regionId = (r: number) => 2 + r;
const storeId = (r: number, s: number) => 100 + r * STORES + s;

const dataDir = mkdtempSync(join(tmpdir(), 'qiao-bench-directory-list-'));
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn', QIAO_DATA_DIR: dataDir, QIAO_SANDBOX: 'off', QIAO_SECRET_KEY: Buffer.alloc(32, 9).toString('base64') });
const logger = createLogger('warn');
const database = await openDatabase({ ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), pgliteDir: join(dataDir, 'pgdata') });
await migrateDatabase(database);
const db = database.db;
const cache = await createCache({ redisUrl: undefined });
const queue = createJobQueue({ database, logger, clock: systemClock });
const app = await buildApp({ config, database, cache, queue, clock: systemClock, logger });
await app.ready();

const accountRow = await db.execute<{ id: string }>(sql`insert into accounts (type, name, wechat_id, api_base_url, encrypt_mode, sandbox, created_at, updated_at)
  values ('wecom', '桥沙箱连锁', ${`wwlist${Date.now().toString(16)}`}, 'http://127.0.0.1', 'safe', true, now(), now()) returning id`);
const accountId = accountRow.rows[0]!.id;

const inserting = performance.now();
const departments: [number, number, string][] = [
  [1, 0, '桥沙箱连锁'],
  [HEAD_OFFICE, 1, '总部'],
];
for (let r = 0; r < REGIONS; r++) {
  departments.push([regionId(r), 1, `区域${r + 1}`]);
  for (let s = 0; s < STORES; s++) departments.push([storeId(r, s), regionId(r), `区域${r + 1}门店${s + 1}`]);
}
await db.execute(sql`insert into wecom_departments (account_id, id, parent_id, name, "order", created_at, updated_at)
  select ${accountId}::uuid, d.id, d.parent, d.name, 0, now(), now()
  from unnest(${`{${departments.map((d) => d[0]).join(',')}}`}::int[], ${`{${departments.map((d) => d[1]).join(',')}}`}::int[],
              ${`{${departments.map((d) => `"${d[2]}"`).join(',')}}`}::text[]) as d(id, parent, name)`);
// Member i: in region 0 while i < share × members, else spread over regions 1–4; store by i.
const inRegion0 = Math.round(members * share);
const storeSql = sql`case when i < ${inRegion0}::int then 100 + (i % ${STORES}::int)
  else 100 + (1 + (i % ${REGIONS - 1}::int)) * ${STORES}::int + ((i / ${REGIONS - 1}::int) % ${STORES}::int) end`;
await db.execute(sql`insert into wecom_members (account_id, userid, name, mobile, position, status, main_department_id, created_at, updated_at)
  select ${accountId}::uuid, 'm' || lpad(i::text, 6, '0'),
    (array['王','李','张','刘','陈','杨','黄','赵','吴','周'])[1 + i % 10] || (array['伟','芳','娜','敏','静','磊','军','洋','勇','艳','杰','涛'])[1 + (i / 10) % 12] || i::text,
    '1' || (3000000000 + i)::text, case when i % 50 = 0 then '店长' else '店员' end,
    case when i % 17 = 0 then 'inactive' else 'active' end, ${storeSql}, now(), now()
  from generate_series(0, ${members - 1}::int) as i`);
await db.execute(sql`insert into wecom_member_departments (account_id, userid, department_id, "order", is_leader, position)
  select ${accountId}::uuid, 'm' || lpad(i::text, 6, '0'), ${storeSql}, 0, i % 50 = 0, 0 from generate_series(0, ${members - 1}::int) as i`);
await db.execute(sql`insert into wecom_member_departments (account_id, userid, department_id, "order", is_leader, position)
  select ${accountId}::uuid, 'm' || lpad(i::text, 6, '0'), ${HEAD_OFFICE}, 0, false, 1 from generate_series(0, ${members - 1}::int, 20) as i`);
await db.execute(sql`analyze`);
console.log(`database        ${database.kind}; ${members} members (${inRegion0} in 区域1), ${departments.length} departments, inserted in ${((performance.now() - inserting) / 1000).toFixed(1)} s`);

const root = await setupRoot(app);
const deptAdmin = await userSession(app, root, { username: 'bench-region', role: 'dept_admin', departmentScopes: [{ accountId, departmentId: regionId(0) }] });
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;

type Query = Record<string, string>;
const cases: [string, Caller, () => Query][] = [
  ['super admin, 区域1 subtree (10,000)', root, () => ({ departmentId: String(regionId(0)), includeSubdepartments: 'true' })],
  ['super admin, 区域1 subtree, status=active', root, () => ({ departmentId: String(regionId(0)), includeSubdepartments: 'true', status: 'active' })],
  ['super admin, 区域1 subtree, q=王伟', root, () => ({ departmentId: String(regionId(0)), includeSubdepartments: 'true', q: '王伟' })],
  ['super admin, one store (500)', root, () => ({ departmentId: String(storeId(0, Math.floor(Math.random() * STORES))) })],
  ['super admin, whole corp', root, () => ({})],
  ['dept_admin of 区域1, no filter', deptAdmin, () => ({})],
  ['dept_admin of 区域1, q=李', deptAdmin, () => ({ q: '李' })],
];

const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');
console.log(`load average    ${load()} (before)`);
console.log(`\n${runs} requests per case, limit 50; 6 in 10 first pages (with total), 4 in 10 pages 2–5 by cursor`);
console.log('| case | p50 ms | p95 ms | p99 ms | max ms |');
console.log('|---|---|---|---|---|');
let missed = 0;
for (const [name, caller, make] of cases) {
  const times: number[] = [];
  let cursor: string | null = null;
  let query: Query = {};
  for (let run = 0; run < runs + 10; run++) {
    if (run % 10 < 6 || !cursor) {
      query = make();
      cursor = null;
    }
    const search: URLSearchParams = new URLSearchParams({ ...query, limit: '50', ...(cursor ? { cursor } : {}) });
    const t0 = performance.now();
    const response: { statusCode: number; body: string; json(): unknown } = await app.inject({ method: 'GET', url: `/api/v1/wecom/${accountId}/members?${search}`, headers: caller.headers });
    const ms = performance.now() - t0;
    if (response.statusCode !== 200) throw new Error(`${name}: ${response.statusCode} ${response.body}`);
    cursor = (response.json() as { nextCursor: string | null }).nextCursor;
    // The first ten warm caches and the JIT; they are not counted.
    if (run >= 10) times.push(ms);
  }
  times.sort((a, b) => a - b);
  const p95 = percentile(times, 95);
  if (name.includes('10,000') && p95 > GOAL_MS) missed++;
  console.log(`| ${name} | ${percentile(times, 50).toFixed(1)} | ${p95.toFixed(1)} | ${percentile(times, 99).toFixed(1)} | ${times[times.length - 1]!.toFixed(1)} |`);
}
console.log(`\nload average    ${load()} (after)`);
console.log(missed ? `goal missed: p95 over ${GOAL_MS} ms for the 10,000-member subtree` : `goal met: p95 under ${GOAL_MS} ms for the 10,000-member subtree`);
await app.close();
await queue.stop().catch(() => undefined);
await database.close();
process.exit(0);

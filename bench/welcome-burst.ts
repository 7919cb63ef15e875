// A burst of customer adds: BENCH_ADDS (default 1,000) customers each add a member through one
// 「联系我」 code within BENCH_SECONDS (default 60), evenly spread, against the sandbox. Qiao runs
// in-process and listens on a port (the sandbox pushes each add_external_contact over HTTP, signed
// and encrypted as WeCom does); the code has its own welcome message with the customer's name
// (one externalcontact/get per add), an image uploaded ahead and a link, and a tag put on each
// customer. For each add it reads from the sandbox when the WelcomeCode was issued (the event) and
// when send_welcome_msg used it, and prints p50/p95/p99 of that latency and how many welcome
// messages went inside WeChat's 20-second window, with Qiao's own welcome log next to it.
// Embedded database by default; DATABASE_URL runs it on PostgreSQL (the database is created when
// missing; a non-empty one is refused unless its name starts with `qiao_bench_`, then it is recreated).
// BENCH_SANDBOX=process (default) runs the sandbox in its own process (this file again, as `npm run
// sandbox` does but with the WeCom product, which that one does not serve; its own PGlite, or
// `<database>_sandbox` on PostgreSQL) so the figures are Qiao's, not the emulator's sharing Qiao's
// event loop; BENCH_SANDBOX=inline serves it from Qiao's process, as a default install does.
// BENCH_SANDBOX_DATABASE_URL puts the standalone sandbox on that PostgreSQL database whatever Qiao uses.
// BENCH_PORT and BENCH_SANDBOX_PORT pick the ports (free ones otherwise).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { buildApp } from '../server/app';
import { createCache } from '../server/platform/cache';
import { systemClock } from '../server/platform/clock';
import { loadConfig } from '../server/platform/config';
import { openDatabase } from '../server/platform/db/client';
import { migrateDatabase } from '../server/platform/db/migrate';
import { installAccessGuard } from '../server/platform/http/access';
import { createHttpServer } from '../server/platform/http/create-server';
import type { Principal } from '../server/platform/http/principal';
import { createLogger } from '../server/platform/logger';
import { createJobQueue } from '../server/platform/queue';
import { createSandbox } from '../server/sandbox';
import { createWeComSandbox } from '../server/sandbox/wecom';
import { setupRoot, type Caller } from '../test/support/callers';
import type { ConnectedCorp, SandboxReceiver } from '../test/support/wecom-corp-kit';
import { callWeCom, connectSandboxCorp } from '../test/support/wecom-corp-kit';

/**
 * The sandbox's own process (this file, started again with BENCH_WELCOME_SANDBOX_KEY): as
 * `npm run sandbox`, with the WeCom product too, and its control API behind that key.
 */
async function serveSandboxProcess(key: string): Promise<void> {
  const sandboxConfig = loadConfig({ ...process.env, QIAO_SANDBOX: 'on' });
  const sandboxLogger = createLogger(sandboxConfig.logLevel);
  mkdirSync(sandboxConfig.dataDir, { recursive: true });
  const sandboxDatabase = await openDatabase({ databaseUrl: sandboxConfig.databaseUrl, pgliteDir: join(sandboxConfig.dataDir, 'pgdata') });
  await migrateDatabase(sandboxDatabase);
  const sandboxCache = await createCache({ redisUrl: undefined });
  const server = await createHttpServer({ logger: sandboxLogger, bodyLimitBytes: sandboxConfig.bodyLimitBytes, publicBaseUrl: sandboxConfig.publicBaseUrl, version: 'sandbox' });
  const expected = Buffer.from(key);
  const principal: Principal = {
    kind: 'api_key',
    userId: 'sandbox-control',
    username: 'sandbox-control',
    displayName: 'Sandbox control key',
    role: 'super_admin',
    permissions: ['sandbox.control'],
    departmentScopes: [],
    wecomMembers: [],
    apiKeyId: 'sandbox-control',
  };
  installAccessGuard(server, {
    authenticator: {
      async authenticate(request) {
        const header = request.headers.authorization ?? '';
        const sent = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
        return sent.length === expected.length && timingSafeEqual(sent, expected) ? principal : null;
      },
    },
    refusals: { recordRefusal: async () => undefined },
  });
  const sandbox = createSandbox(
    { config: sandboxConfig, db: sandboxDatabase.db, cache: sandboxCache, clock: systemClock, logger: sandboxLogger },
    { plugins: [(ctx) => createWeComSandbox(ctx).product] },
  );
  await server.register(sandbox.routes);
  await server.listen({ port: sandboxConfig.port, host: sandboxConfig.host });
  process.stdout.write('WeChat sandbox ready\n');
  process.once('SIGTERM', () => {
    void (async () => {
      await server.close();
      await sandbox.officialAccount.idle();
      await sandboxCache.close();
      await sandboxDatabase.close();
      process.exit(0);
    })();
  });
  await new Promise(() => undefined);
}
if (process.env.BENCH_WELCOME_SANDBOX_KEY) await serveSandboxProcess(process.env.BENCH_WELCOME_SANDBOX_KEY);

const adds = Number(process.env.BENCH_ADDS ?? 1_000);
const burstSeconds = Number(process.env.BENCH_SECONDS ?? 60);
const sandboxMode = process.env.BENCH_SANDBOX === 'inline' ? 'inline' : 'process';
const CODE_MEMBERS = 10;
const WINDOW_MS = 20_000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Makes `url`'s database exist and be empty: created when missing, recreated when it is a bench database. */
async function freshDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const exists = (await client.query('select 1 from pg_database where datname = $1', [name])).rowCount;
    if (exists) {
      const probe = new pg.Client({ connectionString: url });
      await probe.connect();
      const tables = Number((await probe.query(`select count(*)::int as n from pg_tables where schemaname not in ('pg_catalog', 'information_schema')`)).rows[0].n);
      await probe.end();
      if (tables === 0) return;
      if (!name.startsWith('qiao_bench_')) throw new Error(`database ${name} is not empty; give an empty one or a name starting with qiao_bench_`);
      await client.query(`drop database "${name.replace(/"/g, '""')}" with (force)`);
    }
    await client.query(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'qiao-bench-welcome-'));
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
if (process.env.DATABASE_URL) await freshDatabase(process.env.DATABASE_URL);
const qiaoPort = Number(process.env.BENCH_PORT ?? 0) || (await freePort());
const config = loadConfig({
  ...process.env,
  LOG_LEVEL: 'warn',
  QIAO_DATA_DIR: dataDir,
  QIAO_SANDBOX: sandboxMode === 'inline' ? 'on' : 'off',
  QIAO_SECRET_KEY: Buffer.alloc(32, 9).toString('base64'),
});
const logger = createLogger('warn');
const database = await openDatabase({ ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), pgliteDir: join(dataDir, 'pgdata') });
await migrateDatabase(database);
const db = database.db;
const cache = await createCache({ redisUrl: undefined });
const queue = createJobQueue({ database, logger, clock: systemClock });
const app = await buildApp({ config, database, cache, queue, clock: systemClock, logger });
await app.listen({ port: qiaoPort, host: '127.0.0.1' });
const base = `http://127.0.0.1:${qiaoPort}`;
await queue.start();

// --- the sandbox: in Qiao's process, or its own ---
interface SandboxProcess {
  child: ChildProcess;
  url: string;
  dir: string;
  key: string;
  databaseUrl: string | null;
}
let sandboxProcess: SandboxProcess | null = null;
if (sandboxMode === 'process') {
  const port = Number(process.env.BENCH_SANDBOX_PORT ?? 0) || (await freePort());
  const dir = join(dataDir, 'sandbox');
  let sandboxDatabaseUrl: string | null = process.env.BENCH_SANDBOX_DATABASE_URL ?? null;
  if (sandboxDatabaseUrl) await freshDatabase(sandboxDatabaseUrl);
  else if (config.databaseUrl) {
    const url = new URL(config.databaseUrl);
    url.pathname = `${url.pathname}_sandbox`;
    sandboxDatabaseUrl = url.toString();
    await freshDatabase(sandboxDatabaseUrl);
  }
  const url = `http://127.0.0.1:${port}`;
  const key = randomBytes(24).toString('base64url');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BENCH_WELCOME_SANDBOX_KEY: key,
    PORT: String(port),
    HOST: '127.0.0.1',
    QIAO_PUBLIC_URL: url,
    QIAO_DATA_DIR: dir,
    LOG_LEVEL: 'warn',
    QIAO_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
  };
  if (sandboxDatabaseUrl) env.DATABASE_URL = sandboxDatabaseUrl;
  else delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  process.on('exit', () => child.kill('SIGKILL'));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('WeChat sandbox ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the sandbox stopped (${code}) before it was ready:\n${out}`)));
  });
  sandboxProcess = { child, url, dir, key, databaseUrl: sandboxDatabaseUrl };
}
const loadBefore = loadavg().map((v) => v.toFixed(2)).join(' ');
console.log(
  `database        ${database.kind}; Qiao on ${base}; sandbox ${sandboxProcess ? `in its own process on ${sandboxProcess.url} (${sandboxProcess.databaseUrl ? 'PostgreSQL' : 'PGlite'})` : "in Qiao's process"}; load average ${loadBefore}`,
);

/** A sandbox control call: injected in-process, or over HTTP with the standalone sandbox's key. */
async function control(method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object): Promise<{ status: number; body: Record<string, unknown> }> {
  if (!sandboxProcess) return api(root, method, url, payload);
  const response = await fetch(`${sandboxProcess.url}${url}`, {
    method,
    headers: { authorization: `Bearer ${sandboxProcess.key}`, ...(payload ? { 'content-type': 'application/json' } : {}) },
    ...(payload ? { body: JSON.stringify(payload) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: (text.startsWith('{') ? JSON.parse(text) : {}) as Record<string, unknown> };
}

/** As connectSandboxCorp, with the standalone sandbox's control API. */
async function connectOwnSandboxCorp(spec: { departments: number; members: number; customers: number; name: string }): Promise<ConnectedCorp> {
  const sandbox = sandboxProcess as SandboxProcess;
  const created = must(await control('POST', '/sandbox/control/wecom-corps', spec), 201, 'sandbox corp') as { corpId: string; receivers: SandboxReceiver[] };
  const apiBaseUrl = `${sandbox.url}/sandbox/wecom`;
  const connected = must(
    await api(root, 'POST', '/api/v1/accounts', {
      type: 'wecom',
      name: spec.name,
      corpId: created.corpId,
      apiBaseUrl,
      receivers: created.receivers.map((r) => ({ receiver: r.receiver, secret: r.secret, token: r.token, encodingAesKey: r.encodingAesKey })),
    }),
    201,
    'connect corp',
  );
  const accountId = connected.id as string;
  for (const r of created.receivers) {
    const patched = await fetch(`${sandbox.url}/sandbox/control/wecom-corps/${created.corpId}/receivers/${r.receiver}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${sandbox.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ callbackUrl: `${base}/wechat/wecom/${accountId}/${r.receiver}/callback` }),
    });
    if (patched.status !== 200) throw new Error(`receiver ${r.receiver}: ${patched.status} ${await patched.text()}`);
  }
  return { corpId: created.corpId, accountId, receivers: created.receivers, apiBaseUrl };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

async function api(caller: Caller, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await app.inject({ method, url, headers: caller.headers, ...(payload ? { payload } : {}) });
  return { status: response.statusCode, body: (String(response.headers['content-type'] ?? '').includes('json') ? response.json() : {}) as Record<string, unknown> };
}

function must(answer: { status: number; body: unknown }, expected: number, what: string): Record<string, unknown> {
  if (answer.status !== expected) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body as Record<string, unknown>;
}

// --- the corp, its directory in Qiao, a tag, an image and the code ---
const root = await setupRoot(app);
const corpSpec = { departments: 3, members: 20, customers: 0, name: '桥沙箱门店' };
const corp = sandboxProcess ? await connectOwnSandboxCorp(corpSpec) : await connectSandboxCorp(app, base, root, corpSpec);
const sync = must(await api(root, 'POST', `/api/v1/wecom/${corp.accountId}/departments/sync`), 202, 'directory sync');
const jobId = (sync.job as { id: string }).id;
for (;;) {
  const job = must(await api(root, 'GET', `/api/v1/jobs/${jobId}`), 200, 'job');
  if (job.state === 'succeeded') break;
  if (job.state !== 'queued' && job.state !== 'running') throw new Error(`directory sync ${String(job.state)}`);
  await sleep(100);
}
const tagged = await callWeCom(corp, 'customer-contact', 'POST', 'cgi-bin/externalcontact/add_corp_tag', { group_name: '渠道', tag: [{ name: '门店扫码' }] });
const tagId = ((tagged.tag_group as { tag: { id: string }[] }).tag[0] as { id: string }).id;

// A real (small) PNG, uploaded to WeCom ahead as Qiao does for every welcome image.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const boundary = '----qiao-bench-boundary';
const uploaded = await app.inject({
  method: 'POST',
  url: `/api/v1/wecom/${corp.accountId}/welcome-messages/media`,
  headers: { ...root.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
  payload: Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="store.png"\r\nContent-Type: image/png\r\n\r\n`),
    png,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]),
});
if (uploaded.statusCode !== 201) throw new Error(`image upload: ${uploaded.statusCode} ${uploaded.body}`);
const imageId = (uploaded.json() as { id: string }).id;

const userids = Array.from({ length: CODE_MEMBERS }, (_, i) => `user${String(i + 1).padStart(5, '0')}`);
const state = 'spring_store';
must(
  await api(root, 'POST', `/api/v1/wecom/${corp.accountId}/contact-ways`, {
    name: '春季门店活动',
    type: 'multi',
    userids,
    state,
    skipVerify: true,
    tagIds: [tagId],
    welcomeMessage: {
      text: '{客户昵称}您好，欢迎来到桥沙箱门店！回复「预约」即可预约到店体验，新客到店有礼。',
      attachments: [
        { type: 'image', mediaFileId: imageId },
        { type: 'link', title: '门店地址与营业时间', url: 'https://example.com/store' },
      ],
    },
  }),
  201,
  'contact-me code',
);
const created = must(await control('POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers`, { count: adds }), 201, 'sandbox customers');
const customers = (created.customers as { externalUserId: string }[]).map((c) => c.externalUserId);

// --- the burst ---
const gapMs = (burstSeconds * 1000) / adds;
const pushMs: number[] = [];
const answerMs: number[] = [];
const failures: string[] = [];
let retried = 0;
const t0 = performance.now();
const inFlight: Promise<void>[] = [];
for (let i = 0; i < adds; i++) {
  await sleep(t0 + i * gapMs - performance.now());
  const externalUserId = customers[i] as string;
  // A multi-member code hands each scan to one of its members.
  const userid = userids[i % CODE_MEMBERS] as string;
  const sent = performance.now();
  inFlight.push(
    control('POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers/${externalUserId}/add-member`, { userid, state }).then(
      (answer) => {
        pushMs.push(performance.now() - sent);
        const delivery = answer.body.delivery as { attempts: number; status: string; latencyMs: number } | undefined;
        if (delivery) answerMs.push(delivery.latencyMs);
        if (answer.status !== 200) failures.push(`${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
        else if (delivery && delivery.attempts > 1) retried++;
      },
      (error: unknown) => {
        failures.push(String(error));
      },
    ),
  );
}
const firedS = (performance.now() - t0) / 1000;
await Promise.all(inFlight);
const answeredS = (performance.now() - t0) / 1000;

// Qiao sends from its welcome line after answering; wait until every add has a welcome log entry that is no longer `sending`.
type Count = { n: number };
const settledDeadline = performance.now() + 120_000;
for (;;) {
  const [row] = (await db.execute<Count>(sql`select count(*)::int as n from wecom_welcome_sends where account_id = ${corp.accountId} and status <> 'sending'`)).rows;
  if ((row?.n ?? 0) >= adds || performance.now() > settledDeadline) break;
  await sleep(250);
}
const settledS = (performance.now() - t0) / 1000;
// The rest of each add (customer record, attribution and tag) follows in the line's second lane.
const restDeadline = performance.now() + 180_000;
let restS: number | null = null;
for (;;) {
  const [row] = (
    await db.execute<Count>(
      sql`select least((select count(*) from wecom_customers where account_id = ${corp.accountId}), (select count(*) from wecom_contact_way_adds where account_id = ${corp.accountId} and tag_result is not null))::int as n`,
    )
  ).rows;
  if ((row?.n ?? 0) >= adds) {
    restS = (performance.now() - t0) / 1000;
    break;
  }
  if (performance.now() > restDeadline) break;
  await sleep(500);
}

// --- figures: event (WelcomeCode issued) → send_welcome_msg accepted, both on the sandbox's clock ---
type SandboxRead = <T>(query: ReturnType<typeof sql>) => Promise<T[]>;
let sandboxRead: SandboxRead = async <T>(query: ReturnType<typeof sql>) => (await db.execute(query)).rows as T[];
let closeSandboxRead = async () => undefined;
if (sandboxProcess) {
  // Its database is read once it has stopped (an embedded one admits one process).
  const { child } = sandboxProcess;
  const stopped = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await stopped;
  const sandboxDatabase = await openDatabase({
    ...(sandboxProcess.databaseUrl ? { databaseUrl: sandboxProcess.databaseUrl } : {}),
    pgliteDir: join(sandboxProcess.dir, 'pgdata'),
  });
  sandboxRead = async <T>(query: ReturnType<typeof sql>) => (await sandboxDatabase.db.execute(query)).rows as T[];
  closeSandboxRead = async () => {
    await sandboxDatabase.close();
  };
}
const codes = await sandboxRead<{ ms: number | null }>(
  sql`select extract(epoch from (used_at - issued_at)) * 1000 as ms from sandbox_wecom_welcome_codes where corp_id = ${corp.corpId}`,
);
const sentMs = codes
  .map((c) => c.ms)
  .filter((ms): ms is number => ms !== null)
  .map(Number)
  .sort((a, b) => a - b);
const inWindow = sentMs.filter((ms) => ms <= WINDOW_MS).length;
const logged = (
  await db.execute<{ status: string; reason: string; n: number }>(sql`select status, reason, count(*)::int as n from wecom_welcome_sends where account_id = ${corp.accountId} group by status, reason order by n desc`)
).rows;
const qiaoMs = (await db.execute<{ ms: number }>(sql`select latency_ms as ms from wecom_welcome_sends where account_id = ${corp.accountId} and latency_ms is not null`)).rows
  .map((r) => Number(r.ms))
  .sort((a, b) => a - b);
const inboxes = (await sandboxRead<Count>(sql`select count(*)::int as n from sandbox_wecom_inbox where corp_id = ${corp.corpId} and owner_kind = 'customer' and source = 'welcome'`))[0]?.n ?? 0;
await closeSandboxRead();
const customersInQiao = (await db.execute<Count>(sql`select count(*)::int as n from wecom_customers where account_id = ${corp.accountId}`)).rows[0]?.n ?? 0;
const attributed = (await db.execute<Count>(sql`select count(*)::int as n from wecom_contact_way_adds where account_id = ${corp.accountId}`)).rows[0]?.n ?? 0;
const taggedOk = (await db.execute<Count>(sql`select count(*)::int as n from wecom_contact_way_adds where account_id = ${corp.accountId} and tag_result = 'ok'`)).rows[0]?.n ?? 0;
pushMs.sort((a, b) => a - b);
answerMs.sort((a, b) => a - b);
const handledMs = (
  await db.execute<{ ms: number }>(
    sql`select processing_ms as ms from callback_messages where account_id = ${corp.accountId} and type = 'wecom.change_external_contact.add_external_contact' and processing_ms is not null`,
  )
).rows
  .map((r) => Number(r.ms))
  .sort((a, b) => a - b);

const fmt = (values: number[]) =>
  values.length ? `p50 ${percentile(values, 50).toFixed(0)} ms, p95 ${percentile(values, 95).toFixed(0)} ms, p99 ${percentile(values, 99).toFixed(0)} ms, max ${(values.at(-1) ?? 0).toFixed(0)} ms` : 'none';
console.log(`\nburst           ${adds.toLocaleString('en-US')} adds fired over ${firedS.toFixed(1)} s (one every ${gapMs.toFixed(0)} ms, ${CODE_MEMBERS} members on one code); every push answered by ${answeredS.toFixed(1)} s; welcome log settled at ${settledS.toFixed(1)} s`);
console.log(`event → welcome sent (sandbox: WelcomeCode issued → send_welcome_msg used it): ${sentMs.length} of ${adds} sent; ${fmt(sentMs)}`);
console.log(`inside WeChat's 20-second window: ${inWindow} of ${adds} (${((100 * inWindow) / adds).toFixed(1)} %)`);
console.log(`Qiao's welcome log (callback start → WeCom answered, latency_ms): ${fmt(qiaoMs)}`);
console.log(`Qiao's welcome log by outcome: ${logged.map((r) => `${r.status}/${r.reason} ${r.n}`).join(', ') || 'empty'}`);
console.log(`push round trip (add-member control call, Qiao's answer to the callback included): ${fmt(pushMs)}; pushes WeCom would have retried: ${retried}; failed calls: ${failures.length}`);
console.log(`push delivery as the sandbox timed it (sealing, every attempt, Qiao's answer): ${fmt(answerMs)}`);
console.log(`Qiao's callback processing (opened → answer ready, callback log processing_ms): ${fmt(handledMs)}`);
console.log(`welcome messages in customers' inboxes: ${inboxes}; customers in Qiao: ${customersInQiao}; adds attributed to the code: ${attributed}, tagged: ${taggedOk}`);
console.log(`the rest of every add (customer record, attribution, tag) done at: ${restS === null ? 'not within 180 s after the welcomes' : `${restS.toFixed(1)} s`}`);
for (const failure of failures.slice(0, 5)) console.log(`  failure: ${failure}`);
console.log(`load average before: ${loadBefore}, after: ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);

await app.close();
await queue.stop();
await cache.close();
await database.close();
process.exit(0);

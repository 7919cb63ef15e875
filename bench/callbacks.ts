// Callback throughput: an encrypted Official Account text message answered with an
// encrypted text reply, through Qiao (the whole app, and the callback core alone, on a
// fresh embedded database or BENCH_DATABASE_URL; BENCH_PEER=1 with another instance
// there), next to a bare node:http server answering `success` and the npm `wechat`
// middleware doing Qiao's job on node:http. Each server runs in its own child
// process and measures its own CPU time; autocannon runs here.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatabaseHandle } from '../server/platform/db/client';
import type { PlatformDeps } from '../server/platform/module-deps';
import { findProjectRoot } from '../server/platform/project-root';
import { MessageCrypt, buildWeChatXml, openReply, sealOfficialAccountPush } from '../server/wechat/core';

const token = 'BenchToken0123456789';
const encodingAesKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const appId = 'wx2c2769f8efd9abc2';
const durationS = Number(process.env.BENCH_DURATION_S ?? 10);
const connectionsList = (process.env.BENCH_CONNECTIONS ?? '10,100').split(',').map(Number);
// About 1 KB of message XML, as the goal is stated per 1 KB message.
const content = '你好，请问今天的营业时间是几点到几点？我想预约下午的服务，谢谢。'.repeat(9);

interface CannonResult {
  requests: { average: number; total: number };
  latency: { p99: number };
  errors: number;
  non2xx: number;
}
type CannonRequest = { method: string; setupRequest(request: Record<string, unknown>): Record<string, unknown> };
// autocannon ships no types; this is the part of its programmatic API used here.
const autocannon = createRequire(import.meta.url)('autocannon') as (options: {
  url: string;
  connections: number;
  duration: number;
  requests: CannonRequest[];
}) => Promise<CannonResult>;

// qiao / qiao-pg: the whole app, every module's subscribers included (the inbox, followers, auto-replies
// and tag rules each act on a text message). qiao-core / qiao-core-pg: the same HTTP server with only the
// callback pipeline and the message log wired, i.e. what the protocol core itself costs.
type Kind = 'bare' | 'middleware' | 'qiao' | 'qiao-pg' | 'qiao-core' | 'qiao-core-pg';
type Stats = { cpuUs: number; rssMiB: number };

function rssMiB(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/**
 * BENCH_MEMORY_DETAIL=1: what each server's memory is made of, when ready and after each load (stderr):
 * V8's heap spaces by the bytes they hold in pages, external and ArrayBuffer memory, and the RSS they leave unexplained.
 */
async function reportMemory(kind: string, when: string): Promise<void> {
  if (process.env.BENCH_MEMORY_DETAIL !== '1') return;
  const { getHeapSpaceStatistics } = await import('node:v8');
  const mib = (bytes: number) => (bytes / 1048576).toFixed(1);
  const spaces = getHeapSpaceStatistics().filter((s) => s.space_size > 0);
  const heap = spaces.reduce((sum, s) => sum + s.space_size, 0);
  const usage = process.memoryUsage();
  const rss = rssMiB();
  const parts = spaces.map((s) => `${s.space_name.replace('_space', '')} ${mib(s.space_size)} (${mib(s.space_used_size)} used)`);
  process.stderr.write(
    `[${kind}] memory ${when}: rss ${rss.toFixed(1)} MiB; V8 heap ${mib(heap)}: ${parts.join(', ')}; external ${mib(usage.external)} (array buffers ${mib(usage.arrayBuffers)}); rest ${(rss - heap / 1048576 - usage.external / 1048576).toFixed(1)}\n`,
  );
}

/**
 * BENCH_ALLOC_PROF=<kind>: samples that server's allocations between mark and stats, the ones the garbage
 * collector already freed included, into /tmp/qiao-bench-prof/*.heapprofile (DevTools' Memory tab reads it).
 */
async function allocationSampler(kind: string): Promise<{ start(): Promise<void>; stop(): Promise<void> } | undefined> {
  if (process.env.BENCH_ALLOC_PROF !== kind) return undefined;
  const { Session } = await import('node:inspector/promises');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  return {
    async start() {
      await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never);
    },
    async stop() {
      const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: unknown };
      mkdirSync('/tmp/qiao-bench-prof', { recursive: true });
      writeFileSync(`/tmp/qiao-bench-prof/alloc-${kind}-${process.pid}-${Date.now()}.heapprofile`, JSON.stringify(profile));
    },
  };
}

/** Child side: answers `mark` (start counting CPU) and `stats` (CPU since the mark, RSS). */
function reportOverIpc(kind: string, sampler?: { start(): Promise<void>; stop(): Promise<void> }): void {
  let mark = process.cpuUsage();
  process.on('message', async (message: string) => {
    if (message === 'mark') {
      await sampler?.start();
      mark = process.cpuUsage();
      process.send?.({ marked: true });
    } else if (message === 'exit') {
      // A normal exit, so that --cpu-prof writes its profile.
      process.exit(0);
    } else if (message === 'stats') {
      const used = process.cpuUsage(mark);
      await sampler?.stop();
      await reportMemory(kind, 'after the load');
      const gc = (globalThis as { gc?: () => void }).gc;
      if (gc) {
        gc();
        await reportMemory(kind, 'after a full collection');
      }
      process.send?.({ cpuUs: used.user + used.system, rssMiB: rssMiB() } satisfies Stats);
    }
  });
}

async function serveBare(port: number): Promise<void> {
  await new Promise<void>((resolve) =>
    createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end('success'));
    }).listen(port, '127.0.0.1', resolve),
  );
}

async function serveMiddleware(port: number): Promise<void> {
  const require = createRequire(import.meta.url);
  const wechat = require('wechat') as (config: unknown, handle: (req: unknown, res: { reply(text: string): void }) => void) => (req: unknown, res: unknown, next: (error?: unknown) => void) => void;
  const middleware = wechat({ token, appid: appId, encodingAESKey: encodingAesKey }, (req, res) => {
    const message = (req as { weixin: { Content: string } }).weixin;
    res.reply(`收到：${message.Content.slice(0, 20)}`);
  });
  await new Promise<void>((resolve) =>
    createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      (req as unknown as { query: Record<string, string> }).query = Object.fromEntries(url.searchParams);
      middleware(req, res, (error) => {
        res.writeHead(error ? 500 : 404).end();
      });
    }).listen(port, '127.0.0.1', resolve),
  );
}

async function serveQiao(port: number, databaseUrl: string | undefined, core: boolean): Promise<string> {
  // The core run imports no other module: what it loads is part of what it measures (RSS).
  const { buildApp, appVersion } = core ? { buildApp: null, appVersion: (JSON.parse(readFileSync(join(findProjectRoot(fileURLToPath(import.meta.url)), 'package.json'), 'utf8')) as { version: string }).version } : await import('../server/app');
  // As server/main.ts does; BENCH_MEMORY_TUNING=off leaves V8's defaults, to compare.
  if (process.env.BENCH_MEMORY_TUNING !== 'off') (await import('../server/platform/memory-tuning')).tuneMemory();
  const { createCache } = await import('../server/platform/cache');
  const { systemClock } = await import('../server/platform/clock');
  const { loadConfig } = await import('../server/platform/config');
  const { openDatabase } = await import('../server/platform/db/client');
  const { migrateDatabase } = await import('../server/platform/db/migrate');
  const { createLogger } = await import('../server/platform/logger');
  const { createJobQueue } = await import('../server/platform/queue');
  const dataDir = mkdtempSync(join(tmpdir(), 'qiao-bench-callbacks-'));
  process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  // BENCH_LOG_LEVEL=info logs as a default deployment does (to this process's stdout).
  const level = process.env.BENCH_LOG_LEVEL ?? 'warn';
  const config = loadConfig({ QIAO_DATA_DIR: dataDir, LOG_LEVEL: level, QIAO_SANDBOX: 'off', QIAO_SECRET_KEY: Buffer.alloc(32, 9).toString('base64'), QIAO_PGLITE_SHARED_BUFFERS_MB: process.env.QIAO_PGLITE_SHARED_BUFFERS_MB ?? '' });
  const logger = createLogger(level);
  const database = await openDatabase({ pgliteDir: join(dataDir, 'pgdata'), pgliteSharedBuffersMb: config.pgliteSharedBuffersMb, ...(databaseUrl ? { databaseUrl } : {}) });
  await migrateDatabase(database);
  // With PostgreSQL, BENCH_REDIS_URL runs Qiao as several instances would (shared markers in Redis);
  // without it, PostgreSQL alone makes Qiao claim every push with a row first.
  const cache = await createCache({ redisUrl: databaseUrl ? process.env.BENCH_REDIS_URL : undefined, keyPrefix: `qiao-bench-${process.pid}:` });
  const queue = createJobQueue({ database, logger, clock: systemClock });
  const platform = { config, db: database.db, cache, queue, clock: systemClock, logger };
  const app = buildApp ? await buildApp({ config, database, cache, queue, clock: systemClock, logger }) : await buildCore(platform, database, appVersion);
  const earlier = (await app.accounts.service.list({ limit: 500 } as never)).items.find((a) => a.appId === appId);
  if (earlier) await app.accounts.service.remove(null, earlier.id);
  const account = await app.accounts.service.create(null, {
    type: 'official_account',
    name: 'bench',
    appId,
    appSecret: 'bench-secret',
    token,
    encodingAesKey,
    encryptMode: 'safe',
  });
  app.callbacks.subscribe('official-account.text', ({ event }) => ({ type: 'text', content: `收到：${event.content.slice(0, 20)}` }));
  if (!process.env.BENCH_NO_QUEUE) await queue.start();
  await app.listen({ port, host: '127.0.0.1' });
  return `/wechat/official-account/${account.id}/callback`;
}

/** The HTTP server with the account registry, the message log and the callback pipeline only. */
async function buildCore(platform: PlatformDeps, database: DatabaseHandle, version: string) {
  const { createHttpServer } = await import('../server/platform/http/create-server');
  const { installAccessGuard } = await import('../server/platform/http/access');
  const { createSystemModule } = await import('../server/modules/system');
  const { createAccountsModule } = await import('../server/modules/system/accounts');
  const { createMessagesModule } = await import('../server/modules/system/messages');
  const { createCallbacksModule, pushClaimsFor } = await import('../server/modules/system/callbacks');
  const { config, logger } = platform;
  const app = await createHttpServer({ logger, bodyLimitBytes: config.bodyLimitBytes, publicBaseUrl: config.publicBaseUrl, version });
  const system = createSystemModule(platform);
  installAccessGuard(app, { authenticator: system.authenticator, refusals: system.refusals });
  const moduleDeps = { ...platform, audit: system.audit };
  const accounts = createAccountsModule(moduleDeps);
  const messages = createMessagesModule({ ...moduleDeps, accounts: accounts.service });
  const callbacks = createCallbacksModule({ ...moduleDeps, accounts, messages, claims: pushClaimsFor({ database, cache: platform.cache, logger }) });
  await app.register(messages.routes);
  await app.register(callbacks.routes);
  return Object.assign(app, { accounts, callbacks });
}

async function child(kind: Kind, port: number): Promise<void> {
  let path = '/';
  if (kind === 'bare') await serveBare(port);
  else if (kind === 'middleware') await serveMiddleware(port);
  else path = await serveQiao(port, kind.endsWith('-pg') ? process.env.BENCH_DATABASE_URL : undefined, kind.startsWith('qiao-core'));
  reportOverIpc(kind, await allocationSampler(kind));
  await reportMemory(kind, 'when ready');
  process.send?.({ ready: true, path });
}

function ask<T>(server: ChildProcess, message: string, key: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (reply: Record<string, unknown>) => {
      if (key in reply) {
        server.off('message', listener);
        resolve(reply as T);
      }
    };
    server.on('message', listener);
    server.send(message);
  });
}

function pushes(count: number, path: string): { path: string; body: string }[] {
  const crypt = new MessageCrypt({ currentKey: encodingAesKey, receiverId: appId });
  const now = Math.floor(Date.now() / 1000);
  const out = [];
  for (let i = 0; i < count; i++) {
    const message = buildWeChatXml({ ToUserName: 'gh_10f6c3c3ac5a', FromUserName: `oBench${i % 997}`, CreateTime: now, MsgType: 'text', Content: content, MsgId: String(7_000_000_000_000_000_000n + BigInt(i)) });
    const sealed = sealOfficialAccountPush({ message, mode: 'safe', token, crypt, openId: `oBench${i % 997}`, toUserName: 'gh_10f6c3c3ac5a', timestamp: String(now), nonce: String(100000 + i) });
    out.push({ path: `${path}?${new URLSearchParams(sealed.query).toString()}`, body: sealed.body });
  }
  return out;
}

interface Row {
  server: string;
  connections: number;
  requestsPerS: number;
  p99Ms: number;
  rssMiB: number;
  cpuUsPerRequest: number;
  errors: number;
}

let bundled: Promise<string> | undefined;

/**
 * What each server runs: by default this file bundled into plain JavaScript, as `npm start` runs the
 * server (scripts/server-build.mjs); BENCH_SOURCES=1 runs the TypeScript sources through tsx instead.
 */
async function childScript(): Promise<{ file: string; execArgv: string[] }> {
  if (process.env.BENCH_SOURCES === '1') return { file: fileURLToPath(import.meta.url), execArgv: ['--import', 'tsx'] };
  bundled ??= (async () => {
    const { build } = await import('esbuild');
    // Under dist/ of this checkout, so that the server finds its migrations from the bundle.
    // Split at the dynamic imports: each server loads only what it imports (the bare one loads no Qiao).
    const outdir = join(findProjectRoot(fileURLToPath(import.meta.url)), 'dist/bench/callbacks');
    await build({
      entryPoints: { callbacks: fileURLToPath(import.meta.url) },
      outdir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      splitting: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'warning',
    });
    return join(outdir, 'callbacks.mjs');
  })();
  return { file: await bundled, execArgv: [] };
}

async function measure(kind: Kind, port: number): Promise<Row[]> {
  const profile = [
    ...(process.env.BENCH_NODE_FLAGS && kind.startsWith('qiao') ? process.env.BENCH_NODE_FLAGS.split(' ') : []),
    ...(process.env.BENCH_TRACE_GC === kind ? ['--trace-gc'] : []),
    ...(process.env.BENCH_CPU_PROF === kind ? ['--cpu-prof', '--cpu-prof-dir=/tmp/qiao-bench-prof'] : []),
  ];
  const script = await childScript();
  const server = fork(script.file, ['serve', kind, String(port)], { execArgv: [...script.execArgv, ...profile], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { path } = await ask<{ path: string }>(server, 'hello', 'ready');
  const rows: Row[] = [];
  // One pool of distinct messages per server: Qiao deduplicates, so every request must be new.
  const pool = pushes(durationS * 12_000, path);
  let next = 0;
  const sample = pool[0]!;
  const check = await fetch(`http://127.0.0.1:${port}${sample.path}`, { method: 'POST', body: sample.body, headers: { 'content-type': 'text/xml' } });
  const answer = await check.text();
  if (kind !== 'bare') {
    const opened = openReply({ body: answer, token, crypt: new MessageCrypt({ currentKey: encodingAesKey, receiverId: appId }), requireEncrypted: true });
    if (opened.kind !== 'message' || !opened.plaintext.includes('收到')) throw new Error(`${kind} did not answer with an encrypted text reply`);
  }
  next = 1;
  for (const connections of connectionsList) {
    await ask(server, 'mark', 'marked');
    const result = await autocannon({
      url: `http://127.0.0.1:${port}`,
      connections,
      duration: durationS,
      requests: [
        {
          method: 'POST',
          setupRequest: (request) => {
            const push = pool[next++ % pool.length]!;
            return { ...request, path: push.path, body: push.body, headers: { 'content-type': 'text/xml' } };
          },
        },
      ],
    });
    const stats = await ask<Stats>(server, 'stats', 'cpuUs');
    rows.push({
      server: kind,
      connections,
      requestsPerS: Math.round(result.requests.average),
      p99Ms: result.latency.p99,
      rssMiB: Math.round(stats.rssMiB),
      cpuUsPerRequest: Math.round(stats.cpuUs / Math.max(1, result.requests.total)),
      errors: result.errors + result.non2xx,
    });
  }
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.send('exit');
  await exited;
  return rows;
}

/** Holds the shared presence lock that every Qiao instance on the database holds (server/platform/db/instance-presence.ts). */
async function joinAsPeer(databaseUrl: string): Promise<{ end(): Promise<void> }> {
  const { default: pg } = await import('pg');
  const { presenceLockKey } = await import('../server/platform/db/instance-presence');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('select pg_advisory_lock_shared($1, $2)', [...presenceLockKey]);
  return client;
}

async function main(): Promise<void> {
  const [mode, kind, port] = process.argv.slice(2);
  if (mode === 'serve') return child(kind as Kind, Number(port));
  const load = loadavg().map((v) => v.toFixed(2)).join(' ');
  // BENCH_ONLY=qiao-pg (comma-separated kinds) runs a subset, e.g. for a CPU profile of one server.
  const only = process.env.BENCH_ONLY?.split(',');
  const wanted = (kind: Kind) => !only || only.includes(kind);
  const rows: Row[] = [];
  // BENCH_PORT: the first of six ports, for machines where 3951–3956 are taken.
  const firstPort = Number(process.env.BENCH_PORT ?? 3951);
  if (wanted('bare')) rows.push(...(await measure('bare', firstPort)));
  if (wanted('middleware')) rows.push(...(await measure('middleware', firstPort + 1)));
  if (wanted('qiao')) rows.push(...(await measure('qiao', firstPort + 2)));
  // BENCH_DATABASE_URL: also Qiao on PostgreSQL (an empty database of its own; the tables are created and left there).
  // BENCH_PEER=1: this process joins the PostgreSQL database as another instance would, so the servers on it
  // claim every push with its log row (as several instances without Redis do) instead of running alone.
  const peer = process.env.BENCH_PEER === '1' && process.env.BENCH_DATABASE_URL ? await joinAsPeer(process.env.BENCH_DATABASE_URL) : undefined;
  if (process.env.BENCH_DATABASE_URL && wanted('qiao-pg')) rows.push(...(await measure('qiao-pg', firstPort + 3)));
  if (wanted('qiao-core')) rows.push(...(await measure('qiao-core', firstPort + 4)));
  if (process.env.BENCH_DATABASE_URL && wanted('qiao-core-pg')) rows.push(...(await measure('qiao-core-pg', firstPort + 5)));
  await peer?.end();
  console.log(`Callback benchmark: ${durationS} s per run, ~${Buffer.byteLength(content) + 200} B message, load average before: ${load}, after: ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  console.table(rows);
  for (const connections of connectionsList) {
    const at = (kind: Kind) => rows.find((r) => r.server === kind && r.connections === connections);
    const [bare, middleware] = [at('bare'), at('middleware')];
    if (!bare || !middleware) continue;
    for (const kind of ['qiao', 'qiao-pg', 'qiao-core', 'qiao-core-pg'] as const) {
      const qiao = at(kind);
      if (!qiao) continue;
      console.log(
        `${connections} connections: ${kind} = ${Math.round((100 * qiao.requestsPerS) / bare.requestsPerS)} % of bare node:http, ${(qiao.requestsPerS / middleware.requestsPerS).toFixed(1)}× the middleware, p99 ${(qiao.p99Ms / Math.max(1, bare.p99Ms)).toFixed(1)}× bare`,
      );
    }
  }
}

await main();

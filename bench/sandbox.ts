// Sandbox at scale: generate BENCH_FOLLOWERS (default 1,000,000) followers in a fresh
// world, then read them all back over HTTP the way a client syncs followers:
// cgi-bin/user/get pages of 10,000, each split into cgi-bin/user/info/batchget
// calls of 100 (BENCH_CONCURRENCY at a time). Embedded database by default;
// DATABASE_URL (an empty database) runs it on PostgreSQL.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCache } from '../server/platform/cache';
import { systemClock } from '../server/platform/clock';
import { loadConfig } from '../server/platform/config';
import { openDatabase } from '../server/platform/db/client';
import { migrateDatabase } from '../server/platform/db/migrate';
import { createHttpServer } from '../server/platform/http/create-server';
import { createLogger } from '../server/platform/logger';
import { createSandbox } from '../server/sandbox';

const followers = Number(process.env.BENCH_FOLLOWERS ?? 1_000_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);

const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn', QIAO_SANDBOX: 'on' });
const dataDir = mkdtempSync(join(tmpdir(), 'qiao-bench-sandbox-'));
const logger = createLogger('warn');
const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: join(dataDir, 'pgdata') });
await migrateDatabase(database);
const cache = await createCache({ redisUrl: undefined });
const app = await createHttpServer({ logger, bodyLimitBytes: config.bodyLimitBytes, publicBaseUrl: config.publicBaseUrl, version: 'bench' });
const sandbox = createSandbox({ config, db: database.db, cache, clock: systemClock, logger });
await app.register(sandbox.routes);
await app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/sandbox/official-account`;

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString('en-US');

const account = await sandbox.officialAccount.createAccount({ name: 'bench' });
let started = performance.now();
const { added } = await sandbox.officialAccount.generateFollowers(account.appId, followers);
const generateMs = performance.now() - started;
console.log(`database        ${database.kind}`);
console.log(`generate        ${added.toLocaleString('en-US')} followers in ${seconds(generateMs)} s (${rate(added, generateMs)}/s)`);

async function json(url: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(url, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const answer = (await response.json()) as Record<string, unknown>;
  if (typeof answer.errcode === 'number' && answer.errcode !== 0) throw new Error(`${url}: ${JSON.stringify(answer)}`);
  return answer;
}

const token = (await json(`${base}/cgi-bin/token?grant_type=client_credential&appid=${account.appId}&secret=${account.appSecret}`)).access_token as string;

let pages = 0;
let listed = 0;
let infos = 0;
let batchCalls = 0;
let listMs = 0;
let batchMs = 0;
let next = '';
const total = performance.now();
for (;;) {
  started = performance.now();
  const page = (await json(`${base}/cgi-bin/user/get?access_token=${token}&next_openid=${next}`)) as { count: number; data?: { openid: string[] }; next_openid: string };
  listMs += performance.now() - started;
  if (page.count === 0) break;
  pages += 1;
  const ids = page.data?.openid ?? [];
  listed += ids.length;
  next = page.next_openid;
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += 100) chunks.push(ids.slice(i, i + 100));
  started = performance.now();
  let cursor = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (cursor < chunks.length) {
        const chunk = chunks[cursor++] as string[];
        const answer = (await json(`${base}/cgi-bin/user/info/batchget?access_token=${token}`, { user_list: chunk.map((openid) => ({ openid, lang: 'zh_CN' })) })) as { user_info_list: unknown[] };
        infos += answer.user_info_list.length;
        batchCalls += 1;
      }
    }),
  );
  batchMs += performance.now() - started;
}
const totalMs = performance.now() - total;
console.log(`user/get        ${pages} pages, ${listed.toLocaleString('en-US')} OpenIDs in ${seconds(listMs)} s (${(listMs / Math.max(pages, 1)).toFixed(0)} ms a page)`);
console.log(`batchget        ${batchCalls.toLocaleString('en-US')} calls, ${infos.toLocaleString('en-US')} followers in ${seconds(batchMs)} s (${rate(batchCalls, batchMs)} calls/s, ${rate(infos, batchMs)} followers/s, concurrency ${concurrency})`);
console.log(`full sync       ${seconds(totalMs)} s over HTTP`);
if (listed !== added || infos !== added) {
  console.error(`mismatch: generated ${added}, listed ${listed}, read ${infos}`);
  process.exitCode = 1;
}

await app.close();
await cache.close();
await database.close();
rmSync(dataDir, { recursive: true, force: true });

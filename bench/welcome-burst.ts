// A burst of customer adds: BENCH_ADDS (default 1,000) customers each add a member through one
// 「联系我」 code within BENCH_SECONDS (default 60), evenly spread, against the sandbox. Qiao runs
// in-process and listens on a port (the sandbox pushes each add_external_contact over HTTP, signed
// and encrypted as WeCom does); the code has its own welcome message with the customer's name
// (one externalcontact/get per add), an image uploaded ahead and a link, and a tag put on each
// customer. For each add it reads from the sandbox when the WelcomeCode was issued (the event) and
// when send_welcome_msg used it, and prints p50/p95/p99 of that latency and how many welcome
// messages went inside WeChat's 20-second window, with Qiao's own welcome log next to it.
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
import { setupRoot, type Caller } from '../test/support/callers';
import { callWeCom, connectSandboxCorp, listenForCallbacks } from '../test/support/wecom-corp-kit';

const adds = Number(process.env.BENCH_ADDS ?? 1_000);
const burstSeconds = Number(process.env.BENCH_SECONDS ?? 60);
const CODE_MEMBERS = 10;
const WINDOW_MS = 20_000;

const dataDir = mkdtempSync(join(tmpdir(), 'qiao-bench-welcome-'));
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn', QIAO_DATA_DIR: dataDir, QIAO_SANDBOX: 'on', QIAO_SECRET_KEY: Buffer.alloc(32, 9).toString('base64') });
const logger = createLogger('warn');
const database = await openDatabase({ ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), pgliteDir: join(dataDir, 'pgdata') });
await migrateDatabase(database);
const db = database.db;
const cache = await createCache({ redisUrl: undefined });
const queue = createJobQueue({ database, logger, clock: systemClock });
const app = await buildApp({ config, database, cache, queue, clock: systemClock, logger });
const base = await listenForCallbacks(app);
await queue.start();
const loadBefore = loadavg().map((v) => v.toFixed(2)).join(' ');
console.log(`database        ${database.kind}; Qiao on ${base}; load average ${loadBefore}`);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

async function api(caller: Caller, method: 'GET' | 'POST', url: string, payload?: object): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await app.inject({ method, url, headers: caller.headers, ...(payload ? { payload } : {}) });
  return { status: response.statusCode, body: (String(response.headers['content-type'] ?? '').includes('json') ? response.json() : {}) as Record<string, unknown> };
}

function must(answer: { status: number; body: unknown }, expected: number, what: string): Record<string, unknown> {
  if (answer.status !== expected) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body as Record<string, unknown>;
}

// --- the corp, its directory in Qiao, a tag, an image and the code ---
const root = await setupRoot(app);
const corp = await connectSandboxCorp(app, base, root, { departments: 3, members: 20, customers: 0, name: '桥沙箱门店' });
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
const created = must(await api(root, 'POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers`, { count: adds }), 201, 'sandbox customers');
const customers = (created.customers as { externalUserId: string }[]).map((c) => c.externalUserId);

// --- the burst ---
const gapMs = (burstSeconds * 1000) / adds;
const pushMs: number[] = [];
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
    api(root, 'POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers/${externalUserId}/add-member`, { userid, state }).then(
      (answer) => {
        pushMs.push(performance.now() - sent);
        const delivery = answer.body.delivery as { attempts: number; status: string } | undefined;
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

// Qiao sends from the callback; wait until every add has a welcome log entry that is no longer `sending`.
type Count = { n: number };
const settledDeadline = performance.now() + 120_000;
for (;;) {
  const [row] = (await db.execute<Count>(sql`select count(*)::int as n from wecom_welcome_sends where account_id = ${corp.accountId} and status <> 'sending'`)).rows;
  if ((row?.n ?? 0) >= adds || performance.now() > settledDeadline) break;
  await sleep(250);
}
const settledS = (performance.now() - t0) / 1000;

// --- figures: event (WelcomeCode issued) → send_welcome_msg accepted, both on the sandbox's clock ---
const codes = (
  await db.execute<{ ms: number | null }>(sql`select extract(epoch from (used_at - issued_at)) * 1000 as ms from sandbox_wecom_welcome_codes where corp_id = ${corp.corpId}`)
).rows;
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
const inboxes = (await db.execute<Count>(sql`select count(*)::int as n from sandbox_wecom_inbox where corp_id = ${corp.corpId} and owner_kind = 'customer' and source = 'welcome'`)).rows[0]?.n ?? 0;
const customersInQiao = (await db.execute<Count>(sql`select count(*)::int as n from wecom_customers where account_id = ${corp.accountId}`)).rows[0]?.n ?? 0;
const attributed = (await db.execute<Count>(sql`select count(*)::int as n from wecom_contact_way_adds where account_id = ${corp.accountId}`)).rows[0]?.n ?? 0;
const taggedOk = (await db.execute<Count>(sql`select count(*)::int as n from wecom_contact_way_adds where account_id = ${corp.accountId} and tag_result = 'ok'`)).rows[0]?.n ?? 0;
pushMs.sort((a, b) => a - b);

const fmt = (values: number[]) =>
  values.length ? `p50 ${percentile(values, 50).toFixed(0)} ms, p95 ${percentile(values, 95).toFixed(0)} ms, p99 ${percentile(values, 99).toFixed(0)} ms, max ${(values.at(-1) ?? 0).toFixed(0)} ms` : 'none';
console.log(`\nburst           ${adds.toLocaleString('en-US')} adds fired over ${firedS.toFixed(1)} s (one every ${gapMs.toFixed(0)} ms, ${CODE_MEMBERS} members on one code); every push answered by ${answeredS.toFixed(1)} s; welcome log settled at ${settledS.toFixed(1)} s`);
console.log(`event → welcome sent (sandbox: WelcomeCode issued → send_welcome_msg used it): ${sentMs.length} of ${adds} sent; ${fmt(sentMs)}`);
console.log(`inside WeChat's 20-second window: ${inWindow} of ${adds} (${((100 * inWindow) / adds).toFixed(1)} %)`);
console.log(`Qiao's welcome log (callback start → WeCom answered, latency_ms): ${fmt(qiaoMs)}`);
console.log(`Qiao's welcome log by outcome: ${logged.map((r) => `${r.status}/${r.reason} ${r.n}`).join(', ') || 'empty'}`);
console.log(`push round trip (add-member control call, Qiao's answer to the callback included): ${fmt(pushMs)}; pushes WeCom would have retried: ${retried}; failed calls: ${failures.length}`);
console.log(`welcome messages in customers' inboxes: ${inboxes}; customers in Qiao: ${customersInQiao}; adds attributed to the code: ${attributed}, tagged: ${taggedOk}`);
for (const failure of failures.slice(0, 5)) console.log(`  failure: ${failure}`);
console.log(`load average before: ${loadBefore}, after: ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);

await app.close();
await queue.stop();
await cache.close();
await database.close();
process.exit(0);

// Followers at scale. Part 1: BENCH_FOLLOWERS (default 1,000,000) followers inserted with one
// generate_series per 100,000 (realistic spread of tags, scenes, languages, places, follow times),
// then the list API's queries (filters, keyset pages, remark/OpenID search) timed, p50/p95 each.
// Part 2: a full sync of BENCH_SYNC_FOLLOWERS (default 100,000) followers from the sandbox through
// the real job (user/get + batchget over HTTP). Embedded database by default; DATABASE_URL (an empty
// database) runs it on PostgreSQL. BENCH_PART=filters|sync runs one part.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { buildApp } from '../server/app';
import { filterOf } from '../server/modules/official-account/followers/followers.service';
import { createFollowersRepository } from '../server/modules/official-account/followers/followers.repository';
import { FOLLOWER_COUNT_EXACT_UP_TO } from '../server/modules/official-account/followers/followers.schema';
import { followerSyncJob } from '../server/modules/official-account/followers/followers.sync';
import { createCache } from '../server/platform/cache';
import { systemClock } from '../server/platform/clock';
import { loadConfig } from '../server/platform/config';
import { openDatabase } from '../server/platform/db/client';
import { migrateDatabase } from '../server/platform/db/migrate';
import { createLogger } from '../server/platform/logger';
import { createJobQueue } from '../server/platform/queue';

const followers = Number(process.env.BENCH_FOLLOWERS ?? 1_000_000);
const syncFollowers = Number(process.env.BENCH_SYNC_FOLLOWERS ?? 100_000);
const part = process.env.BENCH_PART ?? 'both';
const runs = Number(process.env.BENCH_RUNS ?? 40);

const dataDir = mkdtempSync(join(tmpdir(), 'qiao-bench-followers-'));
const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn', QIAO_DATA_DIR: dataDir, QIAO_SANDBOX: 'on' });
const logger = createLogger('warn');
const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: join(dataDir, 'pgdata') });
await migrateDatabase(database);
const db = database.db;
console.log(`database        ${database.kind}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;

async function insertFollowers(accountId: string, count: number): Promise<void> {
  const chunk = 100_000;
  for (let from = 1; from <= count; from += chunk) {
    const to = Math.min(count, from + chunk - 1);
    // Follow times lean recent (squared uniform); ~92% still follow; tag 100 on 30%, 101 on 10%,
    // 48 rarer tags on ~0.1% each; 2% carry a remark; places only for the ~25% who followed before
    // 2022 (WeChat stopped returning them), as imported data would have them.
    await db.execute(sql`
      insert into oa_followers (account_id, open_id, subscribed, subscribe_time, unsubscribe_time, subscribe_scene, language,
        remark, tag_ids, union_id, group_id, province, city, seen_at, updated_at)
      select ${accountId}::uuid, 'oBench' || lpad(to_hex(i), 22, '0'), r.sub, r.t, case when r.sub then null else r.t + interval '30 days' end,
        (array['ADD_SCENE_SEARCH','ADD_SCENE_QR_CODE','ADD_SCENE_QR_CODE','ADD_SCENE_QR_CODE','ADD_SCENE_PROFILE_CARD','ADD_SCENE_PROFILE_LINK',
               'ADD_SCENE_WECHAT_ADVERTISEMENT','ADD_SCENE_CHANNELS','ADD_SCENE_OTHERS','ADD_SCENE_SEARCH'])[1 + floor(random() * 10)::int],
        case when random() < 0.93 then 'zh_CN' when random() < 0.6 then 'zh_TW' else 'en' end,
        case when i % 50 = 0 then '客户' || i else '' end,
        array_remove(array[case when random() < 0.3 then 100 end, case when random() < 0.1 then 101 end,
                           case when random() < 0.05 then 102 + floor(random() * 48)::int end], null),
        null, 0,
        case when r.t < '2022-01-01' then (array['广东','浙江','江苏','上海','北京','四川'])[1 + floor(random() * 6)::int] end,
        case when r.t < '2022-01-01' then (array['广州','杭州','南京','上海','北京','成都'])[1 + floor(random() * 6)::int] end,
        now(), now()
      from generate_series(${from}::int, ${to}::int) as i,
        lateral (select random() > 0.08 as sub, now() - (power(random(), 2) * interval '6 years') as t, i as k) as r`);
  }
  // What the sync job does after a full sync (repository.tidyAfterSync).
  await createFollowersRepository(db).tidyAfterSync();
}

async function filterBench(): Promise<void> {
  const accountId = randomUUID();
  await db.execute(sql`insert into accounts (id, type, name, wechat_id, api_base_url, encrypt_mode, sandbox, created_at, updated_at)
    values (${accountId}, 'official_account', 'bench', ${`wxbench${accountId.slice(0, 10)}`}, 'http://127.0.0.1', 'safe', true, now(), now())`);
  let started = performance.now();
  await insertFollowers(accountId, followers);
  console.log(`insert          ${followers.toLocaleString('en-US')} followers in ${seconds(performance.now() - started)} s (generate_series, then vacuum analyze as after a sync)`);

  const repository = createFollowersRepository(db);
  const day = 86_400_000;
  const randomWindow = () => {
    const end = Date.now() - Math.random() * 5 * 365 * day;
    return { subscribedFrom: new Date(end - 30 * day).toISOString(), subscribedTo: new Date(end).toISOString() };
  };
  const cases: [string, () => Record<string, unknown>][] = [
    ['first page, no filter', () => ({})],
    ['tag 100 (30% of followers)', () => ({ tagId: 100 })],
    ['rare tag (~0.1%)', () => ({ tagId: 102 + Math.floor(Math.random() * 48) })],
    ['scene QR code', () => ({ scene: 'ADD_SCENE_QR_CODE' })],
    ['language en', () => ({ language: 'en' })],
    ['followed within 30 days window', randomWindow],
    ['tag 101 + scene + window', () => ({ tagId: 101, scene: 'ADD_SCENE_QR_CODE', ...randomWindow() })],
    ['region 广东', () => ({ region: '广东' })],
    ['remark search', () => ({ q: `客户${50 * (1 + Math.floor(Math.random() * (followers / 50 - 1)))}` })],
    ['OpenID prefix', () => ({ q: `oBench${'0'.repeat(14)}${Math.floor(Math.random() * 200).toString(16)}` })],
    ['unsubscribed', () => ({ status: 'unsubscribed' })],
  ];
  console.log(`\n| query (limit 50; pages 1–5 by cursor) | p50 ms | p95 ms | max ms |`);
  console.log(`|---|---|---|---|`);
  const all: number[] = [];
  for (const [name, make] of cases) {
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      const query = { status: 'subscribed', ...make() } as Parameters<typeof filterOf>[1];
      const filter = filterOf(accountId, query);
      let after: { subscribeTime: Date; openId: string } | null = null;
      // Page 1, then up to four more pages by keyset cursor: what the console does.
      for (let page = 0; page < (run % 4 === 0 ? 5 : 1); page++) {
        const t0 = performance.now();
        const rows = await repository.list(filter, after, 51);
        times.push(performance.now() - t0);
        const last = rows[49];
        if (!last) break;
        after = { subscribeTime: last.subscribeTime, openId: last.openId };
      }
    }
    times.sort((a, b) => a - b);
    all.push(...times);
    console.log(`| ${name} | ${percentile(times, 50).toFixed(1)} | ${percentile(times, 95).toFixed(1)} | ${(times.at(-1) ?? 0).toFixed(1)} |`);
  }
  all.sort((a, b) => a - b);
  console.log(`| **all list queries (${all.length})** | ${percentile(all, 50).toFixed(1)} | ${percentile(all, 95).toFixed(1)} | ${(all.at(-1) ?? 0).toFixed(1)} |`);
  console.log(`load average after the list queries: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

  // withTotal=true: exact up to FOLLOWER_COUNT_EXACT_UP_TO, the planner's estimate above; the full count for comparison.
  const countQueries: [string, Record<string, unknown>][] = [
    ['no filter', {}],
    ['tag 100', { tagId: 100 }],
    ['scene', { scene: 'ADD_SCENE_QR_CODE' }],
    ['language en', { language: 'en' }],
    ['region 广东', { region: '广东' }],
    ['rare tag', { tagId: 120 }],
  ];
  console.log(`\n| count (withTotal=true) | total | exact? | ms | full count | full count ms |`);
  console.log(`|---|---|---|---|---|---|`);
  for (const [name, query] of countQueries) {
    const filter = filterOf(accountId, { status: 'subscribed', ...query } as Parameters<typeof filterOf>[1]);
    let t0 = performance.now();
    const capped = await repository.countUpTo(filter, FOLLOWER_COUNT_EXACT_UP_TO);
    const cappedMs = performance.now() - t0;
    t0 = performance.now();
    const full = await repository.count(filter);
    const fullMs = performance.now() - t0;
    console.log(`| ${name} | ${capped.count.toLocaleString('en-US')} | ${capped.exact ? 'exact' : 'estimate'} | ${cappedMs.toFixed(0)} | ${full.toLocaleString('en-US')} | ${fullMs.toFixed(0)} |`);
  }
  started = performance.now();
  await repository.tagCounts(accountId);
  console.log(`tag counts (tags page): ${(performance.now() - started).toFixed(0)} ms`);
  await db.execute(sql`delete from accounts where id = ${accountId}`);
}

async function syncBench(): Promise<void> {
  const cache = await createCache({ redisUrl: undefined });
  const queue = createJobQueue({ database, logger, clock: systemClock });
  const app = await buildApp({ config, database, cache, queue, clock: systemClock, logger });
  await app.listen({ port: 0, host: '127.0.0.1' });
  await queue.start();
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const world = app.sandbox.officialAccount;
  const sandboxAccount = await world.createAccount({ name: 'bench sync' });
  let started = performance.now();
  await world.generateFollowers(sandboxAccount.appId, syncFollowers);
  console.log(`\nsandbox         ${syncFollowers.toLocaleString('en-US')} followers generated in ${seconds(performance.now() - started)} s`);
  const account = await app.accounts.service.create(
    null,
    {
      type: 'official_account',
      name: 'bench sync',
      appId: sandboxAccount.appId,
      appSecret: sandboxAccount.appSecret,
      token: sandboxAccount.token,
      encodingAesKey: sandboxAccount.encodingAesKey,
      encryptMode: 'safe',
      apiBaseUrl: `${base}/sandbox/official-account`,
    },
    { sandbox: true },
  );
  started = performance.now();
  const job = await queue.enqueue(followerSyncJob, { accountId: account.id }, { accountId: account.id });
  for (;;) {
    const run = await queue.get(job.id);
    if (run.state !== 'queued' && run.state !== 'running') {
      console.log(`sync            ${run.state}: ${run.done.toLocaleString('en-US')} followers in ${seconds(performance.now() - started)} s (job ${run.kind})`);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await app.close();
  await queue.stop();
  await cache.close();
}

if (part === 'both' || part === 'filters') await filterBench();
if (part === 'both' || part === 'sync') await syncBench();
process.exit(0);

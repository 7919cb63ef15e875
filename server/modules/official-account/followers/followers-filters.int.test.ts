// The list's OR filters (region: country, province or city; q: OpenID prefix or remark words), which the
// repository runs as one index walk per branch and then merges, and the capped/estimated total.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { setupRoot, type Caller } from '../../../../test/support/callers';
import { useTestApp } from '../../../../test/support/test-app';
import { createFollowersRepository } from './followers.repository';
import type { Follower, FollowerPage } from './followers.schema';

const t = useTestApp();
let root: Caller;
let accountId = '';

beforeEach(async () => {
  root = await setupRoot(t().app);
  accountId = randomUUID();
  await t().db.handle.db.execute(sql`insert into accounts (id, type, name, wechat_id, api_base_url, encrypt_mode, sandbox, created_at, updated_at)
    values (${accountId}, 'official_account', 'filters', ${`wxf${accountId.slice(0, 12)}`}, 'http://127.0.0.1', 'safe', true, now(), now())`);
});

interface Row {
  openId: string;
  minutesAgo: number;
  country?: string;
  province?: string;
  city?: string;
  remark?: string;
  subscribed?: boolean;
}

async function insert(rows: Row[]): Promise<void> {
  for (const row of rows) {
    await t().db.handle.db.execute(sql`insert into oa_followers (account_id, open_id, subscribed, subscribe_time, remark, country, province, city, seen_at, updated_at)
      values (${accountId}, ${row.openId}, ${row.subscribed ?? true}, now() - make_interval(mins => ${row.minutesAgo}), ${row.remark ?? ''},
              ${row.country ?? null}, ${row.province ?? null}, ${row.city ?? null}, now(), now())`);
  }
}

async function list(query: string) {
  const response = await t().app.inject({ method: 'GET', url: `/api/v1/official-accounts/${accountId}/followers?${query}`, headers: root.headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as FollowerPage;
}

/** Every page of `query` at `limit` rows a page, following the cursor. */
async function listAll(query: string, limit: number): Promise<Follower[]> {
  const all: Follower[] = [];
  let cursor: string | null = null;
  do {
    const page: FollowerPage = await list(`${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

describe('follower list: region and search branches', () => {
  it('finds a region in country, province or city, newest first, once each, across pages', async () => {
    await insert([
      { openId: 'oRegion1', minutesAgo: 10, province: '广东', city: '广州' },
      { openId: 'oRegion2', minutesAgo: 20, city: '广东' },
      { openId: 'oRegion3', minutesAgo: 30, country: '广东' },
      { openId: 'oRegion4', minutesAgo: 40, province: '浙江', city: '杭州' },
      { openId: 'oRegion5', minutesAgo: 50, province: '广东', city: '深圳' },
      { openId: 'oRegion6', minutesAgo: 60, province: '广东', subscribed: false },
      { openId: 'oRegion7', minutesAgo: 5 },
    ]);
    const expected = ['oRegion1', 'oRegion2', 'oRegion3', 'oRegion5'];
    for (const limit of [1, 2, 3, 50]) {
      expect((await listAll('region=广东', limit)).map((f) => f.openId)).toEqual(expected);
    }
    expect((await listAll('region=广州', 1)).map((f) => f.openId)).toEqual(['oRegion1']);
    expect((await listAll('region=广东&status=all', 2)).map((f) => f.openId)).toEqual([...expected, 'oRegion6']);
    expect(await list('region=广东&withTotal=true&limit=1')).toMatchObject({ total: 4, totalExact: true });
  });

  it('matches q as an OpenID prefix (LIKE characters taken literally) or as remark words, each follower once', async () => {
    await insert([
      { openId: 'oAb_x1', minutesAgo: 10 },
      { openId: 'oAbZx2', minutesAgo: 20 },
      { openId: 'oAb%x3', minutesAgo: 30, remark: '老客户oAb_' },
      { openId: 'oCd001', minutesAgo: 40, remark: '含 oab_ 的备注' },
      { openId: 'oCd002', minutesAgo: 50, remark: '华东区重点客户' },
    ]);
    // `_` is not a wildcard: oAbZx2 does not match; remark words match case-insensitively.
    for (const limit of [1, 2, 50]) {
      expect((await listAll(`q=${encodeURIComponent('oAb_')}`, limit)).map((f) => f.openId)).toEqual(['oAb_x1', 'oAb%x3', 'oCd001']);
    }
    expect((await listAll(`q=${encodeURIComponent('oAb%')}`, 1)).map((f) => f.openId)).toEqual(['oAb%x3']);
    expect((await listAll(`q=${encodeURIComponent('重点')}`, 1)).map((f) => f.openId)).toEqual(['oCd002']);
    expect((await listAll(`q=oCd&region=${encodeURIComponent('广东')}`, 1)).map((f) => f.openId)).toEqual([]);
    expect(await list(`q=${encodeURIComponent('oAb_')}&withTotal=true&limit=1`)).toMatchObject({ total: 3, totalExact: true });
  });
});

describe('follower total', () => {
  it('is exact up to the cap and a planner estimate above it, never below the cap', async () => {
    await t().db.handle.db.execute(sql`insert into oa_followers (account_id, open_id, subscribed, subscribe_time, remark, province, seen_at, updated_at)
      select ${accountId}::uuid, 'oCount' || i, true, now() - make_interval(mins => i), '', case when i % 2 = 0 then '广东' end, now(), now()
      from generate_series(1, 40) as i`);
    await t().db.handle.db.execute(sql`analyze oa_followers`);
    const repository = createFollowersRepository(t().db.handle.db);
    expect(await repository.countUpTo({ accountId, subscribed: true }, 40)).toEqual({ count: 40, exact: true });
    expect(await repository.countUpTo({ accountId, subscribed: true, region: '广东' }, 20)).toEqual({ count: 20, exact: true });
    const capped = await repository.countUpTo({ accountId, subscribed: true }, 10);
    expect(capped.exact).toBe(false);
    expect(capped.count).toBeGreaterThanOrEqual(11);
    const cappedRegion = await repository.countUpTo({ accountId, subscribed: true, region: '广东' }, 5);
    expect(cappedRegion).toMatchObject({ exact: false });
    expect(cappedRegion.count).toBeGreaterThanOrEqual(6);
    expect(await repository.count({ accountId, subscribed: true, region: '广东' })).toBe(20);
  });
});

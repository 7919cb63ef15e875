import type { App } from '../../platform/http/create-server';
import { datacubeSpanDays, oaInterfaceSummary, oaUpstreamMsg, oaUserCumulate, oaUserSummary } from '../../wechat/official-account';
import { quotaDay, wechatError, type SandboxContext, type TokenOwner } from '../core';
import { createDatacubeRepository } from './datacube.repository';

/** WeChat keeps analytics from this day on (facts §4.11). */
export const DATACUBE_FIRST_DAY = '2014-12-01';

/** `user_source` of getusersummary for each subscribe scene the world records. */
const userSourceOfScene: Record<string, number> = {
  ADD_SCENE_SEARCH: 1,
  ADD_SCENE_PROFILE_CARD: 17,
  ADD_SCENE_QR_CODE: 30,
  ADD_SCENE_PROFILE_LINK: 57,
  ADD_SCENE_WECHAT_ADVERTISEMENT: 100,
  ADD_SCENE_REPRINT: 161,
  ADD_SCENE_CHANNELS: 200,
  ADD_SCENE_LIVESTREAM: 201,
};

/** `msg_type` of getupstreammsg for each message type a follower sends. */
const upstreamTypes: Record<string, number> = { text: 1, image: 2, voice: 3, video: 4, shortvideo: 4, link: 6 };

const DAY_MS = 86_400_000;

function parseDay(value: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw wechatError(61500);
  const time = Date.parse(`${value}T00:00:00Z`);
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value) throw wechatError(61500);
  return time;
}

/**
 * The days a call covers, checked as WeChat checks them: valid dates, begin
 * not after end, end at the latest yesterday (Beijing time), from 2014-12-01,
 * and no more days than the endpoint's span.
 */
export function checkedDays(body: { begin_date: string; end_date: string }, spanDays: number, now: Date): string[] {
  const begin = parseDay(body.begin_date);
  const end = parseDay(body.end_date);
  const today = Date.parse(`${quotaDay(now)}T00:00:00Z`);
  if (begin > end || end >= today || begin < Date.parse(`${DATACUBE_FIRST_DAY}T00:00:00Z`)) throw wechatError(61501);
  const days = (end - begin) / DAY_MS + 1;
  if (days > spanDays) throw wechatError(61501, `at most ${spanDays} days`);
  return Array.from({ length: days }, (_, i) => new Date(begin + i * DAY_MS).toISOString().slice(0, 10));
}

/**
 * Analytics computed from the simulated world itself: follows and unfollows
 * from the followers table, messages and callback timings from the delivery
 * log, so the figures change as the world does.
 */
export function serveDatacubeApi(app: App, ctx: SandboxContext): void {
  const appIdOf = (owner: TokenOwner | null) => (owner as TokenOwner).ownerKey;
  const span = (path: string) => datacubeSpanDays[path] as number;
  const world = createDatacubeRepository(ctx.db);

  ctx.serveEndpoint(app, oaUserSummary, async ({ body, owner, now }) => {
    const days = checkedDays(body, span(oaUserSummary.path), now);
    const appId = appIdOf(owner);
    const counted = await world.follows(appId, days[0] as string, days.at(-1) as string);
    const bySource = new Map<string, { new_user: number; cancel_user: number }>();
    for (const row of counted) {
      const key = `${row.day}|${userSourceOfScene[row.scene] ?? 0}`;
      const sum = bySource.get(key) ?? { new_user: 0, cancel_user: 0 };
      sum.new_user += Number(row.new_user);
      sum.cancel_user += Number(row.cancel_user);
      bySource.set(key, sum);
    }
    const list = days.flatMap((day) => {
      const rows = [...bySource.entries()]
        .filter(([key]) => key.startsWith(`${day}|`))
        .map(([key, sum]) => ({ ref_date: day, user_source: Number(key.split('|')[1]), ...sum }))
        .sort((a, b) => a.user_source - b.user_source);
      return rows.length > 0 ? rows : [{ ref_date: day, user_source: 0, new_user: 0, cancel_user: 0 }];
    });
    return { list };
  });

  ctx.serveEndpoint(app, oaUserCumulate, async ({ body, owner, now }) => {
    const days = checkedDays(body, span(oaUserCumulate.path), now);
    const appId = appIdOf(owner);
    const list = [];
    for (const day of days) {
      list.push({ ref_date: day, cumulate_user: await world.followersAtEndOf(appId, day) });
    }
    return { list };
  });

  ctx.serveEndpoint(app, oaUpstreamMsg, async ({ body, owner, now }) => {
    const days = checkedDays(body, span(oaUpstreamMsg.path), now);
    const types = Object.keys(upstreamTypes);
    const rows = await world.upstream(appIdOf(owner), types, days[0] as string, days.at(-1) as string);
    // WeChat counts a follower once per message type and day: video and shortvideo share type 4.
    const merged = new Map<string, { ref_date: string; msg_type: number; msg_user: number; msg_count: number }>();
    for (const row of rows) {
      const msgType = upstreamTypes[row.event] as number;
      const key = `${row.day}|${msgType}`;
      const sum = merged.get(key) ?? { ref_date: row.day, msg_type: msgType, msg_user: 0, msg_count: 0 };
      sum.msg_user += Number(row.msg_user);
      sum.msg_count += Number(row.msg_count);
      merged.set(key, sum);
    }
    return { list: [...merged.values()].sort((a, b) => a.ref_date.localeCompare(b.ref_date) || a.msg_type - b.msg_type) };
  });

  ctx.serveEndpoint(app, oaInterfaceSummary, async ({ body, owner, now }) => {
    const days = checkedDays(body, span(oaInterfaceSummary.path), now);
    const rows = await world.callbacks(appIdOf(owner), days[0] as string, days.at(-1) as string);
    return { list: rows.map((row) => ({ ref_date: row.day, callback_count: Number(row.callback_count), fail_count: Number(row.fail_count), total_time_cost: Number(row.total_time_cost), max_time_cost: Number(row.max_time_cost) })) };
  });
}

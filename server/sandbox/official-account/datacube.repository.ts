import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db/client';

/** A timestamptz column as its Beijing calendar day. */
const beijingDay = (column: SQL) => sql`((${column} at time zone 'UTC') + interval '8 hours')::date`;
/** The first instant of a Beijing day as timestamptz. */
const dayStart = (day: string) => sql`(${`${day} 00:00:00+08`})::timestamptz`;
/** The first instant after a Beijing day. */
const dayEnd = (day: string) => sql`${dayStart(day)} + interval '1 day'`;

/**
 * The world's figures per Beijing day that the datacube endpoints report:
 * follows and unfollows from the followers table, messages and callback
 * timings from the delivery log. Days are `YYYY-MM-DD`, inclusive.
 */
export function createDatacubeRepository(db: Db) {
  async function rowsOf<T>(query: SQL): Promise<T[]> {
    return (await db.execute(query)).rows as T[];
  }

  return {
    /** New and cancelled follows per day and subscribe scene. */
    follows(appId: string, firstDay: string, lastDay: string) {
      const from = dayStart(firstDay);
      const to = dayEnd(lastDay);
      return rowsOf<{ day: string; scene: string; new_user: number; cancel_user: number }>(
        sql`select d.day::text as day, d.scene, sum(d.new_user)::int as new_user, sum(d.cancel_user)::int as cancel_user from (
              select ${beijingDay(sql`subscribe_time`)} as day, subscribe_scene as scene, 1 as new_user, 0 as cancel_user
                from sandbox_oa_followers where app_id = ${appId} and subscribe_time >= ${from} and subscribe_time < ${to}
              union all
              select ${beijingDay(sql`unsubscribe_time`)}, subscribe_scene, 0, 1
                from sandbox_oa_followers where app_id = ${appId} and unsubscribe_time >= ${from} and unsubscribe_time < ${to}
            ) d group by d.day, d.scene`,
      );
    },

    /** Followers at the end of the day. */
    async followersAtEndOf(appId: string, day: string): Promise<number> {
      const end = dayEnd(day);
      const [row] = await rowsOf<{ n: number }>(
        sql`select count(*)::int as n from sandbox_oa_followers
            where app_id = ${appId} and subscribe_time < ${end} and (subscribed or unsubscribe_time >= ${end})`,
      );
      return Number(row?.n ?? 0);
    },

    /** Messages followers sent, per day and message type, with distinct senders. */
    upstream(appId: string, types: string[], firstDay: string, lastDay: string) {
      return rowsOf<{ day: string; event: string; msg_user: number; msg_count: number }>(
        sql`select ${beijingDay(sql`created_at`)}::text as day, event, count(distinct target)::int as msg_user, count(*)::int as msg_count
            from sandbox_deliveries
            where product = 'official-account' and owner_key = ${appId}
              and event in (${sql.join(types.map((t) => sql`${t}`), sql`, `)})
              and created_at >= ${dayStart(firstDay)} and created_at < ${dayEnd(lastDay)}
            group by 1, 2`,
      );
    },

    /** Callbacks delivered per day: count, failures and time taken. */
    callbacks(appId: string, firstDay: string, lastDay: string) {
      return rowsOf<{ day: string; callback_count: number; fail_count: number; total_time_cost: number; max_time_cost: number }>(
        sql`select ${beijingDay(sql`created_at`)}::text as day, count(*)::int as callback_count,
              count(*) filter (where status in ('failed', 'invalid_reply'))::int as fail_count,
              coalesce(sum(latency_ms), 0)::int as total_time_cost, coalesce(max(latency_ms), 0)::int as max_time_cost
            from sandbox_deliveries
            where product = 'official-account' and owner_key = ${appId} and attempts > 0
              and created_at >= ${dayStart(firstDay)} and created_at < ${dayEnd(lastDay)}
            group by 1 order by 1`,
      );
    },
  };
}

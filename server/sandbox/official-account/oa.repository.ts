import { createHash } from 'node:crypto';
import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client';
import {
  sandboxOaAccounts,
  sandboxOaFollowers,
  sandboxOaInbox,
  sandboxOaMassJobs,
  sandboxOaMedia,
  sandboxOaMenus,
  sandboxOaQrCodes,
  sandboxOaTags,
} from './oa.tables';

export type AccountRow = typeof sandboxOaAccounts.$inferSelect;
export type NewAccount = typeof sandboxOaAccounts.$inferInsert;
export type FollowerRow = typeof sandboxOaFollowers.$inferSelect;
export type TagRow = typeof sandboxOaTags.$inferSelect;
export type MenuRow = typeof sandboxOaMenus.$inferSelect;
export type InboxRow = typeof sandboxOaInbox.$inferSelect;
export type MassJobRow = typeof sandboxOaMassJobs.$inferSelect;
export type MediaRow = typeof sandboxOaMedia.$inferSelect;
export type QrCodeRow = typeof sandboxOaQrCodes.$inferSelect;

/** Rows per INSERT … SELECT generate_series statement: short enough not to hold PGlite's single session for long. */
const GENERATE_CHUNK = 50_000;
/** How far back generated follow dates reach. */
const GENERATED_HISTORY_MS = 3 * 365 * 86_400_000;

/** A per-account OpenID prefix: OpenIDs look like WeChat's (28 URL-safe characters starting with `o`). */
export function openIdPrefix(appId: string): string {
  return `o${createHash('sha1').update(appId).digest('base64url').slice(0, 5)}`;
}

const subscribeScenes: [string, number][] = [
  ['ADD_SCENE_SEARCH', 30],
  ['ADD_SCENE_QR_CODE', 25],
  ['ADD_SCENE_PROFILE_CARD', 10],
  ['ADD_SCENE_PROFILE_LINK', 8],
  ['ADD_SCENE_ACCOUNT_MIGRATION', 5],
  ['ADD_SCENE_PROFILE_ITEM', 5],
  ['ADD_SCENE_WECHAT_ADVERTISEMENT', 5],
  ['ADD_SCENE_REPRINT', 4],
  ['ADD_SCENE_CHANNELS', 3],
  ['ADD_SCENE_PAID', 2],
  ['ADD_SCENE_LIVESTREAM', 2],
  ['ADD_SCENE_OTHERS', 1],
];

const places: [string, string][] = [
  ['广东', '广州'], ['广东', '深圳'], ['上海', '上海'], ['北京', '北京'], ['浙江', '杭州'], ['江苏', '南京'],
  ['江苏', '苏州'], ['四川', '成都'], ['湖北', '武汉'], ['陕西', '西安'], ['山东', '济南'], ['福建', '厦门'],
  ['湖南', '长沙'], ['重庆', '重庆'], ['天津', '天津'], ['河南', '郑州'],
];

/** A CASE over a uniform random number in [0,1) picking by weight. */
function weightedCase(column: string, weights: [string, number][]): string {
  const total = weights.reduce((sum, [, w]) => sum + w, 0);
  let acc = 0;
  const arms = weights.map(([value, w]) => {
    acc += w;
    return `when ${column} < ${(acc / total).toFixed(6)} then '${value}'`;
  });
  return `case ${arms.join(' ')} else '${weights[weights.length - 1]?.[0]}' end`;
}

const sceneSql = weightedCase('p.r_scene', subscribeScenes);
const provinceArray = `array[${places.map(([p]) => `'${p}'`).join(',')}]`;
const cityArray = `array[${places.map(([, c]) => `'${c}'`).join(',')}]`;

/** All SQL of the simulated Official Account world. */
export function createOaRepository(db: Db) {
  const followerKey = (appId: string, openId: string) => and(eq(sandboxOaFollowers.appId, appId), eq(sandboxOaFollowers.openId, openId));

  return {
    async createAccount(row: NewAccount): Promise<AccountRow> {
      const [created] = await db.insert(sandboxOaAccounts).values(row).onConflictDoNothing().returning();
      if (!created) throw new Error('duplicate');
      return created;
    },
    async findAccount(appId: string): Promise<AccountRow | null> {
      const [row] = await db.select().from(sandboxOaAccounts).where(eq(sandboxOaAccounts.appId, appId)).limit(1);
      return row ?? null;
    },
    listAccounts(): Promise<AccountRow[]> {
      return db.select().from(sandboxOaAccounts).orderBy(asc(sandboxOaAccounts.createdAt));
    },
    async updateAccount(appId: string, patch: Partial<NewAccount>): Promise<AccountRow | null> {
      const [row] = await db.update(sandboxOaAccounts).set(patch).where(eq(sandboxOaAccounts.appId, appId)).returning();
      return row ?? null;
    },

    /**
     * Adds `count` followers in chunks of one INSERT … SELECT generate_series
     * each, computed by the database (OpenIDs from md5, persona by weighted
     * random draws). Answers how many were added.
     */
    async generateFollowers(appId: string, count: number, now: Date): Promise<number> {
      const [seq] = await db
        .update(sandboxOaAccounts)
        .set({ followerSeq: sql`${sandboxOaAccounts.followerSeq} + ${count}` })
        .where(eq(sandboxOaAccounts.appId, appId))
        .returning({ end: sandboxOaAccounts.followerSeq });
      if (!seq) return 0;
      const prefix = openIdPrefix(appId);
      let added = 0;
      for (let from = seq.end - count + 1; from <= seq.end; from += GENERATE_CHUNK) {
        const to = Math.min(seq.end, from + GENERATE_CHUNK - 1);
        const result = await db.execute<{ added: number }>(sql`
          with ins as (
            insert into sandbox_oa_followers
              (app_id, open_id, subscribed, subscribe_time, subscribe_scene, language, union_id, gender, country, province, city)
            select ${appId},
              ${prefix} || translate(encode(decode(md5(${appId} || ':' || g), 'hex'), 'base64'), '+/=', '-_'),
              true,
              ${now.toISOString()}::timestamptz - (p.r_time * ${GENERATED_HISTORY_MS}) * interval '1 millisecond',
              ${sql.raw(sceneSql)},
              case when p.r_lang < 0.90 then 'zh_CN' when p.r_lang < 0.94 then 'zh_TW' else 'en' end,
              case when p.r_union < 0.3 then 'o' || translate(encode(decode(md5('u:' || ${appId} || ':' || g), 'hex'), 'base64'), '+/=', '-_') end,
              case when p.r_gender < 0.48 then 1 when p.r_gender < 0.95 then 2 else 0 end,
              '中国',
              (${sql.raw(provinceArray)})[p.place],
              (${sql.raw(cityArray)})[p.place]
            from generate_series(${from}::bigint, ${to}::bigint) g,
              lateral (select random() + g * 0 as r_time, random() as r_scene, random() as r_lang, random() as r_union,
                random() as r_gender, 1 + floor(random() * ${places.length})::int as place) p
            on conflict do nothing
            returning 1)
          select count(*)::int as added from ins`);
        added += Number(result.rows[0]?.added ?? 0);
      }
      await db
        .update(sandboxOaAccounts)
        .set({ followersTotal: sql`${sandboxOaAccounts.followersTotal} + ${added}` })
        .where(eq(sandboxOaAccounts.appId, appId));
      return added;
    },

    async insertFollower(row: typeof sandboxOaFollowers.$inferInsert): Promise<FollowerRow> {
      const [created] = await db.insert(sandboxOaFollowers).values(row).returning();
      if (!created) throw new Error('follower not stored');
      await db.update(sandboxOaAccounts).set({ followersTotal: sql`${sandboxOaAccounts.followersTotal} + 1` }).where(eq(sandboxOaAccounts.appId, row.appId));
      return created;
    },
    async findFollower(appId: string, openId: string): Promise<FollowerRow | null> {
      const [row] = await db.select().from(sandboxOaFollowers).where(followerKey(appId, openId)).limit(1);
      return row ?? null;
    },
    findFollowers(appId: string, openIds: string[]): Promise<FollowerRow[]> {
      if (openIds.length === 0) return Promise.resolve([]);
      return db.select().from(sandboxOaFollowers).where(and(eq(sandboxOaFollowers.appId, appId), inArray(sandboxOaFollowers.openId, openIds)));
    },
    /**
     * user/info answers, built by the database (one JSON text instead of a row
     * per follower: several times faster on the embedded database). Since
     * 2021-12-27 WeChat returns no nickname, avatar, sex or place; someone who
     * unfollowed gets only `subscribe: 0` and the OpenID.
     */
    async findFollowerInfos(appId: string, openIds: string[]): Promise<Map<string, Record<string, unknown>>> {
      if (openIds.length === 0) return new Map();
      const result = await db.execute<{ infos: string | null }>(sql`
        select json_agg(case when f.subscribed then json_strip_nulls(json_build_object(
            'subscribe', 1, 'openid', f.open_id, 'language', f.language,
            'subscribe_time', extract(epoch from f.subscribe_time)::bigint, 'unionid', f.union_id, 'remark', f.remark,
            'groupid', 0, 'tagid_list', f.tag_ids, 'subscribe_scene', f.subscribe_scene,
            'qr_scene', f.qr_scene, 'qr_scene_str', f.qr_scene_str))
          else json_build_object('subscribe', 0, 'openid', f.open_id) end)::text as infos
        from sandbox_oa_followers f
        where f.app_id = ${appId} and f.open_id in (${sql.join(openIds.map((id) => sql`${id}`), sql`, `)})`);
      const infos = JSON.parse(result.rows[0]?.infos ?? '[]') as Record<string, unknown>[];
      return new Map(infos.map((info) => [String(info.openid), info]));
    },
    /** Current followers after `afterOpenId`, in OpenID order (the primary key serves it). */
    async listOpenIds(appId: string, afterOpenId: string, limit: number, tagId?: number): Promise<string[]> {
      const rows = await db
        .select({ openId: sandboxOaFollowers.openId })
        .from(sandboxOaFollowers)
        .where(
          and(
            eq(sandboxOaFollowers.appId, appId),
            eq(sandboxOaFollowers.subscribed, true),
            gt(sandboxOaFollowers.openId, afterOpenId),
            tagId === undefined ? undefined : sql`${sandboxOaFollowers.tagIds} @> array[${tagId}]::integer[]`,
          ),
        )
        .orderBy(asc(sandboxOaFollowers.openId))
        .limit(limit);
      return rows.map((r) => r.openId);
    },
    async setSubscribed(appId: string, openId: string, subscribed: boolean, now: Date, scene?: { subscribeScene: string; qrScene: number; qrSceneStr: string }): Promise<void> {
      await db.transaction(async (tx) => {
        await tx
          .update(sandboxOaFollowers)
          .set(
            subscribed
              ? { subscribed, subscribeTime: now, unsubscribeTime: null, ...scene }
              : { subscribed, unsubscribeTime: now, messageWindowAt: null, eventWindowAt: null },
          )
          .where(followerKey(appId, openId));
        await tx
          .update(sandboxOaAccounts)
          .set({ followersTotal: sql`${sandboxOaAccounts.followersTotal} + ${subscribed ? 1 : -1}` })
          .where(eq(sandboxOaAccounts.appId, appId));
      });
    },
    async updateRemark(appId: string, openId: string, remark: string): Promise<void> {
      await db.update(sandboxOaFollowers).set({ remark }).where(followerKey(appId, openId));
    },

    /** Opens a customer-service window: `message` (5 in 48 h) or `event` (3 in 1 min). */
    async openWindow(appId: string, openId: string, kind: 'message' | 'event', now: Date): Promise<void> {
      await db
        .update(sandboxOaFollowers)
        .set(kind === 'message' ? { messageWindowAt: now, messageWindowUsed: 0 } : { eventWindowAt: now, eventWindowUsed: 0 })
        .where(followerKey(appId, openId));
    },
    /**
     * Spends one customer-service message from an open window (the shorter
     * event window first). Answers `sent`, `used_up` (a window is open but
     * its count is spent: 45047) or `closed` (45015).
     */
    async spendWindow(appId: string, openId: string, now: Date, rules: { messageMs: number; messageMax: number; eventMs: number; eventMax: number }): Promise<'sent' | 'used_up' | 'closed'> {
      const messageFrom = new Date(now.getTime() - rules.messageMs).toISOString();
      const eventFrom = new Date(now.getTime() - rules.eventMs).toISOString();
      const eventOk = sql`coalesce(${sandboxOaFollowers.eventWindowAt} > ${eventFrom}::timestamptz and ${sandboxOaFollowers.eventWindowUsed} < ${rules.eventMax}, false)`;
      const messageOk = sql`coalesce(${sandboxOaFollowers.messageWindowAt} > ${messageFrom}::timestamptz and ${sandboxOaFollowers.messageWindowUsed} < ${rules.messageMax}, false)`;
      const updated = await db
        .update(sandboxOaFollowers)
        .set({
          eventWindowUsed: sql`${sandboxOaFollowers.eventWindowUsed} + case when ${eventOk} then 1 else 0 end`,
          messageWindowUsed: sql`${sandboxOaFollowers.messageWindowUsed} + case when not ${eventOk} and ${messageOk} then 1 else 0 end`,
        })
        .where(and(followerKey(appId, openId), eq(sandboxOaFollowers.subscribed, true), sql`(${eventOk} or ${messageOk})`))
        .returning({ openId: sandboxOaFollowers.openId });
      if (updated.length > 0) return 'sent';
      const row = await this.findFollower(appId, openId);
      if (!row?.subscribed) return 'closed';
      const open = (row.eventWindowAt && row.eventWindowAt.toISOString() > eventFrom) || (row.messageWindowAt && row.messageWindowAt.toISOString() > messageFrom);
      return open ? 'used_up' : 'closed';
    },

    listTags(appId: string): Promise<TagRow[]> {
      return db.select().from(sandboxOaTags).where(eq(sandboxOaTags.appId, appId)).orderBy(asc(sandboxOaTags.id));
    },
    /** Followers per tag, in one pass over the tag index. */
    async tagCounts(appId: string): Promise<Map<number, number>> {
      const result = await db.execute<{ tag_id: number; n: number }>(sql`
        select t.id as tag_id, (select count(*)::int from sandbox_oa_followers f
          where f.app_id = ${appId} and f.subscribed and f.tag_ids @> array[t.id]) as n
        from sandbox_oa_tags t where t.app_id = ${appId}`);
      return new Map(result.rows.map((r) => [Number(r.tag_id), Number(r.n)]));
    },
    async createTag(appId: string, name: string, id?: number): Promise<TagRow> {
      return db.transaction(async (tx) => {
        let tagId = id;
        if (tagId === undefined) {
          const [seq] = await tx
            .update(sandboxOaAccounts)
            .set({ nextTagId: sql`${sandboxOaAccounts.nextTagId} + 1` })
            .where(eq(sandboxOaAccounts.appId, appId))
            .returning({ next: sandboxOaAccounts.nextTagId });
          tagId = (seq?.next ?? 101) - 1;
        }
        const [row] = await tx.insert(sandboxOaTags).values({ appId, id: tagId, name }).returning();
        if (!row) throw new Error('tag not stored');
        return row;
      });
    },
    async renameTag(appId: string, id: number, name: string): Promise<void> {
      await db.update(sandboxOaTags).set({ name }).where(and(eq(sandboxOaTags.appId, appId), eq(sandboxOaTags.id, id)));
    },
    async deleteTag(appId: string, id: number): Promise<void> {
      await db.transaction(async (tx) => {
        await tx.delete(sandboxOaTags).where(and(eq(sandboxOaTags.appId, appId), eq(sandboxOaTags.id, id)));
        await tx
          .update(sandboxOaFollowers)
          .set({ tagIds: sql`array_remove(${sandboxOaFollowers.tagIds}, ${id})` })
          .where(and(eq(sandboxOaFollowers.appId, appId), sql`${sandboxOaFollowers.tagIds} @> array[${id}]::integer[]`));
      });
    },
    /** Appends the tag (the last-applied tag is the one conditional menus match). */
    async tagFollowers(appId: string, openIds: string[], id: number): Promise<void> {
      await db
        .update(sandboxOaFollowers)
        .set({ tagIds: sql`array_append(${sandboxOaFollowers.tagIds}, ${id})` })
        .where(and(eq(sandboxOaFollowers.appId, appId), inArray(sandboxOaFollowers.openId, openIds), sql`not (${sandboxOaFollowers.tagIds} @> array[${id}]::integer[])`));
    },
    async untagFollowers(appId: string, openIds: string[], id: number): Promise<void> {
      await db
        .update(sandboxOaFollowers)
        .set({ tagIds: sql`array_remove(${sandboxOaFollowers.tagIds}, ${id})` })
        .where(and(eq(sandboxOaFollowers.appId, appId), inArray(sandboxOaFollowers.openId, openIds)));
    },

    listMenus(appId: string): Promise<MenuRow[]> {
      return db.select().from(sandboxOaMenus).where(eq(sandboxOaMenus.appId, appId)).orderBy(asc(sandboxOaMenus.menuId));
    },
    /** A new default menu replaces the old one; conditional menus stay. */
    async replaceDefaultMenu(appId: string, button: unknown, now: Date): Promise<MenuRow> {
      return db.transaction(async (tx) => {
        await tx.delete(sandboxOaMenus).where(and(eq(sandboxOaMenus.appId, appId), eq(sandboxOaMenus.conditional, false)));
        const [row] = await tx.insert(sandboxOaMenus).values({ appId, conditional: false, button, createdAt: now }).returning();
        if (!row) throw new Error('menu not stored');
        return row;
      });
    },
    async addConditionalMenu(appId: string, button: unknown, matchRule: unknown, now: Date): Promise<MenuRow> {
      const [row] = await db.insert(sandboxOaMenus).values({ appId, conditional: true, button, matchRule, createdAt: now }).returning();
      if (!row) throw new Error('menu not stored');
      return row;
    },
    async deleteMenu(appId: string, menuId: number): Promise<boolean> {
      const rows = await db
        .delete(sandboxOaMenus)
        .where(and(eq(sandboxOaMenus.appId, appId), eq(sandboxOaMenus.menuId, menuId), eq(sandboxOaMenus.conditional, true)))
        .returning({ id: sandboxOaMenus.menuId });
      return rows.length > 0;
    },
    async deleteAllMenus(appId: string): Promise<void> {
      await db.delete(sandboxOaMenus).where(eq(sandboxOaMenus.appId, appId));
    },

    async addInbox(items: (typeof sandboxOaInbox.$inferInsert)[]): Promise<InboxRow[]> {
      if (items.length === 0) return [];
      return db.insert(sandboxOaInbox).values(items).returning();
    },
    listInbox(appId: string, openId: string, afterId: number, limit: number): Promise<InboxRow[]> {
      return db
        .select()
        .from(sandboxOaInbox)
        .where(and(eq(sandboxOaInbox.appId, appId), eq(sandboxOaInbox.openId, openId), gt(sandboxOaInbox.id, afterId)))
        .orderBy(asc(sandboxOaInbox.id))
        .limit(limit);
    },

    async createMassJob(row: typeof sandboxOaMassJobs.$inferInsert): Promise<MassJobRow> {
      const [created] = await db.insert(sandboxOaMassJobs).values(row).returning();
      if (!created) throw new Error('mass job not stored');
      return created;
    },
    async findMassJob(appId: string, msgId: number): Promise<MassJobRow | null> {
      const [row] = await db.select().from(sandboxOaMassJobs).where(and(eq(sandboxOaMassJobs.appId, appId), eq(sandboxOaMassJobs.msgId, msgId))).limit(1);
      return row ?? null;
    },
    async findMassJobByClientMsgId(appId: string, clientMsgId: string): Promise<MassJobRow | null> {
      const [row] = await db
        .select()
        .from(sandboxOaMassJobs)
        .where(and(eq(sandboxOaMassJobs.appId, appId), eq(sandboxOaMassJobs.clientMsgId, clientMsgId)))
        .orderBy(desc(sandboxOaMassJobs.msgId))
        .limit(1);
      return row ?? null;
    },
    async countMassJobsSince(appId: string, since: Date): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(sandboxOaMassJobs)
        .where(and(eq(sandboxOaMassJobs.appId, appId), gt(sandboxOaMassJobs.createdAt, since)));
      return Number(row?.n ?? 0);
    },
    async finishMassJob(appId: string, msgId: number, counts: { status: string; totalCount: number; filterCount: number; sentCount: number; errorCount: number }): Promise<void> {
      await db.update(sandboxOaMassJobs).set(counts).where(and(eq(sandboxOaMassJobs.appId, appId), eq(sandboxOaMassJobs.msgId, msgId)));
    },
    /**
     * Delivers a mass message in one statement: every targeted follower who has
     * had fewer than 4 this month gets it in the inbox and the month's count
     * goes up. Answers targeted and delivered counts.
     */
    async deliverMass(input: { appId: string; msgId: number; target: { all: true } | { tagId: number } | { openIds: string[] }; month: string; perMonth: number; msgType: string; content: unknown; now: Date }): Promise<{ total: number; sent: number }> {
      const { appId } = input;
      const targetSql =
        'all' in input.target
          ? sql`true`
          : 'tagId' in input.target
            ? sql`f.tag_ids @> array[${input.target.tagId}]::integer[]`
            : sql`f.open_id in (${sql.join(input.target.openIds.map((id) => sql`${id}`), sql`, `)})`;
      const result = await db.execute<{ total: number; sent: number }>(sql`
        with targeted as (
          select f.open_id, f.mass_month, f.mass_count from sandbox_oa_followers f
          where f.app_id = ${appId} and f.subscribed and ${targetSql}),
        allowed as (
          update sandbox_oa_followers f
          set mass_count = case when f.mass_month = ${input.month} then f.mass_count + 1 else 1 end, mass_month = ${input.month}
          from targeted t
          where f.app_id = ${appId} and f.open_id = t.open_id
            and (t.mass_month is distinct from ${input.month} or t.mass_count < ${input.perMonth})
          returning f.open_id),
        inboxed as (
          insert into sandbox_oa_inbox (app_id, open_id, source, msg_type, content, created_at)
          select ${appId}, a.open_id, 'mass', ${input.msgType}, ${JSON.stringify(input.content)}::jsonb, ${input.now.toISOString()}::timestamptz
          from allowed a
          returning 1)
        select (select count(*)::int from targeted) as total, (select count(*)::int from inboxed) as sent`);
      const row = result.rows[0];
      return { total: Number(row?.total ?? 0), sent: Number(row?.sent ?? 0) };
    },

    async insertMedia(row: typeof sandboxOaMedia.$inferInsert): Promise<void> {
      await db.insert(sandboxOaMedia).values(row);
    },
    async findMedia(appId: string, mediaId: string): Promise<MediaRow | null> {
      const [row] = await db.select().from(sandboxOaMedia).where(and(eq(sandboxOaMedia.appId, appId), eq(sandboxOaMedia.mediaId, mediaId))).limit(1);
      return row ?? null;
    },

    async findMediaById(mediaId: string): Promise<MediaRow | null> {
      const [row] = await db.select().from(sandboxOaMedia).where(eq(sandboxOaMedia.mediaId, mediaId)).limit(1);
      return row ?? null;
    },

    async insertQrCode(row: typeof sandboxOaQrCodes.$inferInsert): Promise<QrCodeRow> {
      const [created] = await db.insert(sandboxOaQrCodes).values(row).returning();
      if (!created) throw new Error('qr code not stored');
      return created;
    },
    async findQrCode(ticket: string): Promise<QrCodeRow | null> {
      const [row] = await db.select().from(sandboxOaQrCodes).where(eq(sandboxOaQrCodes.ticket, ticket)).limit(1);
      return row ?? null;
    },
    /** The newest code carrying this scene (an integer scene matches scene_id, otherwise scene_str). */
    async findQrCodeByScene(appId: string, scene: string): Promise<QrCodeRow | null> {
      const isNumber = /^\d{1,10}$/.test(scene);
      const [row] = await db
        .select()
        .from(sandboxOaQrCodes)
        .where(and(eq(sandboxOaQrCodes.appId, appId), isNumber ? eq(sandboxOaQrCodes.sceneId, Number(scene)) : eq(sandboxOaQrCodes.sceneStr, scene)))
        .orderBy(desc(sandboxOaQrCodes.createdAt))
        .limit(1);
      return row ?? null;
    },
  };
}

export type OaRepository = ReturnType<typeof createOaRepository>;

import {
  oaFollowerInfo,
  oaFollowerInfoBatch,
  oaFollowerList,
  oaFollowerTagIds,
  oaFollowerUpdateRemark,
  oaTagBatchTagging,
  oaTagBatchUntagging,
  oaTagCreate,
  oaTagDelete,
  oaTagFollowers,
  oaTagList,
  oaTagUpdate,
} from '../../wechat/official-account';
import type { App } from '../../platform/http/create-server';
import { wechatError, wechatOk, type SandboxContext, type TokenOwner } from '../core';
import type { FollowerRow, OaRepository } from './oa.repository';

/** WeChat's limits on followers and tags (facts §4.3, §4.4). */
export const FOLLOWER_LIMITS = {
  listPage: 10_000,
  batchInfo: 100,
  remarkChars: 30,
  tagsPerAccount: 100,
  tagNameChars: 30,
  tagsPerFollower: 20,
  taggingBatch: 50,
  deletableTagFollowers: 100_000,
  systemTagMaxId: 2,
} as const;

const chars = (value: string) => [...value].length;

function checkOpenIdList(raw: unknown): void {
  const list = (raw as { openid_list?: unknown } | null)?.openid_list;
  if (!Array.isArray(list) || list.length < 1 || list.length > FOLLOWER_LIMITS.taggingBatch) throw wechatError(40032);
}

export function serveFollowerApi(app: App, ctx: SandboxContext, repository: OaRepository): void {
  const appIdOf = (owner: TokenOwner | null) => (owner as TokenOwner).ownerKey;

  async function requireFollowers(appId: string, openIds: string[]): Promise<FollowerRow[]> {
    const rows = await repository.findFollowers(appId, [...new Set(openIds)]);
    if (rows.length !== new Set(openIds).size) throw wechatError(40003);
    return rows;
  }

  async function requireTag(appId: string, id: number) {
    const tag = (await repository.listTags(appId)).find((t) => t.id === id);
    if (!tag) throw wechatError(45159);
    return tag;
  }

  ctx.serveEndpoint(app, oaFollowerList, async ({ query, owner }) => {
    const appId = appIdOf(owner);
    const account = await repository.findAccount(appId);
    const openIds = await repository.listOpenIds(appId, query.next_openid ?? '', FOLLOWER_LIMITS.listPage);
    const total = account?.followersTotal ?? 0;
    if (openIds.length === 0) return { total, count: 0, next_openid: '' };
    return { total, count: openIds.length, data: { openid: openIds }, next_openid: openIds[openIds.length - 1] };
  });

  /** user/info answers in the order asked; a single stranger fails the whole call (40003). */
  async function infosOf(appId: string, openIds: string[]): Promise<Record<string, unknown>[]> {
    const infos = await repository.findFollowerInfos(appId, [...new Set(openIds)]);
    return openIds.map((openId) => {
      const info = infos.get(openId);
      if (!info) throw wechatError(40003);
      return info;
    });
  }

  ctx.serveEndpoint(
    app,
    oaFollowerInfo,
    async ({ query, owner }) => (await infosOf(appIdOf(owner), [query.openid]))[0] as Record<string, unknown>,
    {
      check: ({ query }) => {
        if (!query.openid) throw wechatError(41009);
      },
    },
  );

  ctx.serveEndpoint(
    app,
    oaFollowerInfoBatch,
    async ({ body, owner }) => ({ user_info_list: await infosOf(appIdOf(owner), body.user_list.map((u) => u.openid)) }),
    {
      check: ({ body }) => {
        const list = (body as { user_list?: unknown } | null)?.user_list;
        if (!Array.isArray(list) || list.length < 1 || list.length > FOLLOWER_LIMITS.batchInfo) throw wechatError(40032);
      },
    },
  );

  ctx.serveEndpoint(app, oaFollowerUpdateRemark, async ({ body, owner }) => {
    if (chars(body.remark) >= FOLLOWER_LIMITS.remarkChars) throw wechatError(40097, 'remark must be shorter than 30 characters');
    const appId = appIdOf(owner);
    await requireFollowers(appId, [body.openid]);
    await repository.updateRemark(appId, body.openid, body.remark);
    return { ...wechatOk };
  });

  ctx.serveEndpoint(app, oaTagList, async ({ owner }) => {
    const appId = appIdOf(owner);
    const [tags, counts] = await Promise.all([repository.listTags(appId), repository.tagCounts(appId)]);
    return { tags: tags.map((t) => ({ id: t.id, name: t.name, count: counts.get(t.id) ?? 0 })) };
  });

  ctx.serveEndpoint(
    app,
    oaTagCreate,
    async ({ body, owner }) => {
      const appId = appIdOf(owner);
      const tags = await repository.listTags(appId);
      if (tags.some((t) => t.name === body.tag.name)) throw wechatError(45157);
      if (tags.filter((t) => t.id > FOLLOWER_LIMITS.systemTagMaxId).length >= FOLLOWER_LIMITS.tagsPerAccount) throw wechatError(45056);
      const tag = await repository.createTag(appId, body.tag.name);
      return { tag: { id: tag.id, name: tag.name } };
    },
    {
      check: ({ body }) => {
        const name = (body as { tag?: { name?: unknown } } | null)?.tag?.name;
        if (typeof name === 'string' && chars(name) > FOLLOWER_LIMITS.tagNameChars) throw wechatError(45158);
      },
    },
  );

  ctx.serveEndpoint(app, oaTagUpdate, async ({ body, owner }) => {
    const appId = appIdOf(owner);
    if (body.tag.id <= FOLLOWER_LIMITS.systemTagMaxId) throw wechatError(45058);
    if (chars(body.tag.name) > FOLLOWER_LIMITS.tagNameChars) throw wechatError(45158);
    const tags = await repository.listTags(appId);
    if (!tags.some((t) => t.id === body.tag.id)) throw wechatError(45159);
    if (tags.some((t) => t.name === body.tag.name && t.id !== body.tag.id)) throw wechatError(45157);
    await repository.renameTag(appId, body.tag.id, body.tag.name);
    return { ...wechatOk };
  });

  ctx.serveEndpoint(app, oaTagDelete, async ({ body, owner }) => {
    const appId = appIdOf(owner);
    if (body.tag.id <= FOLLOWER_LIMITS.systemTagMaxId) throw wechatError(45058);
    await requireTag(appId, body.tag.id);
    const fans = (await repository.tagCounts(appId)).get(body.tag.id) ?? 0;
    if (fans > FOLLOWER_LIMITS.deletableTagFollowers) throw wechatError(45057);
    await repository.deleteTag(appId, body.tag.id);
    return { ...wechatOk };
  });

  ctx.serveEndpoint(
    app,
    oaTagBatchTagging,
    async ({ body, owner }) => {
      const appId = appIdOf(owner);
      await requireTag(appId, body.tagid);
      const rows = await requireFollowers(appId, body.openid_list);
      if (rows.some((r) => !r.tagIds.includes(body.tagid) && r.tagIds.length >= FOLLOWER_LIMITS.tagsPerFollower)) throw wechatError(45059);
      await repository.tagFollowers(appId, body.openid_list, body.tagid);
      return { ...wechatOk };
    },
    { check: ({ body }) => checkOpenIdList(body) },
  );

  ctx.serveEndpoint(
    app,
    oaTagBatchUntagging,
    async ({ body, owner }) => {
      const appId = appIdOf(owner);
      await requireTag(appId, body.tagid);
      await requireFollowers(appId, body.openid_list);
      await repository.untagFollowers(appId, body.openid_list, body.tagid);
      return { ...wechatOk };
    },
    { check: ({ body }) => checkOpenIdList(body) },
  );

  ctx.serveEndpoint(app, oaTagFollowers, async ({ body, owner }) => {
    const appId = appIdOf(owner);
    await requireTag(appId, body.tagid);
    const openIds = await repository.listOpenIds(appId, body.next_openid ?? '', FOLLOWER_LIMITS.listPage, body.tagid);
    if (openIds.length === 0) return { count: 0, next_openid: '' };
    return { count: openIds.length, data: { openid: openIds }, next_openid: openIds[openIds.length - 1] };
  });

  ctx.serveEndpoint(app, oaFollowerTagIds, async ({ body, owner }) => {
    const [row] = await requireFollowers(appIdOf(owner), [body.openid]);
    return { tagid_list: (row as FollowerRow).tagIds };
  });
}

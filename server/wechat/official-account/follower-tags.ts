import { z } from 'zod';
import { defineEndpoint, okResponse } from '../client/endpoint';

/** Remarks are shorter than 30 characters. */
export const oaFollowerUpdateRemark = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/user/info/updateremark',
  auth: 'access_token',
  request: z.looseObject({ openid: z.string().min(1), remark: z.string() }),
  response: okResponse,
  titleZh: '设置用户备注名',
  titleEn: 'Set follower remark',
  docPath: '/doc/offiaccount/User_Management/Configuring_user_notes.html',
  dailyQuota: 10_000,
});

/** Tags 0–2 are the system's and cannot change (45058); names unique (45157). */
export const oaTagUpdate = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/tags/update',
  auth: 'access_token',
  request: z.looseObject({ tag: z.looseObject({ id: z.number().int(), name: z.string().min(1) }) }),
  response: okResponse,
  titleZh: '编辑标签',
  titleEn: 'Rename follower tag',
  docPath: '/doc/offiaccount/User_Management/User_Tag_Management.html',
});

/** A tag with more than 100,000 followers cannot be deleted (45057): untag first. */
export const oaTagDelete = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/tags/delete',
  auth: 'access_token',
  request: z.looseObject({ tag: z.looseObject({ id: z.number().int() }) }),
  response: okResponse,
  titleZh: '删除标签',
  titleEn: 'Delete follower tag',
  docPath: '/doc/offiaccount/User_Management/User_Tag_Management.html',
});

const tagging = z.looseObject({ openid_list: z.array(z.string()), tagid: z.number().int() });

/** At most 50 OpenIDs a call (40032); a follower carries at most 20 tags (45059). */
export const oaTagBatchTagging = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/tags/members/batchtagging',
  auth: 'access_token',
  request: tagging,
  response: okResponse,
  titleZh: '批量为用户打标签',
  titleEn: 'Tag followers in batch',
  docPath: '/doc/offiaccount/User_Management/User_Tag_Management.html',
});

export const oaTagBatchUntagging = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/tags/members/batchuntagging',
  auth: 'access_token',
  request: tagging,
  response: okResponse,
  titleZh: '批量为用户取消标签',
  titleEn: 'Untag followers in batch',
  docPath: '/doc/offiaccount/User_Management/User_Tag_Management.html',
});

/** Followers of a tag, up to 10,000 a page, continued with `next_openid`. */
export const oaTagFollowers = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/user/tag/get',
  auth: 'access_token',
  request: z.looseObject({ tagid: z.number().int(), next_openid: z.string().optional() }),
  response: z.looseObject({
    count: z.number(),
    data: z.looseObject({ openid: z.array(z.string()) }).optional(),
    next_openid: z.string().optional(),
  }),
  titleZh: '获取标签下粉丝列表',
  titleEn: 'List followers of a tag',
  docPath: '/doc/offiaccount/User_Management/User_Tag_Management.html',
});

export const oaFollowerTagIds = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/tags/getidlist',
  auth: 'access_token',
  request: z.looseObject({ openid: z.string().min(1) }),
  response: z.looseObject({ tagid_list: z.array(z.number()) }),
  titleZh: '获取用户身上的标签列表',
  titleEn: "List a follower's tags",
  docPath: '/doc/offiaccount/User_Management/User_Tag_Management.html',
});

import { z } from 'zod';
import { defineEndpoint } from '../client/endpoint';

/** Since 2021-12-27 nickname, avatar, sex and place are no longer returned; only what remains is declared. */
export const wechatFollowerSchema = z.looseObject({
  subscribe: z.number(),
  openid: z.string(),
  language: z.string().optional(),
  subscribe_time: z.number().optional(),
  unionid: z.string().optional(),
  remark: z.string().optional(),
  groupid: z.number().optional(),
  tagid_list: z.array(z.number()).optional(),
  subscribe_scene: z.string().optional(),
  qr_scene: z.number().optional(),
  qr_scene_str: z.string().optional(),
});

const lang = z.enum(['zh_CN', 'zh_TW', 'en']);

/** Up to 10,000 OpenIDs a page; continue with `next_openid` until `count` is 0. */
export const oaFollowerList = defineEndpoint({
  product: 'official-account',
  method: 'GET',
  path: 'cgi-bin/user/get',
  auth: 'access_token',
  query: z.strictObject({ next_openid: z.string().optional() }),
  response: z.looseObject({
    total: z.number(),
    count: z.number(),
    data: z.looseObject({ openid: z.array(z.string()) }).optional(),
    next_openid: z.string().optional(),
  }),
  titleZh: '获取用户列表',
  titleEn: 'List followers',
  docPath: '/doc/offiaccount/User_Management/Getting_a_User_List.html',
  dailyQuota: 500,
});

export const oaFollowerInfo = defineEndpoint({
  product: 'official-account',
  method: 'GET',
  path: 'cgi-bin/user/info',
  auth: 'access_token',
  query: z.strictObject({ openid: z.string(), lang: lang.optional() }),
  response: wechatFollowerSchema,
  titleZh: '获取用户基本信息',
  titleEn: 'Get follower information',
  docPath: '/doc/offiaccount/User_Management/Get_users_basic_information_UnionID.html',
  dailyQuota: 5_000_000,
});

export const oaFollowerInfoBatch = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/user/info/batchget',
  auth: 'access_token',
  request: z.strictObject({
    user_list: z.array(z.strictObject({ openid: z.string(), lang: lang.optional() })).min(1).max(100),
  }),
  response: z.looseObject({ user_info_list: z.array(wechatFollowerSchema) }),
  titleZh: '批量获取用户基本信息',
  titleEn: 'Get follower information in batch',
  docPath: '/doc/offiaccount/User_Management/Get_users_basic_information_UnionID.html',
});

export const oaTagList = defineEndpoint({
  product: 'official-account',
  method: 'GET',
  path: 'cgi-bin/tags/get',
  auth: 'access_token',
  response: z.looseObject({ tags: z.array(z.looseObject({ id: z.number(), name: z.string(), count: z.number().optional() })) }),
  titleZh: '获取公众号已创建的标签',
  titleEn: 'List follower tags',
  docPath: '/doc/offiaccount/User_Management/User_Tag_Management.html',
});

/** At most 100 tags per account (45056); names unique (45157). */
export const oaTagCreate = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/tags/create',
  auth: 'access_token',
  request: z.strictObject({ tag: z.strictObject({ name: z.string().min(1) }) }),
  response: z.looseObject({ tag: z.looseObject({ id: z.number(), name: z.string() }) }),
  titleZh: '创建标签',
  titleEn: 'Create follower tag',
  docPath: '/doc/offiaccount/User_Management/User_Tag_Management.html',
});

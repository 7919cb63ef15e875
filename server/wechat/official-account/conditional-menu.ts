import { z } from 'zod';
import { defineEndpoint, okResponse } from '../client/endpoint';
import { wechatMenuButtonSchema } from './menu';

/**
 * What a conditional menu matches. Only `tag_id` and `client_platform_type`
 * still work; sex/country/province/city/language are privacy fields WeChat
 * refuses with 65320, declared so that refusal can be answered.
 */
export const wechatMatchRuleSchema = z.looseObject({
  tag_id: z.string().optional(),
  client_platform_type: z.string().optional(),
  sex: z.string().optional(),
  country: z.string().optional(),
  province: z.string().optional(),
  city: z.string().optional(),
  language: z.string().optional(),
});

/** Needs a default menu first (65303); there is no edit, only delete and add again. */
export const oaMenuAddConditional = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/menu/addconditional',
  auth: 'access_token',
  request: z.looseObject({ button: z.array(wechatMenuButtonSchema).min(1).max(3), matchrule: wechatMatchRuleSchema }),
  response: z.looseObject({ menuid: z.union([z.string(), z.number()]) }),
  titleZh: '创建个性化菜单',
  titleEn: 'Create conditional menu',
  docPath: '/doc/offiaccount/Custom_Menus/Personalized_menu_interface.html',
  dailyQuota: 2000,
});

export const oaMenuDelConditional = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/menu/delconditional',
  auth: 'access_token',
  request: z.looseObject({ menuid: z.union([z.string(), z.number()]) }),
  response: okResponse,
  titleZh: '删除个性化菜单',
  titleEn: 'Delete conditional menu',
  docPath: '/doc/offiaccount/Custom_Menus/Personalized_menu_interface.html',
  dailyQuota: 2000,
});

/** The menu a follower (OpenID or WeChat id) would see. */
export const oaMenuTryMatch = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/menu/trymatch',
  auth: 'access_token',
  request: z.looseObject({ user_id: z.string().min(1) }),
  response: z.looseObject({ button: z.array(wechatMenuButtonSchema), menuid: z.union([z.string(), z.number()]).optional() }),
  titleZh: '测试个性化菜单匹配结果',
  titleEn: 'Try conditional menu matching',
  docPath: '/doc/offiaccount/Custom_Menus/Personalized_menu_interface.html',
  dailyQuota: 20_000,
});

import { z } from 'zod';
import { defineEndpoint, okResponse } from '../client/endpoint';

/**
 * A menu button in WeChat's shape. Byte limits and per-type required fields
 * are the menus module's rules; here only the structure is checked.
 */
const buttonFields = {
  type: z.string().optional(),
  name: z.string(),
  key: z.string().optional(),
  url: z.string().optional(),
  media_id: z.string().optional(),
  appid: z.string().optional(),
  pagepath: z.string().optional(),
  article_id: z.string().optional(),
};
export const wechatSubButtonSchema = z.looseObject(buttonFields);
export const wechatMenuButtonSchema = z.looseObject({ ...buttonFields, sub_button: z.array(wechatSubButtonSchema).optional() });

export const oaMenuCreate = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/menu/create',
  auth: 'access_token',
  request: z.looseObject({ button: z.array(wechatMenuButtonSchema).min(1).max(3) }),
  response: okResponse,
  titleZh: '创建自定义菜单',
  titleEn: 'Create custom menu',
  docPath: '/doc/offiaccount/Custom_Menus/Creating_Custom-Defined_Menu.html',
  dailyQuota: 1000,
});

const menuBody = z.looseObject({ button: z.array(wechatMenuButtonSchema), menuid: z.number().optional() });

/** Only menus created through the API; `get_current_selfmenu_info` also sees the web console's. */
export const oaMenuGet = defineEndpoint({
  product: 'official-account',
  method: 'GET',
  path: 'cgi-bin/menu/get',
  auth: 'access_token',
  response: z.looseObject({
    menu: menuBody.optional(),
    conditionalmenu: z.array(menuBody.extend({ matchrule: z.looseObject({}).optional() })).optional(),
  }),
  titleZh: '查询自定义菜单',
  titleEn: 'Get custom menu',
  docPath: '/doc/offiaccount/Custom_Menus/Querying_Custom_Menus.html',
  dailyQuota: 10_000,
});

/** Deletes the default menu and every conditional menu. */
export const oaMenuDelete = defineEndpoint({
  product: 'official-account',
  method: 'GET',
  path: 'cgi-bin/menu/delete',
  auth: 'access_token',
  response: okResponse,
  titleZh: '删除自定义菜单',
  titleEn: 'Delete custom menu',
  docPath: '/doc/offiaccount/Custom_Menus/Deleting_Custom-Defined_Menu.html',
  dailyQuota: 1000,
});

const selfMenuButton = z.looseObject({
  type: z.string().optional(),
  name: z.string(),
  key: z.string().optional(),
  url: z.string().optional(),
  value: z.string().optional(),
  news_info: z.looseObject({ list: z.array(z.looseObject({})) }).optional(),
  sub_button: z.looseObject({ list: z.array(z.looseObject({ type: z.string().optional(), name: z.string() })) }).optional(),
});

export const oaCurrentSelfMenu = defineEndpoint({
  product: 'official-account',
  method: 'GET',
  path: 'cgi-bin/get_current_selfmenu_info',
  auth: 'access_token',
  response: z.looseObject({
    is_menu_open: z.number(),
    selfmenu_info: z.looseObject({ button: z.array(selfMenuButton) }).optional(),
  }),
  titleZh: '查询当前菜单配置',
  titleEn: 'Get current menu configuration',
  docPath: '/doc/offiaccount/Custom_Menus/Getting_Custom_Menu_Configurations.html',
});

import type { ErrorSpec } from './spec';

/**
 * Errors of Official Account custom menus. The rule codes (OA_MENU_*) are
 * also what the console shows on a button before anything is saved; each
 * carries `field` (e.g. `button[1].sub_button[0].name`) in its details.
 */
export const oaMenuErrors = {
  OA_MENU_TOP_COUNT: { status: 400, zh: '一级菜单须为 1–{limit} 个（当前 {actual}）', en: 'A menu needs 1–{limit} top-level buttons (now {actual})' },
  OA_MENU_SUB_COUNT: { status: 400, zh: '每个一级菜单最多 {limit} 个子菜单（当前 {actual}）', en: 'A top-level button holds at most {limit} sub-buttons (now {actual})' },
  OA_MENU_NAME_REQUIRED: { status: 400, zh: '菜单名称不能为空', en: 'The button name must not be empty' },
  OA_MENU_TOP_NAME_TOO_LONG: {
    status: 400,
    zh: '一级菜单名称不能超过 {limit} 字节（当前 {actual}）',
    en: 'A top-level button name must not exceed {limit} bytes (now {actual})',
  },
  OA_MENU_SUB_NAME_TOO_LONG: {
    status: 400,
    zh: '子菜单名称不能超过 {limit} 字节（当前 {actual}）',
    en: 'A sub-button name must not exceed {limit} bytes (now {actual})',
  },
  OA_MENU_TYPE_REQUIRED: {
    status: 400,
    zh: '菜单「{name}」没有子菜单，必须选择菜单类型',
    en: 'Button "{name}" has no sub-buttons, so it needs a type',
  },
  OA_MENU_TYPE_UNKNOWN: { status: 400, zh: '不支持的菜单类型：{type}', en: 'Unknown button type: {type}' },
  OA_MENU_VALUE_REQUIRED: {
    status: 400,
    zh: '菜单「{name}」（{type}）必须填写 {property}',
    en: 'Button "{name}" ({type}) needs {property}',
  },
  OA_MENU_VALUE_TOO_LONG: {
    status: 400,
    zh: '{property} 不能超过 {limit} 字节（当前 {actual}）',
    en: '{property} must not exceed {limit} bytes (now {actual})',
  },
  OA_MENU_URL_INVALID: {
    status: 400,
    zh: '{property} 必须是 http:// 或 https:// 开头的网址',
    en: '{property} must be an http:// or https:// address',
  },
  OA_MENU_LINK_DOMAINS: {
    status: 400,
    zh: '菜单中的链接最多来自 {limit} 个域名（当前 {actual}：{domains}）',
    en: 'Menu links may come from at most {limit} domains (now {actual}: {domains})',
  },
  OA_MENU_MATCHRULE_EMPTY: {
    status: 400,
    zh: '个性化菜单至少需要一个匹配条件（标签或客户端平台）',
    en: 'A conditional menu needs at least one match condition (tag or client platform)',
  },
  OA_MENU_PUBLISH_REFUSED: {
    status: 502,
    zh: '微信拒绝了菜单（错误码 {errcode}：{meaning}），线上仍是上一次成功发布的版本',
    en: 'WeChat refused the menu (errcode {errcode}: {meaning}); the last good published version stays live',
  },
  OA_MENU_PUBLISH_IN_PROGRESS: {
    status: 409,
    zh: '该公众号的菜单正在发布中，请稍后再试',
    en: 'This account’s menu is being published; try again shortly',
  },
  OA_MENU_VERSION_NOT_FOUND: { status: 404, zh: '找不到菜单版本 {version}', en: 'Menu version {version} not found' },
  OA_MENU_NOTHING_PUBLISHED: {
    status: 409,
    zh: '请先发布默认菜单，再创建个性化菜单',
    en: 'Publish a default menu before creating conditional menus',
  },
  OA_MENU_CONDITIONAL_NOT_FOUND: { status: 404, zh: '找不到该个性化菜单', en: 'Conditional menu not found' },
} as const satisfies Record<string, ErrorSpec>;

import { wechatError } from '../core';

/** Button types the menu API accepts and what each needs (facts §4.2). */
const keyTypes = new Set(['click', 'scancode_push', 'scancode_waitmsg', 'pic_sysphoto', 'pic_photo_or_album', 'pic_weixin', 'location_select']);
const mediaTypes = new Set(['media_id', 'view_limited']);
const articleTypes = new Set(['article_id', 'article_view_limited']);
const allTypes = new Set([...keyTypes, ...mediaTypes, ...articleTypes, 'view', 'miniprogram']);

/** Byte limits, counted in UTF-8: a Chinese character is 3 bytes, so a top-level name holds 5. */
export const MENU_LIMITS = {
  topButtons: 3,
  subButtons: 5,
  topNameBytes: 16,
  subNameBytes: 60,
  keyBytes: 128,
  urlBytes: 1024,
  linkDomains: 3,
} as const;

const bytes = (value: string) => Buffer.byteLength(value, 'utf8');

interface LevelCodes {
  type: number;
  name: number;
  key: number;
  url: number;
  domain: number;
}
const topCodes: LevelCodes = { type: 40017, name: 40018, key: 40019, url: 40020, domain: 40055 };
const subCodes: LevelCodes = { type: 40024, name: 40025, key: 40026, url: 40027, domain: 40054 };

type Button = Record<string, unknown>;

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function checkAction(button: Button, codes: LevelCodes, where: string): void {
  const type = str(button.type);
  if (!type || !allTypes.has(type)) throw wechatError(codes.type, `${where}.type`);
  const key = str(button.key);
  const url = str(button.url);
  if (keyTypes.has(type)) {
    if (!key || bytes(key) > MENU_LIMITS.keyBytes) throw wechatError(codes.key, `${where}.key`);
  }
  if (type === 'view' || type === 'miniprogram') {
    if (!url || bytes(url) > MENU_LIMITS.urlBytes) throw wechatError(codes.url, `${where}.url`);
    if (!isHttpUrl(url)) throw wechatError(codes.domain, `${where}.url`);
  }
  if (type === 'miniprogram' && (!str(button.appid) || !str(button.pagepath))) throw wechatError(40097, `${where}.appid/pagepath`);
  if (mediaTypes.has(type) && !str(button.media_id)) throw wechatError(40118, `${where}.media_id`);
  if (articleTypes.has(type) && !str(button.article_id)) throw wechatError(40097, `${where}.article_id`);
}

/**
 * Checks a menu as WeChat does and throws its errcode: 40016 button count,
 * 40017/40024 type, 40018/40025 name bytes, 40019/40026 key bytes,
 * 40020/40027 url bytes, 40023 sub-button count, 40054/40055 url not http(s),
 * 40118 missing media_id.
 */
export function checkMenu(body: unknown): void {
  const buttons = (body as { button?: unknown } | null)?.button;
  if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > MENU_LIMITS.topButtons) throw wechatError(40016);
  buttons.forEach((raw, i) => {
    const button = (raw ?? {}) as Button;
    const where = `button[${i}]`;
    const name = str(button.name);
    if (!name || bytes(name) > MENU_LIMITS.topNameBytes) throw wechatError(40018, `${where}.name`);
    const subs = button.sub_button;
    const subList = Array.isArray(subs) ? subs : Array.isArray((subs as { list?: unknown } | undefined)?.list) ? ((subs as { list: unknown[] }).list) : [];
    if (subList.length === 0) {
      checkAction(button, topCodes, where);
      return;
    }
    if (subList.length > MENU_LIMITS.subButtons) throw wechatError(40023, where);
    subList.forEach((rawSub, j) => {
      const sub = (rawSub ?? {}) as Button;
      const subWhere = `${where}.sub_button[${j}]`;
      const subName = str(sub.name);
      if (!subName || bytes(subName) > MENU_LIMITS.subNameBytes) throw wechatError(40025, `${subWhere}.name`);
      checkAction(sub, subCodes, subWhere);
    });
  });
}

const privacyFields = ['sex', 'country', 'province', 'city', 'language'] as const;

/**
 * A conditional menu's matchrule: 65304 when it matches nothing, 65320 when
 * it uses a privacy field, 40097 for a platform other than 1, 2, 3.
 */
export function checkMatchRule(rule: unknown): { tagId: number | null; platform: string | null } {
  const record = (rule ?? {}) as Record<string, unknown>;
  const filled = (name: string) => record[name] !== undefined && record[name] !== null && String(record[name]) !== '';
  if (privacyFields.some(filled)) throw wechatError(65320);
  if (!filled('tag_id') && !filled('client_platform_type')) throw wechatError(65304);
  const platform = filled('client_platform_type') ? String(record.client_platform_type) : null;
  if (platform !== null && !['1', '2', '3'].includes(platform)) throw wechatError(40097, 'matchrule.client_platform_type');
  const tagId = filled('tag_id') ? Number(record.tag_id) : null;
  if (tagId !== null && !Number.isInteger(tagId)) throw wechatError(40097, 'matchrule.tag_id');
  return { tagId, platform };
}

/** Hosts of every link button in a menu (view and miniprogram fallbacks). */
export function linkDomains(buttons: unknown): Set<string> {
  const hosts = new Set<string>();
  const visit = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const raw of list) {
      const button = (raw ?? {}) as Button;
      const url = str(button.url);
      if (url && isHttpUrl(url)) hosts.add(new URL(url).hostname);
      visit(button.sub_button);
    }
  };
  visit(buttons);
  return hosts;
}

/** Finds the button a follower pressed: by key for key types, by url for links. */
export function findButton(buttons: unknown, pressed: { key?: string; url?: string }): Button | null {
  if (!Array.isArray(buttons)) return null;
  for (const raw of buttons) {
    const button = (raw ?? {}) as Button;
    const subs = Array.isArray(button.sub_button) ? button.sub_button : [];
    if (subs.length > 0) {
      const found = findButton(subs, pressed);
      if (found) return found;
      continue;
    }
    if (pressed.key !== undefined && str(button.key) === pressed.key) return button;
    if (pressed.url !== undefined && str(button.url) === pressed.url) return button;
  }
  return null;
}

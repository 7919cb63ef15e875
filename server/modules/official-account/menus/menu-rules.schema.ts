/**
 * WeChat's custom-menu rules as Qiao checks them before any call (wechat-protocol.md §4.2).
 * Pure and dependency-free so the console runs the very same checks while a
 * menu is edited. Named `.schema.ts` because it is part of the public contract
 * (what Qiao accepts) and the console may import only schemas.
 */

export const MENU_LIMITS = {
  topButtons: 3,
  subButtons: 5,
  /** UTF-8 bytes: 5 Chinese characters are 15 bytes. */
  topNameBytes: 16,
  subNameBytes: 60,
  keyBytes: 128,
  urlBytes: 1024,
  /** All link buttons together (view URLs and mini-program fallbacks); errcode 65316. */
  linkDomains: 3,
} as const;

/** Types whose action is an event with `key`. */
export const KEY_TYPES = ['click', 'scancode_push', 'scancode_waitmsg', 'pic_sysphoto', 'pic_photo_or_album', 'pic_weixin', 'location_select'] as const;
export const MENU_TYPES = [...KEY_TYPES, 'view', 'miniprogram', 'media_id', 'view_limited', 'article_id', 'article_view_limited'] as const;
export type MenuButtonType = (typeof MENU_TYPES)[number];

/** What each type must carry, besides its name. */
export const REQUIRED_FIELDS: Record<MenuButtonType, readonly ('key' | 'url' | 'appid' | 'pagepath' | 'media_id' | 'article_id')[]> = {
  click: ['key'],
  scancode_push: ['key'],
  scancode_waitmsg: ['key'],
  pic_sysphoto: ['key'],
  pic_photo_or_album: ['key'],
  pic_weixin: ['key'],
  location_select: ['key'],
  view: ['url'],
  // The URL is the page shown by clients that cannot open mini programs; WeChat requires it.
  miniprogram: ['appid', 'pagepath', 'url'],
  media_id: ['media_id'],
  view_limited: ['media_id'],
  article_id: ['article_id'],
  article_view_limited: ['article_id'],
};

/** A button in WeChat's own shape, as the contract and WeChat's menu/create use it. */
// A type alias, not an interface: it must fit WeChat declarations' open objects.
export type WeChatMenuButton = {
  name: string;
  type?: string;
  key?: string;
  url?: string;
  appid?: string;
  pagepath?: string;
  media_id?: string;
  article_id?: string;
  sub_button?: WeChatMenuButton[];
};

export interface WeChatMenu {
  button: WeChatMenuButton[];
}

export type MenuIssueCode =
  | 'OA_MENU_TOP_COUNT'
  | 'OA_MENU_SUB_COUNT'
  | 'OA_MENU_NAME_REQUIRED'
  | 'OA_MENU_TOP_NAME_TOO_LONG'
  | 'OA_MENU_SUB_NAME_TOO_LONG'
  | 'OA_MENU_TYPE_REQUIRED'
  | 'OA_MENU_TYPE_UNKNOWN'
  | 'OA_MENU_VALUE_REQUIRED'
  | 'OA_MENU_VALUE_TOO_LONG'
  | 'OA_MENU_URL_INVALID'
  | 'OA_MENU_LINK_DOMAINS';

/** One broken rule: where (`button[1].sub_button[0].name`), which rule, and the numbers for the message. */
export interface MenuIssue {
  field: string;
  code: MenuIssueCode;
  params: Record<string, string | number>;
}

const encoder = new TextEncoder();

/** Length as WeChat counts it: UTF-8 bytes. */
export function utf8Bytes(value: string): number {
  return encoder.encode(value).length;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export function isMenuButtonType(value: string | undefined): value is MenuButtonType {
  return value !== undefined && (MENU_TYPES as readonly string[]).includes(value);
}

/** Sub-buttons that count: a parent with an empty list is a leaf. */
export function subButtonsOf(button: WeChatMenuButton): WeChatMenuButton[] {
  return button.sub_button ?? [];
}

function checkAction(button: WeChatMenuButton, where: string, issues: MenuIssue[]): void {
  const type = button.type;
  if (!type) {
    issues.push({ field: `${where}.type`, code: 'OA_MENU_TYPE_REQUIRED', params: { name: button.name } });
    return;
  }
  if (!isMenuButtonType(type)) {
    issues.push({ field: `${where}.type`, code: 'OA_MENU_TYPE_UNKNOWN', params: { type } });
    return;
  }
  for (const property of REQUIRED_FIELDS[type]) {
    const value = button[property];
    if (value === undefined || value.trim() === '') {
      issues.push({ field: `${where}.${property}`, code: 'OA_MENU_VALUE_REQUIRED', params: { name: button.name, type, property } });
      continue;
    }
    if (property === 'key' && utf8Bytes(value) > MENU_LIMITS.keyBytes) {
      issues.push({ field: `${where}.key`, code: 'OA_MENU_VALUE_TOO_LONG', params: { property, limit: MENU_LIMITS.keyBytes, actual: utf8Bytes(value) } });
    }
    if (property === 'url') {
      if (utf8Bytes(value) > MENU_LIMITS.urlBytes) {
        issues.push({ field: `${where}.url`, code: 'OA_MENU_VALUE_TOO_LONG', params: { property, limit: MENU_LIMITS.urlBytes, actual: utf8Bytes(value) } });
      } else if (!isHttpUrl(value)) {
        issues.push({ field: `${where}.url`, code: 'OA_MENU_URL_INVALID', params: { property } });
      }
    }
  }
}

/** Hosts of every link in a menu (view buttons and mini-program fallbacks). */
export function menuLinkDomains(buttons: readonly WeChatMenuButton[]): string[] {
  const hosts = new Set<string>();
  const visit = (list: readonly WeChatMenuButton[]) => {
    for (const button of list) {
      if (button.url && isHttpUrl(button.url) && (button.type === 'view' || button.type === 'miniprogram')) hosts.add(new URL(button.url).hostname);
      visit(subButtonsOf(button));
    }
  };
  visit(buttons);
  return [...hosts].sort();
}

/**
 * Every rule the menu breaks, in reading order; empty when WeChat would accept it.
 * Names are counted in bytes (top 16, sub 60), keys 128 bytes, URLs 1024 bytes.
 */
export function checkMenu(menu: WeChatMenu): MenuIssue[] {
  const issues: MenuIssue[] = [];
  const buttons = menu.button;
  if (buttons.length < 1 || buttons.length > MENU_LIMITS.topButtons) {
    issues.push({ field: 'button', code: 'OA_MENU_TOP_COUNT', params: { limit: MENU_LIMITS.topButtons, actual: buttons.length } });
  }
  buttons.forEach((button, i) => {
    const where = `button[${i}]`;
    checkName(button.name, `${where}.name`, MENU_LIMITS.topNameBytes, 'OA_MENU_TOP_NAME_TOO_LONG', issues);
    const subs = subButtonsOf(button);
    if (subs.length === 0) {
      checkAction(button, where, issues);
      return;
    }
    if (subs.length > MENU_LIMITS.subButtons) {
      issues.push({ field: `${where}.sub_button`, code: 'OA_MENU_SUB_COUNT', params: { limit: MENU_LIMITS.subButtons, actual: subs.length } });
    }
    subs.forEach((sub, j) => {
      const subWhere = `${where}.sub_button[${j}]`;
      checkName(sub.name, `${subWhere}.name`, MENU_LIMITS.subNameBytes, 'OA_MENU_SUB_NAME_TOO_LONG', issues);
      checkAction(sub, subWhere, issues);
    });
  });
  const domains = menuLinkDomains(buttons);
  if (domains.length > MENU_LIMITS.linkDomains) {
    issues.push({ field: 'button', code: 'OA_MENU_LINK_DOMAINS', params: { limit: MENU_LIMITS.linkDomains, actual: domains.length, domains: domains.join(', ') } });
  }
  return issues;
}

function checkName(name: string, field: string, limit: number, code: MenuIssueCode, issues: MenuIssue[]): void {
  if (name.trim() === '') {
    issues.push({ field, code: 'OA_MENU_NAME_REQUIRED', params: {} });
    return;
  }
  const actual = utf8Bytes(name);
  if (actual > limit) issues.push({ field, code, params: { limit, actual } });
}

/** Does the menu hold a mini-program button anywhere (which only verified accounts may publish)? */
export function miniProgramButtons(menu: WeChatMenu): string[] {
  const found: string[] = [];
  menu.button.forEach((button, i) => {
    if (button.type === 'miniprogram' && subButtonsOf(button).length === 0) found.push(`button[${i}]`);
    subButtonsOf(button).forEach((sub, j) => {
      if (sub.type === 'miniprogram') found.push(`button[${i}].sub_button[${j}]`);
    });
  });
  return found;
}

const actionFields = ['type', 'key', 'url', 'appid', 'pagepath', 'media_id', 'article_id'] as const;

/**
 * The menu as WeChat stores it: a parent keeps only its name and sub-buttons
 * (WeChat ignores a parent's action), a leaf only the fields its type uses,
 * no empty strings. Two menus that normalise equal are the same menu.
 */
export function normalizeMenu(menu: WeChatMenu): WeChatMenu {
  const leaf = (button: WeChatMenuButton): WeChatMenuButton => {
    const type = button.type;
    const out: WeChatMenuButton = { name: button.name };
    if (type) out.type = type;
    const wanted = isMenuButtonType(type) ? REQUIRED_FIELDS[type] : actionFields.filter((f) => f !== 'type');
    for (const field of wanted) {
      const value = button[field];
      if (value !== undefined && value !== '') out[field] = value;
    }
    return out;
  };
  return {
    button: menu.button.map((button) => {
      const subs = subButtonsOf(button);
      return subs.length > 0 ? { name: button.name, sub_button: subs.map(leaf) } : leaf(button);
    }),
  };
}

export function sameMenu(a: WeChatMenu, b: WeChatMenu): boolean {
  return JSON.stringify(normalizeMenu(a)) === JSON.stringify(normalizeMenu(b));
}

/** One button-level difference between two menus. */
export interface MenuChange {
  /** Where, by position: `button[0]` or `button[0].sub_button[2]`. */
  path: string;
  name: string;
  kind: 'added' | 'removed' | 'changed';
  /** For `changed`: each field with its value before and after. */
  fields: { field: string; before: string | null; after: string | null }[];
}

/** Button-level diff by position: what was added, removed, or which fields changed. */
export function diffMenus(before: WeChatMenu, after: WeChatMenu): MenuChange[] {
  const a = normalizeMenu(before).button;
  const b = normalizeMenu(after).button;
  const changes: MenuChange[] = [];
  const compare = (path: string, x: WeChatMenuButton | undefined, y: WeChatMenuButton | undefined) => {
    if (!x && y) changes.push({ path, name: y.name, kind: 'added', fields: [] });
    else if (x && !y) changes.push({ path, name: x.name, kind: 'removed', fields: [] });
    else if (x && y) {
      const fields: MenuChange['fields'] = [];
      for (const field of ['name', ...actionFields] as const) {
        const before = x[field] ?? null;
        const after = y[field] ?? null;
        if (before !== after) fields.push({ field, before, after });
      }
      if (fields.length > 0) changes.push({ path, name: y.name, kind: 'changed', fields });
    }
  };
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    compare(`button[${i}]`, x, y);
    const xs = x ? subButtonsOf(x) : [];
    const ys = y ? subButtonsOf(y) : [];
    for (let j = 0; j < Math.max(xs.length, ys.length); j++) compare(`button[${i}].sub_button[${j}]`, xs[j], ys[j]);
  }
  return changes;
}

import type { Locale } from '../../../../common/errors';
import { describeErrcode, isWeChatApiError } from '../../../wechat/client';

/**
 * Plain words for the errcodes of WeChat's menu APIs (wechat-protocol.md §4.2,
 * §4.13); the client's own table covers the general ones (quota, busy, token).
 */
const menuErrcodes: Record<number, { zh: string; en: string }> = {
  40016: { zh: '一级菜单个数不合法', en: 'invalid number of top-level buttons' },
  40017: { zh: '菜单类型不合法', en: 'invalid button type' },
  40018: { zh: '菜单名称长度不合法', en: 'invalid button name length' },
  40019: { zh: '菜单 key 长度不合法', en: 'invalid button key length' },
  40020: { zh: '菜单链接长度不合法', en: 'invalid button URL length' },
  40023: { zh: '子菜单个数不合法', en: 'invalid number of sub-buttons' },
  40024: { zh: '子菜单类型不合法', en: 'invalid sub-button type' },
  40025: { zh: '子菜单名称长度不合法', en: 'invalid sub-button name length' },
  40026: { zh: '子菜单 key 长度不合法', en: 'invalid sub-button key length' },
  40027: { zh: '子菜单链接长度不合法', en: 'invalid sub-button URL length' },
  40054: { zh: '子菜单链接的域名不合法', en: 'invalid sub-button URL domain' },
  40055: { zh: '菜单链接的域名不合法', en: 'invalid button URL domain' },
  40118: { zh: 'media_id 大小不合法', en: 'invalid media_id size' },
  40119: { zh: '菜单类型错误', en: 'wrong button type' },
  40120: { zh: '子菜单类型错误', en: 'wrong sub-button type' },
  40121: { zh: 'media_id 对应的素材类型不合法', en: 'the media_id points to the wrong material type' },
  45010: { zh: '菜单个数超过限制', en: 'too many menus' },
  46003: { zh: '公众号还没有菜单', en: 'the account has no menu' },
  65301: { zh: '不存在此个性化菜单', en: 'no such conditional menu' },
  65302: { zh: '没有相应的用户', en: 'no such user' },
  65303: { zh: '没有默认菜单，不能创建个性化菜单', en: 'no default menu, so no conditional menu can be created' },
  65304: { zh: '匹配规则为空', en: 'the match rule is empty' },
  65305: { zh: '个性化菜单数量受限', en: 'conditional menu limit reached' },
  65307: { zh: '个性化菜单信息为空', en: 'the conditional menu is empty' },
  65316: { zh: '菜单链接的域名超过 3 个', en: 'menu links span more than 3 domains' },
  65317: { zh: '菜单链接不合法', en: 'invalid menu URL' },
  65318: { zh: '菜单内容必须是 UTF-8 编码', en: 'the menu must be UTF-8' },
  65319: { zh: '该公众号不允许创建菜单', en: 'this account may not create menus' },
  65320: { zh: '匹配规则使用了已停用的隐私字段（性别、地区、语言）', en: 'the match rule uses retired privacy fields (sex, region, language)' },
};

/** What a failed call means, in both console languages; null errcode for failures without one (network). */
export function explainFailure(error: unknown): { errcode: number | null; errmsg: string | null; meaning: Record<Locale, string> } {
  if (isWeChatApiError(error)) {
    const own = menuErrcodes[error.errcode];
    return {
      errcode: error.errcode,
      errmsg: error.errmsg,
      meaning: own ? { 'zh-CN': own.zh, 'en-US': own.en } : { 'zh-CN': error.reason('zh-CN'), 'en-US': error.reason('en-US') },
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { errcode: null, errmsg: message.slice(0, 500), meaning: { 'zh-CN': `调用微信失败：${message}`, 'en-US': `calling WeChat failed: ${message}` } };
}

/** Meaning of a stored failure: the errcode's words, or the stored message. */
export function meaningOf(errcode: number | null, errmsg: string | null): Record<Locale, string> {
  const own = errcode === null ? undefined : menuErrcodes[errcode];
  if (own) return { 'zh-CN': own.zh, 'en-US': own.en };
  const general = errcode === null ? null : describeErrcode('official-account', errcode);
  if (general) return { 'zh-CN': general.zh, 'en-US': general.en };
  if (errcode === null && errmsg === 'interrupted') {
    return { 'zh-CN': '发布过程中断，已按微信线上菜单核对', 'en-US': 'the publish was interrupted and has been checked against WeChat’s live menu' };
  }
  return { 'zh-CN': errmsg ?? '未知错误', 'en-US': errmsg ?? 'unknown error' };
}

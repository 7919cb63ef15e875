/** Pure rules of the customers module: masking, days, follow changes, remark checks. */

import { customerRemarkLimits } from '../../../wechat/wecom/customer-remarks';

/** 13812341234 → 138****1234; shorter numbers keep only their last two digits. */
export function maskMobile(mobile: string): string {
  const digits = mobile.trim();
  if (digits.length >= 11) return `${digits.slice(0, digits.length - 8)}****${digits.slice(-4)}`;
  if (digits.length > 4) return `${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`;
  return '*'.repeat(digits.length);
}

const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The day an export counts against: the calendar day in China (UTC+8), whatever the server's zone. */
export function chinaDayBounds(now: Date): { start: Date; end: Date } {
  const shifted = now.getTime() + CHINA_OFFSET_MS;
  const startShifted = shifted - (shifted % 86_400_000);
  const start = new Date(startShifted - CHINA_OFFSET_MS);
  return { start, end: new Date(start.getTime() + 86_400_000) };
}

/** What a member wrote about a customer, as far as the timeline compares it. */
export interface FollowValues {
  remark: string;
  description: string;
  remarkCorpName: string;
  remarkMobiles: string[];
  tagIds: string[];
}

export interface FollowChange {
  /** Fields of remark/description/company/phones that changed. */
  fields: (keyof Omit<FollowValues, 'tagIds'>)[];
  addedTags: string[];
  removedTags: string[];
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/** How a follow changed between what Qiao held and what WeCom now says; null when nothing did. */
export function followChange(before: FollowValues, after: FollowValues): FollowChange | null {
  const fields: FollowChange['fields'] = [];
  if (before.remark !== after.remark) fields.push('remark');
  if (before.description !== after.description) fields.push('description');
  if (before.remarkCorpName !== after.remarkCorpName) fields.push('remarkCorpName');
  if (!sameList([...before.remarkMobiles].sort(), [...after.remarkMobiles].sort())) fields.push('remarkMobiles');
  const addedTags = after.tagIds.filter((id) => !before.tagIds.includes(id));
  const removedTags = before.tagIds.filter((id) => !after.tagIds.includes(id));
  if (fields.length === 0 && addedTags.length === 0 && removedTags.length === 0) return null;
  return { fields, addedTags, removedTags };
}

/** WeCom's add_way codes, for the source column of lists and exports. */
export const addWays: Record<number, { zh: string; en: string }> = {
  0: { zh: '未知来源', en: 'Unknown' },
  1: { zh: '扫描二维码', en: 'QR code' },
  2: { zh: '搜索手机号', en: 'Phone number search' },
  3: { zh: '名片分享', en: 'Shared card' },
  4: { zh: '群聊', en: 'Group chat' },
  5: { zh: '手机通讯录', en: 'Phone contacts' },
  6: { zh: '微信联系人', en: 'WeChat contacts' },
  8: { zh: '安装第三方应用时自动添加的客服人员', en: 'Added with a third-party app' },
  9: { zh: '搜索邮箱', en: 'Email search' },
  10: { zh: '视频号添加', en: 'WeChat Channels' },
  11: { zh: '通过日程参与人添加', en: 'Schedule attendee' },
  12: { zh: '通过会议参与人添加', en: 'Meeting attendee' },
  13: { zh: '添加微信好友对应的企业微信', en: 'WeChat friend’s WeCom' },
  14: { zh: '通过智慧硬件专属客服添加', en: 'Smart hardware service' },
  15: { zh: '通过上门服务客服添加', en: 'On-site service' },
  16: { zh: '通过获客链接添加', en: 'Customer acquisition link' },
  17: { zh: '通过定制开发添加', en: 'Custom development' },
  18: { zh: '通过需求回复添加', en: 'Demand reply' },
  21: { zh: '通过第三方售前客服添加', en: 'Third-party presales service' },
  22: { zh: '通过可能的商务伙伴添加', en: 'Possible business partner' },
  24: { zh: '通过接受微信账号收到的好友申请添加', en: 'Accepted a WeChat friend request' },
  201: { zh: '内部成员共享', en: 'Shared by a member' },
  202: { zh: '管理员/负责人分配', en: 'Assigned by an admin' },
};

export function addWayLabel(addWay: number, locale: 'zh-CN' | 'en-US'): string {
  const label = addWays[addWay];
  if (!label) return String(addWay);
  return locale === 'en-US' ? label.en : label.zh;
}

const MOBILE = /^[0-9+-]{1,32}$/;

export type RemarkProblem =
  | { code: 'WECOM_CUSTOMER_REMARK_TOO_LONG'; details: { field: string; max: number; actual: number } }
  | { code: 'WECOM_CUSTOMER_MOBILE_INVALID'; details: { mobile: string } };

/** Checks a remark edit against WeCom's limits before anything is sent (externalcontact/remark). */
export function checkRemark(input: { remark?: string | undefined; description?: string | undefined; remarkMobiles?: string[] | undefined }): RemarkProblem | null {
  const length = (field: string, value: string | undefined, max: number): RemarkProblem | null => {
    const actual = value === undefined ? 0 : [...value].length;
    return actual > max ? { code: 'WECOM_CUSTOMER_REMARK_TOO_LONG', details: { field, max, actual } } : null;
  };
  const tooLong = length('remark', input.remark, customerRemarkLimits.remarkChars) ?? length('description', input.description, customerRemarkLimits.descriptionChars);
  if (tooLong) return tooLong;
  const mobiles = input.remarkMobiles ?? [];
  const bad = mobiles.find((m) => !MOBILE.test(m));
  return bad === undefined ? null : { code: 'WECOM_CUSTOMER_MOBILE_INVALID', details: { mobile: bad } };
}

import { renderErrorMessage, type ErrorCode, type Locale } from '../../../../common/errors';
import { describeErrcode } from '../../../wechat/client';

// WeCom's directory errcodes in plain words (facts §5.2, §5.3, §5.12).
const directoryErrcodes: Record<number, { zh: string; en: string }> = {
  60001: { zh: '部门名称长度不合法（1–64 个字符）', en: 'Department name length is invalid (1–64 characters)' },
  60003: { zh: '企业微信中没有这个部门', en: 'WeCom has no such department' },
  60004: { zh: '上级部门在企业微信中不存在', en: 'The parent department does not exist in WeCom' },
  60005: { zh: '部门下还有成员，不能删除', en: 'The department still has members and cannot be deleted' },
  60006: { zh: '部门下还有子部门，不能删除', en: 'The department still has sub-departments and cannot be deleted' },
  60007: { zh: '不能删除根部门', en: 'The root department cannot be deleted' },
  60008: { zh: '同级已有同名部门，或部门 ID 已被占用', en: 'A sibling has this name, or the department id is taken' },
  60009: { zh: '部门名称含有非法字符', en: 'The department name contains illegal characters' },
  60010: { zh: '不能把部门移到它自己的下级部门中', en: 'A department cannot move below itself' },
  60102: { zh: 'UserID 已存在（不区分大小写）', en: 'The UserID already exists (ignoring case)' },
  60103: { zh: '手机号码不合法', en: 'The mobile number is invalid' },
  60104: { zh: '手机号码已被其他成员使用', en: 'Another member already uses this mobile number' },
  60105: { zh: '邮箱不合法', en: 'The email address is invalid' },
  60106: { zh: '邮箱已被其他成员使用', en: 'Another member already uses this email address' },
  60111: { zh: '企业微信中没有这个成员', en: 'WeCom has no such member' },
  60112: { zh: '成员姓名不合法', en: 'The member name is invalid' },
  60123: { zh: '部门 ID 不合法或不存在', en: 'The department id is invalid or unknown' },
  60124: { zh: '上级部门 ID 不合法', en: 'The parent department id is invalid' },
  60125: { zh: '部门名称不合法', en: 'The department name is invalid' },
  60129: { zh: '手机和邮箱不能同时为空', en: 'Mobile and email cannot both be empty' },
  81001: { zh: '部门下的节点（子部门与成员）超过 30000 个', en: 'More than 30,000 nodes (sub-departments and members) under one department' },
  81002: { zh: '部门层级超过 15 层', en: 'Departments deeper than 15 levels' },
  301005: { zh: '不能删除企业创建者', en: 'The corp creator cannot be deleted' },
};

/** A failure of one item as stored: WeChat's errcode, or Qiao's own code with its details. */
export interface ItemFailure {
  errcode: number | null;
  errmsg?: string;
  code?: ErrorCode;
  details?: Record<string, unknown>;
}

/** The stored failure in the reader's language, in plain words. */
export function describeFailure(failure: ItemFailure, locale: Locale): string {
  if (failure.errcode !== null) {
    const known = directoryErrcodes[failure.errcode] ?? describeErrcode('wecom', failure.errcode);
    const words = known ? (locale === 'en-US' ? known.en : known.zh) : failure.errmsg || String(failure.errcode);
    return locale === 'en-US' ? `WeCom refused (errcode ${failure.errcode}): ${words}` : `企业微信拒绝（错误码 ${failure.errcode}）：${words}`;
  }
  if (failure.code) return renderErrorMessage(failure.code, locale, failure.details ?? {});
  return failure.errmsg ?? '';
}

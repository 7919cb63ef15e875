import { AppError } from '../../../../common/errors';
import { describeErrcode, isWeChatApiError } from '../../../wechat/client';
import { TAG_LIMITS } from './tags.schema';

/** Tag errcodes in plain words (facts §4.4, §4.13); the client's table covers the general ones. */
const tagErrcodes: Record<number, string> = {
  40032: '一次提交的 OpenID 数量不对（每次 1–50 个）',
  45056: `标签数量已达上限（每个公众号最多 ${TAG_LIMITS.perAccount} 个）`,
  45057: `该标签下粉丝超过 ${TAG_LIMITS.deletableFollowers} 人，不能直接删除`,
  45058: '系统标签（编号 0、1、2）不能修改',
  45059: `该粉丝的标签已达上限（每人最多 ${TAG_LIMITS.perFollower} 个）`,
  45157: '标签名已存在',
  45158: `标签名过长（最多 ${TAG_LIMITS.nameChars} 个字符）`,
  45159: '标签不存在（可能已在微信后台删除）',
};

/** An errcode as an operator reads it: 「45059 该粉丝的标签已达上限…」. */
export function errcodeInWords(errcode: number, errmsg?: string): string {
  const words = tagErrcodes[errcode] ?? describeErrcode('official-account', errcode)?.zh ?? `未知错误（${errmsg ?? 'no errmsg'}）`;
  return `${errcode} ${words}`;
}

/** Busy (-1), quota (45009) and frequency (45011) answers pass with time: worth retrying. */
export function isTransient(error: unknown): boolean {
  return isWeChatApiError(error) && (error.errcode === -1 || error.errcode === 45009 || error.errcode === 45011);
}

/** Turns WeChat's refusal of a tag call into Qiao's error with the field named; details keep errcode/errmsg. */
export function tagRefusal(error: unknown, context: { name?: string; tagId?: number }): unknown {
  if (!isWeChatApiError(error)) return error;
  const wechat = { errcode: error.errcode, errmsg: error.errmsg };
  switch (error.errcode) {
    case 45157:
      return new AppError('TAG_NAME_TAKEN', { name: context.name ?? '', ...wechat });
    case 45056:
      return new AppError('TAG_LIMIT_REACHED', { max: TAG_LIMITS.perAccount, ...wechat });
    case 45058:
      return new AppError('TAG_PROTECTED', { tagId: context.tagId ?? '', ...wechat });
    case 45057:
      return new AppError('TAG_TOO_MANY_FOLLOWERS', { name: context.name ?? '', max: TAG_LIMITS.deletableFollowers, ...wechat });
    case 45158:
      return new AppError('TAG_NAME_TOO_LONG', { max: TAG_LIMITS.nameChars, actual: [...(context.name ?? '')].length, ...wechat });
    case 45159:
      return new AppError('TAG_NOT_FOUND', { tagId: context.tagId ?? '', ...wechat });
    default:
      return error;
  }
}

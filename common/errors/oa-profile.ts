import type { ErrorSpec } from './spec';

/** Errors of Official Account profile and certification. */
export const oaProfileErrors = {
  OA_PROFILE_NOT_OFFICIAL_ACCOUNT: {
    status: 400,
    zh: '账号「{name}」不是公众号，不能设置公众号资料或菜单',
    en: 'Account "{name}" is not an Official Account; it has no Official Account profile or menu',
  },
  OA_PROFILE_INTRODUCTION_LENGTH: {
    status: 400,
    zh: '功能介绍须为 {min}–{max} 个字（当前 {actual}）',
    en: 'The introduction must be {min}–{max} characters (now {actual})',
  },
  OA_PROFILE_AVATAR_TOO_LARGE: {
    status: 400,
    zh: '头像图片不能超过 {limitKb} KB（当前 {actualKb} KB）',
    en: 'The avatar image must not exceed {limitKb} KB (now {actualKb} KB)',
  },
  OA_PROFILE_AVATAR_TYPE: {
    status: 400,
    zh: '头像只支持 {allowed} 图片，上传的内容不是这些格式',
    en: 'The avatar must be a {allowed} image; the upload is none of these',
  },
  OA_PROFILE_AVATAR_NOT_FOUND: { status: 404, zh: '该公众号还没有上传头像', en: 'This Official Account has no avatar yet' },
  OA_CERTIFICATION_DATE_ORDER: {
    status: 400,
    zh: '认证日期有误：{later}（{laterValue}）不能早于 {earlier}（{earlierValue}）',
    en: 'Certification dates are inconsistent: {later} ({laterValue}) cannot be before {earlier} ({earlierValue})',
  },
  OA_CERTIFICATION_FIELD_REQUIRED: {
    status: 400,
    zh: '认证状态为「{status}」时必须填写 {field}',
    en: 'A certification in state "{status}" needs {field}',
  },
  OA_FEATURE_NEEDS_VERIFICATION: {
    status: 403,
    zh: '该功能（{feature}）需要公众号完成微信认证，当前账号未认证',
    en: 'This feature ({feature}) needs a verified Official Account (WeChat verification); this account is not verified',
  },
  OA_FEATURE_CERTIFICATION_EXPIRED: {
    status: 403,
    zh: '该功能（{feature}）需要有效的微信认证，认证已于 {expiredAt} 过期，请完成年审',
    en: 'This feature ({feature}) needs a valid WeChat verification; it expired on {expiredAt} — complete the yearly review',
  },
  OA_FEATURE_NEEDS_SERVICE_ACCOUNT: {
    status: 403,
    zh: '该功能（{feature}）仅服务号可用，当前账号是订阅号',
    en: 'This feature ({feature}) is for service accounts only; this account is a subscription account',
  },
} as const satisfies Record<string, ErrorSpec>;

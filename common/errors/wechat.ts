import type { ErrorSpec } from './spec';

/**
 * Errors of WeChat callbacks and message crypto. `details.reason` names the
 * exact check that failed and `details.libraryCode` the matching code of
 * WeChat's own WXBizMsgCrypt samples (-40001…-40011), so a log line can be
 * compared with WeChat's documentation.
 */
export const wechatErrors = {
  WECHAT_SIGNATURE_INVALID: {
    status: 401,
    zh: '微信回调签名校验失败，请核对回调 Token 配置',
    en: 'The WeChat callback signature is missing or wrong; check the callback token',
  },
  WECHAT_CALLBACK_STALE: {
    status: 400,
    zh: '微信回调的时间戳已过期（超过 {maxAgeS} 秒），已拒绝',
    en: 'The WeChat callback timestamp is older than {maxAgeS} s and was refused',
  },
  WECHAT_CALLBACK_TOO_LARGE: {
    status: 413,
    zh: '微信回调消息体过大（上限 {limitBytes} 字节）',
    en: 'The WeChat callback body is too large (limit {limitBytes} bytes)',
  },
  WECHAT_CALLBACK_MALFORMED: {
    status: 400,
    zh: '微信回调消息格式有误或无法解密（{reason}）',
    en: 'The WeChat callback body is malformed or cannot be decrypted ({reason})',
  },
  WECHAT_RECEIVER_MISMATCH: {
    status: 400,
    zh: '消息接收方与本账号的 AppID/CorpID 不一致',
    en: 'The message was addressed to another AppID/CorpID',
  },
  WECHAT_AES_KEY_INVALID: {
    status: 400,
    zh: 'EncodingAESKey 无效：应为 43 位字母或数字',
    en: 'The EncodingAESKey is invalid: it must be 43 letters or digits',
  },
  WECHAT_MESSAGE_BUILD_FAILED: {
    status: 500,
    zh: '无法生成发给微信的消息（{reason}）',
    en: 'Could not build the message for WeChat ({reason})',
  },
  WECHAT_REPLY_INVALID: {
    status: 400,
    zh: '被动回复内容不符合微信的要求，请检查标出的字段',
    en: 'The passive reply does not meet WeChat rules; see details',
  },
} as const satisfies Record<string, ErrorSpec>;

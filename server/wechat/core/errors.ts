import { AppError, type ErrorCode } from '../../../common/errors';

/** Why a WeChat callback, envelope or message could not be trusted or built. */
export type WeChatCryptoReason =
  | 'signature_missing'
  | 'signature_mismatch'
  | 'stale_timestamp'
  | 'too_large'
  | 'bad_xml'
  | 'bad_json'
  | 'bad_message'
  | 'bad_key'
  | 'receiver_mismatch'
  | 'encrypt_failed'
  | 'bad_padding'
  | 'bad_length'
  | 'bad_plaintext'
  | 'bad_base64'
  | 'xml_build';

// WeChat's WXBizMsgCrypt sample codes; a stale timestamp counts as a failed
// verification and a size or shape problem as an XML parse failure.
const libraryCodes: Record<WeChatCryptoReason, number> = {
  signature_missing: -40001,
  signature_mismatch: -40001,
  stale_timestamp: -40001,
  too_large: -40002,
  bad_xml: -40002,
  bad_json: -40002,
  bad_message: -40002,
  bad_key: -40004,
  receiver_mismatch: -40005,
  encrypt_failed: -40006,
  bad_padding: -40007,
  bad_plaintext: -40007,
  bad_length: -40008,
  bad_base64: -40010,
  xml_build: -40011,
};

const appCodes: Record<WeChatCryptoReason, ErrorCode> = {
  signature_missing: 'WECHAT_SIGNATURE_INVALID',
  signature_mismatch: 'WECHAT_SIGNATURE_INVALID',
  stale_timestamp: 'WECHAT_CALLBACK_STALE',
  too_large: 'WECHAT_CALLBACK_TOO_LARGE',
  bad_xml: 'WECHAT_CALLBACK_MALFORMED',
  bad_json: 'WECHAT_CALLBACK_MALFORMED',
  bad_message: 'WECHAT_CALLBACK_MALFORMED',
  bad_key: 'WECHAT_AES_KEY_INVALID',
  receiver_mismatch: 'WECHAT_RECEIVER_MISMATCH',
  encrypt_failed: 'WECHAT_MESSAGE_BUILD_FAILED',
  bad_padding: 'WECHAT_CALLBACK_MALFORMED',
  bad_plaintext: 'WECHAT_CALLBACK_MALFORMED',
  bad_length: 'WECHAT_CALLBACK_MALFORMED',
  bad_base64: 'WECHAT_CALLBACK_MALFORMED',
  xml_build: 'WECHAT_MESSAGE_BUILD_FAILED',
};

/**
 * The one error the WeChat core throws for untrusted or unusable input. It is an
 * AppError, so the HTTP layer answers 401/400/413 without special handling;
 * `reason` is for code, `libraryCode` the WXBizMsgCrypt code for logs.
 * Details never contain message content or keys.
 */
export class WeChatCryptoError extends AppError {
  readonly reason: WeChatCryptoReason;
  readonly libraryCode: number;

  constructor(reason: WeChatCryptoReason, details: Record<string, unknown> = {}) {
    const libraryCode = libraryCodes[reason];
    super(appCodes[reason], { reason, libraryCode, ...details });
    this.name = 'WeChatCryptoError';
    this.reason = reason;
    this.libraryCode = libraryCode;
  }
}

/** True for errors thrown by the WeChat core on untrusted input. */
export function isWeChatCryptoError(value: unknown): value is WeChatCryptoError {
  return value instanceof WeChatCryptoError;
}

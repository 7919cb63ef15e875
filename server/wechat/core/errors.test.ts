import { describe, expect, it } from 'vitest';
import { errorRegistry, isAppError } from '../../../common/errors';
import { WeChatCryptoError, isWeChatCryptoError, type WeChatCryptoReason } from './errors';

describe('WeChatCryptoError', () => {
  it.each<[WeChatCryptoReason, string, number, number]>([
    ['signature_mismatch', 'WECHAT_SIGNATURE_INVALID', 401, -40001],
    ['signature_missing', 'WECHAT_SIGNATURE_INVALID', 401, -40001],
    ['stale_timestamp', 'WECHAT_CALLBACK_STALE', 400, -40001],
    ['bad_xml', 'WECHAT_CALLBACK_MALFORMED', 400, -40002],
    ['too_large', 'WECHAT_CALLBACK_TOO_LARGE', 413, -40002],
    ['bad_key', 'WECHAT_AES_KEY_INVALID', 400, -40004],
    ['receiver_mismatch', 'WECHAT_RECEIVER_MISMATCH', 400, -40005],
    ['encrypt_failed', 'WECHAT_MESSAGE_BUILD_FAILED', 500, -40006],
    ['bad_padding', 'WECHAT_CALLBACK_MALFORMED', 400, -40007],
    ['bad_length', 'WECHAT_CALLBACK_MALFORMED', 400, -40008],
    ['bad_base64', 'WECHAT_CALLBACK_MALFORMED', 400, -40010],
    ['xml_build', 'WECHAT_MESSAGE_BUILD_FAILED', 500, -40011],
  ])('maps %s to %s (HTTP %i) and WXBizMsgCrypt code %i', (reason, code, status, libraryCode) => {
    const error = new WeChatCryptoError(reason, { parameter: 'x' });
    expect(isAppError(error) && isWeChatCryptoError(error)).toBe(true);
    expect(error.code).toBe(code);
    expect(errorRegistry[error.code].status).toBe(status);
    expect(error.libraryCode).toBe(libraryCode);
    expect(error.details).toEqual({ reason, libraryCode, parameter: 'x' });
  });
});

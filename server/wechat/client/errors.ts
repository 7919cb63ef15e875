import { AppError, type ErrorCode, type Locale } from '../../../common/errors';
import type { WeChatEndpoint, WeChatProduct } from './endpoint';
import { describeErrcode, ipFromErrmsg, ipWhitelistHint, type ErrcodeKind } from './errcodes';

/**
 * WeChat answered a non-zero errcode. The code says what kind of failure it
 * is (credentials, IP whitelist, quota, ...); `details` keep errcode and errmsg
 * (as the contract requires), Qiao's explanation in both console languages
 * and, where the fix is known, a hint (e.g. which IP to whitelist, and where).
 */
export class WeChatApiError extends AppError {
  readonly errcode: number;
  readonly errmsg: string;
  readonly endpoint: string;
  readonly product: WeChatProduct;
  readonly kind: ErrcodeKind | null;
  readonly ip: string | null;
  private readonly texts: { reason: { zh: string; en: string }; hint: { zh: string; en: string } | null };

  constructor(input: { endpoint: Pick<WeChatEndpoint, 'product' | 'path' | 'titleZh' | 'auth'>; errcode: number; errmsg: string }) {
    const { endpoint, errcode, errmsg } = input;
    const info = describeErrcode(endpoint.product, errcode);
    // A token call refused with a "bad token" code means the secret itself is wrong.
    const kind = info?.kind === 'token' && endpoint.auth === 'none' ? 'credentials' : (info?.kind ?? null);
    const reason = info ? { zh: info.zh, en: info.en } : { zh: `未知错误（${errmsg}）`, en: `unknown error (${errmsg})` };
    const ip = kind === 'ip' ? ipFromErrmsg(errmsg) : null;
    const hint = kind === 'ip' ? ipWhitelistHint(endpoint.product, ip) : null;
    const details: Record<string, unknown> = {
      errcode,
      errmsg,
      endpoint: endpoint.path,
      title: endpoint.titleZh,
      explanation: { 'zh-CN': reason.zh, 'en-US': reason.en },
    };
    if (hint) details.hint = { 'zh-CN': hint.zh, 'en-US': hint.en };
    if (kind === 'ip') details.ip = ip ?? 'unknown';
    super(codeFor(kind, endpoint.product), details);
    this.name = 'WeChatApiError';
    this.errcode = errcode;
    this.errmsg = errmsg;
    this.endpoint = endpoint.path;
    this.product = endpoint.product;
    this.kind = kind;
    this.ip = ip;
    this.texts = { reason, hint };
  }

  /** What the errcode means, in the console language. */
  reason(locale: Locale): string {
    return locale === 'en-US' ? this.texts.reason.en : this.texts.reason.zh;
  }

  /** How to fix it, when known. */
  hint(locale: Locale): string | null {
    if (!this.texts.hint) return null;
    return locale === 'en-US' ? this.texts.hint.en : this.texts.hint.zh;
  }
}

export function isWeChatApiError(error: unknown): error is WeChatApiError {
  return error instanceof WeChatApiError;
}

function codeFor(kind: ErrcodeKind | null, product: WeChatProduct): ErrorCode {
  switch (kind) {
    case 'busy':
      return 'WECHAT_API_BUSY';
    case 'credentials':
      return 'WECHAT_CREDENTIALS_INVALID';
    case 'ip':
      return product === 'wecom' ? 'WECOM_IP_NOT_TRUSTED' : 'WECHAT_IP_NOT_WHITELISTED';
    case 'quota':
      return 'WECHAT_QUOTA_EXCEEDED';
    case 'permission':
      return 'WECHAT_PERMISSION_DENIED';
    default:
      return 'WECHAT_API_ERROR';
  }
}

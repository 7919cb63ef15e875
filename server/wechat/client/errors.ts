import { AppError, type Locale } from '../../../common/errors';
import type { WeChatEndpoint, WeChatProduct } from './endpoint';
import { describeErrcode, ipFromErrmsg, ipWhitelistHint, type ErrcodeKind } from './errcodes';

/**
 * WeChat answered a non-zero errcode. Carries errcode and errmsg (the contract
 * keeps both in `details`), Qiao's explanation in both console languages, and
 * a hint where the fix is known (e.g. which IP to whitelist, and where).
 */
export class WeChatApiError extends AppError {
  readonly errcode: number;
  readonly errmsg: string;
  readonly endpoint: string;
  readonly product: WeChatProduct;
  readonly kind: ErrcodeKind | null;
  readonly ip: string | null;
  private readonly texts: { reason: { zh: string; en: string }; hint: { zh: string; en: string } | null };

  constructor(input: { endpoint: Pick<WeChatEndpoint, 'product' | 'path' | 'titleZh'>; errcode: number; errmsg: string }) {
    const { endpoint, errcode, errmsg } = input;
    const info = describeErrcode(endpoint.product, errcode);
    const reason = info ? { zh: info.zh, en: info.en } : { zh: `未知错误（${errmsg}）`, en: `unknown error (${errmsg})` };
    const ip = info?.kind === 'ip' ? ipFromErrmsg(errmsg) : null;
    const hint = info?.kind === 'ip' ? ipWhitelistHint(endpoint.product, ip) : null;
    const details: Record<string, unknown> = {
      errcode,
      errmsg,
      endpoint: endpoint.path,
      title: endpoint.titleZh,
      explanationZh: hint ? `${reason.zh}。${hint.zh}` : reason.zh,
      explanationEn: hint ? `${reason.en}. ${hint.en}` : reason.en,
    };
    if (ip) details.ip = ip;
    super('WECHAT_API_ERROR', details);
    this.name = 'WeChatApiError';
    this.errcode = errcode;
    this.errmsg = errmsg;
    this.endpoint = endpoint.path;
    this.product = endpoint.product;
    this.kind = info?.kind ?? null;
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

import { randomBytes } from 'node:crypto';

/**
 * WeChat's own English errmsg for the codes the sandbox answers with. WeChat
 * appends ` rid: <request id>` to each; `hint` texts follow its wording.
 */
const errmsgs: Record<number, string> = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40002: 'invalid grant_type',
  40003: 'invalid openid',
  40004: 'invalid media type',
  40005: 'invalid file type',
  40006: 'invalid meida size',
  40007: 'invalid media_id',
  40008: 'invalid message type',
  40013: 'invalid appid',
  40014: 'invalid access_token',
  40016: 'invalid button size',
  40017: 'invalid button type',
  40018: 'invalid button name size',
  40019: 'invalid button key size',
  40020: 'invalid button url size',
  40023: 'invalid sub button size',
  40024: 'invalid sub button type',
  40025: 'invalid sub button name size',
  40026: 'invalid sub button key size',
  40027: 'invalid sub button url size',
  40032: 'invalid openid list size',
  40053: 'invalid action info',
  40054: 'invalid sub button url domain',
  40055: 'invalid button url domain',
  40060: 'invalid article idx',
  40097: 'invalid args',
  40118: 'invalid media_id size',
  40119: 'invalid use button type',
  40120: 'invalid use sub button type',
  40125: 'invalid appsecret',
  41001: 'access_token missing',
  41002: 'appid missing',
  41004: 'appsecret missing',
  41005: 'media data missing',
  41006: 'media_id missing',
  41009: 'missing openid',
  42001: 'access_token expired',
  43004: 'require subscribe',
  44002: 'empty post data',
  44003: 'empty news data',
  44004: 'empty content',
  45001: 'media size out of limit',
  45002: 'content size out of limit',
  45003: 'title size out of limit',
  45004: 'description size out of limit',
  45005: 'url size out of limit',
  45008: 'article size out of limit',
  45009: 'reach max api daily quota limit',
  45011: 'api minute-quota reach limit  mustslower  retry next minute',
  45015: 'response out of time limit or subscription is canceled',
  45047: 'out of response count limit',
  45056: 'too many tags',
  45057: 'can not delete the tag that has too many fans',
  45058: 'can not modify sys tag',
  45059: 'user tags are too many',
  45065: 'clientmsgid exist',
  45066: 'same clientmsgid retry too fast',
  45067: 'clientmsgid size out of limit',
  45157: 'tag name exists',
  45158: 'tag name too long',
  45110: 'author size out of limit',
  45159: 'invalid tag id',
  46002: 'not existed menu version',
  46003: 'menu no exist',
  47001: 'data format error',
  48001: 'api unauthorized',
  61451: 'invalid parameter',
  61500: 'date format error',
  61501: 'date range error',
  65301: 'no such conditional menu',
  65302: 'no such user',
  65303: 'there is no selfmenu, please create selfmenu first',
  65304: 'match rule empty',
  65305: 'conditional menu count limit',
  65306: 'conditional menu not supported by this account type',
  65307: 'conditional menu info is empty',
  65308: 'exist empty button act',
  65309: 'conditional menu switch is closed',
  65310: 'country, province, city must be set',
  65311: 'province, city must be set',
  65312: 'invalid country',
  65313: 'invalid province',
  65314: 'invalid city',
  65316: 'domain count reach limit',
  65317: 'contain invalid url',
  65320: 'matchrule uses privacy fields',
};

/** WeChat's request id suffix: three hex groups, as seen in real errmsgs. */
export function wechatRid(): string {
  const hex = randomBytes(12).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 16)}-${hex.slice(16, 24)}`;
}

/** The errmsg WeChat would write for `errcode`, with an optional hint and the rid. */
export function wechatErrmsg(errcode: number, hint?: string): string {
  const base = errmsgs[errcode] ?? 'invalid args';
  return `${base}${hint ? ` hint: [${hint}]` : ''} rid: ${wechatRid()}`;
}

/**
 * A refusal in WeChat's shape: handlers throw it, `serveEndpoint` answers
 * HTTP 200 `{errcode, errmsg}` (WeChat never signals errors by status).
 * `extra` fields ride along (e.g. 45065 carries the existing `msg_id`).
 */
export class SandboxWeChatError extends Error {
  readonly errcode: number;
  readonly errmsg: string;
  readonly extra: Record<string, unknown>;
  constructor(errcode: number, hint?: string, extra: Record<string, unknown> = {}) {
    const errmsg = wechatErrmsg(errcode, hint);
    super(errmsg);
    this.name = 'SandboxWeChatError';
    this.errcode = errcode;
    this.errmsg = errmsg;
    this.extra = extra;
  }

  toBody(): Record<string, unknown> {
    return { errcode: this.errcode, errmsg: this.errmsg, ...this.extra };
  }
}

/** Shorthand for handlers: `throw wechatError(40003)`. */
export function wechatError(errcode: number, hint?: string, extra?: Record<string, unknown>): SandboxWeChatError {
  return new SandboxWeChatError(errcode, hint, extra);
}

export function isSandboxWeChatError(value: unknown): value is SandboxWeChatError {
  return value instanceof SandboxWeChatError;
}

/** `{errcode: 0, errmsg: "ok"}`, the answer of every write that returns nothing else. */
export const wechatOk = Object.freeze({ errcode: 0, errmsg: 'ok' });

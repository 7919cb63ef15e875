import { SandboxWeChatError } from '../core/wechat-error';

/**
 * WeCom's errmsg texts for the codes the WeCom sandbox answers. WeCom writes
 * them in English followed by a lookup link; `hint` says which field failed.
 * Codes marked "not in the facts" were chosen where the protocol facts name
 * no code: the generic 40058 "invalid parameter" stands in for them.
 */
const errmsgs: Record<number, string> = {
  [-1]: 'system busy',
  40001: 'invalid credential',
  40003: 'invalid userid',
  40008: 'invalid message type',
  40013: 'invalid corpid',
  40014: 'invalid access_token',
  40031: 'invalid userid list',
  40032: 'invalid userid list size',
  40056: 'invalid agentid',
  // not in the facts: the generic parameter error
  40058: 'invalid parameter',
  40068: 'invalid tagid',
  40071: 'tag name exists',
  40072: 'invalid tag name size',
  // not in the facts: an unknown external userid
  40096: 'invalid external userid',
  40092: 'invalid csv data',
  41001: 'access_token missing',
  41051: 'externaluser has started chatting',
  42001: 'access_token expired',
  44004: 'empty content',
  45002: 'content size out of limit',
  45008: 'article size out of limit',
  45009: 'api freq out of limit',
  45026: 'trigger delete user protection',
  48002: 'api forbidden',
  60001: 'invalid department name size',
  60003: 'department not found',
  60004: 'parent department not found',
  60005: 'department contains users',
  60006: 'department contains sub-departments',
  60007: 'not allow to delete root department',
  60008: 'department existed',
  60009: 'invalid department name characters',
  60010: 'department move would form a cycle',
  60011: 'no privilege to access/modify contact/party/agent',
  60102: 'userid existed',
  60103: 'invalid mobile',
  60104: 'mobile existed',
  60105: 'invalid email',
  60106: 'email existed',
  60110: 'user department size out of limit',
  60111: 'userid not found',
  60112: 'invalid username',
  60123: 'invalid department id',
  60124: 'invalid parent department id',
  60127: 'missing department',
  60129: 'mobile and email can not be both empty',
  81001: 'department node size out of limit',
  81002: 'department level size out of limit',
  81013: 'user & party & tag all invalid',
  82002: 'invalid party list size',
  82003: 'invalid tag list size',
  84061: 'not external contact',
  84074: 'no external contact privilege',
  301002: 'not allow to operate another agent',
  301005: 'not allow to delete creator',
  301012: 'invalid position',
  301013: 'invalid telephone',
};

/** WeCom's errmsg for `errcode`: English text, the failing field, the lookup link. */
export function weComErrmsg(errcode: number, hint?: string): string {
  const base = errmsgs[errcode] ?? 'invalid parameter';
  return `${base}${hint ? `, hint: [${hint}]` : ''}, more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}`;
}

/** A WeCom refusal: served as HTTP 200 `{errcode, errmsg}` with WeCom's wording. */
export class WeComSandboxError extends SandboxWeChatError {
  readonly weComErrmsg: string;
  constructor(errcode: number, hint?: string, extra: Record<string, unknown> = {}) {
    super(errcode, hint, extra);
    this.weComErrmsg = weComErrmsg(errcode, hint);
  }

  override toBody(): Record<string, unknown> {
    return { errcode: this.errcode, errmsg: this.weComErrmsg, ...this.extra };
  }
}

/** `throw weComError(60102, 'userid')`. */
export function weComError(errcode: number, hint?: string, extra?: Record<string, unknown>): WeComSandboxError {
  return new WeComSandboxError(errcode, hint, extra);
}

/** The generic parameter error (40058), used where the facts name no specific code. */
export const INVALID_PARAMETER = 40058;

import { AppError } from '../../../../common/errors';
import { describeErrcode, isWeChatApiError, WeChatApiError, type WeChatAccount, type WeChatClient } from '../../../wechat/client';
import { wecomMediaUpload } from '../../../wechat/wecom';
import { wecomReceiverFor } from '../../system/accounts';

export interface AccountsAccess {
  getAccount(id: string): Promise<{ id: string; type: string; callbacks: { receiver: string }[] }>;
  wechatAccountFor(id: string, receiver: string): Promise<WeChatAccount>;
}

/** Customer-contact errcodes in plain words (facts §5.5, §5.12); the client's table covers the general ones. */
const errcodeWords: Record<number, { zh: string; en: string }> = {
  40003: { zh: '成员 UserID 不合法', en: 'invalid member UserID' },
  40007: { zh: '图片素材已失效，请重新上传', en: 'the uploaded image expired; upload it again' },
  40068: { zh: '客户标签不存在', en: 'the customer tag does not exist' },
  40096: { zh: '客户 external_userid 不合法', en: 'invalid customer external_userid' },
  41051: { zh: '欢迎语 welcome_code 已使用或已超过 20 秒', en: 'the welcome_code was already used or is older than 20 seconds' },
  44004: { zh: '欢迎语内容为空', en: 'the welcome message is empty' },
  45002: { zh: '欢迎语内容超过长度限制', en: 'the welcome message is too long' },
  50002: { zh: '成员不在应用的可见范围内', en: 'the member is outside the app’s visible range' },
  60011: { zh: '没有该成员或部门的权限', en: 'no permission for this member or department' },
  60111: { zh: '成员 UserID 不存在', en: 'the member UserID does not exist' },
  84061: { zh: '成员与该客户没有外部联系人关系', en: 'the member and the customer have no external-contact relationship' },
  84074: { zh: '没有客户联系的权限（请在企业微信「客户联系 → 权限配置」开启）', en: 'no customer-contact permission (enable it under Customer Contact → Permissions in WeCom)' },
};

/** An errcode as an operator reads it, in both console languages. */
export function errcodeInWords(errcode: number, errmsg: string): { zh: string; en: string } {
  const known = errcodeWords[errcode] ?? describeErrcode('wecom', errcode);
  return known ? { zh: known.zh, en: known.en } : { zh: `未知错误（${errmsg}）`, en: `unknown error (${errmsg})` };
}

/** WeCom's refusal of a write as Qiao's error: errcode/errmsg kept, the reason in plain words, nothing applied. */
export function wechatRefusal(error: unknown, endpoint: string): unknown {
  if (!isWeChatApiError(error)) return error;
  const words = errcodeInWords(error.errcode, error.errmsg);
  return new AppError('CONTACT_WAY_WECHAT_REFUSED', { endpoint, errcode: error.errcode, errmsg: error.errmsg, reason: words.zh, reasonEn: words.en });
}

/**
 * Which secret customer-contact calls use: the 客户联系 secret when connected,
 * else a self-built app's (WeCom lets apps listed under 可调用应用 call them).
 */
export async function customerContactAccount(accounts: AccountsAccess, accountId: string): Promise<WeChatAccount> {
  const account = await accounts.getAccount(accountId);
  const receivers = account.callbacks.map((c) => c.receiver);
  const receiver = wecomReceiverFor(receivers, 'customer-contact');
  if (account.type !== 'wecom' || !receiver) throw new AppError('CONTACT_WAY_NO_RECEIVER', { accountId });
  return accounts.wechatAccountFor(accountId, receiver);
}

/**
 * media/upload takes multipart, which the JSON client does not send: the call
 * is made here with the client's token, and answers like any declared call.
 */
export async function uploadImage(
  wechat: WeChatClient,
  account: WeChatAccount,
  file: { filename: string; contentType: string; content: Buffer },
  fetchFn: typeof fetch = fetch,
): Promise<{ mediaId: string; createdAtS: number }> {
  const token = await wechat.accessToken(account);
  const url = new URL(`${account.apiBaseUrl.replace(/\/+$/, '')}/${wecomMediaUpload.path}`);
  url.searchParams.set('access_token', token);
  url.searchParams.set('type', 'image');
  const form = new FormData();
  form.append('media', new Blob([new Uint8Array(file.content)], { type: file.contentType }), file.filename);
  let payload: Record<string, unknown>;
  try {
    const response = await fetchFn(url, { method: 'POST', body: form, signal: AbortSignal.timeout(30_000) });
    payload = (await response.json()) as Record<string, unknown>;
  } catch (error) {
    throw new AppError('WECHAT_API_UNREACHABLE', { endpoint: wecomMediaUpload.path, title: wecomMediaUpload.titleZh, reason: String((error as Error)?.message ?? error) });
  }
  if (typeof payload.errcode === 'number' && payload.errcode !== 0) {
    throw new WeChatApiError({ endpoint: wecomMediaUpload, errcode: payload.errcode, errmsg: typeof payload.errmsg === 'string' ? payload.errmsg : '' });
  }
  const parsed = wecomMediaUpload.response.parse(payload);
  return { mediaId: parsed.media_id, createdAtS: Number(parsed.created_at) };
}

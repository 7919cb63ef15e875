import { randomBytes } from 'node:crypto';
import { MessageCrypt, buildWeChatXml, openReply, parseWeChatXml, sealOfficialAccountPush, type OfficialAccountMode, type WeChatRecord, type WeChatValue, type XmlInputRecord } from '../../wechat/core';
import type { DeliveryJudgement, DeliveryResult, SandboxContext } from '../core';
import type { AccountRow, InboxRow, OaRepository } from './oa.repository';

/** What WeChat shows a follower when the account's server failed to answer properly (facts §1.2). */
export const UNAVAILABLE_NOTICE = '该公众号暂时无法提供服务，请稍后再试';

/** Message types after which a news reply may carry only one article (facts §3.3). */
const singleArticleTriggers = new Set(['text', 'image', 'video', 'shortvideo', 'news', 'location', 'link', 'voice']);

const replyFields: Record<string, (record: WeChatRecord) => boolean> = {
  text: (r) => typeof r.Content === 'string' && r.Content !== '',
  image: (r) => hasChild(r.Image, 'MediaId'),
  voice: (r) => hasChild(r.Voice, 'MediaId'),
  video: (r) => hasChild(r.Video, 'MediaId'),
  music: (r) => hasChild(r.Music, 'ThumbMediaId'),
  news: (r) => articleCount(r) > 0,
  transfer_customer_service: () => true,
};

function hasChild(value: WeChatValue | undefined, name: string): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof value[name] === 'string' && value[name] !== '';
}

function articleCount(record: WeChatRecord): number {
  const articles = record.Articles;
  if (typeof articles !== 'object' || articles === null || Array.isArray(articles)) return 0;
  const items = articles.item;
  const count = Array.isArray(items) ? items.length : items ? 1 : 0;
  return String(count) === record.ArticleCount ? count : 0;
}

/** A new 64-bit message id, as a decimal string (it exceeds 2^53). */
export function newMsgId(): string {
  return BigInt(`0x${randomBytes(8).toString('hex')}`).toString().slice(0, 19);
}

export interface PushInput {
  account: AccountRow;
  openId: string;
  /** Fields besides ToUserName, FromUserName and CreateTime. */
  fields: XmlInputRecord;
  /** Feed label, e.g. `text` or `event:subscribe`. */
  event: string;
  /** What triggered it, for WeChat's one-article rule on news replies. */
  trigger: string;
  /** False for account-level events (MASSSENDJOBFINISH): no follower sees a notice. */
  notifyFollower?: boolean;
}

/**
 * Pushes one message or event to an Official Account's callback URL as WeChat
 * would (signed; encrypted in compatible/safe mode), then reads the answer:
 * a valid passive reply goes to the follower's inbox; an invalid one, or no
 * answer after 3 deliveries, puts WeChat's "cannot serve" notice there instead.
 */
export function createOaPusher(ctx: SandboxContext, repository: OaRepository) {
  function cryptOf(account: AccountRow): MessageCrypt | null {
    return account.encryptMode === 'plain' ? null : new MessageCrypt({ currentKey: account.encodingAesKey, receiverId: account.appId });
  }

  async function toInbox(account: AccountRow, openId: string, source: string, msgType: string, content: unknown): Promise<InboxRow[]> {
    return repository.addInbox([{ appId: account.appId, openId, source, msgType, content, createdAt: ctx.clock.now() }]);
  }

  const notice = (account: AccountRow, openId: string) => toInbox(account, openId, 'notice', 'text', { Content: UNAVAILABLE_NOTICE });

  function readReply(account: AccountRow, input: PushInput, answer: string): WeChatRecord | 'none' {
    const opened = openReply({ body: answer, token: account.token, crypt: cryptOf(account), requireEncrypted: account.encryptMode === 'safe' });
    if (opened.kind === 'none') return 'none';
    if (opened.format !== 'xml') throw new Error('a reply to an XML push must be XML');
    const record = parseWeChatXml(opened.plaintext);
    if (record.ToUserName !== input.openId) throw new Error('ToUserName is not the follower');
    if (record.FromUserName !== account.originalId) throw new Error('FromUserName is not the account');
    const msgType = typeof record.MsgType === 'string' ? record.MsgType : '';
    const valid = replyFields[msgType];
    if (!valid || !valid(record)) throw new Error(`not a valid ${msgType || 'passive'} reply`);
    if (msgType === 'news' && articleCount(record) > (singleArticleTriggers.has(input.trigger) ? 1 : 8)) throw new Error('too many articles');
    return record;
  }

  async function judge(input: PushInput, answer: string): Promise<DeliveryJudgement> {
    let record: WeChatRecord | 'none';
    try {
      record = readReply(input.account, input, answer);
    } catch (error) {
      const received = input.notifyFollower === false ? [] : await notice(input.account, input.openId);
      return { status: 'invalid_reply', received, error: (error as Error).message };
    }
    if (record === 'none') return { status: 'no_reply' };
    const { ToUserName: _to, FromUserName: _from, CreateTime: _at, MsgType: msgType, ...content } = record;
    if (msgType === 'transfer_customer_service') return { status: 'replied', received: [] };
    return { status: 'replied', received: await toInbox(input.account, input.openId, 'passive_reply', String(msgType), content) };
  }

  return {
    cryptOf,
    toInbox,
    async push(input: PushInput): Promise<DeliveryResult> {
      const { account, openId } = input;
      const message = buildWeChatXml({
        ToUserName: account.originalId,
        FromUserName: openId,
        CreateTime: Math.floor(ctx.clock.now().getTime() / 1000),
        ...input.fields,
      });
      const crypt = cryptOf(account);
      return ctx.callbacks.deliver({
        product: 'official-account',
        ownerKey: account.appId,
        target: openId,
        event: input.event,
        url: account.callbackUrl,
        message,
        build: () =>
          sealOfficialAccountPush({
            message,
            mode: account.encryptMode as OfficialAccountMode,
            token: account.token,
            crypt,
            openId,
            toUserName: account.originalId,
            timestamp: String(Math.floor(ctx.clock.now().getTime() / 1000)),
          }),
        judge: (answer) => judge(input, answer),
        onUnanswered: async () => (input.notifyFollower === false ? [] : notice(account, openId)),
      });
    },
  };
}

export type OaPusher = ReturnType<typeof createOaPusher>;

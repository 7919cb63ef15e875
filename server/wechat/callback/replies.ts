import { z } from 'zod';
import { AppError } from '../../../common/errors';
import { text } from '../../../common/text';
import { buildWeChatXml, type XmlInputRecord } from '../core/xml';
import { officialAccountMessages } from './official-account-events';

/**
 * Longest passive text reply, in UTF-8 bytes. WeChat publishes no figure for
 * passive replies; 2048 is what a community test measured for the Official
 * Account and what WeCom documents for app text messages.
 */
export const TEXT_REPLY_MAX_BYTES = 2048;
/** Articles in a news reply to an event (an ordinary user message allows only 1). */
export const NEWS_REPLY_MAX_ARTICLES = 8;

const xmlInvalid = /[\u0001-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
// Lengths below are sanity bounds of ours, not WeChat rules, except where a constant says otherwise.
const xmlText = (max: number) => text(max).refine((value) => !xmlInvalid.test(value), { message: 'must not contain control characters' });
const mediaId = xmlText(256).min(1);
const url = xmlText(2048);
const textContent = xmlText(TEXT_REPLY_MAX_BYTES)
  .min(1)
  .refine((value) => Buffer.byteLength(value, 'utf8') <= TEXT_REPLY_MAX_BYTES, { message: `must be at most ${TEXT_REPLY_MAX_BYTES} bytes (UTF-8)` });
const article = z.strictObject({
  title: xmlText(512).min(1),
  description: xmlText(2048).optional(),
  picUrl: url.optional(),
  url: url.optional(),
});

const textReply = z.strictObject({ type: z.literal('text'), content: textContent });
const imageReply = z.strictObject({ type: z.literal('image'), mediaId });
const voiceReply = z.strictObject({ type: z.literal('voice'), mediaId });
const videoReply = z.strictObject({ type: z.literal('video'), mediaId, title: xmlText(512).optional(), description: xmlText(2048).optional() });
const newsReply = z.strictObject({ type: z.literal('news'), articles: z.array(article).min(1).max(NEWS_REPLY_MAX_ARTICLES) });

/** A passive reply an Official Account may send (facts §3.3). */
export const officialAccountReplySchema = z.discriminatedUnion('type', [
  textReply,
  imageReply,
  voiceReply,
  videoReply,
  z.strictObject({
    type: z.literal('music'),
    title: xmlText(512).optional(),
    description: xmlText(2048).optional(),
    musicUrl: url.optional(),
    hqMusicUrl: url.optional(),
    thumbMediaId: mediaId,
  }),
  newsReply,
  z.strictObject({ type: z.literal('transfer_customer_service'), kfAccount: xmlText(128).optional() }),
]);
export type OfficialAccountReply = z.input<typeof officialAccountReplySchema>;

/** A passive reply a WeCom app may send (facts §3.6). */
export const weComReplySchema = z.discriminatedUnion('type', [
  textReply,
  imageReply,
  voiceReply,
  videoReply,
  newsReply,
  z.strictObject({ type: z.literal('update_button'), replaceName: xmlText(128).min(1) }),
  z.strictObject({ type: z.literal('update_taskcard'), replaceName: xmlText(128).min(1) }),
]);
export type WeComReply = z.input<typeof weComReplySchema>;

/** The push being answered: the reply goes back to its sender, from its receiver. */
export interface ReplyTarget {
  toUserName: string;
  fromUserName: string;
  type: string;
  msgType?: string;
}

interface ReplyOptions {
  /** CreateTime of the reply, Unix seconds (inject a clock). */
  nowS?: number;
}

function validate<T>(schema: z.ZodType<T>, reply: unknown): T {
  const parsed = schema.safeParse(reply);
  if (!parsed.success) {
    throw new AppError('WECHAT_REPLY_INVALID', {
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  return parsed.data;
}

function articlesXml(articles: z.output<typeof article>[]): XmlInputRecord {
  return {
    ArticleCount: articles.length,
    Articles: { item: articles.map((a) => ({ Title: a.title, Description: a.description ?? '', PicUrl: a.picUrl ?? '', Url: a.url ?? '' })) },
  };
}

function sharedBody(reply: z.output<typeof textReply | typeof imageReply | typeof voiceReply | typeof videoReply | typeof newsReply>): XmlInputRecord {
  switch (reply.type) {
    case 'text':
      return { Content: reply.content };
    case 'image':
      return { Image: { MediaId: reply.mediaId } };
    case 'voice':
      return { Voice: { MediaId: reply.mediaId } };
    case 'video':
      return { Video: { MediaId: reply.mediaId, Title: reply.title ?? '', Description: reply.description ?? '' } };
    case 'news':
      return articlesXml(reply.articles);
  }
}

function envelope(target: ReplyTarget, msgType: string, body: XmlInputRecord, options: ReplyOptions): string {
  return buildWeChatXml({
    ToUserName: target.fromUserName,
    FromUserName: target.toUserName,
    CreateTime: options.nowS ?? Math.floor(Date.now() / 1000),
    MsgType: msgType,
    ...body,
  });
}

function isUserMessage(target: ReplyTarget): boolean {
  if (target.type.endsWith('.unknown')) return target.msgType !== undefined && target.msgType.toLowerCase() !== 'event';
  return Object.hasOwn(officialAccountMessages, target.type.slice('official-account.'.length));
}

/**
 * Builds the plaintext XML of an Official Account passive reply to `target`
 * (the parsed push). Validates the reply against WeChat's rules, including one
 * article only when answering an ordinary user message; throws
 * WECHAT_REPLY_INVALID otherwise. Seal it with `sealReply` when the push was encrypted.
 */
export function buildOfficialAccountReply(target: ReplyTarget, reply: OfficialAccountReply, options: ReplyOptions = {}): string {
  const valid = validate(officialAccountReplySchema, reply);
  if (valid.type === 'news' && valid.articles.length > 1 && isUserMessage(target)) {
    throw new AppError('WECHAT_REPLY_INVALID', { issues: [{ path: 'articles', message: 'a reply to a user message may carry only 1 article' }] });
  }
  switch (valid.type) {
    case 'music':
      return envelope(target, 'music', {
        Music: {
          Title: valid.title ?? '',
          Description: valid.description ?? '',
          MusicUrl: valid.musicUrl ?? '',
          HQMusicUrl: valid.hqMusicUrl ?? '',
          ThumbMediaId: valid.thumbMediaId,
        },
      }, options);
    case 'transfer_customer_service':
      return envelope(target, 'transfer_customer_service', valid.kfAccount ? { TransInfo: { KfAccount: valid.kfAccount } } : {}, options);
    default:
      return envelope(target, valid.type, sharedBody(valid), options);
  }
}

/**
 * Builds the plaintext XML of a WeCom passive reply to `target` (ToUserName =
 * the member, FromUserName = the CorpID). Always seal it with `sealReply`.
 */
export function buildWeComReply(target: ReplyTarget, reply: WeComReply, options: ReplyOptions = {}): string {
  const valid = validate(weComReplySchema, reply);
  switch (valid.type) {
    case 'update_button':
      return envelope(target, 'update_button', { Button: { ReplaceName: valid.replaceName } }, options);
    case 'update_taskcard':
      return envelope(target, 'update_taskcard', { TaskCard: { ReplaceName: valid.replaceName } }, options);
    default:
      return envelope(target, valid.type, sharedBody(valid), options);
  }
}

/** The body that tells WeChat "received, no reply" (an empty body works too). */
export const NO_REPLY = 'success';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../common/errors';
import { parseWeChatXml } from '../core/xml';
import { eventSamples } from './event-samples';
import { readCallbackEvent } from './events';
import { buildOfficialAccountReply, buildWeComReply, TEXT_REPLY_MAX_BYTES, type OfficialAccountReply } from './replies';

const plain = (value: unknown) => JSON.parse(JSON.stringify(value));
const sample = (type: string) => {
  const found = eventSamples.find((s) => s.type === type)!;
  return readCallbackEvent(found.product, found.xml);
};
const textMessage = sample('official-account.text');
const click = sample('official-account.CLICK');
const weComText = sample('wecom.text');

function issuesOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(isAppError(error) && error.code).toBe('WECHAT_REPLY_INVALID');
    return JSON.stringify((error as { details: unknown }).details);
  }
  return 'no error';
}

describe('buildOfficialAccountReply', () => {
  it('answers the sender from the account, with CDATA text', () => {
    const xml = buildOfficialAccountReply(textMessage, { type: 'text', content: '你好\n第二行 ]]> 000123' }, { nowS: 1714036600 });
    expect(xml).toBe(
      '<xml><ToUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></ToUserName><FromUserName><![CDATA[gh_10f6c3c3ac5a]]></FromUserName><CreateTime>1714036600</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好\n第二行 ]]]]><![CDATA[> 000123]]></Content></xml>',
    );
    expect(parseWeChatXml(xml).Content).toBe('你好\n第二行 ]]> 000123');
  });

  it.each<[OfficialAccountReply, Record<string, unknown>]>([
    [{ type: 'image', mediaId: 'm1' }, { MsgType: 'image', Image: { MediaId: 'm1' } }],
    [{ type: 'voice', mediaId: 'm2' }, { MsgType: 'voice', Voice: { MediaId: 'm2' } }],
    [{ type: 'video', mediaId: 'm3', title: 't', description: 'd' }, { MsgType: 'video', Video: { MediaId: 'm3', Title: 't', Description: 'd' } }],
    [{ type: 'music', title: 't', musicUrl: 'https://m', hqMusicUrl: 'https://hq', thumbMediaId: 'th' }, { MsgType: 'music', Music: { Title: 't', Description: '', MusicUrl: 'https://m', HQMusicUrl: 'https://hq', ThumbMediaId: 'th' } }],
    [{ type: 'news', articles: [{ title: 'a', url: 'https://a' }] }, { MsgType: 'news', ArticleCount: '1', Articles: { item: { Title: 'a', Description: '', PicUrl: '', Url: 'https://a' } } }],
    [{ type: 'transfer_customer_service', kfAccount: 'kf2001@gh' }, { MsgType: 'transfer_customer_service', TransInfo: { KfAccount: 'kf2001@gh' } }],
    [{ type: 'transfer_customer_service' }, { MsgType: 'transfer_customer_service' }],
  ])('writes a %o reply', (reply, expected) => {
    expect(plain(parseWeChatXml(buildOfficialAccountReply(click, reply, { nowS: 1 })))).toMatchObject(expected);
  });

  it('allows up to 8 articles for events but only 1 for user messages', () => {
    const articles = (n: number) => Array.from({ length: n }, (_, i) => ({ title: `t${i}` }));
    const xml = buildOfficialAccountReply(click, { type: 'news', articles: articles(8) });
    expect(parseWeChatXml(xml).ArticleCount).toBe('8');
    expect(issuesOf(() => buildOfficialAccountReply(click, { type: 'news', articles: articles(9) }))).toContain('articles');
    expect(issuesOf(() => buildOfficialAccountReply(textMessage, { type: 'news', articles: articles(2) }))).toContain('only 1 article');
  });

  it(`refuses text over ${TEXT_REPLY_MAX_BYTES} UTF-8 bytes, empty text, unknown fields and control characters`, () => {
    expect(() => buildOfficialAccountReply(click, { type: 'text', content: '字'.repeat(682) })).not.toThrow();
    expect(issuesOf(() => buildOfficialAccountReply(click, { type: 'text', content: '字'.repeat(683) }))).toContain('bytes');
    expect(issuesOf(() => buildOfficialAccountReply(click, { type: 'text', content: '' }))).toContain('content');
    expect(issuesOf(() => buildOfficialAccountReply(click, { type: 'image', mediaId: 'm', extra: 1 } as never))).toContain('extra');
    expect(issuesOf(() => buildOfficialAccountReply(click, { type: 'text', content: 'bell\u0007' }))).toContain('control');
    expect(issuesOf(() => buildOfficialAccountReply(click, { type: 'music', title: 'no thumb' } as never))).toContain('thumbMediaId');
  });

  it('produces parseable XML for any valid text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 300 }).filter((s) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(s)), (content) => {
        fc.pre(Buffer.byteLength(content) <= TEXT_REPLY_MAX_BYTES);
        expect(parseWeChatXml(buildOfficialAccountReply(click, { type: 'text', content })).Content).toBe(content);
      }),
    );
  });
});

describe('buildWeComReply', () => {
  it('answers the member from the corp', () => {
    const record = parseWeChatXml(buildWeComReply(weComText, { type: 'text', content: '收到' }, { nowS: 5 }));
    expect(plain(record)).toEqual({ ToUserName: 'zhangsan', FromUserName: 'ww1436e0e65a779aee', CreateTime: '5', MsgType: 'text', Content: '收到' });
  });

  it('writes card updates and 1–8 article news', () => {
    const card = sample('wecom.template_card_event');
    expect(plain(parseWeChatXml(buildWeComReply(card, { type: 'update_button', replaceName: '已处理' })))).toMatchObject({ MsgType: 'update_button', Button: { ReplaceName: '已处理' } });
    expect(plain(parseWeChatXml(buildWeComReply(card, { type: 'update_taskcard', replaceName: '已同意' })))).toMatchObject({ MsgType: 'update_taskcard', TaskCard: { ReplaceName: '已同意' } });
    const news = parseWeChatXml(buildWeComReply(weComText, { type: 'news', articles: [{ title: 'a' }, { title: 'b' }] }));
    expect(news.ArticleCount).toBe('2');
    expect(issuesOf(() => buildWeComReply(weComText, { type: 'news', articles: [] }))).toContain('articles');
    expect(issuesOf(() => buildWeComReply(weComText, { type: 'music', thumbMediaId: 'x' } as never))).toContain('type');
  });
});

import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../common/errors';
import { checkRuleContent, findOverlaps, keywordsOverlap, pickReplies, type RuleContent } from './auto-reply-rules';
import { convertPlatformAutoReplies } from './platform-import';

const text = (content: string) => ({ type: 'text' as const, content });
const keywordRule = (over: Partial<RuleContent> = {}): RuleContent => ({
  kind: 'keyword',
  keywords: [{ text: '价格', match: 'contains' }],
  clickKeys: [],
  replies: [text('¥99')],
  replyMode: 'all',
  ...over,
});

function codeOf(run: () => void): { code: string; details: Record<string, unknown> } | null {
  try {
    run();
    return null;
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, details: error.details };
    throw error;
  }
}

describe('rule validation', () => {
  it('counts a text reply in UTF-8 bytes: 682 Chinese characters pass, 683 do not', () => {
    expect(codeOf(() => checkRuleContent(keywordRule({ replies: [text('价'.repeat(682))] })))).toBeNull();
    expect(codeOf(() => checkRuleContent(keywordRule({ replies: [text('价'.repeat(683))] })))).toEqual({
      code: 'AUTO_REPLY_TEXT_TOO_LONG',
      details: { field: 'replies[0].content', max: 2048, actual: 2049 },
    });
  });

  it('allows 8 articles answering a follow or click but 1 answering a message or as a later reply', () => {
    const news = (n: number) => ({ type: 'news' as const, articles: Array.from({ length: n }, (_, i) => ({ title: `第${i}篇` })) });
    expect(codeOf(() => checkRuleContent({ ...keywordRule(), kind: 'click', keywords: [], clickKeys: ['K'], replies: [news(8)] }))).toBeNull();
    expect(codeOf(() => checkRuleContent({ ...keywordRule(), kind: 'subscribe', keywords: [], replies: [news(9)] }))?.details.max).toBe(8);
    expect(codeOf(() => checkRuleContent(keywordRule({ replies: [news(2)] })))?.details).toMatchObject({ max: 1, actual: 2 });
    expect(codeOf(() => checkRuleContent({ ...keywordRule(), kind: 'click', keywords: [], clickKeys: ['K'], replies: [text('a'), news(2)] }))?.details).toMatchObject({
      field: 'replies[1].articles',
      max: 1,
    });
    expect(codeOf(() => checkRuleContent({ ...keywordRule(), kind: 'click', keywords: [], clickKeys: ['K'], replyMode: 'random', replies: [text('a'), news(2)] }))).toBeNull();
  });

  it('limits reply-all to one passive reply plus the customer-service quota of the trigger', () => {
    const replies = (n: number) => Array.from({ length: n }, (_, i) => text(`${i}`));
    expect(codeOf(() => checkRuleContent(keywordRule({ replies: replies(6) })))).toBeNull();
    expect(codeOf(() => checkRuleContent(keywordRule({ replies: replies(7) })))?.details).toMatchObject({ max: 6, actual: 7 });
    expect(codeOf(() => checkRuleContent(keywordRule({ replies: replies(7), replyMode: 'random' })))).toBeNull();
  });

  it('measures menu keys in bytes and refuses duplicates after normalization', () => {
    const click = (keys: string[]) => ({ ...keywordRule(), kind: 'click' as const, keywords: [], clickKeys: keys });
    expect(codeOf(() => checkRuleContent(click(['键'.repeat(43)])))?.details).toEqual({ field: 'clickKeys[0]', max: 128, actual: 129 });
    expect(codeOf(() => checkRuleContent(keywordRule({ keywords: [{ text: 'Wifi', match: 'exact' }, { text: 'ＷＩＦＩ', match: 'exact' }] })))?.code).toBe('AUTO_REPLY_KEYWORD_DUPLICATE');
    expect(codeOf(() => checkRuleContent(keywordRule({ keywords: [{ text: 'Wifi', match: 'exact' }, { text: 'wifi', match: 'contains' }] })))).toBeNull();
  });
});

describe('overlap warnings', () => {
  it('sees overlaps between equal exact keywords and a contains-keyword inside another', () => {
    expect(keywordsOverlap({ text: '价格', match: 'contains' }, { text: '产品价格', match: 'exact' })).toBe(true);
    expect(keywordsOverlap({ text: '产品价格', match: 'exact' }, { text: 'ＶＩＰ', match: 'contains' })).toBe(false);
    expect(keywordsOverlap({ text: 'VIP', match: 'exact' }, { text: 'ｖｉｐ', match: 'exact' })).toBe(true);
    expect(keywordsOverlap({ text: '价格', match: 'exact' }, { text: '产品价格', match: 'exact' })).toBe(false);
    expect(keywordsOverlap({ text: '优惠', match: 'contains' }, { text: '优惠券', match: 'contains' })).toBe(true);
  });

  it('names the winner by priority', () => {
    const others = [
      { id: 'a', name: '价格', position: 0, keywords: [{ text: '价格', match: 'contains' as const }] },
      { id: 'c', name: '其他', position: 5, keywords: [{ text: '产品', match: 'exact' as const }] },
    ];
    const overlaps = findOverlaps({ id: 'b', position: 3, keywords: [{ text: '产品价格', match: 'exact' }, { text: '产品', match: 'contains' }] }, others);
    expect(overlaps.map((o) => [o.keyword.text, o.otherRuleId, o.winner])).toEqual([
      ['产品价格', 'a', 'other'],
      ['产品', 'c', 'this'],
    ]);
  });
});

describe('reply modes', () => {
  it('sends every reply in all mode and exactly the one the random number picks otherwise', () => {
    const replies = [text('一'), text('二'), text('三')];
    expect(pickReplies(replies, 'all')).toEqual(replies);
    expect(pickReplies(replies, 'random', () => 0)).toEqual([text('一')]);
    expect(pickReplies(replies, 'random', () => 0.5)).toEqual([text('二')]);
    expect(pickReplies(replies, 'random', () => 0.9999)).toEqual([text('三')]);
  });
});

describe('platform import conversion', () => {
  it('maps match modes, reply modes and reply types, and skips what cannot be represented', () => {
    const converted = convertPlatformAutoReplies({
      is_add_friend_reply_open: 0,
      is_autoreply_open: 1,
      add_friend_autoreply_info: { type: 'img', content: 'MEDIA_1' },
      keyword_autoreply_info: {
        list: [
          {
            rule_name: '活动',
            create_time: 1700000000,
            reply_mode: 'random_one',
            keyword_list_info: [
              { type: 'text', match_mode: 'equal', content: '活动' },
              { type: 'text', match_mode: 'contain', content: '优惠' },
            ],
            reply_list_info: [
              { type: 'text', content: '双十一满减' },
              { type: 'news', news_info: { list: [{ title: '活动详情', digest: '摘要', cover_url: 'https://p/1.jpg', content_url: 'https://a/1' }, { title: '第二篇' }] } },
            ],
          },
          { rule_name: '空', keyword_list_info: [{ content: '空' }], reply_list_info: [{ type: 'miniprogrampage', content: 'x' }] },
        ],
      },
    });
    expect(converted.rules).toEqual([
      { kind: 'subscribe', name: '被关注回复', enabled: false, keywords: [], replies: [{ type: 'image', mediaId: 'MEDIA_1' }], replyMode: 'all', platformKey: 'subscribe' },
      {
        kind: 'keyword',
        name: '活动',
        enabled: true,
        keywords: [
          { text: '活动', match: 'exact' },
          { text: '优惠', match: 'contains' },
        ],
        replies: [
          { type: 'text', content: '双十一满减' },
          { type: 'news', articles: [{ title: '活动详情', description: '摘要', picUrl: 'https://p/1.jpg', url: 'https://a/1' }] },
        ],
        replyMode: 'random',
        platformKey: 'keyword:1700000000:活动',
      },
    ]);
    expect(converted.skipped).toEqual([{ name: '空', reason: expect.stringContaining('miniprogrampage') }]);
  });
});

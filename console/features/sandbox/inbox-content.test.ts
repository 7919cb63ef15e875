import { describe, expect, it } from 'vitest';
import { lineUpXml, viewInbox } from './inbox-content';

describe('reading what a follower or customer received', () => {
  it('reads a passive text reply in XML field names', () => {
    expect(viewInbox('text', { Content: '周一至周日 10:00-22:00' })).toEqual({ kind: 'text', text: '周一至周日 10:00-22:00' });
  });

  it('reads the titles of a passive news reply', () => {
    const content = { ArticleCount: '2', Articles: { item: [{ Title: '新品上市' }, { Title: '门店地址' }] } };
    expect(viewInbox('news', content)).toEqual({ kind: 'articles', titles: ['新品上市', '门店地址'] });
  });

  it('reads a single article that XML parsed as an object, not a list', () => {
    expect(viewInbox('news', { ArticleCount: '1', Articles: { item: { Title: '会员福利' } } })).toEqual({ kind: 'articles', titles: ['会员福利'] });
  });

  it('reads customer-service and mass messages in the API shape', () => {
    expect(viewInbox('text', { msgtype: 'text', text: { content: '您好' } })).toEqual({ kind: 'text', text: '您好' });
    expect(viewInbox('news', { msgtype: 'news', news: { articles: [{ title: '活动' }] } })).toEqual({ kind: 'articles', titles: ['活动'] });
    expect(viewInbox('miniprogrampage', { msgtype: 'miniprogrampage', miniprogrampage: { title: '小程序' } })).toEqual({ kind: 'articles', titles: ['小程序'] });
  });

  it('reads a WeCom welcome message with its attachments', () => {
    expect(viewInbox('welcome', { text: { content: '你好，我是顾问小王' }, attachments: [{ msgtype: 'link' }] })).toEqual({ kind: 'text', text: '你好，我是顾问小王', attachments: 1 });
  });

  it('names the kind of media it cannot show', () => {
    expect(viewInbox('image', { msgtype: 'image', image: { media_id: 'abc' } })).toEqual({ kind: 'media', msgType: 'image' });
    expect(viewInbox('voice', { Voice: { MediaId: 'abc' } })).toEqual({ kind: 'media', msgType: 'voice' });
    expect(viewInbox('mpnews', null)).toEqual({ kind: 'media', msgType: 'mpnews' });
  });
});

describe('showing a pushed message', () => {
  it('puts each XML element on its own line, leaving CDATA and closing tags in place', () => {
    const xml = '<xml><ToUserName><![CDATA[gh_1]]></ToUserName><MsgType><![CDATA[text]]></MsgType></xml>';
    expect(lineUpXml(xml)).toBe('<xml>\n<ToUserName><![CDATA[gh_1]]></ToUserName>\n<MsgType><![CDATA[text]]></MsgType></xml>');
  });

  it('leaves an answer that is not XML alone', () => {
    expect(lineUpXml('success')).toBe('success');
  });
});

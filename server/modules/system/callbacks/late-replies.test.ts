import { describe, expect, it } from 'vitest';
import { appMessage, customerServiceMessage, serviceWindowOf } from './late-replies';
import { createCallbackSubscriptions } from './subscriptions';

describe('late replies', () => {
  it('maps passive replies to customer-service messages, one article at most', () => {
    expect(customerServiceMessage('o1', { type: 'music', thumbMediaId: 't1', musicUrl: 'https://m/1.mp3' })).toEqual({
      touser: 'o1',
      msgtype: 'music',
      music: { title: '', description: '', musicurl: 'https://m/1.mp3', hqmusicurl: '', thumb_media_id: 't1' },
    });
    const news = customerServiceMessage('o1', { type: 'news', articles: [{ title: 'A', url: 'https://a' }, { title: 'B' }] });
    expect(news).toEqual({ touser: 'o1', msgtype: 'news', news: { articles: [{ title: 'A', description: '', url: 'https://a', picurl: '' }] } });
    expect(() => customerServiceMessage('o1', { type: 'transfer_customer_service' })).toThrow(/CALLBACK_REPLY_NOT_DELIVERABLE|replyType/);
  });

  it('maps WeCom replies to app messages to the sender', () => {
    expect(appMessage('zhangsan', 1000002, { type: 'video', mediaId: 'v1', title: '培训' })).toEqual({
      touser: 'zhangsan',
      agentid: 1000002,
      msgtype: 'video',
      video: { media_id: 'v1', title: '培训', description: '' },
    });
  });

  it('knows which pushes open a customer-service window and for how long', () => {
    expect(serviceWindowOf({ msgType: 'text', event: null })?.lengthMs).toBe(48 * 3600_000);
    expect(serviceWindowOf({ msgType: 'event', event: 'CLICK' })?.lengthMs).toBe(60_000);
    expect(serviceWindowOf({ msgType: 'event', event: 'subscribe' })?.lengthMs).toBe(60_000);
    expect(serviceWindowOf({ msgType: 'event', event: 'VIEW' })).toBeNull();
    expect(serviceWindowOf({ msgType: 'event', event: 'LOCATION' })).toBeNull();
  });
});

describe('callback subscriptions', () => {
  it('orders exact subscriptions before product wildcards before everything, and unsubscribes', () => {
    const subscriptions = createCallbackSubscriptions();
    const seen: string[] = [];
    subscriptions.subscribe('*', () => void seen.push('all'));
    subscriptions.subscribe('official-account.*', () => void seen.push('oa'));
    const off = subscriptions.subscribe('official-account.text', () => void seen.push('text'));
    subscriptions.subscribe('wecom.*', () => void seen.push('wecom'));
    const handlers = subscriptions.handlersFor('official-account.text');
    for (const handler of handlers) void handler({} as never);
    expect(seen).toEqual(['text', 'oa', 'all']);
    off();
    expect(subscriptions.handlersFor('official-account.text')).toHaveLength(2);
    expect(subscriptions.handlersFor('wecom.change_contact.create_user')).toHaveLength(2);
  });
});

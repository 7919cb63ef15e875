import { describe, expect, it } from 'vitest';
import { callbackPostOf } from './callback-posts';

describe('callbackPostOf', () => {
  it('reads an Official Account callback URL with its query', () => {
    expect(callbackPostOf('/wechat/official-account/acc-1/callback?signature=ab&timestamp=1&nonce=2&openid=o%2B1&encrypt_type=aes')).toEqual({
      target: { product: 'official-account', accountId: 'acc-1', receiver: 'official-account' },
      query: { signature: 'ab', timestamp: '1', nonce: '2', openid: 'o+1', encrypt_type: 'aes' },
    });
  });

  it('reads a WeCom receiver URL, decoding its segments as the router does', () => {
    expect(callbackPostOf('/wechat/wecom/acc%2D2/customer-contact/callback')).toEqual({
      target: { product: 'wecom', accountId: 'acc-2', receiver: 'customer-contact' },
      query: {},
    });
    // A receiver the pipeline refuses is still its URL: the handler answers ACCOUNT_RECEIVER_NOT_FOUND, as Fastify's route does.
    expect(callbackPostOf('/wechat/wecom/acc/nobody/callback?x=1')?.target.receiver).toBe('nobody');
  });

  it('keeps repeated query names as Fastify does', () => {
    expect(callbackPostOf('/wechat/official-account/a/callback?nonce=1&nonce=2')?.query).toEqual({ nonce: ['1', '2'] });
  });

  it('declines every other URL, so that Fastify answers it', () => {
    for (const url of [
      '/',
      '/api/v1/accounts',
      '/wechat/official-account//callback',
      '/wechat/official-account/a/callback/',
      '/wechat/official-account/a/b/callback',
      '/wechat/wecom/a/callback',
      '/wechat/wecom/a//callback',
      '/wechat/wecom/a/1/callbacks',
      '/wechat/other/a/callback',
      '/wechat/official-account/%E0%A4%A/callback',
      `/wechat/official-account/${'a'.repeat(201)}/callback`,
    ]) {
      expect(callbackPostOf(url), url).toBeNull();
    }
    expect(callbackPostOf(`/wechat/official-account/${'a'.repeat(200)}/callback`)).not.toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { fieldErrorsFor, formPathOf, toCreateBody } from './connect-form';

describe('connect wizard form', () => {
  it('builds an Official Account body, leaving empty optional fields out', () => {
    const { body } = toCreateBody('official_account', { name: '桥服务号', appId: ' wx1234567890abcdef ', appSecret: 's', encryptMode: 'compatible', token: ' ', apiBaseUrl: '' });
    expect(body).toEqual({ type: 'official_account', name: '桥服务号', appId: 'wx1234567890abcdef', appSecret: 's', encryptMode: 'compatible', token: undefined, encodingAesKey: undefined, apiBaseUrl: undefined });
  });

  it('turns apps and the two WeCom tools into one receiver list, skipping empty app rows', () => {
    const { body, receiverPaths } = toCreateBody('wecom', {
      name: '桥科技',
      corpId: 'ww1234567890abcdef',
      apps: [{}, { agentId: '1000002', secret: 'a' }],
      contactsSecret: 'c',
      customerContactSecret: '',
    });
    expect(body).toMatchObject({ receivers: [{ receiver: '1000002', secret: 'a' }, { receiver: 'contacts', secret: 'c' }] });
    expect(receiverPaths).toEqual([['apps', 1], ['contactsSecret']]);
  });

  it('puts server field errors on the field the user typed the value in', () => {
    const paths = [['apps', 1], ['contactsSecret']];
    expect(formPathOf('body.receivers.0.receiver', paths)).toEqual(['apps', 1, 'agentId']);
    expect(formPathOf('body.receivers.0.secret', paths)).toEqual(['apps', 1, 'secret']);
    expect(formPathOf('body.receivers.1.secret', paths)).toEqual(['contactsSecret']);
    expect(formPathOf('body.corpId', paths)).toEqual(['corpId']);
    expect(formPathOf('body.receivers.7.secret', paths)).toBeNull();
  });

  it('returns the errors no field shows, for a general alert', () => {
    const { placed, rest } = fieldErrorsFor(
      [
        { field: 'body.appId', message: 'bad AppID' },
        { field: 'body.receivers', message: 'each receiver may appear once' },
      ],
      [],
      new Set(['appId', 'name']),
    );
    expect(placed).toEqual([{ name: ['appId'], errors: ['bad AppID'] }]);
    expect(rest.map((e) => e.field)).toEqual(['body.receivers']);
  });
});

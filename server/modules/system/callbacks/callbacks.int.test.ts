import { beforeEach, describe, expect, it } from 'vitest';
import { setupRoot, type Caller } from '../../../../test/support/callers';
import { useTestApp } from '../../../../test/support/test-app';
import { buildWeChatXml, messageSignature, plainSignature, type OpenedReply } from '../../../wechat/core';
import {
  appId,
  connectOfficialAccount,
  connectWeCom,
  corpId,
  deliver,
  ghId,
  keyA,
  keyB,
  oaPush,
  oaToken,
  oaVerifyUrl,
  oaXml,
  querystring,
  readAnswer,
  wecomPush,
  wecomReceivers,
  wecomVerifyUrl,
  wecomXml,
} from './callback-test-kit';
import type { CallbackContext } from './subscriptions';

const t = useTestApp();

let root: Caller;
let calls: CallbackContext[];
let unsubscribe: (() => void)[];

beforeEach(async () => {
  root = await setupRoot(t().app);
  calls = [];
  for (const off of unsubscribe ?? []) off();
  unsubscribe = [
    t().app.callbacks.subscribe('official-account.text', (context) => {
      calls.push(context);
      if (context.event.content === 'silent') return;
      return { type: 'text', content: `收到：${context.event.content}` };
    }),
    t().app.callbacks.subscribe('wecom.text', (context) => {
      calls.push(context);
      return { type: 'text', content: `已收到 ${context.event.content}` };
    }),
    t().app.callbacks.subscribe('wecom.change_contact.create_user', (context) => {
      calls.push(context);
    }),
  ];
});

async function messages(accountId: string, query = '', caller = root) {
  const response = await t().app.inject({ method: 'GET', url: `/api/v1/accounts/${accountId}/messages?${query}`, headers: caller.headers });
  return { status: response.statusCode, body: response.json() as { items: Record<string, unknown>[]; nextCursor: string | null; total: number } };
}

function messageText(answer: OpenedReply): string {
  if (answer.kind !== 'message') throw new Error(`no reply: ${answer.body}`);
  return answer.plaintext;
}

describe('Official Account callbacks', () => {
  it('echoes echostr when the plain signature checks out and refuses a forged one', async () => {
    const id = await connectOfficialAccount(t().app, root);
    const ok = await t().app.inject({ method: 'GET', url: oaVerifyUrl(id, '4375120948345356249') });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('4375120948345356249');
    const forged = await t().app.inject({ method: 'GET', url: oaVerifyUrl(id, '4375120948345356249', 'WrongToken') });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().code).toBe('WECHAT_SIGNATURE_INVALID');
  });

  it('answers an encrypted text message in safe mode with an encrypted passive reply and logs it once', async () => {
    const id = await connectOfficialAccount(t().app, root, { mode: 'safe' });
    const response = await deliver(t().app, oaPush(id, oaXml({ MsgType: 'text', Content: '你好', MsgId: '6054768590064713728' })));
    expect(response.statusCode).toBe(200);
    const reply = messageText(readAnswer(response.body));
    expect(reply).toContain('<Content><![CDATA[收到：你好]]></Content>');
    expect(reply).toContain(`<ToUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></ToUserName>`);
    expect(reply).toContain(`<FromUserName><![CDATA[${ghId}]]></FromUserName>`);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.account).toMatchObject({ id, product: 'official-account', receiver: 'official-account', wechatId: appId });
    const log = await messages(id);
    expect(log.body.total).toBe(1);
    expect(log.body.items[0]).toMatchObject({
      type: 'official-account.text',
      msgType: 'text',
      from: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs',
      content: '你好',
      state: 'done',
      handledLate: false,
      reply: { type: 'text', content: '收到：你好' },
      fields: { content: '你好', msgId: '6054768590064713728' },
    });
    expect(JSON.stringify(log.body.items[0])).not.toContain('Encrypt');
    const account = await t().app.inject({ method: 'GET', url: `/api/v1/accounts/${id}`, headers: root.headers });
    expect(account.json().health.lastCallbackAt).not.toBeNull();
  });

  it('answers plain mode with a plain reply and compatible mode with an encrypted one', async () => {
    const plainId = await connectOfficialAccount(t().app, root, { mode: 'plain' });
    const plain = await deliver(t().app, oaPush(plainId, oaXml({ MsgType: 'text', Content: 'plain', MsgId: '1' }), { mode: 'plain' }));
    expect(plain.statusCode).toBe(200);
    expect(plain.body).toContain('<Content><![CDATA[收到：plain]]></Content>');
    expect(plain.body).not.toContain('<Encrypt>');

    const compatibleId = await connectOfficialAccount(t().app, root, { mode: 'compatible', appId: 'wx0000000000000002' });
    const push = oaPush(compatibleId, oaXml({ MsgType: 'text', Content: 'compatible', MsgId: '2' }), { mode: 'compatible', receiverId: 'wx0000000000000002' });
    const compatible = await deliver(t().app, push);
    expect(compatible.statusCode).toBe(200);
    expect(messageText(readAnswer(compatible.body, { receiverId: 'wx0000000000000002' }))).toContain('收到：compatible');
  });

  it('answers success when no module replies, and stores and acknowledges unknown types', async () => {
    const id = await connectOfficialAccount(t().app, root);
    const silent = await deliver(t().app, oaPush(id, oaXml({ MsgType: 'text', Content: 'silent', MsgId: '10' })));
    expect(silent.body).toBe('success');
    const unknown = await deliver(t().app, oaPush(id, oaXml({ MsgType: 'event', Event: 'brand_new_event', Foo: 'bar' })));
    expect(unknown.statusCode).toBe(200);
    expect(unknown.body).toBe('success');
    const log = await messages(id, 'type=official-account.unknown');
    expect(log.body.items).toHaveLength(1);
    expect(log.body.items[0]).toMatchObject({ msgType: 'event', event: 'brand_new_event', state: 'done', reply: null });
  });

  it('decrypts with the previous key after a key change and answers with the key that worked', async () => {
    const id = await connectOfficialAccount(t().app, root, { key: keyA });
    await deliver(t().app, oaPush(id, oaXml({ MsgType: 'text', Content: 'warm', MsgId: '20' }), { key: keyA }));
    const changed = await t().app.inject({ method: 'PATCH', url: `/api/v1/accounts/${id}`, headers: root.headers, payload: { encodingAesKey: keyB } });
    expect(changed.statusCode).toBe(200);
    const withNew = await deliver(t().app, oaPush(id, oaXml({ MsgType: 'text', Content: 'new key', MsgId: '21' }), { key: keyB }));
    expect(messageText(readAnswer(withNew.body, { key: keyB }))).toContain('收到：new key');
    const withOld = await deliver(t().app, oaPush(id, oaXml({ MsgType: 'text', Content: 'old key', MsgId: '22' }), { key: keyA }));
    expect(messageText(readAnswer(withOld.body, { key: keyA }))).toContain('收到：old key');
    expect(() => readAnswer(withOld.body, { key: keyB })).toThrow();
  });
});

describe('refused callbacks', () => {
  function signedSafeBody(id: string, encrypt: string, timestamp = String(Math.floor(Date.now() / 1000))) {
    const nonce = '1514711492';
    const query = {
      signature: plainSignature(oaToken, timestamp, nonce),
      timestamp,
      nonce,
      openid: 'o1',
      encrypt_type: 'aes',
      msg_signature: messageSignature(oaToken, timestamp, nonce, encrypt),
    };
    return { url: `/wechat/official-account/${id}/callback?${querystring(query)}`, body: buildWeChatXml({ ToUserName: ghId, Encrypt: encrypt }) };
  }

  function plainBody(id: string, body: string) {
    const push = oaPush(id, '<xml></xml>', { mode: 'plain' });
    return { url: push.url, body };
  }

  it('answers each bad input with its status, stores nothing and calls no handler', async () => {
    const id = await connectOfficialAccount(t().app, root, { mode: 'safe' });
    const plainId = await connectOfficialAccount(t().app, root, { mode: 'plain', appId: 'wx0000000000000003' });
    const text = oaXml({ MsgType: 'text', Content: 'x', MsgId: '99' });
    const good = oaPush(id, text);
    const staleTs = String(Math.floor(Date.now() / 1000) - 7200);
    const cases: { name: string; url: string; body: string; status: number; code: string; contentType?: string }[] = [
      { name: 'missing signature', url: `/wechat/official-account/${id}/callback`, body: good.body, status: 401, code: 'WECHAT_SIGNATURE_INVALID' },
      { name: 'forged signature', url: good.url.replace(/signature=[0-9a-f]{40}/, `signature=${'0'.repeat(40)}`), body: good.body, status: 401, code: 'WECHAT_SIGNATURE_INVALID' },
      { name: 'forged msg_signature', url: good.url.replace(/msg_signature=[0-9a-f]{40}/, `msg_signature=${'1'.repeat(40)}`), body: good.body, status: 401, code: 'WECHAT_SIGNATURE_INVALID' },
      { name: 'missing msg_signature in safe mode', url: good.url.replace(/&?msg_signature=[0-9a-f]{40}/, '').replace('encrypt_type=aes', 'x=1'), body: text, status: 401, code: 'WECHAT_SIGNATURE_INVALID' },
      { name: 'wrong AppID inside', ...oaPush(id, text, { receiverId: 'wx9999999999999999' }), status: 400, code: 'WECHAT_RECEIVER_MISMATCH' },
      { name: 'stale timestamp', ...oaPush(id, text, { timestamp: staleTs }), status: 400, code: 'WECHAT_CALLBACK_STALE' },
      { name: 'garbled Base64', ...signedSafeBody(id, '@@@not base64@@@'), status: 400, code: 'WECHAT_CALLBACK_MALFORMED' },
      { name: 'ciphertext of a wrong length', ...signedSafeBody(id, Buffer.alloc(20, 1).toString('base64')), status: 400, code: 'WECHAT_CALLBACK_MALFORMED' },
      { name: 'bad padding', ...signedSafeBody(id, Buffer.alloc(64, 0x5a).toString('base64')), status: 400, code: 'WECHAT_CALLBACK_MALFORMED' },
      { name: 'DOCTYPE', ...plainBody(plainId, '<!DOCTYPE xml [<!ENTITY x "y">]><xml><ToUserName>&x;</ToUserName></xml>'), status: 400, code: 'WECHAT_CALLBACK_MALFORMED' },
      { name: 'not XML', ...plainBody(plainId, 'hello there'), status: 400, code: 'WECHAT_CALLBACK_MALFORMED' },
      { name: 'missing common fields', ...plainBody(plainId, '<xml><MsgType>text</MsgType></xml>'), status: 400, code: 'WECHAT_CALLBACK_MALFORMED' },
      { name: 'empty body', ...plainBody(plainId, ''), status: 400, code: 'WECHAT_CALLBACK_MALFORMED' },
      { name: 'oversize body', url: good.url, body: `<xml><Encrypt>${'A'.repeat(1024 * 1024 + 10)}</Encrypt></xml>`, status: 413, code: 'WECHAT_CALLBACK_TOO_LARGE' },
      { name: 'oversize body of another content type', url: good.url, body: 'x'.repeat(1024 * 1024 + 1), status: 413, code: 'WECHAT_CALLBACK_TOO_LARGE', contentType: 'application/octet-stream' },
      { name: 'unknown account', url: good.url.replace(id, '00000000-0000-4000-8000-000000000000'), body: good.body, status: 404, code: 'ACCOUNT_NOT_FOUND' },
      { name: 'not an account id', url: good.url.replace(id, 'not-a-uuid'), body: good.body, status: 404, code: 'ACCOUNT_NOT_FOUND' },
    ];
    for (const c of cases) {
      const response = await t().app.inject({ method: 'POST', url: c.url, payload: c.body, headers: { 'content-type': c.contentType ?? 'text/xml' } });
      expect({ name: c.name, status: response.statusCode, code: response.json().code }).toEqual({ name: c.name, status: c.status, code: c.code });
    }
    const wecomId = await connectWeCom(t().app, root);
    const wrongCorp = await deliver(t().app, wecomPush(wecomId, '1000002', wecomXml({ MsgType: 'text', Content: 'x', MsgId: '1', AgentID: 1000002 }), { receiverId: 'ww0000000000000000' }));
    expect(wrongCorp.statusCode).toBe(400);
    expect((wrongCorp.json() as { code: string }).code).toBe('WECHAT_RECEIVER_MISMATCH');
    const wrongProduct = await deliver(t().app, { ...good, url: good.url.replace(`/official-account/${id}/`, `/official-account/${wecomId}/`) });
    expect(wrongProduct.statusCode).toBe(404);
    const unknownReceiver = wecomPush(wecomId, '1000002', wecomXml({ MsgType: 'text', Content: 'x', MsgId: '1' }));
    const other = await deliver(t().app, { ...unknownReceiver, url: unknownReceiver.url.replace('/1000002/', '/1000009/') });
    expect(other.statusCode).toBe(404);
    const badReceiver = await t().app.inject({ method: 'POST', url: `/wechat/wecom/${wecomId}/robots/callback`, payload: 'x' });
    expect(badReceiver.statusCode).toBe(404);

    expect(calls.filter((c) => c.event.product === 'official-account')).toHaveLength(0);
    expect((await messages(id)).body.total).toBe(0);
    expect((await messages(plainId)).body.total).toBe(0);
  });
});

describe('WeCom callbacks', () => {
  it('decrypts echostr on URL verification for every receiver kind', async () => {
    const id = await connectWeCom(t().app, root);
    for (const { receiver } of wecomReceivers) {
      const response = await t().app.inject({ method: 'GET', url: wecomVerifyUrl(id, receiver, `echo-${receiver}-1234`) });
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe(`echo-${receiver}-1234`);
    }
    const forged = await t().app.inject({ method: 'GET', url: wecomVerifyUrl(id, '1000002', 'x').replace(/msg_signature=[0-9a-f]{40}/, `msg_signature=${'2'.repeat(40)}`) });
    expect(forged.statusCode).toBe(401);
  });

  it('replies to a member message to an app, and acknowledges contact and customer events with an empty body', async () => {
    const id = await connectWeCom(t().app, root);
    const app = await deliver(t().app, wecomPush(id, '1000002', wecomXml({ MsgType: 'text', Content: '请假', MsgId: '7001', AgentID: 1000002 })));
    expect(app.statusCode).toBe(200);
    const config = wecomReceivers[0];
    expect(messageText(readAnswer(app.body, { token: config.token, key: config.key, receiverId: corpId }))).toContain('已收到 请假');
    t().clock.advance(1000);

    const contact = await deliver(
      t().app,
      wecomPush(id, 'contacts', wecomXml({ MsgType: 'event', Event: 'change_contact', ChangeType: 'create_user', UserID: 'lisi', Name: '李四', Department: '1' }, 'sys')),
    );
    expect(contact.statusCode).toBe(200);
    expect(contact.body).toBe('');
    t().clock.advance(1000);
    const customer = await deliver(
      t().app,
      wecomPush(id, 'customer-contact', wecomXml({ MsgType: 'event', Event: 'change_external_contact', ChangeType: 'add_external_contact', UserID: 'zhangsan', ExternalUserID: 'wmAbCdEf0123456789', State: 'qr1', WelcomeCode: 'WC1' }, 'sys')),
    );
    expect(customer.statusCode).toBe(200);
    expect(customer.body).toBe('');
    expect(calls.map((c) => [c.event.type, c.account.receiver])).toEqual([
      ['wecom.text', '1000002'],
      ['wecom.change_contact.create_user', 'contacts'],
    ]);
    const log = await messages(id);
    expect(log.body.items.map((m) => [m.type, m.receiver, m.from])).toEqual([
      ['wecom.change_external_contact.add_external_contact', 'customer-contact', 'sys'],
      ['wecom.change_contact.create_user', 'contacts', 'sys'],
      ['wecom.text', '1000002', 'zhangsan'],
    ]);
  });
});

describe('exactly once', () => {
  it('processes three sequential deliveries once and answers each with the same reply', async () => {
    const id = await connectOfficialAccount(t().app, root);
    const push = oaPush(id, oaXml({ MsgType: 'text', Content: 'retry', MsgId: '3001' }));
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(messageText(readAnswer((await deliver(t().app, push)).body)));
    expect(calls).toHaveLength(1);
    expect(new Set(answers).size).toBe(1);
    expect((await messages(id)).body.total).toBe(1);
  });

  it('processes three concurrent deliveries once; the duplicates wait and get the same reply', async () => {
    const id = await connectOfficialAccount(t().app, root);
    let runs = 0;
    unsubscribe.push(
      t().app.callbacks.subscribe('official-account.CLICK', async (context) => {
        runs++;
        await new Promise((resolve) => setTimeout(resolve, 100));
        return { type: 'text', content: `菜单 ${context.event.eventKey}` };
      }),
    );
    const push = oaPush(id, oaXml({ MsgType: 'event', Event: 'CLICK', EventKey: 'V1001_TODAY' }));
    const responses = await Promise.all([deliver(t().app, push), deliver(t().app, push), deliver(t().app, push)]);
    expect(runs).toBe(1);
    const texts = responses.map((r) => messageText(readAnswer(r.body)));
    expect(texts.every((text) => text.includes('菜单 V1001_TODAY'))).toBe(true);
    expect(new Set(texts).size).toBe(1);
    const later = await deliver(t().app, oaPush(id, oaXml({ MsgType: 'event', Event: 'CLICK', EventKey: 'V1001_TODAY' }, Number(push.url.match(/timestamp=(\d+)/)?.[1]))));
    expect(messageText(readAnswer(later.body))).toContain('菜单 V1001_TODAY');
    expect(runs).toBe(1);
    expect((await messages(id)).body.total).toBe(1);
  });
});

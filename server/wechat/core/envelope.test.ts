import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  officialAccountVerifyQuery,
  openOfficialAccountPush,
  openReply,
  openWeComPush,
  sealOfficialAccountPush,
  sealReply,
  sealWeComPush,
  verifyOfficialAccountUrl,
  verifyWeComUrl,
  weComVerifyQuery,
  type OfficialAccountMode,
} from './envelope';
import { WeChatCryptoError } from './errors';
import { v1, v2, v3, v6 } from './known-answer-vectors';
import { MessageCrypt } from './message-crypt';
import { parseWeChatXml } from './xml';

function reasonOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(WeChatCryptoError);
    return (error as WeChatCryptoError).reason;
  }
  return 'no error';
}

const oaCrypt = new MessageCrypt({ currentKey: v3.encodingAesKey, receiverId: v3.appId });
const v3Query = { signature: v3.signature, timestamp: v3.timestamp, nonce: v3.nonce, openid: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs', encrypt_type: 'aes', msg_signature: v3.msgSignature };
const v3Body = `<xml><ToUserName><![CDATA[${v3.toUserName}]]></ToUserName><Encrypt><![CDATA[${v3.encrypt}]]></Encrypt></xml>`;

describe('Official Account URL verification', () => {
  it('echoes echostr unchanged when the plain signature matches (V6)', () => {
    const query = { signature: v6.get.signature, timestamp: v6.get.timestamp, nonce: v6.get.nonce, echostr: v6.get.echostr };
    expect(verifyOfficialAccountUrl({ query, token: v6.token })).toBe(v6.get.echostr);
  });

  it('refuses a wrong or missing signature', () => {
    const query = { signature: v6.post.signature, timestamp: v6.get.timestamp, nonce: v6.get.nonce, echostr: 'x' };
    expect(reasonOf(() => verifyOfficialAccountUrl({ query, token: v6.token }))).toBe('signature_mismatch');
    expect(reasonOf(() => verifyOfficialAccountUrl({ query: { timestamp: '1', nonce: '2', echostr: 'x' }, token: v6.token }))).toBe('signature_missing');
    expect(reasonOf(() => verifyOfficialAccountUrl({ query: { ...query, signature: ['a', 'b'] }, token: v6.token }))).toBe('signature_missing');
  });
});

describe('WeCom URL verification', () => {
  it('decrypts the URL-decoded echostr of V1 and V2', () => {
    const query = Object.fromEntries(new URLSearchParams(v1.verify.rawQuery));
    const crypt = new MessageCrypt({ currentKey: v1.encodingAesKey, receiverId: v1.corpId });
    expect(verifyWeComUrl({ query, token: v1.token, crypt })).toBe(v1.verify.expected);
    const crypt2 = new MessageCrypt({ currentKey: v2.encodingAesKey, receiverId: v2.corpId });
    const query2 = { msg_signature: v2.verify.msgSignature, timestamp: v2.verify.timestamp, nonce: v2.verify.nonce, echostr: v2.verify.echostr };
    expect(verifyWeComUrl({ query: query2, token: v2.token, crypt: crypt2 })).toBe(v2.verify.expected);
  });

  it('copes with an echostr whose "+" became a space or that is still URL-encoded', () => {
    const crypt = new MessageCrypt({ currentKey: v1.encodingAesKey, receiverId: v1.corpId });
    const base = { msg_signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3', timestamp: '1409659589', nonce: '263014780' };
    expect(verifyWeComUrl({ query: { ...base, echostr: v1.verify.echostr.replaceAll('+', ' ') }, token: v1.token, crypt })).toBe(v1.verify.expected);
    expect(verifyWeComUrl({ query: { ...base, echostr: encodeURIComponent(v1.verify.echostr) }, token: v1.token, crypt })).toBe(v1.verify.expected);
  });

  it('refuses a wrong token and a wrong CorpID', () => {
    const query = Object.fromEntries(new URLSearchParams(v1.verify.rawQuery));
    const crypt = new MessageCrypt({ currentKey: v1.encodingAesKey, receiverId: v1.corpId });
    expect(reasonOf(() => verifyWeComUrl({ query, token: 'other', crypt }))).toBe('signature_mismatch');
    const otherCorp = new MessageCrypt({ currentKey: v1.encodingAesKey, receiverId: 'ww0000000000000000' });
    expect(reasonOf(() => verifyWeComUrl({ query, token: v1.token, crypt: otherCorp }))).toBe('receiver_mismatch');
  });
});

describe('openOfficialAccountPush', () => {
  it('opens the safe-mode sample V3: both signatures, decryption, AppID', () => {
    const opened = openOfficialAccountPush({ query: v3Query, body: v3Body, token: v3.token, mode: 'safe', crypt: oaCrypt });
    expect(opened).toEqual({ plaintext: v3.plaintext, format: 'xml', encrypted: true, keySlot: 'current', timestamp: v3.timestamp, nonce: v3.nonce });
  });

  it('uses the ciphertext of a compatible-mode body that also carries plaintext fields', () => {
    const body = v3.plaintext.replace('</xml>', `<Encrypt><![CDATA[${v3.encrypt}]]></Encrypt></xml>`);
    expect(openOfficialAccountPush({ query: v3Query, body, token: v3.token, mode: 'compatible', crypt: oaCrypt }).plaintext).toBe(v3.plaintext);
  });

  it('checks the plain signature even in safe mode', () => {
    expect(reasonOf(() => openOfficialAccountPush({ query: { ...v3Query, signature: v6.get.signature }, body: v3Body, token: v3.token, mode: 'safe', crypt: oaCrypt }))).toBe('signature_mismatch');
    expect(reasonOf(() => openOfficialAccountPush({ query: { ...v3Query, msg_signature: v6.get.signature }, body: v3Body, token: v3.token, mode: 'safe', crypt: oaCrypt }))).toBe('signature_mismatch');
  });

  it('refuses an unencrypted push in safe mode but accepts it in plain mode (V6 JSON push)', () => {
    const query = { signature: v6.post.signature, timestamp: v6.post.timestamp, nonce: v6.post.nonce, openid: 'o1' };
    const body = '{"ToUserName":"gh_1","FromUserName":"o1","CreateTime":1714037059,"MsgType":"event","Event":"debug_demo","debug_str":"hello world"}';
    expect(reasonOf(() => openOfficialAccountPush({ query, body, token: v6.token, mode: 'safe', crypt: null }))).toBe('signature_missing');
    expect(openOfficialAccountPush({ query, body, token: v6.token, mode: 'plain' })).toMatchObject({ plaintext: body, format: 'json', encrypted: false, keySlot: null });
  });

  it('refuses stale timestamps only when an age limit is given', () => {
    const input = { query: v3Query, body: v3Body, token: v3.token, mode: 'safe' as const, crypt: oaCrypt };
    expect(reasonOf(() => openOfficialAccountPush({ ...input, maxAgeS: 3600, nowS: Number(v3.timestamp) + 3601 }))).toBe('stale_timestamp');
    expect(openOfficialAccountPush({ ...input, maxAgeS: 3600, nowS: Number(v3.timestamp) + 3600 }).encrypted).toBe(true);
  });

  it('refuses malformed or oversized bodies after checking the signature', () => {
    const input = { query: v3Query, token: v3.token, mode: 'safe' as const, crypt: oaCrypt };
    expect(reasonOf(() => openOfficialAccountPush({ ...input, body: '<xml><ToUserName>x</ToUserName></xml>' }))).toBe('bad_message');
    expect(reasonOf(() => openOfficialAccountPush({ ...input, body: 'garbage' }))).toBe('bad_xml');
    expect(reasonOf(() => openOfficialAccountPush({ ...input, body: v3Body, limits: { maxBytes: 100 } }))).toBe('too_large');
  });
});

describe('openWeComPush', () => {
  it('opens V1 and V2 and reports the envelope fields', () => {
    const crypt = new MessageCrypt({ currentKey: v1.encodingAesKey, receiverId: v1.corpId });
    const body = `<xml><ToUserName><![CDATA[${v1.corpId}]]></ToUserName><Encrypt><![CDATA[${v1.push.encrypt}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>`;
    const query = { msg_signature: v1.push.msgSignature, timestamp: v1.push.timestamp, nonce: v1.push.nonce };
    expect(openWeComPush({ query, body, token: v1.token, crypt })).toEqual({
      plaintext: v1.push.plaintext, format: 'xml', encrypted: true, keySlot: 'current', timestamp: v1.push.timestamp, nonce: v1.push.nonce, toUserName: v1.corpId, agentId: '218',
    });
    const crypt2 = new MessageCrypt({ currentKey: v2.encodingAesKey, receiverId: v2.corpId });
    const body2 = `<xml><ToUserName><![CDATA[${v2.corpId}]]></ToUserName>\n<Encrypt><![CDATA[${v2.push.encrypt}]]></Encrypt>\n<AgentID><![CDATA[1000002]]></AgentID>\n</xml>`;
    const query2 = { msg_signature: v2.push.msgSignature, timestamp: v2.push.timestamp, nonce: v2.push.nonce };
    expect(openWeComPush({ query: query2, body: body2, token: v2.token, crypt: crypt2 }).plaintext).toBe(v2.push.plaintext);
    expect(reasonOf(() => openWeComPush({ query: { ...query2, msg_signature: '12345' }, body: body2, token: v2.token, crypt: crypt2 }))).toBe('signature_mismatch');
  });

  it('reads the JSON envelope with lower-case keys', () => {
    const crypt = new MessageCrypt({ currentKey: v2.encodingAesKey, receiverId: v2.corpId });
    const body = JSON.stringify({ tousername: v2.corpId, encrypt: v2.push.encrypt, agentid: 1000002 });
    const query = { msg_signature: v2.push.msgSignature, timestamp: v2.push.timestamp, nonce: v2.push.nonce };
    expect(openWeComPush({ query, body, token: v2.token, crypt })).toMatchObject({ plaintext: v2.push.plaintext, format: 'json', agentId: '1000002' });
  });
});

describe('sealing and opening round trips (sandbox side)', () => {
  const modes: OfficialAccountMode[] = ['plain', 'compatible', 'safe'];

  it.each(modes)('a push sealed in %s mode opens to the same message', (mode) => {
    const message = '<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o1]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好 ]]]]><![CDATA[>]]></Content><MsgId>1</MsgId></xml>';
    const sealed = sealOfficialAccountPush({ message, mode, token: 't0k', crypt: oaCrypt, openId: 'o1', toUserName: 'gh_1', timestamp: '1700000000', nonce: '42' });
    expect(Object.keys(sealed.query).sort()).toEqual(mode === 'plain' ? ['nonce', 'openid', 'signature', 'timestamp'] : ['encrypt_type', 'msg_signature', 'nonce', 'openid', 'signature', 'timestamp']);
    if (mode === 'safe') expect(Object.keys(parseWeChatXml(sealed.body))).toEqual(['ToUserName', 'Encrypt']);
    const opened = openOfficialAccountPush({ query: sealed.query, body: sealed.body, token: 't0k', mode, crypt: oaCrypt });
    expect(opened.plaintext).toBe(message);
    expect(opened.encrypted).toBe(mode !== 'plain');
  });

  it('seals JSON pushes in compatible mode', () => {
    const message = '{"ToUserName":"gh_1","MsgType":"event","Event":"debug_demo"}';
    const sealed = sealOfficialAccountPush({ message, mode: 'compatible', token: 't', crypt: oaCrypt, openId: 'o1', toUserName: 'gh_1', format: 'json' });
    expect(JSON.parse(sealed.body)).toMatchObject({ Event: 'debug_demo', Encrypt: expect.any(String) });
    expect(openOfficialAccountPush({ query: sealed.query, body: sealed.body, token: 't', mode: 'compatible', crypt: oaCrypt }).plaintext).toBe(message);
  });

  it('a WeCom push and URL verification built by the sandbox open on the callback side', () => {
    const crypt = new MessageCrypt({ currentKey: v2.encodingAesKey, receiverId: v2.corpId });
    for (const format of ['xml', 'json'] as const) {
      const sealed = sealWeComPush({ message: v2.push.plaintext, token: v2.token, crypt, toUserName: v2.corpId, agentId: '1000002', format });
      expect(openWeComPush({ query: sealed.query, body: sealed.body, token: v2.token, crypt })).toMatchObject({ plaintext: v2.push.plaintext, agentId: '1000002', format });
    }
    const query = weComVerifyQuery({ token: v2.token, crypt, echostr: '123456789' });
    const overTheWire = Object.fromEntries(new URLSearchParams(new URLSearchParams(query).toString()));
    expect(verifyWeComUrl({ query: overTheWire, token: v2.token, crypt })).toBe('123456789');
    expect(verifyOfficialAccountUrl({ query: officialAccountVerifyQuery({ token: 'tk', echostr: '987' }), token: 'tk' })).toBe('987');
  });

  it('a sealed reply opens with its signature checked, in XML and JSON, with the key the request used', () => {
    const rotated = new MessageCrypt({ currentKey: v1.encodingAesKey, previousKey: v3.encodingAesKey, receiverId: v3.appId });
    const reply = '<xml><ToUserName><![CDATA[o1]]></ToUserName><MsgType><![CDATA[text]]></MsgType></xml>';
    const xml = sealReply(reply, { token: v3.token, crypt: rotated, keySlot: 'previous', timestamp: '1409735669', nonce: '1320562132' });
    expect(Object.keys(parseWeChatXml(xml))).toEqual(['Encrypt', 'MsgSignature', 'TimeStamp', 'Nonce']);
    expect(xml).toContain('<TimeStamp>1409735669</TimeStamp>');
    expect(openReply({ body: xml, token: v3.token, crypt: oaCrypt })).toMatchObject({ kind: 'message', plaintext: reply, encrypted: true });
    const json = sealReply(reply, { token: v3.token, crypt: rotated, format: 'json' });
    expect(Object.keys(JSON.parse(json))).toEqual(['encrypt', 'msgsignature', 'timestamp', 'nonce']);
    expect(openReply({ body: json, token: v3.token, crypt: rotated })).toMatchObject({ kind: 'message', plaintext: reply, keySlot: 'current' });
    expect(reasonOf(() => openReply({ body: xml, token: 'wrong', crypt: oaCrypt }))).toBe('signature_mismatch');
  });

  it('reads "success", an empty body and plain replies the way WeChat does', () => {
    expect(openReply({ body: '', token: 't' })).toEqual({ kind: 'none', body: '' });
    expect(openReply({ body: 'success', token: 't' })).toEqual({ kind: 'none', body: 'success' });
    expect(openReply({ body: '<xml><MsgType>text</MsgType></xml>', token: 't' })).toMatchObject({ kind: 'message', encrypted: false });
    expect(reasonOf(() => openReply({ body: '<xml><MsgType>text</MsgType></xml>', token: 't', requireEncrypted: true }))).toBe('bad_message');
  });

  it('throws nothing but WeChatCryptoError whatever the query and body', () => {
    const value = fc.oneof(fc.string(), fc.constant(v3.timestamp), fc.constant(v3.signature), fc.constant(v3.msgSignature));
    const query = fc.record({ signature: value, timestamp: value, nonce: value, encrypt_type: fc.constantFrom('aes', 'raw', ''), msg_signature: value, echostr: value }, { requiredKeys: [] });
    const body = fc.oneof(fc.string(), fc.constant(v3Body), fc.base64String().map((b) => `<xml><Encrypt>${b}</Encrypt></xml>`), fc.json());
    fc.assert(
      fc.property(query, body, fc.constantFrom<OfficialAccountMode>('plain', 'compatible', 'safe'), (q, b, mode) => {
        for (const action of [
          () => openOfficialAccountPush({ query: q, body: b, token: v3.token, mode, crypt: oaCrypt }),
          () => openWeComPush({ query: q, body: b, token: v3.token, crypt: oaCrypt }),
          () => verifyWeComUrl({ query: q, token: v3.token, crypt: oaCrypt }),
          () => openReply({ body: b, token: v3.token, crypt: oaCrypt }),
        ]) {
          try {
            action();
          } catch (error) {
            expect(error).toBeInstanceOf(WeChatCryptoError);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sealReply } from './envelope';
import { WeChatCryptoError } from './errors';
import { v3 } from './known-answer-vectors';
import { MessageCrypt } from './message-crypt';
import { messageSignature } from './signature';
import { buildWeChatXml } from './xml';

function result(action: () => string): string {
  try {
    return action();
  } catch (error) {
    if (!(error instanceof WeChatCryptoError)) throw error;
    return `error ${error.reason} ${JSON.stringify(error.details)}`;
  }
}

describe('sealReply XML', () => {
  const prefix = Buffer.from('0123456789abcdef', 'latin1');
  const crypt = new MessageCrypt({ currentKey: v3.encodingAesKey, receiverId: v3.appId, random: () => prefix });
  const field = fc.oneof(
    fc.stringMatching(/^\d{1,17}$/),
    fc.string({ maxLength: 20 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.constantFrom('', ']]>', 'a]]>b', '\u0000', '\uFFFE', '\uD800', '😀', '000123', '1e3', ' 12'),
  );

  it('writes what buildWeChatXml writes for the four fields, or fails the same way', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 50 }), field, field, (message, timestamp, nonce) => {
        const encrypt = crypt.encrypt(message);
        const expected = result(() =>
          buildWeChatXml({
            Encrypt: encrypt,
            MsgSignature: messageSignature(v3.token, timestamp, nonce, encrypt),
            TimeStamp: /^\d{1,15}$/.test(timestamp) ? Number(timestamp) : timestamp,
            Nonce: nonce,
          }),
        );
        expect(result(() => sealReply(message, { token: v3.token, crypt, timestamp, nonce }))).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });
});

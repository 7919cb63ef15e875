import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WeChatCryptoError } from './errors';
import { v1, v2, v3, v4 } from './known-answer-vectors';
import { MessageCrypt, aesKeyFromEncodingAesKey, generateEncodingAesKey, isEncodingAesKey } from './message-crypt';

const ascii = (value: string) => Buffer.from(value, 'latin1');

function expectCryptoError(action: () => unknown, reason?: string) {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(WeChatCryptoError);
    if (reason) expect((error as WeChatCryptoError).reason).toBe(reason);
    return;
  }
  throw new Error('expected a WeChatCryptoError');
}

describe('MessageCrypt known answers', () => {
  it('decrypts the WeCom URL-verification echostr and push of V1 and re-encrypts them byte for byte', () => {
    const crypt = new MessageCrypt({ currentKey: v1.encodingAesKey, receiverId: v1.corpId });
    expect(crypt.decrypt(v1.verify.echostr)).toEqual({ message: v1.verify.expected, receiverId: v1.corpId, keySlot: 'current' });
    expect(crypt.decrypt(v1.push.encrypt).message).toBe(v1.push.plaintext);
    expect(Buffer.byteLength(v1.push.plaintext)).toBe(284);
    expect(crypt.encrypt(v1.verify.expected, { random: ascii(v1.verify.random) })).toBe(v1.verify.echostr);
    expect(crypt.encrypt(v1.push.plaintext, { random: ascii(v1.push.random) })).toBe(v1.push.encrypt);
  });

  it('decrypts and re-encrypts V2 (modern corp id, multi-byte content without CDATA)', () => {
    const crypt = new MessageCrypt({ currentKey: v2.encodingAesKey, receiverId: v2.corpId });
    expect(crypt.decrypt(v2.verify.echostr).message).toBe(v2.verify.expected);
    expect(crypt.decrypt(v2.push.encrypt).message).toBe(v2.push.plaintext);
    expect(crypt.encrypt(v2.push.plaintext, { random: ascii(v2.push.random) })).toBe(v2.push.encrypt);
    expect(crypt.encrypt(v2.verify.expected, { random: ascii(v2.verify.random) })).toBe(v2.verify.echostr);
  });

  it('decrypts and re-encrypts the Official Account sample V3', () => {
    const crypt = new MessageCrypt({ currentKey: v3.encodingAesKey, receiverId: v3.appId });
    expect(crypt.decrypt(v3.encrypt).message).toBe(v3.plaintext);
    expect(crypt.encrypt(v3.plaintext, { random: ascii(v3.random) })).toBe(v3.encrypt);
  });

  it('reproduces the deterministic encryption vectors V4 with an injected random source', () => {
    const crypt = new MessageCrypt({ currentKey: v4.encodingAesKey, receiverId: v4.appId, random: () => ascii(v4.random) });
    expect(crypt.encrypt(v4.short.message)).toBe(v4.short.encrypt);
    expect(crypt.encrypt(v4.long.message)).toBe(v4.long.encrypt);
    expect(crypt.decrypt(v4.long.encrypt).message).toBe(v4.long.message);
  });
});

describe('MessageCrypt checks', () => {
  it('refuses a ciphertext written for another AppID/CorpID', () => {
    const crypt = new MessageCrypt({ currentKey: v1.encodingAesKey, receiverId: 'wx0000000000000000' });
    expectCryptoError(() => crypt.decrypt(v1.push.encrypt), 'receiver_mismatch');
  });

  it('skips the receiver check when the receiver id is null and reports the id found', () => {
    const crypt = new MessageCrypt({ currentKey: v1.encodingAesKey, receiverId: null });
    expect(crypt.decrypt(v1.push.encrypt).receiverId).toBe(v1.corpId);
  });

  it('accepts only 43-character alphanumeric EncodingAESKeys', () => {
    expect(aesKeyFromEncodingAesKey(v1.encodingAesKey)).toHaveLength(32);
    expect(isEncodingAesKey(generateEncodingAesKey())).toBe(true);
    for (const bad of ['', 'short', `${v1.encodingAesKey}A`, `${v1.encodingAesKey.slice(0, 42)}+`, `${v1.encodingAesKey.slice(0, 42)}=`]) {
      expectCryptoError(() => new MessageCrypt({ currentKey: bad, receiverId: null }), 'bad_key');
    }
  });

  it('names what is wrong with broken ciphertexts', () => {
    const crypt = new MessageCrypt({ currentKey: v1.encodingAesKey, receiverId: v1.corpId });
    expectCryptoError(() => crypt.decrypt(''), 'bad_base64');
    expectCryptoError(() => crypt.decrypt('not base64!'), 'bad_base64');
    expectCryptoError(() => crypt.decrypt('QUJD'), 'bad_length');
    const otherKey = new MessageCrypt({ currentKey: v2.encodingAesKey, receiverId: v1.corpId });
    expectCryptoError(() => otherKey.decrypt(v1.push.encrypt));
  });

  it('decrypts with the previous key after a rotation and says which key worked', () => {
    const rotated = new MessageCrypt({ currentKey: v2.encodingAesKey, previousKey: v1.encodingAesKey, receiverId: v1.corpId });
    expect(rotated.decrypt(v1.push.encrypt)).toMatchObject({ message: v1.push.plaintext, keySlot: 'previous' });
    const sealed = rotated.encrypt('reply', { keySlot: 'previous' });
    expect(new MessageCrypt({ currentKey: v1.encodingAesKey, receiverId: v1.corpId }).decrypt(sealed).message).toBe('reply');
    expect(rotated.decrypt(rotated.encrypt('fresh')).keySlot).toBe('current');
  });

  it('refuses to encrypt with a previous key that is not configured', () => {
    const crypt = new MessageCrypt({ currentKey: v1.encodingAesKey, receiverId: v1.corpId });
    expectCryptoError(() => crypt.encrypt('x', { keySlot: 'previous' }), 'bad_key');
  });
});

describe('MessageCrypt properties', () => {
  const keys = fc.stringMatching(/^[A-Za-z0-9]{43}$/);

  it('round-trips any UTF-8 text up to 10,000 bytes with either key slot', () => {
    fc.assert(
      fc.property(keys, keys, fc.string({ unit: 'grapheme', maxLength: 2500 }), fc.constantFrom('current', 'previous'), (a, b, text, slot) => {
        fc.pre(Buffer.byteLength(text) <= 10_000);
        const crypt = new MessageCrypt({ currentKey: a, previousKey: b, receiverId: 'wx1234567890abcdef' });
        const opened = crypt.decrypt(crypt.encrypt(text, { keySlot: slot as 'current' | 'previous' }));
        expect(opened.message).toBe(text);
        // Equal keys are indistinguishable, so the current one answers.
        expect(opened.keySlot).toBe(a === b ? 'current' : slot);
      }),
      { numRuns: 200 },
    );
  });

  it('pads every plaintext to a multiple of 32 bytes', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const crypt = new MessageCrypt({ currentKey: v1.encodingAesKey, receiverId: v1.corpId });
        expect(Buffer.from(crypt.encrypt(text), 'base64').length % 32).toBe(0);
      }),
    );
  });

  it('throws nothing but WeChatCryptoError for arbitrary strings, Base64 and ciphertext', () => {
    const crypt = new MessageCrypt({ currentKey: v1.encodingAesKey, previousKey: v3.encodingAesKey, receiverId: v1.corpId });
    const inputs = fc.oneof(
      fc.string(),
      fc.base64String(),
      fc.uint8Array({ maxLength: 600 }).map((bytes) => Buffer.from(bytes).toString('base64')),
      fc.integer({ min: 2, max: 40 }).chain((blocks) => fc.uint8Array({ minLength: blocks * 16, maxLength: blocks * 16 })).map((bytes) => Buffer.from(bytes).toString('base64')),
    );
    fc.assert(
      fc.property(inputs, (input) => {
        try {
          crypt.decrypt(input);
        } catch (error) {
          expect(error).toBeInstanceOf(WeChatCryptoError);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('rejects a ciphertext with any single byte flipped', () => {
    const crypt = new MessageCrypt({ currentKey: v1.encodingAesKey, receiverId: v1.corpId });
    const original = Buffer.from(v1.verify.echostr, 'base64');
    fc.assert(
      fc.property(fc.integer({ min: 32, max: original.length - 1 }), fc.integer({ min: 1, max: 255 }), (index, mask) => {
        const tampered = Buffer.from(original);
        tampered[index]! ^= mask;
        expectCryptoError(() => crypt.decrypt(tampered.toString('base64')));
      }),
    );
  });
});

import { createCipheriv, createDecipheriv } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WeChatCryptoError } from './errors';
import { v1, v2, v3 } from './known-answer-vectors';
import { MessageCrypt, aesKeyFromEncodingAesKey, type KeySlot } from './message-crypt';

// Oracles: the straightforward WXBizMsgCrypt algorithm with a fresh cipher per
// message, against which the long-lived ciphers must agree byte for byte.

function referenceEncrypt(encodingAesKey: string, message: string, receiver: string, prefix: Buffer): string {
  const key = aesKeyFromEncodingAesKey(encodingAesKey);
  const body = Buffer.from(message, 'utf8');
  const content = Buffer.concat([prefix, Buffer.alloc(4), body, Buffer.from(receiver, 'utf8')]);
  content.writeUInt32BE(body.length, 16);
  const amount = 32 - (content.length % 32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([content, Buffer.alloc(amount, amount)])), cipher.final()]).toString('base64');
}

function referenceBase64(value: string): Buffer | null {
  const compact = /\s/.test(value) ? value.replace(/\s+/g, '') : value;
  const decoded = Buffer.from(compact, 'base64');
  return compact.length === 0 || decoded.toString('base64') !== compact ? null : decoded;
}

type Outcome = { message: string; receiverId: string; keySlot: KeySlot } | { reason: string };

function referenceOpen(data: Buffer, encodingAesKey: string, keySlot: KeySlot, expectedReceiver: string | null): Outcome {
  const key = aesKeyFromEncodingAesKey(encodingAesKey);
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(data), decipher.final()]);
  const amount = plain[plain.length - 1]!;
  if (amount < 1 || amount > 32 || amount > plain.length) return { reason: 'bad_padding' };
  for (let i = plain.length - amount; i < plain.length; i++) if (plain[i] !== amount) return { reason: 'bad_padding' };
  const content = plain.subarray(0, plain.length - amount);
  if (content.length < 20) return { reason: 'bad_length' };
  const length = content.readUInt32BE(16);
  if (length > content.length - 20) return { reason: 'bad_length' };
  const body = content.subarray(20, 20 + length);
  const receiver = content.subarray(20 + length);
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let receiverId: string;
  let message: string;
  try {
    message = decoder.decode(body);
    receiverId = decoder.decode(receiver);
  } catch {
    return { reason: 'bad_plaintext' };
  }
  if (expectedReceiver !== null && receiverId !== expectedReceiver) return { reason: 'receiver_mismatch' };
  return { message, receiverId, keySlot };
}

function referenceDecrypt(encrypted: string, current: string, previous: string | null, receiver: string | null): Outcome {
  const data = referenceBase64(encrypted);
  if (data === null) return { reason: 'bad_base64' };
  if (data.length < 32 || data.length % 16 !== 0) return { reason: 'bad_length' };
  const first = referenceOpen(data, current, 'current', receiver);
  if (!('reason' in first) || previous === null) return first;
  const second = referenceOpen(data, previous, 'previous', receiver);
  if (!('reason' in second)) return second;
  return second.reason === 'receiver_mismatch' && first.reason !== 'receiver_mismatch' ? second : first;
}

function outcome(action: () => { message: string; receiverId: string; keySlot: KeySlot }): Outcome {
  try {
    const { message, receiverId, keySlot } = action();
    return { message, receiverId, keySlot };
  } catch (error) {
    if (!(error instanceof WeChatCryptoError)) throw error;
    return { reason: error.reason };
  }
}

const keys = [v1.encodingAesKey, v2.encodingAesKey, v3.encodingAesKey];
const receiver = 'wx1234567890abcdef';
// Long-lived on purpose: their cipher state carries over from one property run to the next.
const rotated = new MessageCrypt({ currentKey: keys[0]!, previousKey: keys[1]!, receiverId: receiver });
const other = new MessageCrypt({ currentKey: keys[2]!, previousKey: keys[0]!, receiverId: null });
const crypts = [
  { crypt: rotated, current: keys[0]!, previous: keys[1]!, receiver: receiver as string | null },
  { crypt: other, current: keys[2]!, previous: keys[0]!, receiver: null },
];

const text = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 600 }),
  fc.constantFrom('', '\uFEFF开头', '\uD800', 'a\uDC00b', '\u0000\uFFFE\uFFFF', '你好'.repeat(400), `${'a'.repeat(900)}你好`),
);
const prefix = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((bytes) => Buffer.from(bytes));
const encryptStep = fc.record({
  which: fc.integer({ min: 0, max: 1 }),
  slot: fc.constantFrom<KeySlot>('current', 'previous'),
  text,
  prefix,
  receiverId: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('MessageCrypt with long-lived ciphers', () => {
  it('encrypts exactly as a fresh cipher would, call after call, across instances and key slots', () => {
    fc.assert(
      fc.property(fc.array(encryptStep, { minLength: 1, maxLength: 12 }), (steps) => {
        for (const step of steps) {
          const target = crypts[step.which]!;
          const key = step.slot === 'current' ? target.current : target.previous;
          const options = { keySlot: step.slot, random: step.prefix, ...(step.receiverId === undefined ? {} : { receiverId: step.receiverId }) };
          const expected = referenceEncrypt(key, step.text, step.receiverId ?? target.receiver ?? '', step.prefix);
          expect(target.crypt.encrypt(step.text, options)).toBe(expected);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('decrypts consecutive ciphertexts, good and bad, exactly as fresh deciphers would', () => {
    const ciphertext = fc.oneof(
      { weight: 3, arbitrary: fc.tuple(fc.integer({ min: 0, max: 2 }), text, prefix, fc.constantFrom(receiver, 'wx0000000000000000', '')).map(([k, t, p, r]) => referenceEncrypt(keys[k]!, t, r, p)) },
      // Whole blocks of noise: mostly bad padding, sometimes a short "valid" plaintext; 32 bytes reach block 0 through the padding check.
      { weight: 2, arbitrary: fc.integer({ min: 2, max: 6 }).chain((blocks) => fc.uint8Array({ minLength: blocks * 16, maxLength: blocks * 16 })).map((b) => Buffer.from(b).toString('base64')) },
      { weight: 1, arbitrary: fc.uint8Array({ minLength: 31, maxLength: 31 }).map((b) => Buffer.concat([Buffer.from(b), Buffer.from([1])]).toString('base64')) },
      { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), ciphertext), { minLength: 1, maxLength: 12 }), (steps) => {
        for (const [which, encrypted] of steps) {
          const target = crypts[which]!;
          expect(outcome(() => target.crypt.decrypt(encrypted))).toEqual(referenceDecrypt(encrypted, target.current, target.previous, target.receiver));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reads block 0 correctly when a two-block ciphertext pads over it', () => {
    const crypt = new MessageCrypt({ currentKey: keys[0]!, receiverId: null });
    const key = aesKeyFromEncodingAesKey(keys[0]!);
    // Plaintext of 32 bytes all equal to 32: valid padding that covers block 0, so the answer is bad_length.
    const data = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false).update(Buffer.alloc(32, 32)).toString('base64');
    crypt.encrypt('warm up');
    crypt.decrypt(crypt.encrypt('move the chain on'));
    for (let i = 0; i < 3; i++) expect(outcome(() => crypt.decrypt(data))).toEqual({ reason: 'bad_length' });
  });

  // The injected faults first let the real update run, so a cipher kept after one would be out of step.
  it('recovers from a failing long-lived cipher with the output of a fresh one', () => {
    const crypt = new MessageCrypt({ currentKey: keys[1]!, receiverId: receiver });
    const p = Buffer.alloc(16, 7);
    crypt.encrypt('before');
    const cipherProto = Object.getPrototypeOf(createCipheriv('aes-256-cbc', Buffer.alloc(32), Buffer.alloc(16))) as { update: (data: Buffer) => Buffer };
    const realUpdate = cipherProto.update;
    vi.spyOn(cipherProto, 'update').mockImplementationOnce(function (this: unknown, data: Buffer) {
      realUpdate.call(this, data);
      throw new Error('injected');
    });
    expect(crypt.encrypt('during', { random: p })).toBe(referenceEncrypt(keys[1]!, 'during', receiver, p));
    vi.spyOn(cipherProto, 'update').mockImplementationOnce(function (this: unknown, data: Buffer) {
      return realUpdate.call(this, data).subarray(16);
    });
    expect(crypt.encrypt('short output', { random: p })).toBe(referenceEncrypt(keys[1]!, 'short output', receiver, p));
    vi.restoreAllMocks();
    for (const message of ['after', 'and after that']) expect(crypt.encrypt(message, { random: p })).toBe(referenceEncrypt(keys[1]!, message, receiver, p));
  });

  it('recovers from a failing long-lived decipher with the result of a fresh one', () => {
    const crypt = new MessageCrypt({ currentKey: keys[1]!, receiverId: receiver });
    const key = aesKeyFromEncodingAesKey(keys[1]!);
    // Block 0 is read only by a padding check over two blocks: a decipher out of step would say bad_padding.
    const padsOverBlock0 = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false).update(Buffer.alloc(32, 32)).toString('base64');
    const sealed = ['one', 'two', 'three'].map((message) => referenceEncrypt(keys[1]!, message, receiver, Buffer.alloc(16, 3)));
    expect(crypt.decrypt(sealed[0]!).message).toBe('one');
    const decipherProto = Object.getPrototypeOf(createDecipheriv('aes-256-cbc', Buffer.alloc(32), Buffer.alloc(16))) as { update: (data: Buffer) => Buffer };
    const realUpdate = decipherProto.update;
    vi.spyOn(decipherProto, 'update').mockImplementationOnce(function (this: unknown, data: Buffer) {
      realUpdate.call(this, data);
      throw new Error('injected');
    });
    expect(crypt.decrypt(sealed[1]!).message).toBe('two');
    expect(outcome(() => crypt.decrypt(padsOverBlock0))).toEqual({ reason: 'bad_length' });
    vi.spyOn(decipherProto, 'update').mockImplementationOnce(function (this: unknown, data: Buffer) {
      return realUpdate.call(this, data).subarray(16);
    });
    expect(crypt.decrypt(sealed[2]!).message).toBe('three');
    vi.restoreAllMocks();
    expect(outcome(() => crypt.decrypt(padsOverBlock0))).toEqual({ reason: 'bad_length' });
  });
});

describe('MessageCrypt Base64 check', () => {
  const crypt = new MessageCrypt({ currentKey: keys[0]!, receiverId: receiver });

  const whitespace = fc.constantFrom(' ', '\n', '\r\n', '\t', '\u00A0', '\u2028', '\u3000', '\uFEFF');
  const nearValid = fc.tuple(fc.uint8Array({ maxLength: 80 }), fc.array(fc.tuple(fc.nat(), fc.oneof(whitespace, fc.constantFrom('-', '_', '=', '==', '!', 'A', '+', '/', '', 'é')), fc.boolean()), { maxLength: 3 })).map(([bytes, edits]) => {
    let value = Buffer.from(bytes).toString('base64');
    for (const [at, piece, replace] of edits) {
      const i = value.length === 0 ? 0 : at % (value.length + 1);
      value = value.slice(0, i) + piece + value.slice(replace ? i + 1 : i);
    }
    return value;
  });

  it('refuses exactly what decode + re-encode refuses, for arbitrary and near-valid strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.base64String(), nearValid), (value) => {
        const result = outcome(() => crypt.decrypt(value));
        const refused = 'reason' in result && result.reason === 'bad_base64';
        expect(refused).toBe(referenceBase64(value) === null);
      }),
      { numRuns: 3000 },
    );
  });

  it('still accepts line-wrapped Base64', () => {
    const sealed = crypt.encrypt('wrapped');
    const wrapped = sealed.replace(/(.{16})/g, '$1\r\n ');
    expect(crypt.decrypt(wrapped).message).toBe('wrapped');
  });
});

describe('MessageCrypt text', () => {
  it('comes back as it went in, for any valid UTF-8, short or long, ASCII or not', () => {
    const crypt = new MessageCrypt({ currentKey: keys[2]!, receiverId: receiver });
    const long = fc.tuple(fc.string({ maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 400 }), fc.string({ unit: 'grapheme', maxLength: 400 })).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(text, long), (value) => {
        const expected = Buffer.from(value, 'utf8').toString('utf8');
        expect(crypt.decrypt(crypt.encrypt(value)).message).toBe(expected);
      }),
      { numRuns: 500 },
    );
    for (const value of ['\uFEFF'.repeat(400), `\uFEFF${'中'.repeat(300)}`, `${'é'.repeat(300)}\uFFFF\uFFFE${'😀'.repeat(100)}`, `<xml>${'\u0000中'.repeat(300)}</xml>`]) {
      expect(crypt.decrypt(crypt.encrypt(value)).message).toBe(value);
    }
  });
});

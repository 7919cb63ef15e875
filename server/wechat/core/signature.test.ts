import { describe, expect, it } from 'vitest';
import { v1, v2, v3, v5, v6 } from './known-answer-vectors';
import { messageSignature, plainSignature, signaturesMatch } from './signature';

describe('WeChat signatures', () => {
  it('computes the Official Account plain signatures of the documented examples (V6, V3)', () => {
    expect(plainSignature(v6.token, v6.get.timestamp, v6.get.nonce)).toBe(v6.get.signature);
    expect(plainSignature(v6.token, v6.post.timestamp, v6.post.nonce)).toBe(v6.post.signature);
    expect(plainSignature(v3.token, v3.timestamp, v3.nonce)).toBe(v3.signature);
  });

  it('computes msg_signature over token, timestamp, nonce and ciphertext (V1–V3, V5)', () => {
    expect(messageSignature(v1.token, v1.push.timestamp, v1.push.nonce, v1.push.encrypt)).toBe(v1.push.msgSignature);
    expect(messageSignature(v1.token, '1409659589', '263014780', v1.verify.echostr)).toBe('5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3');
    expect(messageSignature(v2.token, v2.push.timestamp, v2.push.nonce, v2.push.encrypt)).toBe(v2.push.msgSignature);
    expect(messageSignature(v2.token, v2.verify.timestamp, v2.verify.nonce, v2.verify.echostr)).toBe(v2.verify.msgSignature);
    expect(messageSignature(v3.token, v3.timestamp, v3.nonce, v3.encrypt)).toBe(v3.msgSignature);
    expect(messageSignature(v5.token, v5.timestamp, v5.nonce, v5.encrypt)).toBe(v5.msgSignature);
  });

  it('matches signatures case-insensitively and refuses missing, short or different ones', () => {
    expect(signaturesMatch(v6.get.signature.toUpperCase(), v6.get.signature)).toBe(true);
    expect(signaturesMatch(undefined, v6.get.signature)).toBe(false);
    expect(signaturesMatch('12345', v6.get.signature)).toBe(false);
    expect(signaturesMatch(v6.post.signature, v6.get.signature)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { callbackTokenSchema, encodingAesKeySchema } from './accounts.schema';
import { generateCallbackToken, generateEncodingAesKey } from './credentials';

describe('generated callback credentials', () => {
  it('makes tokens of 32 letters or digits that the token rule accepts', () => {
    const tokens = Array.from({ length: 50 }, generateCallbackToken);
    for (const token of tokens) expect(callbackTokenSchema.parse(token)).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(new Set(tokens).size).toBe(50);
  });

  it('makes EncodingAESKeys that decode to a 32-byte AES key', () => {
    for (let i = 0; i < 50; i++) {
      const key = encodingAesKeySchema.parse(generateEncodingAesKey());
      expect(key).toMatch(/^[A-Za-z0-9]{43}$/);
      expect(Buffer.from(`${key}=`, 'base64')).toHaveLength(32);
    }
  });
});

import { parseOptions } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { assertPasswordStrength, hashPassword, verifyPassword } from './passwords';

describe('passwords', () => {
  it('hashes with argon2id and the configured cost', async () => {
    const hashed = await hashPassword('correct horse');
    expect(hashed.startsWith('$argon2id$')).toBe(true);
    const options = parseOptions(hashed);
    expect(options.memoryCost).toBe(19456);
    expect(options.timeCost).toBe(2);
    expect(options.parallelism).toBe(1);
    expect(await verifyPassword(hashed, 'correct horse')).toBe(true);
    expect(await verifyPassword(hashed, 'wrong horse')).toBe(false);
  });

  it('treats a malformed stored hash as a mismatch', async () => {
    expect(await verifyPassword('not-a-hash', 'anything')).toBe(false);
  });

  it('refuses short passwords and the username as password', () => {
    expect(() => assertPasswordStrength('alice', 'short1')).toThrow('AUTH_WEAK_PASSWORD');
    expect(() => assertPasswordStrength('alice.wang', 'Alice.Wang')).toThrow('AUTH_WEAK_PASSWORD');
    expect(() => assertPasswordStrength('alice', 'long enough')).not.toThrow();
  });
});

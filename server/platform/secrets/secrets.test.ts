import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLazySecretBox, createSecretBox, loadSecretKey, SecretKeyError, SecretOpenError, secretKeyFromBase64 } from './index';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'qiao-secrets-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const keyA = secretKeyFromBase64(randomBytes(32).toString('base64'), 'test');
const keyB = secretKeyFromBase64(randomBytes(32).toString('base64'), 'test');

describe('secret box', () => {
  it('opens what it sealed, including Chinese text and empty strings', () => {
    const box = createSecretBox(keyA);
    for (const value of ['s3cr3t', '企业微信密钥', '']) expect(box.openSecret(box.sealSecret(value))).toBe(value);
  });

  it('writes the versioned format with the key id and never the plaintext', () => {
    const box = createSecretBox(keyA);
    const sealed = box.sealSecret('plain-app-secret');
    expect(sealed).toMatch(/^v1:[0-9a-f]{8}:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(sealed.split(':')[1]).toBe(keyA.id);
    expect(sealed).not.toContain('plain-app-secret');
  });

  it('uses a fresh IV each time', () => {
    const box = createSecretBox(keyA);
    expect(box.sealSecret('same')).not.toBe(box.sealSecret('same'));
  });

  it('refuses a changed ciphertext, tag or IV', () => {
    const box = createSecretBox(keyA);
    const parts = box.sealSecret('value-to-protect').split(':');
    for (const index of [2, 3, 4]) {
      const changed = [...parts];
      const bytes = Buffer.from(changed[index]!, 'base64');
      bytes[0] = bytes[0]! ^ 1;
      changed[index] = bytes.toString('base64');
      expect(() => box.openSecret(changed.join(':'))).toThrow(SecretOpenError);
    }
  });

  it('refuses a value whose key id was swapped for another configured key', () => {
    const sealed = createSecretBox(keyA).sealSecret('x');
    const box = createSecretBox(keyA, [keyB]);
    const parts = sealed.split(':');
    parts[1] = keyB.id;
    expect(() => box.openSecret(parts.join(':'))).toThrow(SecretOpenError);
  });

  it('opens values of a previous key after rotation but refuses unknown keys', () => {
    const sealedWithA = createSecretBox(keyA).sealSecret('old');
    const rotated = createSecretBox(keyB, [keyA]);
    expect(rotated.openSecret(sealedWithA)).toBe('old');
    expect(rotated.sealSecret('new').split(':')[1]).toBe(keyB.id);
    expect(() => createSecretBox(keyB).openSecret(sealedWithA)).toThrow(/not configured/);
  });

  it('refuses unknown formats', () => {
    const box = createSecretBox(keyA);
    for (const value of ['', 'plain', 'v2:a:b:c:d', 'v1:x:y']) expect(() => box.openSecret(value)).toThrow(SecretOpenError);
  });
});

describe('lazy secret box', () => {
  it('reads the key only when a secret is first sealed or opened', () => {
    let loads = 0;
    const box = createLazySecretBox(() => {
      loads++;
      return keyA;
    });
    expect(loads).toBe(0);
    const sealed = box.sealSecret('later');
    expect(createSecretBox(keyA).openSecret(sealed)).toBe('later');
    expect(box.openSecret(sealed)).toBe('later');
    expect(loads).toBe(1);
  });
});

describe('loadSecretKey', () => {
  it('uses QIAO_SECRET_KEY when given and writes no file', () => {
    const dir = tempDir();
    const value = randomBytes(32).toString('base64');
    const key = loadSecretKey({ secretKey: value, dataDir: dir });
    expect(key.key.toString('base64')).toBe(value);
    expect(() => statSync(join(dir, 'secret.key'))).toThrow(/ENOENT/);
  });

  it('generates a private key file once and reuses it', () => {
    const dir = join(tempDir(), 'nested');
    const first = loadSecretKey({ secretKey: undefined, dataDir: dir });
    const stat = statSync(join(dir, 'secret.key'));
    expect(stat.mode & 0o777).toBe(0o600);
    const second = loadSecretKey({ secretKey: undefined, dataDir: dir });
    expect(second.key.equals(first.key)).toBe(true);
    expect(second.id).toBe(first.id);
    const sealed = createSecretBox(first).sealSecret('kept across restarts');
    expect(createSecretBox(second).openSecret(sealed)).toBe('kept across restarts');
  });

  it('keeps the key another process wrote first', () => {
    const dir = tempDir();
    const theirs = randomBytes(32);
    writeFileSync(join(dir, 'secret.key'), theirs.toString('base64'), { mode: 0o600 });
    expect(loadSecretKey({ secretKey: undefined, dataDir: dir }).key.equals(theirs)).toBe(true);
    expect(readFileSync(join(dir, 'secret.key'), 'utf8')).toBe(theirs.toString('base64'));
  });

  it('refuses a key file that does not hold 32 bytes', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'secret.key'), 'c2hvcnQ=');
    expect(() => loadSecretKey({ secretKey: undefined, dataDir: dir })).toThrow(SecretKeyError);
  });
});

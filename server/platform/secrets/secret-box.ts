import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretKey } from './secret-key';

const version = 'v1';
const ivBytes = 12;
const tagBytes = 16;

export class SecretOpenError extends Error {
  /** The id of the key the value says it was sealed with ('' when the value is not a sealed secret at all). */
  readonly keyId: string;
  constructor(reason: string, keyId = '') {
    super(`Cannot open sealed secret: ${reason}`);
    this.name = 'SecretOpenError';
    this.keyId = keyId;
  }
}

/** The opened value, or null when it cannot be opened (sealed with another key, changed or malformed). */
export function openSecretOrNull(secrets: SecretBox, sealed: string): string | null {
  try {
    return secrets.openSecret(sealed);
  } catch (error) {
    if (error instanceof SecretOpenError) return null;
    throw error;
  }
}

/** Seals and opens stored secrets (AppSecret, Token, EncodingAESKey, access tokens). */
export interface SecretBox {
  /** Id of the key new values are sealed with. */
  readonly keyId: string;
  /** `v1:<key id>:<iv b64>:<tag b64>:<ciphertext b64>`, AES-256-GCM with a fresh IV each time. */
  sealSecret(plaintext: string): string;
  /** Throws SecretOpenError when the value was changed, is malformed or needs an unknown key. */
  openSecret(sealed: string): string;
}

/**
 * `current` seals; `previous` keys still open what they sealed, so a key can be
 * rotated by re-sealing rows over time. The version and key id are
 * authenticated too (as additional data), so they cannot be swapped.
 */
export function createSecretBox(current: SecretKey, previous: SecretKey[] = []): SecretBox {
  const keys = new Map<string, Buffer>([...previous, current].map((k) => [k.id, k.key]));
  return {
    keyId: current.id,
    sealSecret(plaintext) {
      const iv = randomBytes(ivBytes);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      cipher.setAAD(Buffer.from(`${version}:${current.id}`));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [version, current.id, iv.toString('base64'), tag.toString('base64'), ciphertext.toString('base64')].join(':');
    },
    openSecret(sealed) {
      const parts = sealed.split(':');
      if (parts.length !== 5 || parts[0] !== version) throw new SecretOpenError('unknown format');
      const [, keyId = '', ivB64 = '', tagB64 = '', dataB64 = ''] = parts;
      const key = keys.get(keyId);
      if (!key) throw new SecretOpenError(`sealed with key ${keyId}, which is not configured`, keyId);
      const iv = Buffer.from(ivB64, 'base64');
      const tag = Buffer.from(tagB64, 'base64');
      if (iv.length !== ivBytes || tag.length !== tagBytes) throw new SecretOpenError('malformed', keyId);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: tagBytes });
        decipher.setAAD(Buffer.from(`${version}:${keyId}`));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(Buffer.from(dataB64, 'base64')), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretOpenError('authentication failed (wrong key or changed value)', keyId);
      }
    },
  };
}

/** Loads the key on first use, so building the app touches no file until a secret is sealed or opened. */
export function createLazySecretBox(load: () => SecretKey): SecretBox {
  let box: SecretBox | undefined;
  const open = () => (box ??= createSecretBox(load()));
  return {
    get keyId() {
      return open().keyId;
    },
    sealSecret: (plaintext) => open().sealSecret(plaintext),
    openSecret: (sealed) => open().openSecret(sealed),
  };
}

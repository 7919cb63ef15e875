import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config';

/** The key that seals stored WeChat secrets, with a short id written next to each sealed value. */
export interface SecretKey {
  id: string;
  key: Buffer;
}

export const secretKeyFileName = 'secret.key';

export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretKeyError';
  }
}

/** Derived from the key itself, so the same key always carries the same id and no registry is needed. */
export function secretKeyId(key: Buffer): string {
  return createHash('sha256').update('qiao-secret-key-id:').update(key).digest('hex').slice(0, 8);
}

export function secretKeyFromBase64(value: string, origin: string): SecretKey {
  const key = Buffer.from(value.trim(), 'base64');
  if (key.length !== 32) throw new SecretKeyError(`${origin} must hold the Base64 of exactly 32 bytes`);
  return { id: secretKeyId(key), key };
}

/**
 * QIAO_SECRET_KEY when set; otherwise `<QIAO_DATA_DIR>/secret.key`, created
 * (mode 0600) on first use. Creation is race-safe: the key is written to a
 * private temporary file and hard-linked into place, which fails when another
 * process got there first; that process's key is then read and used.
 */
export function loadSecretKey(config: Pick<Config, 'secretKey' | 'dataDir'>): SecretKey {
  if (config.secretKey) return secretKeyFromBase64(config.secretKey, 'QIAO_SECRET_KEY');
  const path = join(config.dataDir, secretKeyFileName);
  const existing = readKeyFile(path);
  if (existing) return existing;
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const candidate = randomBytes(32);
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, `${candidate.toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  try {
    linkSync(temporary, path);
    chmodSync(path, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
  const stored = readKeyFile(path);
  if (!stored) throw new SecretKeyError(`${path} could not be created`);
  return stored;
}

function readKeyFile(path: string): SecretKey | null {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return secretKeyFromBase64(content, path);
}

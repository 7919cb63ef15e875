import { createHash, timingSafeEqual } from 'node:crypto';

function sha1OfSorted(parts: string[]): string {
  // WeChat sorts the raw strings (all ASCII in practice) and hashes their concatenation.
  return createHash('sha1').update(parts.sort().join(''), 'utf8').digest('hex');
}

/** Official Account plain `signature`: sha1 of the sorted token, timestamp and nonce. */
export function plainSignature(token: string, timestamp: string, nonce: string): string {
  return sha1OfSorted([token, timestamp, nonce]);
}

/** `msg_signature` / `MsgSignature`: sha1 of the sorted token, timestamp, nonce and ciphertext. */
export function messageSignature(token: string, timestamp: string, nonce: string, encrypted: string): string {
  return sha1OfSorted([token, timestamp, nonce, encrypted]);
}

/**
 * Compares a received hex signature with the expected one in constant time
 * (case-insensitive, as hex is). A missing or differently sized value is false.
 */
export function signaturesMatch(received: string | undefined | null, expected: string): boolean {
  if (typeof received !== 'string' || received.length !== expected.length) return false;
  const a = Buffer.from(received.toLowerCase(), 'utf8');
  const b = Buffer.from(expected.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

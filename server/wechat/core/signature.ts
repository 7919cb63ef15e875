import * as nodeCrypto from 'node:crypto';
import { createHash, timingSafeEqual } from 'node:crypto';

// One-shot hashing (Node ≥ 20.12) skips the Hash object, which costs more than hashing a short string.
const oneShotHash = typeof nodeCrypto.hash === 'function' ? nodeCrypto.hash : null;

function sha1Hex(text: string): string {
  return oneShotHash !== null ? oneShotHash('sha1', text, 'hex') : createHash('sha1').update(text, 'utf8').digest('hex');
}

function sha1OfSortedArray(parts: unknown[]): string {
  // WeChat sorts the raw strings (all ASCII in practice) and hashes their concatenation.
  return sha1Hex(parts.sort().join(''));
}

// For strings, `<` orders by UTF-16 code units exactly as Array#sort's default
// does, and the order of equal strings cannot change the concatenation. Anything
// else (an untyped caller) takes the array path, whose coercions differ from `<`.
function sortedConcat3(a: string, b: string, c: string): string {
  if (b < a) [a, b] = [b, a];
  if (c < b) {
    [b, c] = [c, b];
    if (b < a) [a, b] = [b, a];
  }
  return a + b + c;
}

function sortedConcat4(a: string, b: string, c: string, d: string): string {
  if (b < a) [a, b] = [b, a];
  if (d < c) [c, d] = [d, c];
  if (c < a) [a, c] = [c, a];
  if (d < b) [b, d] = [d, b];
  if (c < b) [b, c] = [c, b];
  return a + b + c + d;
}

/** Official Account plain `signature`: sha1 of the sorted token, timestamp and nonce. */
export function plainSignature(token: string, timestamp: string, nonce: string): string {
  if (typeof token !== 'string' || typeof timestamp !== 'string' || typeof nonce !== 'string') {
    return sha1OfSortedArray([token, timestamp, nonce]);
  }
  return sha1Hex(sortedConcat3(token, timestamp, nonce));
}

/** `msg_signature` / `MsgSignature`: sha1 of the sorted token, timestamp, nonce and ciphertext. */
export function messageSignature(token: string, timestamp: string, nonce: string, encrypted: string): string {
  if (typeof token !== 'string' || typeof timestamp !== 'string' || typeof nonce !== 'string' || typeof encrypted !== 'string') {
    return sha1OfSortedArray([token, timestamp, nonce, encrypted]);
  }
  return sha1Hex(sortedConcat4(token, timestamp, nonce, encrypted));
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

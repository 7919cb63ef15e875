import { randomBytes } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random letters and digits, the alphabet of WeCom's secrets and ids. */
export function alphanumeric(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[(bytes[i] as number) % ALPHANUMERIC.length];
  return out;
}

/** Shapes of WeCom's identifiers, so code that checks prefixes or lengths sees familiar values. */
export const newId = {
  corp: () => `ww${randomBytes(8).toString('hex')}`,
  secret: () => alphanumeric(43),
  callbackToken: () => alphanumeric(32),
  externalUserid: () => `wm${alphanumeric(30)}`,
  welcomeCode: () => alphanumeric(43),
  configId: () => randomBytes(16).toString('hex'),
  corpTag: () => `et${alphanumeric(20)}`,
  job: () => alphanumeric(32),
  media: () => `3${alphanumeric(63)}`,
  // MsgIds exceed 2^53: decimal strings, never numbers.
  msgId: () => (BigInt(`0x${randomBytes(8).toString('hex')}`) | (1n << 62n)).toString(),
};

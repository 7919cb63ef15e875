import { randomInt } from 'node:crypto';

const alphanumeric = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomText(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphanumeric[randomInt(alphanumeric.length)];
  return out;
}

/** A callback token as WeChat accepts it: 32 letters or digits. */
export function generateCallbackToken(): string {
  return randomText(32);
}

/** 43 letters or digits; WeChat derives the AES-256 key as Base64(value + "="). */
export function generateEncodingAesKey(): string {
  return randomText(43);
}

export const officialAccountReceiver = 'official-account';

/**
 * Which of a WeCom corp's receivers to call an API area with: its own secret
 * (`contacts`, `customer-contact`) when connected, else the first self-built
 * app (an AgentId), which WeCom lets call it when listed under 可调用应用.
 */
export function wecomReceiverFor(receivers: readonly string[], own: 'contacts' | 'customer-contact'): string | undefined {
  return receivers.includes(own) ? own : receivers.find((r) => /^\d+$/.test(r));
}

export const defaultApiBaseUrls = {
  official_account: 'https://api.weixin.qq.com',
  wecom: 'https://qyapi.weixin.qq.com',
} as const;

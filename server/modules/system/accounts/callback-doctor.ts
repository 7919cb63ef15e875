import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { MessageCrypt, generateNonce, officialAccountVerifyQuery, weComVerifyQuery } from '../../../wechat/core';
import type { CallbackCheckStep } from './accounts.schema';

/** WeChat gives a callback 5 s; a check slower than this is a warning before it is a failure. */
const slowMs = 3000;
const timeoutMs = 5000;

export interface CallbackCheckInput {
  url: string;
  product: 'official-account' | 'wecom';
  token: string;
  /** Current EncodingAESKey; WeCom verification needs it, Official Account plain mode has none. */
  encodingAesKey: string | null;
  /** AppID or CorpID, the receiver id inside encrypted text. */
  receiverId: string;
  fetchImpl?: typeof fetch;
  resolveHost?: (host: string) => Promise<string>;
}

function isPrivateAddress(address: string): boolean {
  if (address === '::1' || address.startsWith('fc') || address.startsWith('fd') || address.startsWith('fe80')) return true;
  const parts = address.split('.').map(Number);
  if (parts.length !== 4) return false;
  const [a, b] = parts as [number, number, number, number];
  return a === 127 || a === 10 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: Math.round(performance.now() - started) };
}

function networkCode(error: unknown): string {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    if ((current as { name?: unknown }).name === 'TimeoutError') return 'TIMEOUT';
    current = (current as { cause?: unknown }).cause;
  }
  return 'UNKNOWN';
}

function connectionFailure(step: CallbackCheckStep['step'], error: unknown): CallbackCheckStep {
  const code = networkCode(error);
  if (code === 'TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ABORT_ERR') return { step, status: 'fail', code: 'TIMEOUT', details: { timeoutMs } };
  if (code === 'ECONNREFUSED') return { step, status: 'fail', code: 'CONNECTION_REFUSED', details: {} };
  if (code.startsWith('ERR_TLS') || code.includes('CERT') || code === 'EPROTO') return { step, status: 'fail', code: 'TLS_FAILED', details: { reason: code } };
  return { step, status: 'fail', code: 'UNREACHABLE', details: { reason: code } };
}

/**
 * Replays what WeChat does with a callback URL and names the first step that
 * fails: the URL's shape, its host's address, the verification GET (the echo
 * must come back byte for byte, without redirects) and a push with a wrong
 * signature, which Qiao must refuse — proof that pushes reach Qiao, checked,
 * without anything being handled or stored.
 */
export async function checkCallbackUrl(input: CallbackCheckInput): Promise<CallbackCheckStep[]> {
  const fetchImpl = input.fetchImpl ?? fetch;
  const resolveHost = input.resolveHost ?? (async (host: string) => (await lookup(host)).address);
  const steps: CallbackCheckStep[] = [];
  const url = new URL(input.url);

  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  if (input.product === 'official-account' && !((url.protocol === 'http:' && port === 80) || (url.protocol === 'https:' && port === 443))) {
    steps.push({ step: 'url', status: 'warn', code: 'PORT_NOT_ALLOWED', details: { port } });
  } else if (url.protocol === 'http:') {
    steps.push({ step: 'url', status: 'warn', code: 'PLAIN_HTTP', details: {} });
  } else {
    steps.push({ step: 'url', status: 'ok', code: 'URL_OK', details: {} });
  }

  let address: string;
  try {
    address = isIP(url.hostname.replace(/^\[|\]$/g, '')) ? url.hostname.replace(/^\[|\]$/g, '') : await resolveHost(url.hostname);
  } catch (error) {
    steps.push({ step: 'dns', status: 'fail', code: 'HOST_NOT_FOUND', details: { host: url.hostname, reason: networkCode(error) } });
    return steps;
  }
  steps.push(
    isPrivateAddress(address)
      ? { step: 'dns', status: 'warn', code: 'PRIVATE_ADDRESS', details: { host: url.hostname, address } }
      : { step: 'dns', status: 'ok', code: 'HOST_RESOLVED', details: { host: url.hostname, address } },
  );

  const echostr = `qiao-check-${generateNonce()}`;
  const crypt = input.encodingAesKey ? new MessageCrypt({ currentKey: input.encodingAesKey, receiverId: input.receiverId }) : null;
  const query =
    input.product === 'wecom'
      ? weComVerifyQuery({ token: input.token, crypt: crypt ?? missingKey(), echostr })
      : officialAccountVerifyQuery({ token: input.token, echostr });
  const verifyUrl = new URL(url);
  for (const [key, value] of Object.entries(query)) verifyUrl.searchParams.set(key, value);
  const verified = await request(fetchImpl, verifyUrl, { method: 'GET' });
  if ('error' in verified) {
    steps.push(connectionFailure('verify', verified.error));
    return steps;
  }
  const { response, body, ms } = verified;
  const answer = { status: response.status, ms };
  if (response.status >= 300 && response.status < 400) {
    steps.push({ step: 'verify', status: 'fail', code: 'REDIRECTED', details: { ...answer, location: response.headers.get('location') ?? '' } });
    return steps;
  }
  if (response.status === 404) {
    steps.push({ step: 'verify', status: 'fail', code: 'PATH_NOT_FOUND', details: answer });
    return steps;
  }
  if (response.status === 401) {
    steps.push({ step: 'verify', status: 'fail', code: 'SIGNATURE_REFUSED', details: answer });
    return steps;
  }
  if (response.status !== 200) {
    steps.push({ step: 'verify', status: 'fail', code: 'UNEXPECTED_STATUS', details: answer });
    return steps;
  }
  if (body !== echostr) {
    steps.push({ step: 'verify', status: 'fail', code: 'ECHO_MISMATCH', details: { ...answer, received: body.slice(0, 80) } });
    return steps;
  }
  steps.push({ step: 'verify', status: ms > slowMs ? 'warn' : 'ok', code: ms > slowMs ? 'SLOW' : 'ECHOED', details: answer });

  const pushUrl = new URL(url);
  const forged = input.product === 'wecom' ? { ...query, msg_signature: '0'.repeat(40) } : { ...query, signature: '0'.repeat(40) };
  delete (forged as Record<string, string>).echostr;
  for (const [key, value] of Object.entries(forged)) pushUrl.searchParams.set(key, value);
  const pushed = await request(fetchImpl, pushUrl, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: `<xml><ToUserName><![CDATA[qiao-check]]></ToUserName><Encrypt><![CDATA[${randomBytes(64).toString('base64')}]]></Encrypt></xml>`,
  });
  if ('error' in pushed) {
    steps.push(connectionFailure('push', pushed.error));
    return steps;
  }
  const refusedByQiao = pushed.response.status === 401 && pushed.body.includes('WECHAT_SIGNATURE_INVALID');
  steps.push(
    refusedByQiao
      ? { step: 'push', status: 'ok', code: 'PUSH_CHECKED', details: { status: pushed.response.status, ms: pushed.ms } }
      : { step: 'push', status: 'fail', code: 'PUSH_NOT_CHECKED', details: { status: pushed.response.status, ms: pushed.ms } },
  );
  return steps;
}

function missingKey(): never {
  throw new Error('a WeCom receiver always has an EncodingAESKey');
}

async function request(
  fetchImpl: typeof fetch,
  url: URL,
  init: RequestInit,
): Promise<{ response: Response; body: string; ms: number } | { error: unknown }> {
  try {
    const { value, ms } = await timed(async () => {
      const response = await fetchImpl(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      return { response, body: await response.text() };
    });
    return { ...value, ms };
  } catch (error) {
    return { error };
  }
}

import { performance } from 'node:perf_hooks';
import type { z } from 'zod';
import { AppError } from '../../../common/errors';
import type { Cache } from '../../platform/cache/cache';
import type { Clock } from '../../platform/clock';
import type { Logger } from '../../platform/logger';
import { oaStableToken } from '../official-account/token';
import { wecomToken } from '../wecom/token';
import type { EndpointBody, EndpointQuery, EndpointResult, WeChatEndpoint, WeChatProduct } from './endpoint';
import { rejectsToken } from './errcodes';
import { WeChatApiError } from './errors';
import type { AccessTokenStore, ApiCallLog, ApiCallOutcome } from './stores';

export type WeChatCredentials = { appId: string; secret: string } | { corpId: string; secret: string };

/** One identity Qiao calls WeChat as: an Official Account, or one secret of a WeCom corp. */
export interface WeChatAccount {
  product: WeChatProduct;
  /** AppID, or CorpID + ':' + receiver: the access token's owner. */
  accountKey: string;
  /** `https://api.weixin.qq.com`, `https://qyapi.weixin.qq.com`, or the sandbox. */
  apiBaseUrl: string;
  /** Read only when a token must be fetched. */
  credentials(): Promise<WeChatCredentials>;
  /** Qiao's account id, for the call log. */
  accountId?: string;
  /** Told about every errcode WeChat answers (account health); its failures are ignored. */
  onApiError?(error: WeChatApiError): Promise<void> | void;
}

export interface WeChatClientDeps {
  cache: Cache;
  tokenStore: AccessTokenStore;
  callLog: ApiCallLog;
  clock: Clock;
  logger: Logger;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** A token is renewed this long before it expires (at most half its lifetime early). */
  refreshAheadMs?: number;
  /** Waits before each retry after errcode -1; its length is the number of retries. */
  busyRetryDelaysMs?: readonly number[];
  /** A token rejected this soon after it was fetched means someone else fetches tokens with the same secret. */
  stolenTokenWindowMs?: number;
}

export interface WeChatClient {
  /** Calls a declared endpoint as `account`; throws WeChatApiError, or AppError for local refusals and transport failures. */
  call<E extends WeChatEndpoint>(account: WeChatAccount, endpoint: E, body?: EndpointBody<E>, query?: EndpointQuery<E>): Promise<EndpointResult<E>>;
  /** The account's current access token, fetched if none is usable. */
  accessToken(account: WeChatAccount): Promise<string>;
  /** Fetches a token from WeChat now (checks secret and IP whitelist) and stores it. */
  fetchAccessToken(account: WeChatAccount): Promise<void>;
}

const lockOptions = { ttlMs: 60_000, waitMs: 60_000 };

/**
 * The only way Qiao calls WeChat. Adds the access token, turns a non-zero
 * errcode into WeChatApiError, refreshes the token once on 40001/40014/42001,
 * retries only "system busy" (-1) with backoff, enforces declared rate limits,
 * validates answers with the declaration and logs every call.
 */
export function createWeChatClient(deps: WeChatClientDeps): WeChatClient {
  const fetchFn = deps.fetch ?? globalThis.fetch;
  const timeoutMs = deps.timeoutMs ?? 15_000;
  const refreshAheadMs = deps.refreshAheadMs ?? 5 * 60_000;
  const busyDelays = deps.busyRetryDelaysMs ?? [300, 1000, 3000];
  const stolenWindowMs = deps.stolenTokenWindowMs ?? 10 * 60_000;
  const logger = deps.logger.child({ module: 'wechat-client' });
  const inFlight = new Map<string, Promise<string>>();

  function singleFlight(key: string, work: () => Promise<string>): Promise<string> {
    const running = inFlight.get(key);
    if (running) return running;
    const started = work().finally(() => inFlight.delete(key));
    inFlight.set(key, started);
    return started;
  }

  function isFresh(stored: { fetchedAt: Date; expiresAt: Date } | null): stored is { fetchedAt: Date; expiresAt: Date; token: string } {
    if (!stored) return false;
    const lifetime = stored.expiresAt.getTime() - stored.fetchedAt.getTime();
    const renewAt = stored.fetchedAt.getTime() + Math.max(lifetime - refreshAheadMs, lifetime / 2);
    return deps.clock.now().getTime() < Math.min(renewAt, stored.expiresAt.getTime());
  }

  async function logCall(account: WeChatAccount, endpoint: WeChatEndpoint, outcome: ApiCallOutcome, errcode: number | null, startedAt: number) {
    const entry = {
      at: deps.clock.now(),
      product: endpoint.product,
      accountKey: account.accountKey,
      accountId: account.accountId ?? null,
      path: endpoint.path,
      title: endpoint.titleZh,
      outcome,
      errcode,
      durationMs: Math.round(performance.now() - startedAt),
    };
    logger.debug({ path: entry.path, accountKey: entry.accountKey, errcode, durationMs: entry.durationMs }, 'wechat call');
    await deps.callLog.record(entry).catch((error: unknown) => logger.warn({ err: error }, 'could not write the WeChat API call log'));
  }

  async function enforceRateLimits(account: WeChatAccount, endpoint: WeChatEndpoint) {
    // WeCom counts per corp, the Official Account per AppID: the part of the key before ':'.
    const owner = account.accountKey.split(':')[0];
    for (const limit of endpoint.rateLimits) {
      const result = await deps.cache.hit(`wechat:rate:${endpoint.product}:${owner}:${endpoint.path}:${limit.windowMs}`, limit.limit, limit.windowMs);
      if (!result.allowed) {
        throw new AppError('WECHAT_API_RATE_LIMITED', {
          endpoint: endpoint.path,
          title: endpoint.titleZh,
          retryAfterS: Math.max(1, Math.ceil(result.retryAfterMs / 1000)),
        });
      }
    }
  }

  function buildUrl(account: WeChatAccount, endpoint: WeChatEndpoint, query: Record<string, unknown>, token: string | null): URL {
    const url = new URL(`${account.apiBaseUrl.replace(/\/+$/, '')}/${endpoint.path}`);
    for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, String(value));
    if (token) url.searchParams.set('access_token', token);
    return url;
  }

  /** One HTTP exchange; the URL is never logged since it may carry a token or a secret. */
  async function exchange(account: WeChatAccount, endpoint: WeChatEndpoint, query: Record<string, unknown>, body: unknown, token: string | null) {
    const startedAt = performance.now();
    const failure = (reason: string) => new AppError('WECHAT_API_UNREACHABLE', { endpoint: endpoint.path, title: endpoint.titleZh, reason });
    let payload: unknown;
    try {
      const response = await fetchFn(buildUrl(account, endpoint, query, token), {
        method: endpoint.method,
        headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      if (!response.ok) throw failure(`HTTP ${response.status}`);
      try {
        payload = JSON.parse(text);
      } catch {
        throw failure('not JSON');
      }
    } catch (error) {
      await logCall(account, endpoint, 'unreachable', null, startedAt);
      if (error instanceof AppError) throw error;
      throw failure(transportReason(error));
    }
    const errcode = (payload as { errcode?: unknown })?.errcode;
    if (typeof errcode === 'number' && errcode !== 0) {
      await logCall(account, endpoint, 'wechat_error', errcode, startedAt);
      const errmsg = (payload as { errmsg?: unknown }).errmsg;
      const error = new WeChatApiError({ endpoint, errcode, errmsg: typeof errmsg === 'string' ? errmsg : '' });
      if (account.onApiError) await Promise.resolve(account.onApiError(error)).catch(() => undefined);
      throw error;
    }
    const parsed = endpoint.response.safeParse(payload);
    if (!parsed.success) {
      await logCall(account, endpoint, 'bad_response', 0, startedAt);
      const issues = parsed.error.issues.slice(0, 5).map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
      logger.warn({ path: endpoint.path, accountKey: account.accountKey, issues }, 'WeChat answered in an unexpected shape');
      throw new AppError('WECHAT_API_BAD_RESPONSE', { endpoint: endpoint.path, title: endpoint.titleZh, issues });
    }
    await logCall(account, endpoint, 'ok', 0, startedAt);
    return parsed.data;
  }

  async function exchangeRetryingBusy(account: WeChatAccount, endpoint: WeChatEndpoint, query: Record<string, unknown>, body: unknown, token: string | null) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await exchange(account, endpoint, query, body, token);
      } catch (error) {
        const delay = busyDelays[attempt];
        if (!(error instanceof WeChatApiError) || error.errcode !== -1 || delay === undefined) throw error;
        logger.info({ path: endpoint.path, attempt: attempt + 1 }, 'WeChat is busy; retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  function checkInput(endpoint: WeChatEndpoint, schema: z.ZodType, value: unknown, what: string): unknown {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    // The caller built a request its own declaration refuses: a bug in Qiao, not a user error.
    throw new Error(`Invalid ${what} for WeChat ${endpoint.path}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  }

  async function send(account: WeChatAccount, endpoint: WeChatEndpoint, body: unknown, query: unknown, token: string | null) {
    const checkedQuery = checkInput(endpoint, endpoint.query, query ?? {}, 'query') as Record<string, unknown>;
    const checkedBody = checkInput(endpoint, endpoint.request, body, 'body');
    await enforceRateLimits(account, endpoint);
    return exchangeRetryingBusy(account, endpoint, checkedQuery, checkedBody, token);
  }

  async function fetchAndStore(account: WeChatAccount, forceRefresh: boolean): Promise<string> {
    const credentials = await account.credentials();
    const fetchedAt = deps.clock.now();
    let answer: { access_token: string; expires_in: number };
    if (account.product === 'official-account') {
      if (!('appId' in credentials)) throw new Error('An Official Account needs an appId');
      const body = { grant_type: 'client_credential' as const, appid: credentials.appId, secret: credentials.secret, ...(forceRefresh ? { force_refresh: true } : {}) };
      answer = (await send(account, oaStableToken, body, undefined, null)) as EndpointResult<typeof oaStableToken>;
    } else {
      if (!('corpId' in credentials)) throw new Error('A WeCom account needs a corpId');
      answer = (await send(account, wecomToken, undefined, { corpid: credentials.corpId, corpsecret: credentials.secret }, null)) as EndpointResult<typeof wecomToken>;
    }
    await deps.tokenStore.save({
      accountKey: account.accountKey,
      token: answer.access_token,
      fetchedAt,
      expiresAt: new Date(fetchedAt.getTime() + answer.expires_in * 1000),
    });
    return answer.access_token;
  }

  async function accessToken(account: WeChatAccount): Promise<string> {
    const stored = await deps.tokenStore.find(account.accountKey);
    if (isFresh(stored)) return stored.token;
    return singleFlight(account.accountKey, () =>
      deps.cache.withLock(`wechat:token:${account.accountKey}`, lockOptions, async () => {
        const current = await deps.tokenStore.find(account.accountKey);
        if (isFresh(current)) return current.token;
        return fetchAndStore(account, false);
      }),
    );
  }

  /** After WeChat refused `rejected`: use a newer token if another caller already got one, else fetch. */
  function replaceRejectedToken(account: WeChatAccount, rejected: string): Promise<string> {
    return singleFlight(`${account.accountKey}:rejected`, () =>
      deps.cache.withLock(`wechat:token:${account.accountKey}`, lockOptions, async () => {
        const current = await deps.tokenStore.find(account.accountKey);
        if (current && current.token !== rejected && isFresh(current)) return current.token;
        if (current && current.token === rejected && deps.clock.now().getTime() - current.fetchedAt.getTime() < stolenWindowMs) {
          logger.warn(
            { accountKey: account.accountKey, ageS: Math.round((deps.clock.now().getTime() - current.fetchedAt.getTime()) / 1000) },
            'WeChat invalidated a freshly fetched access token: another system is probably fetching tokens with the same secret',
          );
        }
        const fresh = await fetchAndStore(account, false);
        // stable_token hands back the same token while it is valid; only a forced refresh replaces a revoked one.
        if (fresh === rejected && account.product === 'official-account') return fetchAndStore(account, true);
        return fresh;
      }),
    );
  }

  return {
    accessToken,
    async fetchAccessToken(account) {
      await singleFlight(account.accountKey, () =>
        deps.cache.withLock(`wechat:token:${account.accountKey}`, lockOptions, () => fetchAndStore(account, false)),
      );
    },
    async call(account, endpoint, body, query) {
      if (endpoint.product !== account.product) {
        throw new Error(`${endpoint.product} endpoint ${endpoint.path} called with a ${account.product} account`);
      }
      if (endpoint.auth === 'none') return (await send(account, endpoint, body, query, null)) as EndpointResult<typeof endpoint>;
      const token = await accessToken(account);
      try {
        return (await send(account, endpoint, body, query, token)) as EndpointResult<typeof endpoint>;
      } catch (error) {
        if (!(error instanceof WeChatApiError) || !rejectsToken(error.errcode)) throw error;
        const replacement = await replaceRejectedToken(account, token);
        return (await send(account, endpoint, body, query, replacement)) as EndpointResult<typeof endpoint>;
      }
    },
  };
}

function transportReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } })?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if ((error as Error)?.name === 'TimeoutError') return 'timeout';
  return (error as Error)?.name ?? 'network error';
}

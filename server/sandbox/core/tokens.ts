import { randomBytes } from 'node:crypto';
import type { Clock } from '../../platform/clock';
import type { CoreRepository } from './core.repository';
import { wechatError } from './wechat-error';

/** WeChat's token lifetime and the overlap during which a superseded token still works. */
export const TOKEN_LIFETIME_S = 7200;
export const TOKEN_OVERLAP_MS = 5 * 60_000;
/** `stable_token` with `force_refresh`: at most this many a day, this far apart. */
export const FORCE_REFRESH_PER_DAY = 20;
export const FORCE_REFRESH_GAP_MS = 30_000;

export type IssuedToken = {
  access_token: string;
  expires_in: number;
};

/** Who a valid token belongs to. */
export interface TokenOwner {
  product: string;
  ownerKey: string;
}

function newToken(): string {
  // Real tokens are opaque, URL-safe and well over 100 characters; clients must store ≥ 512.
  return randomBytes(102).toString('base64url');
}

/**
 * Issues and checks access tokens for any product, with WeChat's rules:
 * `issue` (cgi-bin/token, WeCom gettoken) supersedes earlier tokens with a
 * 5-minute overlap; `issueStable` returns the same token while it has more
 * than 5 minutes left, and `forceRefresh` invalidates it at once (20 a day,
 * 30 s apart). Checking answers 41001 / 40001 / 42001 as WeChat does.
 */
export function createTokenService(deps: { repository: CoreRepository; clock: Clock; quotas: { dayOf(date: Date): string } }) {
  const forceRefreshes = new Map<string, number[]>();

  async function store(owner: TokenOwner, kind: string, supersede: 'overlap' | 'now' | 'keep'): Promise<IssuedToken> {
    const now = deps.clock.now();
    const expiresAt = new Date(now.getTime() + TOKEN_LIFETIME_S * 1000);
    const until = supersede === 'overlap' ? new Date(now.getTime() + TOKEN_OVERLAP_MS) : supersede === 'now' ? now : null;
    const token = newToken();
    await deps.repository.issueToken({ token, product: owner.product, ownerKey: owner.ownerKey, kind, issuedAt: now, expiresAt, validUntil: expiresAt }, until);
    return { access_token: token, expires_in: TOKEN_LIFETIME_S };
  }

  return {
    /** A fresh token; the previous ones keep working for 5 more minutes at most. */
    issue(owner: TokenOwner): Promise<IssuedToken> {
      return store(owner, 'token', 'overlap');
    },

    /** `stable_token`: independent of `issue`; the same token while it is valid. */
    async issueStable(owner: TokenOwner, forceRefresh: boolean): Promise<IssuedToken> {
      const now = deps.clock.now();
      if (forceRefresh) {
        const key = `${owner.product}:${owner.ownerKey}`;
        const today = deps.quotas.dayOf(now);
        const recent = (forceRefreshes.get(key) ?? []).filter((at) => deps.quotas.dayOf(new Date(at)) === today);
        const last = recent[recent.length - 1];
        if (recent.length >= FORCE_REFRESH_PER_DAY) throw wechatError(45009, 'force_refresh limit per day');
        if (last !== undefined && now.getTime() - last < FORCE_REFRESH_GAP_MS) throw wechatError(45011, 'force_refresh at most once per 30 seconds');
        forceRefreshes.set(key, [...recent, now.getTime()]);
        return store(owner, 'stable', 'now');
      }
      const current = await deps.repository.latestToken(owner.product, owner.ownerKey, 'stable');
      if (current && current.validUntil.getTime() - now.getTime() > TOKEN_OVERLAP_MS) {
        return { access_token: current.token, expires_in: Math.floor((current.validUntil.getTime() - now.getTime()) / 1000) };
      }
      // In its last 5 minutes a stable token is rotated; the old one lives out its time.
      return store(owner, 'stable', 'keep');
    },

    /** The owner of a usable token, or the errcode WeChat answers (41001 missing, 40001 not latest / unknown, 42001 expired). */
    async check(product: string, accessToken: string | undefined): Promise<TokenOwner> {
      if (!accessToken) throw wechatError(41001);
      // WeChat calls an unknown or superseded token 40001 ("invalid credential"), WeCom 40014 ("invalid access_token").
      const invalid = product === 'wecom' ? 40014 : 40001;
      const row = await deps.repository.findToken(accessToken);
      if (!row || row.product !== product) throw wechatError(invalid);
      const now = deps.clock.now().getTime();
      if (now >= row.validUntil.getTime()) throw wechatError(row.validUntil.getTime() < row.expiresAt.getTime() ? invalid : 42001);
      return { product: row.product, ownerKey: row.ownerKey };
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;

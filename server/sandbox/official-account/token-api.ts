import { oaApiDomainIps, oaCallbackIps, oaStableToken, oaToken } from '../../wechat/official-account';
import type { App } from '../../platform/http/create-server';
import { wechatError, type SandboxContext } from '../core';
import type { OaRepository } from './oa.repository';

/** stable_token's own daily limit (500,000); its per-minute limit (10,000) is not emulated. */
const STABLE_TOKEN_DAILY = 500_000;

function checkCredentials(raw: Record<string, unknown>): void {
  if (raw.grant_type !== 'client_credential') throw wechatError(40002);
  if (typeof raw.appid !== 'string' || raw.appid === '') throw wechatError(41002);
  if (typeof raw.secret !== 'string' || raw.secret === '') throw wechatError(41004);
}

/** cgi-bin/token and cgi-bin/stable_token: 40002 grant_type, 41002/41004 missing, 40013 AppID, 40125 secret, 45009 quota. */
export function serveTokenApi(app: App, ctx: SandboxContext, repository: OaRepository): void {
  async function authenticate(appId: string, secret: string, path: string, dailyLimit: number): Promise<void> {
    const account = await repository.findAccount(appId);
    if (!account) throw wechatError(40013);
    if (account.appSecret !== secret) throw wechatError(40125);
    await ctx.quotas.consume({ product: 'official-account', ownerKey: appId, path, now: ctx.clock.now() }, dailyLimit);
  }

  ctx.serveEndpoint(
    app,
    oaToken,
    async ({ query }) => {
      await authenticate(query.appid, query.secret, oaToken.path, oaToken.dailyQuota ?? 2000);
      return ctx.tokens.issue({ product: 'official-account', ownerKey: query.appid });
    },
    { check: ({ query }) => checkCredentials(query) },
  );

  ctx.serveEndpoint(
    app,
    oaStableToken,
    async ({ body }) => {
      await authenticate(body.appid, body.secret, oaStableToken.path, STABLE_TOKEN_DAILY);
      return ctx.tokens.issueStable({ product: 'official-account', ownerKey: body.appid }, body.force_refresh === true);
    },
    { check: ({ body }) => checkCredentials((body ?? {}) as Record<string, unknown>) },
  );

  // The sandbox pushes and answers from this host; a firewall rule for it is a loopback rule.
  ctx.serveEndpoint(app, oaCallbackIps, async () => ({ ip_list: ['127.0.0.1'] }));
  ctx.serveEndpoint(app, oaApiDomainIps, async () => ({ ip_list: ['127.0.0.1'] }));
}

import type { SandboxContext, SandboxProduct } from '../core';
import { officialAccountControlRoutes } from './control.routes';
import { serveFollowerApi } from './follower-api';
import { serveMediaApi } from './media-api';
import { serveMenuApi } from './menu-api';
import { serveMessageApi } from './message-api';
import { createOaRepository } from './oa.repository';
import { createOaPusher } from './push';
import { serveTokenApi } from './token-api';
import { serveDatacubeApi } from './datacube-api';
import { serveDraftPublishApi } from './publish-api';
import { createPublishRepository } from './publish.repository';
import { createOaWorld, type EncryptMode } from './world';

export { UNAVAILABLE_NOTICE } from './push';
export type { ActionOutcome, InboxItem, OaWorld } from './world';

/** What Qiao needs to connect a sandbox Official Account as an ordinary account (POST /api/v1/accounts). */
export interface OfficialAccountConnection {
  name: string;
  appId: string;
  appSecret: string;
  token: string;
  encodingAesKey: string;
  encryptMode: EncryptMode;
  apiBaseUrl: string;
}

/** The Official Account side of the sandbox: api.weixin.qq.com's endpoints, the world, its control API. */
export function createOfficialAccountSandbox(ctx: SandboxContext) {
  const repository = createOaRepository(ctx.db);
  const publishing = createPublishRepository(ctx.db);
  const pusher = createOaPusher(ctx, repository);
  const world = createOaWorld(ctx, repository, pusher);
  const apiBaseUrl = `${ctx.config.publicBaseUrl}/sandbox/official-account`;

  const product: SandboxProduct = {
    product: 'official-account',
    async apiRoutes(app) {
      serveTokenApi(app, ctx, repository);
      serveMenuApi(app, ctx, repository, world);
      serveFollowerApi(app, ctx, repository);
      serveMessageApi(app, ctx, repository, pusher, world);
      serveMediaApi(app, ctx, repository);
      serveDraftPublishApi(app, ctx, repository, publishing, pusher, world);
      serveDatacubeApi(app, ctx);
    },
    async controlRoutes(app) {
      await officialAccountControlRoutes(app, { world, repository, publishing, apiBaseUrl });
    },
    async bootstrap(options) {
      if ((await world.listAccounts()).length > 0) return {};
      const account = await world.createAccount({ name: '沙箱公众号', encryptMode: 'safe' });
      if (options.population > 0) await world.generateFollowers(account.appId, options.population);
      const connection: OfficialAccountConnection = {
        name: account.name,
        appId: account.appId,
        appSecret: account.appSecret,
        token: account.token,
        encodingAesKey: account.encodingAesKey,
        encryptMode: account.encryptMode as EncryptMode,
        apiBaseUrl: options.apiBaseUrl('official-account'),
      };
      return { officialAccount: connection };
    },
  };

  return {
    product,
    world,
    /** Points a sandbox account at Qiao's callback URL (what an admin pastes into the MP console). */
    async setCallbackUrl(appId: string, callbackUrl: string): Promise<void> {
      await world.updateAccount(appId, { callbackUrl });
    },
  };
}

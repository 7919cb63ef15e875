import type { App } from '../platform/http/create-server';
import type { WeChatProduct } from '../wechat/client/endpoint';
import { coreControlRoutes, createSandboxContext, prepareWeChatScope, type SandboxDeps, type SandboxPlugin } from './core';
import { createOfficialAccountSandbox, type OfficialAccountConnection } from './official-account';

export type { SandboxContext, SandboxDeps, SandboxPlugin, SandboxProduct } from './core';
export type { OfficialAccountConnection } from './official-account';

/** Followers of the first sandbox Official Account when no population is given. */
export const DEFAULT_SANDBOX_POPULATION = 200;

export interface CreateSandboxOptions {
  /** Products besides the Official Account, e.g. `registerWeComSandbox` from ./wecom. */
  plugins?: SandboxPlugin[];
}

/** What the first boot must connect in Qiao, per product. */
export interface SandboxBootstrapResult {
  officialAccount?: OfficialAccountConnection;
  [product: string]: unknown;
}

/**
 * The built-in WeChat sandbox. `routes` registers everything under `/sandbox`
 * when `config.sandbox` is on (nothing otherwise); `bootstrap({population})`
 * creates the first simulated accounts on an empty world and answers what to
 * connect; `setCallbackUrl` points a sandbox Official Account at Qiao's callback URL.
 */
export function createSandbox(deps: SandboxDeps, options: CreateSandboxOptions = {}) {
  const ctx = createSandboxContext(deps);
  const officialAccount = createOfficialAccountSandbox(ctx);
  const products = [officialAccount.product, ...(options.plugins ?? []).map((plugin) => plugin(ctx))];
  const apiBaseUrl = (product: WeChatProduct) => `${deps.config.publicBaseUrl}/sandbox/${product}`;

  async function routes(app: App): Promise<void> {
    if (!deps.config.sandbox) return;
    for (const product of products) {
      await app.register(async (scope: App) => {
        await prepareWeChatScope(scope, { uploadLimitBytes: deps.config.uploadLimitBytes, logger: ctx.logger });
        await product.apiRoutes(scope);
      });
    }
    await app.register(async (scope: App) => {
      await coreControlRoutes(scope, ctx);
      for (const product of products) await product.controlRoutes?.(scope);
    });
  }

  return {
    context: ctx,
    routes,
    /** First boot: nothing happens when the sandbox is off or a product already has an account. */
    async bootstrap(bootstrapOptions: { population?: number } = {}): Promise<SandboxBootstrapResult> {
      if (!deps.config.sandbox) return {};
      const result: SandboxBootstrapResult = {};
      for (const product of products) {
        Object.assign(result, await product.bootstrap?.({ population: bootstrapOptions.population ?? DEFAULT_SANDBOX_POPULATION, apiBaseUrl }));
      }
      return result;
    },
    setCallbackUrl: officialAccount.setCallbackUrl,
    officialAccount: officialAccount.world,
  };
}

export type Sandbox = ReturnType<typeof createSandbox>;

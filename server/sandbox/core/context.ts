import type { Cache } from '../../platform/cache/cache';
import type { Clock } from '../../platform/clock';
import type { Config } from '../../platform/config';
import type { Db } from '../../platform/db/client';
import type { App } from '../../platform/http/create-server';
import type { Logger } from '../../platform/logger';
import type { WeChatEndpoint, WeChatProduct } from '../../wechat/client/endpoint';
import { createCoreRepository } from './core.repository';
import { createCallbackDeliverer, type CallbackDeliverer, type DeliveryOptions } from './delivery';
import { createFaultRegistry, type FaultRegistry } from './faults';
import { createFrequencyLimits } from './frequency';
import { createQuotaService, type QuotaService } from './quotas';
import { serveEndpoint, type EndpointHandler, type ServeOptions } from './serve-endpoint';
import { createTokenService, type TokenService } from './tokens';

/** What the sandbox is built from; app.ts and standalone.ts hand it over. */
export interface SandboxDeps {
  config: Config;
  db: Db;
  cache: Cache;
  clock: Clock;
  logger: Logger;
  /** How callbacks leave the process; tests may route them elsewhere. */
  fetch?: typeof fetch;
  /** Callback timeout and attempts; WeChat's 5 s and 3 by default. */
  delivery?: Partial<DeliveryOptions>;
}

/** The shared machinery every product of the sandbox plugs into. */
export interface SandboxContext {
  config: Config;
  db: Db;
  cache: Cache;
  clock: Clock;
  logger: Logger;
  tokens: TokenService;
  quotas: QuotaService;
  faults: FaultRegistry;
  callbacks: CallbackDeliverer;
  /** Serves a declaration at `/sandbox/<product>/<path>` (see serveEndpoint). */
  serveEndpoint<E extends WeChatEndpoint>(app: App, declaration: E, handler: EndpointHandler<E>, options?: ServeOptions): void;
}

/** One emulated product (Official Account, WeCom): its routes and its first-boot world. */
export interface SandboxProduct {
  product: WeChatProduct;
  /** Registers the WeChat-side endpoints; the scope already reads bodies as WeChat does. */
  apiRoutes(app: App): Promise<void>;
  /** Registers `/sandbox/control/...` routes; each declares `config: { access: 'sandbox.control' }`. */
  controlRoutes?(app: App): Promise<void>;
  /** Creates the first simulated account when none exists; answers what Qiao must connect (under a key such as `officialAccount`). */
  bootstrap?(options: SandboxBootstrapOptions): Promise<Record<string, unknown>>;
}

export interface SandboxBootstrapOptions {
  /** Followers (or customers) to generate for a first account. */
  population: number;
  /** Where the product's API is reached, e.g. `http://127.0.0.1:3000/sandbox/official-account`. */
  apiBaseUrl: (product: WeChatProduct) => string;
}

/** A product's entry point: `registerWeComSandbox(ctx)` has this type. */
export type SandboxPlugin = (ctx: SandboxContext) => SandboxProduct;

export function createSandboxContext(deps: SandboxDeps): SandboxContext {
  const repository = createCoreRepository(deps.db);
  const quotas = createQuotaService({ repository });
  const tokens = createTokenService({ repository, clock: deps.clock, quotas });
  const faults = createFaultRegistry();
  const frequency = createFrequencyLimits();
  const logger = deps.logger.child({ module: 'sandbox' });
  const callbacks = createCallbackDeliverer({ repository, faults, clock: deps.clock, logger, fetch: deps.fetch, options: deps.delivery });
  return {
    config: deps.config,
    db: deps.db,
    cache: deps.cache,
    clock: deps.clock,
    logger,
    tokens,
    quotas,
    faults,
    callbacks,
    serveEndpoint(app, declaration, handler, options) {
      serveEndpoint({ tokens, quotas, faults, frequency, clock: deps.clock, logger }, app, declaration, handler, options);
    },
  };
}

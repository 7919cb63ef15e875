/**
 * The sandbox core: what every emulated WeChat product plugs into.
 *
 * A product (Official Account here, WeCom in `server/sandbox/wecom/`) is a
 * `SandboxPlugin`: `(ctx: SandboxContext) => SandboxProduct`. The WeCom side
 * exports `registerWeComSandbox: SandboxPlugin` from `server/sandbox/wecom/index.ts`,
 * and `createSandbox` (server/sandbox/index.ts) lists it next to the Official Account.
 *
 * What `ctx` offers:
 * - `ctx.serveEndpoint(app, declaration, handler, options)` — serves a declaration
 *   from `server/wechat/<product>/` at `/sandbox/<product>/<path>`: armed faults,
 *   access-token check (41001/40001/42001), daily quota (45009, the declaration's
 *   `dailyQuota` unless `options.dailyQuota`), query/body validated with the
 *   declaration's own schemas (40097 / 47001 / 44002), `options.check` first for
 *   WeChat's precise errcodes. Handlers `throw wechatError(errcode, hint?, extra?)`
 *   and return the payload (or a `RawAnswer` for bytes).
 * - `ctx.tokens` — `issue(owner)` (supersedes with a 5-minute overlap, as
 *   cgi-bin/token and WeCom gettoken), `issueStable(owner, forceRefresh)`,
 *   `check(product, token)`. An owner is `{product, ownerKey}`; WeCom keys tokens
 *   per secret, e.g. `ownerKey = corpId + ':' + receiver`.
 * - `ctx.quotas.consume({product, ownerKey, path, now}, defaultLimit)` for calls
 *   counted outside `serveEndpoint` (the token calls themselves).
 * - `ctx.callbacks.deliver({product, ownerKey, target, event, url, message, build, judge, onUnanswered})`
 *   — pushes with WeChat's 5 s deadline and 3 deliveries, honours `callback`
 *   faults (timeout, duplicate), records the live feed, answers `{attempts, status, latencyMs, received}`.
 *   `build` seals with `sealWeComPush` / `sealOfficialAccountPush` from server/wechat/core.
 * - `ctx.faults`, `ctx.db`, `ctx.clock`, `ctx.config`, `ctx.logger`, `ctx.cache`.
 *
 * What a product answers (`SandboxProduct`): `apiRoutes(app)` registered in a
 * scope that reads any body as raw bytes and multipart; `controlRoutes(app)` for
 * `/sandbox/control/...` (every route declares `config: { access: 'sandbox.control' }`,
 * Qiao's error shape, zod schemas and an OpenAPI `tags: ['sandbox']`);
 * `bootstrap(options)` to create the first simulated account and answer what
 * Qiao must connect. Tables go in `*.tables.ts` named `sandbox_…`.
 */
export {
  createSandboxContext,
  type SandboxBootstrapOptions,
  type SandboxContext,
  type SandboxDeps,
  type SandboxPlugin,
  type SandboxProduct,
} from './context';
export { coreControlRoutes } from './control.routes';
export { defaultDeliveryOptions, type DeliveryJudgement, type DeliveryRequest, type DeliveryResult, type DeliveryStatus } from './delivery';
export { CALLBACK_FAULT_PATH, type Fault } from './faults';
export { quotaDay } from './quotas';
export { RawAnswer, prepareWeChatScope, type EndpointCall, type EndpointHandler, type SandboxAnswer, type ServeOptions } from './serve-endpoint';
export { FORCE_REFRESH_GAP_MS, FORCE_REFRESH_PER_DAY, TOKEN_LIFETIME_S, TOKEN_OVERLAP_MS, type IssuedToken, type TokenOwner } from './tokens';
export { SandboxWeChatError, isSandboxWeChatError, wechatErrmsg, wechatError, wechatOk, wechatRid } from './wechat-error';

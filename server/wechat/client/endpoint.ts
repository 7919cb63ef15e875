import { z } from 'zod';

export type WeChatProduct = 'official-account' | 'wecom';

/** How a call authenticates: the account's access token in the query, or nothing (the token calls themselves). */
export type EndpointAuth = 'access_token' | 'none';

/** A limit Qiao enforces before calling, so a burst fails here instead of burning WeChat's quota. */
export interface EndpointRateLimit {
  limit: number;
  windowMs: number;
}

/**
 * One WeChat server API, as data: the client calls it, the sandbox serves it,
 * the console can list it. Schemas keep WeChat's snake_case; modules map to
 * camelCase. Responses are loose objects: fields WeChat adds later pass through.
 */
export interface WeChatEndpoint<
  Query extends z.ZodType = z.ZodType,
  Request extends z.ZodType = z.ZodType,
  Response extends z.ZodType = z.ZodType,
> {
  product: WeChatProduct;
  method: 'GET' | 'POST';
  /** WeChat's path without a leading slash, e.g. `cgi-bin/menu/create`. */
  path: string;
  auth: EndpointAuth;
  /** Query parameters besides `access_token`. */
  query: Query;
  /** JSON body; `noBody` for GET. */
  request: Request;
  /** The success payload (the client has already turned a non-zero errcode into an error). */
  response: Response;
  titleZh: string;
  titleEn: string;
  /** Path of the official document under the product's doc site (see `docUrl`). */
  docPath: string;
  rateLimits: readonly EndpointRateLimit[];
  /** WeChat's default daily quota for a new account, where published; shown to users, not enforced. */
  dailyQuota?: number;
}

export const noQuery = z.strictObject({});
export const noBody = z.undefined();

/** `{errcode: 0, errmsg: "ok"}` and the like: writes that answer nothing else. */
export const okResponse = z.looseObject({ errcode: z.number().optional(), errmsg: z.string().optional() });

type Spec<Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType> = Omit<WeChatEndpoint<Q, B, R>, 'query' | 'request' | 'rateLimits'> & {
  query?: Q;
  request?: B;
  rateLimits?: readonly EndpointRateLimit[];
};

/** Declares an endpoint; refuses paths with a leading slash or a query string. */
export function defineEndpoint<
  R extends z.ZodType,
  Q extends z.ZodType = typeof noQuery,
  B extends z.ZodType = typeof noBody,
>(spec: Spec<Q, B, R>): WeChatEndpoint<Q, B, R> {
  if (!/^[a-z0-9_-]+(\/[a-z0-9_.-]+)*$/i.test(spec.path)) {
    throw new Error(`WeChat endpoint path must look like cgi-bin/menu/create: ${spec.path}`);
  }
  return Object.freeze({
    ...spec,
    query: (spec.query ?? noQuery) as Q,
    request: (spec.request ?? noBody) as B,
    rateLimits: spec.rateLimits ?? [],
  });
}

const docSites: Record<WeChatProduct, string> = {
  'official-account': 'https://developers.weixin.qq.com',
  wecom: 'https://developer.work.weixin.qq.com',
};

export function docUrl(endpoint: Pick<WeChatEndpoint, 'product' | 'docPath'>): string {
  return `${docSites[endpoint.product]}${endpoint.docPath}`;
}

export type EndpointQuery<E> = E extends WeChatEndpoint<infer Q, z.ZodType, z.ZodType> ? z.input<Q> : never;
export type EndpointBody<E> = E extends WeChatEndpoint<z.ZodType, infer B, z.ZodType> ? z.input<B> : never;
export type EndpointResult<E> = E extends WeChatEndpoint<z.ZodType, z.ZodType, infer R> ? z.output<R> : never;

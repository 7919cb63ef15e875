import type { FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { z } from 'zod';
import type { App } from '../../platform/http/create-server';
import type { Logger } from '../../platform/logger';
import type { Clock } from '../../platform/clock';
import type { WeChatEndpoint } from '../../wechat/client/endpoint';
import type { FaultRegistry } from './faults';
import type { FrequencyLimit, FrequencyLimits } from './frequency';
import type { QuotaService } from './quotas';
import type { TokenOwner, TokenService } from './tokens';
import { isSandboxWeChatError, wechatError, wechatErrmsg } from './wechat-error';

/** A non-JSON answer (media downloads, QR code images). */
export class RawAnswer {
  constructor(
    readonly body: Buffer | string,
    readonly contentType: string,
    readonly headers: Record<string, string> = {},
  ) {}
}

export type SandboxAnswer = Record<string, unknown> | RawAnswer;

/** What a handler receives: the validated request, the token's owner, the time. */
export interface EndpointCall<E extends WeChatEndpoint> {
  query: z.output<E['query']>;
  body: z.output<E['request']>;
  /** The token's owner; null for endpoints with `auth: 'none'`. */
  owner: TokenOwner | null;
  now: Date;
  request: FastifyRequest;
}

export type EndpointHandler<E extends WeChatEndpoint> = (call: EndpointCall<E>) => Promise<SandboxAnswer>;

export interface ServeOptions {
  /**
   * Runs on the raw query and parsed body before the declaration's schema,
   * to answer the precise errcode WeChat gives (e.g. 40016 for a fourth button)
   * instead of the generic format error.
   */
  check?: (raw: { query: Record<string, string>; body: unknown; owner: TokenOwner | null }) => void | Promise<void>;
  /** Replaces the declaration's `dailyQuota`; `false` counts nothing. */
  dailyQuota?: number | false;
  /** The body is multipart (media uploads): not parsed as JSON, the handler reads `request.file()`. */
  multipart?: boolean;
  /** Limits of this API beyond its product's per-minute and per-hour ones (e.g. 600 a minute for approval data). */
  frequency?: readonly FrequencyLimit[];
}

export interface ServeDeps {
  tokens: TokenService;
  quotas: QuotaService;
  faults: FaultRegistry;
  frequency: FrequencyLimits;
  clock: Clock;
  logger: Logger;
}

const JSON_TYPE = 'application/json; charset=utf-8';

function issuePath(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ').slice(0, 300);
}

function looseQuery(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodObject ? schema.loose() : schema;
}

function parseJsonBody(raw: unknown): unknown {
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : typeof raw === 'string' ? raw : raw === undefined || raw === null ? '' : JSON.stringify(raw);
  if (text.trim() === '') throw wechatError(44002);
  try {
    return JSON.parse(text);
  } catch {
    throw wechatError(47001, 'invalid json');
  }
}

/**
 * Prepares a Fastify scope to read requests the way api.weixin.qq.com does:
 * any content type is accepted and read as raw bytes (clients send JSON as
 * text/plain, or with no type at all), multipart for media uploads, and
 * anything escaping a handler answered `{errcode: -1}` rather than Qiao's error shape.
 */
export async function prepareWeChatScope(app: App, options: { uploadLimitBytes: number; logger: Logger }): Promise<void> {
  app.removeAllContentTypeParsers();
  await app.register(multipart, { limits: { fileSize: options.uploadLimitBytes, files: 1 } });
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.setErrorHandler(async (error, request, reply) => {
    if (isSandboxWeChatError(error)) return reply.status(200).type(JSON_TYPE).send(error.toBody());
    const code = (error as { code?: string }).code;
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || code === 'FST_REQ_FILE_TOO_LARGE') {
      return reply.status(200).type(JSON_TYPE).send({ errcode: 45001, errmsg: wechatErrmsg(45001) });
    }
    request.log.error({ err: error }, 'sandbox endpoint failed');
    return reply.status(200).type(JSON_TYPE).send({ errcode: -1, errmsg: wechatErrmsg(-1) });
  });
}

/**
 * Serves one endpoint declaration at `/sandbox/<product>/<path>`: applies
 * armed faults, checks the access token, counts the daily quota, validates
 * query and body against the same zod schemas the client uses, then answers
 * the handler's payload, or `{errcode, errmsg}` when it throws a
 * SandboxWeChatError. WeChat answers HTTP 200 either way.
 */
export function serveEndpoint<E extends WeChatEndpoint>(
  deps: ServeDeps,
  app: App,
  declaration: E,
  handler: EndpointHandler<E>,
  options: ServeOptions = {},
): void {
  const { product, path } = declaration;
  const querySchema = looseQuery(declaration.query);

  async function answer(request: FastifyRequest): Promise<SandboxAnswer> {
    const fault = deps.faults.take(product, path);
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.errcode !== undefined) throw wechatError(fault.errcode, 'fault injected by the sandbox control API');

    const { access_token: accessToken, ...query } = (request.query ?? {}) as Record<string, string>;
    const owner = declaration.auth === 'access_token' ? await deps.tokens.check(product, accessToken) : null;
    const now = deps.clock.now();
    // WeCom's declarations carry its published per-corp limits (facts §5.11), counted per corp whichever
    // secret the token came from; the Official Account publishes none besides daily quotas.
    const limits = product === 'wecom' ? [...declaration.rateLimits, ...(options.frequency ?? [])] : (options.frequency ?? []);
    if (owner && limits.length > 0) {
      const scope = product === 'wecom' ? (owner.ownerKey.split(':')[0] as string) : owner.ownerKey;
      deps.frequency.consume({ product, scope, path, now }, limits);
    }
    if (owner && options.dailyQuota !== false) {
      await deps.quotas.consume({ product, ownerKey: owner.ownerKey, path, now }, options.dailyQuota ?? declaration.dailyQuota);
    }
    const rawBody = declaration.method === 'GET' || options.multipart ? undefined : parseJsonBody(request.body);
    await options.check?.({ query, body: rawBody, owner });

    const parsedQuery = querySchema.safeParse(query);
    if (!parsedQuery.success) throw wechatError(40097, issuePath(parsedQuery.error.issues));
    let parsedBody = declaration.request.safeParse(rawBody);
    if (!parsedBody.success && parsedBody.error.issues.every((issue) => issue.code === 'unrecognized_keys')) {
      parsedBody = declaration.request.safeParse(withoutKeys(rawBody, parsedBody.error.issues));
    }
    if (!parsedBody.success) throw wechatError(47001, issuePath(parsedBody.error.issues));
    return handler({ query: parsedQuery.data as EndpointCall<E>['query'], body: parsedBody.data as EndpointCall<E>['body'], owner, now, request });
  }

  app.route({
    method: declaration.method,
    url: `/sandbox/${product}/${path}`,
    schema: { hide: true },
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      let result: SandboxAnswer;
      try {
        result = await answer(request);
      } catch (error) {
        if (!isSandboxWeChatError(error)) throw error;
        return reply.status(200).type(JSON_TYPE).send(error.toBody());
      }
      if (result instanceof RawAnswer) {
        for (const [name, value] of Object.entries(result.headers)) void reply.header(name, value);
        return reply.status(200).type(result.contentType).send(result.body);
      }
      return reply.status(200).type(JSON_TYPE).send(JSON.stringify(result));
    },
  });
}

/**
 * WeChat ignores fields it does not know (SDKs send extras such as
 * `language` next to `lang`); the declarations are strict so that Qiao's own
 * requests are exact. The sandbox drops the unknown keys, as WeChat would.
 */
function withoutKeys(body: unknown, issues: readonly { path: PropertyKey[]; keys?: string[] }[]): unknown {
  const copy = structuredClone(body) as Record<string, unknown>;
  for (const issue of issues) {
    let target: unknown = copy;
    for (const step of issue.path) target = (target as Record<PropertyKey, unknown> | undefined)?.[step];
    if (target && typeof target === 'object') for (const key of issue.keys ?? []) delete (target as Record<string, unknown>)[key];
  }
  return copy;
}

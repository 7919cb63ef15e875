import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Logger } from 'pino';
import { AppError, errorRegistry, renderErrorMessage } from '../../../../common/errors';
import { requestIdOf } from '../../../platform/http/fast-lane';
import { toAppError } from '../../../platform/http/errors';
import { localeFromAcceptLanguage } from '../../../platform/i18n/locale';
import { isWeChatCryptoError, type CallbackQuery } from '../../../wechat/core';
import { callbackReceiverSchema } from './callbacks.schema';
import type { CallbackTarget, CallbacksService } from './callbacks.service';

/** The contract's limit on a callback body. */
export const CALLBACK_BODY_LIMIT_BYTES = 1024 * 1024;

/** What a callback URL names: whose receiver, and WeChat's query (signature, timestamp, nonce, …). */
export interface CallbackPost {
  target: CallbackTarget;
  query: CallbackQuery;
}

// As Fastify's router would: longer path parameters are no route at all.
const maxParamLength = 200;

function segment(raw: string | undefined): string | null {
  if (!raw || raw.length > maxParamLength) return null;
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/**
 * `/wechat/official-account/{accountId}/callback?…` and
 * `/wechat/wecom/{accountId}/{receiver}/callback?…`; null for any other URL.
 */
export function callbackPostOf(url: string): CallbackPost | null {
  if (!url.startsWith('/wechat/')) return null;
  const mark = url.indexOf('?');
  const path = mark === -1 ? url : url.slice(0, mark);
  const parts = path.split('/');
  let target: CallbackTarget;
  if (parts.length === 5 && parts[2] === 'official-account' && parts[4] === 'callback') {
    const accountId = segment(parts[3]);
    if (accountId === null) return null;
    target = { product: 'official-account', accountId, receiver: 'official-account' };
  } else if (parts.length === 6 && parts[2] === 'wecom' && parts[5] === 'callback') {
    const accountId = segment(parts[3]);
    const receiver = segment(parts[4]);
    if (accountId === null || receiver === null) return null;
    target = { product: 'wecom', accountId, receiver };
  } else {
    return null;
  }
  return { target, query: mark === -1 ? {} : (parseQuery(url.slice(mark + 1)) as CallbackQuery) };
}

function tooLarge(): AppError {
  return new AppError('WECHAT_CALLBACK_TOO_LARGE', { limitBytes: CALLBACK_BODY_LIMIT_BYTES });
}

/** The body, up to the limit; a longer one is refused before it is all read. */
function readBody(req: IncomingMessage): Promise<Buffer> {
  if (Number(req.headers['content-length']) > CALLBACK_BODY_LIMIT_BYTES) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > CALLBACK_BODY_LIMIT_BYTES) {
        req.off('data', onData);
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    req.once('error', reject);
  });
}

export interface CallbackPostDeps {
  service: CallbacksService;
  logger: Logger;
  /** Headers every answer carries (the server's security headers). */
  headers: Readonly<Record<string, string>>;
}

/**
 * Answers WeChat's POSTs: reads the body (up to 1 MiB), hands it to the
 * pipeline and writes its answer, or the error body for a refusal, logged
 * with its reason and never with the body. It works on node:http's request
 * and response, so the server's fast lane and the Fastify route (inject in
 * tests) run the same code.
 */
export function createCallbackPostHandler(deps: CallbackPostDeps) {
  const fixed: string[] = Object.entries(deps.headers).flat();

  function write(res: ServerResponse, status: number, contentType: string, body: string, requestId: string, close: boolean): void {
    const headers = [...fixed, 'content-type', contentType, 'x-request-id', requestId];
    // A refused oversize body is not read to its end: the connection cannot carry another request.
    if (close) headers.push('connection', 'close');
    res.writeHead(status, headers);
    res.end(body);
  }

  function refuse(req: IncomingMessage, res: ServerResponse, post: CallbackPost, requestId: string, error: unknown): void {
    const appError = toAppError(error);
    const where = { accountId: post.target.accountId, receiver: post.target.product === 'wecom' ? post.target.receiver : undefined, requestId };
    if (appError.code === 'INTERNAL_ERROR') deps.logger.error({ err: error, ...where }, 'callback failed');
    else {
      const why = isWeChatCryptoError(error) ? { reason: error.reason, libraryCode: error.libraryCode } : {};
      deps.logger.info({ code: appError.code, ...why, ...where }, 'callback refused');
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const locale = localeFromAcceptLanguage(req.headers['accept-language']);
    const body = JSON.stringify({ code: appError.code, message: renderErrorMessage(appError.code, locale, appError.details), details: appError.details, requestId });
    write(res, errorRegistry[appError.code].status, 'application/json; charset=utf-8', body, requestId, appError.code === 'WECHAT_CALLBACK_TOO_LARGE');
  }

  async function answer(req: IncomingMessage, post: CallbackPost) {
    const { target, query } = post;
    if (target.product === 'wecom' && !callbackReceiverSchema.safeParse(target.receiver).success) {
      throw new AppError('ACCOUNT_RECEIVER_NOT_FOUND', { receiver: target.receiver.slice(0, 32) });
    }
    return deps.service.receive(target, query, await readBody(req));
  }

  /** Serves one POST whose URL was already read; `requestId` as the caller's server assigned it. */
  function serve(req: IncomingMessage, res: ServerResponse, post: CallbackPost, requestId: string): void {
    answer(req, post).then(
      (result) => write(res, 200, result.contentType, result.body, requestId, false),
      (error: unknown) => refuse(req, res, post, requestId, error),
    );
  }

  /** The fast-lane route: takes a POST to a callback URL, declines anything else. */
  function route(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'POST') return false;
    const post = callbackPostOf(req.url ?? '');
    if (!post) return false;
    serve(req, res, post, requestIdOf(req));
    return true;
  }

  return { serve, route };
}

export type CallbackPostHandler = ReturnType<typeof createCallbackPostHandler>;

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { AppError } from '../../../../common/errors';
import { sendAppError, toAppError } from '../../../platform/http/errors';
import { isWeChatCryptoError, type CallbackQuery } from '../../../wechat/core';
import { createCallbackPostHandler } from './callback-posts';
import { callbackReceiverSchema, type OfficialAccountCallbackParams, type WeComCallbackParams } from './callbacks.schema';
import type { CallbackAnswer, CallbackTarget, CallbacksService } from './callbacks.service';

export { CALLBACK_BODY_LIMIT_BYTES } from './callback-posts';

function send(reply: FastifyReply, answer: CallbackAnswer): FastifyReply {
  return reply.status(200).header('content-type', answer.contentType).send(answer.body);
}

function weComTarget(params: WeComCallbackParams): CallbackTarget {
  if (!callbackReceiverSchema.safeParse(params.receiver).success) throw new AppError('ACCOUNT_RECEIVER_NOT_FOUND', { receiver: params.receiver.slice(0, 32) });
  return { product: 'wecom', accountId: params.accountId, receiver: params.receiver };
}

export interface CallbackRoutesDeps {
  service: CallbacksService;
  logger: Logger;
  /** The server's security headers, which the POST answers (written without Fastify) carry too. */
  headers: Readonly<Record<string, string>>;
}

/**
 * `/wechat/official-account/{accountId}/callback` and
 * `/wechat/wecom/{accountId}/{receiver}/callback`. Outside /api/v1: WeChat's
 * signature is the authentication. POSTs (any content type, up to 1 MiB) are
 * served from the server's fast lane when it listens, and through Fastify
 * (inject) by the same handler; every refusal is answered with the error body
 * and logged with its reason, never with the body.
 */
export function callbacksRoutes({ service, logger, headers }: CallbackRoutesDeps) {
  const posts = createCallbackPostHandler({ service, logger, headers });
  return async function routes(app: FastifyInstance): Promise<void> {
    app.addHook('onClose', async () => service.close());
    app.fastLane.add(posts.route);
    app.removeAllContentTypeParsers();
    // The body stays unread: the POST handler reads it, with its own limit.
    app.addContentTypeParser('*', (_request, _payload, done) => done(null));

    app.setErrorHandler(async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const appError = toAppError(error);
      const params = request.params as Partial<WeComCallbackParams> | undefined;
      const why = isWeChatCryptoError(error) ? { reason: error.reason, libraryCode: error.libraryCode } : {};
      if (appError.code === 'INTERNAL_ERROR') request.log.error({ err: error, accountId: params?.accountId }, 'callback failed');
      else request.log.info({ code: appError.code, ...why, accountId: params?.accountId, receiver: params?.receiver }, 'callback refused');
      return sendAppError(request, reply, appError);
    });

    const hidden = { schema: { hide: true } };
    const post = (request: FastifyRequest, reply: FastifyReply, target: CallbackTarget) => {
      reply.hijack();
      posts.serve(request.raw, reply.raw, { target, query: request.query as CallbackQuery }, request.id);
    };
    app.get<{ Params: OfficialAccountCallbackParams }>('/wechat/official-account/:accountId/callback', hidden, async (request, reply) =>
      send(reply, await service.verify({ product: 'official-account', accountId: request.params.accountId, receiver: 'official-account' }, request.query as CallbackQuery)),
    );
    app.post<{ Params: OfficialAccountCallbackParams }>('/wechat/official-account/:accountId/callback', hidden, (request, reply) =>
      post(request, reply, { product: 'official-account', accountId: request.params.accountId, receiver: 'official-account' }),
    );
    app.get<{ Params: WeComCallbackParams }>('/wechat/wecom/:accountId/:receiver/callback', hidden, async (request, reply) =>
      send(reply, await service.verify(weComTarget(request.params), request.query as CallbackQuery)),
    );
    // The receiver is checked by the handler, as on the fast lane.
    app.post<{ Params: WeComCallbackParams }>('/wechat/wecom/:accountId/:receiver/callback', hidden, (request, reply) =>
      post(request, reply, { product: 'wecom', accountId: request.params.accountId, receiver: request.params.receiver }),
    );
  };
}

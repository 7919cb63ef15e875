import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../../../common/errors';
import { sendAppError, toAppError } from '../../../platform/http/errors';
import { isWeChatCryptoError, type CallbackQuery } from '../../../wechat/core';
import { callbackReceiverSchema, type OfficialAccountCallbackParams, type WeComCallbackParams } from './callbacks.schema';
import type { CallbackAnswer, CallbacksService } from './callbacks.service';

/** The contract's limit on a callback body. */
export const CALLBACK_BODY_LIMIT_BYTES = 1024 * 1024;

function send(reply: FastifyReply, answer: CallbackAnswer): FastifyReply {
  return reply.status(200).header('content-type', answer.contentType).send(answer.body);
}

function weComTarget(params: WeComCallbackParams) {
  if (!callbackReceiverSchema.safeParse(params.receiver).success) throw new AppError('ACCOUNT_RECEIVER_NOT_FOUND', { receiver: params.receiver.slice(0, 32) });
  return { product: 'wecom' as const, accountId: params.accountId, receiver: params.receiver };
}

/**
 * `/wechat/official-account/{accountId}/callback` and
 * `/wechat/wecom/{accountId}/{receiver}/callback`. Outside /api/v1: WeChat's
 * signature is the authentication. Bodies are taken raw (any content type, up
 * to 1 MiB); every refusal is answered with the error body and logged with
 * its reason, never with the body.
 */
export function callbacksRoutes(service: CallbacksService) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.addHook('onClose', async () => service.close());
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: CALLBACK_BODY_LIMIT_BYTES }, (_request, body, done) => done(null, body));

    app.setErrorHandler(async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const appError =
        error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? new AppError('WECHAT_CALLBACK_TOO_LARGE', { limitBytes: CALLBACK_BODY_LIMIT_BYTES })
          : toAppError(error);
      const params = request.params as Partial<WeComCallbackParams> | undefined;
      const why = isWeChatCryptoError(error) ? { reason: error.reason, libraryCode: error.libraryCode } : {};
      if (appError.code === 'INTERNAL_ERROR') request.log.error({ err: error, accountId: params?.accountId }, 'callback failed');
      else request.log.info({ code: appError.code, ...why, accountId: params?.accountId, receiver: params?.receiver }, 'callback refused');
      return sendAppError(request, reply, appError);
    });

    const hidden = { schema: { hide: true } };
    app.get<{ Params: OfficialAccountCallbackParams }>('/wechat/official-account/:accountId/callback', hidden, async (request, reply) =>
      send(reply, await service.verify({ product: 'official-account', accountId: request.params.accountId, receiver: 'official-account' }, request.query as CallbackQuery)),
    );
    app.post<{ Params: OfficialAccountCallbackParams }>('/wechat/official-account/:accountId/callback', hidden, async (request, reply) =>
      send(
        reply,
        await service.receive(
          { product: 'official-account', accountId: request.params.accountId, receiver: 'official-account' },
          request.query as CallbackQuery,
          (request.body as Buffer | undefined) ?? '',
        ),
      ),
    );
    app.get<{ Params: WeComCallbackParams }>('/wechat/wecom/:accountId/:receiver/callback', hidden, async (request, reply) =>
      send(reply, await service.verify(weComTarget(request.params), request.query as CallbackQuery)),
    );
    app.post<{ Params: WeComCallbackParams }>('/wechat/wecom/:accountId/:receiver/callback', hidden, async (request, reply) =>
      send(reply, await service.receive(weComTarget(request.params), request.query as CallbackQuery, (request.body as Buffer | undefined) ?? '')),
    );
  };
}

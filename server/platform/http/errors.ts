import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, errorRegistry, isAppError, renderErrorMessage, type ErrorCode } from '../../../common/errors';
import { localeFromAcceptLanguage } from '../i18n/locale';
import { SecretOpenError } from '../secrets/secret-box';

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details: Record<string, unknown>;
  requestId: string;
}

export function errorBody(request: FastifyRequest, error: AppError): ErrorBody {
  const locale = localeFromAcceptLanguage(request.headers['accept-language']);
  return {
    code: error.code,
    message: renderErrorMessage(error.code, locale, error.details),
    details: error.details,
    requestId: request.id,
  };
}

export function sendAppError(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  const status = errorRegistry[error.code].status;
  if (error.code === 'RATE_LIMITED' || error.code === 'AUTH_THROTTLED') {
    const retryAfter = error.details.retryAfterS;
    if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
  }
  return reply.status(status).send(errorBody(request, error));
}

interface FieldProblem {
  field: string;
  message: string;
}

function fieldsOfValidation(error: FastifyError): FieldProblem[] {
  if (!hasZodFastifySchemaValidationErrors(error)) return [];
  const where = error.validationContext ?? 'body';
  return error.validation.map((issue) => {
    const path = issue.instancePath.split('/').filter(Boolean);
    const field = [where, ...path].join('.');
    const keys = (issue.params as { keys?: string[] }).keys;
    if (issue.keyword === 'unrecognized_keys' && keys) {
      return { field, message: `unknown field(s): ${keys.join(', ')}` };
    }
    return { field, message: issue.message ?? 'invalid' };
  });
}

/** Maps everything thrown in a request to the `{code, message, details, requestId}` body. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  // Secrets sealed under a master key this server lacks: a setting to fix, said as such (not a bare 500).
  if (error instanceof SecretOpenError) return new AppError('ACCOUNT_SECRETS_UNREADABLE', { keyId: error.keyId || '?' });
  const fastifyError = error as FastifyError;
  if (hasZodFastifySchemaValidationErrors(error)) {
    return new AppError('VALIDATION_FAILED', { fields: fieldsOfValidation(fastifyError) });
  }
  switch (fastifyError?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', { limitBytes: (fastifyError as { limit?: number }).limit });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', { contentType: fastifyError.message.split(': ').pop() });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('MALFORMED_JSON', {});
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', {});
    default:
      break;
  }
  if (fastifyError instanceof SyntaxError || fastifyError?.statusCode === 400) {
    return new AppError('MALFORMED_JSON', {});
  }
  if (fastifyError?.statusCode === 413) return new AppError('PAYLOAD_TOO_LARGE', {});
  if (fastifyError?.statusCode === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE', { contentType: 'unknown' });
  return new AppError('INTERNAL_ERROR', {}, { cause: error });
}

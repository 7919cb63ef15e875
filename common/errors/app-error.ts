import type { ErrorCode } from './index';

/**
 * The only error services throw. The HTTP layer turns it into
 * `{ code, message, details, requestId }` with the status and the localised
 * message from the registry; `details` values fill `{placeholders}` in the message.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(code, options);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

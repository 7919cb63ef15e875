import type { ErrorSpec } from './spec';

/** Errors of Official Account automatic replies. */
export const oaAutoRepliesErrors = {
} as const satisfies Record<string, ErrorSpec>;

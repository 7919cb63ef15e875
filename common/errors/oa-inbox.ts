import type { ErrorSpec } from './spec';

/** Errors of Official Account customer-service inbox. */
export const oaInboxErrors = {
} as const satisfies Record<string, ErrorSpec>;

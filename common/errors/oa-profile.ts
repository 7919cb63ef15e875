import type { ErrorSpec } from './spec';

/** Errors of Official Account profile and certification. */
export const oaProfileErrors = {
} as const satisfies Record<string, ErrorSpec>;

import type { ErrorSpec } from './spec';

/** Errors of Official Account targeted pushes (群发). */
export const oaPushesErrors = {
} as const satisfies Record<string, ErrorSpec>;

import type { ErrorSpec } from './spec';

/** Errors of Official Account custom menus. */
export const oaMenuErrors = {
} as const satisfies Record<string, ErrorSpec>;

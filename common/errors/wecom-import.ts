import type { ErrorSpec } from './spec';

/** Errors of Excel import and export of WeCom members. */
export const wecomImportErrors = {
} as const satisfies Record<string, ErrorSpec>;

import type { ErrorSpec } from './spec';

/** Errors of WeCom directory: departments and members. */
export const wecomDirectoryErrors = {
} as const satisfies Record<string, ErrorSpec>;

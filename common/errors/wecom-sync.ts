import type { ErrorSpec } from './spec';

/** Errors of Directory sync between Qiao and WeCom. */
export const wecomSyncErrors = {
} as const satisfies Record<string, ErrorSpec>;

import type { ErrorSpec } from './spec';

/** Errors of Official Account followers and tags. */
export const oaFollowersErrors = {
} as const satisfies Record<string, ErrorSpec>;

import { z } from 'zod';
import { pageOf, pageQuerySchema } from '../../../../common/paging';
import { roleSchema } from '../../../../common/permissions';
import { text } from '../../../../common/text';
import { departmentScopesSchema } from '../users/users.schema';

/** Every key starts with this, so leaked keys are easy to spot in code and logs. */
export const apiKeyMarker = 'qiao_';

/**
 * `role` defaults to the creator's; `departmentScopes` omitted means "the
 * creator's scopes at each use". Both may only narrow what the creator has.
 */
export const createApiKeyBodySchema = z.strictObject({
  name: text(100, 1),
  role: roleSchema.optional(),
  departmentScopes: departmentScopesSchema.optional(),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
});
export type CreateApiKeyBody = z.infer<typeof createApiKeyBodySchema>;

export const listApiKeysQuerySchema = z.strictObject({
  ...pageQuerySchema.shape,
  /** super_admin only: every user's keys instead of one's own. */
  all: z.enum(['true', 'false']).optional(),
});
export type ListApiKeysQuery = z.infer<typeof listApiKeysQuerySchema>;

export const apiKeyIdParamsSchema = z.strictObject({ id: z.uuid() });

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The first characters of the key, enough to recognise it; never the secret. */
  prefix: z.string(),
  role: roleSchema,
  departmentScopes: z.array(z.object({ accountId: z.string(), departmentId: z.number().int() })).nullable(),
  userId: z.string(),
  username: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiKey = z.infer<typeof apiKeySchema>;

/** The answer to creation: the only time `key` is ever shown. */
export const createdApiKeySchema = apiKeySchema.extend({ key: z.string() });
export type CreatedApiKey = z.infer<typeof createdApiKeySchema>;

export const apiKeyPageSchema = pageOf(apiKeySchema);
export type ApiKeyPage = z.infer<typeof apiKeyPageSchema>;

import { z } from 'zod';
import { permissionSchema, roleSchema } from '../../../../common/permissions';
import { text } from '../../../../common/text';
import { displayNameSchema, passwordSchema, usernameSchema } from '../users/users.schema';

export const sessionCookieName = 'qiao_session';
/** The header the console echoes the session's CSRF token in on POST/PUT/PATCH/DELETE. */
export const csrfHeaderName = 'x-csrf-token';

/** Login accepts any bounded name: a malformed one fails like a wrong one (401), not with 400. */
export const loginBodySchema = z.strictObject({
  username: text(64, 1),
  password: text(200, 1),
});
export type LoginBody = z.infer<typeof loginBodySchema>;

/** The caller as the console and CLI see it. `csrfToken` only for cookie sessions. */
export const meSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  departmentScopes: z.array(z.object({ accountId: z.string(), departmentId: z.number().int() })),
  wecomMembers: z.array(z.object({ accountId: z.string(), userid: z.string() })),
  permissions: z.array(permissionSchema),
  authMethod: z.enum(['session', 'api_key']),
  csrfToken: z.string().optional(),
});
export type Me = z.infer<typeof meSchema>;

export const loginResponseSchema = z.object({ user: meSchema });
export type LoginResponse = z.infer<typeof loginResponseSchema>;

export const setupStatusSchema = z.object({ needed: z.boolean() });
export type SetupStatus = z.infer<typeof setupStatusSchema>;

export const setupBodySchema = z.strictObject({
  username: usernameSchema,
  password: passwordSchema,
  displayName: displayNameSchema,
});
export type SetupBody = z.infer<typeof setupBodySchema>;

export const changePasswordBodySchema = z.strictObject({
  currentPassword: text(200, 1),
  newPassword: passwordSchema,
});
export type ChangePasswordBody = z.infer<typeof changePasswordBodySchema>;

export const sessionSchema = z.object({
  id: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  current: z.boolean(),
});
export type Session = z.infer<typeof sessionSchema>;

export const sessionListSchema = z.object({ items: z.array(sessionSchema), nextCursor: z.string().nullable() });
export type SessionList = z.infer<typeof sessionListSchema>;

export const sessionIdParamsSchema = z.strictObject({ id: text(128, 1) });

export const okSchema = z.object({ ok: z.literal(true) });
export type Ok = z.infer<typeof okSchema>;

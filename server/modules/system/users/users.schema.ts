import { z } from 'zod';
import { pageOf, pageQuerySchema } from '../../../../common/paging';
import { roleSchema } from '../../../../common/permissions';
import { text } from '../../../../common/text';

/** Login names: letters, digits and `._@-`, compared case-insensitively. */
export const usernameSchema = text(64, 1).regex(/^[A-Za-z0-9._@-]+$/, 'use letters, digits and . _ @ - only');

/** Passwords are checked for strength by the service (AUTH_WEAK_PASSWORD), here only bounded. */
export const passwordSchema = text(200, 1);

export const displayNameSchema = text(100, 1);

/** One WeCom department subtree of one connected WeCom corp. */
export const departmentScopeSchema = z.strictObject({
  accountId: text(64, 1),
  departmentId: z.number().int().min(1).max(2_147_483_647),
});
export type DepartmentScopeInput = z.infer<typeof departmentScopeSchema>;

/** Ties a Qiao user to a WeCom member: what "own customers" means for a member. */
export const wecomMemberRefSchema = z.strictObject({
  accountId: text(64, 1),
  userid: text(64, 1),
});
export type WecomMemberRef = z.infer<typeof wecomMemberRefSchema>;

export const departmentScopesSchema = z.array(departmentScopeSchema).max(200);
export const wecomMembersSchema = z.array(wecomMemberRefSchema).max(50);

export const userStatusSchema = z.enum(['active', 'disabled']);
export type UserStatus = z.infer<typeof userStatusSchema>;

export const createUserBodySchema = z.strictObject({
  username: usernameSchema,
  password: passwordSchema,
  displayName: displayNameSchema,
  role: roleSchema,
  departmentScopes: departmentScopesSchema.default([]),
  wecomMembers: wecomMembersSchema.default([]),
});
export type CreateUserBody = z.infer<typeof createUserBodySchema>;

/** Every field optional; `disabled` disables or re-enables, `password` is an admin reset. */
export const updateUserBodySchema = z.strictObject({
  displayName: displayNameSchema.optional(),
  role: roleSchema.optional(),
  departmentScopes: departmentScopesSchema.optional(),
  wecomMembers: wecomMembersSchema.optional(),
  disabled: z.boolean().optional(),
  password: passwordSchema.optional(),
});
export type UpdateUserBody = z.infer<typeof updateUserBodySchema>;

export const listUsersQuerySchema = z.strictObject({
  ...pageQuerySchema.shape,
  role: roleSchema.optional(),
  status: userStatusSchema.optional(),
  /** Part of the username or display name. */
  q: text(100).optional(),
});
export type ListUsersQuery = z.infer<typeof listUsersQuerySchema>;

export const userIdParamsSchema = z.strictObject({ id: z.uuid() });

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  status: userStatusSchema,
  departmentScopes: z.array(z.object({ accountId: z.string(), departmentId: z.number().int() })),
  wecomMembers: z.array(z.object({ accountId: z.string(), userid: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
  disabledAt: z.string().nullable(),
  passwordChangedAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

export const userPageSchema = pageOf(userSchema);
export type UserPage = z.infer<typeof userPageSchema>;

export const revokedCountSchema = z.object({ revoked: z.number().int() });
export type RevokedCount = z.infer<typeof revokedCountSchema>;

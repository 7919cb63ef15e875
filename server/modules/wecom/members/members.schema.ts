import { z } from 'zod';
import { pageOf, pageQuerySchema } from '../../../../common/paging';
import { text } from '../../../../common/text';

export const memberStatusSchema = z.enum(['active', 'disabled', 'inactive', 'resigned']);
export type MemberStatus = z.infer<typeof memberStatusSchema>;
export const memberGenderSchema = z.enum(['unknown', 'male', 'female']);
export const memberVisibilitySchema = z.enum(['all', 'own_department_tree', 'own_departments', 'self']);
export type MemberVisibility = z.infer<typeof memberVisibilitySchema>;

const departmentIdSchema = z.coerce.number().int().min(1).max(2_147_483_647);

export const memberParamsSchema = z.strictObject({ accountId: z.uuid(), userid: text(64, 1) });

export const memberDepartmentSchema = z.object({
  departmentId: z.number().int(),
  order: z.number(),
  isLeader: z.boolean(),
  isMain: z.boolean(),
});

export const memberSchema = z.object({
  userid: z.string(),
  name: z.string(),
  alias: z.string().nullable(),
  mobile: z.string().nullable(),
  email: z.string().nullable(),
  position: z.string().nullable(),
  gender: memberGenderSchema,
  telephone: z.string().nullable(),
  status: memberStatusSchema,
  mainDepartmentId: z.number().int(),
  departments: z.array(memberDepartmentSchema),
  /** False while the member was created or changed in Qiao and not yet pushed to WeCom. */
  synced: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Member = z.infer<typeof memberSchema>;
export const memberPageSchema = pageOf(memberSchema);

const memberDepartmentInputSchema = z.strictObject({
  departmentId: z.number().int().min(1).max(2_147_483_647),
  order: z.number().int().min(0).max(4_294_967_295).optional(),
  isLeader: z.boolean().optional(),
  isMain: z.boolean().optional(),
});

/** Lengths are WeCom's; the exact rules (characters, formats) answer with their own error codes. */
const memberFields = {
  name: text(200),
  alias: text(200).nullable(),
  mobile: text(40).nullable(),
  email: text(200).nullable(),
  position: text(400).nullable(),
  gender: memberGenderSchema.nullable(),
  telephone: text(100).nullable(),
  departments: z.array(memberDepartmentInputSchema).max(200),
};

export const createMemberBodySchema = z.strictObject({
  userid: text(200, 1),
  ...memberFields,
  alias: memberFields.alias.optional(),
  mobile: memberFields.mobile.optional(),
  email: memberFields.email.optional(),
  position: memberFields.position.optional(),
  gender: memberFields.gender.optional(),
  telephone: memberFields.telephone.optional(),
});
export type CreateMemberBody = z.infer<typeof createMemberBodySchema>;

/** Every field optional; `status` disables (`disabled`) or enables (`active`) a member. */
export const updateMemberBodySchema = z.strictObject({
  name: memberFields.name.optional(),
  alias: memberFields.alias.optional(),
  mobile: memberFields.mobile.optional(),
  email: memberFields.email.optional(),
  position: memberFields.position.optional(),
  gender: memberFields.gender.optional(),
  telephone: memberFields.telephone.optional(),
  departments: memberFields.departments.optional(),
  status: z.enum(['active', 'disabled']).optional(),
});
export type UpdateMemberBody = z.infer<typeof updateMemberBodySchema>;

const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export const listMembersQuerySchema = z.strictObject({
  ...pageQuerySchema.shape,
  departmentId: departmentIdSchema.optional(),
  /** With `departmentId`: members of its sub-departments too. */
  includeSubdepartments: booleanQuery.optional(),
  status: memberStatusSchema.optional(),
  /** Matches userid, name, mobile, email or position (contains, ignoring case). */
  q: text(100).optional(),
});
export type ListMembersQuery = z.infer<typeof listMembersQuerySchema>;

export const directoryVisibilitySchema = z.object({ memberVisibility: memberVisibilitySchema });
export const updateDirectoryVisibilityBodySchema = z.strictObject({ memberVisibility: memberVisibilitySchema });
export type DirectoryVisibility = z.infer<typeof directoryVisibilitySchema>;

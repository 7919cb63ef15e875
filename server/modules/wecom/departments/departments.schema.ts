import { z } from 'zod';
import { requiredText, text } from '../../../../common/text';

/** WeCom department ids: 32-bit integers; 1 is the root. */
export const departmentIdSchema = z.coerce.number().int().min(1).max(2_147_483_647);
const departmentNameSchema = requiredText(64);
const departmentOrderSchema = z.number().int().min(0).max(4_294_967_295);
const leaderUseridsSchema = z.array(text(64, 1)).max(100);

export const departmentParamsSchema = z.strictObject({ accountId: z.uuid(), departmentId: departmentIdSchema });
export const accountParamsSchema = z.strictObject({ accountId: z.uuid() });

export const createDepartmentBodySchema = z.strictObject({
  /** WeCom lets the creator choose an id (> 1); Qiao picks a free one when absent. */
  id: z.number().int().min(2).max(2_147_483_647).optional(),
  parentId: departmentIdSchema,
  name: departmentNameSchema,
  nameEn: text(64).nullable().optional(),
  order: departmentOrderSchema.optional(),
  leaderUserids: leaderUseridsSchema.optional(),
});
export type CreateDepartmentBody = z.infer<typeof createDepartmentBodySchema>;

/** Rename (`name`, `nameEn`), move (`parentId`), reorder (`order`), leaders; absent fields stay. */
export const updateDepartmentBodySchema = z.strictObject({
  parentId: departmentIdSchema.optional(),
  name: departmentNameSchema.optional(),
  nameEn: text(64).nullable().optional(),
  order: departmentOrderSchema.optional(),
  leaderUserids: leaderUseridsSchema.optional(),
});
export type UpdateDepartmentBody = z.infer<typeof updateDepartmentBodySchema>;

export const departmentSchema = z.object({
  id: z.number().int(),
  parentId: z.number().int(),
  name: z.string(),
  nameEn: z.string().nullable(),
  order: z.number(),
  leaderUserids: z.array(z.string()),
  /** Members directly in this department (not counting sub-departments). */
  memberCount: z.number().int(),
  /** False while the department was created or changed in Qiao and not yet pushed to WeCom. */
  synced: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Department = z.infer<typeof departmentSchema>;

/**
 * Every department the caller may see, parents before children, siblings by
 * WeCom's order (larger first). A dept_admin gets its subtrees; a scope's root
 * then has a parent outside the list.
 */
export const departmentListSchema = z.object({ items: z.array(departmentSchema) });
export type DepartmentList = z.infer<typeof departmentListSchema>;

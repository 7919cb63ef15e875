import { z } from 'zod';
import { text } from '../../../../common/text';
import type { MenuChange } from './menu-rules.schema';

/**
 * Menus travel in WeChat's own shape (the contract says so): snake_case
 * `sub_button`, `media_id`, `article_id`. Lengths here are generous outer
 * bounds; WeChat's byte limits are checked by menu-rules with named errors.
 */
const buttonFields = {
  name: text(200),
  type: text(40).optional(),
  key: text(1000).optional(),
  url: text(4000).optional(),
  appid: text(64).optional(),
  pagepath: text(1000).optional(),
  media_id: text(200).optional(),
  article_id: text(200).optional(),
};
export const menuSubButtonSchema = z.strictObject(buttonFields);
export const menuButtonSchema = z.strictObject({ ...buttonFields, sub_button: z.array(menuSubButtonSchema).max(20).optional() });
export const wechatMenuSchema = z.strictObject({ button: z.array(menuButtonSchema).max(10) });

export const accountParamsSchema = z.strictObject({ accountId: z.uuid() });
export const versionParamsSchema = z.strictObject({ accountId: z.uuid(), version: z.coerce.number().int().min(1) });

export const lastFailureSchema = z.object({
  version: z.number(),
  errcode: z.number().nullable(),
  errmsg: z.string().nullable(),
  meaning: z.object({ 'zh-CN': z.string(), 'en-US': z.string() }),
  at: z.string(),
});

export const menuStateSchema = z.object({
  draft: wechatMenuSchema.nullable(),
  draftUpdatedAt: z.string().nullable(),
  published: wechatMenuSchema.nullable(),
  publishedAt: z.string().nullable(),
  publishedVersion: z.number().nullable(),
  /** Set when the last attempt after the live version failed: the live menu is still `published`. */
  lastFailure: lastFailureSchema.nullable(),
  /** Set when a publish interrupted by a crash was just settled against WeChat's live menu. */
  reconciled: z.object({ version: z.number(), outcome: z.enum(['applied', 'failed']), pulledVersion: z.number().nullable() }).nullable(),
});
export type MenuState = z.infer<typeof menuStateSchema>;

export const menuVersionSchema = z.object({
  version: z.number(),
  state: z.enum(['publishing', 'applied', 'failed', 'pulled']),
  source: z.enum(['publish', 'rollback', 'pull', 'reconcile']),
  rolledBackFrom: z.number().nullable(),
  menu: wechatMenuSchema,
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  appliedAt: z.string().nullable(),
  errcode: z.number().nullable(),
  errmsg: z.string().nullable(),
});
export type MenuVersion = z.infer<typeof menuVersionSchema>;
export const menuVersionListSchema = z.object({ items: z.array(menuVersionSchema) });

export const menuDiffQuerySchema = z.strictObject({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) });
const menuChangeSchema: z.ZodType<MenuChange> = z.object({
  path: z.string(),
  name: z.string(),
  kind: z.enum(['added', 'removed', 'changed']),
  fields: z.array(z.object({ field: z.string(), before: z.string().nullable(), after: z.string().nullable() })),
});
export const menuDiffSchema = z.object({ from: z.number(), to: z.number(), changes: z.array(menuChangeSchema) });

/** Only what WeChat still matches on: tag and client platform (sex/region/language are refused with 65320). */
export const matchRuleSchema = z.strictObject({
  tagId: z.coerce.number().int().min(0).optional(),
  clientPlatformType: z.enum(['1', '2', '3']).optional(),
});
export type MatchRule = z.infer<typeof matchRuleSchema>;

export const createConditionalMenuSchema = z.strictObject({
  name: text(60, 1),
  button: wechatMenuSchema.shape.button,
  matchRule: matchRuleSchema,
});
export type CreateConditionalMenuBody = z.infer<typeof createConditionalMenuSchema>;

export const conditionalMenuSchema = z.object({
  id: z.string(),
  name: z.string(),
  menuId: z.string().nullable(),
  state: z.enum(['publishing', 'applied', 'failed']),
  button: wechatMenuSchema.shape.button,
  matchRule: z.object({ tagId: z.number().optional(), clientPlatformType: z.enum(['1', '2', '3']).optional() }),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export type ConditionalMenu = z.infer<typeof conditionalMenuSchema>;
export const conditionalMenuListSchema = z.object({ items: z.array(conditionalMenuSchema) });
export const conditionalParamsSchema = z.strictObject({ accountId: z.uuid(), id: z.uuid() });

export const tryMatchBodySchema = z.strictObject({ userId: text(128, 1) });
export const tryMatchResultSchema = z.object({ button: wechatMenuSchema.shape.button, menuId: z.string().nullable(), conditionalMenuId: z.string().nullable() });

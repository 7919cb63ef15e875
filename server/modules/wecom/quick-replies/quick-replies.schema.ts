import { z } from 'zod';
import { pageOf, pageQuerySchema } from '../../../../common/paging';
import { requiredText, text } from '../../../../common/text';

export const quickReplyTypeSchema = z.enum(['text', 'image', 'link', 'miniprogram']);
export type QuickReplyTypeValue = z.infer<typeof quickReplyTypeSchema>;

/** The variables a reply may hold, for editors (`{客户昵称}` …); the server fills them on render. */
export const quickReplyVariableNames = ['客户昵称', '客户备注', '成员姓名', '企业名称'] as const;

export const accountParamsSchema = z.strictObject({ accountId: z.uuid() });
export const groupParamsSchema = z.strictObject({ accountId: z.uuid(), groupId: z.uuid() });
export const itemParamsSchema = z.strictObject({ accountId: z.uuid(), itemId: z.uuid() });

const departmentIdSchema = z.number().int().min(1).max(2_147_483_647);
const orderSchema = z.number().int().min(0).max(1_000_000);

export const quickReplyGroupSchema = z.object({
  id: z.string(),
  name: z.string(),
  order: z.number().int(),
  /** Visible only to members of this department's subtree; null: the whole corp. */
  departmentId: z.number().int().nullable(),
  itemCount: z.number().int(),
  /** Whether the caller may edit it (super admin; a dept_admin for groups inside its departments). */
  editable: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type QuickReplyGroup = z.infer<typeof quickReplyGroupSchema>;
export const quickReplyGroupListSchema = z.object({ items: z.array(quickReplyGroupSchema) });

export const createGroupBodySchema = z.strictObject({
  name: requiredText(30),
  order: orderSchema.optional(),
  departmentId: departmentIdSchema.nullable().optional(),
});
export type CreateGroupBody = z.infer<typeof createGroupBodySchema>;
export const updateGroupBodySchema = z.strictObject({
  name: requiredText(30).optional(),
  order: orderSchema.optional(),
  departmentId: departmentIdSchema.nullable().optional(),
});
export type UpdateGroupBody = z.infer<typeof updateGroupBodySchema>;

/** Fields by type: text {text}; image {picUrl}; link {title, url, description?, picUrl?}; miniprogram {title, appid, page, picUrl}. */
export const quickReplyBodySchema = z.strictObject({
  text: text(6000).optional(),
  title: text(200).optional(),
  description: text(1000).optional(),
  url: text(4096).optional(),
  picUrl: text(4096).optional(),
  appid: text(64).optional(),
  page: text(2048).optional(),
});
export type QuickReplyBodyInput = z.infer<typeof quickReplyBodySchema>;

export const quickReplySchema = z.object({
  id: z.string(),
  groupId: z.string(),
  groupName: z.string(),
  title: z.string(),
  type: quickReplyTypeSchema,
  body: quickReplyBodySchema,
  /** Known variables the reply uses. */
  variables: z.array(z.string()),
  order: z.number().int(),
  editable: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type QuickReply = z.infer<typeof quickReplySchema>;
export const quickReplyPageSchema = pageOf(quickReplySchema);

export const createQuickReplyBodySchema = z.strictObject({
  groupId: z.uuid(),
  title: requiredText(100),
  type: quickReplyTypeSchema,
  body: quickReplyBodySchema,
  order: orderSchema.optional(),
});
export type CreateQuickReplyBody = z.infer<typeof createQuickReplyBodySchema>;
export const updateQuickReplyBodySchema = z.strictObject({
  groupId: z.uuid().optional(),
  title: requiredText(100).optional(),
  type: quickReplyTypeSchema.optional(),
  body: quickReplyBodySchema.optional(),
  order: orderSchema.optional(),
});
export type UpdateQuickReplyBody = z.infer<typeof updateQuickReplyBodySchema>;

export const listQuickRepliesQuerySchema = z.strictObject({
  ...pageQuerySchema.shape,
  /** Matches the title or the content (contains, ignoring case). */
  q: text(100).optional(),
  groupId: z.uuid().optional(),
  /** Only what this member may use (a sidebar asking for a member); a member-role caller always gets its own view. */
  userid: text(64, 1).optional(),
});
export type ListQuickRepliesQuery = z.infer<typeof listQuickRepliesQuerySchema>;

export const renderBodySchema = z.strictObject({
  externalUserId: text(64, 1).optional(),
  userid: text(64, 1).optional(),
});
export type RenderBody = z.infer<typeof renderBodySchema>;

/** The reply with its variables filled, and the same in the shape WeCom's sendChatMessage takes. */
export const renderedSchema = z.object({
  id: z.string(),
  type: quickReplyTypeSchema,
  body: quickReplyBodySchema,
  values: z.record(z.string(), z.string()),
  message: z.record(z.string(), z.unknown()),
});
export type Rendered = z.infer<typeof renderedSchema>;

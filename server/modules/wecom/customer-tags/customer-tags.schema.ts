import { z } from 'zod';
import { text } from '../../../../common/text';

export const accountParamsSchema = z.strictObject({ id: z.uuid() });
export const tagParamsSchema = z.strictObject({ id: z.uuid(), tagId: z.uuid() });
export const groupParamsSchema = z.strictObject({ id: z.uuid(), groupId: z.uuid() });
export const ruleParamsSchema = z.strictObject({ id: z.uuid(), ruleId: z.uuid() });

/** `synced`: as in WeCom; `pending`: a change written in Qiao not yet applied in WeCom; `conflict`: both sides changed it. */
export const tagStates = ['synced', 'pending', 'conflict'] as const;

const order = z.number().int().describe('Larger comes first, as in WeCom; 0 to 2^32−1');

export const customerTagSchema = z.object({
  id: z.uuid(),
  /** WeCom's tag id (what customers and mark use); null until created in WeCom. */
  wecomId: z.string().nullable(),
  groupId: z.uuid(),
  name: z.string(),
  order: z.number().int(),
  state: z.enum(tagStates),
  pending: z.enum(['create', 'update', 'delete']).nullable(),
});
export type CustomerTag = z.infer<typeof customerTagSchema>;

export const customerTagGroupSchema = z.object({
  id: z.uuid(),
  wecomId: z.string().nullable(),
  name: z.string(),
  order: z.number().int(),
  state: z.enum(tagStates),
  pending: z.enum(['create', 'update', 'delete']).nullable(),
  tags: z.array(customerTagSchema),
});
export type CustomerTagGroup = z.infer<typeof customerTagGroupSchema>;

export const customerTagLibrarySchema = z.object({
  groups: z.array(customerTagGroupSchema),
  /** Tags in the corp (WeCom allows 10,000). */
  tagCount: z.number().int(),
  tagLimit: z.number().int(),
  conflicts: z.number().int(),
  pending: z.number().int(),
  lastPulledAt: z.string().nullable(),
});
export type CustomerTagLibrary = z.infer<typeof customerTagLibrarySchema>;

const tagInput = z.strictObject({ name: text(100, 1), order: order.optional() });

export const createGroupBodySchema = z.strictObject({
  name: text(100, 1),
  order: order.optional(),
  tags: z.array(tagInput).max(100),
});
export type CreateGroupBody = z.infer<typeof createGroupBodySchema>;

export const createTagBodySchema = tagInput;
export type CreateTagBody = z.infer<typeof createTagBodySchema>;

export const updateTagBodySchema = z
  .strictObject({ name: text(100, 1).optional(), order: order.optional() })
  .refine((b) => b.name !== undefined || b.order !== undefined, 'name or order');
export type UpdateTagBody = z.infer<typeof updateTagBodySchema>;

export const syncResultSchema = z.object({
  inserted: z.number().int(),
  updated: z.number().int(),
  deleted: z.number().int(),
  /** Qiao's pending changes sent to WeCom. */
  pushed: z.number().int(),
  conflicts: z.number().int(),
  /** Pending changes WeCom refused or could not take now, with the errcode. */
  failed: z.array(z.object({ id: z.uuid(), name: z.string(), errcode: z.number().int().nullable(), message: z.string() })),
});
export type SyncResult = z.infer<typeof syncResultSchema>;

const sideValues = z.object({ name: z.string(), order: z.number().int() }).nullable();

export const conflictSchema = z.object({
  id: z.uuid(),
  kind: z.enum(['group', 'tag']),
  wecomId: z.string().nullable(),
  groupName: z.string().nullable(),
  /** Qiao's values; null when Qiao deleted it. */
  qiao: sideValues,
  /** WeCom's values; null when WeCom deleted it. */
  wecom: sideValues,
  /** What both sides last agreed on. */
  base: sideValues,
});
export type CustomerTagConflict = z.infer<typeof conflictSchema>;
export const conflictListSchema = z.object({ items: z.array(conflictSchema) });

export const resolveBodySchema = z.strictObject({ side: z.enum(['qiao', 'wecom']) });
export type ResolveBody = z.infer<typeof resolveBodySchema>;

export const markBodySchema = z
  .strictObject({
    userid: text(64, 1),
    externalUserId: text(64, 1),
    add: z.array(text(64, 1)).max(100).default([]),
    remove: z.array(text(64, 1)).max(100).default([]),
  })
  .describe('Tag ids are WeCom’s (`wecomId`).');
export type MarkBody = z.infer<typeof markBodySchema>;
export const markResultSchema = z.object({ userid: z.string(), externalUserId: z.string(), added: z.array(z.string()), removed: z.array(z.string()) });

export const ruleTriggers = ['state', 'add_way', 'keyword'] as const;
export const ruleMatches = ['exact', 'contains'] as const;

export const tagRuleBodySchema = z.strictObject({
  name: text(60, 1),
  trigger: z.enum(ruleTriggers),
  /** Keyword rules only; state and add_way rules match exactly. */
  match: z.enum(ruleMatches).default('contains'),
  /** A 「联系我」 state (≤ 30 characters), an add_way code (e.g. 1 scanned a QR code), or a keyword. */
  value: text(100, 1),
  tagIds: z.array(text(64, 1)).min(1).max(20),
  enabled: z.boolean().default(true),
});
export type TagRuleBody = z.infer<typeof tagRuleBodySchema>;

export const tagRuleSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  trigger: z.enum(ruleTriggers),
  match: z.enum(ruleMatches),
  value: z.string(),
  tagIds: z.array(z.string()),
  enabled: z.boolean(),
  /** Customers the rule has tagged. */
  applied: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TagRule = z.infer<typeof tagRuleSchema>;
export const tagRuleListSchema = z.object({ items: z.array(tagRuleSchema) });

/** WeCom's add_way codes (how a customer was added), for the rule editor. */
export const addWays: Record<number, { zh: string; en: string }> = {
  0: { zh: '未知来源', en: 'Unknown' },
  1: { zh: '扫描二维码', en: 'Scanned a QR code' },
  2: { zh: '搜索手机号', en: 'Searched a phone number' },
  3: { zh: '名片分享', en: 'Shared business card' },
  4: { zh: '群聊', en: 'Group chat' },
  5: { zh: '手机通讯录', en: 'Phone contacts' },
  6: { zh: '微信联系人', en: 'WeChat contacts' },
  8: { zh: '安装第三方应用时自动添加的客服人员', en: 'Added by a third-party app' },
  9: { zh: '搜索邮箱', en: 'Searched an email' },
  10: { zh: '视频号添加', en: 'WeChat Channels' },
  201: { zh: '内部成员共享', en: 'Shared by a colleague' },
  202: { zh: '管理员/负责人分配', en: 'Assigned by an admin' },
};

import { z } from 'zod';
import { text } from '../../../../common/text';

export const accountParamsSchema = z.strictObject({ id: z.uuid() });
export const chatParamsSchema = z.strictObject({ id: z.uuid(), chatId: text(64, 1) });
export const joinWayParamsSchema = z.strictObject({ id: z.uuid(), joinWayId: z.uuid() });

/** WeCom's join_scene codes: how someone came into a group. */
export const joinScenes = { 1: 'invited', 2: 'link', 3: 'qr_code' } as const;
const sceneCounts = z.object({ invited: z.number().int(), link: z.number().int(), qrCode: z.number().int() });

export const groupChatSchema = z.object({
  chatId: z.string(),
  name: z.string(),
  /** The owner's userid. */
  owner: z.string(),
  /** The owner's name in the directory; the userid when the directory does not know them. */
  ownerName: z.string(),
  /** 0 normal, 1 owner left and awaiting transfer, 2 transferring, 3 transferred. */
  status: z.number().int(),
  memberCount: z.number().int(),
  customerCount: z.number().int(),
  /** Everyone who joined since Qiao first saw the group, by how they came in. */
  joins: sceneCounts.extend({ total: z.number().int() }),
  createdAt: z.string(),
  dismissedAt: z.string().nullable(),
});
export type GroupChat = z.infer<typeof groupChatSchema>;

export const groupChatListQuerySchema = z.strictObject({
  owner: text(64, 1).optional(),
  /** Groups whose owner is in this department or below. */
  departmentId: z.coerce.number().int().min(1).optional(),
  q: text(60).optional(),
  includeDismissed: z.enum(['true', 'false']).default('false'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type GroupChatListQuery = z.infer<typeof groupChatListQuerySchema>;
export const groupChatPageSchema = z.object({ items: z.array(groupChatSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const groupChatMemberSchema = z.object({
  userid: z.string(),
  type: z.enum(['member', 'customer']),
  name: z.string().nullable(),
  joinedAt: z.string(),
  joinScene: z.enum(['invited', 'link', 'qr_code', 'unknown']),
  invitor: z.string().nullable(),
  state: z.string().nullable(),
});

export const groupChatDetailSchema = groupChatSchema.extend({
  notice: z.string(),
  admins: z.array(z.string()),
  members: z.array(groupChatMemberSchema),
  /** Joins per day (Asia/Shanghai), oldest first. */
  joinsByDay: z.array(sceneCounts.extend({ day: z.string() })),
});
export type GroupChatDetail = z.infer<typeof groupChatDetailSchema>;

/** A started sync: its progress and result (`listed`, `synced`, `failed`, `dismissed`) are at `/api/v1/jobs/{id}`. */
export const startedJobSchema = z.object({ id: z.string(), kind: z.string(), state: z.string() });
export type StartedJob = z.infer<typeof startedJobSchema>;

export const JOIN_WAY_LIMITS = { chats: 5, remarkChars: 30, stateChars: 30, roomBaseNameChars: 40 } as const;

export const joinWayBodySchema = z.strictObject({
  remark: text(100, 1),
  /** `qr_code`: a QR code to print or share; `miniprogram`: a button inside a mini program. */
  scene: z.enum(['qr_code', 'miniprogram']).default('qr_code'),
  chatIds: z.array(text(64, 1)).min(1).max(20),
  autoCreateRoom: z.boolean().default(true),
  roomBaseName: text(100).default(''),
  roomBaseId: z.number().int().min(0).max(1_000_000).default(1),
  state: text(100).default(''),
});
export type JoinWayBody = z.infer<typeof joinWayBodySchema>;

export const joinWaySchema = z.object({
  id: z.uuid(),
  configId: z.string(),
  remark: z.string(),
  scene: z.enum(['qr_code', 'miniprogram']),
  chatIds: z.array(z.string()),
  autoCreateRoom: z.boolean(),
  roomBaseName: z.string(),
  roomBaseId: z.number().int(),
  state: z.string(),
  /** WeCom's QR code URL (scene qr_code). */
  qrCode: z.string().nullable(),
  /** People who joined through this code's state. */
  joins: z.number().int(),
  /** Whether the caller may change or delete it: wecom.customers.manage and every one of its groups within reach. */
  editable: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type JoinWay = z.infer<typeof joinWaySchema>;
export const joinWayListSchema = z.object({ items: z.array(joinWaySchema) });

import { randomBytes } from 'node:crypto';
import { AppError } from '../../../common/errors';
import type { Clock } from '../../platform/clock';
import { newId } from './ids';
import type { GroupChatMemberRow, GroupChatsRepository, JoinWayRow } from './group-chats.repository';
import { deliverySummary, type Pushes } from './pushes';
import { useridKey } from './rules';
import type { WeComCaller } from './scope';
import type { CustomerRow, MemberRow, WeComRepository } from './wecom.repository';
import { INVALID_PARAMETER, weComError } from './wecom-errors';
import { pushTarget } from './world';

/** WeCom caps groupchat/list pages at 1000 and answers 81017 past 1000 visible members without an owner filter. */
const MAX_LIST_LIMIT = 1000;
const MAX_OWNER_FILTER = 100;
const MAX_VISIBLE_WITHOUT_FILTER = 1000;
const MAX_JOIN_WAY_CHATS = 5;
const MAX_REMARK_CHARS = 30;
const MAX_STATE_CHARS = 30;
const MAX_ROOM_BASE_NAME_CHARS = 40;
/** A customer group holds at most 500 people (WeCom's own cap for customer groups). */
export const MAX_GROUP_SIZE = 500;

const chars = (value: string) => [...value].length;

export const newGroupChatId = () => `wr${randomBytes(15).toString('base64url').replace(/[-_]/g, 'A')}`;

export interface JoinWayInput {
  scene: number;
  remark?: string | undefined;
  auto_create_room?: number | undefined;
  room_base_name?: string | undefined;
  room_base_id?: number | undefined;
  chat_id_list: string[];
  state?: string | undefined;
}

/** Customer groups (客户群) and their 「加入群聊」 codes, the API and what members and customers do in them. */
export function createGroupChats(deps: { repository: WeComRepository; chats: GroupChatsRepository; clock: Clock; pushes: Pushes }) {
  const { repository, chats } = deps;
  const nowS = () => Math.floor(deps.clock.now().getTime() / 1000);

  async function requireChat(corpId: string, chatId: string) {
    const chat = await chats.findChat(corpId, chatId);
    if (!chat) throw weComError(INVALID_PARAMETER, 'chat_id');
    return chat;
  }

  async function checkJoinWay(caller: WeComCaller, input: JoinWayInput): Promise<void> {
    if (input.scene !== 1 && input.scene !== 2) throw weComError(INVALID_PARAMETER, 'scene');
    if (input.chat_id_list.length === 0 || input.chat_id_list.length > MAX_JOIN_WAY_CHATS) throw weComError(INVALID_PARAMETER, 'chat_id_list');
    if (input.remark !== undefined && chars(input.remark) > MAX_REMARK_CHARS) throw weComError(INVALID_PARAMETER, 'remark');
    if (input.state !== undefined && chars(input.state) > MAX_STATE_CHARS) throw weComError(INVALID_PARAMETER, 'state');
    if (input.room_base_name !== undefined && chars(input.room_base_name) > MAX_ROOM_BASE_NAME_CHARS) throw weComError(INVALID_PARAMETER, 'room_base_name');
    if (input.auto_create_room !== undefined && input.auto_create_room !== 0 && input.auto_create_room !== 1) throw weComError(INVALID_PARAMETER, 'auto_create_room');
    for (const chatId of input.chat_id_list) await requireChat(caller.corpId, chatId);
  }

  function joinWayJson(row: JoinWayRow) {
    return {
      config_id: row.configId,
      scene: row.scene,
      remark: row.remark,
      auto_create_room: row.autoCreateRoom,
      room_base_name: row.roomBaseName,
      room_base_id: row.roomBaseId,
      chat_id_list: row.chatIds,
      ...(row.qrCode ? { qr_code: row.qrCode } : {}),
      state: row.state,
    };
  }

  async function pushChatEvent(corpId: string, chatId: string, fields: Record<string, string | number | { Item: string[] }>) {
    const receiver = await repository.findReceiver(corpId, 'customer-contact');
    if (!receiver) throw new AppError('SANDBOX_WECOM_RECEIVER_NOT_FOUND', { corpId, receiver: 'customer-contact' });
    return deps.pushes.push(pushTarget(receiver), {
      actor: 'sys',
      label: `event:change_external_chat.${String(fields.ChangeType)}`,
      fields: { FromUserName: 'sys', MsgType: 'event', Event: 'change_external_chat', ChatId: chatId, ...fields },
    });
  }

  async function requireMember(corpId: string, userid: string): Promise<MemberRow> {
    const [member] = await repository.findMembers(corpId, [useridKey(userid)]);
    if (!member) throw new AppError('SANDBOX_WECOM_MEMBER_NOT_FOUND', { corpId, userid });
    return member;
  }

  /** New customers with generated names (a group brings people Qiao has not seen yet). */
  async function newCustomers(corpId: string, count: number): Promise<CustomerRow[]> {
    const now = deps.clock.now();
    const ids = Array.from({ length: count }, () => newId.externalUserid());
    const rows: CustomerRow[] = ids.map((externalUserid, i) => ({
      corpId,
      externalUserid,
      // Part of the id keeps names apart across groups.
      name: `群客户${externalUserid.slice(2, 6)}`,
      type: 1,
      gender: 1 + (i % 2),
      unionid: null,
      corpName: null,
      position: null,
      createdAt: now,
    }));
    await repository.insertCustomers(rows);
    return rows;
  }

  return {
    async list(caller: WeComCaller, input: { status_filter?: number | undefined; owner_filter?: { userid_list: string[] } | undefined; cursor?: string | undefined; limit: number }) {
      if (!Number.isInteger(input.limit) || input.limit < 1 || input.limit > MAX_LIST_LIMIT) throw weComError(INVALID_PARAMETER, 'limit');
      const status = input.status_filter ?? 0;
      if (![0, 1, 2, 3].includes(status)) throw weComError(INVALID_PARAMETER, 'status_filter');
      const owners = input.owner_filter?.userid_list ?? [];
      if (owners.length > MAX_OWNER_FILTER) throw weComError(40032, 'owner_filter.userid_list');
      if (owners.length === 0 && (await repository.memberKeys(caller.corpId)).length > MAX_VISIBLE_WITHOUT_FILTER) throw weComError(81017, 'owner_filter');
      const ownerIds = owners.length ? (await repository.findMembers(caller.corpId, owners.map(useridKey))).map((m) => m.userid) : null;
      // status_filter 0 lists every group; 1–3 only groups in that transfer state.
      const rows = await chats.listChats(caller.corpId, { owners: ownerIds, status: status === 0 ? null : status, after: input.cursor || null, limit: input.limit + 1 });
      const page = rows.slice(0, input.limit);
      const last = page[page.length - 1];
      return {
        errcode: 0,
        errmsg: 'ok',
        group_chat_list: page.map((c) => ({ chat_id: c.chatId, status: c.status })),
        ...(rows.length > input.limit && last ? { next_cursor: last.chatId } : {}),
      };
    },

    async get(caller: WeComCaller, input: { chat_id: string; need_name?: number | undefined }) {
      const chat = await requireChat(caller.corpId, input.chat_id);
      const members = await chats.membersOf(caller.corpId, chat.chatId);
      return {
        errcode: 0,
        errmsg: 'ok',
        group_chat: {
          chat_id: chat.chatId,
          name: chat.name,
          owner: chat.owner,
          create_time: chat.createTimeS,
          notice: chat.notice,
          member_list: members.map((m) => ({
            userid: m.userid,
            type: m.type,
            join_time: m.joinTimeS,
            join_scene: m.joinScene,
            ...(m.invitor ? { invitor: { userid: m.invitor } } : {}),
            group_nickname: '',
            ...(input.need_name === 1 ? { name: m.name } : {}),
            ...(m.state ? { state: m.state } : {}),
          })),
          admin_list: chat.admins.map((userid) => ({ userid })),
          member_version: String(chat.memberVersion),
        },
      };
    },

    async addJoinWay(caller: WeComCaller, input: JoinWayInput) {
      await checkJoinWay(caller, input);
      const configId = newId.configId();
      await chats.insertJoinWay({
        corpId: caller.corpId,
        configId,
        scene: input.scene,
        remark: input.remark ?? '',
        autoCreateRoom: input.auto_create_room ?? 1,
        roomBaseName: input.room_base_name ?? '',
        roomBaseId: input.room_base_id ?? 0,
        chatIds: input.chat_id_list,
        state: input.state ?? '',
        qrCode: input.scene === 2 ? `https://wework.qpic.cn/wwpic/sandbox_join_${configId}/0` : null,
        createdAt: deps.clock.now(),
      });
      return { errcode: 0, errmsg: 'ok', config_id: configId };
    },

    async getJoinWay(caller: WeComCaller, configId: string) {
      const row = await chats.findJoinWay(caller.corpId, configId);
      if (!row) throw weComError(INVALID_PARAMETER, 'config_id');
      return { errcode: 0, errmsg: 'ok', join_way: joinWayJson(row) };
    },

    async updateJoinWay(caller: WeComCaller, input: JoinWayInput & { config_id: string }) {
      const row = await chats.findJoinWay(caller.corpId, input.config_id);
      if (!row) throw weComError(INVALID_PARAMETER, 'config_id');
      await checkJoinWay(caller, input);
      await chats.updateJoinWay(caller.corpId, row.configId, {
        scene: input.scene,
        remark: input.remark ?? '',
        autoCreateRoom: input.auto_create_room ?? 1,
        roomBaseName: input.room_base_name ?? '',
        roomBaseId: input.room_base_id ?? 0,
        chatIds: input.chat_id_list,
        state: input.state ?? '',
        qrCode: input.scene === 2 ? (row.qrCode ?? `https://wework.qpic.cn/wwpic/sandbox_join_${row.configId}/0`) : null,
      });
      return { errcode: 0, errmsg: 'ok' };
    },

    async deleteJoinWay(caller: WeComCaller, configId: string) {
      if (!(await chats.deleteJoinWay(caller.corpId, configId))) throw weComError(INVALID_PARAMETER, 'config_id');
      return { errcode: 0, errmsg: 'ok' };
    },

    /** A member creates a group with `customers` new customers in it: the customer-contact receiver gets change_external_chat/create. */
    async createChat(corpId: string, input: { owner: string; customers: number; name?: string | undefined }) {
      const owner = await requireMember(corpId, input.owner);
      const customers = await newCustomers(corpId, input.customers);
      const chatId = newGroupChatId();
      const at = nowS();
      const members: GroupChatMemberRow[] = [
        { corpId, chatId, userid: owner.userid, type: 1, name: owner.name, joinTimeS: at, joinScene: 1, invitor: null, state: null },
        ...customers.map((c) => ({ corpId, chatId, userid: c.externalUserid, type: 2, name: c.name, joinTimeS: at, joinScene: 1, invitor: owner.userid, state: null })),
      ];
      await chats.transaction((tx) =>
        tx.insertChat({ corpId, chatId, name: input.name ?? `${owner.name}的客户群`, owner: owner.userid, notice: '', status: 0, admins: [], memberVersion: 1, createTimeS: at }, members),
      );
      const delivery = await pushChatEvent(corpId, chatId, { ChangeType: 'create' });
      return { chatId, customers: customers.map((c) => ({ externalUserId: c.externalUserid, name: c.name })), delivery: deliverySummary(delivery) };
    },

    /**
     * A customer joins a group (a new one unless `externalUserId` is given):
     * change_external_chat/update with UpdateDetail add_member and the JoinScene.
     */
    async join(corpId: string, chatId: string, input: { externalUserId?: string | undefined; joinScene?: number | undefined; state?: string | undefined }) {
      const chat = await chats.findChat(corpId, chatId);
      if (!chat) throw new AppError('SANDBOX_WECOM_GROUP_CHAT_NOT_FOUND', { corpId, chatId });
      let customer: CustomerRow | null;
      if (input.externalUserId) {
        customer = await repository.findCustomer(corpId, input.externalUserId);
        if (!customer) throw new AppError('SANDBOX_WECOM_CUSTOMER_NOT_FOUND', { corpId, externalUserId: input.externalUserId });
      } else {
        customer = (await newCustomers(corpId, 1))[0] ?? null;
      }
      const joiner = customer as CustomerRow;
      const present = await chats.membersOf(corpId, chatId);
      if (present.some((m) => m.userid === joiner.externalUserid)) throw new AppError('SANDBOX_WECOM_ALREADY_IN_GROUP', { chatId, externalUserId: joiner.externalUserid });
      if (present.length >= MAX_GROUP_SIZE) throw new AppError('SANDBOX_WECOM_GROUP_FULL', { chatId, max: MAX_GROUP_SIZE });
      const joinScene = input.joinScene ?? 3;
      const before = chat.memberVersion;
      const after = await chats.transaction((tx) =>
        tx.addMember({
          corpId,
          chatId,
          userid: joiner.externalUserid,
          type: 2,
          name: joiner.name,
          joinTimeS: nowS(),
          joinScene,
          invitor: joinScene === 3 ? null : chat.owner,
          state: input.state ?? null,
        }),
      );
      const delivery = await pushChatEvent(corpId, chatId, {
        ChangeType: 'update',
        UpdateDetail: 'add_member',
        JoinScene: joinScene,
        MemChangeCnt: 1,
        MemChangeList: { Item: [joiner.externalUserid] },
        LastMemVer: String(before),
        CurMemVer: String(after),
      });
      return { externalUserId: joiner.externalUserid, delivery: deliverySummary(delivery) };
    },

    /** The owner dismisses a group: it leaves the list and the customer-contact receiver gets change_external_chat/dismiss. */
    async dismiss(corpId: string, chatId: string) {
      const chat = await chats.findChat(corpId, chatId);
      if (!chat) throw new AppError('SANDBOX_WECOM_GROUP_CHAT_NOT_FOUND', { corpId, chatId });
      await chats.transaction((tx) => tx.deleteChat(corpId, chatId));
      const delivery = await pushChatEvent(corpId, chatId, { ChangeType: 'dismiss' });
      return { chatId, delivery: deliverySummary(delivery) };
    },
  };
}

export type GroupChats = ReturnType<typeof createGroupChats>;

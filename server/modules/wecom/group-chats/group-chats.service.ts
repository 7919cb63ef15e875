import { AppError } from '../../../../common/errors';
import type { AuditRecorder } from '../../../platform/audit';
import type { Clock } from '../../../platform/clock';
import type { Principal, RequestContext } from '../../../platform/http/principal';
import { describeErrcode, isWeChatApiError, type WeChatAccount, type WeChatClient } from '../../../wechat/client';
import {
  wecomFollowUserList,
  wecomGroupChatGet,
  wecomGroupChatList,
  wecomGroupJoinWayAdd,
  wecomGroupJoinWayDelete,
  wecomGroupJoinWayGet,
  wecomGroupJoinWayUpdate,
} from '../../../wechat/wecom';
import { mayActOnMemberRecord, type DepartmentTree, type MemberDepartments } from '../../system';
import type { JobQueue } from '../../../platform/queue';
import type { GroupChatMemberRow, GroupChatRow, GroupChatsRepository, GroupChatWithOwner, GroupJoinWayRow } from './group-chats.repository';
import { JOIN_WAY_LIMITS, type GroupChat, type GroupChatDetail, type GroupChatListQuery, type JoinWay, type JoinWayBody, type StartedJob } from './group-chats.schema';
import { groupChatSyncJob, type ListedChat } from './group-chats.sync';

export interface GroupChatsServiceDeps {
  repository: GroupChatsRepository;
  wechat: WeChatClient;
  wechatAccountFor(accountId: string): Promise<WeChatAccount>;
  requireCorp(accountId: string): Promise<unknown>;
  tree: DepartmentTree;
  members: MemberDepartments;
  queue: JobQueue;
  audit: AuditRecorder;
  clock: Clock;
}

export type GroupChatsService = ReturnType<typeof createGroupChatsService>;

const LIST_PAGE = 1000;
const OWNER_FILTER_MAX = 100;
const sceneName = (scene: number) => (scene === 1 ? 'invited' : scene === 2 ? 'link' : scene === 3 ? 'qr_code' : 'unknown') as 'invited' | 'link' | 'qr_code' | 'unknown';
const chars = (value: string) => [...value].length;

function refusal(error: unknown): unknown {
  if (!isWeChatApiError(error)) return error;
  return new AppError('GROUP_CHAT_WECHAT_REFUSED', { errcode: error.errcode, errmsg: error.errmsg, words: describeErrcode('wecom', error.errcode)?.zh ?? error.errmsg });
}

export function createGroupChatsService(deps: GroupChatsServiceDeps) {
  const { repository } = deps;

  async function departmentsOf(accountId: string, userid: string): Promise<number[]> {
    return (await deps.members.departmentsOf(accountId, userid)) ?? [];
  }

  async function mayReach(principal: Principal | null, accountId: string, owner: string): Promise<boolean> {
    if (!principal) return false;
    return mayActOnMemberRecord(principal, { accountId, userid: owner, departmentIds: await departmentsOf(accountId, owner) }, deps.tree);
  }

  async function inDepartment(accountId: string, owner: string, departmentId: number): Promise<boolean> {
    for (const d of await departmentsOf(accountId, owner)) {
      if (d === departmentId || (await deps.tree.ancestorsOf(accountId, d)).includes(departmentId)) return true;
    }
    return false;
  }

  /** One group as WeCom describes it now, ready to store. */
  async function readChat(account: WeChatAccount, accountId: string, chatId: string, status: number): Promise<{ row: GroupChatRow; members: GroupChatMemberRow[] }> {
    const answer = await deps.wechat.call(account, wecomGroupChatGet, { chat_id: chatId, need_name: 1 });
    const chat = answer.group_chat;
    const at = deps.clock.now();
    const members: GroupChatMemberRow[] = chat.member_list.map((m) => ({
      accountId,
      chatId,
      userid: m.userid,
      type: m.type,
      name: m.name ?? null,
      joinedAt: new Date(m.join_time * 1000),
      joinScene: m.join_scene,
      invitor: m.invitor?.userid ?? null,
      state: m.state ?? null,
    }));
    const row: GroupChatRow = {
      accountId,
      chatId,
      name: chat.name,
      owner: chat.owner,
      notice: chat.notice ?? '',
      status,
      memberCount: members.length,
      customerCount: members.filter((m) => m.type === 2).length,
      admins: (chat.admin_list ?? []).map((a) => a.userid),
      memberVersion: chat.member_version ?? null,
      createdAt: new Date(chat.create_time * 1000),
      dismissedAt: null,
      syncedAt: at,
    };
    return { row, members };
  }

  /** Fetches one group and stores it as WeCom describes it. */
  async function refresh(account: WeChatAccount, accountId: string, chatId: string, status = 0): Promise<void> {
    const { row, members } = await readChat(account, accountId, chatId, status);
    await repository.transaction((repo) => repo.saveChat(row, members));
  }

  /** groupchat/list, paged by cursor; by owners (100 at a time) when WeCom answers 81017 (too many visible members). */
  async function listAll(account: WeChatAccount): Promise<{ chat_id: string; status: number }[]> {
    const pages = async (ownerFilter?: { userid_list: string[] }) => {
      const out: { chat_id: string; status: number }[] = [];
      let cursor: string | undefined;
      do {
        const page = await deps.wechat.call(account, wecomGroupChatList, { limit: LIST_PAGE, ...(cursor ? { cursor } : {}), ...(ownerFilter ? { owner_filter: ownerFilter } : {}) });
        out.push(...page.group_chat_list);
        cursor = page.next_cursor || undefined;
      } while (cursor);
      return out;
    };
    try {
      return await pages();
    } catch (error) {
      if (!isWeChatApiError(error) || error.errcode !== 81017) throw error;
      const owners = (await deps.wechat.call(account, wecomFollowUserList)).follow_user;
      const out: { chat_id: string; status: number }[] = [];
      for (let i = 0; i < owners.length; i += OWNER_FILTER_MAX) out.push(...(await pages({ userid_list: owners.slice(i, i + OWNER_FILTER_MAX) })));
      return out;
    }
  }

  async function toChats(accountId: string, rows: GroupChatWithOwner[]): Promise<GroupChat[]> {
    const counts = await repository.joinCounts(accountId, rows.map((r) => r.chatId));
    return rows.map((r) => {
      const of = (scene: number) => counts.find((c) => c.chatId === r.chatId && c.joinScene === scene)?.n ?? 0;
      const total = counts.filter((c) => c.chatId === r.chatId).reduce((sum, c) => sum + c.n, 0);
      return {
        chatId: r.chatId,
        name: r.name,
        owner: r.owner,
        ownerName: r.ownerName ?? r.owner,
        status: r.status,
        memberCount: r.memberCount,
        customerCount: r.customerCount,
        joins: { total, invited: of(1), link: of(2), qrCode: of(3) },
        createdAt: r.createdAt.toISOString(),
        dismissedAt: r.dismissedAt?.toISOString() ?? null,
      };
    });
  }

  async function requireVisibleChat(context: RequestContext, accountId: string, chatId: string): Promise<GroupChatWithOwner> {
    const chat = await repository.findChatWithOwner(accountId, chatId);
    if (!chat || !(await mayReach(context.principal, accountId, chat.owner))) throw new AppError('GROUP_CHAT_NOT_FOUND', { chatId });
    return chat;
  }

  /**
   * The groups among these that the caller reaches through their owners, as
   * the group list does. A group Qiao does not know (never synced, or purged)
   * is reached only by a super admin, who reaches every group.
   */
  async function reachedChats(context: RequestContext, accountId: string, chatIds: readonly string[]): Promise<Set<string>> {
    if (context.principal?.role === 'super_admin') return new Set(chatIds);
    const byOwner = new Map<string, boolean>();
    const reached = new Set<string>();
    for (const chat of await repository.findChats(accountId, [...new Set(chatIds)])) {
      if (!byOwner.has(chat.owner)) byOwner.set(chat.owner, await mayReach(context.principal, accountId, chat.owner));
      if (byOwner.get(chat.owner)) reached.add(chat.chatId);
    }
    return reached;
  }

  async function toJoinWays(context: RequestContext, accountId: string, rows: GroupJoinWayRow[], reachedOf?: Set<string>): Promise<JoinWay[]> {
    const joins = await repository.joinsByState(accountId, rows.map((r) => r.state).filter((s) => s !== ''));
    const reached = reachedOf ?? (await reachedChats(context, accountId, rows.flatMap((r) => r.chatIds)));
    const manages = context.principal?.permissions.includes('wecom.customers.manage') ?? false;
    return rows.map((r) => ({
      id: r.id,
      configId: r.configId,
      remark: r.remark,
      scene: r.scene === 1 ? 'miniprogram' : 'qr_code',
      chatIds: r.chatIds,
      autoCreateRoom: r.autoCreateRoom,
      roomBaseName: r.roomBaseName,
      roomBaseId: r.roomBaseId,
      state: r.state,
      qrCode: r.qrCode,
      joins: r.state ? (joins.get(r.state) ?? 0) : 0,
      editable: manages && r.chatIds.every((id) => reached.has(id)),
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    }));
  }

  /** WeCom's join-way limits, checked before calling it; the groups must be live and within the caller's reach. */
  async function checkJoinWay(context: RequestContext, accountId: string, body: JoinWayBody) {
    const remark = body.remark.trim();
    const invalid = (field: string, limit: string) => new AppError('GROUP_JOIN_WAY_INVALID', { field, limit });
    if (chars(remark) > JOIN_WAY_LIMITS.remarkChars) throw invalid('remark', `≤ ${JOIN_WAY_LIMITS.remarkChars}`);
    if (chars(body.state) > JOIN_WAY_LIMITS.stateChars) throw invalid('state', `≤ ${JOIN_WAY_LIMITS.stateChars}`);
    if (chars(body.roomBaseName) > JOIN_WAY_LIMITS.roomBaseNameChars) throw invalid('roomBaseName', `≤ ${JOIN_WAY_LIMITS.roomBaseNameChars}`);
    const chatIds = [...new Set(body.chatIds)];
    if (chatIds.length > JOIN_WAY_LIMITS.chats) throw invalid('chatIds', `≤ ${JOIN_WAY_LIMITS.chats}`);
    if (body.autoCreateRoom && body.roomBaseName.trim() === '') throw invalid('roomBaseName', '≥ 1');
    const chats = await repository.findChats(accountId, chatIds);
    for (const chatId of chatIds) {
      const chat = chats.find((c) => c.chatId === chatId);
      if (!chat || chat.dismissedAt || !(await mayReach(context.principal, accountId, chat.owner))) throw new AppError('GROUP_JOIN_WAY_UNKNOWN_CHAT', { chatId });
    }
    return {
      scene: body.scene === 'miniprogram' ? 1 : 2,
      remark,
      auto_create_room: body.autoCreateRoom ? 1 : 0,
      ...(body.autoCreateRoom ? { room_base_name: body.roomBaseName.trim(), room_base_id: body.roomBaseId } : {}),
      chat_id_list: chatIds,
      ...(body.state ? { state: body.state } : {}),
    };
  }

  async function requireJoinWay(accountId: string, id: string): Promise<GroupJoinWayRow> {
    const row = await repository.findJoinWay(accountId, id);
    if (!row) throw new AppError('GROUP_JOIN_WAY_NOT_FOUND', { id });
    return row;
  }

  /**
   * A code the caller may change: changing or deleting it changes how people
   * join every one of its groups, so the caller must reach them all. A code
   * none of whose groups the caller reaches is not listed to them, so it is
   * not found; a group out of reach in a code they see is refused as create
   * refuses it.
   */
  async function requireChangeableJoinWay(context: RequestContext, accountId: string, id: string): Promise<GroupJoinWayRow> {
    const row = await requireJoinWay(accountId, id);
    const reached = await reachedChats(context, accountId, row.chatIds);
    if (!row.chatIds.some((chatId) => reached.has(chatId))) throw new AppError('GROUP_JOIN_WAY_NOT_FOUND', { id });
    const outside = row.chatIds.find((chatId) => !reached.has(chatId));
    if (outside) throw new AppError('GROUP_JOIN_WAY_UNKNOWN_CHAT', { chatId: outside });
    return row;
  }

  return {
    /** Starts a full sync as a job (one at a time per corp); its progress counts groups read. */
    async startSync(context: RequestContext, accountId: string): Promise<StartedJob> {
      await deps.requireCorp(accountId);
      await deps.wechatAccountFor(accountId);
      const running = await deps.queue.list({ kind: groupChatSyncJob, state: 'running', limit: 100 });
      const queued = await deps.queue.list({ kind: groupChatSyncJob, state: 'queued', limit: 100 });
      const busy = [...running.items, ...queued.items].find((job) => job.accountId === accountId);
      if (busy) throw new AppError('GROUP_CHAT_SYNC_RUNNING', { jobId: busy.id });
      const job = await deps.queue.enqueue(groupChatSyncJob, { accountId }, { accountId, ...(context.principal ? { createdBy: context.principal.userId } : {}) });
      await deps.audit.record(context, { action: 'wecom.group_chat.sync', targetType: 'wecom_account', targetId: accountId, summary: { jobId: job.id } });
      return { id: job.id, kind: job.kind, state: job.state };
    },

    /** What the sync job reads: every listed group, WeCom's refusal of the list in plain words. */
    async listFromWeCom(account: WeChatAccount): Promise<ListedChat[]> {
      try {
        return await listAll(account);
      } catch (error) {
        if (isWeChatApiError(error) && (error.errcode === -1 || error.kind === 'quota')) throw error;
        throw refusal(error);
      }
    },

    readChat,

    /** change_external_chat create/update: read that group again. */
    async onChatChanged(accountId: string, chatId: string): Promise<void> {
      const previous = await repository.findChat(accountId, chatId);
      await refresh(await deps.wechatAccountFor(accountId), accountId, chatId, previous?.status ?? 0);
    },

    async onChatDismissed(accountId: string, chatId: string): Promise<void> {
      await repository.dismiss(accountId, [chatId], deps.clock.now());
    },

    async list(context: RequestContext, accountId: string, query: GroupChatListQuery) {
      await deps.requireCorp(accountId);
      const principal = context.principal;
      let owners: string[] | null = null;
      if (principal?.role !== 'super_admin' || query.owner || query.departmentId) {
        owners = [];
        for (const owner of await repository.owners(accountId)) {
          if (query.owner && owner !== query.owner) continue;
          if (query.departmentId && !(await inDepartment(accountId, owner, query.departmentId))) continue;
          if (await mayReach(principal, accountId, owner)) owners.push(owner);
        }
      }
      const { rows, total } = await repository.listChats(
        accountId,
        { owners, q: query.q?.trim() || null, includeDismissed: query.includeDismissed === 'true' },
        { offset: (query.page - 1) * query.pageSize, limit: query.pageSize },
      );
      return { items: await toChats(accountId, rows), total, page: query.page, pageSize: query.pageSize };
    },

    async get(context: RequestContext, accountId: string, chatId: string): Promise<GroupChatDetail> {
      await deps.requireCorp(accountId);
      const chat = await requireVisibleChat(context, accountId, chatId);
      const [summary] = await toChats(accountId, [chat]);
      const members = await repository.membersOf(accountId, chatId);
      const byDay = new Map<string, { day: string; invited: number; link: number; qrCode: number }>();
      for (const r of await repository.joinsByDay(accountId, chatId)) {
        const entry = byDay.get(r.day) ?? { day: r.day, invited: 0, link: 0, qrCode: 0 };
        if (r.joinScene === 1) entry.invited += r.n;
        else if (r.joinScene === 2) entry.link += r.n;
        else if (r.joinScene === 3) entry.qrCode += r.n;
        byDay.set(r.day, entry);
      }
      return {
        ...(summary as GroupChat),
        notice: chat.notice,
        admins: chat.admins,
        members: members.map((m) => ({
          userid: m.userid,
          type: m.type === 1 ? 'member' : 'customer',
          name: m.name,
          joinedAt: m.joinedAt.toISOString(),
          joinScene: sceneName(m.joinScene),
          invitor: m.invitor,
          state: m.state,
        })),
        joinsByDay: [...byDay.values()],
      };
    },

    /** The codes serving at least one group the caller reaches, as a customer shows to whoever reaches one of its followers. */
    async listJoinWays(context: RequestContext, accountId: string): Promise<JoinWay[]> {
      await deps.requireCorp(accountId);
      const rows = await repository.listJoinWays(accountId);
      const reached = await reachedChats(context, accountId, rows.flatMap((r) => r.chatIds));
      return toJoinWays(context, accountId, rows.filter((r) => r.chatIds.some((chatId) => reached.has(chatId))), reached);
    },

    async createJoinWay(context: RequestContext, accountId: string, body: JoinWayBody): Promise<JoinWay> {
      await deps.requireCorp(accountId);
      const request = await checkJoinWay(context, accountId, body);
      const account = await deps.wechatAccountFor(accountId);
      let configId: string;
      let qrCode: string | null;
      try {
        configId = (await deps.wechat.call(account, wecomGroupJoinWayAdd, request)).config_id;
        qrCode = (await deps.wechat.call(account, wecomGroupJoinWayGet, { config_id: configId })).join_way.qr_code ?? null;
      } catch (error) {
        throw refusal(error);
      }
      const at = deps.clock.now();
      const row = await repository.insertJoinWay({
        accountId,
        configId,
        remark: request.remark,
        scene: request.scene,
        chatIds: request.chat_id_list,
        autoCreateRoom: body.autoCreateRoom,
        roomBaseName: request.room_base_name ?? '',
        roomBaseId: request.room_base_id ?? 0,
        state: body.state,
        qrCode,
        createdAt: at,
        updatedAt: at,
      });
      await deps.audit.record(context, { action: 'wecom.group_join_way.create', targetType: 'wecom_group_join_way', targetId: row.id, summary: { remark: row.remark, chatIds: row.chatIds, state: row.state } });
      return (await toJoinWays(context, accountId, [row]))[0] as JoinWay;
    },

    async updateJoinWay(context: RequestContext, accountId: string, id: string, body: JoinWayBody): Promise<JoinWay> {
      await deps.requireCorp(accountId);
      const row = await requireChangeableJoinWay(context, accountId, id);
      const request = await checkJoinWay(context, accountId, body);
      const account = await deps.wechatAccountFor(accountId);
      let qrCode: string | null;
      try {
        await deps.wechat.call(account, wecomGroupJoinWayUpdate, { ...request, config_id: row.configId });
        qrCode = (await deps.wechat.call(account, wecomGroupJoinWayGet, { config_id: row.configId })).join_way.qr_code ?? null;
      } catch (error) {
        throw refusal(error);
      }
      await repository.updateJoinWay(accountId, id, {
        remark: request.remark,
        scene: request.scene,
        chatIds: request.chat_id_list,
        autoCreateRoom: body.autoCreateRoom,
        roomBaseName: request.room_base_name ?? '',
        roomBaseId: request.room_base_id ?? 0,
        state: body.state,
        qrCode,
        updatedAt: deps.clock.now(),
      });
      await deps.audit.record(context, { action: 'wecom.group_join_way.update', targetType: 'wecom_group_join_way', targetId: id, summary: { remark: request.remark, chatIds: request.chat_id_list } });
      return (await toJoinWays(context, accountId, [await requireJoinWay(accountId, id)]))[0] as JoinWay;
    },

    async deleteJoinWay(context: RequestContext, accountId: string, id: string): Promise<void> {
      await deps.requireCorp(accountId);
      const row = await requireChangeableJoinWay(context, accountId, id);
      try {
        await deps.wechat.call(await deps.wechatAccountFor(accountId), wecomGroupJoinWayDelete, { config_id: row.configId });
      } catch (error) {
        // Already gone in WeCom (40058 on its config_id): remove it here too.
        if (!isWeChatApiError(error) || error.errcode !== 40058) throw refusal(error);
      }
      await repository.deleteJoinWay(accountId, id);
      await deps.audit.record(context, { action: 'wecom.group_join_way.delete', targetType: 'wecom_group_join_way', targetId: id, summary: { remark: row.remark } });
    },
  };
}

import { AppError } from '../../../../common/errors';
import { decodeCursor, encodeCursor, type Page } from '../../../../common/paging';
import type { AuditRecorder } from '../../../platform/audit';
import type { Clock } from '../../../platform/clock';
import type { RequestContext } from '../../../platform/http/principal';
import { isWeChatApiError, type WeChatAccount, type WeChatClient } from '../../../wechat/client';
import { wecomCustomerGet } from '../../../wechat/wecom';
import type { CustomersService } from '../customers';
import { subtreeIds, type Tree } from '../departments';
import { checkQuickReply, quickReplyVariables, renderBody, variablesNeeded, type Problem, type QuickReplyBody, type QuickReplyVariable } from './quick-reply-rules';
import type { QuickRepliesRepository, QuickReplyGroupRow, QuickReplyKey, QuickReplyRow } from './quick-replies.repository';
import type {
  CreateGroupBody,
  CreateQuickReplyBody,
  ListQuickRepliesQuery,
  QuickReply,
  QuickReplyGroup,
  RenderBody,
  Rendered,
  UpdateGroupBody,
  UpdateQuickReplyBody,
} from './quick-replies.schema';
import { wecomReceiverFor } from '../../system/accounts';

export interface QuickRepliesServiceDeps {
  repository: QuickRepliesRepository;
  audit: AuditRecorder;
  clock: Clock;
  wechat: WeChatClient;
  accounts: {
    getAccount(id: string): Promise<{ id: string; name: string; callbacks: { receiver: string }[] }>;
    wechatAccountFor(id: string, receiver: string): Promise<WeChatAccount>;
  };
  departments: { requireCorp(accountId: string): Promise<unknown>; tree(accountId: string): Promise<Tree> };
  members: { departmentsOf(accountId: string, userid: string): Promise<number[] | null> };
  customers: Pick<CustomersService, 'mayAccessCustomer'>;
}

export type QuickRepliesService = ReturnType<typeof createQuickRepliesService>;

function throwProblem(problems: Problem[]): void {
  const first = problems[0];
  if (first) throw new AppError(first.code, first.details);
}

/** The reply in the attachment shape WeCom's customer-contact calls take (send_welcome_msg, add_msg_template). */
function wecomMessage(type: QuickReply['type'], body: QuickReplyBody): Record<string, unknown> {
  if (type === 'text') return { msgtype: 'text', text: { content: body.text ?? '' } };
  if (type === 'image') return { msgtype: 'image', image: { pic_url: body.picUrl } };
  if (type === 'link') return { msgtype: 'link', link: { title: body.title, url: body.url, ...(body.description ? { desc: body.description } : {}), ...(body.picUrl ? { picurl: body.picUrl } : {}) } };
  return { msgtype: 'miniprogram', miniprogram: { title: body.title, appid: body.appid, page: body.page, pic_url: body.picUrl } };
}

/** Empty strings are absent fields: editors send every input. */
function cleanBody(body: QuickReplyBody): QuickReplyBody {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string' && v !== '')) as QuickReplyBody;
}

export function createQuickRepliesService(deps: QuickRepliesServiceDeps) {
  const { repository } = deps;

  /** Departments whose members the reader stands for; 'all' for managers seeing the whole library. */
  type Reader = { kind: 'all' } | { kind: 'members'; departmentIds: number[]; userids: string[] };

  async function requireMemberReach(context: RequestContext | null, accountId: string, userid: string): Promise<number[]> {
    const departmentIds = await deps.members.departmentsOf(accountId, userid);
    const principal = context?.principal;
    const own = principal?.role === 'member' ? principal.wecomMembers.some((m) => m.accountId === accountId && m.userid.toLowerCase() === userid.toLowerCase()) : true;
    if (!departmentIds || !own) throw new AppError('QUICK_REPLY_RENDER_MEMBER_UNKNOWN', { userid });
    if (principal?.role === 'dept_admin') {
      const roots = principal.departmentScopes.filter((s) => s.accountId === accountId).map((s) => s.departmentId);
      const reach = subtreeIds(await deps.departments.tree(accountId), roots);
      if (!departmentIds.some((d) => reach.has(d))) throw new AppError('QUICK_REPLY_RENDER_MEMBER_UNKNOWN', { userid });
    }
    return departmentIds;
  }

  async function readerOf(context: RequestContext | null, accountId: string, userid: string | undefined): Promise<Reader> {
    const principal = context?.principal;
    if (userid) return { kind: 'members', departmentIds: await requireMemberReach(context, accountId, userid), userids: [userid] };
    if (principal?.role !== 'member') return { kind: 'all' };
    const own = principal.wecomMembers.filter((m) => m.accountId === accountId).map((m) => m.userid);
    const departmentIds = (await Promise.all(own.map((u) => deps.members.departmentsOf(accountId, u)))).flatMap((d) => d ?? []);
    return { kind: 'members', departmentIds, userids: own };
  }

  function visible(group: QuickReplyGroupRow, reader: Reader, tree: Tree): boolean {
    if (reader.kind === 'all' || group.departmentId === null) return true;
    const subtree = subtreeIds(tree, [group.departmentId]);
    return reader.departmentIds.some((d) => subtree.has(d));
  }

  async function mayEdit(context: RequestContext | null, accountId: string, departmentId: number | null, tree?: Tree): Promise<boolean> {
    const principal = context?.principal;
    if (!principal || principal.role === 'super_admin') return true;
    if (principal.role === 'member' || departmentId === null) return false;
    const roots = principal.departmentScopes.filter((s) => s.accountId === accountId).map((s) => s.departmentId);
    return subtreeIds(tree ?? (await deps.departments.tree(accountId)), roots).has(departmentId);
  }

  async function requireEditable(context: RequestContext | null, accountId: string, departmentId: number | null): Promise<void> {
    const tree = await deps.departments.tree(accountId);
    if (departmentId !== null && !tree.nodes.has(departmentId)) throw new AppError('QUICK_REPLY_DEPARTMENT_UNKNOWN', { departmentId });
    if (await mayEdit(context, accountId, departmentId, tree)) return;
    if (departmentId !== null && context?.principal?.role === 'dept_admin') throw new AppError('QUICK_REPLY_DEPARTMENT_OUT_OF_SCOPE', { departmentId });
    throw new AppError('QUICK_REPLY_MANAGE_FORBIDDEN', {});
  }

  async function requireGroup(accountId: string, groupId: string): Promise<QuickReplyGroupRow> {
    const group = await repository.findGroup(accountId, groupId);
    if (!group) throw new AppError('QUICK_REPLY_GROUP_NOT_FOUND', { groupId });
    return group;
  }

  function toItem(found: { row: QuickReplyRow; groupName: string }, editable: boolean): QuickReply {
    const { row } = found;
    return {
      id: row.id,
      groupId: row.groupId,
      groupName: found.groupName,
      title: row.title,
      type: row.type,
      body: row.body,
      variables: variablesNeeded(row.type, row.body),
      order: row.sortOrder,
      editable,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  /** A reply the caller (or the member it renders for) may see; hidden ones are not found. */
  async function requireVisibleItem(context: RequestContext | null, accountId: string, itemId: string, userid?: string) {
    await deps.departments.requireCorp(accountId);
    const found = await repository.find(accountId, itemId);
    if (!found) throw new AppError('QUICK_REPLY_NOT_FOUND', { itemId });
    const group = (await repository.findGroup(accountId, found.row.groupId))!;
    const tree = await deps.departments.tree(accountId);
    if (!visible(group, await readerOf(context, accountId, userid), tree)) throw new AppError('QUICK_REPLY_NOT_VISIBLE', { itemId });
    return { found, group, tree };
  }

  /** The customer's name and remark, only for a customer the caller could open in the customer list. */
  async function customerValues(context: RequestContext | null, accountId: string, externalUserId: string, userid: string | undefined) {
    if (!(await deps.customers.mayAccessCustomer(context, accountId, externalUserId))) throw new AppError('WECOM_CUSTOMER_NOT_FOUND', { externalUserId });
    const account = await deps.accounts.getAccount(accountId);
    const receivers = account.callbacks.map((c) => c.receiver);
    const receiver = wecomReceiverFor(receivers, 'customer-contact') ?? 'customer-contact';
    try {
      const answer = await deps.wechat.call(await deps.accounts.wechatAccountFor(accountId, receiver), wecomCustomerGet, undefined, { external_userid: externalUserId });
      const follow = userid ? answer.follow_user.find((u) => u.userid.toLowerCase() === userid.toLowerCase()) : undefined;
      return { name: answer.external_contact.name, remark: follow?.remark || answer.external_contact.name };
    } catch (error) {
      if (isWeChatApiError(error) && [40096, 84061, 40003].includes(error.errcode)) {
        throw new AppError('QUICK_REPLY_RENDER_CUSTOMER_UNKNOWN', { externalUserId, errcode: error.errcode, errmsg: error.errmsg });
      }
      throw error;
    }
  }

  return {
    async listGroups(context: RequestContext | null, accountId: string): Promise<{ items: QuickReplyGroup[] }> {
      await deps.departments.requireCorp(accountId);
      const tree = await deps.departments.tree(accountId);
      const reader = await readerOf(context, accountId, undefined);
      const groups = (await repository.listGroups(accountId)).filter((group) => visible(group, reader, tree));
      const items: QuickReplyGroup[] = [];
      for (const group of groups) {
        items.push({
          id: group.id,
          name: group.name,
          order: group.sortOrder,
          departmentId: group.departmentId,
          itemCount: group.itemCount,
          editable: await mayEdit(context, accountId, group.departmentId, tree),
          createdAt: group.createdAt.toISOString(),
          updatedAt: group.updatedAt.toISOString(),
        });
      }
      return { items };
    },

    async createGroup(context: RequestContext | null, accountId: string, body: CreateGroupBody): Promise<QuickReplyGroup> {
      await deps.departments.requireCorp(accountId);
      const departmentId = body.departmentId ?? null;
      await requireEditable(context, accountId, departmentId);
      const now = deps.clock.now();
      const group = await repository.transaction(async (repo, tx) => {
        if (await repo.findGroupByName(accountId, body.name)) throw new AppError('QUICK_REPLY_GROUP_NAME_TAKEN', { name: body.name });
        const inserted = await repo.insertGroup({ accountId, name: body.name, sortOrder: body.order ?? 0, departmentId, createdAt: now, updatedAt: now });
        await deps.audit.record(context, { action: 'wecom.quick_replies.group_create', targetType: 'wecom_quick_reply_group', targetId: inserted.id, summary: { accountId, name: body.name, departmentId } }, tx);
        return inserted;
      });
      return { id: group.id, name: group.name, order: group.sortOrder, departmentId: group.departmentId, itemCount: 0, editable: true, createdAt: group.createdAt.toISOString(), updatedAt: group.updatedAt.toISOString() };
    },

    async updateGroup(context: RequestContext | null, accountId: string, groupId: string, body: UpdateGroupBody): Promise<QuickReplyGroup> {
      await deps.departments.requireCorp(accountId);
      const group = await requireGroup(accountId, groupId);
      await requireEditable(context, accountId, group.departmentId);
      if (body.departmentId !== undefined) await requireEditable(context, accountId, body.departmentId);
      await repository.transaction(async (repo, tx) => {
        if (body.name && body.name !== group.name && (await repo.findGroupByName(accountId, body.name))) throw new AppError('QUICK_REPLY_GROUP_NAME_TAKEN', { name: body.name });
        const changes = { name: body.name ?? group.name, sortOrder: body.order ?? group.sortOrder, departmentId: body.departmentId === undefined ? group.departmentId : body.departmentId };
        await repo.updateGroup(groupId, { ...changes, updatedAt: deps.clock.now() });
        await deps.audit.record(
          context,
          { action: 'wecom.quick_replies.group_update', targetType: 'wecom_quick_reply_group', targetId: groupId, summary: { before: { name: group.name, order: group.sortOrder, departmentId: group.departmentId }, after: changes } },
          tx,
        );
      });
      return (await this.listGroups(context, accountId)).items.find((g) => g.id === groupId)!;
    },

    async removeGroup(context: RequestContext | null, accountId: string, groupId: string): Promise<void> {
      await deps.departments.requireCorp(accountId);
      const group = await requireGroup(accountId, groupId);
      await requireEditable(context, accountId, group.departmentId);
      await repository.transaction(async (repo, tx) => {
        const count = await repo.countItems(groupId);
        if (count > 0) throw new AppError('QUICK_REPLY_GROUP_NOT_EMPTY', { count });
        await repo.deleteGroup(groupId);
        await deps.audit.record(context, { action: 'wecom.quick_replies.group_delete', targetType: 'wecom_quick_reply_group', targetId: groupId, summary: { name: group.name } }, tx);
      });
    },

    async list(context: RequestContext | null, accountId: string, query: ListQuickRepliesQuery): Promise<Page<QuickReply>> {
      await deps.departments.requireCorp(accountId);
      const tree = await deps.departments.tree(accountId);
      const reader = await readerOf(context, accountId, query.userid);
      const groups = await repository.listGroups(accountId);
      const visibleGroups = groups.filter((group) => visible(group, reader, tree));
      const editable = new Map<string, boolean>();
      for (const group of visibleGroups) editable.set(group.id, await mayEdit(context, accountId, group.departmentId, tree));
      const filter = {
        accountId,
        groupIds: reader.kind === 'all' ? undefined : visibleGroups.map((g) => g.id),
        groupId: query.groupId,
        q: query.q?.trim() || undefined,
      };
      const cursor = query.cursor ? decodeCursor(query.cursor) : null;
      const after = cursor && cursor.length === 4 ? (cursor as QuickReplyKey) : null;
      const rows = await repository.list(filter, after, query.limit + 1);
      const items = rows.slice(0, query.limit).map((found) => toItem(found, editable.get(found.row.groupId) ?? false));
      const last = rows.length > query.limit ? rows[query.limit - 1]! : null;
      const nextCursor = last ? encodeCursor([last.groupOrder, last.row.groupId, last.row.sortOrder, last.row.id]) : null;
      const total = query.cursor ? undefined : await repository.count(filter);
      return { items, nextCursor, ...(total === undefined ? {} : { total }) };
    },

    async get(context: RequestContext | null, accountId: string, itemId: string): Promise<QuickReply> {
      const { found, group, tree } = await requireVisibleItem(context, accountId, itemId);
      return toItem(found, await mayEdit(context, accountId, group.departmentId, tree));
    },

    async create(context: RequestContext | null, accountId: string, body: CreateQuickReplyBody): Promise<QuickReply> {
      await deps.departments.requireCorp(accountId);
      const group = await requireGroup(accountId, body.groupId);
      await requireEditable(context, accountId, group.departmentId);
      const content = cleanBody(body.body);
      throwProblem(checkQuickReply(body.type, content));
      const now = deps.clock.now();
      const by = context?.principal?.userId ?? null;
      const row = await repository.transaction(async (repo, tx) => {
        const inserted = await repo.insert({ accountId, groupId: group.id, title: body.title, type: body.type, body: content, sortOrder: body.order ?? 0, createdBy: by, updatedBy: by, createdAt: now, updatedAt: now });
        await deps.audit.record(context, { action: 'wecom.quick_replies.create', targetType: 'wecom_quick_reply', targetId: inserted.id, summary: { accountId, groupId: group.id, title: body.title, type: body.type } }, tx);
        return inserted;
      });
      return toItem({ row, groupName: group.name }, true);
    },

    async update(context: RequestContext | null, accountId: string, itemId: string, body: UpdateQuickReplyBody): Promise<QuickReply> {
      await deps.departments.requireCorp(accountId);
      const found = await repository.find(accountId, itemId);
      if (!found) throw new AppError('QUICK_REPLY_NOT_FOUND', { itemId });
      const group = await requireGroup(accountId, found.row.groupId);
      await requireEditable(context, accountId, group.departmentId);
      const target = body.groupId && body.groupId !== group.id ? await requireGroup(accountId, body.groupId) : group;
      if (target !== group) await requireEditable(context, accountId, target.departmentId);
      const type = body.type ?? found.row.type;
      const content = body.body ? cleanBody(body.body) : found.row.body;
      throwProblem(checkQuickReply(type, content));
      const changes = { groupId: target.id, title: body.title ?? found.row.title, type, body: content, sortOrder: body.order ?? found.row.sortOrder };
      await repository.transaction(async (repo, tx) => {
        await repo.update(itemId, { ...changes, updatedBy: context?.principal?.userId ?? null, updatedAt: deps.clock.now() });
        await deps.audit.record(
          context,
          {
            action: 'wecom.quick_replies.update',
            targetType: 'wecom_quick_reply',
            targetId: itemId,
            summary: { before: { groupId: found.row.groupId, title: found.row.title, type: found.row.type, body: found.row.body }, after: changes },
          },
          tx,
        );
      });
      return this.get(context, accountId, itemId);
    },

    async remove(context: RequestContext | null, accountId: string, itemId: string): Promise<void> {
      await deps.departments.requireCorp(accountId);
      const found = await repository.find(accountId, itemId);
      if (!found) throw new AppError('QUICK_REPLY_NOT_FOUND', { itemId });
      const group = await requireGroup(accountId, found.row.groupId);
      await requireEditable(context, accountId, group.departmentId);
      await repository.transaction(async (repo, tx) => {
        await repo.delete(itemId);
        await deps.audit.record(context, { action: 'wecom.quick_replies.delete', targetType: 'wecom_quick_reply', targetId: itemId, summary: { title: found.row.title, type: found.row.type, body: found.row.body } }, tx);
      });
    },

    /**
     * Fills the reply's variables for a customer and member and checks
     * WeCom's limits again on the result (a long name can push text over).
     */
    async render(context: RequestContext | null, accountId: string, itemId: string, body: RenderBody): Promise<Rendered> {
      const principal = context?.principal;
      let userid = body.userid;
      if (!userid && principal?.role === 'member') {
        const own = principal.wecomMembers.filter((m) => m.accountId === accountId);
        if (own.length === 1) userid = own[0]!.userid;
      }
      const { found } = await requireVisibleItem(context, accountId, itemId, userid);
      const { type, body: template } = found.row;
      const needed = variablesNeeded(type, template);
      const values: Partial<Record<QuickReplyVariable, string>> = {};
      const customerVariable = needed.find((n) => quickReplyVariables[n].source === 'customer');
      if (customerVariable) {
        if (!body.externalUserId) throw new AppError('QUICK_REPLY_RENDER_CUSTOMER_REQUIRED', { name: customerVariable });
        const customer = await customerValues(context, accountId, body.externalUserId, userid);
        values.客户昵称 = customer.name;
        values.客户备注 = customer.remark;
      }
      if (needed.includes('成员姓名')) {
        if (!userid) throw new AppError('QUICK_REPLY_RENDER_MEMBER_REQUIRED', { name: '成员姓名' });
        const member = await repository.memberName(accountId, userid);
        if (!member) throw new AppError('QUICK_REPLY_RENDER_MEMBER_UNKNOWN', { userid });
        values.成员姓名 = member.name;
      }
      if (needed.includes('企业名称')) values.企业名称 = (await deps.accounts.getAccount(accountId)).name;
      const rendered = renderBody(type, template, values);
      throwProblem(checkQuickReply(type, rendered, { rendered: true }));
      const shown = Object.fromEntries(needed.map((n) => [n, values[n] ?? ''])) as Record<string, string>;
      return { id: itemId, type, body: rendered, values: shown, message: wecomMessage(type, rendered) };
    },
  };
}

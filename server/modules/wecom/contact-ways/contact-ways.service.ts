import { AppError, isAppError, type Locale } from '../../../../common/errors';
import { decodeCursor, encodeCursor, type Page } from '../../../../common/paging';
import type { AuditRecorder } from '../../../platform/audit';
import type { Clock } from '../../../platform/clock';
import type { RequestContext } from '../../../platform/http/principal';
import type { WeChatClient } from '../../../wechat/client';
import { wecomContactWayAdd, wecomContactWayDelete, wecomContactWayUpdate, wecomCorpTagList, wecomFollowUserList } from '../../../wechat/wecom';
import { reachesMember, type DepartmentsService } from '../departments';
import type { MembersService } from '../members';
import { checkContactWay, checkWelcomeMessage, daysBetween, generatedState, shanghaiDay, shiftDay, statsWindow, type Problem } from './contact-way-rules';
import type { CodeAddsKey, ContactWayRow, ContactWaysRepository, WelcomeSendRow } from './contact-ways.repository';
import {
  CONTACT_WAY_LIMITS,
  type CodeAddsPage,
  type CodeAddsQuery,
  type CodeAddsSort,
  type ContactWay,
  type ContactWayStats,
  type CreateContactWayBody,
  type DefaultWelcome,
  type ListContactWaysQuery,
  type ListWelcomeSendsQuery,
  type UpdateContactWayBody,
  type WelcomeMedia as WelcomeMediaView,
  type WelcomeMessage,
  type WelcomeSend,
} from './contact-ways.schema';
import type { ContactWaySettings } from './contact-ways.tables';
import { customerContactAccount, errcodeInWords, wechatRefusal, type AccountsAccess } from './customer-contact-calls';
import type { WelcomeMedia } from './welcome-media';

export interface ContactWaysServiceDeps {
  repository: ContactWaysRepository;
  media: WelcomeMedia;
  wechat: WeChatClient;
  accounts: AccountsAccess;
  members: Pick<MembersService, 'get' | 'departmentsOf'>;
  departments: Pick<DepartmentsService, 'reach' | 'subtreeOf'>;
  audit: AuditRecorder;
  clock: Clock;
  fetch?: typeof fetch;
}

/** The stats window, or the refusal of a reversed or over-long one. */
function windowOf(range: { from?: string | undefined; to?: string | undefined }, now: Date) {
  const window = statsWindow(range, now);
  if ('problem' in window) throw new AppError(window.problem.code, window.problem.details);
  return window;
}

const raise = (problem: Problem | null) => {
  if (problem) throw new AppError(problem.code, problem.details);
};

const reasonWords: Record<string, { zh: string; en: string }> = {
  sent: { zh: '已发送', en: 'Sent' },
  sent_without_name: { zh: '已发送（未能及时取得客户昵称，变量留空）', en: 'Sent (the customer name was not available in time; the variable was left empty)' },
  expired: { zh: '欢迎语 welcome_code 已过期（添加后 20 秒内有效）或已被使用', en: 'The welcome_code expired (valid 20 s after the add) or was already used' },
  no_welcome_code: {
    zh: '企业微信没有推送 welcome_code（管理后台已配置欢迎语，或该添加方式不支持）',
    en: 'WeCom pushed no welcome_code (a welcome message is configured in the WeCom admin console, or this add path has none)',
  },
  no_message: { zh: '没有配置欢迎语（渠道码与默认欢迎语都为空）', en: 'No welcome message configured (neither on the code nor as default)' },
  unreachable: { zh: '无法连接企业微信', en: 'WeCom could not be reached' },
  media_expired: { zh: '图片素材已过期，未随欢迎语发送', en: 'An image had expired on WeCom and was left out' },
  name_unavailable: {
    zh: '未发送：欢迎语只有客户昵称变量，而昵称未能及时取得',
    en: 'Not sent: the message is only the customer name variable, and the name was not available in time',
  },
  interrupted: {
    zh: '发送中断（服务重启或数据库写入失败），20 秒窗口已过，无法再发送',
    en: 'Sending was interrupted (a restart or a failed database write) and the 20-second window has passed; it can no longer be sent',
  },
};

/** The last row of the previous page, from a cursor made for the same sort; null starts at the top. */
function codeAddsCursor(sort: CodeAddsSort, cursor: string | undefined): CodeAddsKey | null {
  const values = cursor ? decodeCursor(cursor) : null;
  if (!values || values.length !== 5) return null;
  const [madeFor, adds, name, createdAt, id] = values;
  if (madeFor !== sort || typeof adds !== 'number' || typeof name !== 'string' || typeof createdAt !== 'string' || typeof id !== 'string') return null;
  const at = new Date(createdAt);
  if (Number.isNaN(at.getTime()) || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  return { adds, name, createdAt: at, id };
}

/** A code's members with their directory names, as `memberNames` found them. */
function membersOf(userids: string[], names: Map<string, string>): { userid: string; name: string | null }[] {
  return userids.map((userid) => ({ userid, name: names.get(userid.toLowerCase()) ?? null }));
}

/** 「联系我」 codes and welcome messages: WeCom's rules first, then intent, WeCom, applied. */
export function createContactWaysService(deps: ContactWaysServiceDeps) {
  const { repository } = deps;
  const fetchFn = deps.fetch ?? fetch;

  function ownUserids(context: RequestContext | null, accountId: string): string[] | null {
    const principal = context?.principal;
    if (!principal || principal.role !== 'member') return null;
    return principal.wecomMembers.filter((m) => m.accountId === accountId).map((m) => m.userid);
  }

  /**
   * Which codes the caller sees: a member-role caller those it is on, a
   * department admin those with a member inside its departments, others all.
   */
  async function visibility(context: RequestContext | null, accountId: string): Promise<((row: ContactWayRow) => Promise<boolean>) | null> {
    const own = ownUserids(context, accountId);
    if (own) return async (row) => row.userids.some((u) => own.some((o) => o.toLowerCase() === u.toLowerCase()));
    if (context?.principal?.role !== 'dept_admin') return null;
    const reach = await deps.departments.reach(context, accountId);
    if (reach.kind === 'all') return null;
    const departmentsOf = new Map<string, Promise<number[] | null>>();
    return async (row) => {
      for (const userid of row.userids) {
        if (!departmentsOf.has(userid)) departmentsOf.set(userid, deps.members.departmentsOf(accountId, userid));
        const departmentIds = await departmentsOf.get(userid);
        if (departmentIds && reachesMember(reach, { userid, departmentIds })) return true;
      }
      return false;
    };
  }

  async function requireVisible(context: RequestContext | null, accountId: string, configId: string): Promise<ContactWayRow> {
    const row = await repository.find(accountId, configId);
    const visible = row?.configId ? await visibility(context, accountId) : null;
    if (!row || !row.configId || (visible && !(await visible(row)))) throw new AppError('CONTACT_WAY_NOT_FOUND', { configId });
    return row;
  }

  /** Each userid: the caller's own (member role), in the directory, active, and in WeCom's customer-contact range. */
  async function checkMembers(context: RequestContext | null, accountId: string, userids: string[]): Promise<string[]> {
    const own = ownUserids(context, accountId);
    const canonical: string[] = [];
    for (const userid of userids) {
      if (own && !own.some((o) => o.toLowerCase() === userid.toLowerCase())) throw new AppError('CONTACT_WAY_MEMBER_NOT_OWN', { userid, own: own.join(', ') || '-' });
      try {
        const member = await deps.members.get(context, accountId, userid);
        if (member.status !== 'active') throw new AppError('CONTACT_WAY_MEMBER_INACTIVE', { userid: member.userid, status: member.status });
        if (!canonical.includes(member.userid)) canonical.push(member.userid);
      } catch (error) {
        if (isAppError(error) && error.code === 'WECOM_MEMBER_NOT_FOUND') throw new AppError('CONTACT_WAY_MEMBER_UNKNOWN', { userid });
        throw error;
      }
    }
    return canonical;
  }

  /** Asks WeCom what it will refuse: members outside customer contact, tags that do not exist. Reads only. */
  async function checkWithWeCom(accountId: string, userids: string[] | null, tagIds: string[] | null): Promise<void> {
    const account = await customerContactAccount(deps.accounts, accountId);
    if (userids?.length) {
      const answer = await deps.wechat.call(account, wecomFollowUserList).catch((error: unknown) => {
        throw wechatRefusal(error, wecomFollowUserList.path);
      });
      const range = new Set(answer.follow_user.map((u) => u.toLowerCase()));
      const outside = userids.find((u) => !range.has(u.toLowerCase()));
      if (outside) throw new AppError('CONTACT_WAY_MEMBER_OUT_OF_RANGE', { userid: outside });
    }
    if (tagIds?.length) {
      const answer = await deps.wechat.call(account, wecomCorpTagList, { tag_id: tagIds }).catch((error: unknown) => {
        throw wechatRefusal(error, wecomCorpTagList.path);
      });
      const known = new Set(answer.tag_group.flatMap((g) => g.tag.filter((t) => !t.deleted).map((t) => t.id)));
      const unknown = tagIds.filter((id) => !known.has(id));
      if (unknown.length) throw new AppError('CONTACT_WAY_TAG_UNKNOWN', { tagIds: unknown.join(', ') });
    }
  }

  async function checkWelcome(accountId: string, message: WelcomeMessage | null | undefined): Promise<void> {
    if (!message) return;
    raise(checkWelcomeMessage(message));
    await deps.media.prepare(accountId, message);
  }

  async function requireFreeState(accountId: string, state: string, except: string | null): Promise<void> {
    const holder = await repository.findByState(accountId, state);
    if (holder && holder.id !== except) throw new AppError('CONTACT_WAY_STATE_TAKEN', { state });
  }

  function wecomFields(settings: ContactWaySettings, isTemp: boolean, scene: 'qr' | 'miniprogram') {
    return {
      remark: settings.name,
      skip_verify: settings.skipVerify,
      state: settings.state,
      user: settings.userids,
      ...(scene === 'miniprogram' && settings.style !== null ? { style: settings.style } : {}),
      ...(isTemp
        ? {
            expires_in: settings.expiresInS ?? CONTACT_WAY_LIMITS.tempDefaultExpiresS,
            chat_expires_in: settings.chatExpiresInS ?? CONTACT_WAY_LIMITS.tempDefaultChatExpiresS,
          }
        : {}),
    };
  }

  async function present(rows: ContactWayRow[]): Promise<ContactWay[]> {
    if (rows.length === 0) return [];
    const accountId = rows[0]!.accountId;
    const ids = rows.map((r) => r.configId as string);
    const today = shanghaiDay(deps.clock.now());
    const from = shiftDay(today, -6);
    const days = daysBetween(from, today);
    const [perDay, totals, names] = await Promise.all([
      repository.addsByDay(accountId, ids, from, today),
      repository.addTotals(accountId, ids),
      repository.memberNames(accountId, rows.flatMap((r) => r.userids)),
    ]);
    return rows.map((row) => {
      const counts = new Map(perDay.filter((d) => d.configId === row.configId).map((d) => [d.day, d.adds]));
      return {
        configId: row.configId as string,
        name: row.name,
        type: row.type,
        scene: row.scene,
        style: row.style,
        userids: row.userids,
        members: membersOf(row.userids, names),
        state: row.state,
        skipVerify: row.skipVerify,
        tagIds: row.tagIds,
        welcomeMessage: row.welcomeMessage ?? null,
        isTemp: row.isTemp,
        expiresInS: row.expiresInS,
        chatExpiresInS: row.chatExpiresInS,
        expiresAt: row.expiresAt?.toISOString() ?? null,
        qrCodeUrl: row.qrCodeUrl,
        addsTotal: totals.get(row.configId as string) ?? 0,
        addsLast7Days: days.map((d) => counts.get(d) ?? 0),
        createdAt: row.createdAt.toISOString(),
        updatedAt: row.updatedAt.toISOString(),
      };
    });
  }

  async function one(row: ContactWayRow): Promise<ContactWay> {
    return (await present([row]))[0]!;
  }

  function welcomeView(row: WelcomeSendRow, locale: Locale, names: Map<string, string>): WelcomeSend {
    const words = row.reason === 'wechat_error' && row.errcode !== null ? errcodeInWords(row.errcode, row.errmsg ?? '') : (reasonWords[row.reason] ?? { zh: row.reason, en: row.reason });
    const prefix = row.errcode !== null ? `${row.errcode} ` : '';
    return {
      id: row.id,
      externalUserId: row.externalUserid,
      userid: row.userid,
      configId: row.configId,
      codeName: row.configId ? (names.get(row.configId) ?? null) : null,
      state: row.state,
      status: row.status,
      reason: row.reason as WelcomeSend['reason'],
      errcode: row.errcode,
      message: prefix + (locale === 'en-US' ? words.en : words.zh),
      latencyMs: row.latencyMs,
      createdAt: row.createdAt.toISOString(),
    };
  }

  return {
    async list(context: RequestContext | null, accountId: string, query: ListContactWaysQuery): Promise<Page<ContactWay>> {
      await deps.accounts.getAccount(accountId);
      const cursor = query.cursor ? decodeCursor(query.cursor) : null;
      let before = cursor && typeof cursor[0] === 'string' && typeof cursor[1] === 'string' ? { createdAt: new Date(cursor[0]), id: cursor[1] } : null;
      const filter = { accountId, q: query.q?.trim() || undefined, userid: query.userid, type: query.type, onlyUserids: ownUserids(context, accountId) ?? undefined };
      const visible = context?.principal?.role === 'dept_admin' ? await visibility(context, accountId) : null;
      const rows: ContactWayRow[] = [];
      if (!visible) rows.push(...(await repository.list({ ...filter, before, limit: query.limit + 1 })));
      else {
        // A department admin's codes are picked out batch by batch: reach depends on the directory, not on columns.
        for (;;) {
          const batch = await repository.list({ ...filter, before, limit: 200 });
          for (const row of batch) if (rows.length <= query.limit && (await visible(row))) rows.push(row);
          const last = batch[batch.length - 1];
          if (rows.length > query.limit || batch.length < 200 || !last) break;
          before = { createdAt: last.createdAt, id: last.id };
        }
      }
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      const nextCursor = rows.length > query.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null;
      const total = query.cursor || visible ? undefined : await repository.count(filter);
      return { items: await present(page), nextCursor, ...(total === undefined ? {} : { total }) };
    },

    async get(context: RequestContext | null, accountId: string, configId: string): Promise<ContactWay> {
      return one(await requireVisible(context, accountId, configId));
    },

    async create(context: RequestContext | null, accountId: string, body: CreateContactWayBody): Promise<ContactWay> {
      const state = body.state?.trim() || generatedState();
      const settings: ContactWaySettings = {
        name: body.name.trim(),
        userids: [...new Set(body.userids)],
        state,
        skipVerify: body.skipVerify,
        style: body.scene === 'miniprogram' ? (body.style ?? 1) : null,
        expiresInS: body.isTemp ? (body.expiresInS ?? CONTACT_WAY_LIMITS.tempDefaultExpiresS) : null,
        chatExpiresInS: body.isTemp ? (body.chatExpiresInS ?? CONTACT_WAY_LIMITS.tempDefaultChatExpiresS) : null,
      };
      raise(checkContactWay({ ...settings, type: body.type, isTemp: body.isTemp }));
      await checkWelcome(accountId, body.welcomeMessage);
      settings.userids = await checkMembers(context, accountId, settings.userids);
      await requireFreeState(accountId, state, null);
      await checkWithWeCom(accountId, settings.userids, body.tagIds);
      const now = deps.clock.now();
      let row = await repository
        .insert({
          accountId,
          configId: null,
          ...settings,
          type: body.type,
          scene: body.scene,
          tagIds: [...new Set(body.tagIds)],
          welcomeMessage: body.welcomeMessage ?? null,
          isTemp: body.isTemp,
          expiresAt: null,
          qrCodeUrl: null,
          syncState: 'creating',
          pending: null,
          createdAt: now,
          updatedAt: now,
        })
        .catch(async (error: unknown) => {
          // Two creations racing for one state: the unique index decides.
          if (await repository.findByState(accountId, state)) throw new AppError('CONTACT_WAY_STATE_TAKEN', { state });
          throw error;
        });
      let answer: { config_id: string; qr_code?: string | undefined };
      try {
        const account = await customerContactAccount(deps.accounts, accountId);
        answer = await deps.wechat.call(account, wecomContactWayAdd, {
          type: body.type === 'single' ? 1 : 2,
          scene: body.scene === 'qr' ? 2 : 1,
          ...wecomFields(settings, body.isTemp, body.scene),
          ...(body.isTemp ? { is_temp: true } : {}),
        });
      } catch (error) {
        await repository.deleteById(row.id);
        throw wechatRefusal(error, 'cgi-bin/externalcontact/add_contact_way');
      }
      row = await repository.updateById(row.id, {
        configId: answer.config_id,
        qrCodeUrl: answer.qr_code ?? null,
        syncState: 'applied',
        expiresAt: body.isTemp ? new Date(now.getTime() + (settings.expiresInS as number) * 1000) : null,
      });
      await deps.audit.record(context, { action: 'wecom.contact_way.create', targetType: 'wecom_contact_way', targetId: `${accountId}:${answer.config_id}`, summary: { name: row.name, type: row.type, userids: row.userids, state } });
      return one(row);
    },

    async update(context: RequestContext | null, accountId: string, configId: string, body: UpdateContactWayBody): Promise<ContactWay> {
      const row = await requireVisible(context, accountId, configId);
      const next: ContactWaySettings = {
        name: body.name?.trim() ?? row.name,
        userids: body.userids ? [...new Set(body.userids)] : row.userids,
        state: body.state === undefined ? row.state : body.state.trim() || row.state,
        skipVerify: body.skipVerify ?? row.skipVerify,
        style: row.scene === 'miniprogram' ? (body.style ?? row.style) : null,
        expiresInS: row.isTemp ? (body.expiresInS ?? row.expiresInS) : null,
        chatExpiresInS: row.isTemp ? (body.chatExpiresInS ?? row.chatExpiresInS) : null,
      };
      raise(checkContactWay({ ...next, type: row.type, isTemp: row.isTemp }));
      if (body.welcomeMessage !== undefined) await checkWelcome(accountId, body.welcomeMessage);
      // Removing oneself from a code is allowed; adding or keeping others is checked against the caller's reach.
      const added = body.userids ? next.userids.filter((u) => !row.userids.some((r) => r.toLowerCase() === u.toLowerCase())) : [];
      if (added.length) next.userids = [...next.userids.filter((u) => !added.includes(u)), ...(await checkMembers(context, accountId, added))];
      if (next.state !== row.state) await requireFreeState(accountId, next.state, row.id);
      const newTags = body.tagIds ? body.tagIds.filter((t) => !row.tagIds.includes(t)) : [];
      if (added.length || newTags.length) await checkWithWeCom(accountId, added, newTags);
      await repository.updateById(row.id, { syncState: 'updating', pending: next });
      try {
        const account = await customerContactAccount(deps.accounts, accountId);
        await deps.wechat.call(account, wecomContactWayUpdate, { config_id: configId, ...wecomFields(next, row.isTemp, row.scene) });
      } catch (error) {
        await repository.updateById(row.id, { syncState: 'applied', pending: null });
        throw wechatRefusal(error, 'cgi-bin/externalcontact/update_contact_way');
      }
      const updated = await repository.updateById(row.id, {
        ...next,
        ...(body.tagIds ? { tagIds: [...new Set(body.tagIds)] } : {}),
        ...(body.welcomeMessage !== undefined ? { welcomeMessage: body.welcomeMessage } : {}),
        syncState: 'applied',
        pending: null,
        updatedAt: deps.clock.now(),
      });
      await deps.audit.record(context, { action: 'wecom.contact_way.update', targetType: 'wecom_contact_way', targetId: `${accountId}:${configId}`, summary: { changed: Object.keys(body) } });
      return one(updated);
    },

    /** A code Qiao holds, as assignment rules need it (its channel, type, tags and members); null for a code made outside Qiao. */
    async findCode(accountId: string, by: { configId: string } | { state: string }): Promise<{ configId: string; type: 'single' | 'multi'; state: string; userids: string[]; tagIds: string[] } | null> {
      const row = 'configId' in by ? await repository.find(accountId, by.configId) : await repository.findByState(accountId, by.state);
      if (!row?.configId) return null;
      return { configId: row.configId, type: row.type, state: row.state, userids: row.userids, tagIds: row.tagIds };
    },

    /**
     * Sets a code's members on Qiao's own behalf (assignment rules rotating
     * it), outside any caller's reach: WeCom first, then Qiao's row in the
     * same step, so the console, the CLI and a later edit start from the
     * members WeCom has. A code made outside Qiao is changed in WeCom only.
     * `busy` when another change to the code is in flight; WeCom's refusal is
     * thrown as WeChatApiError, the row left as it was.
     */
    async setMembers(context: RequestContext | null, accountId: string, configId: string, userids: string[], cause: Record<string, unknown>): Promise<'updated' | 'busy'> {
      const account = await customerContactAccount(deps.accounts, accountId);
      const row = await repository.find(accountId, configId);
      if (!row?.configId) {
        await deps.wechat.call(account, wecomContactWayUpdate, { config_id: configId, user: userids });
        return 'updated';
      }
      const next: ContactWaySettings = { name: row.name, userids, state: row.state, skipVerify: row.skipVerify, style: row.style, expiresInS: row.expiresInS, chatExpiresInS: row.chatExpiresInS };
      if (!(await repository.claimUpdate(row.id, next))) return 'busy';
      try {
        await deps.wechat.call(account, wecomContactWayUpdate, { config_id: configId, ...wecomFields(next, row.isTemp, row.scene) });
      } catch (error) {
        await repository.updateById(row.id, { syncState: 'applied', pending: null });
        throw error;
      }
      await repository.updateById(row.id, { userids, syncState: 'applied', pending: null, updatedAt: deps.clock.now() });
      await deps.audit.record(context, {
        action: 'wecom.contact_way.update',
        targetType: 'wecom_contact_way',
        targetId: `${accountId}:${configId}`,
        summary: { changed: ['userids'], before: row.userids, after: userids, ...cause },
      });
      return 'updated';
    },

    async remove(context: RequestContext | null, accountId: string, configId: string): Promise<void> {
      const row = await requireVisible(context, accountId, configId);
      if (ownUserids(context, accountId)) {
        const own = ownUserids(context, accountId) as string[];
        const other = row.userids.find((u) => !own.some((o) => o.toLowerCase() === u.toLowerCase()));
        if (other) throw new AppError('CONTACT_WAY_MEMBER_NOT_OWN', { userid: other, own: own.join(', ') });
      }
      await repository.updateById(row.id, { syncState: 'deleting' });
      try {
        const account = await customerContactAccount(deps.accounts, accountId);
        await deps.wechat.call(account, wecomContactWayDelete, { config_id: configId });
      } catch (error) {
        await repository.updateById(row.id, { syncState: 'applied' });
        throw wechatRefusal(error, 'cgi-bin/externalcontact/del_contact_way');
      }
      await repository.deleteById(row.id);
      await deps.audit.record(context, { action: 'wecom.contact_way.delete', targetType: 'wecom_contact_way', targetId: `${accountId}:${configId}`, summary: { name: row.name, state: row.state } });
    },

    /** The QR image as WeCom serves it at the URL add_contact_way answered. */
    async qrPng(context: RequestContext | null, accountId: string, configId: string): Promise<{ contentType: string; body: Buffer }> {
      const row = await requireVisible(context, accountId, configId);
      if (row.scene !== 'qr' || !row.qrCodeUrl) throw new AppError('CONTACT_WAY_QR_UNAVAILABLE', { configId });
      let response: Response;
      try {
        response = await fetchFn(row.qrCodeUrl, { signal: AbortSignal.timeout(15_000) });
      } catch (error) {
        throw new AppError('CONTACT_WAY_QR_FETCH_FAILED', { reason: String((error as Error)?.message ?? error) });
      }
      if (!response.ok) throw new AppError('CONTACT_WAY_QR_FETCH_FAILED', { reason: `HTTP ${response.status}` });
      const body = Buffer.from(await response.arrayBuffer());
      return { contentType: response.headers.get('content-type')?.split(';')[0] || 'image/png', body };
    },

    async stats(context: RequestContext | null, accountId: string, configId: string, range: { from?: string | undefined; to?: string | undefined }): Promise<ContactWayStats> {
      await requireVisible(context, accountId, configId);
      const { from, to, days: window } = windowOf(range, deps.clock.now());
      const rows = await repository.addsByDay(accountId, [configId], from, to);
      const counts = new Map(rows.map((r) => [r.day, r.adds]));
      const days = window.map((day) => ({ day, adds: counts.get(day) ?? 0 }));
      return { configId, from, to, total: days.reduce((sum, d) => sum + d.adds, 0), days };
    },

    /**
     * Every code within the caller's reach (as `list` has it) with its adds in
     * the window, sorted and paged by the database; a cursor from another
     * sort starts over at the first page.
     */
    async codeAdds(context: RequestContext | null, accountId: string, query: CodeAddsQuery): Promise<CodeAddsPage> {
      await deps.accounts.getAccount(accountId);
      const { from, to, days } = windowOf(query, deps.clock.now());
      let reachDepartmentIds: number[] | undefined;
      if (context?.principal?.role === 'dept_admin') {
        const reach = await deps.departments.reach(context, accountId);
        if (reach.kind === 'departments') reachDepartmentIds = [...reach.departmentIds];
      }
      const departmentIds = query.departmentId !== undefined ? [...(await deps.departments.subtreeOf(accountId, [query.departmentId]))] : undefined;
      const result = await repository.codeAdds({
        accountId,
        q: query.q?.trim() || undefined,
        onlyUserids: ownUserids(context, accountId) ?? undefined,
        reachDepartmentIds,
        departmentIds,
        from,
        to,
        sort: query.sort,
        after: codeAddsCursor(query.sort, query.cursor),
        limit: query.limit + 1,
      });
      const page = result.rows.slice(0, query.limit);
      const ids = page.map((r) => r.configId);
      const [totals, perDay, names] = await Promise.all([
        repository.addTotals(accountId, ids),
        query.perDay === 'true' ? repository.addsByDay(accountId, ids, from, to) : null,
        repository.memberNames(accountId, page.flatMap((r) => r.userids)),
      ]);
      const daily = new Map<string, Map<string, number>>();
      for (const d of perDay ?? []) daily.set(d.configId, (daily.get(d.configId) ?? new Map<string, number>()).set(d.day, d.adds));
      const last = page[page.length - 1];
      return {
        from,
        to,
        total: result.total,
        adds: result.adds,
        nextCursor: result.rows.length > query.limit && last ? encodeCursor([query.sort, last.adds, last.name, last.createdAt.toISOString(), last.id]) : null,
        items: page.map((r) => ({
          configId: r.configId,
          name: r.name,
          type: r.type,
          scene: r.scene,
          state: r.state,
          userids: r.userids,
          members: membersOf(r.userids, names),
          isTemp: r.isTemp,
          createdAt: r.createdAt.toISOString(),
          adds: r.adds,
          addsTotal: totals.get(r.configId) ?? 0,
          ...(perDay ? { addsPerDay: days.map((day) => daily.get(r.configId)?.get(day) ?? 0) } : {}),
        })),
      };
    },

    async getDefaultWelcome(accountId: string): Promise<DefaultWelcome> {
      await deps.accounts.getAccount(accountId);
      const found = await repository.defaultWelcome(accountId);
      return { message: found?.message ?? null, updatedAt: found?.updatedAt.toISOString() ?? null };
    },

    async setDefaultWelcome(context: RequestContext | null, accountId: string, message: WelcomeMessage | null): Promise<DefaultWelcome> {
      await deps.accounts.getAccount(accountId);
      await checkWelcome(accountId, message);
      const at = deps.clock.now();
      await repository.setDefaultWelcome(accountId, message, at);
      await deps.audit.record(context, { action: 'wecom.welcome.default', targetType: 'wecom_account', targetId: accountId, summary: { cleared: message === null, attachments: message?.attachments.length ?? 0 } });
      return { message, updatedAt: at.toISOString() };
    },

    async uploadMedia(accountId: string, file: { filename: string; content: Buffer }): Promise<WelcomeMediaView> {
      await deps.accounts.getAccount(accountId);
      const row = await deps.media.save(accountId, file);
      return { id: row.id, filename: row.filename, contentType: row.contentType, bytes: row.bytes, expiresAt: row.mediaExpiresAt?.toISOString() ?? null };
    },

    async mediaContent(accountId: string, mediaFileId: string): Promise<{ contentType: string; body: Buffer }> {
      const [row] = await repository.findMedia(accountId, [mediaFileId]);
      if (!row) throw new AppError('WELCOME_MEDIA_NOT_FOUND', { mediaFileId });
      return { contentType: row.contentType, body: Buffer.from(row.contentBase64, 'base64') };
    },

    async listWelcomeSends(accountId: string, query: ListWelcomeSendsQuery, locale: Locale): Promise<Page<WelcomeSend>> {
      await deps.accounts.getAccount(accountId);
      const cursor = query.cursor ? decodeCursor(query.cursor) : null;
      const before = cursor && typeof cursor[0] === 'string' && typeof cursor[1] === 'string' ? { createdAt: new Date(cursor[0]), id: cursor[1] } : null;
      const rows = await repository.listWelcomeSends({ accountId, externalUserId: query.externalUserId, configId: query.configId, status: query.status, before, limit: query.limit + 1 });
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      const names = await repository.namesOf(accountId, [...new Set(page.flatMap((r) => (r.configId ? [r.configId] : [])))]);
      return { items: page.map((r) => welcomeView(r, locale, names)), nextCursor: rows.length > query.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null };
    },
  };
}

export type ContactWaysService = ReturnType<typeof createContactWaysService>;

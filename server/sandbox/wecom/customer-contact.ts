import type { Clock } from '../../platform/clock';
import { raise } from './directory';
import { contactWayQrUrl } from './contact-way-qr.routes';
import { newId } from './ids';
import { checkContactWay, checkCorpTagName, checkWelcomeCode, checkWelcomeMessage, useridKey, type WelcomeMessageInput } from './rules';
import type { WeComCaller } from './scope';
import type { CorpTagRow, CustomerRow, FollowRow, MemberRow, WeComRepository } from './wecom.repository';
import type { ContactWaySettings } from './wecom.tables';
import { INVALID_PARAMETER, weComError } from './wecom-errors';

/** WeCom pages a customer's followers past this many (`next_cursor`). */
const FOLLOWERS_PER_PAGE = 500;
/** Corp customer tags allowed per corp (newer doc; WxJava's javadoc still says 3000). */
const MAX_CORP_TAGS = 10_000;
/** list_contact_way reads at most 90 days of creation time per call. */
const LIST_CONTACT_WAY_SPAN_S = 90 * 86_400;
const ORDER_LIMIT = 2 ** 32;
/** Temporary media (media/upload) live three days. */
const MEDIA_LIFETIME_MS = 3 * 86_400_000;

function customerJson(customer: CustomerRow) {
  return {
    external_userid: customer.externalUserid,
    name: customer.name,
    avatar: '',
    type: customer.type,
    gender: customer.gender,
    ...(customer.unionid ? { unionid: customer.unionid } : {}),
    ...(customer.type === 2 ? { position: customer.position ?? '', corp_name: customer.corpName ?? '', corp_full_name: customer.corpName ?? '' } : {}),
  };
}

function followJson(follow: FollowRow, userid: string, tags: Map<string, CorpTagRow>) {
  return {
    userid,
    remark: follow.remark,
    description: follow.description,
    createtime: follow.createdAtS,
    tags: follow.tagIds.flatMap((id) => {
      const tag = tags.get(id);
      const group = tag?.groupId ? tags.get(tag.groupId) : undefined;
      return tag && group ? [{ group_name: group.name, tag_name: tag.name, tag_id: tag.id, type: 1 }] : [];
    }),
    remark_corp_name: '',
    remark_mobiles: follow.remarkMobiles,
    add_way: follow.addWay,
    oper_userid: follow.addWay === 0 ? follow.useridKey : follow.externalUserid,
    ...(follow.state ? { state: follow.state } : {}),
  };
}

function order(value: number | undefined, field: string): number {
  if (value === undefined) return 0;
  if (!Number.isInteger(value) || value < 0 || value >= ORDER_LIMIT) throw weComError(INVALID_PARAMETER, field);
  return value;
}

/** Customer contact (客户联系): customers, 「联系我」, welcome messages and corp tags. */
export function createCustomerContact(deps: { repository: WeComRepository; clock: Clock }) {
  const { repository } = deps;

  /** An attachment naming media this corp never uploaded, or uploaded more than three days ago, fails the send with 40007. */
  async function requireLiveMedia(corpId: string, attachments: NonNullable<WelcomeMessageInput['attachments']>, now: Date): Promise<void> {
    for (const [index, attachment] of attachments.entries()) {
      const body = (attachment[attachment.msgtype] ?? {}) as Record<string, unknown>;
      const field = attachment.msgtype === 'miniprogram' ? 'pic_media_id' : 'media_id';
      const mediaId = body[field];
      if (attachment.msgtype === 'link' || (attachment.msgtype === 'image' && mediaId === undefined && typeof body.pic_url === 'string')) continue;
      const media = typeof mediaId === 'string' ? await repository.findMedia(corpId, mediaId) : null;
      if (!media || now.getTime() - media.createdAt.getTime() > MEDIA_LIFETIME_MS) throw weComError(40007, `attachments.${index}.${attachment.msgtype}.${field}`);
    }
  }

  async function useridsOf(corpId: string, keys: string[]): Promise<Map<string, MemberRow>> {
    const members = await repository.findMembers(corpId, [...new Set(keys)]);
    return new Map(members.map((m) => [m.useridKey, m]));
  }

  async function tagIndex(corpId: string): Promise<Map<string, CorpTagRow>> {
    return new Map((await repository.listCorpTags(corpId)).map((t) => [t.id, t]));
  }

  async function requireCustomer(corpId: string, externalUserid: string): Promise<CustomerRow> {
    const customer = await repository.findCustomer(corpId, externalUserid);
    if (!customer) throw weComError(40096, 'external_userid');
    return customer;
  }

  async function requireMember(corpId: string, userid: string): Promise<MemberRow> {
    const [member] = await repository.findMembers(corpId, [useridKey(userid)]);
    if (!member) throw weComError(60111, userid);
    return member;
  }

  function groupsJson(rows: CorpTagRow[], groupFilter: Set<string> | null, tagFilter: Set<string> | null) {
    const groups = rows.filter((r) => r.groupId === null).sort((a, b) => b.order - a.order || a.createdAtS - b.createdAtS);
    return groups.flatMap((group) => {
      if (groupFilter && !groupFilter.has(group.id)) return [];
      const tags = rows
        .filter((r) => r.groupId === group.id && (groupFilter !== null || !tagFilter || tagFilter.has(r.id)))
        .sort((a, b) => b.order - a.order || a.createdAtS - b.createdAtS);
      if (!groupFilter && tagFilter && tags.length === 0) return [];
      return [
        {
          group_id: group.id,
          group_name: group.name,
          create_time: group.createdAtS,
          order: group.order,
          deleted: false,
          tag: tags.map((t) => ({ id: t.id, name: t.name, create_time: t.createdAtS, order: t.order, deleted: false })),
        },
      ];
    });
  }

  return {
    async followUserList(caller: WeComCaller) {
      const keys = await repository.memberKeys(caller.corpId);
      const members = await useridsOf(caller.corpId, keys);
      return { errcode: 0, errmsg: 'ok', follow_user: [...members.values()].map((m) => m.userid).sort() };
    },

    async listCustomers(caller: WeComCaller, userid: string) {
      const member = await requireMember(caller.corpId, userid);
      const ids: string[] = [];
      let after: { key: string; externalUserid: string } | null = null;
      for (;;) {
        const page: FollowRow[] = await repository.followsOfMembers(caller.corpId, [member.useridKey], after, 5000);
        ids.push(...page.map((f) => f.externalUserid));
        const last = page[page.length - 1];
        if (!last || page.length < 5000) break;
        after = { key: last.useridKey, externalUserid: last.externalUserid };
      }
      return { errcode: 0, errmsg: 'ok', external_userid: ids };
    },

    async getCustomer(caller: WeComCaller, externalUserid: string, cursor: string | undefined) {
      const customer = await requireCustomer(caller.corpId, externalUserid);
      const follows = await repository.followsOfCustomer(caller.corpId, externalUserid);
      const offset = cursor ? Number.parseInt(cursor, 10) : 0;
      if (!Number.isInteger(offset) || offset < 0) throw weComError(INVALID_PARAMETER, 'cursor');
      const page = follows.slice(offset, offset + FOLLOWERS_PER_PAGE);
      const members = await useridsOf(caller.corpId, page.map((f) => f.useridKey));
      const tags = await tagIndex(caller.corpId);
      const more = offset + FOLLOWERS_PER_PAGE < follows.length;
      return {
        errcode: 0,
        errmsg: 'ok',
        external_contact: customerJson(customer),
        follow_user: page.map((f) => followJson(f, members.get(f.useridKey)?.userid ?? f.useridKey, tags)),
        ...(more ? { next_cursor: String(offset + FOLLOWERS_PER_PAGE) } : {}),
      };
    },

    async batchGetByUser(caller: WeComCaller, input: { userid_list: string[]; cursor?: string | undefined; limit?: number | undefined }) {
      if (input.userid_list.length === 0) throw weComError(40031, 'userid_list');
      if (input.userid_list.length > 100) throw weComError(40032, 'userid_list');
      const limit = input.limit ?? 50;
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw weComError(INVALID_PARAMETER, 'limit');
      const keys = [...new Set(input.userid_list.map(useridKey))];
      const members = await useridsOf(caller.corpId, keys);
      const missing = input.userid_list.find((u) => !members.has(useridKey(u)));
      if (missing !== undefined) throw weComError(60111, missing);
      let after: { key: string; externalUserid: string } | null = null;
      if (input.cursor) {
        try {
          const [key, externalUserid] = JSON.parse(Buffer.from(input.cursor, 'base64url').toString('utf8')) as [string, string];
          after = { key: String(key), externalUserid: String(externalUserid) };
        } catch {
          throw weComError(INVALID_PARAMETER, 'cursor');
        }
      }
      const rows = await repository.followsOfMembers(caller.corpId, keys, after, limit + 1);
      const page = rows.slice(0, limit);
      const customers = new Map((await repository.findCustomers(caller.corpId, [...new Set(page.map((f) => f.externalUserid))])).map((c) => [c.externalUserid, c]));
      const tags = await tagIndex(caller.corpId);
      const last = page[page.length - 1];
      return {
        errcode: 0,
        errmsg: 'ok',
        external_contact_list: page.flatMap((f) => {
          const customer = customers.get(f.externalUserid);
          return customer ? [{ external_contact: customerJson(customer), follow_info: followJson(f, members.get(f.useridKey)?.userid ?? f.useridKey, tags) }] : [];
        }),
        next_cursor: rows.length > limit && last ? Buffer.from(JSON.stringify([last.useridKey, last.externalUserid])).toString('base64url') : '',
      };
    },

    /** `origin` is the sandbox host the caller reached; the QR URL points there so it can be fetched. */
    async addContactWay(caller: WeComCaller, input: ContactWaySettings, origin: string) {
      raise(checkContactWay({ ...input, expiresIn: input.expires_in, chatExpiresIn: input.chat_expires_in }));
      for (const userid of input.user ?? []) await requireMember(caller.corpId, userid);
      for (const party of input.party ?? []) if (!(await repository.findDepartment(caller.corpId, party))) throw weComError(60123, `party ${party}`);
      const configId = newId.configId();
      const qrCode = input.scene === 2 ? contactWayQrUrl(origin, caller.corpId, configId) : null;
      const settings: ContactWaySettings = { skip_verify: true, ...input, ...(input.is_temp ? { expires_in: input.expires_in ?? 7 * 86_400, chat_expires_in: input.chat_expires_in ?? 86_400 } : {}) };
      await repository.insertContactWay({ corpId: caller.corpId, configId, settings, qrCode, createdAt: deps.clock.now() });
      return { errcode: 0, errmsg: 'ok', config_id: configId, ...(qrCode ? { qr_code: qrCode } : {}) };
    },

    async getContactWay(caller: WeComCaller, configId: string) {
      const row = await repository.findContactWay(caller.corpId, configId);
      if (!row) throw weComError(INVALID_PARAMETER, 'config_id');
      return { errcode: 0, errmsg: 'ok', contact_way: { config_id: row.configId, ...row.settings, ...(row.qrCode ? { qr_code: row.qrCode } : {}) } };
    },

    /** list_contact_way: by creation time (default the last 90 days, at most 90 days apart), temporary-session codes left out. */
    async listContactWays(caller: WeComCaller, input: { start_time?: number | undefined; end_time?: number | undefined; cursor?: string | undefined; limit?: number | undefined }) {
      const nowS = Math.floor(deps.clock.now().getTime() / 1000);
      const end = input.end_time ?? nowS;
      const start = input.start_time ?? end - LIST_CONTACT_WAY_SPAN_S;
      if (start > end || end - start > LIST_CONTACT_WAY_SPAN_S) throw weComError(INVALID_PARAMETER, 'start_time');
      const limit = input.limit ?? 100;
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw weComError(INVALID_PARAMETER, 'limit');
      let after: { createdAt: Date; configId: string } | null = null;
      if (input.cursor) {
        try {
          const [at, configId] = JSON.parse(Buffer.from(input.cursor, 'base64url').toString('utf8')) as [string, string];
          after = { createdAt: new Date(at), configId: String(configId) };
        } catch {
          throw weComError(INVALID_PARAMETER, 'cursor');
        }
      }
      const found: Awaited<ReturnType<typeof repository.listContactWays>> = [];
      let scanned = after;
      // Temporary-session codes are skipped, so a page is filled from as many rows as it takes.
      for (;;) {
        const rows = await repository.listContactWays(caller.corpId, new Date(start * 1000), new Date(end * 1000 + 999), scanned, limit + 1);
        for (const row of rows) if (!row.settings.is_temp && found.length <= limit) found.push(row);
        const last = rows[rows.length - 1];
        if (found.length > limit || rows.length <= limit || !last) break;
        scanned = { createdAt: last.createdAt, configId: last.configId };
      }
      const page = found.slice(0, limit);
      const last = page[page.length - 1];
      return {
        errcode: 0,
        errmsg: 'ok',
        contact_way: page.map((row) => ({ config_id: row.configId })),
        next_cursor: found.length > limit && last ? Buffer.from(JSON.stringify([last.createdAt.toISOString(), last.configId])).toString('base64url') : '',
      };
    },

    async updateContactWay(caller: WeComCaller, input: Omit<Partial<ContactWaySettings>, 'type' | 'scene'> & { config_id: string }) {
      const row = await repository.findContactWay(caller.corpId, input.config_id);
      if (!row) throw weComError(INVALID_PARAMETER, 'config_id');
      const { config_id: _configId, ...changes } = input;
      const next: ContactWaySettings = { ...row.settings, ...changes };
      raise(checkContactWay({ ...next, expiresIn: next.expires_in, chatExpiresIn: next.chat_expires_in }));
      for (const userid of changes.user ?? []) await requireMember(caller.corpId, userid);
      await repository.updateContactWay(caller.corpId, row.configId, next);
      return { errcode: 0, errmsg: 'ok' };
    },

    async deleteContactWay(caller: WeComCaller, configId: string) {
      if (!(await repository.deleteContactWay(caller.corpId, configId))) throw weComError(INVALID_PARAMETER, 'config_id');
      return { errcode: 0, errmsg: 'ok' };
    },

    async sendWelcome(caller: WeComCaller, input: WelcomeMessageInput & { welcome_code: string }) {
      raise(checkWelcomeMessage(input));
      const code = await repository.findWelcomeCode(input.welcome_code);
      const now = deps.clock.now();
      raise(checkWelcomeCode(code && code.corpId === caller.corpId ? code : null, now));
      const found = code as NonNullable<typeof code>;
      await requireLiveMedia(caller.corpId, input.attachments ?? [], now);
      if (!(await repository.useWelcomeCode(found.code, now))) throw weComError(41051, 'welcome_code');
      await repository.deliverToInbox([
        {
          corpId: caller.corpId,
          ownerKind: 'customer',
          ownerId: found.externalUserid,
          source: 'welcome',
          sender: found.userid,
          msgtype: 'welcome',
          payload: { ...(input.text ? { text: input.text } : {}), attachments: input.attachments ?? [] },
          createdAt: now,
        },
      ]);
      return { errcode: 0, errmsg: 'ok' };
    },

    async listCorpTags(caller: WeComCaller, input: { tag_id?: string[] | undefined; group_id?: string[] | undefined }) {
      const rows = await repository.listCorpTags(caller.corpId);
      const groupFilter = input.group_id?.length ? new Set(input.group_id) : null;
      const tagFilter = !groupFilter && input.tag_id?.length ? new Set(input.tag_id) : null;
      return { errcode: 0, errmsg: 'ok', tag_group: groupsJson(rows, groupFilter, tagFilter) };
    },

    async addCorpTags(
      caller: WeComCaller,
      input: { group_id?: string | undefined; group_name?: string | undefined; order?: number | undefined; tag: { name: string; order?: number | undefined }[] },
    ) {
      if (input.tag.length === 0) throw weComError(INVALID_PARAMETER, 'tag');
      for (const [i, tag] of input.tag.entries()) raise(checkCorpTagName(tag.name, `tag.${i}.name`));
      if (!input.group_id) {
        if (input.group_name === undefined) throw weComError(INVALID_PARAMETER, 'group_name');
        raise(checkCorpTagName(input.group_name, 'group_name'));
      }
      return repository.transaction(async (tx) => {
        const rows = await tx.listCorpTags(caller.corpId);
        const nowS = Math.floor(deps.clock.now().getTime() / 1000);
        let group = input.group_id
          ? rows.find((r) => r.id === input.group_id && r.groupId === null)
          : rows.find((r) => r.groupId === null && r.name === input.group_name);
        if (input.group_id && !group) throw weComError(40068, 'group_id');
        const created: CorpTagRow[] = [];
        if (!group) {
          group = { corpId: caller.corpId, id: newId.corpTag(), groupId: null, name: input.group_name as string, order: order(input.order, 'order'), createdAtS: nowS };
          created.push(group);
        }
        const groupId = group.id;
        const answered: CorpTagRow[] = [];
        for (const [i, tag] of input.tag.entries()) {
          const existing = [...rows, ...created].find((r) => r.groupId === groupId && r.name === tag.name);
          if (existing) {
            answered.push(existing);
            continue;
          }
          const row: CorpTagRow = { corpId: caller.corpId, id: newId.corpTag(), groupId, name: tag.name, order: order(tag.order, `tag.${i}.order`), createdAtS: nowS };
          created.push(row);
          answered.push(row);
        }
        if (rows.filter((r) => r.groupId !== null).length + created.filter((r) => r.groupId !== null).length > MAX_CORP_TAGS) {
          throw weComError(INVALID_PARAMETER, `at most ${MAX_CORP_TAGS} tags`);
        }
        await tx.insertCorpTags(created);
        return {
          errcode: 0,
          errmsg: 'ok',
          tag_group: {
            group_id: group.id,
            group_name: group.name,
            create_time: group.createdAtS,
            order: group.order,
            tag: answered.map((t) => ({ id: t.id, name: t.name, create_time: t.createdAtS, order: t.order })),
          },
        };
      });
    },

    async editCorpTag(caller: WeComCaller, input: { id: string; name?: string | undefined; order?: number | undefined }) {
      if (input.name !== undefined) raise(checkCorpTagName(input.name));
      const rows = await repository.listCorpTags(caller.corpId);
      const row = rows.find((r) => r.id === input.id);
      if (!row) throw weComError(40068, 'id');
      if (input.name !== undefined && rows.some((r) => r.id !== row.id && r.groupId === row.groupId && r.name === input.name)) throw weComError(40071, 'name');
      await repository.updateCorpTag(caller.corpId, row.id, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.order !== undefined ? { order: order(input.order, 'order') } : {}),
      });
      return { errcode: 0, errmsg: 'ok' };
    },

    async deleteCorpTags(caller: WeComCaller, input: { tag_id?: string[] | undefined; group_id?: string[] | undefined }) {
      const tagIds = input.tag_id ?? [];
      const groupIds = input.group_id ?? [];
      if (tagIds.length === 0 && groupIds.length === 0) throw weComError(INVALID_PARAMETER, 'tag_id');
      return repository.transaction(async (tx) => {
        const rows = await tx.listCorpTags(caller.corpId);
        const unknown = [...tagIds.filter((id) => !rows.some((r) => r.id === id && r.groupId !== null)), ...groupIds.filter((id) => !rows.some((r) => r.id === id && r.groupId === null))];
        if (unknown.length) throw weComError(40068, unknown[0]);
        const doomed = new Set([...tagIds, ...groupIds, ...rows.filter((r) => r.groupId !== null && groupIds.includes(r.groupId)).map((r) => r.id)]);
        // A group left without tags goes too.
        for (const group of rows.filter((r) => r.groupId === null && !doomed.has(r.id))) {
          if (!rows.some((r) => r.groupId === group.id && !doomed.has(r.id))) doomed.add(group.id);
        }
        await tx.deleteCorpTags(caller.corpId, [...doomed]);
        await tx.removeTagsFromFollows(caller.corpId, [...doomed]);
        return { errcode: 0, errmsg: 'ok' };
      });
    },

    async markTag(caller: WeComCaller, input: { userid: string; external_userid: string; add_tag?: string[] | undefined; remove_tag?: string[] | undefined }) {
      const add = input.add_tag ?? [];
      const remove = input.remove_tag ?? [];
      if (add.length === 0 && remove.length === 0) throw weComError(INVALID_PARAMETER, 'add_tag');
      const member = await requireMember(caller.corpId, input.userid);
      await requireCustomer(caller.corpId, input.external_userid);
      const follow = await repository.findFollow(caller.corpId, input.external_userid, member.useridKey);
      if (!follow) throw weComError(84061, input.external_userid);
      const tags = await tagIndex(caller.corpId);
      const unknown = [...add, ...remove].find((id) => !tags.get(id)?.groupId);
      if (unknown !== undefined) throw weComError(40068, unknown);
      const next = [...new Set([...follow.tagIds.filter((id) => !remove.includes(id)), ...add])];
      await repository.setFollowTags(caller.corpId, follow.externalUserid, follow.useridKey, next);
      return { errcode: 0, errmsg: 'ok' };
    },
  };
}

export type CustomerContact = ReturnType<typeof createCustomerContact>;

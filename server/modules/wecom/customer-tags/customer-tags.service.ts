import type { Logger } from 'pino';
import { AppError, isAppError } from '../../../../common/errors';
import type { AuditRecorder } from '../../../platform/audit';
import type { Clock } from '../../../platform/clock';
import type { RequestContext } from '../../../platform/http/principal';
import { describeErrcode, isWeChatApiError, type WeChatAccount, type WeChatClient } from '../../../wechat/client';
import { wecomCorpTagAdd, wecomCorpTagDelete, wecomCorpTagEdit, wecomCorpTagList, wecomCustomerGet, wecomCustomerMarkTag } from '../../../wechat/wecom';
import { mayActOnMemberRecord, type DepartmentTree, type MemberDepartments } from '../../system';
import { checkTagCount, checkTagName, checkTagOrder, CUSTOMER_TAG_LIMITS, reconcileTag, ruleMatches, sameValues } from './customer-tag-rules';
import type { CustomerTagRow, CustomerTagRuleRow, CustomerTagsRepository, NewCustomerTagRow } from './customer-tags.repository';
import type {
  CreateGroupBody,
  CreateTagBody,
  CustomerTag,
  CustomerTagConflict,
  CustomerTagGroup,
  CustomerTagLibrary,
  MarkBody,
  SyncResult,
  TagRule,
  TagRuleBody,
  UpdateTagBody,
} from './customer-tags.schema';
import type { TagValues } from './customer-tags.tables';

export interface CustomerTagsServiceDeps {
  repository: CustomerTagsRepository;
  wechat: WeChatClient;
  /** The customer-contact identity of a WeCom account (its 客户联系 secret, or an app allowed to call). */
  wechatAccountFor(accountId: string): Promise<WeChatAccount>;
  /** Throws ACCOUNT_NOT_FOUND or WECOM_ACCOUNT_REQUIRED. */
  requireCorp(accountId: string): Promise<unknown>;
  tree: DepartmentTree;
  members: MemberDepartments;
  audit: AuditRecorder;
  clock: Clock;
  logger: Logger;
  /**
   * Called after mark_tag put tags on a customer: WeCom sends no callback for
   * changes made through its API, so Qiao's own copy of the customer is refreshed.
   */
  tagsMarked?: (accountId: string, externalUserId: string) => Promise<void>;
}

export type CustomerTagsService = ReturnType<typeof createCustomerTagsService>;

/** Answers that pass with time (busy, quota, concurrency) or whose outcome is unknown (network): the intent stays to be sent again. */
function isTransient(error: unknown): boolean {
  if (isWeChatApiError(error)) return [-1, 45009, 45011, 45033].includes(error.errcode);
  return isAppError(error) && ['WECHAT_API_UNREACHABLE', 'WECHAT_API_RATE_LIMITED', 'WECHAT_API_BUSY', 'WECHAT_API_BAD_RESPONSE'].includes(error.code);
}

const tagErrcodes: Record<number, string> = {
  40068: '标签或标签组不存在（可能已在企业微信中删除）',
  40071: '同一标签组中已有同名标签',
  40072: '标签名长度不合法（1–30 个字符）',
  84061: '该客户不是这名成员的客户',
};

function words(errcode: number | null, errmsg?: string): string {
  if (errcode === null) return errmsg ?? '';
  return tagErrcodes[errcode] ?? describeErrcode('wecom', errcode)?.zh ?? errmsg ?? '';
}

function errcodeOf(error: unknown): number | null {
  return isWeChatApiError(error) ? error.errcode : null;
}

/** Qiao's error for a failed WeCom call: kept (transient) or refused (nothing changed). */
function failure(error: unknown): AppError | unknown {
  const errcode = errcodeOf(error);
  const errmsg = isWeChatApiError(error) ? error.errmsg : isAppError(error) ? error.message : String(error);
  if (isTransient(error)) return new AppError('CUSTOMER_TAG_CHANGE_KEPT', { errcode: errcode ?? 'network', errmsg, words: words(errcode, errmsg) });
  if (isWeChatApiError(error)) return new AppError('CUSTOMER_TAG_WECHAT_REFUSED', { errcode: error.errcode, errmsg: error.errmsg, words: words(error.errcode, error.errmsg) });
  return error;
}

const valuesOf = (row: Pick<CustomerTagRow, 'name' | 'order'>): TagValues => ({ name: row.name, order: row.order });

function stateOf(row: CustomerTagRow): CustomerTag['state'] {
  if (row.conflict) return 'conflict';
  return row.pending ? 'pending' : 'synced';
}

const byOrder = (a: CustomerTagRow, b: CustomerTagRow) => b.order - a.order || a.createdAt.getTime() - b.createdAt.getTime();

/** Runs work for one account at a time (pulls, pushes and edits of the same library never interleave). */
function createAccountLocks() {
  const tails = new Map<string, Promise<unknown>>();
  return {
    busy: (accountId: string) => tails.has(accountId),
    run<T>(accountId: string, work: () => Promise<T>): Promise<T> {
      const previous = tails.get(accountId) ?? Promise.resolve();
      const next = previous.then(work, work);
      const settled = next.catch(() => undefined);
      tails.set(accountId, settled);
      void settled.then(() => {
        if (tails.get(accountId) === settled) tails.delete(accountId);
      });
      return next;
    },
  };
}

export function createCustomerTagsService(deps: CustomerTagsServiceDeps) {
  const { repository } = deps;
  const locks = createAccountLocks();
  const logger = deps.logger.child({ module: 'wecom-customer-tags' });
  const now = () => deps.clock.now();

  async function requireRow(accountId: string, id: string, kind: 'group' | 'tag'): Promise<CustomerTagRow> {
    const row = await repository.findTag(accountId, id);
    if (!row || row.kind !== kind) throw new AppError(kind === 'group' ? 'CUSTOMER_TAG_GROUP_NOT_FOUND' : 'CUSTOMER_TAG_NOT_FOUND', kind === 'group' ? { groupId: id } : { tagId: id });
    return row;
  }

  function requireSettled(row: CustomerTagRow): void {
    if (row.conflict || (row.pending && row.pending !== 'update')) throw new AppError('CUSTOMER_TAG_UNSETTLED', { name: row.name });
  }

  const liveTags = (rows: CustomerTagRow[]) => rows.filter((r) => r.kind === 'tag' && r.pending !== 'delete');

  function library(rows: CustomerTagRow[], lastPulledAt: Date | null): CustomerTagLibrary {
    const toTag = (r: CustomerTagRow): CustomerTag => ({ id: r.id, wecomId: r.wecomId, groupId: r.groupId as string, name: r.name, order: r.order, state: stateOf(r), pending: r.pending });
    const groups: CustomerTagGroup[] = rows
      .filter((r) => r.kind === 'group')
      .sort(byOrder)
      .map((g) => ({
        id: g.id,
        wecomId: g.wecomId,
        name: g.name,
        order: g.order,
        state: stateOf(g),
        pending: g.pending,
        tags: rows.filter((r) => r.kind === 'tag' && r.groupId === g.id).sort(byOrder).map(toTag),
      }));
    return {
      groups,
      tagCount: liveTags(rows).length,
      tagLimit: CUSTOMER_TAG_LIMITS.perCorp,
      conflicts: rows.filter((r) => r.conflict).length,
      pending: rows.filter((r) => r.pending && !r.conflict).length,
      lastPulledAt: lastPulledAt?.toISOString() ?? null,
    };
  }

  /** Calls add_corp_tag for a group (new, by name, or existing, by id) and links the answered ids to Qiao's rows by name. */
  async function pushCreate(accountId: string, group: CustomerTagRow, tags: CustomerTagRow[]): Promise<void> {
    const account = await deps.wechatAccountFor(accountId);
    const answer = await deps.wechat.call(account, wecomCorpTagAdd, {
      ...(group.wecomId ? { group_id: group.wecomId } : { group_name: group.name, order: group.order }),
      tag: tags.map((t) => ({ name: t.name, order: t.order })),
    });
    const settled = { pending: null, conflict: false, remote: null, remoteDeleted: false, updatedAt: now() };
    await repository.transaction(async (repo) => {
      if (!group.wecomId) await repo.linkWecomId(accountId, group.id, answer.tag_group.group_id, { ...settled, base: valuesOf(group) });
      for (const tag of tags) {
        const created = answer.tag_group.tag.find((t) => t.name === tag.name);
        if (created) await repo.linkWecomId(accountId, tag.id, created.id, { ...settled, base: valuesOf(tag) });
      }
    });
  }

  async function pushUpdate(accountId: string, row: CustomerTagRow): Promise<void> {
    const account = await deps.wechatAccountFor(accountId);
    await deps.wechat.call(account, wecomCorpTagEdit, { id: row.wecomId as string, name: row.name, order: row.order });
    await repository.updateTag(accountId, row.id, { base: valuesOf(row), pending: null, conflict: false, remote: null, remoteDeleted: false, updatedAt: now() });
  }

  /** Deletes in WeCom (a group takes its tags; a group's last tag takes the group), then here. */
  async function pushDelete(accountId: string, row: CustomerTagRow, rows: CustomerTagRow[]): Promise<void> {
    const account = await deps.wechatAccountFor(accountId);
    if (row.wecomId) {
      try {
        await deps.wechat.call(account, wecomCorpTagDelete, row.kind === 'group' ? { group_id: [row.wecomId] } : { tag_id: [row.wecomId] });
      } catch (error) {
        // Already gone in WeCom: the deletion is done.
        if (errcodeOf(error) !== 40068) throw error;
      }
    }
    await repository.deleteTags(accountId, doomedBy(row, rows));
  }

  function doomedBy(row: CustomerTagRow, rows: CustomerTagRow[]): string[] {
    if (row.kind === 'group') return [row.id, ...rows.filter((r) => r.groupId === row.id).map((r) => r.id)];
    const siblings = rows.filter((r) => r.kind === 'tag' && r.groupId === row.groupId && r.id !== row.id);
    // WeCom removes a group with its last tag.
    return siblings.length === 0 && row.groupId ? [row.id, row.groupId] : [row.id];
  }

  /** get_corp_tag_list, reconciled row by row; conflicts are recorded, never resolved here. */
  async function pull(accountId: string): Promise<Omit<SyncResult, 'pushed' | 'failed'>> {
    const account = await deps.wechatAccountFor(accountId);
    const answer = await deps.wechat.call(account, wecomCorpTagList, {});
    const rows = await repository.listTags(accountId);
    const result = { inserted: 0, updated: 0, deleted: 0, conflicts: 0 };
    const seen = new Set<string>();
    const at = now();

    async function apply(local: CustomerTagRow | null, remote: TagValues, wecomId: string, kind: 'group' | 'tag', groupId: string | null): Promise<string> {
      const decision = reconcileTag(local ? { values: valuesOf(local), base: local.base, pending: local.pending, conflict: local.conflict } : null, remote);
      if (!local) {
        const [inserted] = await repository.insertTags([
          { accountId, kind, groupId, wecomId, name: remote.name, order: remote.order, base: remote, pending: null, conflict: false, remote: null, remoteDeleted: false, createdAt: at, updatedAt: at },
        ]);
        result.inserted++;
        return (inserted as CustomerTagRow).id;
      }
      seen.add(local.id);
      if (decision === 'take') {
        await repository.linkWecomId(accountId, local.id, wecomId, { ...remote, base: remote, pending: null, conflict: false, remote: null, remoteDeleted: false, updatedAt: at });
        result.updated++;
      } else if (decision === 'conflict') {
        if (!local.conflict || !sameValues(local.remote, remote) || local.remoteDeleted) result.conflicts++;
        await repository.updateTag(accountId, local.id, { conflict: true, remote, remoteDeleted: false, updatedAt: at });
      } else if (decision === 'none' && !local.wecomId) {
        await repository.linkWecomId(accountId, local.id, wecomId, {});
      }
      return local.id;
    }

    for (const group of answer.tag_group) {
      if (group.deleted) continue;
      const byId = rows.find((r) => r.kind === 'group' && r.wecomId === group.group_id);
      const byName = byId ?? rows.find((r) => r.kind === 'group' && !r.wecomId && r.pending === 'create' && r.name === group.group_name);
      const groupId = await apply(byName ?? null, { name: group.group_name, order: group.order ?? 0 }, group.group_id, 'group', null);
      for (const tag of group.tag) {
        if (tag.deleted) continue;
        const local = rows.find((r) => r.kind === 'tag' && r.wecomId === tag.id) ?? rows.find((r) => r.kind === 'tag' && !r.wecomId && r.pending === 'create' && r.groupId === groupId && r.name === tag.name);
        await apply(local ?? null, { name: tag.name, order: tag.order ?? 0 }, tag.id, 'tag', groupId);
      }
    }

    // Rows WeCom no longer has.
    const purge: string[] = [];
    for (const row of rows) {
      if (seen.has(row.id) || !row.wecomId) continue;
      const decision = reconcileTag({ values: valuesOf(row), base: row.base, pending: row.pending, conflict: row.conflict }, null);
      if (decision === 'purge') purge.push(row.id);
      else if (decision === 'conflict') {
        if (!row.remoteDeleted) result.conflicts++;
        await repository.updateTag(accountId, row.id, { conflict: true, remote: null, remoteDeleted: true, updatedAt: at });
      }
    }
    // Tags of a purged group go with it, unless they carry a conflict to decide.
    for (const row of rows) if (row.groupId && purge.includes(row.groupId) && !row.conflict && !purge.includes(row.id)) purge.push(row.id);
    await repository.deleteTags(accountId, purge);
    result.deleted = purge.length;
    await repository.setPulledAt(accountId, at);
    return result;
  }

  /** Sends Qiao's pending changes that are not in conflict; each failure is reported, none undoes another. */
  async function pushPending(accountId: string): Promise<{ pushed: number; failed: SyncResult['failed'] }> {
    let pushed = 0;
    const failed: SyncResult['failed'] = [];
    const note = (row: CustomerTagRow, error: unknown) => {
      const errcode = errcodeOf(error);
      failed.push({ id: row.id, name: row.name, errcode, message: isWeChatApiError(error) ? `${error.errcode} ${words(error.errcode, error.errmsg)}` : String((error as Error).message ?? error) });
    };
    const rows = await repository.listTags(accountId);
    for (const group of rows.filter((r) => r.kind === 'group' && r.pending === 'create' && !r.conflict)) {
      const tags = rows.filter((r) => r.kind === 'tag' && r.groupId === group.id && r.pending === 'create');
      if (tags.length === 0) continue;
      try {
        await pushCreate(accountId, group, tags);
        pushed += 1 + tags.length;
      } catch (error) {
        note(group, error);
      }
    }
    for (const tag of rows.filter((r) => r.kind === 'tag' && r.pending === 'create' && !r.conflict)) {
      const group = rows.find((r) => r.id === tag.groupId);
      if (!group?.wecomId || group.pending === 'create') continue;
      try {
        await pushCreate(accountId, group, [tag]);
        pushed++;
      } catch (error) {
        note(tag, error);
      }
    }
    for (const row of rows.filter((r) => r.pending === 'update' && !r.conflict && r.wecomId)) {
      try {
        await pushUpdate(accountId, row);
        pushed++;
      } catch (error) {
        note(row, error);
      }
    }
    for (const row of rows.filter((r) => r.pending === 'delete' && !r.conflict)) {
      try {
        await pushDelete(accountId, row, await repository.listTags(accountId));
        pushed++;
      } catch (error) {
        note(row, error);
      }
    }
    return { pushed, failed };
  }

  function toRule(row: CustomerTagRuleRow, applied: number): TagRule {
    return {
      id: row.id,
      name: row.name,
      trigger: row.trigger,
      match: row.match,
      value: row.value,
      tagIds: row.tagIds,
      enabled: row.enabled,
      applied,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  /** Tag ids (WeCom's) that exist in WeCom as far as Qiao knows; otherwise CUSTOMER_TAG_NOT_FOUND / NOT_APPLIED. */
  async function requireAppliedTags(accountId: string, wecomIds: string[]): Promise<void> {
    const rows = await repository.listTags(accountId);
    for (const id of wecomIds) {
      const row = rows.find((r) => r.kind === 'tag' && r.wecomId === id);
      if (!row) {
        const unapplied = rows.find((r) => r.kind === 'tag' && r.id === id);
        if (unapplied) throw new AppError('CUSTOMER_TAG_NOT_APPLIED', { name: unapplied.name });
        throw new AppError('CUSTOMER_TAG_NOT_FOUND', { tagId: id });
      }
      if (row.pending === 'delete') throw new AppError('CUSTOMER_TAG_NOT_FOUND', { tagId: id });
    }
  }

  async function checkRule(accountId: string, body: TagRuleBody): Promise<Omit<CustomerTagRuleRow, 'id' | 'accountId' | 'createdAt' | 'updatedAt'>> {
    await requireAppliedTags(accountId, body.tagIds);
    const value = body.value.trim();
    if (body.trigger === 'state' && [...value].length > CUSTOMER_TAG_LIMITS.stateChars) {
      throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'value', message: `a 「联系我」 state has at most ${CUSTOMER_TAG_LIMITS.stateChars} characters` }] });
    }
    if (body.trigger === 'add_way' && !/^\d{1,3}$/.test(value)) throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'value', message: 'an add_way code such as 1' }] });
    return { name: body.name.trim(), trigger: body.trigger, match: body.trigger === 'keyword' ? body.match : 'exact', value, tagIds: [...new Set(body.tagIds)], enabled: body.enabled };
  }

  async function customerRefreshed(accountId: string, externalUserId: string): Promise<void> {
    await deps.tagsMarked?.(accountId, externalUserId).catch((error: unknown) => logger.warn({ err: error, accountId }, 'could not refresh a customer after tagging it'));
  }

  /** Applies one rule to one member's customer once: claimed first, so a replayed event changes nothing. */
  async function runRule(accountId: string, rule: CustomerTagRuleRow, userid: string, externalUserId: string): Promise<boolean> {
    const rows = await repository.listTags(accountId);
    const tagIds = rule.tagIds.filter((id) => rows.some((r) => r.kind === 'tag' && r.wecomId === id && r.pending !== 'delete'));
    if (tagIds.length === 0) return false;
    const key = { accountId, ruleId: rule.id, userid, externalUserId };
    if (!(await repository.claimRun(key, tagIds, now()))) return false;
    try {
      await deps.wechat.call(await deps.wechatAccountFor(accountId), wecomCustomerMarkTag, { userid, external_userid: externalUserId, add_tag: tagIds });
      await repository.finishRun(key, 'applied', null);
      await customerRefreshed(accountId, externalUserId);
      await deps.audit.record(null, { action: 'wecom.customer_tag.rule_applied', targetType: 'wecom_customer', targetId: `${accountId}:${externalUserId}`, summary: { ruleId: rule.id, userid, tagIds } });
      return true;
    } catch (error) {
      await repository.finishRun(key, 'failed', errcodeOf(error));
      logger.warn({ err: error, accountId, ruleId: rule.id, userid, externalUserId }, 'auto-tag rule could not tag the customer');
      return false;
    }
  }

  async function enabledRules(accountId: string, trigger: CustomerTagRuleRow['trigger']): Promise<CustomerTagRuleRow[]> {
    return (await repository.listRules(accountId)).filter((r) => r.enabled && r.trigger === trigger);
  }

  return {
    async list(accountId: string): Promise<CustomerTagLibrary> {
      await deps.requireCorp(accountId);
      return library(await repository.listTags(accountId), await repository.lastPulledAt(accountId));
    },

    /** Pull from WeCom, then send Qiao's pending changes that are not in conflict. */
    async sync(context: RequestContext | null, accountId: string): Promise<SyncResult> {
      await deps.requireCorp(accountId);
      return locks.run(accountId, async () => {
        const pulled = await pull(accountId);
        const pushed = await pushPending(accountId);
        await deps.audit.record(context, { action: 'wecom.customer_tag.sync', targetType: 'wecom_account', targetId: accountId, summary: { ...pulled, pushed: pushed.pushed, failed: pushed.failed.length } });
        return { ...pulled, ...pushed };
      });
    },

    /**
     * A change_external_tag event: pull now when nothing else runs on the
     * library; otherwise after it (the running edit may be what WeCom reports,
     * and waiting for it here would hold up WeCom's push).
     */
    async onTagEvent(accountId: string): Promise<void> {
      const wasBusy = locks.busy(accountId);
      const done = locks.run(accountId, () => pull(accountId)).catch((error: unknown) => logger.warn({ err: error, accountId }, 'pulling customer tags after an event failed'));
      if (!wasBusy) await done;
    },

    async createGroup(context: RequestContext, accountId: string, body: CreateGroupBody): Promise<CustomerTagGroup> {
      await deps.requireCorp(accountId);
      return locks.run(accountId, async () => {
        const name = checkTagName(body.name, 'name');
        const order = checkTagOrder(body.order);
        if (body.tags.length === 0) throw new AppError('CUSTOMER_TAG_GROUP_EMPTY', {});
        const tags = body.tags.map((t, i) => ({ name: checkTagName(t.name, `tags.${i}.name`), order: checkTagOrder(t.order) }));
        const dupe = tags.find((t, i) => tags.findIndex((o) => o.name === t.name) !== i);
        if (dupe) throw new AppError('CUSTOMER_TAG_NAME_TAKEN', { name: dupe.name });
        const rows = await repository.listTags(accountId);
        if (rows.some((r) => r.kind === 'group' && r.name === name && r.pending !== 'delete')) throw new AppError('CUSTOMER_TAG_GROUP_NAME_TAKEN', { name });
        checkTagCount(liveTags(rows).length, tags.length);
        const at = now();
        const intent = (row: Omit<NewCustomerTagRow, 'accountId' | 'wecomId' | 'base' | 'pending' | 'conflict' | 'remote' | 'remoteDeleted' | 'createdAt' | 'updatedAt'>): NewCustomerTagRow => ({
          ...row,
          accountId,
          wecomId: null,
          base: null,
          pending: 'create',
          conflict: false,
          remote: null,
          remoteDeleted: false,
          createdAt: at,
          updatedAt: at,
        });
        const { group, tagRows } = await repository.transaction(async (repo) => {
          const [g] = await repo.insertTags([intent({ kind: 'group', groupId: null, name, order })]);
          const created = await repo.insertTags(tags.map((t) => intent({ kind: 'tag', groupId: (g as CustomerTagRow).id, name: t.name, order: t.order })));
          return { group: g as CustomerTagRow, tagRows: created };
        });
        try {
          await pushCreate(accountId, group, tagRows);
        } catch (error) {
          if (!isTransient(error)) await repository.deleteTags(accountId, [group.id, ...tagRows.map((t) => t.id)]);
          throw failure(error);
        }
        await deps.audit.record(context, { action: 'wecom.customer_tag.group_create', targetType: 'wecom_customer_tag', targetId: group.id, summary: { name, tags: tags.map((t) => t.name) } });
        const lib = library(await repository.listTags(accountId), null);
        return lib.groups.find((g) => g.id === group.id) as CustomerTagGroup;
      });
    },

    async createTag(context: RequestContext, accountId: string, groupId: string, body: CreateTagBody): Promise<CustomerTag> {
      await deps.requireCorp(accountId);
      return locks.run(accountId, async () => {
        const group = await requireRow(accountId, groupId, 'group');
        if (!group.wecomId || group.pending === 'delete' || group.conflict) throw new AppError('CUSTOMER_TAG_UNSETTLED', { name: group.name });
        const name = checkTagName(body.name, 'name');
        const order = checkTagOrder(body.order);
        const rows = await repository.listTags(accountId);
        if (rows.some((r) => r.kind === 'tag' && r.groupId === group.id && r.name === name && r.pending !== 'delete')) throw new AppError('CUSTOMER_TAG_NAME_TAKEN', { name });
        checkTagCount(liveTags(rows).length, 1);
        const at = now();
        const [tag] = await repository.insertTags([
          { accountId, kind: 'tag', groupId: group.id, wecomId: null, name, order, base: null, pending: 'create', conflict: false, remote: null, remoteDeleted: false, createdAt: at, updatedAt: at },
        ]);
        const row = tag as CustomerTagRow;
        try {
          await pushCreate(accountId, group, [row]);
        } catch (error) {
          if (!isTransient(error)) await repository.deleteTags(accountId, [row.id]);
          throw failure(error);
        }
        await deps.audit.record(context, { action: 'wecom.customer_tag.create', targetType: 'wecom_customer_tag', targetId: row.id, summary: { group: group.name, name } });
        const saved = (await repository.findTag(accountId, row.id)) as CustomerTagRow;
        return { id: saved.id, wecomId: saved.wecomId, groupId: group.id, name: saved.name, order: saved.order, state: stateOf(saved), pending: saved.pending };
      });
    },

    /** Rename or reorder a group or a tag: the intent is written, sent to WeCom, then marked applied. */
    async update(context: RequestContext, accountId: string, id: string, kind: 'group' | 'tag', body: UpdateTagBody): Promise<CustomerTagLibrary> {
      await deps.requireCorp(accountId);
      return locks.run(accountId, async () => {
        const row = await requireRow(accountId, id, kind);
        requireSettled(row);
        const name = body.name !== undefined ? checkTagName(body.name, 'name') : row.name;
        const order = body.order !== undefined ? checkTagOrder(body.order) : row.order;
        const rows = await repository.listTags(accountId);
        const clash = rows.find((r) => r.id !== row.id && r.kind === kind && r.groupId === row.groupId && r.name === name && r.pending !== 'delete');
        if (clash) throw new AppError(kind === 'group' ? 'CUSTOMER_TAG_GROUP_NAME_TAKEN' : 'CUSTOMER_TAG_NAME_TAKEN', { name });
        const before = valuesOf(row);
        await repository.updateTag(accountId, row.id, { name, order, pending: 'update', updatedAt: now() });
        try {
          await pushUpdate(accountId, { ...row, name, order });
        } catch (error) {
          if (!isTransient(error)) await repository.updateTag(accountId, row.id, { ...(row.base ?? before), pending: null, updatedAt: now() });
          throw failure(error);
        }
        await deps.audit.record(context, { action: `wecom.customer_tag.${kind}_update`, targetType: 'wecom_customer_tag', targetId: row.id, summary: { from: before, to: { name, order } } });
        return library(await repository.listTags(accountId), await repository.lastPulledAt(accountId));
      });
    },

    async remove(context: RequestContext, accountId: string, id: string, kind: 'group' | 'tag'): Promise<void> {
      await deps.requireCorp(accountId);
      await locks.run(accountId, async () => {
        const row = await requireRow(accountId, id, kind);
        const rows = await repository.listTags(accountId);
        if (row.conflict) throw new AppError('CUSTOMER_TAG_UNSETTLED', { name: row.name });
        if (!row.wecomId) {
          // Never reached WeCom: nothing to undo there.
          await repository.deleteTags(accountId, doomedBy(row, rows));
        } else {
          await repository.updateTag(accountId, row.id, { pending: 'delete', updatedAt: now() });
          try {
            await pushDelete(accountId, row, rows);
          } catch (error) {
            if (!isTransient(error)) await repository.updateTag(accountId, row.id, { pending: row.pending, updatedAt: now() });
            throw failure(error);
          }
        }
        await deps.audit.record(context, { action: `wecom.customer_tag.${kind}_delete`, targetType: 'wecom_customer_tag', targetId: row.id, summary: { name: row.name } });
      });
    },

    async conflicts(accountId: string): Promise<CustomerTagConflict[]> {
      await deps.requireCorp(accountId);
      const rows = await repository.listTags(accountId);
      return rows
        .filter((r) => r.conflict)
        .map((r) => ({
          id: r.id,
          kind: r.kind,
          wecomId: r.wecomId,
          groupName: r.groupId ? (rows.find((g) => g.id === r.groupId)?.name ?? null) : null,
          qiao: r.pending === 'delete' ? null : valuesOf(r),
          wecom: r.remoteDeleted ? null : r.remote,
          base: r.base,
        }));
    },

    /** The admin picks a side: WeCom's values replace Qiao's, or Qiao's are sent to WeCom (recreated when WeCom deleted it). */
    async resolve(context: RequestContext, accountId: string, id: string, side: 'qiao' | 'wecom'): Promise<CustomerTagLibrary> {
      await deps.requireCorp(accountId);
      return locks.run(accountId, async () => {
        const row = await repository.findTag(accountId, id);
        if (!row?.conflict) throw new AppError('CUSTOMER_TAG_CONFLICT_NOT_FOUND', { tagId: id });
        const rows = await repository.listTags(accountId);
        const settled = { conflict: false, remote: null, remoteDeleted: false, pending: null, updatedAt: now() };
        try {
          if (side === 'wecom') {
            if (row.remoteDeleted) await repository.deleteTags(accountId, row.kind === 'group' ? doomedBy(row, rows) : [row.id]);
            else await repository.updateTag(accountId, row.id, { ...(row.remote as TagValues), base: row.remote, ...settled });
          } else if (row.pending === 'delete') {
            await pushDelete(accountId, row, rows);
          } else if (row.remoteDeleted) {
            // WeCom deleted what Qiao edited: create it again there (a group with its tags).
            if (row.kind === 'group') {
              const tags = rows.filter((r) => r.groupId === row.id);
              await repository.transaction(async (repo) => {
                for (const r of [row, ...tags]) await repo.updateTag(accountId, r.id, { wecomId: null, base: null, ...settled, pending: 'create' });
              });
              await pushCreate(accountId, { ...row, wecomId: null }, tags.map((t) => ({ ...t, wecomId: null })));
            } else {
              const group = rows.find((r) => r.id === row.groupId);
              if (!group?.wecomId) throw new AppError('CUSTOMER_TAG_UNSETTLED', { name: group?.name ?? row.name });
              await repository.updateTag(accountId, row.id, { wecomId: null, base: null, ...settled, pending: 'create' });
              await pushCreate(accountId, group, [{ ...row, wecomId: null }]);
            }
          } else {
            await pushUpdate(accountId, row);
          }
        } catch (error) {
          throw failure(error);
        }
        await deps.audit.record(context, { action: 'wecom.customer_tag.conflict_resolve', targetType: 'wecom_customer_tag', targetId: row.id, summary: { side, name: row.name } });
        return library(await repository.listTags(accountId), await repository.lastPulledAt(accountId));
      });
    },

    /** mark_tag for one member's customer, within the caller's reach (own members, or the managed departments' members). */
    async mark(context: RequestContext, accountId: string, body: MarkBody) {
      await deps.requireCorp(accountId);
      const add = [...new Set(body.add)];
      const remove = [...new Set(body.remove)];
      if (add.length === 0 && remove.length === 0) throw new AppError('CUSTOMER_TAG_MARK_EMPTY', {});
      const departmentIds = await deps.members.departmentsOf(accountId, body.userid);
      if (!departmentIds) throw new AppError('CUSTOMER_TAG_MEMBER_NOT_FOUND', { userid: body.userid });
      const principal = context.principal;
      if (!principal || !(await mayActOnMemberRecord(principal, { accountId, userid: body.userid, departmentIds }, deps.tree))) {
        throw new AppError('CUSTOMER_TAG_MARK_FORBIDDEN', { userid: body.userid });
      }
      await requireAppliedTags(accountId, [...add, ...remove]);
      try {
        await deps.wechat.call(await deps.wechatAccountFor(accountId), wecomCustomerMarkTag, {
          userid: body.userid,
          external_userid: body.externalUserId,
          ...(add.length ? { add_tag: add } : {}),
          ...(remove.length ? { remove_tag: remove } : {}),
        });
      } catch (error) {
        if (errcodeOf(error) === 84061) throw new AppError('CUSTOMER_TAG_NOT_CUSTOMER', { userid: body.userid, externalUserId: body.externalUserId, errcode: 84061 });
        throw failure(error);
      }
      await customerRefreshed(accountId, body.externalUserId);
      await deps.audit.record(context, { action: 'wecom.customer_tag.mark', targetType: 'wecom_customer', targetId: `${accountId}:${body.externalUserId}`, summary: { userid: body.userid, add, remove } });
      return { userid: body.userid, externalUserId: body.externalUserId, added: add, removed: remove };
    },

    async listRules(accountId: string): Promise<TagRule[]> {
      await deps.requireCorp(accountId);
      const counts = await repository.appliedCounts(accountId);
      return (await repository.listRules(accountId)).map((r) => toRule(r, counts.get(r.id) ?? 0));
    },

    async createRule(context: RequestContext, accountId: string, body: TagRuleBody): Promise<TagRule> {
      await deps.requireCorp(accountId);
      const fields = await checkRule(accountId, body);
      const at = now();
      const row = await repository.insertRule({ accountId, ...fields, createdAt: at, updatedAt: at });
      await deps.audit.record(context, { action: 'wecom.customer_tag_rule.create', targetType: 'wecom_customer_tag_rule', targetId: row.id, summary: { ...fields } });
      return toRule(row, 0);
    },

    async updateRule(context: RequestContext, accountId: string, ruleId: string, body: TagRuleBody): Promise<TagRule> {
      await deps.requireCorp(accountId);
      if (!(await repository.findRule(accountId, ruleId))) throw new AppError('CUSTOMER_TAG_RULE_NOT_FOUND', { id: ruleId });
      const fields = await checkRule(accountId, body);
      await repository.updateRule(accountId, ruleId, { ...fields, updatedAt: now() });
      await deps.audit.record(context, { action: 'wecom.customer_tag_rule.update', targetType: 'wecom_customer_tag_rule', targetId: ruleId, summary: { ...fields } });
      const counts = await repository.appliedCounts(accountId);
      return toRule((await repository.findRule(accountId, ruleId)) as CustomerTagRuleRow, counts.get(ruleId) ?? 0);
    },

    async deleteRule(context: RequestContext, accountId: string, ruleId: string): Promise<void> {
      await deps.requireCorp(accountId);
      if (!(await repository.deleteRule(accountId, ruleId))) throw new AppError('CUSTOMER_TAG_RULE_NOT_FOUND', { id: ruleId });
      await deps.audit.record(context, { action: 'wecom.customer_tag_rule.delete', targetType: 'wecom_customer_tag_rule', targetId: ruleId, summary: {} });
    },

    /** add_external_contact: state rules by the event's State, add_way rules by the follow's add_way (read from WeCom only when such rules exist). */
    async applyAddRules(accountId: string, userid: string, externalUserId: string, state: string | undefined): Promise<number> {
      let applied = 0;
      if (state) for (const rule of (await enabledRules(accountId, 'state')).filter((r) => ruleMatches(r, state))) if (await runRule(accountId, rule, userid, externalUserId)) applied++;
      const wayRules = await enabledRules(accountId, 'add_way');
      if (wayRules.length) {
        const customer = await deps.wechat.call(await deps.wechatAccountFor(accountId), wecomCustomerGet, undefined, { external_userid: externalUserId });
        const follow = customer.follow_user.find((f) => f.userid.toLowerCase() === userid.toLowerCase());
        const addWay = String(follow?.add_way ?? 0);
        for (const rule of wayRules.filter((r) => ruleMatches(r, addWay))) if (await runRule(accountId, rule, userid, externalUserId)) applied++;
      }
      return applied;
    },

    /** Keyword rules over what a member wrote about a customer (e.g. a follow-up note); answers how many rules tagged. */
    async applyKeywordRules(accountId: string, userid: string, externalUserId: string, text: string): Promise<number> {
      let applied = 0;
      for (const rule of (await enabledRules(accountId, 'keyword')).filter((r) => ruleMatches(r, text))) if (await runRule(accountId, rule, userid, externalUserId)) applied++;
      return applied;
    },
  };
}

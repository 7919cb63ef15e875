import ExcelJS from 'exceljs';
import type { Logger } from 'pino';
import { AppError, type Locale } from '../../../../common/errors';
import { decodeCursor, encodeCursor, type Page } from '../../../../common/paging';
import type { AuditRecorder } from '../../../platform/audit';
import type { Clock } from '../../../platform/clock';
import type { RequestContext } from '../../../platform/http/principal';
import { isWeChatApiError, type WeChatAccount, type WeChatClient } from '../../../wechat/client';
import { wecomCustomerGet, wecomMessageSend } from '../../../wechat/wecom';
import { mayActOnMemberRecord, type DepartmentTree } from '../../system';
import { subtreeIds, type Tree } from '../departments';
import type { CustomersService } from '../customers';
import { checkAttachment, chinaTime, followUpLimits, noteExcerpt, overviewRange, reminderStatus, reminderText, stageLabels } from './follow-up-rules';
import { byReminder, type AttachmentMeta, type FollowUpFilter, type FollowUpListRow, type FollowUpScope, type FollowUpsRepository } from './follow-ups.repository';
import type {
  CreateFollowUpBody,
  ExportFollowUpsQuery,
  FollowUp,
  FollowUpAttachment,
  FollowUpOverview,
  FollowUpRevision,
  ListCustomerFollowUpsQuery,
  ListFollowUpsQuery,
  OverviewQuery,
  UpdateFollowUpBody,
} from './follow-ups.schema';
import { wecomReceiverFor } from '../../system/accounts';

/** What a listener learns when a record is written or its note edited (customer-tag keyword rules hook in here). */
export interface FollowUpWritten {
  accountId: string;
  followUpId: string;
  externalUserId: string;
  userid: string;
  note: string;
  stage: FollowUp['stage'];
  kind: 'created' | 'updated';
}
export type FollowUpListener = (event: FollowUpWritten) => void | Promise<void>;

export interface FollowUpsServiceDeps {
  repository: FollowUpsRepository;
  audit: AuditRecorder;
  clock: Clock;
  logger: Logger;
  wechat: WeChatClient;
  accounts: {
    getAccount(id: string): Promise<{ id: string; type: string; callbacks: { receiver: string }[] }>;
    wechatAccountFor(id: string, receiver: string): Promise<WeChatAccount>;
  };
  departments: { requireCorp(accountId: string): Promise<unknown>; tree(accountId: string): Promise<Tree> };
  members: { departmentsOf(accountId: string, userid: string): Promise<number[] | null> };
  /** The access policy's department tree (system.directory().tree). */
  policyTree(): DepartmentTree;
  /**
   * The customers module: a record's stage and a line of its note go on the
   * customer's timeline, written, edited and deleted with the record. The
   * timeline shows them only to callers who reach the record's member.
   */
  timeline: Pick<CustomersService, 'recordTimelineEvent' | 'reviseTimelineEvent' | 'removeTimelineEvent'>;
}

/** The record's timeline entry: one per record, found again by this key when it is edited or deleted. */
const timelineKey = (id: string) => `follow_up:${id}`;
const timelineDetail = (id: string, row: { stage: string; note: string }) => ({ followUpId: id, stage: row.stage, excerpt: noteExcerpt(row.note, followUpLimits.timelineNoteChars) });

export type FollowUpsService = ReturnType<typeof createFollowUpsService>;

const REMINDER_BATCH = 100;

function toAttachment(meta: AttachmentMeta): FollowUpAttachment {
  return { id: meta.id, filename: meta.filename, contentType: meta.contentType, sizeBytes: meta.sizeBytes, createdAt: meta.createdAt.toISOString() };
}

function toFollowUp(item: FollowUpListRow, attachments: AttachmentMeta[], now: Date): FollowUp {
  const { row } = item;
  return {
    id: row.id,
    externalUserId: row.externalUserId,
    customerName: row.customerName,
    userid: row.userid,
    memberName: item.memberName,
    note: row.note,
    stage: row.stage,
    nextContactAt: row.nextContactAt?.toISOString() ?? null,
    reminderStatus: reminderStatus({ nextContactAt: row.nextContactAt, superseded: item.superseded }, now),
    reminder: { state: row.reminderState, sentAt: row.reminderSentAt?.toISOString() ?? null, error: row.reminderError },
    attachments: attachments.filter((a) => a.followUpId === row.id).map(toAttachment),
    createdBy: { userId: row.createdBy, name: row.createdByName },
    updatedBy: { userId: row.updatedBy, name: row.updatedByName },
    revision: row.revision,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const snapshot = (row: { note: string; stage: string; nextContactAt: Date | null }) => ({
  note: row.note,
  stage: row.stage,
  nextContactAt: row.nextContactAt?.toISOString() ?? null,
});

export function createFollowUpsService(deps: FollowUpsServiceDeps) {
  const { repository } = deps;
  const listeners = new Set<FollowUpListener>();
  const who = (context: RequestContext | null) => ({ id: context?.principal?.userId ?? null, name: context?.principal?.displayName ?? null });

  function emit(event: FollowUpWritten): void {
    for (const listener of listeners) {
      // A listener's failure is its own: the record is written either way.
      Promise.resolve()
        .then(() => listener(event))
        .catch((error: unknown) => deps.logger.error({ err: error, followUpId: event.followUpId }, 'follow-up listener failed'));
    }
  }

  /** Whose records the caller reaches in this corp, as a filter lists apply in SQL. */
  async function scopeOf(context: RequestContext | null, accountId: string): Promise<FollowUpScope> {
    const principal = context?.principal;
    if (!principal || principal.role === 'super_admin') return { kind: 'all' };
    if (principal.role === 'member') return { kind: 'userids', userids: principal.wecomMembers.filter((m) => m.accountId === accountId).map((m) => m.userid) };
    const roots = principal.departmentScopes.filter((s) => s.accountId === accountId).map((s) => s.departmentId);
    return { kind: 'departments', departmentIds: [...subtreeIds(await deps.departments.tree(accountId), roots)] };
  }

  /** May the caller act on the customers of this member? Refused as not found for a member-role caller. */
  async function requireMemberReach(context: RequestContext | null, accountId: string, userid: string, notFound: () => AppError): Promise<void> {
    const principal = context?.principal;
    if (!principal) return;
    const departmentIds = (await deps.members.departmentsOf(accountId, userid)) ?? [];
    if (await mayActOnMemberRecord(principal, { accountId, userid, departmentIds }, deps.policyTree())) return;
    if (principal.role === 'member') throw notFound();
    throw new AppError('FOLLOW_UP_OUT_OF_SCOPE', { userid });
  }

  async function requireRecord(context: RequestContext | null, accountId: string, externalUserId: string, id: string): Promise<FollowUpListRow> {
    await deps.departments.requireCorp(accountId);
    const found = await repository.find(accountId, id);
    if (!found || found.row.externalUserId !== externalUserId) throw new AppError('FOLLOW_UP_NOT_FOUND', { id });
    await requireMemberReach(context, accountId, found.row.userid, () => new AppError('FOLLOW_UP_NOT_FOUND', { id }));
    return found;
  }

  async function customerContactAccount(accountId: string): Promise<WeChatAccount> {
    const account = await deps.accounts.getAccount(accountId);
    const receivers = account.callbacks.map((c) => c.receiver);
    // The customer-contact secret reads customers; a self-built app listed under 可调用应用 may too.
    const receiver = wecomReceiverFor(receivers, 'customer-contact') ?? 'customer-contact';
    return deps.accounts.wechatAccountFor(accountId, receiver);
  }

  /** Asks WeCom whether the customer exists and whom it follows; answers the name to cache. */
  async function customerOf(accountId: string, externalUserId: string, userid: string): Promise<{ name: string; userid: string }> {
    const account = await customerContactAccount(accountId);
    let cursor: string | undefined;
    let name = '';
    do {
      let answer;
      try {
        answer = await deps.wechat.call(account, wecomCustomerGet, undefined, { external_userid: externalUserId, ...(cursor ? { cursor } : {}) });
      } catch (error) {
        if (isWeChatApiError(error) && [40096, 84061, 40003].includes(error.errcode)) {
          throw new AppError('FOLLOW_UP_CUSTOMER_NOT_FOUND', { externalUserId, errcode: error.errcode, errmsg: error.errmsg });
        }
        throw error;
      }
      name = answer.external_contact.name;
      const follower = answer.follow_user.find((u) => u.userid.toLowerCase() === userid.toLowerCase());
      if (follower) return { name, userid: follower.userid };
      cursor = answer.next_cursor || undefined;
    } while (cursor);
    throw new AppError('FOLLOW_UP_NOT_FOLLOWER', { userid, externalUserId });
  }

  async function withAttachments(items: FollowUpListRow[]): Promise<FollowUp[]> {
    const attachments = await repository.attachmentsOf(items.map((i) => i.row.id));
    const now = deps.clock.now();
    return items.map((item) => toFollowUp(item, attachments, now));
  }

  async function filterOf(context: RequestContext | null, accountId: string, query: ExportFollowUpsQuery): Promise<FollowUpFilter> {
    await deps.departments.requireCorp(accountId);
    const departmentIds = query.departmentId === undefined ? undefined : [...subtreeIds(await deps.departments.tree(accountId), [query.departmentId])];
    return {
      accountId,
      scope: await scopeOf(context, accountId),
      userid: query.userid,
      departmentIds,
      stage: query.stage,
      externalUserId: query.externalUserId,
      dueBefore: query.dueBefore ? new Date(query.dueBefore) : undefined,
      overdue: query.overdue,
      q: query.q?.trim() || undefined,
      now: deps.clock.now(),
    };
  }

  async function page(filter: FollowUpFilter, query: { cursor?: string; limit: number }): Promise<Page<FollowUp>> {
    const cursor = query.cursor ? decodeCursor(query.cursor) : null;
    const after = cursor && typeof cursor[0] === 'string' && typeof cursor[1] === 'string' ? { at: new Date(cursor[0]), id: cursor[1] } : null;
    const rows = await repository.list(filter, after && !Number.isNaN(after.at.getTime()) ? after : null, query.limit + 1);
    const items = await withAttachments(rows.slice(0, query.limit));
    const last = rows.length > query.limit ? rows[query.limit - 1]!.row : null;
    const nextCursor = last ? encodeCursor([(byReminder(filter) ? last.nextContactAt! : last.createdAt).toISOString(), last.id]) : null;
    const total = query.cursor ? undefined : await repository.count(filter);
    return { items, nextCursor, ...(total === undefined ? {} : { total }) };
  }

  function requireFuture(nextContactAt: string | null | undefined): Date | null {
    if (!nextContactAt) return null;
    const at = new Date(nextContactAt);
    if (at.getTime() <= deps.clock.now().getTime()) throw new AppError('FOLLOW_UP_REMINDER_IN_PAST', { nextContactAt });
    return at;
  }

  async function appReceiver(accountId: string): Promise<string | null> {
    const account = await deps.accounts.getAccount(accountId);
    return account.callbacks.map((c) => c.receiver).find((r) => /^\d+$/.test(r)) ?? null;
  }

  return {
    onFollowUpWritten(listener: FollowUpListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async listForCustomer(context: RequestContext | null, accountId: string, externalUserId: string, query: ListCustomerFollowUpsQuery): Promise<Page<FollowUp>> {
      const filter = await filterOf(context, accountId, { externalUserId });
      return page(filter, query);
    },

    async list(context: RequestContext | null, accountId: string, query: ListFollowUpsQuery): Promise<Page<FollowUp>> {
      return page(await filterOf(context, accountId, query), query);
    },

    async get(context: RequestContext | null, accountId: string, externalUserId: string, id: string): Promise<FollowUp> {
      const [item] = await withAttachments([await requireRecord(context, accountId, externalUserId, id)]);
      return item!;
    },

    async create(context: RequestContext | null, accountId: string, externalUserId: string, body: CreateFollowUpBody): Promise<FollowUp> {
      await deps.departments.requireCorp(accountId);
      const principal = context?.principal;
      let userid = body.userid;
      if (!userid) {
        const own = principal?.role === 'member' ? principal.wecomMembers.filter((m) => m.accountId === accountId) : [];
        if (own.length !== 1) throw new AppError('FOLLOW_UP_MEMBER_REQUIRED', {});
        userid = own[0]!.userid;
      }
      await requireMemberReach(context, accountId, userid, () => new AppError('FOLLOW_UP_OUT_OF_SCOPE', { userid }));
      const nextContactAt = requireFuture(body.nextContactAt);
      const customer = await customerOf(accountId, externalUserId, userid);
      const now = deps.clock.now();
      const by = who(context);
      const row = await repository.transaction(async (repo, tx) => {
        const inserted = await repo.insert({
          accountId,
          externalUserId,
          userid: customer.userid,
          customerName: customer.name,
          note: body.note,
          stage: body.stage,
          nextContactAt,
          reminderState: nextContactAt ? 'pending' : 'none',
          createdBy: by.id,
          createdByName: by.name,
          updatedBy: by.id,
          updatedByName: by.name,
          createdAt: now,
          updatedAt: now,
        });
        await repo.cancelPendingReminders(accountId, externalUserId, customer.userid, inserted.id);
        await repo.renameCustomer(accountId, externalUserId, customer.name);
        await deps.timeline.recordTimelineEvent(
          accountId,
          externalUserId,
          { kind: 'follow_up', userid: inserted.userid, detail: timelineDetail(inserted.id, inserted), dedupeKey: timelineKey(inserted.id), actorUserId: by.id, occurredAt: now },
          tx,
        );
        await deps.audit.record(
          context,
          { action: 'wecom.follow_ups.create', targetType: 'wecom_follow_up', targetId: inserted.id, summary: { accountId, externalUserId, userid: customer.userid, after: snapshot(inserted) } },
          tx,
        );
        return inserted;
      });
      emit({ accountId, followUpId: row.id, externalUserId, userid: row.userid, note: row.note, stage: row.stage, kind: 'created' });
      return this.get(null, accountId, externalUserId, row.id);
    },

    async update(context: RequestContext | null, accountId: string, externalUserId: string, id: string, body: UpdateFollowUpBody): Promise<FollowUp> {
      const { superseded } = await requireRecord(context, accountId, externalUserId, id);
      const by = who(context);
      const now = deps.clock.now();
      const { before, after } = await repository.transaction(async (repo, tx) => {
        const current = await repo.lock(accountId, id);
        if (!current) throw new AppError('FOLLOW_UP_NOT_FOUND', { id });
        let at = current.nextContactAt;
        let reminderMoved = false;
        if (body.nextContactAt !== undefined) {
          const wanted = body.nextContactAt === null ? null : new Date(body.nextContactAt);
          reminderMoved = (wanted?.getTime() ?? null) !== (current.nextContactAt?.getTime() ?? null);
          if (reminderMoved) at = requireFuture(body.nextContactAt);
        }
        const next = { note: body.note ?? current.note, stage: body.stage ?? current.stage, nextContactAt: at };
        await repo.insertRevision({
          followUpId: id,
          revision: current.revision,
          note: current.note,
          stage: current.stage,
          nextContactAt: current.nextContactAt,
          writtenBy: current.updatedBy,
          writtenByName: current.updatedByName,
          writtenAt: current.updatedAt,
        });
        await repo.update(id, {
          ...next,
          // A newer record of the same customer and member holds the open reminder; this one's time is kept, not sent.
          ...(reminderMoved ? { reminderState: next.nextContactAt ? (superseded ? 'cancelled' : 'pending') : 'none', reminderSentAt: null, reminderError: null } : {}),
          updatedBy: by.id,
          updatedByName: by.name,
          updatedAt: now,
          revision: current.revision + 1,
        });
        if (next.note !== current.note || next.stage !== current.stage) await deps.timeline.reviseTimelineEvent(accountId, externalUserId, timelineKey(id), timelineDetail(id, next), tx);
        await deps.audit.record(
          context,
          { action: 'wecom.follow_ups.update', targetType: 'wecom_follow_up', targetId: id, summary: { accountId, externalUserId, userid: current.userid, before: snapshot(current), after: snapshot(next) } },
          tx,
        );
        return { before: current, after: next };
      });
      if (after.note !== before.note || after.stage !== before.stage) {
        emit({ accountId, followUpId: id, externalUserId, userid: before.userid, note: after.note, stage: after.stage, kind: 'updated' });
      }
      return this.get(null, accountId, externalUserId, id);
    },

    async remove(context: RequestContext | null, accountId: string, externalUserId: string, id: string): Promise<void> {
      const found = await requireRecord(context, accountId, externalUserId, id);
      await repository.transaction(async (repo, tx) => {
        await repo.delete(id);
        await deps.timeline.removeTimelineEvent(accountId, externalUserId, timelineKey(id), tx);
        await deps.audit.record(
          context,
          { action: 'wecom.follow_ups.delete', targetType: 'wecom_follow_up', targetId: id, summary: { accountId, externalUserId, userid: found.row.userid, before: snapshot(found.row) } },
          tx,
        );
      });
    },

    async history(context: RequestContext | null, accountId: string, externalUserId: string, id: string): Promise<{ items: FollowUpRevision[] }> {
      await requireRecord(context, accountId, externalUserId, id);
      const rows = await repository.listRevisions(id);
      return {
        items: rows.map((r) => ({
          revision: r.revision,
          note: r.note,
          stage: r.stage,
          nextContactAt: r.nextContactAt?.toISOString() ?? null,
          writtenBy: { userId: r.writtenBy, name: r.writtenByName },
          writtenAt: r.writtenAt.toISOString(),
        })),
      };
    },

    async addAttachment(context: RequestContext | null, accountId: string, externalUserId: string, id: string, file: { filename: string; content: Buffer }): Promise<FollowUpAttachment> {
      await requireRecord(context, accountId, externalUserId, id);
      const checked = checkAttachment(file.filename, file.content);
      if (!checked.ok) {
        throw new AppError(checked.code, { extension: checked.extension, allowed: 'png, jpg, gif, webp, pdf, docx, xlsx, pptx, txt, csv' });
      }
      return repository.transaction(async (repo, tx) => {
        // Locking the record serialises concurrent uploads, so the count below holds.
        await repo.lock(accountId, id);
        const existing = await repo.attachmentsOf([id]);
        if (existing.length >= followUpLimits.attachmentsPerRecord) throw new AppError('FOLLOW_UP_ATTACHMENTS_FULL', { max: followUpLimits.attachmentsPerRecord });
        const meta = await repo.insertAttachment({
          followUpId: id,
          filename: checked.filename,
          contentType: checked.contentType,
          sizeBytes: file.content.length,
          content: file.content,
          uploadedBy: context?.principal?.userId ?? null,
          createdAt: deps.clock.now(),
        });
        await deps.audit.record(
          context,
          { action: 'wecom.follow_ups.attach', targetType: 'wecom_follow_up', targetId: id, summary: { attachmentId: meta.id, filename: meta.filename, sizeBytes: meta.sizeBytes } },
          tx,
        );
        return toAttachment(meta);
      });
    },

    async attachment(context: RequestContext | null, accountId: string, externalUserId: string, id: string, attachmentId: string) {
      await requireRecord(context, accountId, externalUserId, id);
      const found = await repository.findAttachment(id, attachmentId);
      if (!found) throw new AppError('FOLLOW_UP_ATTACHMENT_NOT_FOUND', { attachmentId });
      return found;
    },

    async removeAttachment(context: RequestContext | null, accountId: string, externalUserId: string, id: string, attachmentId: string): Promise<void> {
      await requireRecord(context, accountId, externalUserId, id);
      await repository.transaction(async (repo, tx) => {
        if (!(await repo.deleteAttachment(id, attachmentId))) throw new AppError('FOLLOW_UP_ATTACHMENT_NOT_FOUND', { attachmentId });
        await deps.audit.record(context, { action: 'wecom.follow_ups.detach', targetType: 'wecom_follow_up', targetId: id, summary: { attachmentId } }, tx);
      });
    },

    async overview(context: RequestContext | null, accountId: string, query: OverviewQuery): Promise<FollowUpOverview> {
      await deps.departments.requireCorp(accountId);
      const now = deps.clock.now();
      const range = overviewRange({ from: query.from ? new Date(query.from) : undefined, to: query.to ? new Date(query.to) : undefined }, now);
      if (!range) throw new AppError('FOLLOW_UP_RANGE_INVALID', { maxDays: followUpLimits.overviewMaxDays });
      const departmentIds = query.departmentId === undefined ? undefined : [...subtreeIds(await deps.departments.tree(accountId), [query.departmentId])];
      const members = await repository.overview({ accountId, scope: await scopeOf(context, accountId), departmentIds, ...range, now });
      const totals = members.reduce((t, m) => ({ written: t.written + m.written, due: t.due + m.due, overdue: t.overdue + m.overdue }), { written: 0, due: 0, overdue: 0 });
      return { from: range.from.toISOString(), to: range.to.toISOString(), members, totals };
    },

    /** The filtered records as an .xlsx workbook, within the caller's reach; audited. */
    async exportXlsx(context: RequestContext | null, accountId: string, query: ExportFollowUpsQuery, locale: Locale): Promise<{ filename: string; content: Buffer }> {
      const filter = await filterOf(context, accountId, query);
      const count = await repository.count(filter);
      if (count > followUpLimits.exportRows) throw new AppError('FOLLOW_UP_EXPORT_TOO_LARGE', { max: followUpLimits.exportRows, count });
      const en = locale === 'en-US';
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet(en ? 'Follow-ups' : '跟进记录', { views: [{ state: 'frozen', ySplit: 1 }] });
      const headers = en
        ? ['Customer', 'Customer ID', 'Member', 'Member userid', 'Stage', 'Note', 'Next contact', 'Reminder', 'Written by', 'Created at', 'Updated at', 'Attachments']
        : ['客户', '客户 ID', '跟进成员', '成员账号', '阶段', '跟进内容', '下次联系时间', '提醒', '记录人', '创建时间', '更新时间', '附件'];
      sheet.columns = headers.map((_, i) => ({ width: [16, 30, 12, 16, 10, 60, 18, 10, 12, 18, 18, 30][i] }));
      sheet.addRow(headers).font = { bold: true };
      const stateWords: Record<FollowUp['reminderStatus'], string> = en ? { none: '', due: 'Due', overdue: 'Overdue' } : { none: '', due: '待跟进', overdue: '已逾期' };
      let after: { at: Date; id: string } | null = null;
      let written = 0;
      for (;;) {
        const rows = await repository.list(filter, after, 1000);
        if (rows.length === 0) break;
        for (const item of await withAttachments(rows)) {
          sheet.addRow([
            item.customerName,
            item.externalUserId,
            item.memberName ?? '',
            item.userid,
            en ? stageLabels[item.stage].en : stageLabels[item.stage].zh,
            item.note,
            item.nextContactAt ? chinaTime(new Date(item.nextContactAt)) : '',
            stateWords[item.reminderStatus],
            item.createdBy.name ?? '',
            chinaTime(new Date(item.createdAt)),
            chinaTime(new Date(item.updatedAt)),
            item.attachments.map((a) => a.filename).join('; '),
          ]);
          written += 1;
        }
        const last = rows[rows.length - 1]!.row;
        after = { at: byReminder(filter) ? last.nextContactAt! : last.createdAt, id: last.id };
      }
      await deps.audit.record(context, { action: 'wecom.follow_ups.export', targetType: 'wecom_account', targetId: accountId, summary: { filters: query, rows: written } });
      const content = Buffer.from(await workbook.xlsx.writeBuffer());
      const day = deps.clock.now().toISOString().slice(0, 10);
      return { filename: en ? `follow-ups-${day}.xlsx` : `跟进记录-${day}.xlsx`, content };
    },

    /**
     * Sends every reminder whose time came, once: each is claimed (pending →
     * sent) before the app message goes out, so a second tick or process never
     * sends it again; a failed send is recorded with WeCom's reason.
     */
    async tick(): Promise<{ sent: number; failed: number }> {
      const now = deps.clock.now();
      const outcome = { sent: 0, failed: 0 };
      const apps = new Map<string, string | null>();
      for (const row of await repository.dueReminders(now, REMINDER_BATCH)) {
        if (!(await repository.settleReminder(row.id, 'sent', now, null))) continue;
        try {
          if (!apps.has(row.accountId)) apps.set(row.accountId, await appReceiver(row.accountId));
          const agent = apps.get(row.accountId);
          if (!agent) throw new AppError('FOLLOW_UP_NO_APP', {});
          const answer = await deps.wechat.call(await deps.accounts.wechatAccountFor(row.accountId, agent), wecomMessageSend, {
            touser: row.userid,
            msgtype: 'text',
            agentid: Number(agent),
            text: { content: reminderText({ customerName: row.customerName, nextContactAt: row.nextContactAt!, stage: row.stage, note: row.note }) },
          });
          const invalid = (answer.invaliduser ?? '').split('|').filter(Boolean);
          if (invalid.some((u) => u.toLowerCase() === row.userid.toLowerCase())) throw new Error(`WeCom did not deliver to ${row.userid} (invaliduser)`);
          outcome.sent += 1;
        } catch (error) {
          const reason = isWeChatApiError(error) ? `errcode ${error.errcode}: ${error.errmsg}` : error instanceof AppError ? error.code : String((error as Error)?.message ?? error);
          await repository.update(row.id, { reminderState: 'failed', reminderSentAt: null, reminderError: reason.slice(0, 500) });
          deps.logger.warn({ followUpId: row.id, reason }, 'follow-up reminder not sent');
          outcome.failed += 1;
        }
      }
      return outcome;
    },
  };
}

import type { Writable } from 'node:stream';
import { AppError, isAppError, type Locale } from '../../../../common/errors';
import { decodeCursor, encodeCursor, type Page } from '../../../../common/paging';
import type { AuditRecorder } from '../../../platform/audit';
import type { Clock } from '../../../platform/clock';
import type { RequestContext } from '../../../platform/http/principal';
import type { JobQueue } from '../../../platform/queue/job-queue';
import type { WeChatAccount, WeChatClient } from '../../../wechat/client';
import { wecomCustomerGet, wecomCustomerRemark } from '../../../wechat/wecom';
import { reachOf } from '../../system';
import { checkRemark, chinaDayBounds, followChange, maskMobile } from './customer-rules';
import { customersOverview } from './customers-overview';
import { writeCustomerRows } from './customers-sheet';
import type {
  CustomerFilter,
  CustomerProfile,
  CustomerReach,
  CustomerRow,
  CustomersRepository,
  EventRow,
  FollowValues,
  FollowWithMember,
  NewEvent,
} from './customers.repository';
import type { Customer, CustomerDetail, CustomerFilterQuery, CustomersOverview, CustomersOverviewQuery, Follower, ListCustomersQuery, StartedJob, TimelineEntry, UpdateCustomerBody } from './customers.schema';
import type { TimelineKind } from './customers.tables';
import { wecomReceiverFor } from '../../system/accounts';

export const customerSyncJob = 'wecom.customers.sync';
const TIMELINE_LIMIT = 200;
const EXPORT_PAGE = 500;
const genders = ['unknown', 'male', 'female'] as const;
/** Customers purged per transaction: bounds how long one holds its locks. */
const PURGE_BATCH = 500;
/** Timeline kinds that carry a member's own notes (a follow-up's stage and words): shown only within reach of that member. */
const memberScopedKinds = new Set(['follow_up']);

/** WeCom's description of a customer (external_contact) as the declarations type it. */
export interface WeComContact {
  external_userid: string;
  name: string;
  avatar?: string | undefined;
  type: number;
  gender?: number | undefined;
  unionid?: string | undefined;
  position?: string | undefined;
  corp_name?: string | undefined;
  corp_full_name?: string | undefined;
}

/** One follow_user / follow_info entry. */
export interface WeComFollow {
  userid: string;
  remark?: string | undefined;
  description?: string | undefined;
  createtime?: number | undefined;
  tags?: { tag_id?: string | undefined; type: number }[] | undefined;
  remark_corp_name?: string | undefined;
  remark_mobiles?: string[] | undefined;
  oper_userid?: string | undefined;
  add_way?: number | undefined;
  state?: string | undefined;
}

export interface CustomersServiceDeps {
  repository: CustomersRepository;
  wechat: WeChatClient;
  accounts: {
    getAccount(id: string): Promise<{ id: string; name: string; type: string; callbacks: { receiver: string }[] }>;
    wechatAccountFor(id: string, receiver: string): Promise<WeChatAccount>;
  };
  departments: {
    requireCorp(accountId: string): Promise<{ id: string; name: string }>;
    subtreeOf(accountId: string, roots: Iterable<number>): Promise<Set<number>>;
  };
  members: { departmentsOf(accountId: string, userid: string): Promise<number[] | null> };
  queue: JobQueue;
  audit: AuditRecorder;
  clock: Clock;
  settings: { exportsPerDay: number; retentionDays: number };
}

/**
 * Told, inside the retention purge's transaction `tx`, which customers of an
 * account it deleted: a module keeping records about customers deletes
 * theirs there, so a customer goes whole or not at all.
 */
export type CustomersPurgedListener = (accountId: string, externalUserids: readonly string[], tx: unknown) => Promise<void>;

export function profileOf(contact: WeComContact): CustomerProfile {
  return {
    externalUserid: contact.external_userid,
    name: contact.name,
    type: contact.type,
    avatar: contact.avatar || null,
    gender: contact.gender ?? 0,
    corpName: contact.corp_name || null,
    corpFullName: contact.corp_full_name || null,
    position: contact.position || null,
    unionid: contact.unionid || null,
  };
}

export function followOf(follow: WeComFollow, fallbackAddedAt: Date): FollowValues {
  return {
    userid: follow.userid,
    remark: follow.remark ?? '',
    description: follow.description ?? '',
    remarkCorpName: follow.remark_corp_name ?? '',
    // WeCom answers [""] after the numbers were cleared.
    remarkMobiles: (follow.remark_mobiles ?? []).filter((m) => m !== ''),
    // Only corp tags (type 1) have ids shared across members; personal tags stay in WeCom.
    tagIds: (follow.tags ?? []).filter((t) => t.type === 1 && t.tag_id).map((t) => t.tag_id as string),
    addWay: follow.add_way ?? 0,
    state: follow.state || null,
    operUserid: follow.oper_userid || null,
    addedAt: follow.createtime ? new Date(follow.createtime * 1000) : fallbackAddedAt,
  };
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const key = (userid: string) => userid.toLowerCase();

/** `2026-05-01` means the whole day in China time: from its start, or to its end. */
function boundary(value: string | undefined, end: boolean): Date | undefined {
  if (!value) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T${end ? '23:59:59.999' : '00:00:00.000'}+08:00`);
  return new Date(value);
}

function toTimeline(row: EventRow): TimelineEntry {
  return { id: row.id, kind: row.kind, userid: row.userid, detail: row.detail, occurredAt: row.occurredAt.toISOString() };
}

export type CustomersService = ReturnType<typeof createCustomersService>;

export function createCustomersService(deps: CustomersServiceDeps) {
  const { repository } = deps;
  const purgeListeners = new Set<CustomersPurgedListener>();

  async function requireCorp(accountId: string) {
    return deps.departments.requireCorp(accountId);
  }

  /** The secret customer contact reads and writes with: its own, else an app's (可调用应用). */
  async function customerContactAccount(accountId: string): Promise<WeChatAccount> {
    const account = await deps.accounts.getAccount(accountId);
    const receivers = account.callbacks.map((c) => c.receiver);
    const receiver = wecomReceiverFor(receivers, 'customer-contact');
    if (!receiver) throw new AppError('WECOM_CUSTOMER_NO_RECEIVER', { name: account.name });
    return deps.accounts.wechatAccountFor(accountId, receiver);
  }

  /** Translates the policy's reach into the SQL filter of this corp's customers. */
  async function reachFor(context: RequestContext | null, accountId: string): Promise<CustomerReach> {
    const principal = context?.principal;
    if (!principal) return { kind: 'all' };
    const reach = reachOf(principal);
    if (reach.kind === 'all') return reach;
    if (reach.kind === 'own') return { kind: 'members', useridKeys: reach.members.filter((m) => m.accountId === accountId).map((m) => key(m.userid)) };
    const roots = reach.scopes.filter((s) => s.accountId === accountId).map((s) => s.departmentId);
    return { kind: 'departments', departmentIds: roots.length ? [...(await deps.departments.subtreeOf(accountId, roots))] : [] };
  }

  /** Does the reach cover this member (one of the customer's followers)? */
  async function reaches(reach: CustomerReach, accountId: string, userid: string): Promise<boolean> {
    if (reach.kind === 'all') return true;
    if (reach.kind === 'members') return reach.useridKeys.includes(key(userid));
    const placed = (await deps.members.departmentsOf(accountId, userid)) ?? [];
    return placed.some((d) => reach.departmentIds.includes(d));
  }

  function mayReadPhones(context: RequestContext | null): boolean {
    const principal = context?.principal;
    return !principal || principal.permissions.includes('wecom.customers.phones');
  }

  function toFollower(row: FollowWithMember, phones: boolean): Follower {
    return {
      userid: row.userid,
      memberName: row.memberName,
      remark: row.remark,
      description: row.description,
      remarkCorpName: row.remarkCorpName,
      remarkMobiles: phones ? row.remarkMobiles : row.remarkMobiles.map(maskMobile),
      tagIds: row.tagIds,
      addWay: row.addWay,
      state: row.state,
      operUserid: row.operUserid,
      addedAt: row.addedAt.toISOString(),
      status: row.status,
      endedAt: iso(row.endedAt),
    };
  }

  function toCustomer(row: CustomerRow, follows: FollowWithMember[], phones: boolean): Customer {
    const first = [...follows].sort((a, b) => a.addedAt.getTime() - b.addedAt.getTime())[0];
    const current = follows.find((f) => f.status === 'active');
    const purgeAfter = row.status === 'lost' && row.lostAt ? new Date(row.lostAt.getTime() + deps.settings.retentionDays * 86_400_000) : null;
    return {
      externalUserId: row.externalUserid,
      name: row.name,
      type: row.type === 2 ? 'wecom' : 'wechat',
      avatar: row.avatar,
      gender: genders[row.gender] ?? 'unknown',
      corpName: row.corpName,
      corpFullName: row.corpFullName,
      position: row.position,
      unionid: row.unionid,
      status: row.status,
      firstAddedAt: row.firstAddedAt.toISOString(),
      lostAt: iso(row.lostAt),
      tagIds: row.tagIds,
      source: first ? { state: first.state, addWay: first.addWay, userid: first.userid } : null,
      remark: current?.remark ?? '',
      followers: follows.map((f) => toFollower(f, phones)),
      consent: row.consent ?? null,
      purgeAfter: iso(purgeAfter),
      syncedAt: iso(row.syncedAt),
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  async function filterOf(context: RequestContext | null, accountId: string, query: CustomerFilterQuery): Promise<CustomerFilter> {
    const reach = await reachFor(context, accountId);
    return {
      accountId,
      reach,
      status: query.status,
      ...(query.userid ? { useridKey: key(query.userid) } : {}),
      ...(query.departmentId !== undefined ? { departmentIds: [...(await deps.departments.subtreeOf(accountId, [query.departmentId]))] } : {}),
      ...(query.tagId ? { tagId: query.tagId } : {}),
      ...(query.source ? { source: query.source } : {}),
      ...(query.addedFrom ? { addedFrom: boundary(query.addedFrom, false) } : {}),
      ...(query.addedTo ? { addedTo: boundary(query.addedTo, true) } : {}),
      ...(query.q ? { q: query.q } : {}),
    };
  }

  async function page(
    context: RequestContext | null,
    accountId: string,
    filter: CustomerFilter,
    cursor: string | undefined,
    limit: number,
    withTotal: boolean,
  ): Promise<Page<Customer> & { totalCapped?: boolean }> {
    const decoded = cursor ? decodeCursor(cursor) : null;
    if (cursor && (!decoded || typeof decoded[0] !== 'string' || typeof decoded[1] !== 'string' || Number.isNaN(Date.parse(decoded[0])))) {
      throw new AppError('WECOM_CUSTOMER_CURSOR_INVALID');
    }
    const after = decoded ? { firstAddedAt: new Date(decoded[0] as string), externalUserid: decoded[1] as string } : null;
    const rows = await repository.list(filter, after, limit + 1);
    const shown = rows.slice(0, limit);
    const follows = await repository.followsOf(accountId, shown.map((r) => r.externalUserid));
    const byCustomer = new Map<string, FollowWithMember[]>();
    for (const f of follows) byCustomer.set(f.externalUserid, [...(byCustomer.get(f.externalUserid) ?? []), f]);
    const phones = mayReadPhones(context);
    const last = shown.at(-1);
    return {
      items: shown.map((row) => toCustomer(row, byCustomer.get(row.externalUserid) ?? [], phones)),
      nextCursor: rows.length > limit && last ? encodeCursor([last.firstAddedAt.toISOString(), last.externalUserid]) : null,
      ...(withTotal ? await totalOf(filter) : {}),
    };
  }

  async function totalOf(filter: CustomerFilter): Promise<{ total: number; totalCapped: boolean }> {
    const { total, capped } = await repository.count(filter);
    return { total, totalCapped: capped };
  }

  /** The customer if the caller reaches any member who follows (or followed) it; 404 otherwise, so nothing leaks. */
  async function visibleCustomer(context: RequestContext | null, accountId: string, externalUserid: string) {
    const row = await repository.findCustomer(accountId, externalUserid);
    const notFound = new AppError('WECOM_CUSTOMER_NOT_FOUND', { externalUserId: externalUserid });
    if (!row) throw notFound;
    const follows = await repository.followsOf(accountId, [externalUserid]);
    const reach = await reachFor(context, accountId);
    let visible = reach.kind === 'all';
    for (const f of follows) if (!visible && (await reaches(reach, accountId, f.userid))) visible = true;
    if (!visible) throw notFound;
    return { row, follows, reach };
  }

  async function detail(context: RequestContext | null, accountId: string, externalUserid: string): Promise<CustomerDetail> {
    const { row, follows, reach } = await visibleCustomer(context, accountId, externalUserid);
    const timeline = await repository.timeline(accountId, externalUserid, TIMELINE_LIMIT);
    return { ...toCustomer(row, follows, mayReadPhones(context)), timeline: await visibleEntries(reach, accountId, timeline) };
  }

  /**
   * Seeing a customer (through any of its members) is not seeing every
   * member's notes on it: an entry of a member-scoped kind shows only to a
   * caller who reaches that member, as its follow-up list does.
   */
  async function visibleEntries(reach: CustomerReach, accountId: string, rows: EventRow[]): Promise<TimelineEntry[]> {
    if (reach.kind === 'all') return rows.map(toTimeline);
    const reached = new Map<string, boolean>();
    const shown: TimelineEntry[] = [];
    for (const row of rows) {
      if (memberScopedKinds.has(row.kind)) {
        if (!row.userid) continue;
        const member = key(row.userid);
        if (!reached.has(member)) reached.set(member, await reaches(reach, accountId, row.userid));
        if (!reached.get(member)) continue;
      }
      shown.push(toTimeline(row));
    }
    return shown;
  }

  /**
   * Writes what WeCom says about a customer and the follows it lists, and the
   * timeline entries the differences mean: a follow that was not current is
   * `added` (keyed by member and WeCom's createtime, so the callback and a
   * later sync write it once), a changed remark is `edited`, changed tags
   * `tags_changed`. Writing the same answer again changes nothing.
   */
  async function applyFromWeCom(repo: CustomersRepository, accountId: string, contact: WeComContact, follows: WeComFollow[], options: { eventState?: { userid: string; state: string } } = {}): Promise<void> {
    const now = deps.clock.now();
    const values = follows.map((f) => {
      const v = followOf(f, now);
      if (!v.state && options.eventState && key(options.eventState.userid) === key(v.userid)) v.state = options.eventState.state;
      return v;
    });
    const firstAddedAt = values.reduce((min, v) => (v.addedAt < min ? v.addedAt : min), values[0]?.addedAt ?? now);
    const before = new Map((await repo.followsOf(accountId, [contact.external_userid])).map((f) => [key(f.userid), f]));
    await repo.upsertProfile(accountId, profileOf(contact), firstAddedAt, now);
    for (const v of values) {
      const prev = before.get(key(v.userid));
      await repo.upsertFollow(accountId, contact.external_userid, v, now);
      const event = (kind: string, detailOf: Record<string, unknown>, dedupeKey: string | null, occurredAt = now): NewEvent => ({
        accountId,
        externalUserid: contact.external_userid,
        userid: v.userid,
        kind,
        detail: detailOf,
        dedupeKey,
        actorUserId: null,
        occurredAt,
      });
      if (!prev || prev.status !== 'active') {
        await repo.insertEvent(event('added', { addWay: v.addWay, state: v.state, operUserid: v.operUserid }, `added:${key(v.userid)}:${Math.floor(v.addedAt.getTime() / 1000)}`, v.addedAt));
        continue;
      }
      const change = followChange(prev, v);
      if (!change) continue;
      if (change.fields.length > 0) await repo.insertEvent(event('edited', { fields: change.fields }, null));
      if (change.addedTags.length > 0 || change.removedTags.length > 0) await repo.insertEvent(event('tags_changed', { added: change.addedTags, removed: change.removedTags }, null));
    }
    await repo.refreshCustomer(accountId, contact.external_userid, now);
  }

  /** externalcontact/get, every page of followers. */
  async function fetchCustomer(account: WeChatAccount, externalUserid: string): Promise<{ contact: WeComContact; follows: WeComFollow[] }> {
    let answer = await deps.wechat.call(account, wecomCustomerGet, undefined, { external_userid: externalUserid });
    const contact = answer.external_contact;
    const follows: WeComFollow[] = [...answer.follow_user];
    while (answer.next_cursor) {
      answer = await deps.wechat.call(account, wecomCustomerGet, undefined, { external_userid: externalUserid, cursor: answer.next_cursor });
      follows.push(...answer.follow_user);
    }
    return { contact, follows };
  }

  const service = {
    customerContactAccount,
    applyFromWeCom,

    async list(context: RequestContext, accountId: string, query: ListCustomersQuery): Promise<Page<Customer> & { totalCapped?: boolean }> {
      await requireCorp(accountId);
      return page(context, accountId, await filterOf(context, accountId, query), query.cursor, query.limit, query.withTotal === true);
    },

    async get(context: RequestContext | null, accountId: string, externalUserid: string): Promise<CustomerDetail> {
      await requireCorp(accountId);
      return detail(context, accountId, externalUserid);
    },

    /**
     * Edits a member's remark, description or phone numbers (written to WeCom
     * first with externalcontact/remark; a refusal changes nothing here) and
     * the customer's consent record. The caller must reach the member.
     */
    async update(context: RequestContext, accountId: string, externalUserid: string, body: UpdateCustomerBody): Promise<CustomerDetail> {
      await requireCorp(accountId);
      const { follows, reach } = await visibleCustomer(context, accountId, externalUserid);
      const now = deps.clock.now();
      const remarkChange = body.remark !== undefined || body.description !== undefined || body.remarkMobiles !== undefined;
      let target: FollowWithMember | undefined;
      if (remarkChange) {
        const problem = checkRemark(body);
        if (problem) throw new AppError(problem.code, problem.details);
        const mine: FollowWithMember[] = [];
        for (const f of follows) if (f.status === 'active' && (await reaches(reach, accountId, f.userid))) mine.push(f);
        if (body.userid) {
          target = follows.find((f) => key(f.userid) === key(body.userid as string));
          if (!target || !(await reaches(reach, accountId, target.userid))) throw new AppError('WECOM_CUSTOMER_FOLLOW_NOT_FOUND', { userid: body.userid, externalUserId: externalUserid });
          if (target.status !== 'active') throw new AppError('WECOM_CUSTOMER_FOLLOW_ENDED', { userid: target.userid });
        } else {
          if (mine.length !== 1) {
            if (mine.length === 0) throw new AppError('WECOM_CUSTOMER_FOLLOW_ENDED', { userid: follows.map((f) => f.userid).join(', ') });
            throw new AppError('WECOM_CUSTOMER_FOLLOWER_REQUIRED', { userids: mine.map((f) => f.userid).join(', ') });
          }
          target = mine[0];
        }
        const follow = target as FollowWithMember;
        const account = await customerContactAccount(accountId);
        await deps.wechat.call(account, wecomCustomerRemark, {
          userid: follow.userid,
          external_userid: externalUserid,
          ...(body.remark !== undefined ? { remark: body.remark } : {}),
          ...(body.description !== undefined ? { description: body.description } : {}),
          // WeCom clears the numbers on [""], not on [].
          ...(body.remarkMobiles !== undefined ? { remark_mobiles: body.remarkMobiles.length ? body.remarkMobiles : [''] } : {}),
        });
      }
      await repository.transaction(async (repo, tx) => {
        if (target) {
          const values = {
            ...(body.remark !== undefined ? { remark: body.remark } : {}),
            ...(body.description !== undefined ? { description: body.description } : {}),
            ...(body.remarkMobiles !== undefined ? { remarkMobiles: body.remarkMobiles } : {}),
          };
          await repo.setRemark(accountId, externalUserid, target.userid, values, now);
          const fields = Object.keys(values);
          await repo.insertEvent({ accountId, externalUserid, userid: target.userid, kind: 'remark_updated', detail: { fields }, dedupeKey: null, actorUserId: context.principal?.userId ?? null, occurredAt: now });
          await deps.audit.record(
            context,
            {
              action: 'wecom.customer.remark',
              targetType: 'wecom_customer',
              targetId: `${accountId}:${externalUserid}`,
              summary: { userid: target.userid, fields, ...(body.remark !== undefined ? { from: target.remark, to: body.remark } : {}) },
            },
            tx,
          );
        }
        if (body.consent !== undefined) {
          const consent = body.consent ? { givenAt: new Date(body.consent.givenAt).toISOString(), source: body.consent.source, note: body.consent.note } : null;
          await repo.setConsent(accountId, externalUserid, consent, now);
          await repo.insertEvent({ accountId, externalUserid, userid: null, kind: 'consent_updated', detail: consent ? { ...consent } : { cleared: true }, dedupeKey: null, actorUserId: context.principal?.userId ?? null, occurredAt: now });
          await deps.audit.record(context, { action: 'wecom.customer.consent', targetType: 'wecom_customer', targetId: `${accountId}:${externalUserid}`, summary: { consent } }, tx);
        }
      });
      return detail(context, accountId, externalUserid);
    },

    /** 客户联系概览: adds and losses per member and per day, within the same reach as the list. */
    async overview(context: RequestContext, accountId: string, query: CustomersOverviewQuery): Promise<CustomersOverview> {
      await requireCorp(accountId);
      return customersOverview({ repository, departments: deps.departments }, { accountId, reach: await reachFor(context, accountId), query, now: deps.clock.now() });
    },

    /** Starts a full sync as a job (one at a time per corp). */
    async startSync(context: RequestContext, accountId: string): Promise<StartedJob> {
      await requireCorp(accountId);
      await customerContactAccount(accountId);
      const running = await deps.queue.list({ kind: customerSyncJob, state: 'running', limit: 100 });
      const queued = await deps.queue.list({ kind: customerSyncJob, state: 'queued', limit: 100 });
      const busy = [...running.items, ...queued.items].find((job) => job.accountId === accountId);
      if (busy) throw new AppError('WECOM_CUSTOMER_SYNC_RUNNING', { jobId: busy.id });
      const job = await deps.queue.enqueue(customerSyncJob, { accountId }, { accountId, ...(context.principal ? { createdBy: context.principal.userId } : {}) });
      await deps.audit.record(context, { action: 'wecom.customers.sync', targetType: 'account', targetId: accountId, summary: { jobId: job.id } });
      return { id: job.id, kind: job.kind, state: job.state };
    },

    /**
     * The filtered list as .xlsx, one row per customer and member. Counts
     * against the caller's daily exports (QIAO_CUSTOMER_EXPORTS_PER_DAY) and
     * is audited with its filters and row count.
     */
    async exportCustomers(context: RequestContext, accountId: string, query: CustomerFilterQuery, locale: Locale) {
      await requireCorp(accountId);
      const userId = context.principal?.userId;
      if (!userId) throw new AppError('WECOM_CUSTOMER_EXPORT_NOT_ALLOWED');
      const filter = await filterOf(context, accountId, query);
      const now = deps.clock.now();
      const day = chinaDayBounds(now);
      const limit = deps.settings.exportsPerDay;
      const exportId = await repository.reserveExport({ accountId, userId, since: day.start, limit, now });
      if (!exportId) {
        await deps.audit.record(context, { action: 'wecom.customers.export', outcome: 'refused', targetType: 'wecom_account', targetId: accountId, summary: { filters: query, limit } });
        throw new AppError('WECOM_CUSTOMER_EXPORT_LIMIT', { limit, resetAt: day.end.toISOString() });
      }
      const phones = mayReadPhones(context);
      async function* pages(): AsyncIterable<Customer[]> {
        let cursor: string | undefined;
        for (;;) {
          const next = await page(context, accountId, filter, cursor, EXPORT_PAGE, false);
          yield next.items;
          if (!next.nextCursor) return;
          cursor = next.nextCursor;
        }
      }
      const stamp = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
      return {
        filename: `${locale === 'en-US' ? 'customers' : '客户'}-${stamp}.xlsx`,
        write: async (output: Writable) => {
          const rows = await writeCustomerRows(output, pages(), locale);
          await repository.setExportRows(exportId, rows);
          await deps.audit.record(context, {
            action: 'wecom.customers.export',
            targetType: 'wecom_account',
            targetId: accountId,
            summary: { filters: query, rows, phonesUnmasked: phones },
          });
        },
      };
    },

    /**
     * Removes what the retention period no longer keeps; run daily. A purged
     * customer's records in other modules go in the transaction that deletes
     * it (see `onCustomersPurged`), a batch of customers at a time.
     */
    async purgeExpired(): Promise<{ customers: number; follows: number; events: number }> {
      const cutoff = new Date(deps.clock.now().getTime() - deps.settings.retentionDays * 86_400_000);
      let customers = 0;
      for (;;) {
        const purged = await repository.transaction(async (repo, tx) => {
          const doomed = await repo.purgeLostCustomers(cutoff, PURGE_BATCH);
          let n = 0;
          for (const [accountId, externalUserids] of doomed) {
            n += externalUserids.length;
            for (const listener of purgeListeners) await listener(accountId, externalUserids, tx);
          }
          return n;
        });
        customers += purged;
        if (purged < PURGE_BATCH) break;
      }
      return { customers, ...(await repository.transaction((repo) => repo.purgeEndedFollows(cutoff))) };
    },

    /** Follows the retention purge; returns the unsubscribe. */
    onCustomersPurged(listener: CustomersPurgedListener): () => void {
      purgeListeners.add(listener);
      return () => purgeListeners.delete(listener);
    },

    // What other modules use (through index.ts).

    /** A customer with its followers (phones unmasked), or null; no scope check: callers apply their own. */
    async findCustomer(accountId: string, externalUserid: string): Promise<Customer | null> {
      const row = await repository.findCustomer(accountId, externalUserid);
      if (!row) return null;
      return toCustomer(row, await repository.followsOf(accountId, [externalUserid]), true);
    },

    /** May this caller see the customer (it reaches a member who follows or followed it)? */
    async mayAccessCustomer(context: RequestContext | null, accountId: string, externalUserid: string): Promise<boolean> {
      try {
        await visibleCustomer(context, accountId, externalUserid);
        return true;
      } catch (error) {
        if (isAppError(error) && error.code === 'WECOM_CUSTOMER_NOT_FOUND') return false;
        throw error;
      }
    },

    /**
     * Adds an entry to a customer's timeline (welcome sent or failed, a
     * transfer's result, a follow-up). A `dedupeKey` makes repeated writes
     * land once (answers false for a repeat). `tx`, another module's open
     * transaction, commits the entry with that module's own write.
     */
    async recordTimelineEvent(
      accountId: string,
      externalUserid: string,
      event: { kind: TimelineKind; userid?: string | null; detail?: Record<string, unknown>; dedupeKey?: string | null; actorUserId?: string | null; occurredAt?: Date },
      tx?: unknown,
    ): Promise<boolean> {
      return (tx ? repository.within(tx) : repository).insertEvent({
        accountId,
        externalUserid,
        kind: event.kind,
        userid: event.userid ?? null,
        detail: event.detail ?? {},
        dedupeKey: event.dedupeKey ?? null,
        actorUserId: event.actorUserId ?? null,
        occurredAt: event.occurredAt ?? deps.clock.now(),
      });
    },

    /** Rewrites the detail of the timeline entry written with `dedupeKey` (what it describes was edited); false when there is none. */
    async reviseTimelineEvent(accountId: string, externalUserid: string, dedupeKey: string, detailOf: Record<string, unknown>, tx?: unknown): Promise<boolean> {
      return (tx ? repository.within(tx) : repository).reviseEvent(accountId, externalUserid, dedupeKey, detailOf);
    },

    /** Removes the timeline entry written with `dedupeKey` (what it describes was deleted); false when there is none. */
    async removeTimelineEvent(accountId: string, externalUserid: string, dedupeKey: string, tx?: unknown): Promise<boolean> {
      return (tx ? repository.within(tx) : repository).deleteEvent(accountId, externalUserid, dedupeKey);
    },

    /**
     * These members' departments changed (the members module calls this in
     * the transaction `tx` that wrote them): the department filter and a
     * dept_admin's reach read the customer row's `department_ids`, so the
     * rows of every customer they follow or followed are rewritten with it.
     */
    async memberDepartmentsChanged(accountId: string, userids: readonly string[], tx: unknown): Promise<void> {
      await (tx ? repository.within(tx) : repository).refreshMemberDepartments(accountId, userids);
    },

    /** Reads one customer from WeCom (externalcontact/get) and writes it; used by callbacks. */
    async refreshFromWeCom(accountId: string, externalUserid: string, eventState?: { userid: string; state: string }): Promise<void> {
      const account = await customerContactAccount(accountId);
      const { contact, follows } = await fetchCustomer(account, externalUserid);
      await repository.transaction((repo) => applyFromWeCom(repo, accountId, contact, follows, eventState ? { eventState } : {}));
    },
  };
  return service;
}

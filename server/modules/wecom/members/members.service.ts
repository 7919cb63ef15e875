import { AppError } from '../../../../common/errors';
import { decodeCursor, encodeCursor, type Page } from '../../../../common/paging';
import type { AuditRecorder } from '../../../platform/audit';
import type { Clock } from '../../../platform/clock';
import type { Db } from '../../../platform/db/client';
import {
  createDepartmentsRepository,
  departmentLimits,
  reachesDepartment,
  reachesMember,
  type Actor,
  type DepartmentsService,
  type DirectoryReach,
  type Problem,
  type Tree,
  type WriteOrigin,
} from '../departments';
import { checkMembers, useridKey, type MemberInput, type MemberRuleContext } from './member-rules';
import type { MemberRecord, MembersRepository, MemberVisibilityValue, NewMemberRow } from './members.repository';
import type { CreateMemberBody, ListMembersQuery, Member, UpdateMemberBody } from './members.schema';
import type { MemberSnapshot } from './members.tables';
import { uniqueViolationOf } from '../../../platform/db/unique-violation';

export interface MembersServiceDeps {
  db: Db;
  repository: MembersRepository;
  departments: DepartmentsService;
  audit: AuditRecorder;
  clock: Clock;
}

export interface UpsertMembersOptions {
  /** Department paths nobody created yet are created (import); otherwise they are a problem of the row. */
  createMissingDepartments?: boolean;
  origin: WriteOrigin;
  /**
   * Runs inside the batch's transaction once it is written, so a caller's own
   * bookkeeping (an import's checkpoint) commits with the members or not at all.
   */
  alongside?: (tx: unknown, outcome: UpsertMembersOutcome) => Promise<void>;
  /**
   * Every input is a new member (the console's create): one that exists by the time this transaction reads
   * the directory, e.g. created by a simultaneous request, is refused rather than edited.
   */
  onlyNew?: boolean;
}

export interface UpsertMembersOutcome {
  created: number;
  updated: number;
  unchanged: number;
  departmentsCreated: number;
}

/** One problem of a batch: which input (0-based index), whose userid, and the broken rule. */
export interface MemberProblem extends Problem {
  index: number;
  userid: string;
}

export type MembersService = ReturnType<typeof createMembersService>;

export function memberSnapshotOf(record: MemberRecord): MemberSnapshot {
  const { row } = record;
  return {
    userid: row.userid,
    name: row.name,
    alias: row.alias,
    mobile: row.mobile,
    email: row.email,
    position: row.position,
    gender: row.gender,
    telephone: row.telephone,
    status: row.status,
    mainDepartmentId: row.mainDepartmentId,
    departments: record.departments.map((d) => ({ departmentId: d.departmentId, order: d.order, isLeader: d.isLeader })),
  };
}

/** A snapshot with its keys in one order: jsonb does not keep the order they were written in. */
function canonical(s: MemberSnapshot): MemberSnapshot {
  return {
    userid: s.userid,
    name: s.name,
    alias: s.alias ?? null,
    mobile: s.mobile ?? null,
    email: s.email ?? null,
    position: s.position ?? null,
    gender: s.gender,
    telephone: s.telephone ?? null,
    status: s.status,
    mainDepartmentId: s.mainDepartmentId,
    departments: s.departments.map((d) => ({ departmentId: d.departmentId, order: d.order, isLeader: d.isLeader })),
  };
}

const sameSnapshot = (a: MemberSnapshot | null | undefined, b: MemberSnapshot) => !!a && JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

function toMember(record: MemberRecord): Member {
  const snapshot = memberSnapshotOf(record);
  return {
    ...snapshot,
    departments: snapshot.departments.map((d) => ({ ...d, isMain: d.departmentId === snapshot.mainDepartmentId })),
    synced: sameSnapshot(record.row.syncedSnapshot, snapshot),
    createdAt: record.row.createdAt.toISOString(),
    updatedAt: record.row.updatedAt.toISOString(),
  };
}

const departmentIdsOf = (record: MemberRecord) => record.departments.map((d) => d.departmentId);

/** Paths of every live department below the root, "华东区/上海店" → id. */
function pathsOf(tree: Tree): Map<string, number> {
  const paths = new Map<string, number>();
  const walk = (id: number, prefix: string) => {
    for (const child of tree.children.get(id) ?? []) {
      const path = prefix ? `${prefix}/${tree.nodes.get(child)!.name}` : tree.nodes.get(child)!.name;
      paths.set(path, child);
      walk(child, path);
    }
  };
  walk(departmentLimits.rootId, '');
  return paths;
}

function throwProblems(problems: MemberProblem[]): never {
  const first = problems[0]!;
  if (problems.length === 1) throw new AppError(first.code, { ...first.details, userid: first.userid, field: first.field });
  throw new AppError('WECOM_MEMBERS_INVALID', { count: problems.length, userid: first.userid, field: first.field, problem: first.code, problems });
}

/** Told, inside the transaction that wrote them (`tx`, null outside one), which members' departments changed. */
export type PlacementsListener = (accountId: string, userids: readonly string[], tx: unknown) => Promise<void>;

export function createMembersService(deps: MembersServiceDeps) {
  const { repository, departments } = deps;
  // The customers module keeps each customer's followers' departments on the customer row.
  const placementsListeners = new Set<PlacementsListener>();
  async function placementsChanged(accountId: string, userids: readonly string[], tx: unknown): Promise<void> {
    if (userids.length === 0) return;
    for (const listener of placementsListeners) await listener(accountId, userids, tx);
  }

  async function findRecord(repo: MembersRepository, accountId: string, userid: string): Promise<MemberRecord | null> {
    const record = (await repo.findMany(accountId, [userid])).get(useridKey(userid));
    return record && !record.row.deletedAt ? record : null;
  }

  async function requireVisible(actor: Actor, accountId: string, userid: string): Promise<{ record: MemberRecord; reach: DirectoryReach }> {
    const record = await findRecord(repository, accountId, userid);
    if (!record) throw new AppError('WECOM_MEMBER_NOT_FOUND', { userid });
    const reach = await departments.reach(actor, accountId);
    if (!reachesMember(reach, { userid: record.row.userid, departmentIds: departmentIdsOf(record) })) {
      // Members outside a member-role caller's view do not exist for it; a dept_admin learns why it was refused.
      if (actor?.principal?.role === 'member') throw new AppError('WECOM_MEMBER_NOT_FOUND', { userid });
      throw new AppError('WECOM_MEMBER_OUT_OF_SCOPE', { userid: record.row.userid });
    }
    return { record, reach };
  }

  /**
   * Validates and writes a batch in the caller's transaction: WeCom's rules,
   * uniqueness (userid ignoring case, mobile, email), the caller's reach,
   * departments by id or by path (created on request).
   */
  async function applyMembers(repo: MembersRepository, tx: unknown, actor: Actor, accountId: string, inputs: readonly MemberInput[], options: UpsertMembersOptions) {
    const departmentsRepo = createDepartmentsRepository(tx as Db);
    const tree = await departments.treeIn(departmentsRepo, accountId);
    const reach = await departments.reach(actor, accountId, tree, departmentsRepo);
    const paths = pathsOf(tree);
    const existing = await repo.findMany(accountId, inputs.map((i) => i.userid ?? ''));
    const liveExisting = (input: MemberInput) => {
      const record = existing.get(useridKey(input.userid ?? ''));
      return record && !record.row.deletedAt ? record : null;
    };
    if (options.onlyNew) {
      for (const input of inputs) {
        const taken = liveExisting(input);
        if (taken) throw new AppError('WECOM_MEMBER_USERID_TAKEN', { userid: input.userid, existing: taken.row.userid });
      }
    }
    const contextOf = (input: MemberInput): MemberRuleContext => {
      const record = liveExisting(input);
      return {
        departmentIds: new Set(tree.nodes.keys()),
        departmentPaths: new Set(paths.keys()),
        createMissingDepartments: options.createMissingDepartments,
        existing: record ? memberSnapshotOf(record) : null,
        requireContact: options.origin !== 'sync',
      };
    };
    const problems: MemberProblem[] = checkMembers(inputs, contextOf).map(({ index, userid, problem }) => ({ index, userid, ...problem }));

    // Mobile and email are unique in a corp (60104 and WeCom's email check), against stored members and within the batch.
    const finalContact = new Map<string, { mobile: string | null; email: string | null }>();
    inputs.forEach((input) => {
      const record = liveExisting(input);
      finalContact.set(useridKey(input.userid ?? ''), {
        mobile: input.mobile === undefined ? (record?.row.mobile ?? null) : input.mobile,
        email: input.email === undefined ? (record?.row.email ?? null) : input.email,
      });
    });
    const owners = await repo.contactOwners(
      accountId,
      [...finalContact.values()].flatMap((c) => (c.mobile ? [c.mobile] : [])),
      [...finalContact.values()].flatMap((c) => (c.email ? [c.email] : [])),
    );
    const mobileOwner = new Map<string, string>();
    const emailOwner = new Map<string, string>();
    for (const owner of owners) {
      const ownerKey = useridKey(owner.userid);
      const changed = finalContact.get(ownerKey);
      if (owner.mobile && (!changed || changed.mobile === owner.mobile)) mobileOwner.set(owner.mobile, owner.userid);
      if (owner.email && (!changed || changed.email?.toLowerCase() === owner.email.toLowerCase())) emailOwner.set(owner.email.toLowerCase(), owner.userid);
    }
    inputs.forEach((input, index) => {
      const key = useridKey(input.userid ?? '');
      const contact = finalContact.get(key)!;
      const mobileHolder = contact.mobile ? mobileOwner.get(contact.mobile) : undefined;
      if (contact.mobile && mobileHolder && useridKey(mobileHolder) !== key) {
        problems.push({ index, userid: input.userid, field: 'mobile', code: 'WECOM_MEMBER_MOBILE_TAKEN', details: { value: contact.mobile, existing: mobileHolder } });
      } else if (contact.mobile) mobileOwner.set(contact.mobile, input.userid);
      const emailHolder = contact.email ? emailOwner.get(contact.email.toLowerCase()) : undefined;
      if (contact.email && emailHolder && useridKey(emailHolder) !== key) {
        problems.push({ index, userid: input.userid, field: 'email', code: 'WECOM_MEMBER_EMAIL_TAKEN', details: { value: contact.email, existing: emailHolder } });
      } else if (contact.email) emailOwner.set(contact.email.toLowerCase(), input.userid);
    });

    // Reach: a dept_admin touches only members in its subtrees, and only adds or removes departments inside them.
    const outside = (departmentId: number | undefined) => departmentId !== undefined && !reachesDepartment(reach, departmentId);
    inputs.forEach((input, index) => {
      const record = liveExisting(input);
      if (record && !reachesMember(reach, { userid: record.row.userid, departmentIds: departmentIdsOf(record) })) {
        problems.push({ index, userid: input.userid, field: 'userid', code: 'WECOM_MEMBER_OUT_OF_SCOPE', details: { userid: record.row.userid } });
        return;
      }
      if (!input.departments) return;
      const before = new Set(record ? departmentIdsOf(record) : []);
      const after = new Set(input.departments.map((d) => d.departmentId ?? (d.path ? paths.get(d.path.map((n) => n.trim()).join('/')) : undefined)));
      for (const id of [...before].filter((d) => !after.has(d)).concat([...after].filter((d): d is number => d !== undefined && !before.has(d)))) {
        if (outside(id)) problems.push({ index, userid: input.userid, field: 'departments', code: 'WECOM_DEPARTMENT_OUT_OF_SCOPE', details: { departmentId: id } });
      }
    });
    if (problems.length > 0) throwProblems(problems.sort((a, b) => a.index - b.index));

    const missingPaths = inputs.flatMap((i) => (i.departments ?? []).flatMap((d) => (d.departmentId === undefined && d.path && !paths.has(d.path.map((n) => n.trim()).join('/')) ? [d.path] : [])));
    const ensured = await departments.ensurePaths(departmentsRepo, actor, accountId, missingPaths);
    const idOf = (ref: { departmentId?: number; path?: string[] }): number =>
      ref.departmentId ?? paths.get((ref.path ?? []).map((n) => n.trim()).join('/')) ?? ensured.ids.get((ref.path ?? []).map((n) => n.trim()).join('/'))!;

    const now = deps.clock.now();
    const outcome: UpsertMembersOutcome = { created: 0, updated: 0, unchanged: 0, departmentsCreated: ensured.created.length };
    const inserts: NewMemberRow[] = [];
    const replaced: string[] = [];
    const newDepartments: MemberRecord['departments'] = [];
    const changes: { userid: string; before: MemberSnapshot | null; after: MemberSnapshot }[] = [];
    for (const input of inputs) {
      const stored = existing.get(useridKey(input.userid));
      const record = stored && !stored.row.deletedAt ? stored : null;
      const current = record ? memberSnapshotOf(record) : null;
      const refs = input.departments?.map((d) => ({ departmentId: idOf(d), order: d.order ?? 0, isLeader: d.isLeader ?? false, isMain: d.isMain ?? false }));
      const pick = <T>(value: T | undefined, fallback: T): T => (value === undefined ? fallback : value);
      const next: MemberSnapshot = {
        userid: stored?.row.userid ?? input.userid,
        name: (input.name ?? current?.name ?? '').trim(),
        alias: pick(input.alias, current?.alias ?? null) || null,
        mobile: pick(input.mobile, current?.mobile ?? null) || null,
        email: pick(input.email, current?.email ?? null) || null,
        position: pick(input.position, current?.position ?? null) || null,
        gender: pick(input.gender, current?.gender ?? 'unknown') ?? 'unknown',
        telephone: pick(input.telephone, current?.telephone ?? null) || null,
        status: input.status ?? current?.status ?? 'inactive',
        mainDepartmentId: refs ? (refs.find((d) => d.isMain) ?? refs[0]!).departmentId : current!.mainDepartmentId,
        departments: refs ? refs.map(({ departmentId, order, isLeader }) => ({ departmentId, order, isLeader })) : current!.departments,
      };
      const syncedSnapshot = options.origin === 'sync' ? next : (stored?.row.syncedSnapshot ?? null);
      if (current && sameSnapshot(current, next) && (options.origin !== 'sync' || sameSnapshot(stored?.row.syncedSnapshot, next))) {
        outcome.unchanged += 1;
        continue;
      }
      const { departments: placements, ...values } = next;
      if (stored) {
        await repo.update(accountId, stored.row.userid, { ...values, syncedSnapshot, deletedAt: null, updatedAt: now });
        outcome.updated += record ? 1 : 0;
        outcome.created += record ? 0 : 1;
      } else {
        inserts.push({ accountId, ...values, syncedSnapshot, createdAt: now, updatedAt: now });
        outcome.created += 1;
      }
      if (!current || JSON.stringify(canonical(current).departments) !== JSON.stringify(canonical(next).departments)) {
        replaced.push(next.userid);
        placements.forEach((d, position) => newDepartments.push({ accountId, userid: next.userid, departmentId: d.departmentId, order: d.order, isLeader: d.isLeader, position }));
      }
      changes.push({ userid: next.userid, before: current, after: next });
    }
    await repo.insertMany(inserts);
    await repo.replaceDepartments(accountId, replaced, newDepartments);
    await placementsChanged(accountId, replaced, tx);

    if (changes.length === 1 && options.origin === 'console') {
      const [change] = changes;
      await deps.audit.record(
        actor,
        { action: change!.before ? 'wecom.members.update' : 'wecom.members.create', targetType: 'wecom_member', targetId: `${accountId}:${change!.userid}`, summary: { before: change!.before, after: change!.after } },
        tx,
      );
    } else if (changes.length > 0) {
      await deps.audit.record(
        actor,
        { action: 'wecom.members.upsert', targetType: 'wecom_account', targetId: accountId, summary: { origin: options.origin, ...outcome, userids: changes.slice(0, 100).map((c) => c.userid) } },
        tx,
      );
    }
    return { outcome, departmentsChanged: ensured.created.length > 0 };
  }

  async function upsertMembers(actor: Actor, accountId: string, inputs: readonly MemberInput[], options: UpsertMembersOptions): Promise<UpsertMembersOutcome> {
    await departments.requireCorp(accountId);
    const { outcome, departmentsChanged } = await repository.transaction(async (repo, tx) => {
      if (options.createMissingDepartments) await createDepartmentsRepository(tx as Db).lockTree(accountId);
      const applied = await applyMembers(repo, tx, actor, accountId, inputs, options);
      await options.alongside?.(tx, applied.outcome);
      return applied;
    });
    if (departmentsChanged) await departments.invalidateTree(accountId);
    return outcome;
  }

  return {
    upsertMembers,

    /** Follows changes of members' departments (a move, a new member, a hard delete); returns the unsubscribe. */
    onPlacementsChanged(listener: PlacementsListener): () => void {
      placementsListeners.add(listener);
      return () => placementsListeners.delete(listener);
    },

    async list(actor: Actor, accountId: string, query: ListMembersQuery): Promise<Page<Member>> {
      await departments.requireCorp(accountId);
      const tree = await departments.tree(accountId);
      const reach = await departments.reach(actor, accountId, tree);
      let departmentIds: number[] | undefined;
      if (query.departmentId !== undefined) {
        const wanted = query.includeSubdepartments ? await departments.subtreeOf(accountId, [query.departmentId]) : new Set([query.departmentId]);
        departmentIds = [...wanted].filter((id) => reachesDepartment(reach, id));
      } else if (reach.kind === 'departments') departmentIds = [...reach.departmentIds];
      const cursor = query.cursor ? decodeCursor(query.cursor) : null;
      const afterUserid = typeof cursor?.[0] === 'string' ? cursor[0] : undefined;
      const filter = {
        accountId,
        departmentIds,
        onlyUserids: reach.kind === 'departments' ? reach.onlyUserids : undefined,
        status: query.status,
        q: query.q?.trim() || undefined,
      };
      const records = await repository.list({ ...filter, afterUserid, limit: query.limit + 1 });
      const items = records.slice(0, query.limit).map(toMember);
      const nextCursor = records.length > query.limit ? encodeCursor([items[items.length - 1]!.userid]) : null;
      // Counting is a second scan; the first page carries it, later pages keep what the caller saw.
      const total = query.cursor ? undefined : await repository.count(filter);
      return { items, nextCursor, ...(total === undefined ? {} : { total }) };
    },

    async get(actor: Actor, accountId: string, userid: string): Promise<Member> {
      await departments.requireCorp(accountId);
      return toMember((await requireVisible(actor, accountId, userid)).record);
    },

    async create(actor: Actor, accountId: string, body: CreateMemberBody): Promise<Member> {
      await departments.requireCorp(accountId);
      await repository.transaction((repo, tx) => applyMembers(repo, tx, actor, accountId, [{ ...body, status: 'inactive' }], { origin: 'console', onlyNew: true })).catch((error: unknown) => {
        // Two requests creating the same userid (in any case) at once: the unique index decides.
        if (uniqueViolationOf(error)?.constraint === 'wecom_members_userid_lower_key') throw new AppError('WECOM_MEMBER_USERID_TAKEN', { userid: body.userid });
        throw error;
      });
      return toMember((await findRecord(repository, accountId, body.userid))!);
    },

    /** Edits; `status: 'active' | 'disabled'` enables or disables (a member that never joined stays 未激活). */
    async update(actor: Actor, accountId: string, userid: string, body: UpdateMemberBody): Promise<Member> {
      await departments.requireCorp(accountId);
      const { record } = await requireVisible(actor, accountId, userid);
      const { status, ...fields } = body;
      let nextStatus: MemberSnapshot['status'] | undefined;
      if (status === 'disabled') nextStatus = 'disabled';
      else if (status === 'active' && record.row.status === 'disabled') {
        nextStatus = record.row.syncedSnapshot && record.row.syncedSnapshot.status !== 'inactive' ? 'active' : 'inactive';
      }
      await repository.transaction((repo, tx) => applyMembers(repo, tx, actor, accountId, [{ userid: record.row.userid, ...fields, status: nextStatus }], { origin: 'console' }));
      return toMember((await findRecord(repository, accountId, record.row.userid))!);
    },

    /** Removes a member; one WeCom already has stays as a tombstone until sync pushes the deletion. */
    async remove(actor: Actor, accountId: string, userid: string): Promise<void> {
      await departments.requireCorp(accountId);
      const { record } = await requireVisible(actor, accountId, userid);
      await repository.transaction(async (repo, tx) => {
        const now = deps.clock.now();
        if (record.row.syncedSnapshot) await repo.update(accountId, record.row.userid, { deletedAt: now, updatedAt: now });
        else {
          await repo.hardDelete(accountId, record.row.userid);
          await placementsChanged(accountId, [record.row.userid], tx);
        }
        await deps.audit.record(actor, { action: 'wecom.members.delete', targetType: 'wecom_member', targetId: `${accountId}:${record.row.userid}`, summary: { before: memberSnapshotOf(record) } }, tx);
      });
    },

    /**
     * What checking a batch of incoming members needs of the directory, and no more: the live members with
     * these userids (ignoring case), and the live holders of these mobiles and emails. An import into a
     * corp of 50,000 reads only the members its rows touch, not the whole directory.
     */
    async membersTouchedBy(
      accountId: string,
      keys: { userids: readonly string[]; mobiles: readonly string[]; emails: readonly string[] },
    ): Promise<{ members: MemberRecord[]; contactOwners: { userid: string; mobile: string | null; email: string | null }[] }> {
      await departments.requireCorp(accountId);
      const found = await repository.findMany(accountId, keys.userids);
      return {
        members: [...found.values()].filter((record) => !record.row.deletedAt),
        contactOwners: await repository.contactOwners(accountId, keys.mobiles, keys.emails),
      };
    },

    /** Every member, tombstones included, a page at a time in userid order (sync, export). */
    async listAllMembers(accountId: string, options: { afterUserid?: string | null; limit?: number } = {}): Promise<MemberRecord[]> {
      await departments.requireCorp(accountId);
      return repository.listAllAfter(accountId, options.afterUserid ?? null, options.limit ?? 100_000);
    },

    /** After sync pushed a member or learnt WeCom's values: they become the agreed snapshot. */
    async markMembersSynced(accountId: string, userids: readonly string[]): Promise<void> {
      await repository.transaction(async (repo) => {
        for (const record of (await repo.findMany(accountId, userids)).values()) {
          if (!record.row.deletedAt) await repo.update(accountId, record.row.userid, { syncedSnapshot: memberSnapshotOf(record) });
        }
      });
    },

    /** Forgets a member for good: its deletion reached WeCom, or WeCom deleted it. */
    async purgeMember(accountId: string, userid: string): Promise<void> {
      const record = (await repository.findMany(accountId, [userid])).get(useridKey(userid));
      if (record) {
        await repository.hardDelete(accountId, record.row.userid);
        await placementsChanged(accountId, [record.row.userid], null);
      }
    },

    /** For the access policy: a member's departments, null when unknown. */
    async departmentsOf(accountId: string, userid: string): Promise<number[] | null> {
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(accountId)) return null;
      const record = await findRecord(repository, accountId, userid);
      return record ? departmentIdsOf(record) : null;
    },

    async visibility(accountId: string): Promise<MemberVisibilityValue> {
      await departments.requireCorp(accountId);
      return repository.visibility(accountId);
    },

    async setVisibility(actor: Actor, accountId: string, memberVisibility: MemberVisibilityValue): Promise<MemberVisibilityValue> {
      await departments.requireCorp(accountId);
      if (actor?.principal && actor.principal.role !== 'super_admin') throw new AppError('WECOM_VISIBILITY_SUPER_ADMIN_ONLY', {});
      await repository.transaction(async (repo, tx) => {
        const before = await repo.visibility(accountId);
        await repo.setVisibility(accountId, memberVisibility, deps.clock.now());
        await deps.audit.record(actor, { action: 'wecom.directory.visibility', targetType: 'wecom_account', targetId: accountId, summary: { before, after: memberVisibility } }, tx);
      });
      return memberVisibility;
    },
  };
}

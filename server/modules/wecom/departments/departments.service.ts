import { AppError } from '../../../../common/errors';
import type { AuditRecorder } from '../../../platform/audit';
import type { Cache } from '../../../platform/cache/cache';
import type { Clock } from '../../../platform/clock';
import type { RequestContext } from '../../../platform/http/principal';
import { checkDepartment, departmentLimits, nextDepartmentId, type DepartmentInput, type DepartmentNode, type Problem } from './department-rules';
import { ancestorIds, buildTree, createTreeCache, subtreeIds, treeOrder, type Tree } from './department-tree';
import type { DepartmentRow, DepartmentsRepository } from './departments.repository';
import type { CreateDepartmentBody, Department, UpdateDepartmentBody } from './departments.schema';
import type { DepartmentSnapshot } from './departments.tables';
import { reachOfPrincipal, reachesDepartment, type DirectoryReach } from './directory-scope';

/** Who asks: a request's context, or null for Qiao's own work (sync jobs), which reaches everything. */
export type Actor = RequestContext | null;
export type WriteOrigin = 'console' | 'import' | 'sync';

export interface DepartmentsServiceDeps {
  repository: DepartmentsRepository;
  cache: Cache;
  audit: AuditRecorder;
  clock: Clock;
  accounts: { findAccount(id: string): Promise<{ id: string; type: string; name: string } | null> };
}

/** A department as sync and import hand it over: WeCom's id and values. */
export interface DepartmentUpsert {
  id: number;
  parentId: number;
  name: string;
  nameEn?: string | null;
  order?: number;
  leaderUserids?: string[];
}

export interface UpsertOutcome {
  created: number;
  updated: number;
  unchanged: number;
}

export type DepartmentsService = ReturnType<typeof createDepartmentsService>;

export function snapshotOf(row: Pick<DepartmentRow, 'id' | 'parentId' | 'name' | 'nameEn' | 'order' | 'leaderUserids'>): DepartmentSnapshot {
  return { id: row.id, parentId: row.parentId, name: row.name, nameEn: row.nameEn ?? null, order: row.order, leaderUserids: [...row.leaderUserids] };
}

/** jsonb does not keep key order, so both sides are rebuilt in one order before comparing. */
const sameSnapshot = (a: DepartmentSnapshot | null | undefined, b: DepartmentSnapshot) => !!a && JSON.stringify(snapshotOf(a)) === JSON.stringify(snapshotOf(b));

/** The root's name comes from the account; WeCom's name rules still apply. */
function rootNameOf(accountName: string): string {
  const cleaned = [...accountName.replace(/[\\:*?"<>|]/g, '').trim()].slice(0, departmentLimits.maxNameChars).join('');
  return cleaned || '企业';
}

function firstProblem(code: 'WECOM_DEPARTMENTS_INVALID', problems: { departmentId: number; problem: Problem }[]): never {
  const first = problems[0]!;
  if (problems.length === 1) throw new AppError(first.problem.code, { ...first.problem.details, departmentId: first.departmentId });
  throw new AppError(code, { count: problems.length, departmentId: first.departmentId, field: first.problem.field, problem: first.problem.code, problems });
}

export function createDepartmentsService(deps: DepartmentsServiceDeps) {
  const { repository } = deps;
  const trees = createTreeCache({ cache: deps.cache, load: (accountId) => repository.listLive(accountId) });
  const rootsKnown = new Set<string>();

  async function ensureRoot(accountId: string, accountName: string): Promise<void> {
    if (rootsKnown.has(accountId)) return;
    const root = await repository.find(accountId, departmentLimits.rootId);
    if (!root) {
      const now = deps.clock.now();
      await repository.transaction(async (repo) => {
        await repo.lockTree(accountId);
        if (await repo.find(accountId, departmentLimits.rootId)) return;
        await repo.insert({ accountId, id: departmentLimits.rootId, parentId: 0, name: rootNameOf(accountName), order: 0, createdAt: now, updatedAt: now });
      });
      await trees.invalidate(accountId);
    }
    rootsKnown.add(accountId);
  }

  /** The corp behind an id, with its root department in place; 404 / 400 when it is not a WeCom corp. */
  async function requireCorp(accountId: string): Promise<{ id: string; name: string }> {
    const account = await deps.accounts.findAccount(accountId);
    if (!account) throw new AppError('ACCOUNT_NOT_FOUND', { id: accountId });
    if (account.type !== 'wecom') throw new AppError('WECOM_ACCOUNT_REQUIRED', { name: account.name });
    await ensureRoot(accountId, account.name);
    return account;
  }

  /**
   * The caller's reach. Inside a transaction pass its repository (and a tree read
   * through it): PGlite has one connection, so a query outside would wait forever.
   */
  async function reach(actor: Actor, accountId: string, tree?: Tree, repo: DepartmentsRepository = repository): Promise<DirectoryReach> {
    return reachOfPrincipal(actor?.principal ?? null, accountId, {
      tree: tree ?? (await trees.get(accountId)),
      visibility: () => repo.memberVisibility(accountId),
      ownDepartments: (userids) => repo.departmentsOfMembers(accountId, userids),
    });
  }

  /** The tree as the transaction sees it. */
  async function treeIn(repo: DepartmentsRepository, accountId: string): Promise<Tree> {
    return buildTree(await repo.listLive(accountId));
  }

  function requireReach(r: DirectoryReach, departmentId: number): void {
    if (!reachesDepartment(r, departmentId)) throw new AppError('WECOM_DEPARTMENT_OUT_OF_SCOPE', { departmentId });
  }

  function nodesOf(rows: readonly DepartmentRow[]): Map<number, DepartmentNode> {
    return new Map(rows.map((r) => [r.id, { id: r.id, parentId: r.parentId, name: r.name }]));
  }

  function toDepartment(row: DepartmentRow, memberCount: number): Department {
    return {
      id: row.id,
      parentId: row.parentId,
      name: row.name,
      nameEn: row.nameEn,
      order: row.order,
      leaderUserids: row.leaderUserids,
      memberCount,
      synced: sameSnapshot(row.syncedSnapshot, snapshotOf(row)),
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  /** Leaders must be members of the corp; stored with the member's own spelling of the userid. */
  async function canonicalLeaders(repo: DepartmentsRepository, accountId: string, leaders: string[] | undefined, origin: WriteOrigin): Promise<string[] | undefined> {
    if (leaders === undefined) return undefined;
    if (origin === 'sync') return [...new Set(leaders)];
    const known = await repo.existingUserids(accountId, leaders);
    const canonical: string[] = [];
    for (const userid of leaders) {
      const stored = known.get(userid.toLowerCase());
      if (!stored) throw new AppError('WECOM_DEPARTMENT_LEADER_UNKNOWN', { userid });
      if (!canonical.includes(stored)) canonical.push(stored);
    }
    return canonical;
  }

  async function get(actor: Actor, accountId: string, departmentId: number): Promise<Department> {
    await requireCorp(accountId);
    const row = await repository.find(accountId, departmentId);
    if (!row || row.deletedAt) throw new AppError('WECOM_DEPARTMENT_NOT_FOUND', { departmentId });
    requireReach(await reach(actor, accountId), departmentId);
    return toDepartment(row, await repository.memberCount(accountId, departmentId));
  }

  /**
   * Creates the departments of these name paths below the root that do not
   * exist yet (an import's 「华东区/上海店」), inside the caller's transaction.
   * Returns every path's department id and how many were created.
   */
  async function ensurePaths(
    repo: DepartmentsRepository,
    actor: Actor,
    accountId: string,
    paths: readonly (readonly string[])[],
  ): Promise<{ ids: Map<string, number>; created: DepartmentRow[] }> {
    const ids = new Map<string, number>();
    const created: DepartmentRow[] = [];
    if (paths.length === 0) return { ids, created };
    await repo.lockTree(accountId);
    const rows = await repo.listAll(accountId);
    const live = rows.filter((r) => !r.deletedAt);
    const byParentAndName = new Map(live.map((r) => [`${r.parentId}/${r.name}`, r.id]));
    const used = rows.map((r) => r.id);
    let tree: Tree | undefined;
    let callerReach: DirectoryReach | undefined;
    const now = deps.clock.now();
    for (const path of paths) {
      let parentId: number = departmentLimits.rootId;
      for (const rawName of path) {
        const name = rawName.trim();
        const existing = byParentAndName.get(`${parentId}/${name}`);
        if (existing !== undefined) {
          parentId = existing;
          continue;
        }
        callerReach ??= await reach(actor, accountId, (tree ??= buildTree(live)), repo);
        requireReach(callerReach, parentId);
        if (live.length + created.length >= departmentLimits.maxDepartments) throw new AppError('WECOM_DEPARTMENT_LIMIT', { max: departmentLimits.maxDepartments });
        const id = nextDepartmentId(used);
        used.push(id);
        const row: DepartmentRow = { accountId, id, parentId, name, nameEn: null, order: 0, leaderUserids: [], syncedSnapshot: null, deletedAt: null, createdAt: now, updatedAt: now };
        await repo.insert(row);
        created.push(row);
        if (callerReach.kind === 'departments') callerReach = { ...callerReach, departmentIds: new Set([...callerReach.departmentIds, id]) };
        byParentAndName.set(`${parentId}/${name}`, id);
        parentId = id;
      }
      ids.set(path.map((n) => n.trim()).join('/'), parentId);
    }
    return { ids, created };
  }

  const service = {
    requireCorp,
    reach,
    treeIn,
    get,
    ensurePaths,
    /** The corp's tree as currently stored (cached; reloaded after writes). */
    tree: (accountId: string) => trees.get(accountId),
    invalidateTree: (accountId: string) => trees.invalidate(accountId),

    /** Everything the caller may see, parents first. */
    async list(actor: Actor, accountId: string): Promise<Department[]> {
      await requireCorp(accountId);
      const tree = await trees.get(accountId);
      const r = await reach(actor, accountId, tree);
      const counts = await repository.memberCounts(accountId);
      const visible = r.kind === 'all' ? undefined : r.departmentIds;
      return treeOrder(tree, visible).map((id) => toDepartment(tree.nodes.get(id)!, counts.get(id) ?? 0));
    },

    async create(actor: Actor, accountId: string, body: CreateDepartmentBody): Promise<Department> {
      await requireCorp(accountId);
      const row = await repository.transaction(async (repo, tx) => {
        await repo.lockTree(accountId);
        const rows = await repo.listAll(accountId);
        const live = rows.filter((r) => !r.deletedAt);
        const nodes = nodesOf(live);
        const tombstoned = rows.some((r) => r.id === body.id && r.deletedAt);
        if (tombstoned) throw new AppError('WECOM_DEPARTMENT_ID_TAKEN', { departmentId: body.id! });
        const problems = checkDepartment(body, { departments: nodes });
        if (problems.length > 0) throw new AppError(problems[0]!.code, problems[0]!.details);
        requireReach(await reach(actor, accountId, buildTree(live), repo), body.parentId);
        if (live.length >= departmentLimits.maxDepartments) throw new AppError('WECOM_DEPARTMENT_LIMIT', { max: departmentLimits.maxDepartments });
        const now = deps.clock.now();
        const inserted: DepartmentRow = {
          accountId,
          id: body.id ?? nextDepartmentId(rows.map((r) => r.id)),
          parentId: body.parentId,
          name: body.name,
          nameEn: body.nameEn ?? null,
          order: body.order ?? 0,
          leaderUserids: (await canonicalLeaders(repo, accountId, body.leaderUserids, 'console')) ?? [],
          syncedSnapshot: null,
          deletedAt: null,
          createdAt: now,
          updatedAt: now,
        };
        await repo.insert(inserted);
        await deps.audit.record(actor, { action: 'wecom.departments.create', targetType: 'wecom_department', targetId: `${accountId}:${inserted.id}`, summary: { after: snapshotOf(inserted) } }, tx);
        return inserted;
      });
      await trees.invalidate(accountId);
      return toDepartment(row, 0);
    },

    /** Rename, move (no cycles, depth ≤ 15), reorder, change leaders. */
    async update(actor: Actor, accountId: string, departmentId: number, body: UpdateDepartmentBody): Promise<Department> {
      await requireCorp(accountId);
      const row = await repository.transaction(async (repo, tx) => {
        await repo.lockTree(accountId);
        const current = await repo.find(accountId, departmentId);
        if (!current || current.deletedAt) throw new AppError('WECOM_DEPARTMENT_NOT_FOUND', { departmentId });
        const r = await reach(actor, accountId, await treeIn(repo, accountId), repo);
        requireReach(r, departmentId);
        if (body.parentId !== undefined && body.parentId !== current.parentId) {
          if (departmentId === departmentLimits.rootId) throw new AppError('WECOM_DEPARTMENT_ROOT_FIXED', {});
          requireReach(r, body.parentId);
        }
        const nodes = nodesOf(await repo.listLive(accountId));
        const problems = checkDepartment(body, { departments: nodes, existing: nodes.get(departmentId) });
        if (problems.length > 0) throw new AppError(problems[0]!.code, { departmentId, ...problems[0]!.details });
        const leaders = await canonicalLeaders(repo, accountId, body.leaderUserids, 'console');
        const next: DepartmentRow = {
          ...current,
          parentId: body.parentId ?? current.parentId,
          name: body.name ?? current.name,
          nameEn: body.nameEn === undefined ? current.nameEn : body.nameEn,
          order: body.order ?? current.order,
          leaderUserids: leaders ?? current.leaderUserids,
          updatedAt: deps.clock.now(),
        };
        await repo.update(accountId, departmentId, next);
        await deps.audit.record(
          actor,
          { action: 'wecom.departments.update', targetType: 'wecom_department', targetId: `${accountId}:${departmentId}`, summary: { before: snapshotOf(current), after: snapshotOf(next) } },
          tx,
        );
        return next;
      });
      await trees.invalidate(accountId);
      return toDepartment(row, await repository.memberCount(accountId, departmentId));
    },

    /**
     * Deletes an empty department (no members, no sub-departments; never the
     * root). One WeCom never saw is removed; others stay as a tombstone until
     * sync pushes the deletion.
     */
    async remove(actor: Actor, accountId: string, departmentId: number): Promise<void> {
      await requireCorp(accountId);
      await repository.transaction(async (repo, tx) => {
        await repo.lockTree(accountId);
        const current = await repo.find(accountId, departmentId);
        if (!current || current.deletedAt) throw new AppError('WECOM_DEPARTMENT_NOT_FOUND', { departmentId });
        requireReach(await reach(actor, accountId, await treeIn(repo, accountId), repo), departmentId);
        if (departmentId === departmentLimits.rootId) throw new AppError('WECOM_DEPARTMENT_ROOT_FIXED', {});
        const children = (await repo.listLive(accountId)).filter((d) => d.parentId === departmentId).length;
        if (children > 0) throw new AppError('WECOM_DEPARTMENT_HAS_CHILDREN', { name: current.name, count: children });
        const members = await repo.memberCount(accountId, departmentId);
        if (members > 0) throw new AppError('WECOM_DEPARTMENT_HAS_MEMBERS', { name: current.name, count: members });
        if (current.syncedSnapshot) await repo.update(accountId, departmentId, { deletedAt: deps.clock.now(), updatedAt: deps.clock.now() });
        else await repo.hardDelete(accountId, departmentId);
        await deps.audit.record(actor, { action: 'wecom.departments.delete', targetType: 'wecom_department', targetId: `${accountId}:${departmentId}`, summary: { before: snapshotOf(current) } }, tx);
      });
      await trees.invalidate(accountId);
    },

    /**
     * Creates or changes departments by WeCom id in one transaction, parents
     * before children, with WeCom's rules; idempotent. `origin: 'sync'` means
     * the values came from WeCom: they become the synced snapshot too.
     * Throws WECOM_DEPARTMENTS_INVALID (or the single rule's code) listing problems.
     */
    async upsertDepartments(actor: Actor, accountId: string, inputs: readonly DepartmentUpsert[], options: { origin: WriteOrigin }): Promise<UpsertOutcome> {
      await requireCorp(accountId);
      const outcome = await repository.transaction(async (repo, tx) => {
        await repo.lockTree(accountId);
        const rows = await repo.listAll(accountId);
        const byId = new Map(rows.map((r) => [r.id, r]));
        const nodes = nodesOf(rows.filter((r) => !r.deletedAt));
        const baseReach = await reach(actor, accountId, buildTree(rows.filter((row) => !row.deletedAt)), repo);
        const createdHere = new Set<number>();
        const reaches = (id: number) => reachesDepartment(baseReach, id) || createdHere.has(id);
        // Parents first, whatever order the caller used.
        const pending = new Map(inputs.map((i) => [i.id, i]));
        const ordered: DepartmentUpsert[] = [];
        const place = (input: DepartmentUpsert, seen: Set<number>) => {
          if (!pending.has(input.id) || seen.has(input.id)) return;
          seen.add(input.id);
          const parent = pending.get(input.parentId);
          if (parent) place(parent, seen);
          pending.delete(input.id);
          ordered.push(input);
        };
        for (const input of inputs) place(input, new Set());
        const problems: { departmentId: number; problem: Problem }[] = [];
        const counts: UpsertOutcome = { created: 0, updated: 0, unchanged: 0 };
        const now = deps.clock.now();
        for (const input of ordered) {
          const current = byId.get(input.id);
          const existing = current && !current.deletedAt ? nodes.get(input.id) : undefined;
          const ruleInput: DepartmentInput = existing ? { parentId: input.parentId, name: input.name, nameEn: input.nameEn, order: input.order } : input;
          const found = input.id === departmentLimits.rootId && !existing ? [] : checkDepartment(ruleInput, { departments: nodes, existing });
          if (found.length > 0) {
            problems.push(...found.map((problem) => ({ departmentId: input.id, problem })));
            continue;
          }
          if (!reaches(existing ? input.id : input.parentId) || (existing && input.id !== departmentLimits.rootId && !reaches(input.parentId))) {
            problems.push({ departmentId: input.id, problem: { field: 'parentId', code: 'WECOM_DEPARTMENT_OUT_OF_SCOPE', details: { departmentId: input.id } } });
            continue;
          }
          const leaders = (await canonicalLeaders(repo, accountId, input.leaderUserids, options.origin)) ?? current?.leaderUserids ?? [];
          const values = {
            parentId: input.id === departmentLimits.rootId ? 0 : input.parentId,
            name: input.name.trim(),
            nameEn: input.nameEn === undefined ? (current?.nameEn ?? null) : input.nameEn,
            order: input.order ?? current?.order ?? 0,
            leaderUserids: leaders,
          };
          const snapshot = snapshotOf({ id: input.id, ...values });
          const syncedSnapshot = options.origin === 'sync' ? snapshot : (current?.syncedSnapshot ?? null);
          const syncedAlready = options.origin !== 'sync' || sameSnapshot(current?.syncedSnapshot, snapshot);
          if (current && !current.deletedAt && sameSnapshot(snapshotOf(current), snapshot) && syncedAlready) {
            counts.unchanged += 1;
            continue;
          }
          if (current) {
            await repo.update(accountId, input.id, { ...values, syncedSnapshot, deletedAt: null, updatedAt: now });
            counts.updated += 1;
          } else {
            await repo.insert({ accountId, id: input.id, ...values, syncedSnapshot, createdAt: now, updatedAt: now });
            counts.created += 1;
            createdHere.add(input.id);
          }
          nodes.set(input.id, { id: input.id, parentId: values.parentId, name: values.name });
        }
        if (problems.length > 0) firstProblem('WECOM_DEPARTMENTS_INVALID', problems);
        if (counts.created + counts.updated > 0) {
          await deps.audit.record(actor, { action: 'wecom.departments.upsert', targetType: 'wecom_account', targetId: accountId, summary: { origin: options.origin, ...counts } }, tx);
        }
        return counts;
      });
      if (outcome.created + outcome.updated > 0) await trees.invalidate(accountId);
      return outcome;
    },

    /** Every department row, tombstones included, for sync and export. */
    async listAllDepartments(accountId: string): Promise<DepartmentRow[]> {
      await requireCorp(accountId);
      return repository.listAll(accountId);
    },

    /** After sync pushed a department or learnt WeCom's values: they become the agreed snapshot. */
    async markDepartmentsSynced(accountId: string, ids: readonly number[]): Promise<void> {
      await repository.transaction(async (repo) => {
        for (const id of ids) {
          const row = await repo.find(accountId, id);
          if (row && !row.deletedAt) await repo.update(accountId, id, { syncedSnapshot: snapshotOf(row) });
        }
      });
    },

    /** Forgets a department for good: its deletion reached WeCom, or WeCom deleted it. */
    async purgeDepartment(accountId: string, id: number): Promise<void> {
      await repository.hardDelete(accountId, id);
      await trees.invalidate(accountId);
    },

    /** For the access policy: ancestors from the cached tree. */
    async ancestorsOf(accountId: string, departmentId: number): Promise<number[]> {
      // Scopes may name a corp that is not connected (yet): it has no tree.
      if (!isUuid(accountId)) return [];
      return ancestorIds(await trees.get(accountId), departmentId);
    },

    /** Departments below (and including) these, from the cached tree. */
    async subtreeOf(accountId: string, roots: Iterable<number>): Promise<Set<number>> {
      return subtreeIds(await trees.get(accountId), roots);
    },
  };
  return service;
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

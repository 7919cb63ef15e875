import type { Logger } from 'pino';
import type { Clock } from '../../../platform/clock';
import type { CallbackSubscriptions } from '../../system/callbacks';
import { departmentFields, memberFields } from './directory-diff';
import type { DirectorySyncRepository } from './directory-sync.repository';
import type { DepartmentValues, MemberValues, SyncKind } from './directory-sync.schema';
import type { DirectoryAccess } from './directory-sync.service';
import { diffEntity, sameValue, type DiffEntry, type LocalSide } from './three-way-diff';

export interface ContactCallbackDeps {
  repository: DirectorySyncRepository;
  directory: DirectoryAccess;
  subscribe: CallbackSubscriptions['subscribe'];
  clock: Clock;
  logger: Logger;
}

/** What change_contact carries about a member; absent fields did not change (or are withheld). */
export interface UserChange {
  userId: string;
  newUserId?: string | undefined;
  name?: string | undefined;
  department?: string[] | undefined;
  isLeaderInDept?: string[] | undefined;
  mainDepartment?: string | undefined;
  mobile?: string | undefined;
  position?: string | undefined;
  gender?: number | undefined;
  email?: string | undefined;
  status?: number | undefined;
  alias?: string | undefined;
  telephone?: string | undefined;
}

export interface PartyChange {
  id: string;
  name?: string | undefined;
  parentId?: string | undefined;
  order?: string | undefined;
}

const statusByCode: Record<number, MemberValues['status']> = { 1: 'active', 2: 'disabled', 4: 'inactive', 5: 'resigned' };
const genderByCode: Record<number, MemberValues['gender']> = { 0: 'unknown', 1: 'male', 2: 'female' };
const blankToNull = (value: string): string | null => (value === '' ? null : value);

function newMember(userid: string): MemberValues {
  return { userid, name: userid, alias: null, mobile: null, email: null, position: null, gender: 'unknown', telephone: null, status: 'inactive', mainDepartmentId: 1, departments: [{ departmentId: 1, order: 0, isLeader: false }] };
}

/** The member as WeCom now holds it: what Qiao last knew, with the callback's fields laid over. */
export function memberAfter(known: MemberValues | null, change: UserChange): MemberValues {
  const next: MemberValues = { ...(known ?? newMember(change.userId)) };
  if (change.newUserId) next.userid = change.newUserId;
  if (change.name !== undefined) next.name = change.name;
  if (change.position !== undefined) next.position = blankToNull(change.position);
  if (change.mobile !== undefined) next.mobile = blankToNull(change.mobile);
  if (change.email !== undefined) next.email = blankToNull(change.email);
  if (change.alias !== undefined) next.alias = blankToNull(change.alias);
  if (change.telephone !== undefined) next.telephone = blankToNull(change.telephone);
  if (change.gender !== undefined) next.gender = genderByCode[change.gender] ?? next.gender;
  if (change.status !== undefined) next.status = statusByCode[change.status] ?? next.status;
  if (change.department && change.department.length > 0) {
    const before = new Map(next.departments.map((d) => [d.departmentId, d]));
    next.departments = change.department.map((id, i) => ({
      departmentId: Number(id),
      order: before.get(Number(id))?.order ?? 0,
      isLeader: change.isLeaderInDept?.[i] === undefined ? (before.get(Number(id))?.isLeader ?? false) : change.isLeaderInDept[i] === '1',
    }));
    if (!next.departments.some((d) => d.departmentId === next.mainDepartmentId)) next.mainDepartmentId = next.departments[0]!.departmentId;
  }
  if (change.mainDepartment) next.mainDepartmentId = Number(change.mainDepartment);
  return next;
}

export function departmentAfter(known: DepartmentValues | null, change: PartyChange): DepartmentValues {
  const next: DepartmentValues = { ...(known ?? { id: Number(change.id), parentId: 1, name: change.id, nameEn: null, order: 0, leaderUserids: [] }) };
  if (change.name !== undefined) next.name = change.name;
  if (change.parentId !== undefined && change.parentId !== '') next.parentId = Number(change.parentId);
  if (change.order !== undefined && change.order !== '') next.order = Number(change.order);
  return next;
}

/** Qiao holds changes of its own that WeCom has not received yet. */
function hasUnpushed<V>(local: LocalSide<V>): boolean {
  return local.values === null || local.snapshot === null || !sameValue(local.values, local.snapshot);
}

/**
 * Keeps Qiao in step from WeCom's contact-change callbacks. A row without
 * unpushed changes takes WeCom's values at once; a row Qiao changed meanwhile
 * is left alone and the difference lands in the corp's open "callback" run,
 * where it is shown and decided like any comparison.
 */
export function subscribeContactCallbacks(deps: ContactCallbackDeps): () => void {
  const { repository, directory } = deps;
  const logger = deps.logger.child({ module: 'directory-sync-callbacks' });

  async function record<V extends MemberValues | DepartmentValues>(accountId: string, kind: SyncKind, key: string, entries: DiffEntry<V>[]): Promise<void> {
    if (entries.length === 0) return;
    await repository.transaction(async (repo) => {
      const run = (await repo.findOpenCallbackRun(accountId)) ?? (await repo.insertRun({ accountId, trigger: 'callback', state: 'ready', createdAt: deps.clock.now() }));
      await repo.deletePendingItemsFor(run.id, kind, key);
      let seq = await repo.nextSeq(run.id);
      await repo.insertItems(
        entries.map((entry) => {
          const shown = (entry.local ?? entry.remote ?? entry.base) as V | null;
          const deletion = kind === 'department' && (entry.action === 'push-delete' || entry.action === 'pull-delete');
          return {
            runId: run.id,
            phase: kind === 'member' ? 1 : deletion ? 2 : 0,
            seq: seq++,
            kind,
            key,
            label: shown?.name ?? key,
            action: entry.action,
            fields: entry.fields,
            unavailableFields: entry.unavailableFields,
            local: entry.local,
            remote: entry.remote,
            base: entry.base,
            departmentIds:
              kind === 'member'
                ? [...new Set([entry.local, entry.remote, entry.base].flatMap((v) => (v ? (v as MemberValues).departments.map((d) => d.departmentId) : [])))]
                : [Number(key)],
          };
        }),
      );
      await repo.updateRun(run.id, { counts: await repo.countItems(run.id) });
    });
  }

  async function onMember(accountId: string, change: UserChange, deleted: boolean): Promise<void> {
    const local = await directory.findMember(accountId, change.userId);
    const remote = deleted ? null : memberAfter(local?.snapshot ?? local?.values ?? null, change);
    if (local && hasUnpushed(local)) {
      await record(accountId, 'member', local.values?.userid ?? change.userId, diffEntity<MemberValues>(memberFields, local, remote ? { values: remote, unavailable: [] } : null));
      return;
    }
    try {
      if (!remote) {
        if (local) await directory.purgeMember(accountId, change.userId);
        return;
      }
      if (change.newUserId && change.newUserId.toLowerCase() !== change.userId.toLowerCase()) await directory.purgeMember(accountId, change.userId);
      await directory.upsertMember(null, accountId, remote);
      await repository.writeSnapshot('member', accountId, remote.userid, remote);
    } catch (error) {
      // WeCom's change stays visible for a person to apply once Qiao can take it (e.g. its department arrives).
      logger.warn({ err: error, accountId, userid: change.userId }, 'could not apply a member change from WeCom; recorded for review');
      await record(accountId, 'member', change.userId, diffEntity<MemberValues>(memberFields, local, remote ? { values: remote, unavailable: [] } : null));
    }
  }

  async function onDepartment(accountId: string, change: PartyChange, deleted: boolean): Promise<void> {
    const id = Number(change.id);
    if (!Number.isInteger(id)) return;
    const local = await directory.findDepartment(accountId, id);
    const remote = deleted ? null : departmentAfter(local?.snapshot ?? local?.values ?? null, change);
    const entries = () => diffEntity<DepartmentValues>(departmentFields, local, remote ? { values: remote, unavailable: [] } : null);
    if (local && hasUnpushed(local)) {
      await record(accountId, 'department', String(id), entries());
      return;
    }
    try {
      if (!remote) {
        if (local) await directory.purgeDepartment(accountId, id);
        return;
      }
      await directory.upsertDepartment(null, accountId, remote);
      await repository.writeSnapshot('department', accountId, String(id), remote);
    } catch (error) {
      logger.warn({ err: error, accountId, departmentId: id }, 'could not apply a department change from WeCom; recorded for review');
      await record(accountId, 'department', String(id), entries());
    }
  }

  const offs = [
    deps.subscribe('wecom.change_contact.create_user', ({ event, account }) => onMember(account.id, event, false)),
    deps.subscribe('wecom.change_contact.update_user', ({ event, account }) => onMember(account.id, event, false)),
    deps.subscribe('wecom.change_contact.delete_user', ({ event, account }) => onMember(account.id, event, true)),
    deps.subscribe('wecom.change_contact.create_party', ({ event, account }) => onDepartment(account.id, event, false)),
    deps.subscribe('wecom.change_contact.update_party', ({ event, account }) => onDepartment(account.id, event, false)),
    deps.subscribe('wecom.change_contact.delete_party', ({ event, account }) => onDepartment(account.id, event, true)),
  ];
  return () => {
    for (const off of offs) off();
  };
}

import type { Clock } from '../../platform/clock';
import {
  checkDepartmentId,
  checkDepartmentName,
  checkDepthUnder,
  checkMemberDepartments,
  checkMemberFields,
  checkOrder,
  checkParentId,
  checkReachable,
  checkUserid,
  MAX_BATCH_DELETE,
  MAX_DEPARTMENTS,
  MAX_NODES_PER_DEPARTMENT,
  ROOT_DEPARTMENT_ID,
  useridKey,
  type RuleFailure,
} from './rules';
import type { WeComCaller } from './scope';
import type { DepartmentRow, MemberDepartmentRow, MemberRow, MemberWithDepartments, WeComRepository } from './wecom.repository';
import type { MemberProfile } from './wecom.tables';
import { weComError } from './wecom-errors';

export function raise(failure: RuleFailure | null): void {
  if (failure) throw weComError(failure.errcode, failure.field);
}

/** The department tree of one corp, loaded once per call. */
export class DepartmentTree {
  readonly byId = new Map<number, DepartmentRow>();
  readonly children = new Map<number, DepartmentRow[]>();

  constructor(rows: DepartmentRow[]) {
    for (const row of rows) this.byId.set(row.id, row);
    for (const row of rows) {
      const siblings = this.children.get(row.parentId) ?? [];
      siblings.push(row);
      this.children.set(row.parentId, siblings);
    }
    for (const siblings of this.children.values()) siblings.sort((a, b) => b.order - a.order || a.id - b.id);
  }

  /** Level of a department: the root is 1. */
  level(id: number): number {
    let level = 0;
    for (let current = this.byId.get(id); current; current = this.byId.get(current.parentId)) level++;
    return level;
  }

  /** Levels below and including `id` (a leaf is 1). */
  height(id: number): number {
    const below = (this.children.get(id) ?? []).map((child) => this.height(child.id));
    return 1 + (below.length ? Math.max(...below) : 0);
  }

  /** `id` and everything under it, parents before children, siblings by order. */
  subtree(id: number): DepartmentRow[] {
    const start = this.byId.get(id);
    if (!start) return [];
    const out: DepartmentRow[] = [];
    const queue = [start];
    while (queue.length) {
      const next = queue.shift() as DepartmentRow;
      out.push(next);
      queue.push(...(this.children.get(next.id) ?? []));
    }
    return out;
  }

  isInside(id: number, ancestor: number): boolean {
    for (let current = this.byId.get(id); current; current = this.byId.get(current.parentId)) {
      if (current.id === ancestor) return true;
    }
    return false;
  }

  siblingNamed(parentId: number, name: string, except?: number): DepartmentRow | undefined {
    return (this.children.get(parentId) ?? []).find((row) => row.name === name && row.id !== except);
  }
}

export function departmentJson(row: DepartmentRow) {
  return {
    id: row.id,
    name: row.name,
    ...(row.nameEn ? { name_en: row.nameEn } : {}),
    department_leader: row.leaders,
    parentid: row.parentId,
    order: row.order,
  };
}

// Apps created after 2022-06-20 no longer read these; the contacts-sync secret still does.
const SENSITIVE = ['avatar', 'thumb_avatar', 'gender', 'mobile', 'email', 'biz_mail', 'qr_code', 'address'] as const;

/** A member as `user/get` and `user/list` answer it for this caller. */
export function memberJson(member: MemberWithDepartments, caller: WeComCaller) {
  const p = member.profile;
  const full: Record<string, unknown> = {
    userid: member.userid,
    name: member.name,
    department: member.departments.map((d) => d.departmentId),
    order: member.departments.map((d) => d.order),
    position: p.position ?? '',
    mobile: member.mobile ?? '',
    gender: p.gender ?? '0',
    email: member.email ?? '',
    biz_mail: p.bizMail ?? '',
    is_leader_in_dept: member.departments.map((d) => (d.isLeader ? 1 : 0)),
    direct_leader: p.directLeader ?? [],
    avatar: '',
    thumb_avatar: '',
    telephone: p.telephone ?? '',
    alias: p.alias ?? '',
    address: p.address ?? '',
    extattr: p.extattr ?? { attrs: [] },
    status: member.status,
    qr_code: `https://open.work.weixin.qq.com/wwopen/userQRCode?vcode=${encodeURIComponent(member.useridKey)}`,
    external_position: p.externalPosition ?? '',
    external_profile: p.externalProfile ?? { external_corp_name: '', external_attr: [] },
    main_department: member.mainDepartment,
  };
  if (caller.kind !== 'contacts') for (const field of SENSITIVE) delete full[field];
  return full;
}

export interface MemberInput {
  userid: string;
  new_userid?: string | undefined;
  name?: string | undefined;
  alias?: string | undefined;
  mobile?: string | undefined;
  department?: number[] | undefined;
  order?: number[] | undefined;
  position?: string | undefined;
  gender?: string | undefined;
  email?: string | undefined;
  biz_mail?: string | undefined;
  telephone?: string | undefined;
  is_leader_in_dept?: number[] | undefined;
  direct_leader?: string[] | undefined;
  enable?: number | undefined;
  extattr?: Record<string, unknown> | undefined;
  external_position?: string | undefined;
  external_profile?: Record<string, unknown> | undefined;
  address?: string | undefined;
  main_department?: number | undefined;
}

function profileChanges(input: MemberInput, base: MemberProfile = {}): MemberProfile {
  const next: MemberProfile = { ...base };
  if (input.alias !== undefined) next.alias = input.alias;
  if (input.position !== undefined) next.position = input.position;
  if (input.gender !== undefined) next.gender = input.gender;
  if (input.biz_mail !== undefined) next.bizMail = input.biz_mail;
  if (input.telephone !== undefined) next.telephone = input.telephone;
  if (input.address !== undefined) next.address = input.address;
  if (input.direct_leader !== undefined) next.directLeader = input.direct_leader;
  if (input.extattr !== undefined) next.extattr = input.extattr;
  if (input.external_position !== undefined) next.externalPosition = input.external_position;
  if (input.external_profile !== undefined) next.externalProfile = input.external_profile;
  if (input.enable !== undefined) next.enable = input.enable;
  return next;
}

function departmentRows(corpId: string, key: string, input: MemberInput, departments: number[]): MemberDepartmentRow[] {
  return departments.map((departmentId, position) => ({
    corpId,
    useridKey: key,
    departmentId,
    position,
    order: input.order?.[position] ?? 0,
    isLeader: input.is_leader_in_dept?.[position] === 1,
  }));
}

/** Departments and members: WeCom's rules, errcodes and answers. */
export function createDirectory(deps: { repository: WeComRepository; clock: Clock }) {
  const { repository } = deps;

  async function tree(corpId: string): Promise<DepartmentTree> {
    return new DepartmentTree(await repository.listDepartments(corpId));
  }

  async function checkNodeRoom(repo: WeComRepository, corpId: string, departmentId: number): Promise<void> {
    const { departments, members } = await repo.countChildren(corpId, departmentId);
    if (departments + members >= MAX_NODES_PER_DEPARTMENT) throw weComError(81001, String(departmentId));
  }

  async function checkUniqueContacts(repo: WeComRepository, corpId: string, key: string, mobile: string | undefined, email: string | undefined): Promise<void> {
    if (mobile) {
      const holder = await repo.findMemberByContact(corpId, 'mobile', mobile);
      if (holder && holder.useridKey !== key) throw weComError(60104, 'mobile');
    }
    if (email) {
      const holder = await repo.findMemberByContact(corpId, 'email', email);
      if (holder && holder.useridKey !== key) throw weComError(60106, 'email');
    }
  }

  async function requireDepartments(repo: WeComRepository, corpId: string, ids: number[]): Promise<void> {
    const found = await repo.findDepartments(corpId, ids);
    const missing = ids.find((id) => !found.some((row) => row.id === id));
    if (missing !== undefined) throw weComError(60123, `department ${missing}`);
  }

  async function requireMember(corpId: string, userid: string): Promise<MemberWithDepartments> {
    const member = await repository.findMember(corpId, useridKey(userid));
    if (!member) throw weComError(60111, userid);
    return member;
  }

  return {
    tree,

    async createDepartment(caller: WeComCaller, input: { name: string; name_en?: string | undefined; parentid: number; order?: number | undefined; id?: number | undefined }) {
      raise(checkDepartmentName(input.name));
      if (input.name_en !== undefined) raise(checkDepartmentName(input.name_en, 'name_en'));
      raise(checkParentId(input.parentid));
      raise(checkOrder(input.order));
      if (input.id !== undefined) raise(checkDepartmentId(input.id));
      return repository.transaction(async (tx) => {
        const current = new DepartmentTree(await tx.listDepartments(caller.corpId));
        if (!current.byId.has(input.parentid)) throw weComError(60004, 'parentid');
        raise(checkDepthUnder(current.level(input.parentid)));
        if (current.byId.size >= MAX_DEPARTMENTS) throw weComError(81001, 'departments');
        if (input.id !== undefined && current.byId.has(input.id)) throw weComError(60008, 'id');
        if (current.siblingNamed(input.parentid, input.name)) throw weComError(60008, 'name');
        const { departments, members } = await tx.countChildren(caller.corpId, input.parentid);
        if (departments + members >= MAX_NODES_PER_DEPARTMENT) throw weComError(81001, 'parentid');
        const id = input.id ?? Math.max(ROOT_DEPARTMENT_ID, ...current.byId.keys()) + 1;
        await tx.insertDepartments([
          { corpId: caller.corpId, id, name: input.name, nameEn: input.name_en ?? null, parentId: input.parentid, order: input.order ?? 0, leaders: [] },
        ]);
        return { errcode: 0, errmsg: 'created', id };
      });
    },

    async updateDepartment(caller: WeComCaller, input: { id: number; name?: string | undefined; name_en?: string | undefined; parentid?: number | undefined; order?: number | undefined }) {
      if (input.name !== undefined) raise(checkDepartmentName(input.name));
      if (input.name_en !== undefined) raise(checkDepartmentName(input.name_en, 'name_en'));
      if (input.parentid !== undefined) raise(checkParentId(input.parentid));
      raise(checkOrder(input.order));
      return repository.transaction(async (tx) => {
        const current = new DepartmentTree(await tx.listDepartments(caller.corpId));
        const row = current.byId.get(input.id);
        if (!row) throw weComError(60003, 'id');
        const parentId = input.parentid ?? row.parentId;
        if (input.parentid !== undefined && input.parentid !== row.parentId) {
          if (row.id === ROOT_DEPARTMENT_ID) throw weComError(60124, 'parentid');
          if (!current.byId.has(parentId)) throw weComError(60004, 'parentid');
          if (current.isInside(parentId, row.id)) throw weComError(60010, 'parentid');
          raise(checkDepthUnder(current.level(parentId), current.height(row.id)));
          const { departments, members } = await tx.countChildren(caller.corpId, parentId);
          if (departments + members >= MAX_NODES_PER_DEPARTMENT) throw weComError(81001, 'parentid');
        }
        const name = input.name ?? row.name;
        if ((input.name !== undefined || input.parentid !== undefined) && current.siblingNamed(parentId, name, row.id)) throw weComError(60008, 'name');
        await tx.updateDepartment(caller.corpId, row.id, {
          name,
          ...(input.name_en !== undefined ? { nameEn: input.name_en } : {}),
          parentId,
          ...(input.order !== undefined ? { order: input.order } : {}),
        });
        return { errcode: 0, errmsg: 'updated' };
      });
    },

    async deleteDepartment(caller: WeComCaller, id: number) {
      if (id === ROOT_DEPARTMENT_ID) throw weComError(60007, 'id');
      return repository.transaction(async (tx) => {
        if (!(await tx.findDepartment(caller.corpId, id))) throw weComError(60003, 'id');
        const { departments, members } = await tx.countChildren(caller.corpId, id);
        if (members > 0) throw weComError(60005, 'id');
        if (departments > 0) throw weComError(60006, 'id');
        await tx.deleteDepartments(caller.corpId, [id]);
        return { errcode: 0, errmsg: 'deleted' };
      });
    },

    async listDepartments(caller: WeComCaller, id: number | undefined) {
      const current = await tree(caller.corpId);
      const start = id ?? ROOT_DEPARTMENT_ID;
      if (!current.byId.has(start)) throw weComError(60003, 'id');
      return { errcode: 0, errmsg: 'ok', department: current.subtree(start).map(departmentJson) };
    },

    async simpleListDepartments(caller: WeComCaller, id: number | undefined) {
      const current = await tree(caller.corpId);
      const start = id ?? ROOT_DEPARTMENT_ID;
      if (!current.byId.has(start)) throw weComError(60003, 'id');
      return { errcode: 0, errmsg: 'ok', department_id: current.subtree(start).map((row) => ({ id: row.id, parentid: row.parentId, order: row.order })) };
    },

    async getDepartment(caller: WeComCaller, id: number) {
      const row = await repository.findDepartment(caller.corpId, id);
      if (!row) throw weComError(60003, 'id');
      return { errcode: 0, errmsg: 'ok', department: departmentJson(row) };
    },

    async createMember(caller: WeComCaller, input: MemberInput) {
      raise(checkUserid(input.userid));
      raise(checkMemberFields(input));
      raise(checkReachable(input.mobile, input.email));
      raise(checkMemberDepartments({ department: input.department, order: input.order, isLeaderInDept: input.is_leader_in_dept, mainDepartment: input.main_department }));
      const key = useridKey(input.userid);
      const departments = input.department as number[];
      return repository.transaction(async (tx) => {
        if (await tx.findMember(caller.corpId, key)) throw weComError(60102, 'userid');
        await requireDepartments(tx, caller.corpId, departments);
        await checkUniqueContacts(tx, caller.corpId, key, input.mobile, input.email);
        for (const departmentId of departments) await checkNodeRoom(tx, caller.corpId, departmentId);
        const member: MemberRow = {
          corpId: caller.corpId,
          useridKey: key,
          userid: input.userid,
          name: input.name as string,
          mobile: input.mobile || null,
          email: input.email || null,
          mainDepartment: input.main_department ?? (departments[0] as number),
          // Not yet joined: WeCom shows "未激活" until the invitation is accepted.
          status: input.enable === 0 ? 2 : 4,
          profile: profileChanges(input),
          createdAt: deps.clock.now(),
        };
        await tx.insertMembers([member], departmentRows(caller.corpId, key, input, departments));
        return { errcode: 0, errmsg: 'created' };
      });
    },

    async updateMember(caller: WeComCaller, input: MemberInput) {
      raise(checkMemberFields(input));
      if (input.new_userid !== undefined) raise(checkUserid(input.new_userid, 'new_userid'));
      return repository.transaction(async (tx) => {
        const member = await tx.findMember(caller.corpId, useridKey(input.userid));
        if (!member) throw weComError(60111, input.userid);
        const departments = input.department ?? member.departments.map((d) => d.departmentId);
        if (input.department !== undefined || input.order !== undefined || input.is_leader_in_dept !== undefined || input.main_department !== undefined) {
          raise(
            checkMemberDepartments({
              department: departments,
              order: input.order ?? (input.department ? undefined : member.departments.map((d) => d.order)),
              isLeaderInDept: input.is_leader_in_dept ?? (input.department ? undefined : member.departments.map((d) => (d.isLeader ? 1 : 0))),
              mainDepartment: input.main_department ?? (departments.includes(member.mainDepartment) ? member.mainDepartment : undefined),
            }),
          );
        }
        if (input.department) await requireDepartments(tx, caller.corpId, input.department);
        const mobile = input.mobile !== undefined ? input.mobile || null : member.mobile;
        const email = input.email !== undefined ? input.email || null : member.email;
        raise(checkReachable(mobile, email));
        await checkUniqueContacts(tx, caller.corpId, member.useridKey, input.mobile, input.email);
        let newKey = member.useridKey;
        if (input.new_userid !== undefined && useridKey(input.new_userid) !== member.useridKey) {
          newKey = useridKey(input.new_userid);
          if (await tx.findMember(caller.corpId, newKey)) throw weComError(60102, 'new_userid');
        }
        const changes: Partial<MemberRow> = {
          ...(input.name !== undefined ? { name: input.name } : {}),
          mobile,
          email,
          profile: profileChanges(input, member.profile),
          mainDepartment: input.main_department ?? (departments.includes(member.mainDepartment) ? member.mainDepartment : (departments[0] as number)),
          ...(input.enable !== undefined ? { status: input.enable === 0 ? 2 : member.status === 2 ? 4 : member.status } : {}),
          ...(input.new_userid !== undefined ? { userid: input.new_userid, useridKey: newKey } : {}),
        };
        const placement =
          input.department || input.order || input.is_leader_in_dept
            ? departmentRows(caller.corpId, newKey, {
                ...input,
                order: input.order ?? (input.department ? undefined : member.departments.map((d) => d.order)),
                is_leader_in_dept: input.is_leader_in_dept ?? (input.department ? undefined : member.departments.map((d) => (d.isLeader ? 1 : 0))),
              }, departments)
            : undefined;
        await tx.updateMember(caller.corpId, member.useridKey, changes, placement);
        return { errcode: 0, errmsg: 'updated' };
      });
    },

    async deleteMembers(caller: WeComCaller, userids: string[], creatorUserid: string | null) {
      if (userids.length === 0) throw weComError(40031, 'useridlist');
      if (userids.length > MAX_BATCH_DELETE) throw weComError(40032, 'useridlist');
      const keys = [...new Set(userids.map(useridKey))];
      const found = await repository.findMembers(caller.corpId, keys);
      const missing = userids.find((userid) => !found.some((m) => m.useridKey === useridKey(userid)));
      if (missing !== undefined) throw weComError(userids.length === 1 ? 60111 : 40031, missing);
      if (creatorUserid && keys.includes(useridKey(creatorUserid))) throw weComError(301005, creatorUserid);
      await repository.transaction((tx) => tx.deleteMembers(caller.corpId, keys));
      return { errcode: 0, errmsg: 'deleted' };
    },

    async getMember(caller: WeComCaller, userid: string) {
      const member = await requireMember(caller.corpId, userid);
      return { errcode: 0, errmsg: 'ok', ...memberJson(member, caller) };
    },

    async listMembers(caller: WeComCaller, departmentId: number, brief: boolean) {
      if (!(await repository.findDepartment(caller.corpId, departmentId))) throw weComError(60123, 'department_id');
      const members = await repository.membersInDepartment(caller.corpId, departmentId);
      const userlist = brief
        ? members.map((m) => ({ userid: m.userid, name: m.name, department: m.departments.map((d) => d.departmentId) }))
        : members.map((m) => memberJson(m, caller));
      return { errcode: 0, errmsg: 'ok', userlist };
    },

    /** Pages of (userid, department) pairs; the cursor is opaque to callers. */
    async listMemberIds(caller: WeComCaller, cursor: string | undefined, limit: number | undefined) {
      const size = limit ?? 1000;
      if (size < 1 || size > 10_000) throw weComError(40058, 'limit');
      let after: { key: string; departmentId: number } | null = null;
      if (cursor) {
        try {
          const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, number];
          after = { key: String(decoded[0]), departmentId: Number(decoded[1]) };
        } catch {
          throw weComError(40058, 'cursor');
        }
      }
      const rows = await repository.memberDepartmentPage(caller.corpId, after, size + 1);
      const page = rows.slice(0, size);
      const last = page[page.length - 1];
      const next = rows.length > size && last ? Buffer.from(JSON.stringify([last.key, last.departmentId])).toString('base64url') : '';
      return { errcode: 0, errmsg: 'ok', next_cursor: next, dept_user: page.map((r) => ({ userid: r.userid, department: r.departmentId })) };
    },
  };
}

export type Directory = ReturnType<typeof createDirectory>;

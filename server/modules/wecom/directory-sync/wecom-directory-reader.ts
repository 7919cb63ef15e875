import { isWeChatApiError, type WeChatAccount, type WeChatClient } from '../../../wechat/client';
import { wecomDepartmentList, wecomMemberGet, wecomMemberIdList, wecomMemberList } from '../../../wechat/wecom';
import type { DepartmentValues, MemberValues } from './directory-sync.schema';
import { departmentFromWeCom, memberFromWeCom } from './wecom-mapping';

export interface RemoteMember {
  values: MemberValues;
  unavailable: string[];
}

/** WeCom's directory as plain values. */
export interface RemoteDirectory {
  departments: DepartmentValues[];
  members: RemoteMember[];
  /** Restricted fields WeCom left out for at least one member. */
  hiddenFields: string[];
}

// Contacts-sync secrets on IPs added after 2022-08-15 may no longer call user/list (facts §5.3).
const listRefusedCodes = new Set([48002, 60011]);

/**
 * Reads WeCom's whole directory through the client: the department tree in
 * one call, then each department's direct members (a member in several
 * departments comes back once per department). Where user/list is refused,
 * falls back to user/list_id + user/get as WeCom directs.
 */
export async function readWeComDirectory(
  wechat: WeChatClient,
  account: WeChatAccount,
  options: { signal?: AbortSignal; onProgress?: (read: number, total: number) => Promise<void> } = {},
): Promise<RemoteDirectory> {
  const tree = await wechat.call(account, wecomDepartmentList, undefined, {});
  const departments = tree.department.map(departmentFromWeCom);
  const byUserid = new Map<string, RemoteMember>();
  const keep = (member: RemoteMember) => byUserid.set(member.values.userid.toLowerCase(), member);

  let usedList = true;
  for (const [index, department] of departments.entries()) {
    options.signal?.throwIfAborted();
    try {
      const answer = await wechat.call(account, wecomMemberList, undefined, { department_id: department.id });
      for (const member of answer.userlist) if (!byUserid.has(member.userid.toLowerCase())) keep(memberFromWeCom(member));
    } catch (error) {
      if (!(isWeChatApiError(error) && listRefusedCodes.has(error.errcode) && index === 0)) throw error;
      usedList = false;
      break;
    }
    await options.onProgress?.(index + 1, departments.length);
  }

  if (!usedList) {
    const userids = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await wechat.call(account, wecomMemberIdList, { ...(cursor ? { cursor } : {}), limit: 10_000 });
      for (const row of page.dept_user ?? []) userids.add(row.userid);
      cursor = page.next_cursor || undefined;
    } while (cursor);
    let read = 0;
    for (const userid of userids) {
      options.signal?.throwIfAborted();
      keep(memberFromWeCom(await wechat.call(account, wecomMemberGet, undefined, { userid })));
      read++;
      if (read % 100 === 0 || read === userids.size) await options.onProgress?.(read, userids.size);
    }
  }

  const members = [...byUserid.values()];
  const hiddenFields = [...new Set(members.flatMap((m) => m.unavailable))].sort();
  return { departments, members, hiddenFields };
}

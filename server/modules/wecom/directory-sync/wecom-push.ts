import { isWeChatApiError, type WeChatAccount, type WeChatClient } from '../../../wechat/client';
import {
  wecomDepartmentCreate,
  wecomDepartmentDelete,
  wecomDepartmentUpdate,
  wecomMemberCreate,
  wecomMemberDelete,
  wecomMemberUpdate,
} from '../../../wechat/wecom';
import type { DepartmentValues, MemberValues, SyncKind } from './directory-sync.schema';
import type { Outcome } from './three-way-diff';
import { departmentCreateRequest, departmentUpdateRequest, memberCreateRequest, memberUpdateRequest } from './wecom-mapping';

type RemoteOp = NonNullable<Outcome<Record<string, unknown>>['remote']>;

const memberFieldsAll = ['name', 'alias', 'mobile', 'email', 'position', 'gender', 'telephone', 'status', 'departments'];
const departmentFieldsAll = ['name', 'nameEn', 'parentId', 'order'];

/** Already done on WeCom's side: what a retry after a crash finds (the push reached WeCom, the bookkeeping did not). */
const alreadyThere = { create: { member: 60102, department: 60008 }, delete: { member: 60111, department: 60003 } } as const;

function answeredWith(error: unknown, errcode: number): boolean {
  return isWeChatApiError(error) && error.errcode === errcode;
}

/**
 * One change to WeCom by single calls. Idempotent: a create that finds the
 * entity already there becomes an update, a delete that finds it gone is done,
 * so a resumed job never applies a change twice.
 */
export async function pushToWeCom(wechat: WeChatClient, account: WeChatAccount, kind: SyncKind, key: string, op: RemoteOp): Promise<void> {
  if (op.op === 'delete') return deleteInWeCom(wechat, account, kind, key);
  if (kind === 'member') {
    const values = op.values as MemberValues;
    if (op.op === 'update') {
      await wechat.call(account, wecomMemberUpdate, memberUpdateRequest(values, op.fields));
      return;
    }
    try {
      await wechat.call(account, wecomMemberCreate, memberCreateRequest(values));
    } catch (error) {
      if (!answeredWith(error, alreadyThere.create.member)) throw error;
      await wechat.call(account, wecomMemberUpdate, memberUpdateRequest(values, memberFieldsAll));
    }
    return;
  }
  const values = op.values as DepartmentValues;
  if (op.op === 'update') {
    await wechat.call(account, wecomDepartmentUpdate, departmentUpdateRequest(values, op.fields));
    return;
  }
  try {
    await wechat.call(account, wecomDepartmentCreate, departmentCreateRequest(values));
  } catch (error) {
    if (!answeredWith(error, alreadyThere.create.department)) throw error;
    await wechat.call(account, wecomDepartmentUpdate, departmentUpdateRequest(values, departmentFieldsAll));
  }
}

/** Deletes in WeCom; gone already counts as done. */
async function deleteInWeCom(wechat: WeChatClient, account: WeChatAccount, kind: SyncKind, key: string): Promise<void> {
  try {
    if (kind === 'member') await wechat.call(account, wecomMemberDelete, undefined, { userid: key });
    else await wechat.call(account, wecomDepartmentDelete, undefined, { id: Number(key) });
  } catch (error) {
    if (!answeredWith(error, alreadyThere.delete[kind])) throw error;
  }
}

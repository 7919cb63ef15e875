import { AppError } from '../../../../common/errors';
import { WeChatApiError, type WeChatAccount, type WeChatClient } from '../../../wechat/client';
import { wecomBatchGetResult, wecomBatchSyncUser, wecomMediaUpload } from '../../../wechat/wecom';
import type { MemberValues } from './directory-sync.schema';
import type { Outcome } from './three-way-diff';

type RemoteOp = NonNullable<Outcome<Record<string, unknown>>['remote']>;

/**
 * Member pushes go through batch/syncuser from this many on: below it single
 * calls are quicker than a job's round trip, above it they would spend
 * WeCom's per-minute call budget (wechat-protocol §5.1).
 */
export const BATCH_PUSH_MIN = 50;
/** Members per batch file; WeCom takes large files, this keeps one job's completion short. */
export const BATCH_PUSH_MAX = 5000;

/** The fields syncuser's file carries (the admin console's import template). */
const fileFields = new Set(['name', 'alias', 'mobile', 'email', 'position', 'gender', 'telephone', 'departments']);

/**
 * Whether a member push can travel in a syncuser file. The file has no column
 * for enabling or disabling, leader flags, per-department order or a main
 * department other than the first, and an empty cell leaves a field as it
 * was, so changes needing any of these go by single calls.
 */
export function batchEligible(op: RemoteOp): boolean {
  if (op.op === 'delete') return false;
  const values = op.values as MemberValues;
  const placementPlain =
    values.departments.length > 0 &&
    values.departments[0]!.departmentId === values.mainDepartmentId &&
    values.departments.every((d) => !d.isLeader && d.order === 0);
  if (!placementPlain) return false;
  if (op.op === 'create') return values.status !== 'disabled';
  if (!op.fields.every((field) => fileFields.has(field))) return false;
  return op.fields.every((field) => field === 'departments' || (values as unknown as Record<string, unknown>)[field] !== null);
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const genderText: Record<MemberValues['gender'], string> = { unknown: '', male: '男', female: '女' };

/** The syncuser file: WeCom's template headers, departments by id separated by `;`. */
export function memberCsv(members: readonly MemberValues[]): string {
  const header = ['姓名', '账号', '别名', '职务', '部门', '性别', '手机', '座机', '邮箱'];
  const lines = members.map((m) =>
    [m.name, m.userid, m.alias ?? '', m.position ?? '', m.departments.map((d) => d.departmentId).join(';'), genderText[m.gender], m.mobile ?? '', m.telephone ?? '', m.email ?? '']
      .map(csvCell)
      .join(','),
  );
  return `\uFEFF${[header.join(','), ...lines].join('\r\n')}\r\n`;
}

/** media/upload (type file) is multipart, which the JSON client does not send: made here with the client's token. */
async function uploadFile(wechat: WeChatClient, account: WeChatAccount, filename: string, content: string): Promise<string> {
  const token = await wechat.accessToken(account);
  const url = new URL(`${account.apiBaseUrl.replace(/\/+$/, '')}/${wecomMediaUpload.path}`);
  url.searchParams.set('access_token', token);
  url.searchParams.set('type', 'file');
  const form = new FormData();
  form.append('media', new Blob([content], { type: 'text/csv' }), filename);
  let payload: Record<string, unknown>;
  try {
    const response = await fetch(url, { method: 'POST', body: form, signal: AbortSignal.timeout(60_000) });
    payload = (await response.json()) as Record<string, unknown>;
  } catch (error) {
    throw new AppError('WECHAT_API_UNREACHABLE', { endpoint: wecomMediaUpload.path, title: wecomMediaUpload.titleZh, reason: String((error as Error)?.message ?? error) });
  }
  if (typeof payload.errcode === 'number' && payload.errcode !== 0) {
    throw new WeChatApiError({ endpoint: wecomMediaUpload, errcode: payload.errcode, errmsg: typeof payload.errmsg === 'string' ? payload.errmsg : '' });
  }
  return wecomMediaUpload.response.parse(payload).media_id;
}

/** Uploads the file and starts batch/syncuser; answers WeCom's jobid. */
export async function submitSyncUser(wechat: WeChatClient, account: WeChatAccount, members: readonly MemberValues[]): Promise<string> {
  const mediaId = await uploadFile(wechat, account, 'qiao-sync-members.csv', memberCsv(members));
  const answer = await wechat.call(account, wecomBatchSyncUser, { media_id: mediaId, to_invite: false });
  return answer.jobid;
}

export type BatchRowResult = { userid: string; errcode: number; errmsg: string };

/** The job's per-member results once WeCom finished it (status 3), else null. */
export async function batchResult(wechat: WeChatClient, account: WeChatAccount, jobId: string): Promise<BatchRowResult[] | null> {
  const answer = await wechat.call(account, wecomBatchGetResult, undefined, { jobid: jobId });
  if (answer.status !== 3) return null;
  return (answer.result ?? []).filter((r) => r.userid !== undefined).map((r) => ({ userid: r.userid!, errcode: r.errcode, errmsg: r.errmsg ?? '' }));
}

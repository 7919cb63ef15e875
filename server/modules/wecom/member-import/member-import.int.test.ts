import { setTimeout as sleep } from 'node:timers/promises';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { setupRoot, userSession, type Caller } from '../../../../test/support/callers';
import { useTestApp } from '../../../../test/support/test-app';
import { jobRunSchema, type JobRunView } from '../../system/jobs/jobs.schema';
import type { MemberImportResult } from './member-import.schema';

// Each test runs whole import jobs (xlsx in, job, xlsx out); on a busy machine that outlasts the default 30 s.
vi.setConfig({ testTimeout: 120_000 });

const t = useTestApp({ startQueue: true });

let root: Caller;
let corpId: string;

async function call(caller: Caller, method: 'GET' | 'POST', url: string, payload?: unknown) {
  const response = await t().app.inject({ method, url, headers: caller.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: response.statusCode, body: response.body ? (response.json() as Record<string, unknown>) : {} };
}

async function createDepartment(parentId: number, name: string): Promise<number> {
  const created = await call(root, 'POST', `/api/v1/wecom/${corpId}/departments`, { parentId, name });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as number;
}

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('成员');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function multipart(file: Buffer, filename = 'members.xlsx') {
  const boundary = `----qiao${Math.random().toString(16).slice(2)}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), file, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

async function upload(caller: Caller, file: Buffer, query = '', language = 'zh-CN', filename = 'members.xlsx') {
  const body = multipart(file, filename);
  const response = await t().app.inject({
    method: 'POST',
    url: `/api/v1/wecom/${corpId}/members/import${query ? `?${query}` : ''}`,
    headers: { ...caller.headers, 'content-type': body.contentType, 'accept-language': language },
    payload: body.payload,
  });
  return { status: response.statusCode, body: response.json() as Record<string, unknown> };
}

async function finished(caller: Caller, jobId: string): Promise<JobRunView> {
  for (;;) {
    const response = await t().app.inject({ method: 'GET', url: `/api/v1/jobs/${jobId}`, headers: caller.headers });
    const run = jobRunSchema.parse(response.json());
    if (run.state !== 'queued' && run.state !== 'running') return run;
    await sleep(50);
  }
}

/** Uploads, waits for the job, and answers it with its result. */
async function runImport(file: Buffer, query = '', caller: Caller = root, language = 'zh-CN') {
  const started = await upload(caller, file, query, language);
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  const job = await finished(caller, started.body.id as string);
  return { job, result: job.result as MemberImportResult | null };
}

async function memberUserids(caller: Caller = root): Promise<string[]> {
  const response = await call(caller, 'GET', `/api/v1/wecom/${corpId}/members?limit=500`);
  expect(response.status).toBe(200);
  return (response.body.items as { userid: string }[]).map((m) => m.userid).sort();
}

async function download(caller: Caller, path: string, language = 'zh-CN'): Promise<ExcelJS.Workbook> {
  const response = await t().app.inject({ method: 'GET', url: `/api/v1/wecom/${corpId}/members/${path}`, headers: { ...caller.headers, 'accept-language': language } });
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['content-type']).toContain('spreadsheetml');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
  return workbook;
}

const header = ['姓名', '账号', '手机', '邮箱', '部门', '职务'];

beforeEach(async () => {
  root = await setupRoot(t().app);
  const created = await call(root, 'POST', '/api/v1/accounts', { type: 'wecom', name: '桥科技', corpId: 'ww1234567890abcdef', receivers: [{ receiver: 'contacts', secret: 's'.repeat(43) }] });
  if (created.status !== 201) throw new Error(`connecting the corp failed: ${JSON.stringify(created.body)}`);
  corpId = created.body.id as string;
  const east = await createDepartment(1, '华东区');
  await createDepartment(east, '上海店');
  await createDepartment(1, '市场部');
});

describe('member import template', () => {
  it('has the contract headers, an instructions sheet and the departments as a drop-down source', async () => {
    const workbook = await download(root, 'import-template.xlsx');
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['成员', '部门列表', '说明']);
    expect((workbook.worksheets[0]!.getRow(1).values as unknown[]).slice(1, 7)).toEqual(header);
    expect(workbook.getWorksheet('部门列表')!.state).toBe('hidden');
    expect(workbook.getWorksheet('部门列表')!.getColumn(1).values.slice(2)).toEqual(['华东区', '华东区/上海店', '市场部']);
    const english = await download(root, 'import-template.xlsx', 'en-US');
    expect(String(english.getWorksheet('说明')!.getCell('A1').value)).toContain('instructions');
  });
});

describe('importing members from xlsx', () => {
  const goodRows = [
    ['张三', 'zhangsan', '13800000001', '', '华东区/上海店;市场部', '店长'],
    ['李四', 'lisi', '', 'lisi@example.com', '市场部', ''],
  ];

  it('dry-runs: reports every bad row with row, column and reason in the caller’s language, and writes nothing', async () => {
    const file = await xlsx([
      header,
      ...goodRows,
      ['', 'wangwu', '13800000003', '', '市场部', ''],
      ['赵六', 'ZhangSan', '13800000004', '', '市场部', ''],
      ['钱七', 'qianqi', '', '', '研发部', ''],
      ['孙八', 'sun ba', '13800000006', '', '市场部', ''],
    ]);
    const { job, result } = await runImport(file, 'dryRun=true');
    expect(job.state).toBe('succeeded');
    expect(result).toMatchObject({ dryRun: true, rows: 6, validRows: 2, invalidRows: 4, created: 2, updated: 0 });
    expect(job.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [4, '姓名', 'MEMBER_IMPORT_REQUIRED'],
      [5, '账号', 'MEMBER_IMPORT_DUPLICATE_IN_FILE'],
      [6, '手机', expect.any(String)],
      [6, '部门', 'MEMBER_IMPORT_DEPARTMENT_UNKNOWN'],
      [7, '账号', expect.any(String)],
    ]);
    expect(job.errors[1]!.message).toContain('第 2 行');
    expect(await memberUserids()).toEqual([]);

    const english = await runImport(file, 'dryRun=true', root, 'en-US');
    expect(english.job.errors[0]).toMatchObject({ row: 4, column: 'Name', message: '"Name" must not be empty' });
  });

  it('writes nothing when any row is bad unless bad rows are skipped', async () => {
    const file = await xlsx([header, ...goodRows, ['王五', 'wangwu', '', '', '市场部', '']]);
    const aborted = await runImport(file);
    expect(aborted.job).toMatchObject({ state: 'failed', failure: { code: 'MEMBER_IMPORT_ROWS_INVALID' }, errorCount: 1 });
    expect(await memberUserids()).toEqual([]);

    const skipped = await runImport(file, 'onError=skip');
    expect(skipped.job.state).toBe('succeeded');
    expect(skipped.result).toMatchObject({ dryRun: false, created: 2, updated: 0, skipped: 1 });
    expect(await memberUserids()).toEqual(['lisi', 'zhangsan']);
  });

  it('is idempotent: the same file twice changes nothing the second time, a changed cell updates one member', async () => {
    const file = await xlsx([header, ...goodRows]);
    expect((await runImport(file)).result).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
    expect((await runImport(file)).result).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    const changed = await xlsx([header, goodRows[0]!, ['李四', 'LISI', '', 'lisi@example.com', '市场部', '经理']]);
    expect((await runImport(changed)).result).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    expect(await memberUserids()).toEqual(['lisi', 'zhangsan']);
  });

  it('refuses a mobile or email that a member outside the file already holds, emails ignoring case', async () => {
    await runImport(await xlsx([header, ...goodRows]));
    const file = await xlsx([header, ['王五', 'wangwu', '13800000001', '', '市场部', ''], ['赵六', 'zhaoliu', '', 'LiSi@Example.com', '市场部', '']]);
    const { job, result } = await runImport(file, 'dryRun=true');
    expect(result).toMatchObject({ validRows: 0, invalidRows: 2 });
    expect(job.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [2, '手机', 'MEMBER_IMPORT_CONTACT_TAKEN'],
      [3, '邮箱', 'MEMBER_IMPORT_CONTACT_TAKEN'],
    ]);
  });

  it('creates missing departments only when asked', async () => {
    const file = await xlsx([header, ['周九', 'zhoujiu', '13800000009', '', '华南区/广州店', '']]);
    const refused = await runImport(file, 'dryRun=true');
    expect(refused.job.errors).toEqual([expect.objectContaining({ row: 2, code: 'MEMBER_IMPORT_DEPARTMENT_UNKNOWN' })]);
    const created = await runImport(file, 'createMissingDepartments=true');
    expect(created.result).toMatchObject({ created: 1, departmentsCreated: 2 });
    const departments = await call(root, 'GET', `/api/v1/wecom/${corpId}/departments`);
    expect((departments.body.items as { name: string }[]).map((d) => d.name)).toEqual(expect.arrayContaining(['华南区', '广州店']));
  });

  it('refuses files that are not xlsx, empty, with wrong headers or too many rows, with clear codes', async () => {
    const csv = await upload(root, Buffer.from('姓名,账号\n张三,zs\n'), '', 'zh-CN', 'members.csv');
    expect(csv).toMatchObject({ status: 415, body: { code: 'MEMBER_IMPORT_NOT_XLSX' } });
    expect(csv.body.message).toContain('members.csv');
    expect(await upload(root, await xlsx([header]))).toMatchObject({ status: 400, body: { code: 'MEMBER_IMPORT_EMPTY' } });
    const wrong = await upload(root, await xlsx([['名字', '手机'], ['张三', '13800000001']]));
    expect(wrong).toMatchObject({ status: 400, body: { code: 'MEMBER_IMPORT_HEADERS_MISSING' } });

    const chunks: Buffer[] = [];
    const out = new PassThrough();
    out.on('data', (c: Buffer) => chunks.push(c));
    const big = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    const sheet = big.addWorksheet('成员');
    sheet.addRow(header).commit();
    for (let i = 0; i <= 100_000; i++) sheet.addRow([`n${i}`, `u${i}`, '', '', '市场部', '']).commit();
    sheet.commit();
    await big.commit();
    const tooMany = await upload(root, Buffer.concat(chunks));
    expect(tooMany).toMatchObject({ status: 400, body: { code: 'MEMBER_IMPORT_TOO_MANY_ROWS' } });
    expect(await call(root, 'POST', `/api/v1/wecom/${corpId}/members/import`, {})).toMatchObject({ status: 400, body: { code: 'MEMBER_IMPORT_FILE_MISSING' } });
  }, 180_000);

  it('serves the uploaded file annotated with its errors, which imports once fixed', async () => {
    const file = await xlsx([header, goodRows[0]!, ['', 'wangwu', '13800000003', '', '市场部', '']]);
    const { job } = await runImport(file, 'dryRun=true');
    expect(job.state).toBe('succeeded');
    // The check's row report is stored by the job; the download says "not checked yet" (409) until it is.
    const url = `/api/v1/wecom/${corpId}/members/import/${job.id}/annotated.xlsx`;
    for (let waited = 0; (await t().app.inject({ method: 'GET', url, headers: root.headers })).statusCode === 409 && waited < 10_000; waited += 100) await sleep(100);
    const annotated = await download(root, `import/${job.id}/annotated.xlsx`);
    const sheet = annotated.worksheets[0]!;
    expect(sheet.getCell('G1').value).toBe('错误');
    expect(sheet.getCell('G3').value).toBe('「姓名」不能为空');
    expect(sheet.getCell('G2').value).toBeNull();
    sheet.getCell('A3').value = '王五';
    const fixed = Buffer.from(await annotated.xlsx.writeBuffer());
    expect((await runImport(fixed)).result).toMatchObject({ created: 2, invalidRows: 0 });
  });
});

describe('department admins', () => {
  it('import and export only within their subtrees', async () => {
    await runImport(await xlsx([header, ['李四', 'lisi', '', 'lisi@example.com', '市场部', '']]));
    const east = 2;
    const admin = await userSession(t().app, root, { username: 'east-admin', role: 'dept_admin', departmentScopes: [{ accountId: corpId, departmentId: east }] });
    const template = await download(admin, 'import-template.xlsx');
    expect(template.getWorksheet('部门列表')!.getColumn(1).values.slice(2)).toEqual(['华东区', '华东区/上海店']);

    const file = await xlsx([
      header,
      ['张三', 'zhangsan', '13800000001', '', '华东区/上海店', ''],
      ['王五', 'wangwu', '13800000003', '', '市场部', ''],
      ['李四', 'lisi', '', 'lisi@example.com', '华东区', ''],
    ]);
    const { job, result } = await runImport(file, 'onError=skip', admin);
    expect(job.errors.map((e) => [e.row, e.code])).toEqual([
      [3, 'MEMBER_IMPORT_DEPARTMENT_OUT_OF_SCOPE'],
      [4, 'MEMBER_IMPORT_MEMBER_OUT_OF_SCOPE'],
      // …and moving 李四 out of 市场部 would change a department outside the admin's reach.
      [4, 'MEMBER_IMPORT_DEPARTMENT_OUT_OF_SCOPE'],
    ]);
    expect(result).toMatchObject({ created: 1, skipped: 2 });

    const exported = await download(admin, 'export.xlsx');
    const rows: unknown[][] = [];
    exported.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1, 3)));
    expect(rows).toEqual([['姓名', '账号'], ['张三', 'zhangsan']]);
  });
});

describe('member export', () => {
  it('round-trips through import unchanged and is audited with filters and row count', async () => {
    await runImport(
      await xlsx([
        [...header, '主部门', '性别', '座机', '是否部门负责人', '别名'],
        ['张三', 'zhangsan', '13800000001', 'zs@example.com', '华东区/上海店;市场部', '店长', '市场部', '男', '021-1234', '是;否', 'Sam'],
        ['李四', 'lisi', '', 'lisi@example.com', '市场部', '', '', '女', '', '', ''],
      ]),
    );
    const response = await t().app.inject({ method: 'GET', url: `/api/v1/wecom/${corpId}/members/export.xlsx?status=inactive`, headers: root.headers });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toContain('.xlsx');
    const again = await runImport(response.rawPayload);
    expect(again.result).toMatchObject({ rows: 2, created: 0, updated: 0, unchanged: 2 });

    const audit = await t().db.handle.db.execute(sql`SELECT summary FROM audit_log WHERE action = 'wecom.members.export'`);
    expect(audit.rows).toEqual([{ summary: { filters: { status: 'inactive' }, rows: 2 } }]);
  });

  it('needs the export permission', async () => {
    const member = await userSession(t().app, root, { username: 'plain-member', role: 'member' });
    const response = await t().app.inject({ method: 'GET', url: `/api/v1/wecom/${corpId}/members/export.xlsx`, headers: member.headers });
    expect(response.statusCode).toBe(403);
  });
});

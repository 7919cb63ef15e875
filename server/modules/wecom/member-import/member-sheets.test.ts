import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../common/errors';
import { readMemberSheet } from './member-sheet-reader';
import { writeAnnotatedCopy, writeMemberRows } from './member-sheet-writer';
import { templateSheetNames, writeMemberTemplate, type WithValidations } from './member-template';

async function workbookOf(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
}

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Sheet1');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function collect(write: (out: PassThrough) => Promise<unknown>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => out.on('end', resolve));
  await write(out);
  await ended;
  return Buffer.concat(chunks);
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('member import template', () => {
  it('has the members sheet with the contract headers, instructions with examples and a hidden department list feeding a drop-down', async () => {
    const workbook = await workbookOf(await writeMemberTemplate(['华东区', '华东区/上海店', '市场部'], 'zh-CN'));
    const members = workbook.worksheets[0]!;
    expect(members.name).toBe(templateSheetNames.members);
    expect((members.getRow(1).values as unknown[]).slice(1, 7)).toEqual(['姓名', '账号', '手机', '邮箱', '部门', '职务']);
    expect(members.rowCount).toBe(1);
    const departments = workbook.getWorksheet(templateSheetNames.departments)!;
    expect(departments.state).toBe('hidden');
    expect(departments.getColumn(1).values.slice(2)).toEqual(['华东区', '华东区/上海店', '市场部']);
    const validation = (members as unknown as WithValidations).dataValidations.find('E2');
    expect(validation).toMatchObject({ type: 'list', formulae: [`'部门列表'!$A$2:$A$4`] });
    const instructions = workbook.getWorksheet(templateSheetNames.instructions)!;
    const texts: string[] = [];
    instructions.eachRow((row) => texts.push((row.values as unknown[]).join('|')));
    expect(texts.join('\n')).toContain('zhangsan');
    expect(texts.join('\n')).toContain('示例（不会被导入）');
  });

  it('reads back as an empty import: the examples live on the instructions sheet only', async () => {
    const error = await refusal(readMemberSheet(await writeMemberTemplate(['市场部'], 'en-US'), 'template.xlsx'));
    expect(error.code).toBe('MEMBER_IMPORT_EMPTY');
  });
});

describe('reading an uploaded member sheet', () => {
  it('maps Chinese or English headers in any order and keeps Excel row numbers, skipping blank rows', async () => {
    const file = await xlsx([
      ['Userid', 'Name', 'Departments', 'Mobile'],
      ['zhangsan', '张三', '华东区/上海店', 13800000001],
      [],
      ['lisi', '李四', '市场部', '13800000002'],
    ]);
    const sheet = await readMemberSheet(file, 'm.xlsx');
    expect(sheet.rows).toEqual([
      { row: 2, values: { userid: 'zhangsan', name: '张三', departments: '华东区/上海店', mobile: '13800000001' } },
      { row: 4, values: { userid: 'lisi', name: '李四', departments: '市场部', mobile: '13800000002' } },
    ]);
    const chinese = await readMemberSheet(await xlsx([['姓名', '账号 (userid)', '手机', '邮箱', '部门', '职务'], ['王五', 'wangwu', '', 'w@example.com', '市场部', '经理']]), 'z.xlsx');
    expect(chinese.rows[0]!.values).toEqual({ name: '王五', userid: 'wangwu', email: 'w@example.com', departments: '市场部', position: '经理' });
    expect(sheet.rowCount).toBe(2);
  });

  it('counts the same rows without keeping them when asked only to check the file', async () => {
    const file = await xlsx([['姓名', '账号', '部门'], ['张三', 'zs', '市场部'], [], ['李四', 'ls', '市场部'], ['', '', ''], ['王五', 'ww', '市场部']]);
    const counted = await readMemberSheet(file, 'c.xlsx', { countOnly: true });
    expect(counted.rowCount).toBe(3);
    expect(counted.rows).toEqual([]);
    expect((await readMemberSheet(file, 'c.xlsx')).rows.map((r) => r.row)).toEqual([2, 4, 6]);
    const rows = [['姓名', '账号', '部门'], ...Array.from({ length: 6 }, (_, i) => [`n${i}`, `u${i}`, '市场部'])];
    expect(await refusal(readMemberSheet(await xlsx(rows), 't.xlsx', { maxRows: 5, countOnly: true }))).toMatchObject({ code: 'MEMBER_IMPORT_TOO_MANY_ROWS' });
    expect((await refusal(readMemberSheet(await xlsx([['姓名', '账号', '部门']]), 'h.xlsx', { countOnly: true }))).code).toBe('MEMBER_IMPORT_EMPTY');
  });

  it('refuses a file that is not an xlsx', async () => {
    expect((await refusal(readMemberSheet(Buffer.from('姓名,账号\n张三,zs\n'), 'members.csv'))).code).toBe('MEMBER_IMPORT_NOT_XLSX');
    expect((await refusal(readMemberSheet(Buffer.from('PK\u0003\u0004garbage'), 'broken.xlsx'))).code).toBe('MEMBER_IMPORT_NOT_XLSX');
  });

  it('refuses an empty sheet, missing required headers, unknown headers and too many rows', async () => {
    expect((await refusal(readMemberSheet(await xlsx([]), 'e.xlsx'))).code).toBe('MEMBER_IMPORT_EMPTY');
    expect((await refusal(readMemberSheet(await xlsx([['姓名', '账号', '部门']]), 'h.xlsx'))).code).toBe('MEMBER_IMPORT_EMPTY');
    const missing = await refusal(readMemberSheet(await xlsx([['姓名', '手机'], ['张三', '13800000001']]), 'm.xlsx'));
    expect(missing).toMatchObject({ code: 'MEMBER_IMPORT_HEADERS_MISSING', details: { columns: ['userid', 'departments'] } });
    const unknown = await refusal(readMemberSheet(await xlsx([['姓名', '账号', '部门', '工号'], ['张三', 'zs', '市场部', '7']]), 'u.xlsx'));
    expect(unknown).toMatchObject({ code: 'MEMBER_IMPORT_HEADERS_UNKNOWN', details: { unknown: '工号' } });
    const rows = [['姓名', '账号', '部门'], ...Array.from({ length: 6 }, (_, i) => [`n${i}`, `u${i}`, '市场部'])];
    const tooMany = await refusal(readMemberSheet(await xlsx(rows), 't.xlsx', { maxRows: 5 }));
    expect(tooMany).toMatchObject({ code: 'MEMBER_IMPORT_TOO_MANY_ROWS', details: { limit: 5 } });
  });
});

describe('writing member sheets', () => {
  it('streams an export that reads back with the same values', async () => {
    async function* batches() {
      yield [{ name: '张三', userid: 'zhangsan', mobile: '13800000001', departments: '华东区/上海店;市场部', isLeader: '是;否' }];
      yield [{ name: '李四', userid: 'lisi', email: 'lisi@example.com', departments: '市场部' }];
    }
    const file = await collect((out) => writeMemberRows(out, batches()));
    const sheet = await readMemberSheet(file, 'export.xlsx');
    expect(sheet.rows.map((r) => r.values)).toEqual([
      { name: '张三', userid: 'zhangsan', mobile: '13800000001', departments: '华东区/上海店;市场部', isLeader: '是;否' },
      { name: '李四', userid: 'lisi', email: 'lisi@example.com', departments: '市场部' },
    ]);
  });

  it('annotates the uploaded rows at their own row numbers, highlights bad cells, and the copy imports again', async () => {
    const original = await readMemberSheet(await xlsx([['账号', '姓名', '部门'], ['zs', '张三', '市场部'], ['ls', '', '市场部']]), 'a.xlsx');
    const file = await collect((out) =>
      writeAnnotatedCopy(out, original.header, [
        { row: 2, values: original.rows[0]!.values, errors: [] },
        { row: 3, values: original.rows[1]!.values, errors: [{ column: 'name', message: '「姓名」不能为空' }] },
      ], 'zh-CN'),
    );
    const workbook = await workbookOf(file);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, '账号', '姓名', '部门', '错误']);
    expect(sheet.getCell('D3').value).toBe('「姓名」不能为空');
    expect((sheet.getCell('B3').fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
    expect(sheet.getCell('B2').fill).toBeUndefined();
    const again = await readMemberSheet(file, 'a-annotated.xlsx');
    expect(again.rows.map((r) => r.row)).toEqual([2, 3]);
  });
});

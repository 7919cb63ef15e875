import ExcelJS from 'exceljs';
import type { Locale } from '../../../../common/errors';
import { memberColumns, type MemberColumnKey } from './member-columns';
import { maxImportRows } from './member-sheet-reader';

export const templateSheetNames = { members: '成员', instructions: '说明', departments: '部门列表' } as const;

const requiredFill: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFDE2E1' } };
const optionalFill: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF0F0F0' } };

/** Example members shown on the instructions sheet only, so an import can never pick them up. */
const examples: Record<MemberColumnKey, string>[] = [
  {
    name: '张三',
    userid: 'zhangsan',
    mobile: '13800000001',
    email: 'zhangsan@example.com',
    departments: '华东区/上海店;市场部',
    position: '店长',
    mainDepartment: '华东区/上海店',
    gender: '男',
    telephone: '021-12345678',
    isLeader: '是;否',
    alias: 'Sam',
  },
  {
    name: '李四',
    userid: 'lisi',
    mobile: '',
    email: 'lisi@example.com',
    departments: '市场部',
    position: '',
    mainDepartment: '',
    gender: '女',
    telephone: '',
    isLeader: '',
    alias: '',
  },
];

const texts = {
  'zh-CN': {
    title: '成员导入模板说明',
    lines: [
      '在「成员」工作表中每行填写一名成员，第一行是表头，请不要修改或删除表头。',
      '粉色表头的列必填；「手机」和「邮箱」至少填一项。',
      '「部门」从公司下的第一级部门开始写完整路径，层级用 / 分隔，多个部门用 ; 分隔；可以从下拉列表选择现有部门。',
      '账号已存在的成员会被更新；留空的选填列不会清除成员已有的值。重复导入同一文件不会产生任何变化。',
      `单个文件最多 ${maxImportRows} 行。导入前可以先「试运行」，查看每个错误行的行号、列和原因。`,
      '下方的示例只用于说明格式，不会被导入。',
    ],
    header: ['列名', '英文列名', '是否必填', '填写规则'],
    required: '必填',
    optional: '选填',
    examples: '示例（不会被导入）',
    dropdownTitle: '选择部门',
    dropdownHelp: '可从列表选择，也可以直接填写路径；多个部门用 ; 分隔',
  },
  'en-US': {
    title: 'Member import template: instructions',
    lines: [
      'Fill one member per row on the first sheet (成员). The first row holds the headers: do not change or delete it.',
      'Columns with a pink header are required; give a mobile or an email (at least one).',
      'Departments: the full path from the first level under the company, levels joined by /, several departments by ;. The drop-down lists the existing departments.',
      'A member whose userid exists is updated; empty optional cells keep the member\'s current values. Importing the same file again changes nothing.',
      `At most ${maxImportRows} rows per file. Run a dry run first to see each bad row with its row number, column and reason.`,
      'The examples below only show the format and are never imported.',
    ],
    header: ['Column', 'English name', 'Required', 'Rule'],
    required: 'Required',
    optional: 'Optional',
    examples: 'Examples (never imported)',
    dropdownTitle: 'Pick a department',
    dropdownHelp: 'Pick from the list or type a path; join several departments with ;',
  },
} as const;

/** exceljs 4.4 supports range validations but its typings omit the collection. */
export type WithValidations = { dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void; find(address: string): ExcelJS.DataValidation | undefined } };
const validationsOf = (sheet: ExcelJS.Worksheet) => (sheet as unknown as WithValidations).dataValidations;

/** Excel wants sheet names in formulas quoted when they are not plain ASCII words. */
const sheetRef = (name: string) => `'${name.replace(/'/g, "''")}'`;

/**
 * The import template: the members sheet (headers only, required ones
 * highlighted and annotated), an instructions sheet with every column's rule
 * and examples, and a hidden sheet listing the corp's department paths that
 * feeds the drop-down of the department columns.
 */
export async function writeMemberTemplate(departmentPaths: readonly string[], locale: Locale): Promise<Buffer> {
  const t = texts[locale];
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Qiao';

  const members = workbook.addWorksheet(templateSheetNames.members, { views: [{ state: 'frozen', ySplit: 1 }] });
  members.columns = memberColumns.map((column) => ({ header: column.zh, key: column.key, width: column.widthChars }));
  const headerRow = members.getRow(1);
  memberColumns.forEach((column, index) => {
    const cell = headerRow.getCell(index + 1);
    cell.font = { bold: true, color: { argb: column.required ? 'FFC0392B' : 'FF333333' } };
    cell.fill = column.required ? requiredFill : optionalFill;
    cell.note = `${column.en}${column.required ? ` (${texts['en-US'].required})` : ''}\n${locale === 'en-US' ? column.ruleEn : column.ruleZh}`;
    // Keep long values (userids, mobiles) as text so Excel does not turn them into numbers.
    members.getColumn(index + 1).numFmt = '@';
  });

  const lastRow = maxImportRows + 1;
  const letterOf = (key: MemberColumnKey) => members.getColumn(memberColumns.findIndex((c) => c.key === key) + 1).letter;
  if (departmentPaths.length > 0) {
    const list = workbook.addWorksheet(templateSheetNames.departments, { state: 'hidden' });
    list.getCell('A1').value = locale === 'en-US' ? 'Department path' : '部门路径';
    departmentPaths.forEach((path, index) => (list.getCell(`A${index + 2}`).value = path));
    const source = `${sheetRef(templateSheetNames.departments)}!$A$2:$A$${departmentPaths.length + 1}`;
    for (const key of ['departments', 'mainDepartment'] as const) {
      validationsOf(members).add(`${letterOf(key)}2:${letterOf(key)}${lastRow}`, {
        type: 'list',
        allowBlank: true,
        formulae: [source],
        // Several departments joined by ; are not in the list: warn-free, so typing them stays possible.
        showErrorMessage: false,
        showInputMessage: true,
        promptTitle: t.dropdownTitle,
        prompt: t.dropdownHelp,
      });
    }
  }
  validationsOf(members).add(`${letterOf('gender')}2:${letterOf('gender')}${lastRow}`, {
    type: 'list',
    allowBlank: true,
    formulae: ['"男,女"'],
    showErrorMessage: false,
  });

  const instructions = workbook.addWorksheet(templateSheetNames.instructions);
  instructions.columns = [{ width: 18 }, { width: 20 }, { width: 12 }, { width: 90 }];
  instructions.addRow([t.title]).font = { bold: true, size: 14 };
  for (const line of t.lines) instructions.addRow([line]);
  instructions.addRow([]);
  instructions.addRow(t.header).font = { bold: true };
  for (const column of memberColumns) {
    const row = instructions.addRow([column.zh, column.en, column.required ? t.required : t.optional, locale === 'en-US' ? column.ruleEn : column.ruleZh]);
    if (column.required) row.getCell(1).fill = requiredFill;
  }
  instructions.addRow([]);
  instructions.addRow([t.examples]).font = { bold: true, color: { argb: 'FF888888' } };
  instructions.addRow(memberColumns.map((c) => c.zh)).font = { bold: true, color: { argb: 'FF888888' } };
  for (const example of examples) {
    instructions.addRow(memberColumns.map((c) => example[c.key])).font = { italic: true, color: { argb: 'FF888888' } };
  }

  const buffer = await workbook.xlsx.writeBuffer();
  return Buffer.from(buffer);
}

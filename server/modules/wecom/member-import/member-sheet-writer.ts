import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Locale } from '../../../../common/errors';
import { errorsColumnHeaders, memberColumns, type MemberColumnKey } from './member-columns';
import { templateSheetNames } from './member-template';

const badCellFill: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
const errorFont: Partial<ExcelJS.Font> = { color: { argb: 'FF9C0006' } };
const headerFont: Partial<ExcelJS.Font> = { bold: true };

export type MemberSheetValues = Partial<Record<MemberColumnKey, string>>;

/**
 * Streams rows in the template's columns (the first sheet, zh headers) so an
 * export can be imported again as it is. Rows are committed one by one,
 * which keeps memory flat however many members there are.
 */
export async function writeMemberRows(output: Writable, rows: AsyncIterable<MemberSheetValues[]>): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(templateSheetNames.members, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = memberColumns.map((column) => ({ key: column.key, width: column.widthChars }));
  const header = sheet.addRow(memberColumns.map((c) => c.zh));
  header.font = headerFont;
  header.commit();
  let count = 0;
  for await (const batch of rows) {
    for (const values of batch) {
      sheet.addRow(memberColumns.map((c) => values[c.key] ?? '')).commit();
      count += 1;
    }
  }
  sheet.commit();
  await workbook.commit();
  return count;
}

export interface AnnotatedRow {
  row: number;
  values: MemberSheetValues;
  /** Messages for this row, already in the reader's language, with the columns they concern. */
  errors: { column?: MemberColumnKey; message: string }[];
}

/**
 * The uploaded sheet again, at the same row numbers and in the same column
 * places, plus an 错误/Errors column; cells with a problem are filled red.
 * Uploading the fixed copy works: the import ignores the Errors column.
 */
export async function writeAnnotatedCopy(
  output: Writable,
  header: { columns: Partial<Record<MemberColumnKey, number>>; headers: Map<number, string> },
  rows: readonly AnnotatedRow[],
  locale: Locale,
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(templateSheetNames.members, { views: [{ state: 'frozen', ySplit: 1 }] });
  const lastCell = Math.max(0, ...header.headers.keys(), ...Object.values(header.columns));
  const errorsCell = lastCell + 1;
  sheet.columns = Array.from({ length: errorsCell }, (_, i) => ({ width: i + 1 === errorsCell ? 60 : 16 }));

  const headerRow = sheet.getRow(1);
  for (const [cell, text] of header.headers) headerRow.getCell(cell).value = text;
  headerRow.getCell(errorsCell).value = locale === 'en-US' ? errorsColumnHeaders.en : errorsColumnHeaders.zh;
  headerRow.font = headerFont;
  headerRow.commit();

  for (const entry of [...rows].sort((a, b) => a.row - b.row)) {
    if (entry.row <= 1) continue;
    const row = sheet.getRow(entry.row);
    for (const [key, cell] of Object.entries(header.columns) as [MemberColumnKey, number][]) {
      const value = entry.values[key];
      if (value !== undefined) row.getCell(cell).value = value;
    }
    if (entry.errors.length > 0) {
      const errorCell = row.getCell(errorsCell);
      errorCell.value = entry.errors.map((e) => e.message).join('\n');
      errorCell.font = errorFont;
      errorCell.alignment = { wrapText: true, vertical: 'top' };
      for (const error of entry.errors) {
        const cell = error.column ? header.columns[error.column] : undefined;
        if (cell !== undefined) row.getCell(cell).fill = badCellFill;
      }
    }
    row.commit();
  }
  sheet.commit();
  await workbook.commit();
}

import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';

/** The first sheet of an .xlsx file on disk, as rows of cell texts (empty cells as ''). */
export async function firstSheetRows(file: string): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await readFile(file)) as unknown as ArrayBuffer);
  const rows: string[][] = [];
  workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  return rows;
}

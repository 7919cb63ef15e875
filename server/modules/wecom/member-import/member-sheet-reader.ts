import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { AppError } from '../../../../common/errors';
import { columnLabel, mapHeaders, memberColumnKeys, type HeaderMap, type MemberColumnKey } from './member-columns';

/** One data row of the uploaded sheet: its Excel row number and the texts of the known columns. */
export interface SheetRow {
  row: number;
  values: Partial<Record<MemberColumnKey, string>>;
}

export interface MemberSheet {
  sheetName: string;
  header: HeaderMap;
  /** Empty when read with `countOnly`. */
  rows: SheetRow[];
  rowCount: number;
}

/** More rows than this in one file are refused (issue 7, "Bad input"). */
export const maxImportRows = 100_000;

const zipMagic = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** Any cell value exceljs hands out, as the text a person sees in the cell. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: unknown };
    if (Array.isArray(v.richText)) return v.richText.map((part) => part.text).join('');
    if (v.text !== undefined) return cellText(v.text);
    if ('result' in v) return cellText(v.result);
    if (v.error !== undefined) return String(v.error);
  }
  return String(value);
}

function notXlsx(filename: string): AppError {
  return new AppError('MEMBER_IMPORT_NOT_XLSX', { filename });
}

/** Reads the first worksheet of an uploaded .xlsx; refuses a file that is not one with MEMBER_IMPORT_NOT_XLSX. */
export async function readMemberSheet(file: Buffer, filename: string, options: { maxRows?: number; countOnly?: boolean } = {}): Promise<MemberSheet> {
  const maxRows = options.maxRows ?? maxImportRows;
  const keepRows = !options.countOnly;
  if (file.length < zipMagic.length || !file.subarray(0, zipMagic.length).equals(zipMagic)) throw notXlsx(filename);
  try {
    return await collectRows(streamedFirstSheet(file), maxRows, keepRows);
  } catch (error) {
    if (error instanceof AppError) throw error;
  }
  // The streaming unzip has been seen to give up on a valid file when the process is busy; a whole-file
  // read (more memory, only on this path) decides whether the file really is broken.
  try {
    return await collectRows(loadedFirstSheet(file), maxRows, keepRows);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw notXlsx(filename);
  }
}

interface RawSheet {
  name: string;
  rows: AsyncIterable<{ number: number; values: unknown[] }>;
}

/** The first worksheet, read as a stream: memory stays flat however many rows the file holds. */
async function* streamedFirstSheet(file: Buffer): AsyncGenerator<RawSheet> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([file]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  let sawWorksheet = false;
  for await (const worksheet of reader) {
    if (sawWorksheet) {
      // Only the first sheet holds members; the rest are instructions and lists. Each is still read to its end:
      // a sheet stored before the shared strings comes from a temporary file that the reader deletes as soon as
      // the sheet is handed over, and a sheet skipped unread opens that file after it is gone (an uncaught ENOENT).
      for await (const row of worksheet) void row;
      continue;
    }
    sawWorksheet = true;
    const rows = (async function* () {
      for await (const row of worksheet) yield { number: row.number, values: row.values as unknown[] };
    })();
    yield { name: (worksheet as unknown as { name?: string }).name ?? '', rows };
  }
}

/** The first worksheet of the whole file loaded at once. */
async function* loadedFirstSheet(file: Buffer): AsyncGenerator<RawSheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(file as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) return;
  const rows: { number: number; values: unknown[] }[] = [];
  sheet.eachRow((row) => rows.push({ number: row.number, values: row.values as unknown[] }));
  yield {
    name: sheet.name,
    rows: (async function* () {
      yield* rows;
    })(),
  };
}

/**
 * The first non-empty row is the header row (zh or en), every later non-blank
 * row a member. File-level problems (empty, wrong headers, too many rows)
 * throw AppErrors the route answers as 4xx; row-level problems are left to the
 * row checks so that each row gets its own report line.
 */
async function collectRows(sheets: AsyncIterable<RawSheet>, maxRows: number, keepRows: boolean): Promise<MemberSheet> {
  let header: HeaderMap | null = null;
  let sheetName = '';
  const rows: SheetRow[] = [];
  let rowCount = 0;
  let sawWorksheet = false;
  for await (const sheet of sheets) {
    sawWorksheet = true;
    sheetName = sheet.name;
    for await (const row of sheet.rows) {
      const cells = new Map<number, string>();
      row.values.forEach((value, index) => {
        const text = cellText(value).trim();
        if (text !== '') cells.set(index, text);
      });
      if (cells.size === 0) continue;
      if (!header) {
        const mapped = mapHeaders(cells);
        if ('code' in mapped) throw headerError(mapped);
        header = mapped;
        continue;
      }
      const values: Partial<Record<MemberColumnKey, string>> = {};
      let hasMemberData = false;
      for (const key of memberColumnKeys) {
        const cell = header.columns[key];
        const text = cell === undefined ? undefined : cells.get(cell);
        if (text !== undefined) {
          values[key] = text;
          hasMemberData = true;
        }
      }
      if (!hasMemberData) continue; // e.g. a row holding only a leftover error note
      if (rowCount >= maxRows) throw new AppError('MEMBER_IMPORT_TOO_MANY_ROWS', { limit: maxRows });
      rowCount++;
      if (keepRows) rows.push({ row: row.number, values });
    }
  }
  if (!sawWorksheet) throw new Error('no worksheet');
  if (!header || rowCount === 0) throw new AppError('MEMBER_IMPORT_EMPTY');
  return { sheetName, header, rows, rowCount };
}

function headerError(problem: Exclude<ReturnType<typeof mapHeaders>, HeaderMap>): AppError {
  if (problem.code === 'MEMBER_IMPORT_HEADERS_MISSING') {
    return new AppError(problem.code, {
      missing: problem.missing.map((key) => `${columnLabel(key, 'zh-CN')} (${columnLabel(key, 'en-US')})`).join(', '),
      columns: problem.missing,
    });
  }
  if (problem.code === 'MEMBER_IMPORT_HEADERS_UNKNOWN') return new AppError(problem.code, { unknown: problem.unknown.join(', ') });
  return new AppError(problem.code, { header: problem.header });
}

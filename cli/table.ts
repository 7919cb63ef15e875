/** Code point ranges a terminal draws two cells wide (CJK, Hangul, full-width forms, most emoji). */
const wideRanges: readonly [number, number][] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];

const zeroWidth = /[\p{Mn}\p{Me}\p{Cf}]/u;

function codePointWidth(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  if (zeroWidth.test(char)) return 0;
  return wideRanges.some(([from, to]) => code >= from && code <= to) ? 2 : 1;
}

/** Terminal columns a string occupies: CJK characters count two, combining marks none. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += codePointWidth(char);
  return width;
}

/**
 * Values come from the server and may hold anything a user typed: control
 * characters would move the cursor or recolour the terminal, so they are
 * shown as spaces (line breaks, tabs) or `?`.
 */
export function printable(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.replace(/[\t\n\r]/g, ' ').replace(/\p{Cc}/gu, '?');
}

function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

export interface Column<Row> {
  header: string;
  value(row: Row): unknown;
}

/** Columns aligned for people; an empty list says so instead of printing a bare header. */
export function renderTable<Row>(columns: Column<Row>[], rows: readonly Row[]): string {
  if (rows.length === 0) return '(none)\n';
  const cells = rows.map((row) => columns.map((column) => printable(column.value(row))));
  const widths = columns.map((column, i) => Math.max(displayWidth(column.header), ...cells.map((line) => displayWidth(line[i] ?? ''))));
  const renderLine = (line: string[]) =>
    line
      .map((cell, i) => (i === line.length - 1 ? cell : padEnd(cell, widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [renderLine(columns.map((c) => c.header)), ...cells.map(renderLine)].join('\n') + '\n';
}

/** One object as `label  value` lines, labels aligned. */
export function renderRecord(pairs: [string, unknown][]): string {
  const width = Math.max(...pairs.map(([label]) => displayWidth(label)));
  return pairs.map(([label, value]) => `${padEnd(label, width)}  ${printable(value)}`.trimEnd()).join('\n') + '\n';
}

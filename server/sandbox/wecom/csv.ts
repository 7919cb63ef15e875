/**
 * Reads CSV as spreadsheet programs write it: optional BOM, quoted fields
 * with doubled quotes, CRLF or LF line ends; blank lines are skipped.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < input.length; i++) {
    const c = input[i] as string;
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && input[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((v) => v.trim() !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw new Error('unterminated quoted field');
  row.push(field);
  if (row.some((v) => v.trim() !== '')) rows.push(row);
  return rows;
}

/** One member line of a sync/replace file. */
export interface MemberLine {
  line: number;
  name: string;
  userid: string;
  alias?: string;
  position?: string;
  department?: number[];
  gender?: string;
  mobile?: string;
  telephone?: string;
  email?: string;
  address?: string;
}

/** One department line of a replaceparty file. */
export interface PartyLine {
  line: number;
  name: string;
  id: number;
  parentId: number;
  order: number;
}

// The admin console's templates carry Chinese headers; the exact column list is
// not published, so the sandbox reads these names (账号 and 帐号 both occur).
const memberHeaders: Record<string, keyof Omit<MemberLine, 'line'>> = {
  姓名: 'name',
  账号: 'userid',
  帐号: 'userid',
  别名: 'alias',
  职务: 'position',
  部门: 'department',
  所在部门: 'department',
  性别: 'gender',
  手机: 'mobile',
  手机号: 'mobile',
  座机: 'telephone',
  邮箱: 'email',
  个人邮箱: 'email',
  地址: 'address',
};

const partyHeaders: Record<string, keyof Omit<PartyLine, 'line'>> = {
  部门名称: 'name',
  部门ID: 'id',
  父部门ID: 'parentId',
  排序: 'order',
};

function headerIndex<T extends string>(header: string[], names: Record<string, T>): Map<T, number> {
  const index = new Map<T, number>();
  header.forEach((name, i) => {
    const key = names[name.trim()];
    if (key && !index.has(key)) index.set(key, i);
  });
  return index;
}

/** Member lines, or null when the header lacks 姓名 or 账号 (WeCom answers 40092). */
export function readMemberCsv(text: string): MemberLine[] | null {
  const [header, ...rows] = parseCsv(text);
  if (!header) return null;
  const index = headerIndex(header, memberHeaders);
  if (!index.has('name') || !index.has('userid')) return null;
  return rows.map((row, i) => {
    const cell = (key: keyof Omit<MemberLine, 'line'>) => {
      const at = index.get(key);
      const value = at === undefined ? '' : (row[at] ?? '').trim();
      return value === '' ? undefined : value;
    };
    const line: MemberLine = { line: i + 2, name: cell('name') ?? '', userid: cell('userid') ?? '' };
    for (const key of ['alias', 'position', 'mobile', 'telephone', 'email', 'address'] as const) {
      const value = cell(key);
      if (value !== undefined) line[key] = value;
    }
    const gender = cell('gender');
    if (gender !== undefined) line.gender = gender === '男' ? '1' : gender === '女' ? '2' : gender;
    const department = cell('department');
    if (department !== undefined) line.department = department.split(/[;；]/).map((v) => Number(v.trim()));
    return line;
  });
}

/** Department lines, or null when the header lacks a required column. */
export function readPartyCsv(text: string): PartyLine[] | null {
  const [header, ...rows] = parseCsv(text);
  if (!header) return null;
  const index = headerIndex(header, partyHeaders);
  if (!index.has('name') || !index.has('id') || !index.has('parentId')) return null;
  return rows.map((row, i) => {
    const cell = (key: keyof Omit<PartyLine, 'line'>) => (row[index.get(key) ?? -1] ?? '').trim();
    return { line: i + 2, name: cell('name'), id: Number(cell('id')), parentId: Number(cell('parentId')), order: cell('order') === '' ? 0 : Number(cell('order')) };
  });
}

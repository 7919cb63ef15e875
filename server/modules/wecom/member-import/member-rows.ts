import type { ErrorCode } from '../../../../common/errors';
import type { MemberColumnKey } from './member-columns';
import type { SheetRow } from './member-sheet-reader';

/** A member as one row describes it; structurally the members module's MemberInput with paths for departments. */
export interface RowMemberInput {
  userid: string;
  name?: string;
  alias?: string;
  mobile?: string;
  email?: string;
  position?: string;
  gender?: 'male' | 'female' | 'unknown';
  telephone?: string;
  departments?: { path: string[]; isLeader?: boolean; isMain?: boolean }[];
}

/** One thing wrong with a row, before it becomes a report line in the user's language. */
export interface RowProblem {
  row: number;
  column: MemberColumnKey;
  code: ErrorCode;
  details: Record<string, string | number>;
}

export interface ParsedRow {
  row: number;
  input: RowMemberInput;
}

const maxDepartmentsPerMember = 100;

/** Several departments are joined by ; (full-width ； too, as Chinese keyboards type it). */
export function splitDepartmentList(value: string): string[] {
  return value
    .split(/[;；\n]/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** 「华东区 / 上海店」 → ['华东区', '上海店']; null when a level is empty (「华东区//上海店」). */
export function splitDepartmentPath(value: string): string[] | null {
  const levels = value
    .replace(/^\/+/, '')
    .replace(/\/+$/, '')
    .split('/')
    .map((level) => level.trim());
  if (levels.length === 0 || levels.some((level) => level === '')) return null;
  return levels;
}

export const joinDepartmentPath = (levels: readonly string[]) => levels.join('/');

const genderWords: Record<string, 'male' | 'female' | 'unknown'> = {
  男: 'male',
  male: 'male',
  m: 'male',
  '1': 'male',
  女: 'female',
  female: 'female',
  f: 'female',
  '2': 'female',
  未知: 'unknown',
  unknown: 'unknown',
  '0': 'unknown',
};

const yesWords = new Set(['是', 'yes', 'y', 'true', '1']);
const noWords = new Set(['否', 'no', 'n', 'false', '0']);

function yesNo(value: string): boolean | null {
  const word = value.trim().toLowerCase();
  if (yesWords.has(word)) return true;
  if (noWords.has(word)) return false;
  return null;
}

/**
 * Turns one sheet row into a member input and the problems only the sheet
 * can see (department paths, yes/no and gender words, the main department).
 * WeCom's field rules are checked afterwards on the input by the members
 * module's checkMember, so both routes into the directory share one rulebook.
 * Empty optional cells leave the member's current value as it is.
 */
export function parseMemberRow(sheetRow: SheetRow): { parsed: ParsedRow; problems: RowProblem[] } {
  const { row, values } = sheetRow;
  const problems: RowProblem[] = [];
  const problem = (column: MemberColumnKey, code: ErrorCode, details: Record<string, string | number> = {}) =>
    problems.push({ row, column, code, details });

  const input: RowMemberInput = { userid: values.userid ?? '' };
  if (!values.userid) problem('userid', 'MEMBER_IMPORT_REQUIRED');
  if (values.name) input.name = values.name;
  else problem('name', 'MEMBER_IMPORT_REQUIRED');
  for (const key of ['alias', 'mobile', 'email', 'position', 'telephone'] as const) {
    if (values[key]) input[key] = values[key];
  }

  if (values.gender) {
    const gender = genderWords[values.gender.trim().toLowerCase()];
    if (gender) input.gender = gender;
    else problem('gender', 'MEMBER_IMPORT_INVALID_CHOICE', { value: values.gender, choices: '男 / 女 (male / female)' });
  }

  const paths: string[][] = [];
  if (!values.departments) problem('departments', 'MEMBER_IMPORT_REQUIRED');
  else {
    for (const text of splitDepartmentList(values.departments)) {
      const levels = splitDepartmentPath(text);
      if (!levels) problem('departments', 'MEMBER_IMPORT_DEPARTMENT_PATH_INVALID', { path: text });
      else if (!paths.some((p) => joinDepartmentPath(p) === joinDepartmentPath(levels))) paths.push(levels);
    }
    if (paths.length === 0 && !problems.some((p) => p.column === 'departments')) problem('departments', 'MEMBER_IMPORT_REQUIRED');
    if (paths.length > maxDepartmentsPerMember) {
      problem('departments', 'MEMBER_IMPORT_TOO_MANY_DEPARTMENTS', { max: maxDepartmentsPerMember, count: paths.length });
    }
  }

  let leaders: boolean[] | null = null;
  if (values.isLeader) {
    const words = splitDepartmentList(values.isLeader).map((word) => ({ word, value: yesNo(word) }));
    const bad = words.find((w) => w.value === null);
    if (bad) problem('isLeader', 'MEMBER_IMPORT_INVALID_CHOICE', { value: bad.word, choices: '是 / 否 (yes / no)' });
    else if (words.length !== 1 && words.length !== paths.length) {
      problem('isLeader', 'MEMBER_IMPORT_LEADER_COUNT_MISMATCH', { count: words.length, departments: paths.length });
    } else leaders = paths.map((_, i) => (words.length === 1 ? words[0]!.value! : words[i]!.value!));
  }

  let mainIndex = 0;
  if (values.mainDepartment) {
    const levels = splitDepartmentPath(values.mainDepartment);
    const index = levels ? paths.findIndex((p) => joinDepartmentPath(p) === joinDepartmentPath(levels)) : -1;
    if (index < 0) {
      if (paths.length > 0) problem('mainDepartment', 'MEMBER_IMPORT_MAIN_DEPARTMENT_NOT_LISTED', { path: values.mainDepartment });
    } else mainIndex = index;
  }

  if (paths.length > 0) {
    input.departments = paths.map((path, i) => ({
      path,
      isMain: i === mainIndex,
      ...(leaders ? { isLeader: leaders[i] } : {}),
    }));
  }
  return { parsed: { row, input }, problems };
}

/** Rows repeating an earlier row's userid, mobile or email; WeCom compares userids and emails ignoring case. */
export function findDuplicatesInFile(rows: readonly ParsedRow[]): RowProblem[] {
  const problems: RowProblem[] = [];
  const keys: { column: MemberColumnKey; keyOf: (input: RowMemberInput) => string | undefined }[] = [
    { column: 'userid', keyOf: (input) => (input.userid ? input.userid.toLowerCase() : undefined) },
    { column: 'mobile', keyOf: (input) => input.mobile?.replace(/[\s-]/g, '') },
    { column: 'email', keyOf: (input) => input.email?.toLowerCase() },
  ];
  for (const { column, keyOf } of keys) {
    const firstRow = new Map<string, number>();
    for (const { row, input } of rows) {
      const key = keyOf(input);
      if (!key) continue;
      const earlier = firstRow.get(key);
      if (earlier === undefined) firstRow.set(key, row);
      else problems.push({ row, column, code: 'MEMBER_IMPORT_DUPLICATE_IN_FILE', details: { value: (input[column as 'userid'] ?? key) as string, otherRow: earlier } });
    }
  }
  return problems;
}

import { describe, expect, it } from 'vitest';
import { parseCsv, readMemberCsv, readPartyCsv } from './csv';
import {
  checkAppMessage,
  checkContactWay,
  checkCorpTagName,
  checkDepartmentId,
  checkDepartmentName,
  checkDepthUnder,
  checkEmail,
  checkMemberDepartments,
  checkMemberFields,
  checkMobile,
  checkOrder,
  checkReachable,
  checkRecipients,
  checkTelephone,
  checkUserid,
  checkWelcomeCode,
  checkWelcomeMessage,
  useridKey,
} from './rules';

const code = (failure: { errcode: number } | null) => failure?.errcode ?? 0;
const ids = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1)).join('|');

describe('department rules', () => {
  it.each<[string, string, number]>([
    ['a one-character name', '研', 0],
    ['a 64-character name', '部'.repeat(64), 0],
    ['an empty name', '', 60001],
    ['a 65-character name', '部'.repeat(65), 60001],
    ...['\\', ':', '*', '?', '"', '<', '>', '|'].map((c): [string, string, number] => [`a name with ${c}`, `研发${c}部`, 60009]),
  ])('judges %s (%s)', (_name, value, errcode) => {
    expect(code(checkDepartmentName(value))).toBe(errcode);
  });

  it.each([
    [2, 0],
    [2_147_483_647, 0],
    [1, 60123],
    [0, 60123],
    [2_147_483_648, 60123],
    [2.5, 60123],
  ])('accepts department id %s only above the root and within 32 bits (%s)', (id, errcode) => {
    expect(code(checkDepartmentId(id))).toBe(errcode);
  });

  it.each([
    [0, 0],
    [4_294_967_295, 0],
    [4_294_967_296, 40058],
    [-1, 40058],
  ])('keeps order %s within [0, 2^32) (%s)', (order, errcode) => {
    expect(code(checkOrder(order))).toBe(errcode);
  });

  it.each([
    [14, 1, 0],
    [15, 1, 81002],
    [12, 3, 0],
    [13, 3, 81002],
  ])('under a parent at level %s, a subtree of height %s fits within 15 levels (%s)', (level, height, errcode) => {
    expect(code(checkDepthUnder(level, height))).toBe(errcode);
  });
});

describe('member rules', () => {
  it.each([
    ['zhangsan', 0],
    ['Zhang.San-01_@corp', 0],
    ['9lives', 0],
    ['a'.repeat(64), 0],
    ['a'.repeat(65), 40003],
    ['', 40003],
    ['_leading', 40003],
    ['has space', 40003],
    ['张三', 40003],
  ])('judges userid %j (%s)', (userid, errcode) => {
    expect(code(checkUserid(userid))).toBe(errcode);
  });

  it('compares userids ignoring case', () => {
    expect(useridKey('ZhangSan')).toBe(useridKey('zhangsan'));
  });

  it.each([
    [{ name: '张三' }, 0],
    [{ name: '' }, 60112],
    [{ name: '名'.repeat(65) }, 60112],
    [{ mobile: '13800000000' }, 0],
    [{ mobile: '+86 13800000000' }, 0],
    [{ mobile: '138-0000' }, 60103],
    [{ email: 'a@b.cn' }, 0],
    [{ email: 'a@b' }, 60105],
    [{ email: `${'a'.repeat(60)}@b.cn` }, 60105],
    [{ position: '职'.repeat(128) }, 0],
    [{ position: '职'.repeat(129) }, 301012],
    [{ telephone: '020-12345678,+86' }, 0],
    [{ telephone: '020 1234' }, 301013],
    [{ telephone: '1'.repeat(33) }, 301013],
    [{ gender: '3' }, 40058],
    [{ alias: 'a'.repeat(65) }, 40058],
    [{ address: '路'.repeat(129) }, 40058],
  ])('judges member fields %j (%s)', (fields, errcode) => {
    expect(code(checkMemberFields(fields))).toBe(errcode);
  });

  it.each([
    ['13800000000', null, 0],
    [null, 'a@b.cn', 0],
    [null, null, 60129],
    ['', '', 60129],
  ])('needs a mobile (%s) or an email (%s) (%s)', (mobile, email, errcode) => {
    expect(code(checkReachable(mobile, email))).toBe(errcode);
  });

  it.each([
    [{ department: [1] }, 0],
    [{ department: [] }, 60127],
    [{ department: undefined }, 60127],
    [{ department: Array.from({ length: 100 }, (_, i) => i + 1) }, 0],
    [{ department: Array.from({ length: 101 }, (_, i) => i + 1) }, 60110],
    [{ department: [1, 2], order: [1] }, 40058],
    [{ department: [1, 2], isLeaderInDept: [1, 0] }, 0],
    [{ department: [1, 2], isLeaderInDept: [1] }, 40058],
    [{ department: [1, 2], mainDepartment: 3 }, 40058],
    [{ department: [1, 1] }, 40058],
  ])('judges departments %j (%s)', (input, errcode) => {
    expect(code(checkMemberDepartments(input))).toBe(errcode);
  });

  it('checks contact formats on their own', () => {
    expect(checkMobile('13912345678')).toBeNull();
    expect(checkEmail('user00001@example.com')).toBeNull();
    expect(checkTelephone('')).toBeNull();
  });
});

describe('welcome codes and messages', () => {
  const issuedAt = new Date('2026-01-01T00:00:00Z');
  it.each([
    ['a fresh code', { issuedAt, usedAt: null }, 0, 0],
    ['a code at 20 s', { issuedAt, usedAt: null }, 20_000, 0],
    ['a code after 20 s', { issuedAt, usedAt: null }, 20_001, 41051],
    ['a used code', { issuedAt, usedAt: issuedAt }, 1000, 41051],
    ['an unknown code', null, 0, 41051],
  ])('judges %s', (_name, row, afterMs, errcode) => {
    expect(code(checkWelcomeCode(row, new Date(issuedAt.getTime() + afterMs)))).toBe(errcode);
  });

  it.each([
    [{ text: { content: '你好' } }, 0],
    [{}, 44004],
    [{ text: { content: '' }, attachments: [] }, 44004],
    [{ text: { content: 'a'.repeat(4000) } }, 0],
    [{ text: { content: '字'.repeat(1334) } }, 45002],
    [{ attachments: Array.from({ length: 10 }, () => ({ msgtype: 'image', image: { media_id: 'm' } })) }, 40058],
    [{ attachments: [{ msgtype: 'link', link: { title: 't'.repeat(129), url: 'https://x' } }] }, 40058],
    [{ attachments: [{ msgtype: 'link', link: { title: 't', url: 'https://x' } }] }, 0],
    [{ attachments: [{ msgtype: 'miniprogram', miniprogram: { title: '标'.repeat(22), appid: 'wx', page: 'p' } }] }, 40058],
    [{ attachments: [{ msgtype: 'image' }] }, 40058],
  ])('judges welcome message %#', (input, errcode) => {
    expect(code(checkWelcomeMessage(input))).toBe(errcode);
  });
});

describe('customer contact rules', () => {
  it.each([
    ['标'.repeat(30), 0],
    ['标'.repeat(31), 40072],
    ['   ', 40072],
  ])('judges tag name %j (%s)', (name, errcode) => {
    expect(code(checkCorpTagName(name))).toBe(errcode);
  });

  it.each([
    [{ type: 1, scene: 2, user: ['a'] }, 0],
    [{ type: 1, scene: 2, user: ['a', 'b'] }, 40058],
    [{ type: 1, scene: 2, user: ['a'], party: [2] }, 40058],
    [{ type: 2, scene: 1, party: [2] }, 0],
    [{ type: 2, scene: 1 }, 40058],
    [{ type: 3, scene: 1, user: ['a'] }, 40058],
    [{ type: 1, scene: 3, user: ['a'] }, 40058],
    [{ type: 1, scene: 2, user: ['a'], state: 's'.repeat(30) }, 0],
    [{ type: 1, scene: 2, user: ['a'], state: 's'.repeat(31) }, 40058],
    [{ type: 1, scene: 2, user: ['a'], remark: 'r'.repeat(31) }, 40058],
  ])('judges contact way %j (%s)', (input, errcode) => {
    expect(code(checkContactWay(input))).toBe(errcode);
  });
});

describe('app message rules', () => {
  it.each([
    [{ touser: 'a' }, 0],
    [{ touser: ids(1000) }, 0],
    [{ touser: ids(1001) }, 40032],
    [{ toparty: ids(101) }, 82002],
    [{ totag: ids(101) }, 82003],
    [{}, 40031],
    [{ touser: '|' }, 40031],
  ])('judges recipients %# (%s)', (input, errcode) => {
    expect(code(checkRecipients(input))).toBe(errcode);
  });

  it.each([
    ['text', { content: 'hi' }, 0],
    ['text', { content: ' ' }, 44004],
    ['text', { content: 'a'.repeat(2049) }, 45002],
    ['text', undefined, 40008],
    ['markdown', { content: '**hi**' }, 0],
    ['textcard', { title: 't', description: 'd', url: 'https://x' }, 0],
    ['textcard', { title: 't'.repeat(129), description: 'd', url: 'https://x' }, 45002],
    ['textcard', { title: 't', description: 'd'.repeat(513), url: 'https://x' }, 45002],
    ['textcard', { title: 't', description: 'd', url: 'https://x', btntxt: '更多详情哦' }, 45002],
    ['news', { articles: [{ title: 'a' }] }, 0],
    ['news', { articles: [] }, 45008],
    ['news', { articles: Array.from({ length: 9 }, () => ({ title: 'a' })) }, 45008],
    ['image', { media_id: 'm' }, 0],
    ['image', {}, 40058],
  ])('judges a %s message %j (%s)', (msgtype, body, errcode) => {
    expect(code(checkAppMessage(msgtype, body))).toBe(errcode);
  });
});

describe('batch CSV files', () => {
  it('reads quoted fields, doubled quotes, CRLF and a BOM', () => {
    expect(parseCsv('\uFEFFa,"b,c","d""e"\r\n\r\n1,2,3\n')).toEqual([
      ['a', 'b,c', 'd"e'],
      ['1', '2', '3'],
    ]);
  });

  it('reads member lines by their Chinese headers', () => {
    const lines = readMemberCsv('姓名,帐号,手机号,邮箱,所在部门,职务,性别\n张三,zhangsan,13800000001,,2;3,经理,男\n');
    expect(lines).toEqual([{ line: 2, name: '张三', userid: 'zhangsan', mobile: '13800000001', department: [2, 3], position: '经理', gender: '1' }]);
  });

  it('refuses files without the required columns', () => {
    expect(readMemberCsv('姓名,手机号\n张三,138\n')).toBeNull();
    expect(readPartyCsv('部门名称,部门ID\n研发,2\n')).toBeNull();
    expect(readPartyCsv('部门名称,部门ID,父部门ID,排序\n研发,2,1,5\n')).toEqual([{ line: 2, name: '研发', id: 2, parentId: 1, order: 5 }]);
  });
});

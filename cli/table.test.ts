import { describe, expect, it } from 'vitest';
import { displayWidth, printable, renderRecord, renderTable } from './table';

describe('displayWidth', () => {
  it('counts Chinese, full-width and emoji characters as two columns', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('张三')).toBe(4);
    expect(displayWidth('华东区/上海店')).toBe(13);
    expect(displayWidth('ＡＢ')).toBe(4);
    expect(displayWidth('👍')).toBe(2);
  });

  it('counts combining marks as nothing', () => {
    expect(displayWidth('e\u0301')).toBe(1);
  });
});

describe('printable', () => {
  it('neutralises terminal control characters that came from the server', () => {
    expect(printable('evil\u001b[2Jname')).toBe('evil?[2Jname');
    expect(printable('two\nlines')).toBe('two lines');
  });

  it('shows null as empty and objects as JSON', () => {
    expect(printable(null)).toBe('');
    expect(printable({ a: 1 })).toBe('{"a":1}');
  });
});

describe('renderTable', () => {
  it('aligns columns by display width, so Chinese names line up with ASCII ones', () => {
    const out = renderTable(
      [
        { header: 'NAME', value: (r: { name: string; role: string }) => r.name },
        { header: 'ROLE', value: (r) => r.role },
      ],
      [
        { name: '张三', role: 'member' },
        { name: 'admin', role: 'super_admin' },
      ],
    );
    const lines = out.trimEnd().split('\n');
    expect(lines).toEqual(['NAME   ROLE', '张三   member', 'admin  super_admin']);
  });

  it('says (none) for an empty list', () => {
    expect(renderTable([{ header: 'X', value: () => 1 }], [])).toBe('(none)\n');
  });
});

describe('renderRecord', () => {
  it('aligns labels', () => {
    expect(renderRecord([
      ['id', 1],
      ['username', 'a'],
    ])).toBe('id        1\nusername  a\n');
  });
});

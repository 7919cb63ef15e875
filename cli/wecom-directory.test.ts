import { describe, expect, it } from 'vitest';
import { treeLines } from './commands/wecom-directory';

const department = (id: number, parentId: number, name: string, synced = true) => ({
  id,
  parentId,
  name,
  nameEn: null,
  order: 0,
  leaderUserids: [],
  memberCount: id,
  synced,
  createdAt: '',
  updatedAt: '',
});

describe('qiao wecom departments list', () => {
  it('indents each department under its parent and starts a scope root at the left', () => {
    expect(treeLines([department(1, 0, '桥科技'), department(2, 1, '华东区'), department(3, 2, '上海店', false), department(4, 1, '市场部')])).toEqual([
      '桥科技 (1) · 1',
      '  华东区 (2) · 2',
      '    上海店 (3) · 3 *',
      '  市场部 (4) · 4',
    ]);
    expect(treeLines([department(2, 1, '华东区'), department(3, 2, '上海店')])).toEqual(['华东区 (2) · 2', '  上海店 (3) · 3']);
  });
});

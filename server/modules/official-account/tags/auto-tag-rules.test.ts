import { describe, expect, it } from 'vitest';
import { tagsEarned, type AutoTagRule } from './auto-tag-rules';

const rules: AutoTagRule[] = [
  { tagId: 100, trigger: 'menu_click', match: 'exact', value: 'PRODUCT' },
  { tagId: 101, trigger: 'keyword', match: 'contains', value: '价格' },
  { tagId: 102, trigger: 'keyword', match: 'exact', value: 'VIP' },
  { tagId: 101, trigger: 'keyword', match: 'contains', value: '报价' },
];

describe('auto-tag rules', () => {
  it('tags a click on the menu key and nothing for another key', () => {
    expect(tagsEarned(rules, { kind: 'menu_click', key: 'PRODUCT' })).toEqual([100]);
    expect(tagsEarned(rules, { kind: 'menu_click', key: 'PRODUCT_2' })).toEqual([]);
  });

  it('does not let a text equal to a menu key earn the menu tag', () => {
    expect(tagsEarned(rules, { kind: 'text', content: 'PRODUCT' })).toEqual([]);
  });

  it('matches contains-keywords anywhere and exact keywords only whole, ignoring case and outer spaces', () => {
    expect(tagsEarned(rules, { kind: 'text', content: '请问产品价格多少' })).toEqual([101]);
    expect(tagsEarned(rules, { kind: 'text', content: '  vip ' })).toEqual([102]);
    expect(tagsEarned(rules, { kind: 'text', content: '我是VIP客户' })).toEqual([]);
  });

  it('earns a tag once even when several of its rules match', () => {
    expect(tagsEarned(rules, { kind: 'text', content: '价格和报价' })).toEqual([101]);
  });
});

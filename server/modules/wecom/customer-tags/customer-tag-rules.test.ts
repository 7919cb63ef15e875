import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../../common/errors';
import { checkTagCount, checkTagName, checkTagOrder, reconcileTag, ruleMatches, type LocalTagState } from './customer-tag-rules';

const v = (name: string, order = 0) => ({ name, order });
const local = (over: Partial<LocalTagState>): LocalTagState => ({ values: v('A'), base: v('A'), pending: null, conflict: false, ...over });

function codeOf(work: () => unknown): string | null {
  try {
    work();
    return null;
  } catch (error) {
    return isAppError(error) ? error.code : 'other';
  }
}

describe('customer tag limits', () => {
  it('takes names of 1–30 characters, counting Chinese characters as one', () => {
    expect(checkTagName('  高意向  ', 'name')).toBe('高意向');
    expect(checkTagName('客'.repeat(30), 'name')).toHaveLength(30);
    expect(codeOf(() => checkTagName('客'.repeat(31), 'name'))).toBe('CUSTOMER_TAG_NAME_INVALID');
    expect(codeOf(() => checkTagName('   ', 'name'))).toBe('CUSTOMER_TAG_NAME_INVALID');
  });
  it('keeps order inside [0, 2^32) and the corp under 10,000 tags', () => {
    expect(checkTagOrder(undefined)).toBe(0);
    expect(checkTagOrder(2 ** 32 - 1)).toBe(2 ** 32 - 1);
    expect(codeOf(() => checkTagOrder(2 ** 32))).toBe('CUSTOMER_TAG_ORDER_INVALID');
    expect(codeOf(() => checkTagOrder(-1))).toBe('CUSTOMER_TAG_ORDER_INVALID');
    expect(codeOf(() => checkTagCount(9_999, 1))).toBeNull();
    expect(codeOf(() => checkTagCount(9_999, 2))).toBe('CUSTOMER_TAG_LIMIT_REACHED');
  });
});

describe('reconciling one tag with WeCom', () => {
  it('takes WeCom’s values when Qiao changed nothing, and purges what WeCom deleted', () => {
    expect(reconcileTag(null, v('A'))).toBe('insert');
    expect(reconcileTag(local({}), v('A'))).toBe('none');
    expect(reconcileTag(local({}), v('B'))).toBe('take');
    expect(reconcileTag(local({}), null)).toBe('purge');
  });
  it('keeps an unapplied Qiao edit while WeCom has not moved, and flags a conflict when it has', () => {
    const edited = local({ values: v('Q'), base: v('A'), pending: 'update' });
    expect(reconcileTag(edited, v('A'))).toBe('keep');
    expect(reconcileTag(edited, v('Q'))).toBe('take');
    expect(reconcileTag(edited, v('W'))).toBe('conflict');
    expect(reconcileTag(edited, null)).toBe('conflict');
  });
  it('treats an unapplied delete the same way', () => {
    const deleting = local({ pending: 'delete' });
    expect(reconcileTag(deleting, v('A'))).toBe('keep');
    expect(reconcileTag(deleting, null)).toBe('purge');
    expect(reconcileTag(deleting, v('A', 5))).toBe('conflict');
  });
  it('leaves a conflict until someone picks a side, unless both sides came to agree', () => {
    const open = local({ values: v('Q'), base: v('A'), pending: 'update', conflict: true });
    expect(reconcileTag(open, v('W'))).toBe('conflict');
    expect(reconcileTag(open, v('Q'))).toBe('take');
  });
  it('adopts a pending create WeCom already holds', () => {
    expect(reconcileTag(local({ base: null, pending: 'create' }), v('A'))).toBe('take');
    expect(reconcileTag(local({ base: null, pending: 'create' }), null)).toBe('keep');
  });
});

describe('auto-tag rule matching', () => {
  it('matches states exactly and keywords ignoring case', () => {
    expect(ruleMatches({ trigger: 'state', match: 'exact', value: 'expo2026' }, 'expo2026')).toBe(true);
    expect(ruleMatches({ trigger: 'state', match: 'exact', value: 'expo2026' }, 'EXPO2026')).toBe(false);
    expect(ruleMatches({ trigger: 'keyword', match: 'contains', value: '报价' }, '客户想要一份报价单')).toBe(true);
    expect(ruleMatches({ trigger: 'keyword', match: 'exact', value: 'VIP' }, ' vip ')).toBe(true);
    expect(ruleMatches({ trigger: 'keyword', match: 'exact', value: 'VIP' }, 'vip客户')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { checkRule, regionOf, resolveAssignment, sameMembers, shanghaiDay, shanghaiDayStart, withinWorkingHours, type AssignmentRule, type AssignmentRuleSpec, type ResolveWorld } from './assignment-rules';

const spec = (over: Partial<AssignmentRuleSpec> = {}): AssignmentRuleSpec => ({
  states: [],
  regions: [],
  userids: [],
  departmentIds: [],
  capacityPerDay: null,
  workingHours: null,
  ...over,
});

const world = (over: Partial<ResolveWorld> = {}): ResolveWorld => ({
  members: [
    { userid: 'alice', departmentIds: [2], status: 'active' },
    { userid: 'bob', departmentIds: [3], status: 'active' },
    { userid: 'carol', departmentIds: [3], status: 'disabled' },
    { userid: 'dave', departmentIds: [4], status: 'active' },
  ],
  // 1 ← 2 ← 3; 4 under 1
  parents: new Map([
    [2, 1],
    [3, 2],
    [4, 1],
  ]),
  addsToday: new Map(),
  ...over,
});

// Wednesday 2026-03-04 10:00 in Shanghai.
const weekdayMorning = new Date('2026-03-04T02:00:00Z');

describe('assignment rules', () => {
  it('finds the region from the input, a tag naming a rule region, or a landline area code', () => {
    expect(regionOf({ region: '杭州' }, [])).toBe('杭州');
    expect(regionOf({ tags: ['VIP', '上海'] }, ['上海'])).toBe('上海');
    expect(regionOf({ phone: '021-61234567' }, [])).toBe('上海');
    expect(regionOf({ phone: '+86 755 8888 1234' }, [])).toBe('深圳');
    expect(regionOf({ phone: '13912345678' }, [])).toBeNull();
  });

  it('compares a code’s members without order or case, so apply rewrites only a real change', () => {
    expect(sameMembers(['Alice', 'bob'], ['bob', 'alice'])).toBe(true);
    expect(sameMembers(['alice', 'alice'], ['alice'])).toBe(true);
    expect(sameMembers(['alice'], ['alice', 'bob'])).toBe(false);
    expect(sameMembers([], [])).toBe(true);
  });

  it('reads working hours and days in Asia/Shanghai', () => {
    const hours = { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' };
    expect(withinWorkingHours(hours, weekdayMorning)).toBe(true);
    expect(withinWorkingHours(hours, new Date('2026-03-04T10:30:00Z'))).toBe(false); // 18:30
    expect(withinWorkingHours(hours, new Date('2026-03-07T02:00:00Z'))).toBe(false); // Saturday
    expect(shanghaiDay(new Date('2026-03-04T17:00:00Z'))).toBe('2026-03-05');
    expect(shanghaiDayStart(new Date('2026-03-04T17:00:00Z')).toISOString()).toBe('2026-03-04T16:00:00.000Z');
  });

  it('rejects rules without a pool, with a bad capacity or bad hours', () => {
    expect(checkRule(spec())).toBe('pool');
    expect(checkRule(spec({ userids: ['a'], capacityPerDay: 0 }))).toBe('capacity');
    expect(checkRule(spec({ userids: ['a'], workingHours: { days: [1], start: '18:00', end: '09:00' } }))).toBe('hours');
    expect(checkRule(spec({ userids: ['a'], workingHours: { days: [8], start: '09:00', end: '18:00' } }))).toBe('days');
    expect(checkRule(spec({ departmentIds: [2] }))).toBeNull();
  });

  it('takes the first matching rule with an eligible member and says why the others were passed over', () => {
    const rules: AssignmentRule[] = [
      { id: 'r1', name: '展会渠道', priority: 1, spec: spec({ states: ['expo'], userids: ['dave'] }) },
      { id: 'r2', name: '上海客户', priority: 2, spec: spec({ regions: ['上海'], departmentIds: [2], capacityPerDay: 2 }) },
      { id: 'r3', name: '兜底', priority: 3, spec: spec({ userids: ['dave'] }) },
    ];
    const result = resolveAssignment(rules, { phone: '02161234567', at: weekdayMorning }, world({ addsToday: new Map([['alice', 1]]) }));
    expect(result).toMatchObject({ ruleId: 'r2', userids: ['alice', 'bob'], next: 'bob', region: '上海' });
    expect(result.verdicts[0]).toMatchObject({ ruleId: 'r1', matched: false, skipped: 'channel' });
    // department 2's subtree holds alice (2), bob and carol (3); carol is disabled.
    expect(result.verdicts[1]?.members).toEqual([
      { userid: 'alice', reason: 'eligible', addsToday: 1 },
      { userid: 'bob', reason: 'eligible', addsToday: 0 },
      { userid: 'carol', reason: 'inactive', addsToday: 0 },
    ]);

    const full = resolveAssignment(rules, { region: '上海', at: weekdayMorning }, world({ addsToday: new Map([['alice', 2], ['bob', 2]]) }));
    expect(full).toMatchObject({ ruleId: 'r3', userids: ['dave'] });
    expect(full.verdicts[1]).toMatchObject({ skipped: 'none_eligible' });
  });

  it('passes over a rule outside its working hours and answers no member when nothing fits', () => {
    const rules: AssignmentRule[] = [
      { id: 'r1', name: '工作日', priority: 1, spec: spec({ userids: ['alice'], workingHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' } }) },
    ];
    const night = resolveAssignment(rules, { at: new Date('2026-03-04T14:00:00Z') }, world());
    expect(night).toMatchObject({ ruleId: null, userids: [], next: null, verdicts: [{ matched: true, skipped: 'off_hours' }] });
    expect(resolveAssignment(rules, { at: weekdayMorning }, world())).toMatchObject({ ruleId: 'r1', next: 'alice' });
  });
});

import { describe, expect, it } from 'vitest';
import { addWayLabel, checkRemark, chinaDayBounds, followChange, maskMobile } from './customer-rules';

describe('maskMobile', () => {
  it('keeps the first three and last four digits of a mobile number', () => {
    expect(maskMobile('13812341234')).toBe('138****1234');
    expect(maskMobile('+8613812341234')).toBe('+86138****1234');
  });
  it('hides all but the last two digits of a short number, and everything of a tiny one', () => {
    expect(maskMobile('6512345')).toBe('*****45');
    expect(maskMobile('110')).toBe('***');
  });
});

describe('chinaDayBounds', () => {
  it('counts the day in China time whatever the server zone', () => {
    const { start, end } = chinaDayBounds(new Date('2026-11-26T17:30:00Z'));
    expect(start.toISOString()).toBe('2026-11-26T16:00:00.000Z');
    expect(end.toISOString()).toBe('2026-11-27T16:00:00.000Z');
    expect(chinaDayBounds(new Date('2026-11-26T15:59:59Z')).start.toISOString()).toBe('2026-11-25T16:00:00.000Z');
  });
});

describe('followChange', () => {
  const base = { remark: '王总', description: '', remarkCorpName: '', remarkMobiles: ['1', '2'], tagIds: ['t1'] };
  it('is null when nothing changed, whatever the phone numbers’ order', () => {
    expect(followChange(base, { ...base, remarkMobiles: ['2', '1'] })).toBeNull();
  });
  it('names the changed fields and the tags added and removed', () => {
    expect(followChange(base, { ...base, remark: '王经理', tagIds: ['t2'] })).toEqual({ fields: ['remark'], addedTags: ['t2'], removedTags: ['t1'] });
  });
});

describe('checkRemark', () => {
  it('takes WeCom’s lengths: remark 20 characters, description 150', () => {
    expect(checkRemark({ remark: '一'.repeat(20), description: 'd'.repeat(150) })).toBeNull();
    expect(checkRemark({ remark: '一'.repeat(21) })).toEqual({ code: 'WECOM_CUSTOMER_REMARK_TOO_LONG', details: { field: 'remark', max: 20, actual: 21 } });
    expect(checkRemark({ description: 'd'.repeat(151) })?.details).toMatchObject({ field: 'description' });
  });
  it('refuses phone numbers with anything but digits, + and -', () => {
    expect(checkRemark({ remarkMobiles: ['138-1234-1234', '+86 138'] })).toEqual({ code: 'WECOM_CUSTOMER_MOBILE_INVALID', details: { mobile: '+86 138' } });
  });
});

describe('addWayLabel', () => {
  it('names known add_way codes and shows unknown ones as numbers', () => {
    expect(addWayLabel(1, 'zh-CN')).toBe('扫描二维码');
    expect(addWayLabel(202, 'en-US')).toBe('Assigned by an admin');
    expect(addWayLabel(999, 'en-US')).toBe('999');
  });
});

import { describe, expect, it } from 'vitest';
import {
  checkContactWay,
  checkWelcomeMessage,
  daysBetween,
  nameLookupBudgetMs,
  renderWelcomeText,
  shanghaiDay,
  truncateBytes,
  welcomeTextBytes,
  welcomeWindowOpen,
  type ContactWayShape,
} from './contact-way-rules';

const way = (over: Partial<ContactWayShape> = {}): ContactWayShape => ({
  name: '门店',
  type: 'multi',
  userids: ['a'],
  state: 's1',
  isTemp: false,
  expiresInS: null,
  chatExpiresInS: null,
  ...over,
});

describe('contact-way rules', () => {
  it('names the 100-member limit and counts userids ignoring case', () => {
    const many = Array.from({ length: 101 }, (_, i) => `u${i}`);
    expect(checkContactWay(way({ userids: many }))).toMatchObject({ code: 'CONTACT_WAY_TOO_MANY_MEMBERS', details: { max: 100, actual: 101 } });
    expect(checkContactWay(way({ userids: [...many.slice(0, 100), 'U1'] }))).toBeNull();
  });

  it('wants exactly one member on a single code and single temporary codes', () => {
    expect(checkContactWay(way({ type: 'single', userids: ['a', 'b'] }))).toMatchObject({ code: 'CONTACT_WAY_SINGLE_NEEDS_ONE_MEMBER' });
    expect(checkContactWay(way({ isTemp: true }))).toMatchObject({ code: 'CONTACT_WAY_TEMP_SINGLE_ONLY' });
    expect(checkContactWay(way({ type: 'single', isTemp: true, expiresInS: 15 * 86_400 }))).toMatchObject({
      code: 'CONTACT_WAY_EXPIRY_OUT_OF_RANGE',
      details: { field: 'expiresInS', max: 14 * 86_400 },
    });
  });

  it('counts state and name in characters, not bytes', () => {
    expect(checkContactWay(way({ state: '渠'.repeat(30) }))).toBeNull();
    expect(checkContactWay(way({ state: 'x'.repeat(31) }))).toMatchObject({ code: 'CONTACT_WAY_STATE_TOO_LONG', details: { max: 30, actual: 31 } });
    expect(checkContactWay(way({ name: '名'.repeat(31) }))).toMatchObject({ code: 'CONTACT_WAY_NAME_TOO_LONG' });
  });
});

describe('welcome-message rules', () => {
  it('counts text in UTF-8 bytes with each name variable at its reserved size', () => {
    expect(welcomeTextBytes('你好{客户昵称}')).toBe(6 + 64);
    expect(welcomeTextBytes('hi {customerName}!')).toBe(4 + 64);
    expect(checkWelcomeMessage({ text: '好'.repeat(1334), attachments: [] })).toMatchObject({ code: 'WELCOME_MESSAGE_TOO_LONG', details: { max: 4000, actual: 4002 } });
    expect(checkWelcomeMessage({ text: '好'.repeat(1333), attachments: [] })).toBeNull();
  });

  it('refuses an empty message, a tenth attachment and a link title over 128 bytes', () => {
    expect(checkWelcomeMessage({ text: '  ', attachments: [] })).toMatchObject({ code: 'WELCOME_MESSAGE_EMPTY' });
    const link = { type: 'link' as const, title: 't', url: 'https://example.com' };
    expect(checkWelcomeMessage({ text: '', attachments: Array.from({ length: 10 }, () => link) })).toMatchObject({ code: 'WELCOME_MESSAGE_TOO_MANY_ATTACHMENTS', details: { max: 9 } });
    expect(checkWelcomeMessage({ text: '', attachments: [{ ...link, title: '标'.repeat(43) }] })).toMatchObject({
      code: 'WELCOME_ATTACHMENT_TOO_LONG',
      details: { index: 1, field: 'title', max: 128, actual: 129 },
    });
  });

  it('fills the name, or leaves the variable empty when the name is unknown', () => {
    expect(renderWelcomeText('{客户昵称}您好，{customerName}', '小王')).toBe('小王您好，小王');
    expect(renderWelcomeText('{客户昵称}您好', null)).toBe('您好');
    expect(truncateBytes('一二三', 7)).toBe('一二');
  });

  it('looks the name up only for a fresh event with few welcomes waiting', () => {
    expect(nameLookupBudgetMs(1_000, 0)).toBe(2_500);
    expect(nameLookupBudgetMs(5_001, 0)).toBe(0);
    expect(nameLookupBudgetMs(1_000, 8)).toBe(0);
    expect(nameLookupBudgetMs(1_000, 7)).toBe(2_500);
  });

  it('keeps the 20-second window and Shanghai days', () => {
    const now = new Date('2026-03-01T00:00:20Z');
    expect(welcomeWindowOpen(Date.parse('2026-03-01T00:00:00Z') / 1000, now)).toBe(true);
    expect(welcomeWindowOpen(Date.parse('2026-02-28T23:59:59Z') / 1000, now)).toBe(false);
    expect(shanghaiDay(new Date('2026-02-28T16:00:00Z'))).toBe('2026-03-01');
    expect(daysBetween('2026-02-27', '2026-03-01')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
  });
});

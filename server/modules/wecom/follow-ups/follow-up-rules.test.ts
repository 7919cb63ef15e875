import { describe, expect, it } from 'vitest';
import { checkAttachment, chinaTime, noteExcerpt, overviewRange, reminderStatus, reminderText } from './follow-up-rules';

describe('follow-up rules', () => {
  it('cuts a note to one line of whole characters for the timeline', () => {
    expect(noteExcerpt('  初次电话\n\n沟通  ', 60)).toBe('初次电话 沟通');
    expect(noteExcerpt('报价😀单已确认', 3)).toBe('报价😀…');
    expect(noteExcerpt('abc', 3)).toBe('abc');
  });

  it('accepts attachments by extension and content, never by the claimed type', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
    expect(checkAttachment('C:\\photos\\报价单.PNG', png)).toEqual({ ok: true, contentType: 'image/png', filename: '报价单.PNG' });
    expect(checkAttachment('page.html', Buffer.from('<html>'))).toEqual({ ok: false, code: 'FOLLOW_UP_ATTACHMENT_TYPE', extension: 'html' });
    expect(checkAttachment('fake.pdf', png)).toEqual({ ok: false, code: 'FOLLOW_UP_ATTACHMENT_CONTENT', extension: 'pdf' });
    expect(checkAttachment('empty.txt', Buffer.alloc(0))).toMatchObject({ ok: false, code: 'FOLLOW_UP_ATTACHMENT_CONTENT' });
    expect(checkAttachment('notes.txt', Buffer.from('需求：50 台'))).toMatchObject({ ok: true, contentType: 'text/plain; charset=utf-8' });
  });

  it('classifies reminders: only the latest record of a customer and member keeps one open', () => {
    const now = new Date('2026-11-26T08:00:00Z');
    expect(reminderStatus({ nextContactAt: null, superseded: false }, now)).toBe('none');
    expect(reminderStatus({ nextContactAt: new Date('2026-11-27T08:00:00Z'), superseded: false }, now)).toBe('due');
    expect(reminderStatus({ nextContactAt: new Date('2026-11-25T08:00:00Z'), superseded: false }, now)).toBe('overdue');
    expect(reminderStatus({ nextContactAt: new Date('2026-11-25T08:00:00Z'), superseded: true }, now)).toBe('none');
  });

  it('writes the reminder in China time with a bounded excerpt', () => {
    const at = new Date('2026-11-26T07:30:00Z');
    expect(chinaTime(at)).toBe('2026-11-26 15:30');
    const text = reminderText({ customerName: '王女士', nextContactAt: at, stage: 'proposal', note: '报价'.repeat(300) });
    expect(text).toContain('王女士');
    expect(text).toContain('方案报价');
    expect(Buffer.byteLength(text)).toBeLessThan(2048);
  });

  it('bounds the overview window', () => {
    const now = new Date('2026-11-26T00:00:00Z');
    expect(overviewRange({}, now)).toEqual({ from: new Date('2026-10-27T00:00:00Z'), to: new Date('2026-12-03T00:00:00Z') });
    expect(overviewRange({ from: now, to: now }, now)).toBeNull();
    expect(overviewRange({ from: new Date('2024-01-01'), to: now }, now)).toBeNull();
  });
});

import type { FollowUpStageValue } from './follow-ups.tables';

/** The sales stages of a follow-up, in funnel order, with the console's words for them. */
export const stageLabels: Record<FollowUpStageValue, { zh: string; en: string }> = {
  initial_contact: { zh: '初步接触', en: 'Initial contact' },
  needs_confirmed: { zh: '需求确认', en: 'Needs confirmed' },
  proposal: { zh: '方案报价', en: 'Proposal' },
  negotiation: { zh: '商务谈判', en: 'Negotiation' },
  won: { zh: '成交', en: 'Won' },
  lost: { zh: '流失', en: 'Lost' },
};

export const followUpLimits = {
  noteChars: 5000,
  attachmentBytes: 10 * 1024 * 1024,
  attachmentsPerRecord: 9,
  exportRows: 50_000,
  overviewMaxDays: 366,
  /** message/send's text content is at most 2048 bytes; the note excerpt keeps the reminder well inside it. */
  reminderNoteChars: 200,
  /** The customer timeline shows a line of the note; the record itself is one click away. */
  timelineNoteChars: 60,
} as const;

interface AttachmentKind {
  contentType: string;
  /** True when the first bytes are what a file of this kind starts with. */
  matches(head: Buffer): boolean;
}

const startsWith = (head: Buffer, bytes: number[]) => bytes.every((b, i) => head[i] === b);
const zip = (head: Buffer) => startsWith(head, [0x50, 0x4b, 0x03, 0x04]);
const plainText = (head: Buffer) => !head.includes(0);

/**
 * What may be attached: pictures, PDFs, Office documents and plain text. The
 * type is decided from the extension and checked against the content, never
 * taken from the uploader's Content-Type, so a download cannot turn into HTML.
 */
export const attachmentKinds: Record<string, AttachmentKind> = {
  png: { contentType: 'image/png', matches: (h) => startsWith(h, [0x89, 0x50, 0x4e, 0x47]) },
  jpg: { contentType: 'image/jpeg', matches: (h) => startsWith(h, [0xff, 0xd8, 0xff]) },
  jpeg: { contentType: 'image/jpeg', matches: (h) => startsWith(h, [0xff, 0xd8, 0xff]) },
  gif: { contentType: 'image/gif', matches: (h) => startsWith(h, [0x47, 0x49, 0x46, 0x38]) },
  webp: { contentType: 'image/webp', matches: (h) => startsWith(h, [0x52, 0x49, 0x46, 0x46]) && h.subarray(8, 12).toString('latin1') === 'WEBP' },
  pdf: { contentType: 'application/pdf', matches: (h) => startsWith(h, [0x25, 0x50, 0x44, 0x46]) },
  docx: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', matches: zip },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', matches: zip },
  pptx: { contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', matches: zip },
  txt: { contentType: 'text/plain; charset=utf-8', matches: plainText },
  csv: { contentType: 'text/csv; charset=utf-8', matches: plainText },
};

export type AttachmentCheck =
  | { ok: true; contentType: string; filename: string }
  | { ok: false; code: 'FOLLOW_UP_ATTACHMENT_TYPE' | 'FOLLOW_UP_ATTACHMENT_CONTENT'; extension: string };

/** Checks an upload's name and first bytes; the filename is reduced to its last path segment. */
export function checkAttachment(filename: string, content: Buffer): AttachmentCheck {
  const base = filename.split(/[\\/]/).pop()?.trim() || 'attachment';
  const dot = base.lastIndexOf('.');
  const extension = dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
  const kind = attachmentKinds[extension];
  if (!kind) return { ok: false, code: 'FOLLOW_UP_ATTACHMENT_TYPE', extension: extension || base };
  if (content.length === 0 || !kind.matches(content.subarray(0, 16))) return { ok: false, code: 'FOLLOW_UP_ATTACHMENT_CONTENT', extension };
  return { ok: true, contentType: kind.contentType, filename: base.slice(0, 200) };
}

/** Where a record's reminder stands relative to now; a superseded record has no open reminder. */
export type ReminderStatus = 'none' | 'due' | 'overdue';

export function reminderStatus(record: { nextContactAt: Date | null; superseded: boolean }, now: Date): ReminderStatus {
  if (!record.nextContactAt || record.superseded) return 'none';
  return record.nextContactAt.getTime() <= now.getTime() ? 'overdue' : 'due';
}

/** 2026-11-26 15:30, in China time: what members read in WeCom. */
export function chinaTime(at: Date): string {
  const shifted = new Date(at.getTime() + 8 * 3600_000);
  return shifted.toISOString().slice(0, 16).replace('T', ' ');
}

/** The app message a member gets when a customer's next-contact time arrives. */
/** The note on one line, cut after `maxChars` characters (not UTF-16 units, so an emoji is never split). */
export function noteExcerpt(note: string, maxChars: number): string {
  const chars = [...note.replace(/\s+/g, ' ').trim()];
  return chars.length > maxChars ? `${chars.slice(0, maxChars).join('')}…` : chars.join('');
}

export function reminderText(input: { customerName: string; nextContactAt: Date; stage: FollowUpStageValue; note: string }): string {
  const excerpt = noteExcerpt(input.note, followUpLimits.reminderNoteChars);
  return `【跟进提醒】约定与客户「${input.customerName}」联系的时间已到（${chinaTime(input.nextContactAt)}）。\n当前阶段：${stageLabels[input.stage].zh}\n上次跟进：${excerpt}`;
}

/** The overview's window: defaults to the last 30 days and the next 7; at most a year. */
export function overviewRange(query: { from?: Date; to?: Date }, now: Date): { from: Date; to: Date } | null {
  const from = query.from ?? new Date(now.getTime() - 30 * 86_400_000);
  const to = query.to ?? new Date(now.getTime() + 7 * 86_400_000);
  if (from.getTime() >= to.getTime()) return null;
  if (to.getTime() - from.getTime() > followUpLimits.overviewMaxDays * 86_400_000) return null;
  return { from, to };
}

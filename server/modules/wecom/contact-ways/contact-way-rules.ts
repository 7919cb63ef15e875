import { randomBytes } from 'node:crypto';
import type { ErrorCode } from '../../../../common/errors';
import { CONTACT_WAY_LIMITS, CUSTOMER_NAME_VARIABLES, WELCOME_LIMITS, type WelcomeMessage } from './contact-ways.schema';

/** A refusal with the limit named: an error code and its details. */
export interface Problem {
  code: ErrorCode;
  details: Record<string, unknown>;
}

const chars = (s: string) => [...s].length;
export const byteLength = (s: string) => Buffer.byteLength(s, 'utf8');

export interface ContactWayShape {
  name: string;
  type: 'single' | 'multi';
  userids: readonly string[];
  state: string;
  isTemp: boolean;
  expiresInS: number | null;
  chatExpiresInS: number | null;
}

/** WeCom's rules for a code, checked before anything is sent (facts §5.5). */
export function checkContactWay(way: ContactWayShape): Problem | null {
  if (chars(way.name) > CONTACT_WAY_LIMITS.nameChars) return { code: 'CONTACT_WAY_NAME_TOO_LONG', details: { max: CONTACT_WAY_LIMITS.nameChars, actual: chars(way.name) } };
  if (chars(way.state) > CONTACT_WAY_LIMITS.stateChars) return { code: 'CONTACT_WAY_STATE_TOO_LONG', details: { max: CONTACT_WAY_LIMITS.stateChars, actual: chars(way.state) } };
  const members = new Set(way.userids.map((u) => u.toLowerCase())).size;
  if (way.type === 'single' && members !== 1) return { code: 'CONTACT_WAY_SINGLE_NEEDS_ONE_MEMBER', details: { actual: members } };
  if (members > CONTACT_WAY_LIMITS.membersPerCode) return { code: 'CONTACT_WAY_TOO_MANY_MEMBERS', details: { max: CONTACT_WAY_LIMITS.membersPerCode, actual: members } };
  if (way.isTemp && way.type !== 'single') return { code: 'CONTACT_WAY_TEMP_SINGLE_ONLY', details: {} };
  if (way.isTemp) {
    for (const [field, value] of [
      ['expiresInS', way.expiresInS],
      ['chatExpiresInS', way.chatExpiresInS],
    ] as const) {
      if (value !== null && (value < 1 || value > CONTACT_WAY_LIMITS.tempMaxS)) {
        return { code: 'CONTACT_WAY_EXPIRY_OUT_OF_RANGE', details: { field, max: CONTACT_WAY_LIMITS.tempMaxS, actual: value } };
      }
    }
  }
  return null;
}

/** How many customer-name variables a text holds. */
export function nameVariableCount(text: string): number {
  return CUSTOMER_NAME_VARIABLES.reduce((sum, variable) => sum + text.split(variable).length - 1, 0);
}

/** The text's size as WeCom will count it, each name variable at its reserved size. */
export function welcomeTextBytes(text: string): number {
  let stripped = text;
  for (const variable of CUSTOMER_NAME_VARIABLES) stripped = stripped.split(variable).join('');
  return byteLength(stripped) + nameVariableCount(text) * WELCOME_LIMITS.nameBytes;
}

/** WeCom's limits for send_welcome_msg, checked when the message is saved. */
export function checkWelcomeMessage(message: WelcomeMessage): Problem | null {
  if (message.text.trim() === '' && message.attachments.length === 0) return { code: 'WELCOME_MESSAGE_EMPTY', details: {} };
  const bytes = welcomeTextBytes(message.text);
  if (bytes > WELCOME_LIMITS.textBytes) return { code: 'WELCOME_MESSAGE_TOO_LONG', details: { max: WELCOME_LIMITS.textBytes, actual: bytes, nameBytes: WELCOME_LIMITS.nameBytes } };
  if (message.attachments.length > WELCOME_LIMITS.attachments) {
    return { code: 'WELCOME_MESSAGE_TOO_MANY_ATTACHMENTS', details: { max: WELCOME_LIMITS.attachments, actual: message.attachments.length } };
  }
  for (const [i, attachment] of message.attachments.entries()) {
    const tooLong = (field: string, value: string, max: number): Problem | null =>
      byteLength(value) > max ? { code: 'WELCOME_ATTACHMENT_TOO_LONG', details: { index: i + 1, field, max, actual: byteLength(value) } } : null;
    const problem =
      attachment.type === 'link'
        ? (tooLong('title', attachment.title, WELCOME_LIMITS.linkTitleBytes) ?? tooLong('desc', attachment.desc ?? '', WELCOME_LIMITS.linkDescBytes))
        : attachment.type === 'miniprogram'
          ? tooLong('title', attachment.title, WELCOME_LIMITS.miniprogramTitleBytes)
          : null;
    if (problem) return problem;
  }
  return null;
}

/** Cuts a string to at most `maxBytes` UTF-8 bytes without splitting a character. */
export function truncateBytes(value: string, maxBytes: number): string {
  let out = '';
  let used = 0;
  for (const ch of value) {
    const size = byteLength(ch);
    if (used + size > maxBytes) break;
    out += ch;
    used += size;
  }
  return out;
}

/** Fills the name variables; a missing name leaves them empty. The name is cut to its reserved size so the text stays within WeCom's limit. */
export function renderWelcomeText(text: string, customerName: string | null): string {
  const name = truncateBytes(customerName ?? '', WELCOME_LIMITS.nameBytes);
  let out = text;
  for (const variable of CUSTOMER_NAME_VARIABLES) out = out.split(variable).join(name);
  return out;
}

/** How long the customer's name may take before the welcome goes without it; the whole window is 20 s. */
export const NAME_LOOKUP_BUDGET_MS = 2_500;
/** An event older than this when its send starts goes without the name: the rest of the window is kept for the send. */
export const NAME_LOOKUP_MAX_AGE_MS = 5_000;
/** With this many welcomes waiting behind one, the name lookup would cost them their window. */
export const NAME_LOOKUP_MAX_WAITING = 8;

/** Milliseconds the name lookup may take for a send starting `ageMs` after its event; 0 skips it. */
export function nameLookupBudgetMs(ageMs: number, welcomesWaiting: number): number {
  if (ageMs > NAME_LOOKUP_MAX_AGE_MS || welcomesWaiting >= NAME_LOOKUP_MAX_WAITING) return 0;
  return NAME_LOOKUP_BUDGET_MS;
}

/** Whether the 20-second welcome window of an event created at `createTimeS` is still open. */
export function welcomeWindowOpen(createTimeS: number, now: Date): boolean {
  return now.getTime() - createTimeS * 1000 <= WELCOME_LIMITS.windowMs;
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** The calendar day in Asia/Shanghai (no daylight saving), the day WeCom's statistics use. */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to` inclusive, as YYYY-MM-DD. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

export function shiftDay(day: string, deltaDays: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + deltaDays * 86_400_000).toISOString().slice(0, 10);
}

/** The longest window a code's adds are counted over, in days. */
export const STATS_MAX_DAYS = 366;

/**
 * The days a code's adds are counted over (Asia/Shanghai, both included):
 * by default the 30 days up to today; with only `from`, up to today (or to
 * `from` itself when it lies ahead). A reversed window, or one longer than
 * 366 days, is refused rather than quietly trimmed, so the figures always
 * cover what was asked.
 */
export function statsWindow(range: { from?: string | undefined; to?: string | undefined }, now: Date): { from: string; to: string; days: string[] } | { problem: Problem } {
  const today = shanghaiDay(now);
  const to = range.to ?? (range.from !== undefined && range.from > today ? range.from : today);
  const from = range.from ?? shiftDay(to, -29);
  if (from > to) return { problem: { code: 'CONTACT_WAY_STATS_RANGE_REVERSED', details: { from, to } } };
  const days = daysBetween(from, to);
  if (days.length > STATS_MAX_DAYS) return { problem: { code: 'CONTACT_WAY_STATS_RANGE_TOO_LONG', details: { from, to, days: days.length, maxDays: STATS_MAX_DAYS } } };
  return { from, to, days };
}

/** A fresh attribution key for a code created without one: short, URL-safe, well under 30 characters. */
export function generatedState(): string {
  return `qiao_${randomBytes(9).toString('base64url')}`;
}

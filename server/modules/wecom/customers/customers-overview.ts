import { AppError } from '../../../../common/errors';
import type { CustomerReach, CustomersRepository } from './customers.repository';
import type { CustomersOverview, CustomersOverviewQuery, MemberCustomersOverview } from './customers.schema';

const DAY_MS = 86_400_000;
/** China has kept UTC+8 without daylight saving since 1991, so a day is a fixed offset. */
const CHINA_OFFSET_MS = 8 * 3_600_000;
export const OVERVIEW_DEFAULT_DAYS = 30;
export const OVERVIEW_MAX_DAYS = 366;

/** The China calendar day of an instant, as YYYY-MM-DD. */
export function chinaDay(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

function dayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - CHINA_OFFSET_MS);
}

/** A YYYY-MM-DD that names a real date (2026-02-30 does not). */
function realDay(day: string): boolean {
  const parsed = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(parsed) && new Date(parsed).toISOString().slice(0, 10) === day;
}

export type OverviewWindow = { from: string; to: string; start: Date; end: Date; days: string[] };

/**
 * The window of whole China days, both ends included: by default the 30
 * days up to today; a reversed window or one longer than a year is refused
 * rather than quietly trimmed, so the figures always cover what was asked.
 */
export function overviewWindow(query: { from?: string | undefined; to?: string | undefined }, now: Date): OverviewWindow | { problem: AppError } {
  for (const day of [query.from, query.to]) if (day !== undefined && !realDay(day)) return { problem: new AppError('WECOM_CUSTOMER_OVERVIEW_DAY_INVALID', { day }) };
  const to = query.to ?? (query.from ? laterOf(query.from, chinaDay(now)) : chinaDay(now));
  const from = query.from ?? chinaDay(new Date(dayStart(to).getTime() - (OVERVIEW_DEFAULT_DAYS - 1) * DAY_MS));
  if (from > to) return { problem: new AppError('WECOM_CUSTOMER_OVERVIEW_RANGE_REVERSED', { from, to }) };
  const start = dayStart(from);
  const end = new Date(dayStart(to).getTime() + DAY_MS);
  const count = Math.round((end.getTime() - start.getTime()) / DAY_MS);
  if (count > OVERVIEW_MAX_DAYS) return { problem: new AppError('WECOM_CUSTOMER_OVERVIEW_RANGE_TOO_LONG', { from, to, days: count, maxDays: OVERVIEW_MAX_DAYS }) };
  const days = Array.from({ length: count }, (_, i) => chinaDay(new Date(start.getTime() + i * DAY_MS)));
  return { from, to, start, end, days };
}

/** With only `from` given, the window runs to today (or to `from` itself when it lies ahead). */
function laterOf(a: string, b: string): string {
  return a > b ? a : b;
}

export interface CustomersOverviewDeps {
  repository: CustomersRepository;
  departments: { subtreeOf(accountId: string, roots: Iterable<number>): Promise<Set<number>> };
}

/**
 * 客户联系概览: per member, per day and in total, the follows begun and
 * ended in the window and those current now, within the caller's reach.
 */
export async function customersOverview(deps: CustomersOverviewDeps, input: { accountId: string; reach: CustomerReach; query: CustomersOverviewQuery; now: Date }): Promise<CustomersOverview> {
  const window = overviewWindow(input.query, input.now);
  if ('problem' in window) throw window.problem;
  const departmentIds = input.query.departmentId !== undefined ? [...(await deps.departments.subtreeOf(input.accountId, [input.query.departmentId]))] : undefined;
  const scope = { accountId: input.accountId, reach: input.reach, ...(departmentIds ? { departmentIds } : {}), from: window.start, to: window.end };
  const rows = await deps.repository.overviewByMember(scope);
  const profiles = new Map((await deps.repository.memberProfiles(input.accountId, rows.map((r) => r.userid))).map((p) => [p.userid.toLowerCase(), p]));
  const members: MemberCustomersOverview[] = rows
    .map((r) => {
      const profile = profiles.get(r.userid.toLowerCase());
      return { ...r, userid: profile?.userid ?? r.userid, name: profile?.name ?? null, departments: profile?.departments ?? [] };
    })
    .sort((a, b) => b.added - a.added || b.active - a.active || a.userid.localeCompare(b.userid));
  const byDay = new Map((await deps.repository.overviewByDay(scope)).map((d) => [d.day, d]));
  const days = window.days.map((day) => ({ day, added: byDay.get(day)?.added ?? 0, lost: byDay.get(day)?.lost ?? 0 }));
  const sum = (pick: (m: MemberCustomersOverview) => number) => members.reduce((total, m) => total + pick(m), 0);
  const added = sum((m) => m.added);
  const lost = sum((m) => m.lost);
  return {
    from: window.from,
    to: window.to,
    members,
    days,
    totals: { added, lost, lostByMember: sum((m) => m.lostByMember), lostByCustomer: sum((m) => m.lostByCustomer), net: added - lost, active: sum((m) => m.active) },
  };
}

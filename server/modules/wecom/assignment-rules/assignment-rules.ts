/**
 * Assignment rules (客户分配规则), pure: which members a new customer goes to.
 * A rule matches a customer by channel (the contact way's `state`) and region
 * (given, from a tag, or from the phone's area code); its pool is members
 * and/or department subtrees; a member is eligible while active, inside the
 * rule's working hours (Asia/Shanghai) and under its daily capacity.
 * Round robin picks the eligible member with the fewest adds today.
 */

export interface WorkingHours {
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  days: number[];
  /** `HH:MM`, Asia/Shanghai; `end` after `start`. */
  start: string;
  end: string;
}

export interface AssignmentRuleSpec {
  /** Contact-way `state` values (channels); empty = any channel. */
  states: string[];
  /** Region names (e.g. 上海); empty = any region. */
  regions: string[];
  /** The pool: these members … */
  userids: string[];
  /** … and every member of these departments and their sub-departments. */
  departmentIds: number[];
  /** Most new customers per member per day (Asia/Shanghai); null = no cap. */
  capacityPerDay: number | null;
  /** null = any time. */
  workingHours: WorkingHours | null;
}

export interface AssignmentRule {
  id: string;
  name: string;
  priority: number;
  spec: AssignmentRuleSpec;
}

export interface PoolMember {
  userid: string;
  name?: string;
  departmentIds: number[];
  status: string;
}

export interface ResolveInput {
  state?: string | undefined;
  region?: string | undefined;
  phone?: string | undefined;
  tags?: string[] | undefined;
  at: Date;
}

export interface ResolveWorld {
  members: PoolMember[];
  /** Department id → parent id, for sub-department pools. */
  parents: Map<number, number>;
  /** New customers per member today. */
  addsToday: Map<string, number>;
}

export type SkipReason = 'channel' | 'region' | 'off_hours' | 'empty_pool' | 'none_eligible';
export type MemberReason = 'eligible' | 'inactive' | 'full' | 'unknown';

export interface RuleVerdict {
  ruleId: string;
  name: string;
  matched: boolean;
  skipped?: SkipReason;
  members: { userid: string; reason: MemberReason; addsToday: number }[];
}

export interface Resolution {
  /** The rule that decided, or null when none could. */
  ruleId: string | null;
  ruleName: string | null;
  /** Every eligible member of that rule (what a multi-member contact way rotates among). */
  userids: string[];
  /** The round-robin pick among them. */
  next: string | null;
  region: string | null;
  verdicts: RuleVerdict[];
}

/** Landline area codes of large cities. Mobile numbers carry no area: a customer reached only by mobile needs a region tag. */
export const areaCodes: Readonly<Record<string, string>> = {
  '010': '北京',
  '021': '上海',
  '022': '天津',
  '023': '重庆',
  '020': '广州',
  '0755': '深圳',
  '0571': '杭州',
  '025': '南京',
  '027': '武汉',
  '028': '成都',
  '029': '西安',
  '024': '沈阳',
  '0512': '苏州',
  '0532': '青岛',
  '0731': '长沙',
};

export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** The region of a customer: as given, else a tag naming a known region, else the landline area code. */
export function regionOf(input: Pick<ResolveInput, 'region' | 'phone' | 'tags'>, knownRegions: readonly string[]): string | null {
  if (input.region?.trim()) return input.region.trim();
  const tag = input.tags?.find((t) => knownRegions.includes(t.trim()));
  if (tag) return tag.trim();
  const digits = (input.phone ?? '').replace(/[\s-]/g, '').replace(/^\+?86/, '0');
  if (!digits.startsWith('0')) return null;
  for (const length of [4, 3]) {
    const region = areaCodes[digits.slice(0, length)];
    if (region) return region;
  }
  return null;
}

/** The Asia/Shanghai calendar day of an instant, `YYYY-MM-DD`. */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant an Asia/Shanghai day starts. */
export function shanghaiDayStart(at: Date): Date {
  return new Date(Date.parse(`${shanghaiDay(at)}T00:00:00Z`) - SHANGHAI_OFFSET_MS);
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

export function withinWorkingHours(hours: WorkingHours | null, at: Date): boolean {
  if (!hours) return true;
  const local = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  const weekday = local.getUTCDay() === 0 ? 7 : local.getUTCDay();
  if (!hours.days.includes(weekday)) return false;
  const now = local.getUTCHours() * 60 + local.getUTCMinutes();
  return now >= minutes(hours.start) && now < minutes(hours.end);
}

/** What is wrong with a rule, or null. */
export function checkRule(spec: AssignmentRuleSpec): string | null {
  if (spec.userids.length === 0 && spec.departmentIds.length === 0) return 'pool';
  if (spec.capacityPerDay !== null && (!Number.isInteger(spec.capacityPerDay) || spec.capacityPerDay < 1)) return 'capacity';
  if (spec.states.some((s) => s.length === 0 || [...s].length > 30)) return 'state';
  const hours = spec.workingHours;
  if (hours) {
    if (!TIME.test(hours.start) || !TIME.test(hours.end) || minutes(hours.end) <= minutes(hours.start)) return 'hours';
    if (hours.days.length === 0 || hours.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) return 'days';
  }
  return null;
}

function withinAny(departmentIds: number[], roots: Set<number>, parents: Map<number, number>): boolean {
  for (const start of departmentIds) {
    let id: number | undefined = start;
    const seen = new Set<number>();
    while (id !== undefined && !seen.has(id)) {
      if (roots.has(id)) return true;
      seen.add(id);
      id = parents.get(id);
    }
  }
  return false;
}

/** The members a rule's pool names, in pool order (listed userids first, then departments by userid). */
export function poolOf(spec: AssignmentRuleSpec, world: Pick<ResolveWorld, 'members' | 'parents'>): { userid: string; member: PoolMember | null }[] {
  const byId = new Map(world.members.map((m) => [m.userid.toLowerCase(), m]));
  const out: { userid: string; member: PoolMember | null }[] = [];
  const seen = new Set<string>();
  for (const userid of spec.userids) {
    const key = userid.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ userid: byId.get(key)?.userid ?? userid, member: byId.get(key) ?? null });
  }
  if (spec.departmentIds.length) {
    const roots = new Set(spec.departmentIds);
    for (const member of [...world.members].sort((a, b) => a.userid.localeCompare(b.userid))) {
      const key = member.userid.toLowerCase();
      if (seen.has(key) || !withinAny(member.departmentIds, roots, world.parents)) continue;
      seen.add(key);
      out.push({ userid: member.userid, member });
    }
  }
  return out;
}

/** Whether two member lists name the same members (WeCom compares userids without case; order does not route anyone). */
export function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  const key = (list: readonly string[]) => [...new Set(list.map((u) => u.toLowerCase()))].sort().join('\n');
  return key(a) === key(b);
}

/** Rules by priority (lower first): the first that matches and has an eligible member decides. */
export function resolveAssignment(rules: readonly AssignmentRule[], input: ResolveInput, world: ResolveWorld): Resolution {
  const knownRegions = [...new Set(rules.flatMap((r) => r.spec.regions))];
  const region = regionOf(input, knownRegions);
  const verdicts: RuleVerdict[] = [];
  const ordered = [...rules].sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name));
  for (const rule of ordered) {
    const verdict: RuleVerdict = { ruleId: rule.id, name: rule.name, matched: false, members: [] };
    verdicts.push(verdict);
    if (rule.spec.states.length && !(input.state && rule.spec.states.includes(input.state))) {
      verdict.skipped = 'channel';
      continue;
    }
    if (rule.spec.regions.length && !(region && rule.spec.regions.includes(region))) {
      verdict.skipped = 'region';
      continue;
    }
    verdict.matched = true;
    if (!withinWorkingHours(rule.spec.workingHours, input.at)) {
      verdict.skipped = 'off_hours';
      continue;
    }
    const pool = poolOf(rule.spec, world);
    if (pool.length === 0) {
      verdict.skipped = 'empty_pool';
      continue;
    }
    verdict.members = pool.map(({ userid, member }) => {
      const addsToday = world.addsToday.get(userid) ?? 0;
      let reason: MemberReason = 'eligible';
      if (!member) reason = 'unknown';
      else if (member.status !== 'active') reason = 'inactive';
      else if (rule.spec.capacityPerDay !== null && addsToday >= rule.spec.capacityPerDay) reason = 'full';
      return { userid, reason, addsToday };
    });
    const eligible = verdict.members.filter((m) => m.reason === 'eligible');
    if (eligible.length === 0) {
      verdict.skipped = 'none_eligible';
      continue;
    }
    const next = eligible.reduce((best, m) => (m.addsToday < best.addsToday ? m : best));
    return { ruleId: rule.id, ruleName: rule.name, userids: eligible.map((m) => m.userid), next: next.userid, region, verdicts };
  }
  return { ruleId: null, ruleName: null, userids: [], next: null, region, verdicts };
}

import type { Logger } from 'pino';
import { AppError, isAppError } from '../../../../common/errors';
import type { AuditRecorder } from '../../../platform/audit';
import type { Clock } from '../../../platform/clock';
import type { RequestContext } from '../../../platform/http/principal';
import { isWeChatApiError, type WeChatAccount, type WeChatClient } from '../../../wechat/client';
import { wecomContactWayGet, wecomCorpTagList, wecomCustomerGet } from '../../../wechat/wecom';
import type { ContactWaysService } from '../contact-ways';
import {
  checkRule,
  poolOf,
  regionOf,
  resolveAssignment,
  sameMembers,
  shanghaiDayStart,
  withinWorkingHours,
  type AssignmentRule,
  type AssignmentRuleSpec,
  type ResolveWorld,
} from './assignment-rules';
import type { AssignmentRulesRepository, RuleRow } from './assignment-rules.repository';
import type { ApplyAnswer, CreateRuleBody, ResolutionView, ResolveBody, Rule, UpdateRuleBody } from './assignment-rules.schema';
import { wecomReceiverFor } from '../../system/accounts';

export type Actor = RequestContext | null;

/** What rules need of the directory. */
export interface RuleDirectory {
  requireCorp(accountId: string): Promise<unknown>;
  /** Every live member with its departments and status. */
  members(accountId: string): Promise<{ userid: string; name: string; status: string; departmentIds: number[] }[]>;
  /** Department id → parent id. */
  parents(accountId: string): Promise<Map<number, number>>;
  /** Throws when the member is outside the caller's reach. */
  getMember(actor: Actor, accountId: string, userid: string): Promise<unknown>;
  /** Departments within the caller's reach. */
  reachableDepartments(actor: Actor, accountId: string): Promise<number[]>;
}

export interface AssignmentRulesDeps {
  repository: AssignmentRulesRepository;
  directory: RuleDirectory;
  wechat: WeChatClient;
  accounts: {
    getAccount(id: string): Promise<{ callbacks: { receiver: string }[] }>;
    wechatAccountFor(id: string, receiver: string): Promise<WeChatAccount>;
  };
  /** Qiao's own copy of a code: apply writes the members there in the same step. */
  contactWays: Pick<ContactWaysService, 'findCode' | 'setMembers'>;
  /** On-duty transfers with WeCom's limits checked and every outcome recorded. */
  transfers: {
    handOver(
      accountId: string,
      body: { handoverUserid: string; takeoverUserid: string; externalUserId: string; cause: Record<string, unknown> },
    ): Promise<{ id: string; items: { status: string; reason: string | null; errcode: number | null }[] }>;
  };
  audit: AuditRecorder;
  clock: Clock;
  logger: Logger;
}

/** A customer an assignment rule moved (or tried to move) after the add. */
export interface HandOver {
  ruleId: string;
  externalUserId: string;
  fromUserid: string;
  toUserid: string;
  region: string | null;
  /** The transfer item's status (`pending` once WeCom took it, `skipped` when its limits block it, `failed`), or `error` when no transfer could be made. */
  status: string;
  reason: string | null;
  transferId: string | null;
}

interface CodeView {
  type: 'single' | 'multi';
  state: string | null;
  userids: string[];
}

const specOf = (row: Pick<RuleRow, 'spec'>): AssignmentRuleSpec => row.spec;

function toRule(row: RuleRow): Rule {
  const spec = specOf(row);
  return {
    id: row.id,
    accountId: row.accountId,
    name: row.name,
    priority: row.priority,
    states: spec.states,
    regions: spec.regions,
    userids: spec.userids,
    departmentIds: spec.departmentIds,
    capacityPerDay: spec.capacityPerDay,
    workingHours: spec.workingHours,
    configId: row.configId,
    appliedUserids: row.appliedUserids,
    appliedAt: row.appliedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const toAssignmentRule = (row: RuleRow): AssignmentRule => ({ id: row.id, name: row.name, priority: row.priority, spec: specOf(row) });

/**
 * Assignment rules stored in Qiao, resolved on request and realised through
 * the members of the 「联系我」 codes they are bound to (update_contact_way
 * with the members on duty and under capacity right now).
 */
export function createAssignmentRulesService(deps: AssignmentRulesDeps) {
  const { repository, directory } = deps;

  function refuseMembers(actor: Actor): void {
    if (actor?.principal?.role === 'member') throw new AppError('WECOM_TRANSFER_ROLE_FORBIDDEN');
  }

  /** A dept_admin's rule may only name members and departments it manages. */
  async function checkPool(actor: Actor, accountId: string, spec: AssignmentRuleSpec): Promise<void> {
    const problem = checkRule(spec);
    if (problem) throw new AppError('WECOM_ASSIGNMENT_RULE_INVALID', { problem });
    if (actor?.principal?.role !== 'dept_admin') return;
    for (const userid of spec.userids) {
      try {
        await directory.getMember(actor, accountId, userid);
      } catch (error) {
        if (isAppError(error) && error.code === 'WECOM_MEMBER_OUT_OF_SCOPE') throw new AppError('WECOM_TRANSFER_MEMBER_OUT_OF_SCOPE', { userid });
        throw error;
      }
    }
    const reachable = new Set(await directory.reachableDepartments(actor, accountId));
    const outside = spec.departmentIds.find((id) => !reachable.has(id));
    if (outside !== undefined) throw new AppError('WECOM_DEPARTMENT_OUT_OF_SCOPE', { departmentId: outside });
  }

  async function world(accountId: string, rules: AssignmentRule[], at: Date): Promise<ResolveWorld & { names: Map<string, string> }> {
    const [members, parents] = await Promise.all([directory.members(accountId), directory.parents(accountId)]);
    const pool = new Set(rules.flatMap((r) => poolOf(r.spec, { members, parents }).map((m) => m.userid)));
    const from = shanghaiDayStart(at);
    const addsToday = await repository.addsBetween(accountId, [...pool], from, new Date(from.getTime() + 86_400_000));
    return { members, parents, addsToday, names: new Map(members.map((m) => [m.userid, m.name])) };
  }

  async function wecomAccount(accountId: string): Promise<WeChatAccount> {
    const account = await deps.accounts.getAccount(accountId);
    const receivers = account.callbacks.map((c) => c.receiver);
    const receiver = wecomReceiverFor(receivers, 'customer-contact') ?? receivers[0] ?? 'customer-contact';
    return deps.accounts.wechatAccountFor(accountId, receiver);
  }

  /** The code's channel, type and members: Qiao's copy, or WeCom's for a code made outside Qiao. */
  async function codeOf(account: WeChatAccount, accountId: string, configId: string): Promise<CodeView> {
    const known = await deps.contactWays.findCode(accountId, { configId });
    if (known) return { type: known.type, state: known.state, userids: known.userids };
    const { contact_way: way } = await deps.wechat.call(account, wecomContactWayGet, { config_id: configId });
    return { type: way.type === 1 ? 'single' : 'multi', state: way.state || null, userids: way.user ?? [] };
  }

  /**
   * The customer's region from what WeCom knows now: the tags any member put
   * on them, the tags of the code they came through (its own add may not have
   * marked them yet), else a landline among the members' remark mobiles.
   */
  async function customerRegion(accountId: string, externalUserid: string, state: string, knownRegions: string[]): Promise<string | null> {
    const account = await wecomAccount(accountId);
    const tags = new Set<string>();
    const phones: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await deps.wechat.call(account, wecomCustomerGet, undefined, { external_userid: externalUserid, ...(cursor ? { cursor } : {}) });
      for (const follow of page.follow_user) {
        for (const tag of follow.tags ?? []) if (tag.tag_name) tags.add(tag.tag_name);
        phones.push(...(follow.remark_mobiles ?? []));
      }
      cursor = page.next_cursor || undefined;
    } while (cursor);
    const code = await deps.contactWays.findCode(accountId, { state });
    if (code?.tagIds.length) {
      const library = await deps.wechat.call(account, wecomCorpTagList, { tag_id: code.tagIds });
      for (const group of library.tag_group) for (const tag of group.tag) if (!tag.deleted) tags.add(tag.name);
    }
    const byTag = regionOf({ tags: [...tags] }, knownRegions);
    if (byTag) return byTag;
    for (const phone of phones) {
      const byPhone = regionOf({ phone }, knownRegions);
      if (byPhone) return byPhone;
    }
    return null;
  }

  async function requireRule(accountId: string, ruleId: string): Promise<RuleRow> {
    const row = await repository.findRule(accountId, ruleId);
    if (!row) throw new AppError('WECOM_ASSIGNMENT_RULE_NOT_FOUND');
    return row;
  }

  const service = {
    async list(actor: Actor, accountId: string): Promise<{ items: Rule[] }> {
      refuseMembers(actor);
      await directory.requireCorp(accountId);
      return { items: (await repository.listRules(accountId)).map(toRule) };
    },

    async create(actor: Actor, accountId: string, body: CreateRuleBody): Promise<Rule> {
      refuseMembers(actor);
      await directory.requireCorp(accountId);
      const { name, priority, configId, ...spec } = body;
      await checkPool(actor, accountId, spec);
      const now = deps.clock.now();
      const row = await repository.insertRule({ accountId, name, priority, spec, configId, createdAt: now, updatedAt: now });
      await deps.audit.record(actor, { action: 'wecom.assignment_rules.create', targetType: 'wecom_assignment_rule', targetId: row.id, summary: { after: body } });
      return toRule(row);
    },

    async update(actor: Actor, accountId: string, ruleId: string, body: UpdateRuleBody): Promise<Rule> {
      refuseMembers(actor);
      await directory.requireCorp(accountId);
      const row = await requireRule(accountId, ruleId);
      const { name, priority, configId, ...specChanges } = body;
      const spec: AssignmentRuleSpec = { ...specOf(row), ...Object.fromEntries(Object.entries(specChanges).filter(([, v]) => v !== undefined)) };
      await checkPool(actor, accountId, spec);
      const updated = await repository.updateRule(accountId, ruleId, {
        ...(name !== undefined ? { name } : {}),
        ...(priority !== undefined ? { priority } : {}),
        ...(configId !== undefined ? { configId, appliedUserids: null, appliedAt: null } : {}),
        spec,
        updatedAt: deps.clock.now(),
      });
      await deps.audit.record(actor, { action: 'wecom.assignment_rules.update', targetType: 'wecom_assignment_rule', targetId: ruleId, summary: { changes: body } });
      return toRule(updated as RuleRow);
    },

    async remove(actor: Actor, accountId: string, ruleId: string): Promise<void> {
      refuseMembers(actor);
      await directory.requireCorp(accountId);
      await requireRule(accountId, ruleId);
      await repository.deleteRule(accountId, ruleId);
      await deps.audit.record(actor, { action: 'wecom.assignment_rules.delete', targetType: 'wecom_assignment_rule', targetId: ruleId });
    },

    /** Which member(s) a customer arriving with this channel/region/time goes to, and why. */
    async resolve(actor: Actor, accountId: string, body: ResolveBody): Promise<ResolutionView> {
      refuseMembers(actor);
      await directory.requireCorp(accountId);
      const at = body.at ? new Date(body.at) : deps.clock.now();
      const rules = (await repository.listRules(accountId)).map(toAssignmentRule);
      const w = await world(accountId, rules, at);
      const result = resolveAssignment(rules, { state: body.state, region: body.region, phone: body.phone, tags: body.tags, at }, w);
      return {
        ...result,
        at: at.toISOString(),
        verdicts: result.verdicts.map((v) => ({ ...v, members: v.members.map((m) => ({ ...m, name: w.names.get(m.userid) ?? null })) })),
      };
    },

    /**
     * Sets each bound contact way's members to its rule's eligible members now
     * (active, within working hours, under today's capacity), in WeCom and in
     * Qiao's copy of the code. A rule for other channels than the code's is
     * not applied to it; a region is known only once a customer has arrived,
     * so it is realised after the add (afterAdd). A rule with nobody eligible
     * leaves its contact way unchanged: WeCom needs a member.
     */
    async apply(actor: Actor, accountId: string): Promise<ApplyAnswer> {
      refuseMembers(actor);
      await directory.requireCorp(accountId);
      const now = deps.clock.now();
      const rows = (await repository.listRules(accountId)).filter((r) => r.configId);
      if (rows.length === 0) return { items: [] };
      const rules = rows.map(toAssignmentRule);
      const w = await world(accountId, rules, now);
      const account = await wecomAccount(accountId);
      const items: ApplyAnswer['items'] = [];
      for (const row of rows) {
        const configId = row.configId as string;
        const rule = toAssignmentRule(row);
        const base = { ruleId: row.id, configId, userids: [] as string[], changed: false, errcode: null };
        let code: CodeView;
        try {
          code = await codeOf(account, accountId, configId);
        } catch (error) {
          if (!isWeChatApiError(error)) throw error;
          items.push({ ...base, skipped: 'wecom_error', errcode: error.errcode });
          continue;
        }
        if (rule.spec.states.length && !(code.state && rule.spec.states.includes(code.state))) {
          items.push({ ...base, userids: code.userids, skipped: 'channel' });
          continue;
        }
        if (!withinWorkingHours(rule.spec.workingHours, now)) {
          items.push({ ...base, userids: code.userids, skipped: 'off_hours' });
          continue;
        }
        const verdict = resolveAssignment([{ ...rule, spec: { ...rule.spec, regions: [] } }], { state: code.state ?? undefined, at: now }, w);
        if (verdict.userids.length === 0 || !verdict.next) {
          items.push({ ...base, userids: code.userids, skipped: verdict.verdicts[0]?.skipped === 'empty_pool' ? 'empty_pool' : 'none_eligible' });
          continue;
        }
        // A single-member code takes one member: the one whose turn it is.
        const userids = code.type === 'single' ? [verdict.next] : verdict.userids;
        if (!sameMembers(code.userids, userids)) {
          try {
            if ((await deps.contactWays.setMembers(actor, accountId, configId, userids, { ruleId: row.id, ruleName: row.name })) === 'busy') {
              items.push({ ...base, userids: code.userids, skipped: 'code_busy' });
              continue;
            }
          } catch (error) {
            if (!isWeChatApiError(error)) throw error;
            items.push({ ...base, userids, skipped: 'wecom_error', errcode: error.errcode });
            continue;
          }
          items.push({ ...base, userids, changed: true, skipped: null });
        } else items.push({ ...base, userids, skipped: null });
        if (!row.appliedUserids || !sameMembers(row.appliedUserids, userids)) await repository.updateRule(accountId, row.id, { appliedUserids: userids, appliedAt: now });
      }
      if (items.some((i) => i.changed)) {
        await deps.audit.record(actor, { action: 'wecom.assignment_rules.apply', targetType: 'wecom_account', targetId: accountId, summary: { changed: items.filter((i) => i.changed).map((i) => ({ configId: i.configId, userids: i.userids })) } });
      }
      return { items };
    },

    /** The scheduler: every account with bound rules. */
    async applyAll(): Promise<void> {
      for (const accountId of await repository.accountsWithBoundRules()) {
        try {
          await service.apply(null, accountId);
        } catch (error) {
          deps.logger.warn({ err: error, accountId }, 'could not apply assignment rules');
        }
      }
    },

    /** add_external_contact: counts toward the member's capacity today; false for an add seen before. */
    async recordAdd(accountId: string, userid: string, externalUserid: string): Promise<boolean> {
      return repository.recordAdd(accountId, userid, externalUserid, deps.clock.now());
    },

    /**
     * After a customer came in through a channel (the add's `state`), realises
     * what a code's members cannot: the region, known only now from the
     * customer's tags or landline, and channels no bound code serves. When the
     * rule covering the customer does not name the member they landed on, an
     * on-duty transfer hands them to that rule's member whose turn it is.
     * Customers a member added personally (no state) stay where they are.
     */
    async handOverIfMisplaced(accountId: string, add: { userid: string; externalUserid: string; state: string | undefined; at: Date }): Promise<HandOver | null> {
      if (!add.state) return null;
      const rules = (await repository.listRules(accountId)).map(toAssignmentRule);
      if (rules.length === 0) return null;
      const knownRegions = [...new Set(rules.flatMap((r) => r.spec.regions))];
      const region = knownRegions.length ? await customerRegion(accountId, add.externalUserid, add.state, knownRegions) : null;
      const w = await world(accountId, rules, add.at);
      // Judged as the customer arrived: this add does not count against the member it landed on.
      const addsToday = new Map(w.addsToday);
      if (addsToday.has(add.userid)) addsToday.set(add.userid, Math.max(0, (addsToday.get(add.userid) as number) - 1));
      const result = resolveAssignment(rules, { state: add.state, region: region ?? undefined, at: add.at }, { ...w, addsToday });
      if (!result.ruleId || !result.next || result.userids.some((u) => u.toLowerCase() === add.userid.toLowerCase())) return null;
      const handOver: HandOver = { ruleId: result.ruleId, externalUserId: add.externalUserid, fromUserid: add.userid, toUserid: result.next, region: result.region, status: 'error', reason: null, transferId: null };
      try {
        const transfer = await deps.transfers.handOver(accountId, {
          handoverUserid: add.userid,
          takeoverUserid: result.next,
          externalUserId: add.externalUserid,
          cause: { ruleId: result.ruleId, ruleName: result.ruleName },
        });
        const item = transfer.items[0];
        Object.assign(handOver, { status: item?.status ?? 'error', reason: item?.reason ?? null, transferId: transfer.id });
      } catch (error) {
        if (!isAppError(error)) throw error;
        handOver.reason = error.code;
      }
      // The customer now goes to the takeover member: it counts toward their capacity today.
      if (handOver.status === 'pending') await repository.recordAdd(accountId, handOver.toUserid, add.externalUserid, deps.clock.now());
      await deps.audit.record(null, {
        action: 'wecom.assignment_rules.handover',
        targetType: 'wecom_assignment_rule',
        targetId: result.ruleId,
        summary: { ...handOver, ruleName: result.ruleName, state: add.state },
      });
      return handOver;
    },
  };
  return service;
}

export type AssignmentRulesService = ReturnType<typeof createAssignmentRulesService>;

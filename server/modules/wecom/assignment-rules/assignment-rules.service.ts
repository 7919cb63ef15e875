import type { Logger } from 'pino';
import { AppError, isAppError } from '../../../../common/errors';
import type { AuditRecorder } from '../../../platform/audit';
import type { Clock } from '../../../platform/clock';
import type { RequestContext } from '../../../platform/http/principal';
import { isWeChatApiError, type WeChatAccount, type WeChatClient } from '../../../wechat/client';
import { wecomContactWayUpdate } from '../../../wechat/wecom';
import { checkRule, poolOf, resolveAssignment, shanghaiDayStart, withinWorkingHours, type AssignmentRule, type AssignmentRuleSpec, type ResolveWorld } from './assignment-rules';
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
  audit: AuditRecorder;
  clock: Clock;
  logger: Logger;
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
     * (active, within working hours, under today's capacity). A rule with
     * nobody eligible leaves its contact way unchanged: WeCom needs a member.
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
        if (!withinWorkingHours(rule.spec.workingHours, now)) {
          items.push({ ...base, skipped: 'off_hours' });
          continue;
        }
        // The contact way is the channel: only the pool, hours and capacity decide here.
        const verdict = resolveAssignment([{ ...rule, spec: { ...rule.spec, states: [], regions: [] } }], { at: now }, w);
        if (verdict.userids.length === 0) {
          items.push({ ...base, skipped: verdict.verdicts[0]?.skipped === 'empty_pool' ? 'empty_pool' : 'none_eligible' });
          continue;
        }
        const userids = verdict.userids;
        const same = row.appliedUserids !== null && row.appliedUserids.length === userids.length && row.appliedUserids.every((u, i) => u === userids[i]);
        if (same) {
          items.push({ ...base, userids, skipped: null });
          continue;
        }
        try {
          await deps.wechat.call(account, wecomContactWayUpdate, { config_id: configId, user: userids });
        } catch (error) {
          if (!isWeChatApiError(error)) throw error;
          items.push({ ...base, userids, skipped: 'wecom_error', errcode: error.errcode });
          continue;
        }
        await repository.updateRule(accountId, row.id, { appliedUserids: userids, appliedAt: now });
        items.push({ ...base, userids, changed: true, skipped: null });
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

    /** add_external_contact: counts toward the member's capacity today. */
    async recordAdd(accountId: string, userid: string, externalUserid: string): Promise<boolean> {
      return repository.recordAdd(accountId, userid, externalUserid, deps.clock.now());
    },
  };
  return service;
}

export type AssignmentRulesService = ReturnType<typeof createAssignmentRulesService>;

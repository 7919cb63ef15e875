import { AppError } from '../../../../common/errors';
import { decodeCursor, encodeCursor, type Page } from '../../../../common/paging';
import type { AuditRecorder } from '../../../platform/audit';
import type { Clock } from '../../../platform/clock';
import type { RequestContext } from '../../../platform/http/principal';
import type { WeChatAccount, WeChatClient } from '../../../wechat/client';
import { oaCurrentAutoReply } from '../../../wechat/official-account';
import type { AutoRepliesRepository, RuleRow } from './auto-replies.repository';
import type {
  AutoReplyImportResult,
  AutoReplyKind,
  AutoReplyRule,
  AutoReplyRuleWithWarnings,
  AutoReplyStatus,
  AutoReplyTestBody,
  AutoReplyTestResult,
  CreateAutoReplyBody,
  ListAutoRepliesQuery,
  UpdateAutoReplyBody,
} from './auto-replies.schema';
import { compileAutoReplies, type AutoReplyMatcher, type RuleMatch } from './auto-reply-matcher';
import { checkRuleContent, defaultRuleName, findOverlaps } from './auto-reply-rules';
import { convertPlatformAutoReplies } from './platform-import';

export interface AutoRepliesServiceDeps {
  repository: AutoRepliesRepository;
  accounts: {
    getAccount(id: string): Promise<{ id: string; type: string }>;
    wechatAccountFor(id: string): Promise<WeChatAccount>;
  };
  wechat: WeChatClient;
  audit: AuditRecorder;
  clock: Clock;
}

const kinds: readonly AutoReplyKind[] = ['subscribe', 'default', 'keyword', 'click'];

function toRule(row: RuleRow): AutoReplyRule {
  return {
    id: row.id,
    accountId: row.accountId,
    kind: row.kind,
    name: row.name,
    enabled: row.enabled,
    position: row.position,
    keywords: row.keywords,
    clickKeys: row.clickKeys,
    replies: row.replies,
    replyMode: row.replyMode,
    source: row.source,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export type AutoRepliesService = ReturnType<typeof createAutoRepliesService>;

/** How long one read of an account's rule version serves the messages after it (see `versions`). */
const VERSION_FRESH_MS = 1_000;

export function createAutoRepliesService(deps: AutoRepliesServiceDeps) {
  const { repository } = deps;
  /** Compiled matchers per account, valid while the account's version in the database is unchanged. */
  const compiled = new Map<string, { version: number; matcher: Promise<AutoReplyMatcher> }>();
  /**
   * The last version read per account, shared by the messages that arrive within
   * VERSION_FRESH_MS of it (and by those arriving while it is read): under load
   * every text message asked the database, one statement per push for a value
   * that changes when an operator edits rules. Edits made here apply at once;
   * those made on another instance within that delay.
   */
  const versions = new Map<string, { readAt: number; version: Promise<number> }>();

  function currentVersion(accountId: string): Promise<number> {
    const now = performance.now();
    const seen = versions.get(accountId);
    if (seen && now - seen.readAt < VERSION_FRESH_MS) return seen.version;
    const version = repository.findSettings(accountId).then((settings) => settings?.version ?? 0);
    versions.set(accountId, { readAt: now, version });
    version.catch(() => {
      if (versions.get(accountId)?.version === version) versions.delete(accountId);
    });
    return version;
  }

  /** A rule change: its transaction, then the next message reads the new version. */
  async function changeRules<T>(accountId: string, work: (repo: AutoRepliesRepository, tx: unknown) => Promise<T>): Promise<T> {
    try {
      return await repository.transaction(work);
    } finally {
      versions.delete(accountId);
    }
  }

  async function officialAccount(accountId: string): Promise<void> {
    const account = await deps.accounts.getAccount(accountId);
    if (account.type !== 'official_account') throw new AppError('AUTO_REPLY_ACCOUNT_NOT_OFFICIAL', { id: accountId });
  }

  async function load(repo: AutoRepliesRepository, accountId: string, ruleId: string): Promise<RuleRow> {
    const row = await repo.findRule(accountId, ruleId);
    if (!row) throw new AppError('AUTO_REPLY_RULE_NOT_FOUND', { id: ruleId });
    return row;
  }

  async function withOverlaps(repo: AutoRepliesRepository, row: RuleRow): Promise<AutoReplyRuleWithWarnings> {
    const overlaps = row.kind === 'keyword' ? findOverlaps(row, await repo.enabledKeywordRules(row.accountId)) : [];
    return { ...toRule(row), overlaps };
  }

  const service = {
    async list(accountId: string, query: ListAutoRepliesQuery): Promise<Page<AutoReplyRule>> {
      await officialAccount(accountId);
      const cursor = query.cursor ? decodeCursor(query.cursor) : null;
      const after =
        cursor && typeof cursor[0] === 'string' && kinds.includes(cursor[0] as AutoReplyKind) && typeof cursor[1] === 'number'
          ? { kind: cursor[0] as AutoReplyKind, position: cursor[1] }
          : undefined;
      const rows = await repository.listRules({ accountId, kind: query.kind, q: query.q, after, limit: query.limit + 1 });
      const items = rows.slice(0, query.limit);
      const last = items.at(-1);
      return {
        items: items.map(toRule),
        nextCursor: rows.length > query.limit && last ? encodeCursor([last.kind, last.position]) : null,
        total: await repository.countRules({ accountId, kind: query.kind, q: query.q }),
      };
    },

    async get(accountId: string, ruleId: string): Promise<AutoReplyRuleWithWarnings> {
      await officialAccount(accountId);
      return withOverlaps(repository, await load(repository, accountId, ruleId));
    },

    async status(accountId: string): Promise<AutoReplyStatus> {
      await officialAccount(accountId);
      const settings = await repository.findSettings(accountId);
      return { counts: await repository.countByKind(accountId), importedAt: settings?.importedAt?.toISOString() ?? null, version: settings?.version ?? 0 };
    },

    /** New rules go last in their kind: they never silently take over existing answers. */
    async create(context: RequestContext | null, accountId: string, body: CreateAutoReplyBody): Promise<AutoReplyRuleWithWarnings> {
      await officialAccount(accountId);
      checkRuleContent(body);
      const now = deps.clock.now();
      return changeRules(accountId, async (repo, tx) => {
        await repo.bumpVersion(accountId);
        const position = await repo.countRules({ accountId, kind: body.kind });
        const [row] = await repo.insertRules([
          {
            accountId,
            kind: body.kind,
            name: body.name?.trim() || defaultRuleName(body),
            position,
            enabled: body.enabled,
            keywords: body.keywords.map((k) => ({ text: k.text.trim(), match: k.match })),
            clickKeys: body.clickKeys,
            replies: body.replies,
            replyMode: body.replyMode,
            source: 'qiao',
            createdAt: now,
            updatedAt: now,
          },
        ]);
        const created = row as RuleRow;
        await deps.audit.record(
          context,
          { action: 'oa_auto_replies.create', targetType: 'oa_auto_reply_rule', targetId: created.id, summary: { accountId, kind: created.kind, name: created.name } },
          tx,
        );
        return withOverlaps(repo, created);
      });
    },

    async update(context: RequestContext | null, accountId: string, ruleId: string, body: UpdateAutoReplyBody): Promise<AutoReplyRuleWithWarnings> {
      await officialAccount(accountId);
      return changeRules(accountId, async (repo, tx) => {
        await repo.bumpVersion(accountId);
        const current = await load(repo, accountId, ruleId);
        const next = {
          kind: current.kind,
          keywords: body.keywords?.map((k) => ({ text: k.text.trim(), match: k.match })) ?? current.keywords,
          clickKeys: body.clickKeys ?? current.clickKeys,
          replies: body.replies ?? current.replies,
          replyMode: body.replyMode ?? current.replyMode,
        };
        checkRuleContent(next);
        const changes = {
          ...next,
          name: body.name === undefined ? current.name : body.name.trim() || defaultRuleName(next),
          enabled: body.enabled ?? current.enabled,
          updatedAt: deps.clock.now(),
        };
        await repo.updateRule(ruleId, changes);
        await deps.audit.record(
          context,
          { action: 'oa_auto_replies.update', targetType: 'oa_auto_reply_rule', targetId: ruleId, summary: { accountId, changed: Object.keys(body) } },
          tx,
        );
        return withOverlaps(repo, { ...current, ...changes });
      });
    },

    async remove(context: RequestContext | null, accountId: string, ruleId: string): Promise<void> {
      await officialAccount(accountId);
      await changeRules(accountId, async (repo, tx) => {
        await repo.bumpVersion(accountId);
        const current = await load(repo, accountId, ruleId);
        await repo.deleteRule(ruleId);
        await repo.shiftPositions(accountId, current.kind, current.position + 1, 2_147_483_647, -1);
        await deps.audit.record(
          context,
          { action: 'oa_auto_replies.delete', targetType: 'oa_auto_reply_rule', targetId: ruleId, summary: { accountId, kind: current.kind, name: current.name } },
          tx,
        );
      });
    },

    /** Moves a rule to `toIndex` within its kind (0 = answers first); the rules in between shift by one. */
    async move(context: RequestContext | null, accountId: string, ruleId: string, toIndex: number): Promise<AutoReplyRuleWithWarnings> {
      await officialAccount(accountId);
      return changeRules(accountId, async (repo, tx) => {
        await repo.bumpVersion(accountId);
        const current = await load(repo, accountId, ruleId);
        const count = await repo.countRules({ accountId, kind: current.kind });
        if (toIndex >= count) throw new AppError('AUTO_REPLY_MOVE_OUT_OF_RANGE', { toIndex, count });
        const from = current.position;
        if (toIndex < from) await repo.shiftPositions(accountId, current.kind, toIndex, from - 1, 1);
        if (toIndex > from) await repo.shiftPositions(accountId, current.kind, from + 1, toIndex, -1);
        const updatedAt = deps.clock.now();
        await repo.updateRule(ruleId, { position: toIndex, updatedAt });
        await deps.audit.record(
          context,
          { action: 'oa_auto_replies.move', targetType: 'oa_auto_reply_rule', targetId: ruleId, summary: { accountId, from, to: toIndex } },
          tx,
        );
        return withOverlaps(repo, { ...current, position: toIndex, updatedAt });
      });
    },

    /** What a follower would get, without sending anything or touching any state. */
    async test(accountId: string, body: AutoReplyTestBody): Promise<AutoReplyTestResult> {
      await officialAccount(accountId);
      const matcher = await service.matcherFor(accountId);
      const found: RuleMatch | null =
        body.trigger === 'subscribe' ? matcher.forSubscribe() : body.trigger === 'click' ? matcher.forClick(body.content) : matcher.forText(body.content);
      if (!found) return { matched: false, ruleId: null, ruleName: null, kind: null, keyword: null, replyMode: null, replies: [] };
      return {
        matched: true,
        ruleId: found.rule.id,
        ruleName: found.rule.name,
        kind: found.rule.kind,
        keyword: found.keyword,
        replyMode: found.rule.replyMode,
        replies: found.rule.replies,
      };
    },

    /**
     * Brings in the rules set in the platform's web console. Once Qiao holds the
     * callback URL those stop answering, so they come in as they were there
     * (enabled when the platform had them on) and followers notice no change.
     * Rules imported before are skipped; imported rules go after existing ones.
     */
    async importFromPlatform(context: RequestContext | null, accountId: string): Promise<AutoReplyImportResult> {
      await officialAccount(accountId);
      const answer = await deps.wechat.call(await deps.accounts.wechatAccountFor(accountId), oaCurrentAutoReply);
      const { rules, skipped } = convertPlatformAutoReplies(answer);
      const now = deps.clock.now();
      return changeRules(accountId, async (repo, tx) => {
        await repo.bumpVersion(accountId, { importedAt: now });
        const known = await repo.platformKeys(accountId);
        const fresh = rules.filter((rule) => !known.has(rule.platformKey));
        const next = await repo.countByKind(accountId);
        await repo.insertRules(
          fresh.map((rule) => ({
            accountId,
            kind: rule.kind,
            name: rule.name,
            position: next[rule.kind]++,
            enabled: rule.enabled,
            keywords: rule.keywords,
            clickKeys: [],
            replies: rule.replies,
            replyMode: rule.replyMode,
            source: 'platform' as const,
            platformKey: rule.platformKey,
            createdAt: now,
            updatedAt: now,
          })),
        );
        await deps.audit.record(
          context,
          { action: 'oa_auto_replies.import', targetType: 'account', targetId: accountId, summary: { imported: fresh.length, skipped: skipped.length } },
          tx,
        );
        return { imported: fresh.length, alreadyImported: rules.length - fresh.length, skipped, importedAt: now.toISOString() };
      });
    },

    /**
     * The account's compiled matcher. Built once per rule change: the version
     * in the database tells every instance when its copy is stale.
     */
    async matcherFor(accountId: string): Promise<AutoReplyMatcher> {
      const version = await currentVersion(accountId);
      const cached = compiled.get(accountId);
      if (cached && cached.version === version) return cached.matcher;
      const matcher = repository.allRules(accountId).then((rows) => compileAutoReplies(rows));
      compiled.set(accountId, { version, matcher });
      matcher.catch(() => {
        if (compiled.get(accountId)?.matcher === matcher) compiled.delete(accountId);
      });
      return matcher;
    },
  };
  return service;
}

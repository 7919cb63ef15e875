import { AppError } from '../../../../common/errors';
import type { AuditRecorder } from '../../../platform/audit';
import type { Clock } from '../../../platform/clock';
import type { RequestContext } from '../../../platform/http/principal';
import type { JobQueue } from '../../../platform/queue';
import type { WeChatAccount, WeChatClient } from '../../../wechat/client';
import { oaTagCreate, oaTagDelete, oaTagFollowers, oaTagList, oaTagUpdate } from '../../../wechat/official-account';
import type { FollowersRepository } from '../followers';
import { tagFollowersJob } from './tag-batches';
import type { TagRuleRow, TagsRepository } from './tags.repository';
import { TAG_LIMITS, type Tag, type TagRule, type TagRuleBody } from './tags.schema';
import { tagRefusal } from './wechat-refusals';

export interface TagsServiceDeps {
  repository: TagsRepository;
  followers: Pick<FollowersRepository, 'tagCounts' | 'dropTag' | 'setTagMembers'>;
  /** Throws ACCOUNT_NOT_FOUND or FOLLOWERS_ACCOUNT_NOT_OFFICIAL. */
  requireOfficialAccount(accountId: string): Promise<unknown>;
  wechatAccountFor(accountId: string): Promise<WeChatAccount>;
  wechat: WeChatClient;
  queue: JobQueue;
  audit: AuditRecorder;
  clock: Clock;
  /** Told when an account's rules change (the callbacks cache them). */
  onRulesChanged(accountId: string): void;
}

export type TagsService = ReturnType<typeof createTagsService>;

const chars = (value: string) => [...value].length;
const isSystem = (tagId: number) => tagId <= TAG_LIMITS.systemMaxId;

function toRule(row: TagRuleRow): TagRule {
  return {
    id: row.id,
    tagId: row.tagId,
    trigger: row.trigger,
    match: row.match,
    value: row.value,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function createTagsService(deps: TagsServiceDeps) {
  const { repository } = deps;

  async function requireTag(accountId: string, tagId: number) {
    const tag = await repository.find(accountId, tagId);
    if (!tag) throw new AppError('TAG_NOT_FOUND', { tagId });
    return tag;
  }

  /** Checks a name the way WeChat would, before anything reaches it. */
  async function checkName(accountId: string, name: string, exceptTagId?: number): Promise<void> {
    if (chars(name) > TAG_LIMITS.nameChars) throw new AppError('TAG_NAME_TOO_LONG', { max: TAG_LIMITS.nameChars, actual: chars(name) });
    const tags = await repository.list(accountId);
    if (tags.some((t) => t.name === name && t.tagId !== exceptTagId)) throw new AppError('TAG_NAME_TAKEN', { name });
  }

  function requireEditable(tagId: number): void {
    if (isSystem(tagId)) throw new AppError('TAG_PROTECTED', { tagId });
  }

  return {
    async list(accountId: string): Promise<Tag[]> {
      await deps.requireOfficialAccount(accountId);
      const [tags, counts] = await Promise.all([repository.list(accountId), deps.followers.tagCounts(accountId)]);
      return tags.map((t) => ({ id: t.tagId, name: t.name, count: counts.get(t.tagId) ?? 0, system: isSystem(t.tagId) }));
    },

    /**
     * tags/get: makes Qiao's tag list WeChat's (on sync, and on demand). Tags
     * put on or taken off followers in WeChat's own console send no event, so
     * each tag's members are re-read (user/tag/get, 10,000 a call) and set on
     * the followers Qiao holds; equal counts can hide a swap, so they are no
     * reason to skip. A tag empty on both sides costs no call.
     */
    async pull(accountId: string): Promise<number> {
      const account = await deps.wechatAccountFor(accountId);
      const answer = await deps.wechat.call(account, oaTagList);
      await repository.replaceAll(
        accountId,
        answer.tags.map((t) => ({ id: t.id, name: t.name, count: t.count ?? null })),
        deps.clock.now(),
      );
      const local = await deps.followers.tagCounts(accountId);
      for (const tag of answer.tags) {
        if (tag.count === 0 && !local.get(tag.id)) continue;
        const members: string[] = [];
        for (let next = ''; ; ) {
          const page = await deps.wechat.call(account, oaTagFollowers, { tagid: tag.id, next_openid: next });
          const ids = page.data?.openid ?? [];
          members.push(...ids);
          if (ids.length === 0 || !page.next_openid || page.next_openid === next) break;
          next = page.next_openid;
        }
        await deps.followers.setTagMembers(accountId, tag.id, members, deps.clock.now());
      }
      return answer.tags.length;
    },

    async create(context: RequestContext, accountId: string, rawName: string): Promise<Tag> {
      await deps.requireOfficialAccount(accountId);
      const name = rawName.trim();
      await checkName(accountId, name);
      const own = (await repository.list(accountId)).filter((t) => !isSystem(t.tagId)).length;
      if (own >= TAG_LIMITS.perAccount) throw new AppError('TAG_LIMIT_REACHED', { max: TAG_LIMITS.perAccount });
      const account = await deps.wechatAccountFor(accountId);
      const created = await deps.wechat.call(account, oaTagCreate, { tag: { name } }).catch((error: unknown) => {
        throw tagRefusal(error, { name });
      });
      await repository.transaction(async (repo, tx) => {
        await repo.upsert(accountId, { id: created.tag.id, name: created.tag.name }, deps.clock.now());
        await deps.audit.record(context, { action: 'official_account.tag.create', targetType: 'oa_tag', targetId: `${accountId}:${created.tag.id}`, summary: { name } }, tx);
      });
      return { id: created.tag.id, name: created.tag.name, count: 0, system: false };
    },

    async rename(context: RequestContext, accountId: string, tagId: number, rawName: string): Promise<Tag> {
      await deps.requireOfficialAccount(accountId);
      requireEditable(tagId);
      const before = await requireTag(accountId, tagId);
      const name = rawName.trim();
      await checkName(accountId, name, tagId);
      const account = await deps.wechatAccountFor(accountId);
      await deps.wechat.call(account, oaTagUpdate, { tag: { id: tagId, name } }).catch((error: unknown) => {
        throw tagRefusal(error, { name, tagId });
      });
      await repository.transaction(async (repo, tx) => {
        await repo.rename(accountId, tagId, name, deps.clock.now());
        await deps.audit.record(context, { action: 'official_account.tag.rename', targetType: 'oa_tag', targetId: `${accountId}:${tagId}`, summary: { from: before.name, to: name } }, tx);
      });
      const count = (await deps.followers.tagCounts(accountId)).get(tagId) ?? 0;
      return { id: tagId, name, count, system: false };
    },

    /** Deletes on WeChat, then here: the tag leaves every follower and its auto-tag rules go. */
    async remove(context: RequestContext, accountId: string, tagId: number): Promise<void> {
      await deps.requireOfficialAccount(accountId);
      requireEditable(tagId);
      const tag = await requireTag(accountId, tagId);
      const count = (await deps.followers.tagCounts(accountId)).get(tagId) ?? 0;
      if (count > TAG_LIMITS.deletableFollowers) throw new AppError('TAG_TOO_MANY_FOLLOWERS', { name: tag.name, max: TAG_LIMITS.deletableFollowers });
      const account = await deps.wechatAccountFor(accountId);
      await deps.wechat.call(account, oaTagDelete, { tag: { id: tagId } }).catch((error: unknown) => {
        throw tagRefusal(error, { name: tag.name, tagId });
      });
      await repository.transaction(async (repo, tx) => {
        await repo.delete(accountId, tagId);
        await repo.deleteRulesOfTag(accountId, tagId);
        await deps.audit.record(context, { action: 'official_account.tag.delete', targetType: 'oa_tag', targetId: `${accountId}:${tagId}`, summary: { name: tag.name, followers: count } }, tx);
      });
      await deps.followers.dropTag(accountId, tagId, deps.clock.now());
      deps.onRulesChanged(accountId);
    },

    /** Tags or untags the followers as a job of 50-OpenID batches. */
    async startTagging(context: RequestContext, accountId: string, tagId: number, action: 'tag' | 'untag', openIds: string[]) {
      await deps.requireOfficialAccount(accountId);
      const tag = await requireTag(accountId, tagId);
      const unique = [...new Set(openIds)];
      const job = await deps.queue.enqueue(
        tagFollowersJob,
        { accountId, tagId, action, openIds: unique },
        { accountId, createdBy: context.principal?.userId ?? undefined, total: unique.length },
      );
      await deps.audit.record(context, {
        action: action === 'tag' ? 'official_account.tag.followers_add' : 'official_account.tag.followers_remove',
        targetType: 'oa_tag',
        targetId: `${accountId}:${tagId}`,
        summary: { name: tag.name, followers: unique.length, jobId: job.id },
      });
      return { id: job.id, kind: job.kind, state: job.state };
    },

    async listRules(accountId: string): Promise<TagRule[]> {
      await deps.requireOfficialAccount(accountId);
      return (await repository.listRules(accountId)).map(toRule);
    },

    async createRule(context: RequestContext, accountId: string, body: TagRuleBody): Promise<TagRule> {
      await deps.requireOfficialAccount(accountId);
      await requireTag(accountId, body.tagId);
      requireEditable(body.tagId);
      const at = deps.clock.now();
      const row = await repository.transaction(async (repo, tx) => {
        const inserted = await repo.insertRule({ accountId, ...ruleFields(body), createdAt: at, updatedAt: at });
        await deps.audit.record(context, { action: 'official_account.tag_rule.create', targetType: 'oa_tag_rule', targetId: inserted.id, summary: { ...ruleFields(body) } }, tx);
        return inserted;
      });
      deps.onRulesChanged(accountId);
      return toRule(row);
    },

    async updateRule(context: RequestContext, accountId: string, ruleId: string, body: TagRuleBody): Promise<TagRule> {
      await deps.requireOfficialAccount(accountId);
      const before = await repository.findRule(accountId, ruleId);
      if (!before) throw new AppError('TAG_RULE_NOT_FOUND', { id: ruleId });
      await requireTag(accountId, body.tagId);
      requireEditable(body.tagId);
      await repository.transaction(async (repo, tx) => {
        await repo.updateRule(accountId, ruleId, { ...ruleFields(body), updatedAt: deps.clock.now() });
        await deps.audit.record(context, { action: 'official_account.tag_rule.update', targetType: 'oa_tag_rule', targetId: ruleId, summary: { ...ruleFields(body) } }, tx);
      });
      deps.onRulesChanged(accountId);
      return toRule((await repository.findRule(accountId, ruleId)) as TagRuleRow);
    },

    async deleteRule(context: RequestContext, accountId: string, ruleId: string): Promise<void> {
      await deps.requireOfficialAccount(accountId);
      await repository.transaction(async (repo, tx) => {
        if (!(await repo.deleteRule(accountId, ruleId))) throw new AppError('TAG_RULE_NOT_FOUND', { id: ruleId });
        await deps.audit.record(context, { action: 'official_account.tag_rule.delete', targetType: 'oa_tag_rule', targetId: ruleId, summary: {} }, tx);
      });
      deps.onRulesChanged(accountId);
    },
  };
}

/** Menu keys match exactly whatever was asked. */
function ruleFields(body: TagRuleBody) {
  return { tagId: body.tagId, trigger: body.trigger, match: body.trigger === 'menu_click' ? ('exact' as const) : body.match, value: body.value };
}

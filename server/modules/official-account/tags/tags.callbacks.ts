import type { Clock } from '../../../platform/clock';
import type { CallbackSubscriptions } from '../../system/callbacks';
import { tagsEarned, type AutoTagRule, type FollowerAction } from './auto-tag-rules';
import type { AutoTagger } from './auto-tagger';
import type { TagsRepository } from './tags.repository';

export interface TagRuleCallbackDeps {
  repository: Pick<TagsRepository, 'listRules'>;
  subscribe: CallbackSubscriptions['subscribe'];
  tagger: AutoTagger;
  clock: Clock;
  /** Rules are re-read at least this often, so a change made on another instance applies too. */
  cacheMs?: number;
}

/**
 * Applies auto-tag rules to menu clicks and text messages. Rules are cached
 * per account (dropped on change here, re-read after `cacheMs` elsewhere);
 * a match only queues the tag, so the passive reply never waits.
 */
export function subscribeTagRuleCallbacks(deps: TagRuleCallbackDeps) {
  const cacheMs = deps.cacheMs ?? 30_000;
  const cache = new Map<string, { at: number; rules: Promise<AutoTagRule[]> }>();

  function rulesOf(accountId: string): Promise<AutoTagRule[]> {
    const now = deps.clock.now().getTime();
    const cached = cache.get(accountId);
    if (cached && now - cached.at < cacheMs) return cached.rules;
    // Settled once here: the repository hands back the query itself, which would run again on every await.
    const rules = Promise.resolve(deps.repository.listRules(accountId));
    cache.set(accountId, { at: now, rules });
    rules.catch(() => cache.delete(accountId));
    return rules;
  }

  async function apply(accountId: string, openId: string, action: FollowerAction): Promise<void> {
    const rules = await rulesOf(accountId);
    if (rules.length === 0) return;
    for (const tagId of tagsEarned(rules, action)) deps.tagger.add(accountId, openId, tagId);
  }

  deps.subscribe('official-account.CLICK', ({ event, account }) => apply(account.id, event.fromUserName, { kind: 'menu_click', key: event.eventKey }));
  deps.subscribe('official-account.text', ({ event, account }) => apply(account.id, event.fromUserName, { kind: 'text', content: event.content }));

  return {
    forget(accountId: string): void {
      cache.delete(accountId);
    },
  };
}

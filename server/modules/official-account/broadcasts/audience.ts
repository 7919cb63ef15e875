import type { WeChatAccount, WeChatClient } from '../../../wechat/client';
import { oaFollowerInfoBatch, oaFollowerList, oaTagFollowers, oaTagList } from '../../../wechat/official-account';
import type { BroadcastAudience } from './broadcasts.tables';

/** Who a push would reach now, and which tags exist: the followers module's tables, or WeChat itself. */
export interface AudienceSource {
  /** OpenIDs of current followers in the audience, each once. */
  openIds(accountId: string, audience: BroadcastAudience): Promise<string[]>;
  /** The ids among `tagIds` that no longer exist. */
  missingTags(accountId: string, tagIds: number[]): Promise<number[]>;
}

const BATCHGET_SIZE = 100;

/** Reads the audience from WeChat's own lists (user/get, user/tag/get, user/info/batchget), page by page. */
export function createWeChatAudience(deps: { wechat: WeChatClient; wechatAccountFor(accountId: string): Promise<WeChatAccount> }): AudienceSource {
  async function pages(fetch: (next: string) => Promise<{ ids: string[]; next: string }>): Promise<string[]> {
    const ids: string[] = [];
    let next = '';
    for (;;) {
      const page = await fetch(next);
      ids.push(...page.ids);
      if (page.ids.length === 0 || !page.next || page.next === next) return ids;
      next = page.next;
    }
  }

  return {
    async openIds(accountId, audience) {
      const account = await deps.wechatAccountFor(accountId);
      if (audience.kind === 'all') {
        return pages(async (next) => {
          const page = await deps.wechat.call(account, oaFollowerList, undefined, next ? { next_openid: next } : {});
          return { ids: page.data?.openid ?? [], next: page.next_openid ?? '' };
        });
      }
      if (audience.kind === 'tags') {
        const all = new Set<string>();
        for (const tagId of audience.tagIds) {
          const ids = await pages(async (next) => {
            const page = await deps.wechat.call(account, oaTagFollowers, { tagid: tagId, next_openid: next });
            return { ids: page.data?.openid ?? [], next: page.next_openid ?? '' };
          });
          for (const id of ids) all.add(id);
        }
        return [...all];
      }
      const unique = [...new Set(audience.openIds)];
      const following: string[] = [];
      for (let i = 0; i < unique.length; i += BATCHGET_SIZE) {
        const batch = unique.slice(i, i + BATCHGET_SIZE);
        const answer = await deps.wechat.call(account, oaFollowerInfoBatch, { user_list: batch.map((openid) => ({ openid, lang: 'zh_CN' as const })) });
        for (const info of answer.user_info_list) if (info.subscribe === 1 && typeof info.openid === 'string') following.push(info.openid);
      }
      return following;
    },

    async missingTags(accountId, tagIds) {
      const account = await deps.wechatAccountFor(accountId);
      const { tags } = await deps.wechat.call(account, oaTagList);
      const existing = new Set(tags.map((t) => t.id));
      return tagIds.filter((id) => !existing.has(id));
    },
  };
}

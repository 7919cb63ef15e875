import type { Logger } from 'pino';
import { pushTarget } from './world';
import type { Pushes } from './pushes';
import type { WeComCaller } from './scope';
import type { CorpTagRow, WeComRepository } from './wecom.repository';

type Change = { changeType: 'create' | 'update' | 'delete'; row: CorpTagRow };

/** What changed between two snapshots of a corp's tag library; a group's own event covers its tags. */
export function corpTagChanges(before: CorpTagRow[], after: CorpTagRow[]): Change[] {
  const was = new Map(before.map((r) => [r.id, r]));
  const is = new Map(after.map((r) => [r.id, r]));
  const changes: Change[] = [];
  for (const row of after) {
    const old = was.get(row.id);
    if (!old) {
      if (row.groupId === null || was.has(row.groupId)) changes.push({ changeType: 'create', row });
    } else if (old.name !== row.name || old.order !== row.order) changes.push({ changeType: 'update', row });
  }
  for (const row of before) {
    if (is.has(row.id)) continue;
    if (row.groupId === null || is.has(row.groupId)) changes.push({ changeType: 'delete', row });
  }
  return changes;
}

/**
 * Runs a corp-tag change made in the admin console and pushes change_external_tag
 * for what it changed to the customer-contact receiver (WeCom reports changes made
 * in its clients and admin console, never those made through its API). Pushed
 * before the change answers, so a caller sees its events first.
 */
export function createCorpTagEvents(deps: { repository: WeComRepository; pushes: Pushes; logger: Logger }) {
  return async function withTagEvents<T>(caller: WeComCaller, work: () => Promise<T>): Promise<T> {
    const before = await deps.repository.listCorpTags(caller.corpId);
    const answer = await work();
    const after = await deps.repository.listCorpTags(caller.corpId);
    const receiver = await deps.repository.findReceiver(caller.corpId, 'customer-contact');
    if (!receiver) return answer;
    for (const change of corpTagChanges(before, after)) {
      try {
        await deps.pushes.push(pushTarget(receiver), {
          actor: 'sys',
          label: `event:change_external_tag.${change.changeType}`,
          fields: {
            FromUserName: 'sys',
            MsgType: 'event',
            Event: 'change_external_tag',
            Id: change.row.id,
            TagType: change.row.groupId === null ? 'tag_group' : 'tag',
            ChangeType: change.changeType,
          },
        });
      } catch (error) {
        deps.logger.warn({ err: error, corpId: caller.corpId }, 'change_external_tag push failed');
      }
    }
    return answer;
  };
}

export type CorpTagEvents = ReturnType<typeof createCorpTagEvents>;

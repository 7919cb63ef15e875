import type { Clock } from '../../platform/clock';
import { DepartmentTree, raise } from './directory';
import { newId } from './ids';
import { checkAppMessage, checkRecipients, splitRecipients, useridKey } from './rules';
import type { WeComCaller } from './scope';
import type { WeComRepository } from './wecom.repository';
import { weComError } from './wecom-errors';

/** WeCom drops (silently) what an app sends one member beyond this many a minute. */
export const APP_MESSAGES_PER_MEMBER_PER_MINUTE = 30;

export interface AppMessageInput {
  touser?: string | undefined;
  toparty?: string | undefined;
  totag?: string | undefined;
  msgtype: string;
  agentid: number;
  [key: string]: unknown;
}

/** `message/send`: recipients resolved, invalid ones reported, each valid member's inbox filled. */
export function createAppMessages(deps: { repository: WeComRepository; clock: Clock }) {
  const { repository } = deps;

  return {
    async send(caller: WeComCaller, input: AppMessageInput, agentExists: (agentId: string) => Promise<boolean>) {
      const agentId = String(input.agentid);
      if (!(await agentExists(agentId))) throw weComError(40056, 'agentid');
      if (agentId !== caller.receiver) throw weComError(301002, 'agentid');
      raise(checkRecipients(input));
      raise(checkAppMessage(input.msgtype, input[input.msgtype] as Record<string, unknown> | undefined));

      const users = splitRecipients(input.touser);
      const recipients = new Map<string, string>();
      const invalidUsers: string[] = [];
      const invalidParties: string[] = [];
      if (users.includes('@all')) {
        for (const key of await repository.memberKeys(caller.corpId)) recipients.set(key, key);
      } else {
        const found = await repository.findMembers(caller.corpId, users.map(useridKey));
        const byKey = new Map(found.map((m) => [m.useridKey, m]));
        for (const userid of users) {
          if (byKey.has(useridKey(userid))) recipients.set(useridKey(userid), userid);
          else invalidUsers.push(userid);
        }
        const parties = splitRecipients(input.toparty);
        if (parties.length) {
          const tree = new DepartmentTree(await repository.listDepartments(caller.corpId));
          for (const party of parties) {
            const id = /^\d+$/.test(party) ? Number(party) : Number.NaN;
            if (!tree.byId.has(id)) {
              invalidParties.push(party);
              continue;
            }
            for (const department of tree.subtree(id)) {
              for (const member of await repository.membersInDepartment(caller.corpId, department.id)) recipients.set(member.useridKey, member.userid);
            }
          }
        }
      }
      // The sandbox corp has no member tags: every tag id is reported invalid.
      const invalidTags = users.includes('@all') ? [] : splitRecipients(input.totag);
      if (recipients.size === 0) throw weComError(81013, 'touser');

      const now = deps.clock.now();
      const since = new Date(now.getTime() - 60_000);
      const { touser: _u, toparty: _p, totag: _t, msgtype, agentid: _a, ...rest } = input;
      const payload = { ...(rest[msgtype] as Record<string, unknown>), ...(rest.safe !== undefined ? { safe: rest.safe } : {}) };
      const deliveries = [];
      for (const key of recipients.keys()) {
        if ((await repository.countAppMessages(caller.corpId, key, agentId, since)) >= APP_MESSAGES_PER_MEMBER_PER_MINUTE) continue;
        deliveries.push({ corpId: caller.corpId, ownerKind: 'member' as const, ownerId: key, source: 'app_message', sender: agentId, msgtype, payload, createdAt: now });
      }
      await repository.deliverToInbox(deliveries);
      return {
        errcode: 0,
        errmsg: 'ok',
        invaliduser: invalidUsers.join('|'),
        invalidparty: invalidParties.join('|'),
        invalidtag: invalidTags.join('|'),
        unlicenseduser: '',
        msgid: newId.msgId(),
        ...(msgtype === 'template_card' ? { response_code: newId.welcomeCode() } : {}),
      };
    },
  };
}

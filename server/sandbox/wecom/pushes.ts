import type { Clock } from '../../platform/clock';
import { buildWeChatXml, MessageCrypt, openReply, parseWeChatXml, sealWeComPush, stringField, type WeChatRecord, type XmlInputRecord } from '../../wechat/core';
import type { CallbackDeliverer, DeliveryResult } from '../core/delivery';
import { ownerKeyOf } from './scope';

/** Where a push goes: one receiver's URL, token and key. */
export interface PushTarget {
  corpId: string;
  receiver: string;
  token: string;
  encodingAesKey: string;
  callbackUrl: string | null;
}

export interface WeComPush {
  /** Who acted (UserID, external user id, `sys`). */
  actor: string;
  /** Feed label, e.g. `event:change_external_contact.add_external_contact`. */
  label: string;
  /** The plaintext message fields; ToUserName and CreateTime are added. */
  fields: XmlInputRecord;
  agentId?: string;
  /** Reads a passive reply's plaintext and answers what it put in an inbox. */
  onReply?: (reply: WeChatRecord) => Promise<unknown[]>;
}

/** Sends WeCom pushes through the core deliverer: signed, encrypted, with WeChat's retries. */
export function createPushes(deps: { callbacks: CallbackDeliverer; clock: Clock }) {
  return {
    async push(target: PushTarget, push: WeComPush): Promise<DeliveryResult> {
      const createTime = Math.floor(deps.clock.now().getTime() / 1000);
      const message = buildWeChatXml({ ToUserName: target.corpId, ...push.fields, CreateTime: push.fields.CreateTime ?? createTime });
      const crypt = new MessageCrypt({ currentKey: target.encodingAesKey, receiverId: target.corpId });
      return deps.callbacks.deliver({
        product: 'wecom',
        ownerKey: ownerKeyOf(target.corpId, target.receiver),
        target: push.actor,
        event: push.label,
        url: target.callbackUrl,
        message,
        build: () =>
          sealWeComPush({
            message,
            token: target.token,
            crypt,
            toUserName: target.corpId,
            ...(push.agentId ? { agentId: push.agentId } : {}),
            timestamp: String(Math.floor(deps.clock.now().getTime() / 1000)),
          }),
        async judge(answer) {
          try {
            const opened = openReply({ body: answer, token: target.token, crypt, requireEncrypted: true });
            if (opened.kind === 'none') return { status: 'no_reply' };
            const record = parseWeChatXml(opened.plaintext);
            if (!stringField(record, 'MsgType')) return { status: 'invalid_reply', error: 'reply has no MsgType' };
            const received = push.onReply ? await push.onReply(record) : [];
            return { status: 'replied', received };
          } catch (error) {
            return { status: 'invalid_reply', error: String((error as Error).message ?? error) };
          }
        },
      });
    },
  };
}

export type Pushes = ReturnType<typeof createPushes>;

/** The part of a delivery the control API answers. */
export function deliverySummary(result: DeliveryResult) {
  return { attempts: result.attempts, status: result.status, latencyMs: result.latencyMs };
}

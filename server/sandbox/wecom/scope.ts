import type { TokenOwner } from '../core/tokens';
import { weComError } from './wecom-errors';

export type ReceiverKind = 'app' | 'contacts' | 'customer-contact';

/** Who holds a WeCom token: the corp and the receiver whose secret fetched it. */
export interface WeComCaller {
  corpId: string;
  receiver: string;
  kind: ReceiverKind;
}

export function receiverKind(receiver: string): ReceiverKind {
  if (receiver === 'contacts' || receiver === 'customer-contact') return receiver;
  return 'app';
}

/** Tokens are owned per secret: `corpId:receiver`. */
export function ownerKeyOf(corpId: string, receiver: string): string {
  return `${corpId}:${receiver}`;
}

export function callerOf(owner: TokenOwner | null): WeComCaller {
  if (!owner) throw weComError(41001);
  const at = owner.ownerKey.indexOf(':');
  const corpId = owner.ownerKey.slice(0, at);
  const receiver = owner.ownerKey.slice(at + 1);
  return { corpId, receiver, kind: receiverKind(receiver) };
}

/**
 * What each secret may call. Writing the directory takes the contacts-sync
 * secret; reading it, that or an app's; customer contact takes its own secret
 * or an app's (an app listed under 可调用应用); anything else answers 48002.
 */
export const access = {
  directoryWrite: ['contacts'],
  directoryRead: ['contacts', 'app'],
  customerContact: ['customer-contact', 'app'],
  appMessage: ['app'],
  media: ['contacts', 'app', 'customer-contact'],
} as const satisfies Record<string, readonly ReceiverKind[]>;

export function requireAccess(caller: WeComCaller, allowed: readonly ReceiverKind[]): void {
  if (!allowed.includes(caller.kind)) throw weComError(48002, `${caller.kind} secret`);
}

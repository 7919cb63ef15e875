/**
 * WeCom's customer-transfer limits, checked before calling (pure).
 * - A transfer waits 24 hours: the customer may refuse an on-duty transfer
 *   (在职继承) within that time, otherwise the takeover happens by itself.
 * - An on-duty member's customer is transferred at most twice within 90 days.
 * - One customer is in at most one transfer at a time.
 * - WeCom takes at most 100 customers per call.
 */

export const TAKEOVER_DELAY_MS = 24 * 3_600_000;
export const TRANSFER_WINDOW_MS = 90 * 86_400_000;
export const MAX_TRANSFERS_IN_WINDOW = 2;
export const CUSTOMERS_PER_CALL = 100;
export const MAX_TRANSFER_MESSAGE = 200;

export type TransferKind = 'on_duty' | 'resigned';
/** `not_unassigned`: 离职继承 of a customer WeCom does not list as the departed member's. */
export type TransferBlock = 'pending' | 'limit_90_days' | 'duplicate' | 'not_unassigned';

export interface PastTransfer {
  externalUserid: string;
  kind: TransferKind;
  status: 'skipped' | 'pending' | 'accepted' | 'refused' | 'limit' | 'failed';
  startedAt: Date | null;
}

export interface TransferVerdict {
  externalUserId: string;
  allowed: boolean;
  reason: TransferBlock | null;
  /** Accepted on-duty transfers of this customer in the last 90 days. */
  recentTransfers: number;
  /** When the 90-day limit lets this customer move again. */
  nextAllowedAt: Date | null;
}

/** Per customer: may it be transferred now, and if not, why and from when. */
export function transferVerdicts(kind: TransferKind, externalUserIds: readonly string[], history: readonly PastTransfer[], now: Date): TransferVerdict[] {
  const since = now.getTime() - TRANSFER_WINDOW_MS;
  const seen = new Set<string>();
  return externalUserIds.map((externalUserId) => {
    const mine = history.filter((h) => h.externalUserid === externalUserId);
    const recent = mine
      .filter((h) => h.kind === 'on_duty' && h.status === 'accepted' && h.startedAt && h.startedAt.getTime() >= since)
      .map((h) => (h.startedAt as Date).getTime())
      .sort((a, b) => a - b);
    const verdict: TransferVerdict = { externalUserId, allowed: true, reason: null, recentTransfers: recent.length, nextAllowedAt: null };
    if (seen.has(externalUserId)) return { ...verdict, allowed: false, reason: 'duplicate' };
    seen.add(externalUserId);
    if (mine.some((h) => h.status === 'pending')) return { ...verdict, allowed: false, reason: 'pending' };
    if (kind === 'on_duty' && recent.length >= MAX_TRANSFERS_IN_WINDOW) {
      const oldest = recent[recent.length - MAX_TRANSFERS_IN_WINDOW] as number;
      return { ...verdict, allowed: false, reason: 'limit_90_days', nextAllowedAt: new Date(oldest + TRANSFER_WINDOW_MS) };
    }
    return verdict;
  });
}

export function batchesOf<T>(items: readonly T[], size = CUSTOMERS_PER_CALL): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** WeCom's transfer_result status → Qiao's item status (2 = still waiting). */
export function statusOfResult(status: number): 'pending' | 'accepted' | 'refused' | 'limit' | 'failed' {
  switch (status) {
    case 1:
      return 'accepted';
    case 2:
      return 'pending';
    case 3:
      return 'refused';
    case 4:
      return 'limit';
    default:
      return 'failed';
  }
}

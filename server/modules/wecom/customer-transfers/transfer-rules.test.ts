import { describe, expect, it } from 'vitest';
import { batchesOf, statusOfResult, transferVerdicts, TRANSFER_WINDOW_MS, type PastTransfer } from './transfer-rules';

const now = new Date('2026-06-01T00:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

describe('transfer rules', () => {
  it('allows two on-duty transfers per customer in 90 days and names when the next is allowed', () => {
    const history: PastTransfer[] = [
      { externalUserid: 'wmA', kind: 'on_duty', status: 'accepted', startedAt: daysAgo(80) },
      { externalUserid: 'wmA', kind: 'on_duty', status: 'accepted', startedAt: daysAgo(10) },
      { externalUserid: 'wmB', kind: 'on_duty', status: 'accepted', startedAt: daysAgo(95) },
      { externalUserid: 'wmB', kind: 'on_duty', status: 'refused', startedAt: daysAgo(5) },
      { externalUserid: 'wmB', kind: 'on_duty', status: 'accepted', startedAt: daysAgo(3) },
      { externalUserid: 'wmC', kind: 'on_duty', status: 'pending', startedAt: daysAgo(0) },
    ];
    const verdicts = transferVerdicts('on_duty', ['wmA', 'wmB', 'wmC', 'wmD', 'wmD'], history, now);
    expect(verdicts.map((v) => [v.externalUserId, v.allowed, v.reason, v.recentTransfers])).toEqual([
      ['wmA', false, 'limit_90_days', 2],
      ['wmB', true, null, 1],
      ['wmC', false, 'pending', 0],
      ['wmD', true, null, 0],
      ['wmD', false, 'duplicate', 0],
    ]);
    expect(verdicts[0]?.nextAllowedAt?.getTime()).toBe(daysAgo(80).getTime() + TRANSFER_WINDOW_MS);
  });

  it('does not apply the 90-day limit to a departed member’s customers', () => {
    const history: PastTransfer[] = [
      { externalUserid: 'wmA', kind: 'on_duty', status: 'accepted', startedAt: daysAgo(20) },
      { externalUserid: 'wmA', kind: 'on_duty', status: 'accepted', startedAt: daysAgo(10) },
    ];
    expect(transferVerdicts('resigned', ['wmA'], history, now)[0]).toMatchObject({ allowed: true });
  });

  it('splits into calls of 100 and maps WeCom statuses', () => {
    expect(batchesOf(Array.from({ length: 250 }, (_, i) => i)).map((b) => b.length)).toEqual([100, 100, 50]);
    expect([1, 2, 3, 4, 5].map(statusOfResult)).toEqual(['accepted', 'pending', 'refused', 'limit', 'failed']);
  });
});

// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App } from 'antd';
import { I18nextProvider } from 'react-i18next';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '../../../app/i18n';
import { BulkTagsModal, plannedPairs, transferMember } from './bulk-actions';
import type { Customer, Follower } from './customers.api';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});
beforeEach(() => void i18n.changeLanguage('zh-CN'));

function follow(userid: string, tagIds: string[], status: Follower['status'] = 'active'): Follower {
  return { userid, memberName: `成员${userid}`, remark: '', description: '', remarkCorpName: '', remarkMobiles: [], tagIds, addWay: 1, state: null, operUserid: null, addedAt: '2026-01-01T00:00:00Z', status, endedAt: null };
}

function customer(externalUserId: string, name: string, followers: Follower[]): Customer {
  return {
    externalUserId,
    name,
    type: 'wechat',
    avatar: null,
    gender: 'unknown',
    corpName: null,
    corpFullName: null,
    position: null,
    unionid: null,
    status: 'active',
    firstAddedAt: '2026-01-01T00:00:00Z',
    lostAt: null,
    tagIds: followers.flatMap((f) => f.tagIds),
    source: null,
    remark: '',
    followers,
    consent: null,
    purgeAfter: null,
    syncedAt: null,
    updatedAt: '2026-01-01T00:00:00Z',
  };
}

const alice = customer('wmA', '张三', [follow('li', []), follow('wang', ['tVip'])]);
const bob = customer('wmB', '李四', [follow('li', []), follow('zhao', [], 'deleted_by_customer')]);

describe('plannedPairs', () => {
  it('tags each customer through every member still following them, skipping follows that already have the tags', () => {
    const plan = plannedPairs([alice, bob], 'add', ['tVip'], undefined);
    expect(plan.pairs.map((p) => [p.customer.externalUserId, p.userid, p.add])).toEqual([
      ['wmA', 'li', ['tVip']],
      ['wmB', 'li', ['tVip']],
    ]);
    expect(plan.unchanged).toBe(1);
  });

  it('removes only the tags a follow has, and through one member counts the customers that member does not follow', () => {
    const plan = plannedPairs([alice, bob], 'remove', ['tVip'], 'WANG');
    expect(plan.pairs.map((p) => [p.customer.externalUserId, p.userid, p.remove])).toEqual([['wmA', 'wang', ['tVip']]]);
    expect(plan.notFollowed).toBe(1);
  });
});

describe('transferMember', () => {
  it('takes the filtered member, else the only member following every selected customer', () => {
    expect(transferMember([alice, bob], 'zhao')).toEqual({ handoverUserid: 'zhao' });
    expect(transferMember([alice, bob], undefined)).toEqual({ handoverUserid: 'li' });
    expect(transferMember([alice], undefined)).toEqual({});
  });
});

describe('BulkTagsModal', () => {
  it('marks one member–customer pair per call and sums up what succeeded and what failed with the server’s reason', async () => {
    const calls: unknown[] = [];
    const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
      if (url.endsWith('/customer-tags/mark')) {
        const body = JSON.parse(String(init?.body)) as { externalUserId: string };
        calls.push(body);
        if (body.externalUserId === 'wmB') return Response.json({ code: 'CUSTOMER_TAG_MARK_FORBIDDEN', message: '你不能给成员 li 的客户打标签' }, { status: 403 });
        return Response.json({ userid: 'li', externalUserId: body.externalUserId, added: ['tVip'], removed: [] });
      }
      return Response.json({
        groups: [{ id: 'g1', wecomId: 'gw', name: '客户等级', order: 0, state: 'synced', pending: null, tags: [{ id: 't1', wecomId: 'tVip', groupId: 'g1', name: '重要客户', order: 0, state: 'synced', pending: null }] }],
        tagCount: 1,
        tagLimit: 10000,
        conflicts: 0,
        pending: 0,
        lastPulledAt: null,
      });
    });
    vi.stubGlobal('fetch', fetchMock);
    const onDone = vi.fn();
    render(
      <I18nextProvider i18n={i18n}>
        <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
          <MemoryRouter>
            <App>
              <BulkTagsModal accountId="acc" customers={[alice, bob]} open onClose={() => undefined} onDone={onDone} />
            </App>
          </MemoryRouter>
        </QueryClientProvider>
      </I18nextProvider>,
    );
    fireEvent.click(await screen.findByTestId('tag-option-重要客户'));
    fireEvent.click(screen.getByTestId('bulk-tags-run'));
    const summary = await screen.findByTestId('bulk-tags-summary');
    expect(summary.textContent).toContain('1 个已更新');
    expect(summary.textContent).toContain('1 个无需更改');
    expect(summary.textContent).toContain('1 个失败');
    expect(summary.textContent).toContain('李四');
    expect(summary.textContent).toContain('你不能给成员 li 的客户打标签');
    expect(calls).toEqual([
      { userid: 'li', externalUserId: 'wmA', add: ['tVip'], remove: [] },
      { userid: 'li', externalUserId: 'wmB', add: ['tVip'], remove: [] },
    ]);
    fireEvent.click(screen.getByTestId('bulk-tags-close'));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
  });
});

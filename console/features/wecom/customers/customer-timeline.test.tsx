// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Permission } from '../../../../common/permissions';
import type { Me } from '../../../../server/modules/system/auth/auth.schema';
import { i18n } from '../../../app/i18n';
import { SessionProvider } from '../../../app/session';
import { formatDateTime } from '../../../components/format';
import { TimelineText, timelineColor, useMemberNames } from './customer-timeline';
import type { CustomerDetail, TimelineEntry } from './customers.api';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const names: Record<string, string> = { li: '李雷 (li)', wang: '王芳 (wang)' };
const memberName = (userid: string) => names[userid] ?? userid;

function entry(kind: string, detail: Record<string, unknown>, userid: string | null = 'li'): TimelineEntry {
  return { id: `${kind}-1`, kind, userid, detail, occurredAt: '2026-03-01T08:00:00Z' };
}

async function words(e: TimelineEntry, language: 'zh-CN' | 'en-US'): Promise<string> {
  await i18n.changeLanguage(language);
  const { container } = render(
    <I18nextProvider i18n={i18n}>
      <TimelineText entry={e} memberName={memberName} />
    </I18nextProvider>,
  );
  return container.textContent ?? '';
}

const transfer = { transferId: 't1', transferKind: 'on_duty', from: 'li', to: 'wang' };

describe('customer timeline texts', () => {
  it('calls a waiting transfer a request that takes effect unless the customer refuses, naming both members', async () => {
    const waiting = entry('transferred', { ...transfer, result: 'waiting', takeoverAt: '2026-03-02T08:00:00Z' }, 'wang');
    const en = await words(waiting, 'en-US');
    expect(en).toContain('Transfer requested');
    expect(en).not.toContain('Customer transferred');
    expect(en).toContain('from 李雷 (li) to 王芳 (wang)');
    expect(en).toContain(`takes effect at ${formatDateTime('2026-03-02T08:00:00Z')} unless the customer refuses`);
    cleanup();
    const zh = await words(waiting, 'zh-CN');
    expect(zh).toContain('已发起客户转接');
    expect(zh).not.toContain('客户已转接');
    expect(timelineColor(waiting)).toBe('gray');
  });

  it('calls an accepted transfer transferred, and a departed member’s transfer cannot be refused', async () => {
    expect(await words(entry('transferred', { ...transfer, result: 'accepted', takeoverAt: '2026-03-02T08:00:00Z' }), 'en-US')).toContain('Customer transferred · from 李雷 (li) to 王芳 (wang)');
    cleanup();
    const resigned = await words(entry('transferred', { ...transfer, transferKind: 'resigned', result: 'waiting', takeoverAt: '2026-03-02T08:00:00Z' }), 'en-US');
    expect(resigned).toContain('takes effect at');
    expect(resigned).not.toContain('refuses');
  });

  it('gives a failed transfer’s reason in words, a WeCom errcode included', async () => {
    expect(await words(entry('transfer_failed', { ...transfer, result: 'refused', failReason: 'customer_refused' }), 'en-US')).toContain('the customer refused');
    cleanup();
    expect(await words(entry('transfer_failed', { ...transfer, result: 'failed', failReason: 'errcode_45999', errcode: 45999 }), 'en-US')).toContain('WeChat error 45999');
    cleanup();
    expect(await words(entry('transfer_failed', { transferId: null, from: null, to: 'wang', result: 'limit', failReason: 'customer_limit_exceed' }, 'wang'), 'zh-CN')).toContain('转给 王芳 (wang)；接替成员的客户数已达上限');
  });

  it('says which welcome went, and what was left out', async () => {
    const byDefault = await words(entry('welcome_sent', { codeName: '门店A', state: 's1', message: 'default', result: 'sent_without_name' }), 'en-US');
    expect(byDefault).toContain('default welcome message');
    expect(byDefault).toContain('added through code “门店A”');
    expect(byDefault).toContain('the name was left empty');
    expect(byDefault).not.toContain('sent_without_name');
    cleanup();
    expect(await words(entry('welcome_sent', { codeName: '门店A', message: 'code', result: 'media_expired' }), 'zh-CN')).toContain('渠道码「门店A」的欢迎语；有图片素材已过期');
  });

  it('gives a failed welcome’s reason in words with the errcode', async () => {
    const failed = await words(entry('welcome_failed', { codeName: '门店A', message: 'code', failReason: 'wechat_error', errcode: 41051, errmsg: 'x' }), 'en-US');
    expect(failed).toContain('WeCom refused to send it; errcode 41051');
    cleanup();
    expect(await words(entry('welcome_failed', { codeName: null, message: null, failReason: 'interrupted' }), 'zh-CN')).toContain('发送中断');
  });

  it('shows a follow-up’s stage and excerpt with a way to the record', async () => {
    const e = entry('follow_up', { followUpId: 'f1', stage: 'proposal', excerpt: '发了报价单' });
    const zh = await words(e, 'zh-CN');
    expect(zh).toContain(i18n.t('wecomFollowUps:stage.proposal'));
    expect(zh).toContain('发了报价单');
    expect(zh).toContain('查看记录');
    expect(timelineColor(entry('follow_up', { stage: 'lost' }))).toBe('red');
  });
});

describe('member names on the timeline', () => {
  const detail = {
    followers: [{ userid: 'li', memberName: '李雷' }],
    timeline: [entry('transferred', { ...transfer, result: 'waiting', takeoverAt: '2026-03-02T08:00:00Z' }, 'wang')],
  } as unknown as CustomerDetail;

  function Names() {
    const name = useMemberNames('acc-1', detail);
    return <span data-testid="names">{`${name('li')} | ${name('wang')}`}</span>;
  }

  function show(permissions: Permission[]) {
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <SessionProvider me={{ permissions } as unknown as Me}>
          <Names />
        </SessionProvider>
      </QueryClientProvider>,
    );
  }

  it('names a takeover member who does not follow the customer yet from the directory', async () => {
    const fetchMock = vi.fn(async (url: string) => (url.endsWith('/members/wang') ? Response.json({ userid: 'wang', name: '王芳' }) : Response.json({ code: 'NOT_FOUND', message: '?' }, { status: 404 })));
    vi.stubGlobal('fetch', fetchMock);
    show(['wecom.directory.read']);
    expect(await screen.findByText('李雷 (li) | 王芳 (wang)')).toBeTruthy();
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('keeps the userid without directory access, asking nothing', () => {
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    show([]);
    expect(screen.getByTestId('names').textContent).toBe('李雷 (li) | wang');
    expect(fetchMock).not.toHaveBeenCalled();
  });
});

import { describe, expect, it } from 'vitest';
import { createCorpFixture, qy, useWeComHarness } from '../../../test/support/wecom-sandbox-kit';

describe('WeCom sandbox list_contact_way', () => {
  const h = useWeComHarness();

  it('lists codes by creation time, in pages, leaving temporary-session codes out', async () => {
    const corp = await createCorpFixture(h(), { departments: 1, members: 2 });
    const token = corp.tokens['customer-contact'] as string;
    const add = async (body: Record<string, unknown>) => ((await qy(h(), token, 'POST', 'cgi-bin/externalcontact/add_contact_way', { type: 1, scene: 2, user: ['user00001'], ...body })) as unknown as { config_id: string }).config_id;
    const list = (body: Record<string, unknown>) => qy(h(), token, 'POST', 'cgi-bin/externalcontact/list_contact_way', body) as unknown as Promise<{ errcode: number; contact_way: { config_id: string }[]; next_cursor: string }>;

    const early = await add({ state: 'early' });
    const startS = Math.floor(h().clock.now().getTime() / 1000);
    h().clock.advance(3_600_000);
    const a = await add({ state: 'a' });
    h().clock.advance(1000);
    await add({ state: 'temp', is_temp: true });
    const b = await add({ state: 'b' });
    h().clock.advance(1000);
    const c = await add({ state: 'c' });

    // Default window (the last 90 days): everything but the temporary code, oldest first.
    expect((await list({})).contact_way.map((w) => w.config_id)).toEqual([early, a, b, c]);
    // A window after the first code, two at a time.
    const first = await list({ start_time: startS + 60, limit: 2 });
    expect(first.contact_way.map((w) => w.config_id)).toEqual([a, b]);
    expect(first.next_cursor).not.toBe('');
    const second = await list({ start_time: startS + 60, limit: 2, cursor: first.next_cursor });
    expect(second).toMatchObject({ contact_way: [{ config_id: c }], next_cursor: '' });
    // An end before the later codes.
    expect((await list({ start_time: startS - 60, end_time: startS + 60 })).contact_way.map((w) => w.config_id)).toEqual([early]);

    expect(await list({ start_time: startS - 91 * 86_400, end_time: startS })).toMatchObject({ errcode: 40058 });
    expect(await list({ limit: 1001 })).toMatchObject({ errcode: 40058 });
    expect(await list({ cursor: 'not-a-cursor' })).toMatchObject({ errcode: 40058 });
  });
});

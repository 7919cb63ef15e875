import { describe, expect, it } from 'vitest';
import { controlHeaders, createCorpFixture, qy, useWeComHarness } from '../../../test/support/wecom-sandbox-kit';

describe('WeCom sandbox control: the 「联系我」 codes a simulated customer can scan', () => {
  const h = useWeComHarness();

  async function listCodes(corpId: string) {
    const response = await h().app.inject({ method: 'GET', url: `/sandbox/control/wecom-corps/${corpId}/contact-ways`, headers: controlHeaders });
    return { status: response.statusCode, json: response.json() as Record<string, unknown> };
  }

  it('lists QR codes with their members and state, leaves mini-program buttons out, and answers 404 for an unknown corp', async () => {
    const corp = await createCorpFixture(h(), { departments: 1, members: 3 });
    const token = corp.tokens['customer-contact'] as string;
    expect(await listCodes(corp.corpId)).toEqual({ status: 200, json: { items: [] } });

    const first = (await qy(h(), token, 'POST', 'cgi-bin/externalcontact/add_contact_way', { type: 1, scene: 2, user: ['user00001'], state: 'poster', remark: '海报' })) as unknown as { config_id: string };
    await qy(h(), token, 'POST', 'cgi-bin/externalcontact/add_contact_way', { type: 1, scene: 1, style: 1, user: ['user00002'], state: 'button' });
    const second = (await qy(h(), token, 'POST', 'cgi-bin/externalcontact/add_contact_way', { type: 2, scene: 2, user: ['user00002', 'user00003'], skip_verify: false })) as unknown as { config_id: string };

    const { status, json } = await listCodes(corp.corpId);
    expect(status).toBe(200);
    const items = json.items as { configId: string; state: string; userids: string[]; remark: string; skipVerify: boolean; qrCode: string | null }[];
    expect(items.map((i) => i.configId).sort()).toEqual([first.config_id, second.config_id].sort());
    expect(items.find((i) => i.configId === first.config_id)).toMatchObject({ state: 'poster', remark: '海报', userids: ['user00001'], skipVerify: true, qrCode: expect.stringContaining('.png') });
    expect(items.find((i) => i.configId === second.config_id)).toMatchObject({ state: '', userids: ['user00002', 'user00003'], skipVerify: false });

    expect(await listCodes('wwnosuchcorp')).toMatchObject({ status: 404, json: { code: 'SANDBOX_WECOM_CORP_NOT_FOUND' } });
  });
});

import { describe, expect, it } from 'vitest';
import { multipartFile, onePixelPng } from '../../../test/support/wecom-corp-kit';
import { controlHeaders, createCorpFixture, qy, useWeComHarness, type CorpFixture } from '../../../test/support/wecom-sandbox-kit';

describe('WeCom sandbox: media in welcome messages', () => {
  const h = useWeComHarness();

  async function control(method: 'GET' | 'POST', path: string, payload?: object) {
    const response = await h().app.inject({ method, url: `/sandbox/control/wecom-corps${path}`, headers: controlHeaders, ...(payload ? { payload } : {}) });
    return response.json() as Record<string, unknown>;
  }

  async function token(corp: CorpFixture): Promise<string> {
    const answer = await h().app.inject({ method: 'GET', url: `/sandbox/wecom/cgi-bin/gettoken?corpid=${corp.corpId}&corpsecret=${corp.secret('customer-contact')}` });
    return (answer.json() as { access_token: string }).access_token;
  }

  async function uploadImage(corp: CorpFixture): Promise<string> {
    const { payload, contentType } = multipartFile('cover.png', onePixelPng, { field: 'media' });
    const response = await h().app.inject({
      method: 'POST',
      url: `/sandbox/wecom/cgi-bin/media/upload?access_token=${await token(corp)}&type=image`,
      payload,
      headers: { 'content-type': contentType },
    });
    return (response.json() as { media_id: string }).media_id;
  }

  async function welcomeCode(corp: CorpFixture): Promise<{ externalUserId: string; code: string }> {
    const created = await control('POST', `/${corp.corpId}/customers`, { count: 1 });
    const externalUserId = (created.customers as { externalUserId: string }[])[0]!.externalUserId;
    const added = await control('POST', `/${corp.corpId}/customers/${externalUserId}/add-member`, { userid: 'user00001' });
    return { externalUserId, code: added.welcomeCode as string };
  }

  it('refuses a welcome naming an image or mini-program cover the corp never uploaded, or uploaded over three days ago, with 40007, and keeps the code', async () => {
    const corp = await createCorpFixture(h(), { departments: 1, members: 1 });
    const old = await uploadImage(corp);
    h().clock.advance(3 * 86_400_000 - 10_000);
    const fresh = await uploadImage(corp);
    h().clock.advance(20_000);
    const send = async (code: string, attachments: object[]) => qy(h(), await token(corp), 'POST', 'cgi-bin/externalcontact/send_welcome_msg', { welcome_code: code, attachments });
    const card = (picMediaId: string) => ({ msgtype: 'miniprogram', miniprogram: { title: '商城', pic_media_id: picMediaId, appid: 'wx8a9c0d1e2f3a4b5c', page: 'pages/index/index' } });

    const first = await welcomeCode(corp);
    expect(await send(first.code, [{ msgtype: 'image', image: { media_id: 'never-uploaded' } }])).toMatchObject({ errcode: 40007 });
    expect(await send(first.code, [{ msgtype: 'image', image: { media_id: old } }])).toMatchObject({ errcode: 40007, errmsg: expect.stringContaining('attachments.0.image.media_id') });
    expect(await send(first.code, [{ msgtype: 'image', image: { media_id: fresh } }, card(old)])).toMatchObject({ errcode: 40007, errmsg: expect.stringContaining('attachments.1.miniprogram.pic_media_id') });
    expect(await send(first.code, [{ msgtype: 'image', image: { media_id: fresh } }, card(fresh)])).toMatchObject({ errcode: 0 });
    const inbox = await control('GET', `/${corp.corpId}/customers/${first.externalUserId}/inbox`);
    expect(inbox.items).toEqual([expect.objectContaining({ payload: { attachments: [{ msgtype: 'image', image: { media_id: fresh } }, card(fresh)] } })]);

    // Another corp's upload is no media of this one.
    const other = await createCorpFixture(h(), { departments: 1, members: 1 });
    const second = await welcomeCode(other);
    expect(await qy(h(), await token(other), 'POST', 'cgi-bin/externalcontact/send_welcome_msg', { welcome_code: second.code, attachments: [card(fresh)] })).toMatchObject({ errcode: 40007 });
  });
});

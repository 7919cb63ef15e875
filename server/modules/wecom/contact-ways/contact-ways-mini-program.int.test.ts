import { and, eq } from 'drizzle-orm';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setupRoot, type Caller } from '../../../../test/support/callers';
import { useTestApp } from '../../../../test/support/test-app';
import { callWeCom, connectPulledCorp, listenForCallbacks, onePixelPng, uploadWelcomeImage, type ConnectedCorp } from '../../../../test/support/wecom-corp-kit';
import { sandboxWecomMedia } from '../../../sandbox/wecom/wecom.tables';
import type { ContactWay } from './contact-ways.schema';

const t = useTestApp({ startQueue: true });
let base = '';
let root: Caller;

beforeAll(async () => {
  base = await listenForCallbacks(t().app);
});

beforeEach(async () => {
  root = await setupRoot(t().app);
});

afterEach(async () => {
  await api('DELETE', '/sandbox/control/faults');
});

type Body = Record<string, unknown> & { code?: string; details?: Record<string, unknown> };

async function api(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object) {
  const response = await t().app.inject({ method, url, headers: root.headers, ...(payload ? { payload } : {}) });
  const isJson = (response.headers['content-type'] ?? '').toString().includes('json');
  return { status: response.statusCode, body: (isJson ? response.json() : {}) as Body };
}

/** A connected corp whose directory Qiao has pulled. */
function world(): Promise<ConnectedCorp> {
  return connectPulledCorp(t().app, base, root, { departments: 1, members: 2 });
}

async function contactWayInWeCom(corp: ConnectedCorp, configId: string) {
  const answer = await callWeCom(corp, 'customer-contact', 'POST', 'cgi-bin/externalcontact/get_contact_way', { config_id: configId });
  expect(answer.errcode, JSON.stringify(answer)).toBe(0);
  return answer.contact_way as Record<string, unknown>;
}

async function uploadCover(corp: ConnectedCorp): Promise<string> {
  const uploaded = await uploadWelcomeImage(t().app, root, corp.accountId, 'cover.png');
  expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
  return uploaded.body.id;
}

/** The images the sandbox corp holds, as WeCom keeps them after media/upload. */
async function wecomImages(corp: ConnectedCorp) {
  return t()
    .db.handle.db.select()
    .from(sandboxWecomMedia)
    .where(and(eq(sandboxWecomMedia.corpId, corp.corpId), eq(sandboxWecomMedia.type, 'image')));
}

async function welcomeSettled(corp: ConnectedCorp, externalUserId: string) {
  const until = Date.now() + 10_000;
  for (;;) {
    const sends = (await api('GET', `/api/v1/wecom/${corp.accountId}/welcome-messages/sends?externalUserId=${externalUserId}`)).body.items as Record<string, unknown>[];
    if ((sends.length > 0 && sends.every((s) => s.status !== 'sending')) || Date.now() > until) return sends;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('contact-me mini-program buttons', () => {
  it('creates a button on WeCom as scene 1 with its style and answers its config id, without a QR image', async () => {
    const corp = await world();
    const url = `/api/v1/wecom/${corp.accountId}/contact-ways`;
    const created = await api('POST', url, { name: '小程序客服', type: 'single', scene: 'miniprogram', userids: ['user00001'], state: 'mp-shop', style: 3 });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const button = created.body as unknown as ContactWay;
    expect(button).toMatchObject({ configId: expect.stringMatching(/\S/), scene: 'miniprogram', type: 'single', style: 3, state: 'mp-shop', qrCodeUrl: null });

    const inWeCom = await contactWayInWeCom(corp, button.configId);
    expect(inWeCom).toMatchObject({ config_id: button.configId, type: 1, scene: 1, style: 3, remark: '小程序客服', state: 'mp-shop', user: ['user00001'] });
    expect(inWeCom).not.toHaveProperty('qr_code');

    expect((await api('GET', `${url}/${button.configId}`)).body).toMatchObject({ configId: button.configId, scene: 'miniprogram', style: 3, qrCodeUrl: null });
    expect(await api('GET', `${url}/${button.configId}/qr.png`)).toMatchObject({ status: 409, body: { code: 'CONTACT_WAY_QR_UNAVAILABLE', details: { configId: button.configId } } });
    // A button is placed in a mini program, not printed: no customer finds it among the corp's QR posters.
    const posters = await api('GET', `/sandbox/control/wecom-corps/${corp.corpId}/contact-ways`);
    expect((posters.body.items as { configId: string }[]).map((p) => p.configId)).not.toContain(button.configId);

    const restyled = await api('PATCH', `${url}/${button.configId}`, { style: 5 });
    expect(restyled.status, JSON.stringify(restyled.body)).toBe(200);
    expect(restyled.body).toMatchObject({ style: 5, scene: 'miniprogram' });
    expect(await contactWayInWeCom(corp, button.configId)).toMatchObject({ scene: 1, style: 5 });
  });

  it('gives a button without a style WeCom’s first style, and keeps a style given for a QR code out of WeCom', async () => {
    const corp = await world();
    const url = `/api/v1/wecom/${corp.accountId}/contact-ways`;
    const button = (await api('POST', url, { name: '多人按钮', type: 'multi', scene: 'miniprogram', userids: ['user00001', 'user00002'] })).body as unknown as ContactWay;
    expect(button).toMatchObject({ scene: 'miniprogram', style: 1, qrCodeUrl: null });
    expect(await contactWayInWeCom(corp, button.configId)).toMatchObject({ type: 2, scene: 1, style: 1, user: ['user00001', 'user00002'] });

    const qr = await api('POST', url, { name: '海报', type: 'single', userids: ['user00002'], style: 4 });
    expect(qr.status, JSON.stringify(qr.body)).toBe(201);
    const poster = qr.body as unknown as ContactWay;
    expect(poster).toMatchObject({ scene: 'qr', style: null, qrCodeUrl: expect.stringMatching(/^http/) });
    const posterInWeCom = await contactWayInWeCom(corp, poster.configId);
    expect(posterInWeCom).toMatchObject({ scene: 2 });
    expect(posterInWeCom).not.toHaveProperty('style');
  });
});

describe('mini-program welcome attachments', () => {
  it('welcomes a customer who adds through a button with the mini-program card: title, appid, page and the cover uploaded ahead', async () => {
    const corp = await world();
    const coverId = await uploadCover(corp);
    const [cover] = await wecomImages(corp);
    expect(Buffer.from(cover!.contentBase64, 'base64')).toEqual(onePixelPng);
    const created = await api('POST', `/api/v1/wecom/${corp.accountId}/contact-ways`, {
      name: '商城客服',
      type: 'single',
      scene: 'miniprogram',
      userids: ['user00001'],
      state: 'mall',
      welcomeMessage: {
        text: '欢迎来到商城',
        attachments: [{ type: 'miniprogram', title: '春季新品', appid: 'wx8a9c0d1e2f3a4b5c', page: 'pages/goods/detail.html?id=42', mediaFileId: coverId }],
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((created.body as unknown as ContactWay).welcomeMessage?.attachments).toEqual([
      { type: 'miniprogram', title: '春季新品', appid: 'wx8a9c0d1e2f3a4b5c', page: 'pages/goods/detail.html?id=42', mediaFileId: coverId },
    ]);

    const made = await api('POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers`, { count: 1 });
    const customer = (made.body.customers as { externalUserId: string }[])[0]!;
    const added = await api('POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers/${customer.externalUserId}/add-member`, { userid: 'user00001', state: 'mall' });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(await welcomeSettled(corp, customer.externalUserId)).toEqual([expect.objectContaining({ status: 'sent', reason: 'sent', state: 'mall', codeName: '商城客服' })]);

    const inbox = (await api('GET', `/sandbox/control/wecom-corps/${corp.corpId}/customers/${customer.externalUserId}/inbox`)).body.items as { source: string; payload: Record<string, unknown> }[];
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ source: 'welcome', payload: { text: { content: '欢迎来到商城' } } });
    expect(inbox[0]!.payload.attachments).toEqual([
      { msgtype: 'miniprogram', miniprogram: { title: '春季新品', appid: 'wx8a9c0d1e2f3a4b5c', page: 'pages/goods/detail.html?id=42', pic_media_id: cover!.mediaId } },
    ]);
    // The cover went to WeCom once, when it was uploaded: the welcome reused that copy.
    expect(await wecomImages(corp)).toHaveLength(1);
  });

  it('refuses a card whose title is over WeCom’s 64 bytes, or whose cover was never uploaded, before asking WeCom', async () => {
    const corp = await world();
    const coverId = await uploadCover(corp);
    const url = `/api/v1/wecom/${corp.accountId}/contact-ways`;
    const card = { type: 'miniprogram', title: '春季新品', appid: 'wx8a9c0d1e2f3a4b5c', page: 'pages/index/index', mediaFileId: coverId };
    const body = { name: '按钮', type: 'single', scene: 'miniprogram', userids: ['user00001'] };

    const tooLong = await api('POST', url, { ...body, welcomeMessage: { text: '', attachments: [{ ...card, title: '新'.repeat(22) }] } });
    expect(tooLong).toMatchObject({ status: 400, body: { code: 'WELCOME_ATTACHMENT_TOO_LONG', details: { index: 1, field: 'title', max: 64, actual: 66 } } });
    const unknownCover = await api('POST', url, { ...body, welcomeMessage: { text: '', attachments: [{ ...card, mediaFileId: '00000000-0000-4000-8000-000000000000' }] } });
    expect(unknownCover).toMatchObject({ status: 400, body: { code: 'WELCOME_MEDIA_NOT_FOUND' } });
    expect((await api('GET', url)).body).toMatchObject({ total: 0, items: [] });
  });
});

import { and, eq } from 'drizzle-orm';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loginAs, rootCredentials, setupRoot, type Caller } from '../../../../test/support/callers';
import { useTestApp } from '../../../../test/support/test-app';
import { connectPulledCorp, listenForCallbacks, onePixelPng, uploadWelcomeImage, type ConnectedCorp } from '../../../../test/support/wecom-corp-kit';
import { sandboxWecomMedia } from '../../../sandbox/wecom/wecom.tables';
import { WELCOME_LIMITS } from './contact-ways.schema';
import { wecomWelcomeMedia } from './contact-ways.tables';
import { MEDIA_REFRESH_AHEAD_MS } from './welcome-media';

const t = useTestApp({ startQueue: true });
let base = '';
let root: Caller;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

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

async function api(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object, locale = 'zh-CN') {
  const response = await t().app.inject({ method, url, headers: { ...root.headers, 'accept-language': locale }, ...(payload ? { payload } : {}) });
  const isJson = (response.headers['content-type'] ?? '').toString().includes('json');
  return { status: response.statusCode, body: (isJson ? response.json() : {}) as Body };
}

/** Moves the clock on; root's session of days ago has expired, so it signs in again. */
async function later(ms: number): Promise<void> {
  t().clock.advance(ms);
  root = await loginAs(t().app, rootCredentials.username, rootCredentials.password);
}

function world(): Promise<ConnectedCorp> {
  return connectPulledCorp(t().app, base, root, { departments: 1, members: 1 });
}

function uploadImage(corp: ConnectedCorp) {
  return uploadWelcomeImage(t().app, root, corp.accountId);
}

/** Images WeCom holds for the corp, oldest first. */
async function wecomImages(corp: ConnectedCorp) {
  const rows = await t().db.handle.db.select().from(sandboxWecomMedia).where(and(eq(sandboxWecomMedia.corpId, corp.corpId), eq(sandboxWecomMedia.type, 'image')));
  return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/** Qiao's record of which WeCom copy an image has and until when. */
async function stored(mediaFileId: string) {
  const [row] = await t().db.handle.db.select().from(wecomWelcomeMedia).where(eq(wecomWelcomeMedia.id, mediaFileId));
  return { mediaId: row!.mediaId, expiresAt: row!.mediaExpiresAt };
}

async function armUploadFault(count: number) {
  const armed = await api('POST', '/sandbox/control/faults', { product: 'wecom', path: 'cgi-bin/media/upload', errcode: -1, count });
  expect(armed.status).toBe(201);
}

async function uploadFaultsLeft(): Promise<number> {
  const faults = (await api('GET', '/sandbox/control/faults')).body.faults as { path: string; count: number }[];
  return faults.filter((f) => f.path === 'cgi-bin/media/upload').reduce((sum, f) => sum + f.count, 0);
}

/** A customer adds the member through the code with `state`; answers what the welcome log says once the send settled, and the customer's inbox. */
async function customerAdds(corp: ConnectedCorp, state: string) {
  const made = await api('POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers`, { count: 1 });
  const externalUserId = (made.body.customers as { externalUserId: string }[])[0]!.externalUserId;
  const added = await api('POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers/${externalUserId}/add-member`, { userid: 'user00001', state });
  expect(added.status, JSON.stringify(added.body)).toBe(200);
  const until = Date.now() + 10_000;
  let sends: Record<string, unknown>[];
  for (;;) {
    sends = (await api('GET', `/api/v1/wecom/${corp.accountId}/welcome-messages/sends?externalUserId=${externalUserId}`, undefined, 'en-US')).body.items as Record<string, unknown>[];
    if ((sends.length > 0 && sends.every((s) => s.status !== 'sending')) || Date.now() > until) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const inbox = (await api('GET', `/sandbox/control/wecom-corps/${corp.corpId}/customers/${externalUserId}/inbox`)).body.items as { payload: Record<string, unknown> }[];
  return { sends, inbox };
}

async function codeWith(corp: ConnectedCorp, state: string, welcomeMessage: object) {
  const created = await api('POST', `/api/v1/wecom/${corp.accountId}/contact-ways`, { name: state, type: 'single', userids: ['user00001'], state, welcomeMessage });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { configId: string };
}

const image = (mediaId: string) => ({ msgtype: 'image', image: { media_id: mediaId } });

describe('welcome images on WeCom', () => {
  it('uploads an image to WeCom when it is saved and sends that copy, uploading nothing while a customer adds', async () => {
    const corp = await world();
    const uploadedAt = t().clock.now().getTime();
    const uploaded = await uploadImage(corp);
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    expect(uploaded.body).toMatchObject({ filename: 'shop.png', contentType: 'image/png', bytes: onePixelPng.length });
    // WeCom's created_at is in seconds; the copy lives three days from it.
    expect(Math.abs(Date.parse(uploaded.body.expiresAt!) - (uploadedAt + WELCOME_LIMITS.mediaTtlMs))).toBeLessThan(1000);
    const inWeCom = await wecomImages(corp);
    expect(inWeCom).toHaveLength(1);
    expect(Buffer.from(inWeCom[0]!.contentBase64, 'base64')).toEqual(onePixelPng);
    expect((await stored(uploaded.body.id)).mediaId).toBe(inWeCom[0]!.mediaId);

    await codeWith(corp, 'shop', { text: '欢迎光临', attachments: [{ type: 'image', mediaFileId: uploaded.body.id }] });
    // Any upload from here on would fail: the welcome must not need one.
    await armUploadFault(5);
    const { sends, inbox } = await customerAdds(corp, 'shop');
    expect(sends).toEqual([expect.objectContaining({ status: 'sent', reason: 'sent' })]);
    expect(inbox).toEqual([expect.objectContaining({ payload: { text: { content: '欢迎光临' }, attachments: [image(inWeCom[0]!.mediaId)] } })]);
    expect(await uploadFaultsLeft()).toBe(5);
    expect(await wecomImages(corp)).toHaveLength(1);
  });

  it('uploads an image again a day before WeCom forgets it, so a send after the first copy expired has a live one', async () => {
    const corp = await world();
    const uploaded = (await uploadImage(corp)).body;
    await codeWith(corp, 'renewed', { text: '', attachments: [{ type: 'image', mediaFileId: uploaded.id }] });
    const first = await stored(uploaded.id);
    const media = t().app.wecomContactWays.media;

    expect(await media.refreshAhead()).toBe(0);
    await later(WELCOME_LIMITS.mediaTtlMs - MEDIA_REFRESH_AHEAD_MS - 60_000);
    expect(await media.refreshAhead()).toBe(0);
    expect(await stored(uploaded.id)).toEqual(first);

    await later(2 * 60_000);
    expect(await media.refreshAhead()).toBe(1);
    const renewed = await stored(uploaded.id);
    expect(renewed.mediaId).not.toBe(first.mediaId);
    expect(renewed.expiresAt!.getTime() - first.expiresAt!.getTime()).toBeGreaterThan(DAY_MS);
    expect((await wecomImages(corp)).map((m) => m.mediaId)).toEqual([first.mediaId, renewed.mediaId]);
    expect(await media.refreshAhead()).toBe(0);

    // Past the first copy's expiry: the welcome carries the renewed one.
    await later(MEDIA_REFRESH_AHEAD_MS + HOUR_MS);
    expect(t().clock.now().getTime()).toBeGreaterThan(first.expiresAt!.getTime());
    const { sends, inbox } = await customerAdds(corp, 'renewed');
    expect(sends).toEqual([expect.objectContaining({ status: 'sent', reason: 'sent' })]);
    expect(inbox).toEqual([expect.objectContaining({ payload: { attachments: [image(renewed.mediaId!)] } })]);
  });

  it('renews at once the images due when renewal starts, as at boot after days down, not only a round later', async () => {
    const corp = await world();
    const uploaded = (await uploadImage(corp)).body;
    const first = await stored(uploaded.id);
    await later(WELCOME_LIMITS.mediaTtlMs + HOUR_MS);
    const stop = t().app.wecomContactWays.startMediaRefresh(HOUR_MS);
    try {
      const until = Date.now() + 10_000;
      let renewed = await stored(uploaded.id);
      while (renewed.mediaId === first.mediaId && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        renewed = await stored(uploaded.id);
      }
      expect(renewed.mediaId).not.toBe(first.mediaId);
      expect(renewed.expiresAt!.getTime()).toBeGreaterThan(t().clock.now().getTime() + WELCOME_LIMITS.mediaTtlMs - 1000);
    } finally {
      stop();
    }
  });

  it('uploads an image close to expiry again when a message using it is saved, and refuses the save when WeCom refuses the upload', async () => {
    const corp = await world();
    const uploaded = (await uploadImage(corp)).body;
    const first = await stored(uploaded.id);
    await later(WELCOME_LIMITS.mediaTtlMs - HOUR_MS);

    await armUploadFault(1);
    const refused = await api('PUT', `/api/v1/wecom/${corp.accountId}/welcome-messages/default`, { message: { text: '你好', attachments: [{ type: 'image', mediaFileId: uploaded.id }] } });
    expect(refused).toMatchObject({ status: 502, body: { code: 'CONTACT_WAY_WECHAT_REFUSED', details: { endpoint: 'cgi-bin/media/upload', errcode: -1 } } });
    expect((await api('GET', `/api/v1/wecom/${corp.accountId}/welcome-messages/default`)).body).toMatchObject({ message: null });

    const saved = await api('PUT', `/api/v1/wecom/${corp.accountId}/welcome-messages/default`, { message: { text: '你好', attachments: [{ type: 'image', mediaFileId: uploaded.id }] } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const renewed = await stored(uploaded.id);
    expect(renewed.mediaId).not.toBe(first.mediaId);
    expect(renewed.expiresAt!.getTime()).toBeGreaterThan(t().clock.now().getTime() + WELCOME_LIMITS.mediaTtlMs - 1000);
  });

  it('leaves out an image whose copy expired because renewal failed, and records media_expired on the welcome', async () => {
    const corp = await world();
    const uploaded = (await uploadImage(corp)).body;
    await codeWith(corp, 'with-text', { text: '欢迎', attachments: [{ type: 'image', mediaFileId: uploaded.id }, { type: 'link', title: '门店', url: 'https://example.com/shop' }] });
    await codeWith(corp, 'image-only', { text: '', attachments: [{ type: 'image', mediaFileId: uploaded.id }] });
    const first = await stored(uploaded.id);
    const media = t().app.wecomContactWays.media;

    // Every renewal round until the copy dies is refused by WeCom; the old copy is kept meanwhile.
    await armUploadFault(100);
    await later(WELCOME_LIMITS.mediaTtlMs - MEDIA_REFRESH_AHEAD_MS + HOUR_MS);
    expect(await media.refreshAhead()).toBe(0);
    await later(MEDIA_REFRESH_AHEAD_MS);
    expect(await media.refreshAhead()).toBe(0);
    expect(await stored(uploaded.id)).toEqual(first);
    expect(t().clock.now().getTime()).toBeGreaterThan(first.expiresAt!.getTime());

    const withText = await customerAdds(corp, 'with-text');
    expect(withText.sends).toEqual([
      expect.objectContaining({ status: 'sent', reason: 'media_expired', errcode: null, message: 'An image had expired on WeCom and was left out' }),
    ]);
    expect(withText.inbox).toEqual([
      expect.objectContaining({ payload: { text: { content: '欢迎' }, attachments: [{ msgtype: 'link', link: { title: '门店', url: 'https://example.com/shop' } }] } }),
    ]);

    const imageOnly = await customerAdds(corp, 'image-only');
    expect(imageOnly.sends).toEqual([expect.objectContaining({ status: 'failed', reason: 'media_expired' })]);
    expect(imageOnly.inbox).toEqual([]);

    // Once WeCom takes uploads again, the next round renews the dead copy and welcomes are whole again.
    await api('DELETE', '/sandbox/control/faults');
    expect(await media.refreshAhead()).toBe(1);
    const renewed = await stored(uploaded.id);
    const again = await customerAdds(corp, 'image-only');
    expect(again.sends).toEqual([expect.objectContaining({ status: 'sent', reason: 'sent' })]);
    expect(again.inbox).toEqual([expect.objectContaining({ payload: { attachments: [image(renewed.mediaId!)] } })]);
  });
});

describe('welcome text that is only the customer name', () => {
  it('sends nothing and records name_unavailable when the name cannot be had in time, and sends the name when it can', async () => {
    const corp = await world();
    await codeWith(corp, 'name-only', { text: '{客户昵称}', attachments: [] });
    const armed = await api('POST', '/sandbox/control/faults', { product: 'wecom', path: 'cgi-bin/externalcontact/get', errcode: -1, count: 20 });
    expect(armed.status).toBe(201);
    const refused = await customerAdds(corp, 'name-only');
    expect(refused.sends).toEqual([
      expect.objectContaining({
        status: 'failed',
        reason: 'name_unavailable',
        message: 'Not sent: the message is only the customer name variable, and the name was not available in time',
      }),
    ]);
    expect(refused.inbox).toEqual([]);
    await api('DELETE', '/sandbox/control/faults');
    const named = await customerAdds(corp, 'name-only');
    expect(named.sends).toEqual([expect.objectContaining({ status: 'sent', reason: 'sent' })]);
    expect(named.inbox).toEqual([expect.objectContaining({ payload: expect.objectContaining({ text: { content: expect.stringMatching(/\S/) } }) })]);
  });
});

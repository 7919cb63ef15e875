import { z } from 'zod';
import type { App } from '../../platform/http/create-server';
import { qrPng } from './qr-png';
import type { WeComRepository } from './wecom.repository';

/** Where the sandbox's 「联系我」 QR images live; WeCom's real ones are on wework.qpic.cn. */
export const CONTACT_WAY_QR_PATH = '/sandbox/wecom/wwpic/contact-way';

/** The QR URL add_contact_way answers: the sandbox host the caller reached, so the caller can fetch it. */
export function contactWayQrUrl(origin: string, corpId: string, configId: string): string {
  return `${origin}${CONTACT_WAY_QR_PATH}/${corpId}/${configId}.png`;
}

/** What the sandbox QR encodes: enough for a simulated phone to know which code was scanned. */
export function contactWayQrText(corpId: string, configId: string): string {
  return `qiao-sandbox://wecom/contact-way/${corpId}/${configId}`;
}

/** Serves each live code's QR image without a token, as WeChat's image host does. */
export async function contactWayQrRoutes(app: App, deps: { repository: WeComRepository }): Promise<void> {
  app.get(
    `${CONTACT_WAY_QR_PATH}/:corpId/:file`,
    {
      config: { access: 'public' },
      schema: {
        tags: ['sandbox'],
        summary: 'A 「联系我」 QR image (the URL add_contact_way answered in qr_code)',
        params: z.strictObject({ corpId: z.string().max(64), file: z.string().regex(/^[0-9a-f]{32}\.png$/) }),
      },
    },
    async (request, reply) => {
      const configId = request.params.file.slice(0, -'.png'.length);
      const row = await deps.repository.findContactWay(request.params.corpId, configId);
      if (!row || !row.qrCode) return reply.callNotFound();
      return reply.header('content-type', 'image/png').header('cache-control', 'public, max-age=86400').send(qrPng(contactWayQrText(request.params.corpId, configId)));
    },
  );
}

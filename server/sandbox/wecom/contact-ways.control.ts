import { z } from 'zod';
import { AppError } from '../../../common/errors';
import type { App } from '../../platform/http/create-server';
import type { ContactWaysViewRepository } from './contact-ways-view.repository';
import { sandboxContactWaySchema } from './contact-ways-control.schema';
import { corpParams } from './wecom-control.schema';

/** The newest codes a phone can pick from; a corp rarely has more live at once. */
const MAX_LISTED = 200;

/**
 * `GET /sandbox/control/wecom-corps/{corpId}/contact-ways`: the 「联系我」 QR codes a corp made
 * through the API, as a customer's phone would find them printed on a poster. The simulator
 * "scans" one by adding its member with its state.
 */
export function contactWayControlRoutes(app: App, repository: ContactWaysViewRepository): void {
  app.get('/sandbox/control/wecom-corps/:corpId/contact-ways', {
    config: { access: 'sandbox.control' },
    schema: {
      tags: ['sandbox'],
      summary: 'List a sandbox corp’s 「联系我」 QR codes (newest first), for a simulated customer to scan',
      params: corpParams,
      response: { 200: z.object({ items: z.array(sandboxContactWaySchema) }) },
    },
    handler: async (request) => {
      const { corpId } = request.params;
      if (!(await repository.corpExists(corpId))) throw new AppError('SANDBOX_WECOM_CORP_NOT_FOUND', { corpId });
      const rows = await repository.listContactWays(corpId, MAX_LISTED);
      return {
        items: rows
          // Scene 2 is a QR code; scene 1 is a mini-program button, which no one scans.
          .filter((row) => row.settings.scene === 2)
          .map((row) => ({
            configId: row.configId,
            remark: row.settings.remark ?? '',
            state: row.settings.state ?? '',
            userids: row.settings.user ?? [],
            skipVerify: row.settings.skip_verify ?? true,
            qrCode: row.qrCode,
            createdAt: row.createdAt.toISOString(),
          })),
      };
    },
  });
}

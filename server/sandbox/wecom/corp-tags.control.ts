import { z } from 'zod';
import { AppError } from '../../../common/errors';
import type { App } from '../../platform/http/create-server';
import { wecomCorpTagAdd, wecomCorpTagDelete, wecomCorpTagEdit } from '../../wechat/wecom';
import { isSandboxWeChatError } from '../core/wechat-error';
import type { CorpTagEvents } from './corp-tag-events';
import type { CustomerContact } from './customer-contact';
import type { WeComRepository } from './wecom.repository';
import { corpParams } from './wecom-control.schema';

const adminTagChangeBody = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('add'), body: wecomCorpTagAdd.request }),
  z.strictObject({ action: z.literal('edit'), body: wecomCorpTagEdit.request }),
  z.strictObject({ action: z.literal('delete'), body: wecomCorpTagDelete.request }),
]);

/**
 * `POST /sandbox/control/wecom-corps/{corpId}/corp-tags`: an administrator changes the customer-tag
 * library in the WeCom admin console. Unlike the same change made through the API (which WeCom
 * never reports back), it pushes change_external_tag to the customer-contact receiver.
 * Answers in WeCom's shape, as the API would.
 */
export function corpTagControlRoutes(app: App, deps: { repository: WeComRepository; customers: CustomerContact; tagEvents: CorpTagEvents }): void {
  app.post('/sandbox/control/wecom-corps/:corpId/corp-tags', {
    config: { access: 'sandbox.control' },
    schema: {
      tags: ['sandbox'],
      summary: 'Change the customer-tag library as an admin in the WeCom admin console: change_external_tag events follow',
      params: corpParams,
      body: adminTagChangeBody,
      response: { 200: z.looseObject({ errcode: z.number(), errmsg: z.string() }) },
    },
    handler: async (request) => {
      const { corpId } = request.params;
      if (!(await deps.repository.findCorp(corpId))) throw new AppError('SANDBOX_WECOM_CORP_NOT_FOUND', { corpId });
      const admin = { corpId, receiver: 'customer-contact', kind: 'customer-contact' as const };
      const change = request.body;
      try {
        const answer = await deps.tagEvents(admin, () => {
          if (change.action === 'add') return deps.customers.addCorpTags(admin, change.body);
          if (change.action === 'edit') return deps.customers.editCorpTag(admin, change.body);
          return deps.customers.deleteCorpTags(admin, change.body);
        });
        return answer as { errcode: number; errmsg: string };
      } catch (error) {
        if (isSandboxWeChatError(error)) return error.toBody() as { errcode: number; errmsg: string };
        throw error;
      }
    },
  });
}

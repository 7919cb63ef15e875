import type { ModuleDeps } from '../../../platform/module-deps';
import type { WeChatClient } from '../../../wechat/client';
import type { CallbackSubscriptions } from '../../system/callbacks';
import type { DepartmentsService } from '../departments';
import type { MembersService } from '../members';
import { subscribeContactWayCallbacks } from './contact-ways.callbacks';
import { createContactWaysRepository } from './contact-ways.repository';
import { contactWaysRoutes } from './contact-ways.routes';
import { createContactWaysService } from './contact-ways.service';
import type { AccountsAccess } from './customer-contact-calls';
import { createWelcomeMedia } from './welcome-media';

export { wecomContactWayAdds, wecomContactWays, wecomWelcomeMedia, wecomWelcomeSends, wecomWelcomeSettings } from './contact-ways.tables';
export type { ContactWay, WelcomeMessage, WelcomeSend } from './contact-ways.schema';
export type { ContactWaysService } from './contact-ways.service';

/** How often welcome images close to WeCom's three-day expiry are uploaded again. */
const MEDIA_REFRESH_INTERVAL_MS = 30 * 60_000;

/**
 * 联系我 codes and welcome messages: routes under /api/v1/wecom/{id}/contact-ways
 * and /welcome-messages, the add-customer callback (welcome, attribution, tags)
 * and the timer that keeps welcome images uploaded on WeCom.
 */
export function createContactWaysModule(
  deps: ModuleDeps & {
    wechat: WeChatClient;
    accounts: AccountsAccess;
    members: Pick<MembersService, 'get' | 'departmentsOf'>;
    departments: Pick<DepartmentsService, 'reach'>;
    subscribe: CallbackSubscriptions['subscribe'];
    tagsMarked?: (accountId: string, externalUserId: string) => Promise<void>;
  },
) {
  const repository = createContactWaysRepository(deps.db);
  const logger = deps.logger.child({ module: 'contact-ways' });
  const media = createWelcomeMedia({ repository, wechat: deps.wechat, accounts: deps.accounts, clock: deps.clock, logger });
  const service = createContactWaysService({ repository, media, wechat: deps.wechat, accounts: deps.accounts, members: deps.members, departments: deps.departments, audit: deps.audit, clock: deps.clock });
  subscribeContactWayCallbacks({ repository, media, wechat: deps.wechat, accounts: deps.accounts, subscribe: deps.subscribe, clock: deps.clock, logger, ...(deps.tagsMarked ? { tagsMarked: deps.tagsMarked } : {}) });
  return {
    routes: contactWaysRoutes(service),
    service,
    media,
    /** Starts renewing welcome images ahead of expiry; returns the stop function. */
    startMediaRefresh(intervalMs = MEDIA_REFRESH_INTERVAL_MS): () => void {
      const timer = setInterval(() => {
        media.refreshAhead().catch((error: unknown) => logger.warn({ err: error }, 'welcome image renewal round failed'));
      }, intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

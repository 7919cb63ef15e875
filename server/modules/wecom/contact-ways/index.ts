import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db } from '../../../platform/db/client';
import type { ModuleDeps } from '../../../platform/module-deps';
import type { WeChatClient } from '../../../wechat/client';
import type { CallbackSubscriptions } from '../../system/callbacks';
import type { DepartmentsService } from '../departments';
import type { MembersService } from '../members';
import { subscribeContactWayCallbacks, welcomeTimelineEntry, type CustomerTimeline } from './contact-ways.callbacks';
import { createContactWaysRepository } from './contact-ways.repository';
import { contactWaysRoutes } from './contact-ways.routes';
import { createContactWaysService } from './contact-ways.service';
import type { AccountsAccess } from './customer-contact-calls';
import { WELCOME_LIMITS } from './contact-ways.schema';
import type { WelcomeLine } from './welcome-line';
import { createWelcomeMedia } from './welcome-media';
import { createStuckCodes, stuckCodesRoutes } from './stuck-codes';
import { createStuckCodesRepository } from './stuck-codes.repository';

export { createWelcomeLine, type WelcomeLine } from './welcome-line';

export { wecomContactWayAdds, wecomContactWays, wecomWelcomeMedia, wecomWelcomeSends, wecomWelcomeSettings } from './contact-ways.tables';
export type { ContactWay, WelcomeMessage, WelcomeSend } from './contact-ways.schema';
export type { ContactWaysService } from './contact-ways.service';

/** How often welcome images close to WeCom's three-day expiry are uploaded again. */
const MEDIA_REFRESH_INTERVAL_MS = 30 * 60_000;
/** How often welcomes left `sending` are looked for. */
const WELCOME_SWEEP_INTERVAL_MS = 60_000;
/**
 * A send that started inside the window has finished by this long after it
 * (WeChat client timeout and busy retries included), here or on another
 * instance: a row still `sending` then was interrupted.
 */
export const WELCOME_SWEEP_GRACE_MS = 2 * 60_000;

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
    departments: Pick<DepartmentsService, 'reach' | 'subtreeOf'>;
    subscribe: CallbackSubscriptions['subscribe'];
    /** The line add_external_contact work goes through; the welcome takes its first slots. */
    line: WelcomeLine;
    /** The customers module: each welcome's outcome goes on the customer's timeline. */
    timeline: CustomerTimeline;
    tagsMarked?: (accountId: string, externalUserId: string) => Promise<void>;
  },
) {
  const repository = createContactWaysRepository(deps.db);
  const logger = deps.logger.child({ module: 'contact-ways' });
  const media = createWelcomeMedia({ repository, wechat: deps.wechat, accounts: deps.accounts, clock: deps.clock, logger });
  const service = createContactWaysService({ repository, media, wechat: deps.wechat, accounts: deps.accounts, members: deps.members, departments: deps.departments, audit: deps.audit, clock: deps.clock });
  const stuck = createStuckCodes({ repository: createStuckCodesRepository(deps.db), wechat: deps.wechat, accounts: deps.accounts, members: deps.members, departments: deps.departments, audit: deps.audit, clock: deps.clock, logger: deps.logger });
  subscribeContactWayCallbacks({ repository, media, wechat: deps.wechat, accounts: deps.accounts, subscribe: deps.subscribe, line: deps.line, timeline: deps.timeline, clock: deps.clock, logger, ...(deps.tagsMarked ? { tagsMarked: deps.tagsMarked } : {}) });
  /** Marks welcomes interrupted mid-send (their code is dead now) as failed, on their customers' timelines too; answers how many. */
  async function sweepInterrupted(): Promise<number> {
    const eventBefore = new Date(deps.clock.now().getTime() - WELCOME_LIMITS.windowMs - WELCOME_SWEEP_GRACE_MS);
    const failed = await repository.failInterruptedWelcomes(eventBefore);
    if (failed.length > 0) logger.warn({ failed: failed.length }, 'welcome messages interrupted mid-send were marked failed');
    const at = deps.clock.now();
    for (const row of failed) {
      if (!row.welcomeCode) continue;
      const entry = welcomeTimelineEntry({ ...row, welcomeCode: row.welcomeCode, status: 'failed', reason: 'interrupted' }, at);
      await deps.timeline
        .recordTimelineEvent(row.accountId, row.externalUserid, entry)
        .catch((error: unknown) => logger.warn({ err: error, accountId: row.accountId }, 'could not put an interrupted welcome on the customer timeline'));
    }
    return failed.length;
  }

  let stopStuckSweep: () => void = () => undefined;

  return {
    routes: (async (app) => {
      await app.register(contactWaysRoutes(service));
      await app.register(stuckCodesRoutes(stuck));
    }) satisfies FastifyPluginAsyncZod,
    service,
    /** What this module keeps about customers the retention purge deletes, deleted in its transaction `tx` (app.ts wires it). */
    purgeCustomers: (accountId: string, externalUserIds: readonly string[], tx: unknown) => createContactWaysRepository(tx as Db).purgeCustomers(accountId, externalUserIds),
    media,
    /** Resolves codes a cut-off creation left `creating` (stuck-codes.ts); `startStuckSweep` runs it at boot and periodically. */
    stuck,
    startStuckSweep(intervalMs?: number): () => void {
      stopStuckSweep();
      stopStuckSweep = stuck.start(intervalMs);
      return () => stopStuckSweep();
    },
    /** Stops the periodic sweep (tests that drive `stuck.sweep()` themselves need no second one racing them). */
    stopStuckSweep: () => stopStuckSweep(),
    /**
     * Renews welcome images ahead of expiry now (at boot: after days down, copies may already be due
     * or dead) and then every `intervalMs`; returns the stop function.
     */
    startMediaRefresh(intervalMs = MEDIA_REFRESH_INTERVAL_MS): () => void {
      const run = () => void media.refreshAhead().catch((error: unknown) => logger.warn({ err: error }, 'welcome image renewal round failed'));
      run();
      const timer = setInterval(run, intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
    sweepInterrupted,
    /** Sweeps interrupted welcomes now (at boot) and then every minute; returns the stop function. */
    startWelcomeSweep(intervalMs = WELCOME_SWEEP_INTERVAL_MS): () => void {
      const run = () => void sweepInterrupted().catch((error: unknown) => logger.warn({ err: error }, 'could not sweep interrupted welcome messages'));
      run();
      const timer = setInterval(run, intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

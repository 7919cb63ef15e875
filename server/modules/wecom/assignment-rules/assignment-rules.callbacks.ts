import type { Logger } from 'pino';
import type { CallbackSubscriptions } from '../../system/callbacks';
import type { AssignmentRulesService } from './assignment-rules.service';

/**
 * add_external_contact: the add counts toward the member's capacity, the
 * bound codes are brought in step (a member may just have reached it), and a
 * customer who landed outside the rule covering them is handed over.
 * Subscribed through the welcome line, so none of this holds up a welcome.
 */
export function subscribeAssignmentCallbacks(deps: { subscribe: CallbackSubscriptions['subscribe']; service: AssignmentRulesService; logger: Logger }): () => void {
  const { service, logger } = deps;
  return deps.subscribe('wecom.change_external_contact.add_external_contact', async ({ event, account }) => {
    if (!(await service.recordAdd(account.id, event.userId, event.externalUserId))) return;
    service.apply(null, account.id).catch((error: unknown) => logger.warn({ err: error, accountId: account.id }, 'could not apply assignment rules'));
    try {
      await service.handOverIfMisplaced(account.id, { userid: event.userId, externalUserid: event.externalUserId, state: event.state, at: new Date(event.createTimeS * 1000) });
    } catch (error) {
      logger.warn({ err: error, accountId: account.id, externalUserId: event.externalUserId }, 'could not hand a new customer over to the member its assignment rule names');
    }
  });
}

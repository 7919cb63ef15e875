import type { Logger } from 'pino';
import type { CallbackSubscriptions } from '../../system/callbacks';
import type { CustomerTagsService } from './customer-tags.service';

/**
 * change_external_tag (create, update, delete, shuffle) makes Qiao pull the
 * tag library; add_external_contact runs the state and add_way rules. Both
 * are idempotent: a pull reconciles, a rule run is claimed once per customer.
 */
export function subscribeCustomerTagCallbacks(deps: { service: CustomerTagsService; subscribe: CallbackSubscriptions['subscribe']; logger: Logger }): () => void {
  const logger = deps.logger.child({ module: 'wecom-customer-tags-callbacks' });
  const pull = (accountId: string) => deps.service.onTagEvent(accountId);
  const offs = [
    deps.subscribe('wecom.change_external_tag.create', ({ account }) => pull(account.id)),
    deps.subscribe('wecom.change_external_tag.update', ({ account }) => pull(account.id)),
    deps.subscribe('wecom.change_external_tag.delete', ({ account }) => pull(account.id)),
    deps.subscribe('wecom.change_external_tag.shuffle', ({ account }) => pull(account.id)),
    deps.subscribe('wecom.change_external_contact.add_external_contact', async ({ event, account }) => {
      try {
        await deps.service.applyAddRules(account.id, event.userId, event.externalUserId, event.state);
      } catch (error) {
        logger.warn({ err: error, accountId: account.id, externalUserId: event.externalUserId }, 'auto-tag rules on add failed');
      }
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}

import type { CallbackSubscriptions } from '../../system/callbacks';
import type { CustomerTransfersService } from './customer-transfers.service';

/** WeCom tells of a failed takeover (refused by the customer, takeover member full) with transfer_fail. */
export function subscribeTransferCallbacks(deps: { subscribe: CallbackSubscriptions['subscribe']; service: CustomerTransfersService }): void {
  deps.subscribe('wecom.change_external_contact.transfer_fail', ({ event, account }) =>
    deps.service.transferFailed(account.id, event.externalUserId, event.userId, event.failReason, event.createTimeS),
  );
}

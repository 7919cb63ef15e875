import type { Logger } from 'pino';
import type { CallbackSubscriptions } from '../../system/callbacks';
import type { GroupChatsService } from './group-chats.service';

/** change_external_chat keeps groups current: create and update read the group again, dismiss marks it. Replays change nothing. */
export function subscribeGroupChatCallbacks(deps: { service: GroupChatsService; subscribe: CallbackSubscriptions['subscribe']; logger: Logger }): () => void {
  const logger = deps.logger.child({ module: 'wecom-group-chats-callbacks' });
  const refresh = async (accountId: string, chatId: string) => {
    try {
      await deps.service.onChatChanged(accountId, chatId);
    } catch (error) {
      logger.warn({ err: error, accountId, chatId }, 'could not read a customer group after its event');
    }
  };
  const offs = [
    deps.subscribe('wecom.change_external_chat.create', ({ event, account }) => refresh(account.id, event.chatId)),
    deps.subscribe('wecom.change_external_chat.update', ({ event, account }) => refresh(account.id, event.chatId)),
    deps.subscribe('wecom.change_external_chat.dismiss', ({ event, account }) => deps.service.onChatDismissed(account.id, event.chatId)),
  ];
  return () => {
    for (const off of offs) off();
  };
}

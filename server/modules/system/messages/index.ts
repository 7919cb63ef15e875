import type { ModuleDeps } from '../../../platform/module-deps';
import { createMessagesRepository } from './messages.repository';
import { messagesRoutes } from './messages.routes';
import { createMessagesService } from './messages.service';

export type { Message, ListMessagesQuery } from './messages.schema';
export type { MessageLog, MessagesService } from './messages.service';
export type { MessageRow, NewMessageRow } from './messages.repository';
export type { LateDelivery } from './messages.tables';
export { searchableContent } from './stored-fields';

/** The message log: every push WeChat made to a connected account, stored once. */
export function createMessagesModule(deps: Pick<ModuleDeps, 'db'> & { accounts: { getAccount(id: string): Promise<unknown> } }) {
  const service = createMessagesService({ repository: createMessagesRepository(deps.db), getAccount: (id) => deps.accounts.getAccount(id) });
  return { routes: messagesRoutes(service), service };
}

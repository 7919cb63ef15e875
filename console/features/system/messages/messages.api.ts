import type { Page } from '../../../../common/paging';
import type { Message } from '../../../../server/modules/system/messages/messages.schema';
import { api } from '../../../app/api-client';
import type { PageRequest } from '../../../components/data-table';

export const messagesQueryKey = ['messages'] as const;

export const messageFilterKeys = ['type', 'from', 'q', 'since', 'until'] as const;

export const messagesApi = {
  list: (accountId: string, { cursor, limit, filters }: PageRequest) =>
    api.get<Page<Message>>(`/api/v1/accounts/${accountId}/messages`, { cursor, limit, ...filters }),
};

import type { Page } from '../../../../common/paging';
import type { CreateTransferBody, Transfer, TransferDetail, TransferPreview } from '../../../../server/modules/wecom/customer-transfers/customer-transfers.schema';
import { api } from '../../../app/api-client';

const base = (accountId: string) => `/api/v1/wecom/${encodeURIComponent(accountId)}/customer-transfers`;

export const transfersKey = (accountId: string) => ['wecom-customer-transfers', accountId] as const;

export const customerTransfersApi = {
  list: (accountId: string, query: { cursor?: string; limit: number; kind?: string; status?: string }) => api.get<Page<Transfer>>(base(accountId), query),
  get: (accountId: string, id: string) => api.get<TransferDetail>(`${base(accountId)}/${id}`),
  preview: (accountId: string, body: Omit<CreateTransferBody, 'message'>) => api.post<TransferPreview>(`${base(accountId)}/preview`, body),
  create: (accountId: string, body: CreateTransferBody) => api.post<TransferDetail>(base(accountId), body),
  unassigned: (accountId: string) => api.get<{ items: { handoverUserid: string; customers: number; dimissionTime: string }[] }>(`${base(accountId)}/unassigned`),
  resignedHandover: (accountId: string, body: { handoverUserid: string; takeoverUserid: string }) =>
    api.post<{ transfer: Transfer; jobId: string }>(`${base(accountId)}/resigned-handover`, body),
  refresh: (accountId: string) => api.post<{ checked: number; changed: number }>(`${base(accountId)}/refresh`),
};

import { z } from 'zod';

/** Who a WeCom callback URL is for: an app's AgentId, the contacts sync, or customer contact. */
export const callbackReceiverSchema = z.string().regex(/^(\d{1,10}|contacts|customer-contact)$/);

/** The path parameters of the callback URLs (checked by hand: a bad value is 404, never 400). */
export interface OfficialAccountCallbackParams {
  accountId: string;
}
export interface WeComCallbackParams {
  accountId: string;
  receiver: string;
}

import { z } from 'zod';

/** A 「联系我」 QR code as the simulated phones see it. */
export const sandboxContactWaySchema = z.object({
  configId: z.string(),
  remark: z.string(),
  state: z.string(),
  userids: z.array(z.string()),
  skipVerify: z.boolean(),
  qrCode: z.string().nullable(),
  createdAt: z.string(),
});

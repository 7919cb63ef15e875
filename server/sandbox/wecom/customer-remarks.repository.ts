import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client';
import { sandboxWecomFollows } from './wecom.tables';

/** Writes a member's remark and description on a customer (externalcontact/remark). */
export function createCustomerRemarksRepository(db: Db) {
  return {
    async setRemark(corpId: string, externalUserid: string, useridKey: string, changes: { remark?: string; description?: string; remarkMobiles?: string[] }): Promise<void> {
      if (Object.keys(changes).length === 0) return;
      await db
        .update(sandboxWecomFollows)
        .set(changes)
        .where(and(eq(sandboxWecomFollows.corpId, corpId), eq(sandboxWecomFollows.externalUserid, externalUserid), eq(sandboxWecomFollows.useridKey, useridKey)));
    },
  };
}

export type CustomerRemarksRepository = ReturnType<typeof createCustomerRemarksRepository>;

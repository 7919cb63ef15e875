import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { accounts } from '../../system/accounts/accounts.tables';

/** A department's values as WeCom holds them: what sync compares and pushes. */
export interface DepartmentSnapshot {
  id: number;
  parentId: number;
  name: string;
  nameEn: string | null;
  order: number;
  leaderUserids: string[];
}

/**
 * A WeCom corp's departments, keyed by WeCom's own department id. The root
 * (id 1, parent 0) exists in every corp. `syncedSnapshot` holds the values Qiao
 * and WeCom last agreed on (null: created in Qiao, never pushed); `deletedAt`
 * marks a department deleted in Qiao that stays until sync pushes the deletion.
 */
export const wecomDepartments = pgTable(
  'wecom_departments',
  {
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    id: integer('id').notNull(),
    parentId: integer('parent_id').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    /** WeCom sorts larger values first within a parent. */
    order: bigint('order', { mode: 'number' }).notNull().default(0),
    leaderUserids: jsonb('leader_userids').$type<string[]>().notNull().default([]),
    syncedSnapshot: jsonb('synced_snapshot').$type<DepartmentSnapshot | null>(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.id] }),
    index('wecom_departments_parent_idx').on(t.accountId, t.parentId),
    // WeCom refuses two siblings with one name (60008); tombstones do not count.
    uniqueIndex('wecom_departments_sibling_name_key').on(t.accountId, t.parentId, t.name).where(sql`${t.deletedAt} is null`),
  ],
);

import { sql } from 'drizzle-orm';
import { index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ['super_admin', 'dept_admin', 'member'] }).notNull(),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_username_lower_idx').on(sql`lower(${t.username})`)],
);

/** A dept_admin's reach: each row is one department subtree of one WeCom corp. */
export const userDepartmentScopes = pgTable(
  'user_department_scopes',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    accountId: text('account_id').notNull(),
    departmentId: integer('department_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.accountId, t.departmentId] })],
);

/** Which WeCom member(s) a Qiao user is: what "own customers" means for a member. */
export const userWecomMembers = pgTable(
  'user_wecom_members',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    accountId: text('account_id').notNull(),
    userid: text('userid').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.accountId, t.userid] }), index('user_wecom_members_member_idx').on(t.accountId, t.userid)],
);

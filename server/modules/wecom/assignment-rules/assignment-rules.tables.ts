import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { accounts } from '../../system/accounts/accounts.tables';
import type { AssignmentRuleSpec } from './assignment-rules';

/**
 * A rule deciding which members a new customer goes to. `spec` holds the
 * conditions and the member pool (see assignment-rules.ts); `configId` binds
 * it to a 「联系我」 code whose members Qiao keeps in step with the rule.
 */
export const wecomAssignmentRules = pgTable(
  'wecom_assignment_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    priority: integer('priority').notNull(),
    spec: jsonb('spec').$type<AssignmentRuleSpec>().notNull(),
    configId: text('config_id'),
    /** The members last written to the contact way, and when. */
    appliedUserids: jsonb('applied_userids').$type<string[]>(),
    appliedAt: timestamp('applied_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('wecom_assignment_rules_account_idx').on(t.accountId, t.priority)],
);

/**
 * Customers added to each member (add_external_contact), counted once per
 * member and customer whatever WeChat's retries: the per-day capacity counts these.
 */
export const wecomAssignmentSeenAdds = pgTable(
  'wecom_assignment_seen_adds',
  {
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    userid: text('userid').notNull(),
    externalUserid: text('external_userid').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.userid, t.externalUserid] }), index('wecom_assignment_seen_adds_day_idx').on(t.accountId, t.at)],
);

import { customType, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { accounts } from '../../system/accounts/accounts.tables';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/** A row problem as stored: rendered into the reader's language only when shown. */
export interface StoredRowProblem {
  row: number;
  column: string;
  code: string;
  details: Record<string, string | number>;
}

/**
 * An uploaded member sheet and what checking it found. The job re-reads the
 * file from here (so a restarted process resumes from the same bytes), and
 * the annotated copy is built from the file and `rowProblems`. Uploads are
 * removed after a few days.
 */
export const wecomMemberImports = pgTable(
  'wecom_member_imports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    jobId: uuid('job_id'),
    filename: text('filename').notNull(),
    content: bytea('content').notNull(),
    /** Every row problem (the job row keeps only the first 1000); null until checked. */
    rowProblems: jsonb('row_problems').$type<StoredRowProblem[] | null>(),
    checkedAt: timestamp('checked_at', { withTimezone: true }),
    createdBy: text('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('wecom_member_imports_job_idx').on(t.jobId), index('wecom_member_imports_created_idx').on(t.createdAt)],
);

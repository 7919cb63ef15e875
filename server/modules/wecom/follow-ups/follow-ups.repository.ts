import { and, asc, desc, eq, gt, gte, ilike, inArray, lt, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../platform/db/client';
import { wecomMemberDepartments, wecomMembers } from '../members/members.tables';
import {
  wecomFollowUpAttachments,
  wecomFollowUpRevisions,
  wecomFollowUps,
  type FollowUpAttachmentRow,
  type FollowUpRevisionRow,
  type FollowUpRow,
  type FollowUpStageValue,
} from './follow-ups.tables';

export type { FollowUpAttachmentRow, FollowUpRevisionRow, FollowUpRow } from './follow-ups.tables';

/** Whose records a caller reaches: all, the members of some departments, or some userids. */
export type FollowUpScope = { kind: 'all' } | { kind: 'departments'; departmentIds: number[] } | { kind: 'userids'; userids: string[] };

export interface FollowUpFilter {
  accountId: string;
  scope: FollowUpScope;
  userid?: string;
  /** Members of these departments (a department filter's subtree). */
  departmentIds?: number[];
  stage?: FollowUpStageValue;
  externalUserId?: string;
  dueBefore?: Date;
  overdue?: boolean;
  q?: string;
  now: Date;
}

/** A record with what lists show beside it. */
export interface FollowUpListRow {
  row: FollowUpRow;
  memberName: string | null;
  superseded: boolean;
}

export type AttachmentMeta = Omit<FollowUpAttachmentRow, 'content'>;

const f = wecomFollowUps;
const a = wecomFollowUpAttachments;
/** Everything of an attachment but its bytes. */
const attachmentColumns = { id: a.id, followUpId: a.followUpId, filename: a.filename, contentType: a.contentType, sizeBytes: a.sizeBytes, uploadedBy: a.uploadedBy, createdAt: a.createdAt };

/**
 * True when a later record exists for the same customer and member: only the
 * latest one's reminder is open. Written with qualified names: drizzle leaves
 * columns unqualified in single-table queries, which would bind them to `newer`.
 */
const superseded = sql<boolean>`exists (select 1 from wecom_follow_ups newer where newer.account_id = wecom_follow_ups.account_id and newer.external_user_id = wecom_follow_ups.external_user_id and newer.userid = wecom_follow_ups.userid and (newer.created_at, newer.id) > (wecom_follow_ups.created_at, wecom_follow_ups.id))`;
const open = and(sql`${f.nextContactAt} is not null`, sql`not ${superseded}`)!;

function membersOf(accountId: string, departmentIds: number[]): SQL {
  return inArray(
    f.userid,
    sql`(select ${wecomMemberDepartments.userid} from ${wecomMemberDepartments} where ${wecomMemberDepartments.accountId} = ${accountId} and ${inArray(wecomMemberDepartments.departmentId, [...departmentIds, -1])})`,
  );
}

function scopeCondition(accountId: string, scope: FollowUpScope): SQL | undefined {
  if (scope.kind === 'all') return undefined;
  if (scope.kind === 'userids') return inArray(f.userid, [...scope.userids, '']);
  return membersOf(accountId, scope.departmentIds);
}

function conditions(filter: FollowUpFilter): SQL[] {
  const parts: SQL[] = [eq(f.accountId, filter.accountId)];
  const scope = scopeCondition(filter.accountId, filter.scope);
  if (scope) parts.push(scope);
  if (filter.userid) parts.push(eq(f.userid, filter.userid));
  if (filter.departmentIds) parts.push(membersOf(filter.accountId, filter.departmentIds));
  if (filter.stage) parts.push(eq(f.stage, filter.stage));
  if (filter.externalUserId) parts.push(eq(f.externalUserId, filter.externalUserId));
  if (filter.dueBefore) parts.push(open, lte(f.nextContactAt, filter.dueBefore));
  if (filter.overdue === true) parts.push(open, lte(f.nextContactAt, filter.now));
  if (filter.overdue === false) parts.push(open, gt(f.nextContactAt, filter.now));
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    parts.push(or(ilike(f.note, pattern), ilike(f.customerName, pattern))!);
  }
  return parts;
}

/** Reminder lists read soonest first; the others newest first. */
export const byReminder = (filter: FollowUpFilter) => filter.dueBefore !== undefined || filter.overdue !== undefined;

function queries(db: Db) {
  const selection = {
    row: f,
    memberName: wecomMembers.name,
    superseded,
  };
  const withMember = () =>
    db
      .select(selection)
      .from(f)
      .leftJoin(wecomMembers, and(eq(wecomMembers.accountId, f.accountId), eq(wecomMembers.userid, f.userid)));

  return {
    async insert(row: typeof f.$inferInsert): Promise<FollowUpRow> {
      const [inserted] = await db.insert(f).values(row).returning();
      return inserted!;
    },

    async find(accountId: string, id: string): Promise<FollowUpListRow | null> {
      const [found] = await withMember().where(and(eq(f.accountId, accountId), eq(f.id, id)));
      return found ?? null;
    },

    async lock(accountId: string, id: string): Promise<FollowUpRow | null> {
      const [row] = await db.select().from(f).where(and(eq(f.accountId, accountId), eq(f.id, id))).for('update');
      return row ?? null;
    },

    async update(id: string, changes: Partial<typeof f.$inferInsert>): Promise<void> {
      await db.update(f).set(changes).where(eq(f.id, id));
    },

    async delete(id: string): Promise<void> {
      await db.delete(f).where(eq(f.id, id));
    },

    /** The customer's name as WeCom gave it last: every record of the customer shows it. */
    async renameCustomer(accountId: string, externalUserId: string, name: string): Promise<void> {
      await db
        .update(f)
        .set({ customerName: name })
        .where(and(eq(f.accountId, accountId), eq(f.externalUserId, externalUserId), ne(f.customerName, name)));
    },

    /** A new record replaces the open reminder of the same customer and member. */
    async cancelPendingReminders(accountId: string, externalUserId: string, userid: string, exceptId: string): Promise<void> {
      await db
        .update(f)
        .set({ reminderState: 'cancelled' })
        .where(and(eq(f.accountId, accountId), eq(f.externalUserId, externalUserId), eq(f.userid, userid), eq(f.reminderState, 'pending'), ne(f.id, exceptId)));
    },

    async insertRevision(row: typeof wecomFollowUpRevisions.$inferInsert): Promise<void> {
      await db.insert(wecomFollowUpRevisions).values(row);
    },

    listRevisions(followUpId: string): Promise<FollowUpRevisionRow[]> {
      return db.select().from(wecomFollowUpRevisions).where(eq(wecomFollowUpRevisions.followUpId, followUpId)).orderBy(desc(wecomFollowUpRevisions.revision));
    },

    async list(filter: FollowUpFilter, after: { at: Date; id: string } | null, limit: number): Promise<FollowUpListRow[]> {
      const parts = conditions(filter);
      const reminder = byReminder(filter);
      if (after) {
        parts.push(
          reminder
            ? sql`(${f.nextContactAt}, ${f.id}) > (${after.at.toISOString()}::timestamptz, ${after.id}::uuid)`
            : sql`(${f.createdAt}, ${f.id}) < (${after.at.toISOString()}::timestamptz, ${after.id}::uuid)`,
        );
      }
      return withMember()
        .where(and(...parts))
        .orderBy(...(reminder ? [asc(f.nextContactAt), asc(f.id)] : [desc(f.createdAt), desc(f.id)]))
        .limit(limit);
    },

    async count(filter: FollowUpFilter): Promise<number> {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(f).where(and(...conditions(filter)));
      return Number(row?.n ?? 0);
    },

    /** Per member: records written in [from, to), open reminders ahead and passed in [from, to). */
    async overview(filter: { accountId: string; scope: FollowUpScope; departmentIds?: number[]; from: Date; to: Date; now: Date }) {
      const parts: SQL[] = [eq(f.accountId, filter.accountId)];
      const scope = scopeCondition(filter.accountId, filter.scope);
      if (scope) parts.push(scope);
      if (filter.departmentIds) parts.push(membersOf(filter.accountId, filter.departmentIds));
      const inWindow = and(gte(f.nextContactAt, filter.from), lt(f.nextContactAt, filter.to));
      const rows = await db
        .select({
          userid: f.userid,
          name: sql<string | null>`max(${wecomMembers.name})`,
          written: sql<number>`count(*) filter (where ${f.createdAt} >= ${filter.from.toISOString()}::timestamptz and ${f.createdAt} < ${filter.to.toISOString()}::timestamptz)::int`,
          due: sql<number>`count(*) filter (where ${open} and ${inWindow} and ${f.nextContactAt} > ${filter.now.toISOString()}::timestamptz)::int`,
          overdue: sql<number>`count(*) filter (where ${open} and ${inWindow} and ${f.nextContactAt} <= ${filter.now.toISOString()}::timestamptz)::int`,
        })
        .from(f)
        .leftJoin(wecomMembers, and(eq(wecomMembers.accountId, f.accountId), eq(wecomMembers.userid, f.userid)))
        .where(and(...parts))
        .groupBy(f.userid)
        .orderBy(asc(f.userid));
      return rows
        .map((r) => ({ userid: r.userid, name: r.name, written: Number(r.written), due: Number(r.due), overdue: Number(r.overdue) }))
        .filter((r) => r.written + r.due + r.overdue > 0);
    },

    /** Reminders whose time came, oldest first; the scheduler claims them one by one. */
    async dueReminders(now: Date, limit: number): Promise<FollowUpRow[]> {
      return db
        .select()
        .from(f)
        .where(and(eq(f.reminderState, 'pending'), lte(f.nextContactAt, now)))
        .orderBy(asc(f.nextContactAt))
        .limit(limit);
    },

    /** Moves a pending reminder on; false when someone else (another process, an edit) got there first. */
    async settleReminder(id: string, state: 'sent' | 'failed', at: Date, error: string | null): Promise<boolean> {
      const updated = await db
        .update(f)
        .set({ reminderState: state, reminderSentAt: state === 'sent' ? at : null, reminderError: error })
        .where(and(eq(f.id, id), eq(f.reminderState, 'pending')))
        .returning({ id: f.id });
      return updated.length > 0;
    },

    async attachmentsOf(followUpIds: string[]): Promise<AttachmentMeta[]> {
      if (followUpIds.length === 0) return [];
      return db
        .select(attachmentColumns)
        .from(wecomFollowUpAttachments)
        .where(inArray(wecomFollowUpAttachments.followUpId, followUpIds))
        .orderBy(asc(wecomFollowUpAttachments.createdAt));
    },

    async insertAttachment(row: typeof wecomFollowUpAttachments.$inferInsert): Promise<AttachmentMeta> {
      const [inserted] = await db.insert(wecomFollowUpAttachments).values(row).returning(attachmentColumns);
      return inserted!;
    },

    async findAttachment(followUpId: string, id: string): Promise<FollowUpAttachmentRow | null> {
      const [row] = await db
        .select()
        .from(wecomFollowUpAttachments)
        .where(and(eq(wecomFollowUpAttachments.followUpId, followUpId), eq(wecomFollowUpAttachments.id, id)));
      return row ?? null;
    },

    async deleteAttachment(followUpId: string, id: string): Promise<boolean> {
      const deleted = await db
        .delete(wecomFollowUpAttachments)
        .where(and(eq(wecomFollowUpAttachments.followUpId, followUpId), eq(wecomFollowUpAttachments.id, id)))
        .returning({ id: wecomFollowUpAttachments.id });
      return deleted.length > 0;
    },

    /** The retention purge: every record on these customers; revisions and attachments go with them (cascade). */
    async purgeCustomers(accountId: string, externalUserIds: readonly string[]): Promise<void> {
      if (externalUserIds.length === 0) return;
      await db.delete(wecomFollowUps).where(and(eq(wecomFollowUps.accountId, accountId), inArray(wecomFollowUps.externalUserId, [...externalUserIds])));
    },
  };
}

export type FollowUpsRepository = ReturnType<typeof queries> & {
  transaction<T>(work: (repo: FollowUpsRepository, tx: unknown) => Promise<T>): Promise<T>;
};

export function createFollowUpsRepository(db: Db): FollowUpsRepository {
  return {
    ...queries(db),
    transaction: (work) => db.transaction((tx) => work(createFollowUpsRepository(tx as unknown as Db), tx)),
  };
}

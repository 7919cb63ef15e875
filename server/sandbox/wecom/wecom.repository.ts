import { and, asc, count, eq, gt, inArray, isNull, max, or, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client';
import {
  sandboxWecomContactWays,
  sandboxWecomCorps,
  sandboxWecomCorpTags,
  sandboxWecomCustomers,
  sandboxWecomDepartments,
  sandboxWecomFollows,
  sandboxWecomInbox,
  sandboxWecomJobs,
  sandboxWecomMedia,
  sandboxWecomMemberDepartments,
  sandboxWecomMembers,
  sandboxWecomReceivers,
  sandboxWecomWelcomeCodes,
} from './wecom.tables';

export type CorpRow = typeof sandboxWecomCorps.$inferSelect;
export type ReceiverRow = typeof sandboxWecomReceivers.$inferSelect;
export type DepartmentRow = typeof sandboxWecomDepartments.$inferSelect;
export type MemberRow = typeof sandboxWecomMembers.$inferSelect;
export type MemberDepartmentRow = typeof sandboxWecomMemberDepartments.$inferSelect;
export type CustomerRow = typeof sandboxWecomCustomers.$inferSelect;
export type FollowRow = typeof sandboxWecomFollows.$inferSelect;
export type ContactWayRow = typeof sandboxWecomContactWays.$inferSelect;
export type WelcomeCodeRow = typeof sandboxWecomWelcomeCodes.$inferSelect;
export type CorpTagRow = typeof sandboxWecomCorpTags.$inferSelect;
export type InboxRow = typeof sandboxWecomInbox.$inferSelect;
export type MediaRow = typeof sandboxWecomMedia.$inferSelect;
export type JobRow = typeof sandboxWecomJobs.$inferSelect;

/** A member with its department rows in list order. */
export interface MemberWithDepartments extends MemberRow {
  departments: MemberDepartmentRow[];
}

// PostgreSQL caps a statement at 65,535 parameters; the widest table here has 10 columns.
const CHUNK = 1000;

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

function buildQueries(db: Db) {
  async function departmentsOf(corpId: string, keys: string[]): Promise<Map<string, MemberDepartmentRow[]>> {
    const byMember = new Map<string, MemberDepartmentRow[]>();
    if (keys.length === 0) return byMember;
    for (let i = 0; i < keys.length; i += CHUNK) {
      const rows = await db
        .select()
        .from(sandboxWecomMemberDepartments)
        .where(and(eq(sandboxWecomMemberDepartments.corpId, corpId), inArray(sandboxWecomMemberDepartments.useridKey, keys.slice(i, i + CHUNK))))
        .orderBy(asc(sandboxWecomMemberDepartments.useridKey), asc(sandboxWecomMemberDepartments.position));
      for (const row of rows) {
        const list = byMember.get(row.useridKey) ?? [];
        list.push(row);
        byMember.set(row.useridKey, list);
      }
    }
    return byMember;
  }

  async function withDepartments(corpId: string, members: MemberRow[]): Promise<MemberWithDepartments[]> {
    const departments = await departmentsOf(corpId, members.map((m) => m.useridKey));
    return members.map((m) => ({ ...m, departments: departments.get(m.useridKey) ?? [] }));
  }

  async function findMembers(corpId: string, keys: string[]): Promise<MemberWithDepartments[]> {
    if (keys.length === 0) return [];
    const rows: MemberRow[] = [];
    for (let i = 0; i < keys.length; i += CHUNK) {
      rows.push(
        ...(await db
          .select()
          .from(sandboxWecomMembers)
          .where(and(eq(sandboxWecomMembers.corpId, corpId), inArray(sandboxWecomMembers.useridKey, keys.slice(i, i + CHUNK))))),
      );
    }
    return withDepartments(corpId, rows);
  }

  return {
    // Corps and receivers
    async insertCorp(row: CorpRow): Promise<void> {
      await db.insert(sandboxWecomCorps).values(row);
    },
    async updateCorp(corpId: string, changes: Partial<Pick<CorpRow, 'name' | 'creatorUserid'>>): Promise<void> {
      await db.update(sandboxWecomCorps).set(changes).where(eq(sandboxWecomCorps.corpId, corpId));
    },
    async findCorp(corpId: string): Promise<CorpRow | null> {
      const [row] = await db.select().from(sandboxWecomCorps).where(eq(sandboxWecomCorps.corpId, corpId)).limit(1);
      return row ?? null;
    },
    listCorps(): Promise<CorpRow[]> {
      return db.select().from(sandboxWecomCorps).orderBy(asc(sandboxWecomCorps.createdAt), asc(sandboxWecomCorps.corpId));
    },
    async insertReceivers(rows: ReceiverRow[]): Promise<void> {
      if (rows.length) await db.insert(sandboxWecomReceivers).values(rows);
    },
    listReceivers(corpIds: string[]): Promise<ReceiverRow[]> {
      if (corpIds.length === 0) return Promise.resolve([]);
      return db
        .select()
        .from(sandboxWecomReceivers)
        .where(inArray(sandboxWecomReceivers.corpId, corpIds))
        .orderBy(asc(sandboxWecomReceivers.corpId), asc(sandboxWecomReceivers.createdAt), asc(sandboxWecomReceivers.receiver));
    },
    async findReceiver(corpId: string, receiver: string): Promise<ReceiverRow | null> {
      const [row] = await db
        .select()
        .from(sandboxWecomReceivers)
        .where(and(eq(sandboxWecomReceivers.corpId, corpId), eq(sandboxWecomReceivers.receiver, receiver)))
        .limit(1);
      return row ?? null;
    },
    async findReceiverBySecret(secret: string): Promise<ReceiverRow | null> {
      const [row] = await db.select().from(sandboxWecomReceivers).where(eq(sandboxWecomReceivers.secret, secret)).limit(1);
      return row ?? null;
    },
    async updateReceiver(corpId: string, receiver: string, changes: Partial<Pick<ReceiverRow, 'callbackUrl' | 'token' | 'encodingAesKey' | 'secret'>>) {
      await db
        .update(sandboxWecomReceivers)
        .set(changes)
        .where(and(eq(sandboxWecomReceivers.corpId, corpId), eq(sandboxWecomReceivers.receiver, receiver)));
    },

    // Departments
    listDepartments(corpId: string): Promise<DepartmentRow[]> {
      return db.select().from(sandboxWecomDepartments).where(eq(sandboxWecomDepartments.corpId, corpId)).orderBy(asc(sandboxWecomDepartments.id));
    },
    async findDepartment(corpId: string, id: number): Promise<DepartmentRow | null> {
      const [row] = await db
        .select()
        .from(sandboxWecomDepartments)
        .where(and(eq(sandboxWecomDepartments.corpId, corpId), eq(sandboxWecomDepartments.id, id)))
        .limit(1);
      return row ?? null;
    },
    async findDepartments(corpId: string, ids: number[]): Promise<DepartmentRow[]> {
      if (ids.length === 0) return [];
      return db.select().from(sandboxWecomDepartments).where(and(eq(sandboxWecomDepartments.corpId, corpId), inArray(sandboxWecomDepartments.id, ids)));
    },
    async insertDepartments(rows: DepartmentRow[]): Promise<void> {
      await insertChunked(rows, (chunk) => db.insert(sandboxWecomDepartments).values(chunk));
    },
    async updateDepartment(corpId: string, id: number, changes: Partial<Omit<DepartmentRow, 'corpId' | 'id'>>): Promise<void> {
      await db.update(sandboxWecomDepartments).set(changes).where(and(eq(sandboxWecomDepartments.corpId, corpId), eq(sandboxWecomDepartments.id, id)));
    },
    async deleteDepartments(corpId: string, ids: number[]): Promise<void> {
      if (ids.length === 0) return;
      await db.delete(sandboxWecomDepartments).where(and(eq(sandboxWecomDepartments.corpId, corpId), inArray(sandboxWecomDepartments.id, ids)));
    },
    async maxDepartmentId(corpId: string): Promise<number> {
      const [row] = await db.select({ value: max(sandboxWecomDepartments.id) }).from(sandboxWecomDepartments).where(eq(sandboxWecomDepartments.corpId, corpId));
      return Number(row?.value ?? 0);
    },
    async countDepartments(corpId: string): Promise<number> {
      const [row] = await db.select({ n: count() }).from(sandboxWecomDepartments).where(eq(sandboxWecomDepartments.corpId, corpId));
      return Number(row?.n ?? 0);
    },
    /** Sub-departments and direct members of a department. */
    async countChildren(corpId: string, id: number): Promise<{ departments: number; members: number }> {
      const [departments] = await db
        .select({ n: count() })
        .from(sandboxWecomDepartments)
        .where(and(eq(sandboxWecomDepartments.corpId, corpId), eq(sandboxWecomDepartments.parentId, id)));
      const [members] = await db
        .select({ n: count() })
        .from(sandboxWecomMemberDepartments)
        .where(and(eq(sandboxWecomMemberDepartments.corpId, corpId), eq(sandboxWecomMemberDepartments.departmentId, id)));
      return { departments: Number(departments?.n ?? 0), members: Number(members?.n ?? 0) };
    },

    // Members
    findMembers,
    async findMember(corpId: string, key: string): Promise<MemberWithDepartments | null> {
      const [found] = await findMembers(corpId, [key]);
      return found ?? null;
    },
    async findMemberByContact(corpId: string, field: 'mobile' | 'email', value: string): Promise<MemberRow | null> {
      const column = field === 'mobile' ? sandboxWecomMembers.mobile : sandboxWecomMembers.email;
      const [row] = await db.select().from(sandboxWecomMembers).where(and(eq(sandboxWecomMembers.corpId, corpId), eq(column, value))).limit(1);
      return row ?? null;
    },
    async insertMembers(members: MemberRow[], departments: MemberDepartmentRow[]): Promise<void> {
      await insertChunked(members, (chunk) => db.insert(sandboxWecomMembers).values(chunk));
      await insertChunked(departments, (chunk) => db.insert(sandboxWecomMemberDepartments).values(chunk));
    },
    async updateMember(corpId: string, key: string, changes: Partial<Omit<MemberRow, 'corpId'>>, departments?: MemberDepartmentRow[]): Promise<void> {
      if (Object.keys(changes).length) {
        await db.update(sandboxWecomMembers).set(changes).where(and(eq(sandboxWecomMembers.corpId, corpId), eq(sandboxWecomMembers.useridKey, key)));
      }
      const newKey = changes.useridKey ?? key;
      if (newKey !== key) {
        await db
          .update(sandboxWecomMemberDepartments)
          .set({ useridKey: newKey })
          .where(and(eq(sandboxWecomMemberDepartments.corpId, corpId), eq(sandboxWecomMemberDepartments.useridKey, key)));
        await db
          .update(sandboxWecomFollows)
          .set({ useridKey: newKey })
          .where(and(eq(sandboxWecomFollows.corpId, corpId), eq(sandboxWecomFollows.useridKey, key)));
      }
      if (departments) {
        await db
          .delete(sandboxWecomMemberDepartments)
          .where(and(eq(sandboxWecomMemberDepartments.corpId, corpId), eq(sandboxWecomMemberDepartments.useridKey, newKey)));
        if (departments.length) await db.insert(sandboxWecomMemberDepartments).values(departments);
      }
    },
    async deleteMembers(corpId: string, keys: string[]): Promise<void> {
      for (let i = 0; i < keys.length; i += CHUNK) {
        const chunk = keys.slice(i, i + CHUNK);
        await db.delete(sandboxWecomMemberDepartments).where(and(eq(sandboxWecomMemberDepartments.corpId, corpId), inArray(sandboxWecomMemberDepartments.useridKey, chunk)));
        await db.delete(sandboxWecomFollows).where(and(eq(sandboxWecomFollows.corpId, corpId), inArray(sandboxWecomFollows.useridKey, chunk)));
        await db.delete(sandboxWecomMembers).where(and(eq(sandboxWecomMembers.corpId, corpId), inArray(sandboxWecomMembers.useridKey, chunk)));
      }
    },
    /** Direct members of a department, in the department's member order (larger first), then userid. */
    async membersInDepartment(corpId: string, departmentId: number): Promise<MemberWithDepartments[]> {
      const rows = await db
        .select({ member: sandboxWecomMembers })
        .from(sandboxWecomMemberDepartments)
        .innerJoin(
          sandboxWecomMembers,
          and(eq(sandboxWecomMembers.corpId, sandboxWecomMemberDepartments.corpId), eq(sandboxWecomMembers.useridKey, sandboxWecomMemberDepartments.useridKey)),
        )
        .where(and(eq(sandboxWecomMemberDepartments.corpId, corpId), eq(sandboxWecomMemberDepartments.departmentId, departmentId)))
        .orderBy(sql`${sandboxWecomMemberDepartments.order} desc`, asc(sandboxWecomMemberDepartments.useridKey));
      return withDepartments(corpId, rows.map((r) => r.member));
    },
    /** Every member key, for replaceuser. */
    async memberKeys(corpId: string): Promise<string[]> {
      const rows = await db.select({ key: sandboxWecomMembers.useridKey }).from(sandboxWecomMembers).where(eq(sandboxWecomMembers.corpId, corpId));
      return rows.map((r) => r.key);
    },
    /** (member, department) pairs after `after`, for user/list_id. */
    async memberDepartmentPage(corpId: string, after: { key: string; departmentId: number } | null, limit: number) {
      const cursor = after
        ? or(
            gt(sandboxWecomMemberDepartments.useridKey, after.key),
            and(eq(sandboxWecomMemberDepartments.useridKey, after.key), gt(sandboxWecomMemberDepartments.departmentId, after.departmentId)),
          )
        : undefined;
      return db
        .select({ key: sandboxWecomMemberDepartments.useridKey, userid: sandboxWecomMembers.userid, departmentId: sandboxWecomMemberDepartments.departmentId })
        .from(sandboxWecomMemberDepartments)
        .innerJoin(
          sandboxWecomMembers,
          and(eq(sandboxWecomMembers.corpId, sandboxWecomMemberDepartments.corpId), eq(sandboxWecomMembers.useridKey, sandboxWecomMemberDepartments.useridKey)),
        )
        .where(and(eq(sandboxWecomMemberDepartments.corpId, corpId), cursor))
        .orderBy(asc(sandboxWecomMemberDepartments.useridKey), asc(sandboxWecomMemberDepartments.departmentId))
        .limit(limit);
    },

    // Customers and follows
    async insertCustomers(rows: CustomerRow[]): Promise<void> {
      await insertChunked(rows, (chunk) => db.insert(sandboxWecomCustomers).values(chunk));
    },
    async findCustomer(corpId: string, externalUserid: string): Promise<CustomerRow | null> {
      const [row] = await db
        .select()
        .from(sandboxWecomCustomers)
        .where(and(eq(sandboxWecomCustomers.corpId, corpId), eq(sandboxWecomCustomers.externalUserid, externalUserid)))
        .limit(1);
      return row ?? null;
    },
    async findCustomers(corpId: string, ids: string[]): Promise<CustomerRow[]> {
      if (ids.length === 0) return [];
      return db.select().from(sandboxWecomCustomers).where(and(eq(sandboxWecomCustomers.corpId, corpId), inArray(sandboxWecomCustomers.externalUserid, ids)));
    },
    followsOfCustomer(corpId: string, externalUserid: string): Promise<FollowRow[]> {
      return db
        .select()
        .from(sandboxWecomFollows)
        .where(and(eq(sandboxWecomFollows.corpId, corpId), eq(sandboxWecomFollows.externalUserid, externalUserid)))
        .orderBy(asc(sandboxWecomFollows.createdAtS), asc(sandboxWecomFollows.useridKey));
    },
    async findFollow(corpId: string, externalUserid: string, key: string): Promise<FollowRow | null> {
      const [row] = await db
        .select()
        .from(sandboxWecomFollows)
        .where(and(eq(sandboxWecomFollows.corpId, corpId), eq(sandboxWecomFollows.externalUserid, externalUserid), eq(sandboxWecomFollows.useridKey, key)))
        .limit(1);
      return row ?? null;
    },
    /** Follows of the given members ordered by (member, customer), after a cursor. */
    followsOfMembers(corpId: string, keys: string[], after: { key: string; externalUserid: string } | null, limit: number): Promise<FollowRow[]> {
      if (keys.length === 0) return Promise.resolve([]);
      const cursor = after
        ? or(gt(sandboxWecomFollows.useridKey, after.key), and(eq(sandboxWecomFollows.useridKey, after.key), gt(sandboxWecomFollows.externalUserid, after.externalUserid)))
        : undefined;
      return db
        .select()
        .from(sandboxWecomFollows)
        .where(and(eq(sandboxWecomFollows.corpId, corpId), inArray(sandboxWecomFollows.useridKey, keys), cursor))
        .orderBy(asc(sandboxWecomFollows.useridKey), asc(sandboxWecomFollows.externalUserid))
        .limit(limit);
    },
    async insertFollows(rows: (typeof sandboxWecomFollows.$inferInsert)[]): Promise<void> {
      await insertChunked(rows, (chunk) => db.insert(sandboxWecomFollows).values(chunk).onConflictDoNothing());
    },
    async setFollowTags(corpId: string, externalUserid: string, key: string, tagIds: string[]): Promise<void> {
      await db
        .update(sandboxWecomFollows)
        .set({ tagIds })
        .where(and(eq(sandboxWecomFollows.corpId, corpId), eq(sandboxWecomFollows.externalUserid, externalUserid), eq(sandboxWecomFollows.useridKey, key)));
    },
    /** Drops deleted tag ids from every follow that carries them. */
    async removeTagsFromFollows(corpId: string, tagIds: string[]): Promise<void> {
      if (tagIds.length === 0) return;
      const ids = sql`array[${sql.join(tagIds.map((id) => sql`${id}`), sql`, `)}]::text[]`;
      await db.execute(sql`
        update ${sandboxWecomFollows}
        set tag_ids = coalesce((select jsonb_agg(t) from jsonb_array_elements_text(${sandboxWecomFollows.tagIds}) t where t <> all(${ids})), '[]'::jsonb)
        where ${sandboxWecomFollows.corpId} = ${corpId} and ${sandboxWecomFollows.tagIds} ?| ${ids}`);
    },

    // Contact ways
    async insertContactWay(row: ContactWayRow): Promise<void> {
      await db.insert(sandboxWecomContactWays).values(row);
    },
    async findContactWay(corpId: string, configId: string): Promise<ContactWayRow | null> {
      const [row] = await db
        .select()
        .from(sandboxWecomContactWays)
        .where(and(eq(sandboxWecomContactWays.corpId, corpId), eq(sandboxWecomContactWays.configId, configId)))
        .limit(1);
      return row ?? null;
    },
    /** Codes created in [from, to], oldest first, after the (createdAt, configId) key. */
    async listContactWays(corpId: string, from: Date, to: Date, after: { createdAt: Date; configId: string } | null, limit: number): Promise<ContactWayRow[]> {
      const w = sandboxWecomContactWays;
      return db
        .select()
        .from(w)
        .where(
          and(
            eq(w.corpId, corpId),
            sql`${w.createdAt} >= ${from.toISOString()} and ${w.createdAt} <= ${to.toISOString()}`,
            after ? or(gt(w.createdAt, after.createdAt), and(eq(w.createdAt, after.createdAt), gt(w.configId, after.configId))) : undefined,
          ),
        )
        .orderBy(asc(w.createdAt), asc(w.configId))
        .limit(limit);
    },
    async updateContactWay(corpId: string, configId: string, settings: ContactWayRow['settings']): Promise<void> {
      await db
        .update(sandboxWecomContactWays)
        .set({ settings })
        .where(and(eq(sandboxWecomContactWays.corpId, corpId), eq(sandboxWecomContactWays.configId, configId)));
    },
    async deleteContactWay(corpId: string, configId: string): Promise<boolean> {
      const deleted = await db
        .delete(sandboxWecomContactWays)
        .where(and(eq(sandboxWecomContactWays.corpId, corpId), eq(sandboxWecomContactWays.configId, configId)))
        .returning({ id: sandboxWecomContactWays.configId });
      return deleted.length > 0;
    },

    // Welcome codes
    async insertWelcomeCode(row: WelcomeCodeRow): Promise<void> {
      await db.insert(sandboxWecomWelcomeCodes).values(row);
    },
    async findWelcomeCode(code: string): Promise<WelcomeCodeRow | null> {
      const [row] = await db.select().from(sandboxWecomWelcomeCodes).where(eq(sandboxWecomWelcomeCodes.code, code)).limit(1);
      return row ?? null;
    },
    /** Marks the code used unless someone already did; false when it lost the race. */
    async useWelcomeCode(code: string, at: Date): Promise<boolean> {
      const used = await db
        .update(sandboxWecomWelcomeCodes)
        .set({ usedAt: at })
        .where(and(eq(sandboxWecomWelcomeCodes.code, code), isNull(sandboxWecomWelcomeCodes.usedAt)))
        .returning({ code: sandboxWecomWelcomeCodes.code });
      return used.length > 0;
    },

    // Corp tags
    listCorpTags(corpId: string): Promise<CorpTagRow[]> {
      return db.select().from(sandboxWecomCorpTags).where(eq(sandboxWecomCorpTags.corpId, corpId)).orderBy(asc(sandboxWecomCorpTags.createdAtS), asc(sandboxWecomCorpTags.id));
    },
    async insertCorpTags(rows: CorpTagRow[]): Promise<void> {
      if (rows.length) await db.insert(sandboxWecomCorpTags).values(rows);
    },
    async updateCorpTag(corpId: string, id: string, changes: Partial<Pick<CorpTagRow, 'name' | 'order'>>): Promise<void> {
      await db.update(sandboxWecomCorpTags).set(changes).where(and(eq(sandboxWecomCorpTags.corpId, corpId), eq(sandboxWecomCorpTags.id, id)));
    },
    async deleteCorpTags(corpId: string, ids: string[]): Promise<void> {
      if (ids.length) await db.delete(sandboxWecomCorpTags).where(and(eq(sandboxWecomCorpTags.corpId, corpId), inArray(sandboxWecomCorpTags.id, ids)));
    },

    // Inbox
    async deliverToInbox(rows: Omit<InboxRow, 'id'>[]): Promise<void> {
      await insertChunked(rows, (chunk) => db.insert(sandboxWecomInbox).values(chunk));
    },
    inbox(corpId: string, ownerKind: InboxRow['ownerKind'], ownerId: string, limit: number): Promise<InboxRow[]> {
      return db
        .select()
        .from(sandboxWecomInbox)
        .where(and(eq(sandboxWecomInbox.corpId, corpId), eq(sandboxWecomInbox.ownerKind, ownerKind), eq(sandboxWecomInbox.ownerId, ownerId)))
        .orderBy(asc(sandboxWecomInbox.id))
        .limit(limit);
    },
    /** App messages a member got from an app since `since` (WeCom drops those beyond its per-minute cap). */
    async countAppMessages(corpId: string, ownerId: string, sender: string, since: Date): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(sandboxWecomInbox)
        .where(
          and(
            eq(sandboxWecomInbox.corpId, corpId),
            eq(sandboxWecomInbox.ownerKind, 'member'),
            eq(sandboxWecomInbox.ownerId, ownerId),
            eq(sandboxWecomInbox.source, 'app_message'),
            eq(sandboxWecomInbox.sender, sender),
            gt(sandboxWecomInbox.createdAt, since),
          ),
        );
      return Number(row?.n ?? 0);
    },

    // Media and jobs
    async insertMedia(row: MediaRow): Promise<void> {
      await db.insert(sandboxWecomMedia).values(row);
    },
    async findMedia(corpId: string, mediaId: string): Promise<MediaRow | null> {
      const [row] = await db
        .select()
        .from(sandboxWecomMedia)
        .where(and(eq(sandboxWecomMedia.corpId, corpId), eq(sandboxWecomMedia.mediaId, mediaId)))
        .limit(1);
      return row ?? null;
    },
    async insertJob(row: typeof sandboxWecomJobs.$inferInsert): Promise<void> {
      await db.insert(sandboxWecomJobs).values(row);
    },
    async findJob(corpId: string, jobId: string): Promise<JobRow | null> {
      const [row] = await db.select().from(sandboxWecomJobs).where(and(eq(sandboxWecomJobs.corpId, corpId), eq(sandboxWecomJobs.jobId, jobId))).limit(1);
      return row ?? null;
    },
    async updateJob(jobId: string, changes: Partial<Omit<JobRow, 'jobId' | 'corpId'>>): Promise<void> {
      await db.update(sandboxWecomJobs).set(changes).where(eq(sandboxWecomJobs.jobId, jobId));
    },
    unfinishedJobs(): Promise<JobRow[]> {
      return db.select().from(sandboxWecomJobs).where(sql`${sandboxWecomJobs.status} < 3`).orderBy(asc(sandboxWecomJobs.createdAt));
    },
  };
}

type WeComQueries = ReturnType<typeof buildQueries>;

/** All SQL of the WeCom sandbox world. */
export interface WeComRepository extends WeComQueries {
  /** Runs `work` in one transaction. */
  transaction<T>(work: (repository: WeComRepository) => Promise<T>): Promise<T>;
}

export function createWeComRepository(db: Db): WeComRepository {
  return {
    ...buildQueries(db),
    transaction: (work) => db.transaction((tx) => work(createWeComRepository(tx as unknown as Db))),
  };
}

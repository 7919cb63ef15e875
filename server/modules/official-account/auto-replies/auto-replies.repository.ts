import { and, asc, count, eq, gte, ilike, isNotNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../../platform/db/client';
import { oaAutoReplyRules, oaAutoReplySettings } from './auto-replies.tables';

export type RuleRow = typeof oaAutoReplyRules.$inferSelect;
export type NewRuleRow = typeof oaAutoReplyRules.$inferInsert;
export type SettingsRow = typeof oaAutoReplySettings.$inferSelect;
type Kind = RuleRow['kind'];

export interface AutoRepliesRepository {
  transaction<T>(work: (repository: AutoRepliesRepository, tx: unknown) => Promise<T>): Promise<T>;
  findRule(accountId: string, id: string): Promise<RuleRow | null>;
  /** A page of one account's rules by kind and priority. */
  listRules(filter: { accountId: string; kind?: Kind; q?: string; after?: { kind: Kind; position: number }; limit: number }): Promise<RuleRow[]>;
  countRules(filter: { accountId: string; kind?: Kind; q?: string }): Promise<number>;
  countByKind(accountId: string): Promise<Record<Kind, number>>;
  /** Every rule of the account in priority order (what the matcher compiles). */
  allRules(accountId: string): Promise<RuleRow[]>;
  /** Enabled keyword rules (overlap warnings). */
  enabledKeywordRules(accountId: string): Promise<RuleRow[]>;
  platformKeys(accountId: string): Promise<Set<string>>;
  insertRules(rows: NewRuleRow[]): Promise<RuleRow[]>;
  updateRule(id: string, changes: Partial<NewRuleRow>): Promise<void>;
  deleteRule(id: string): Promise<void>;
  /** Adds `delta` to the positions of `kind` in [from, to]. */
  shiftPositions(accountId: string, kind: Kind, from: number, to: number, delta: number): Promise<void>;
  /** Increments the version, creating the row when missing; the row lock serializes writes of one account. */
  bumpVersion(accountId: string, changes?: { importedAt?: Date }): Promise<number>;
  findSettings(accountId: string): Promise<SettingsRow | null>;
}

const kindOrder = sql`case ${oaAutoReplyRules.kind} when 'subscribe' then 0 when 'default' then 1 when 'keyword' then 2 else 3 end`;

export function createAutoRepliesRepository(db: Db): AutoRepliesRepository {
  const search = (q: string | undefined) => {
    if (!q) return undefined;
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return or(ilike(oaAutoReplyRules.name, pattern), sql`${oaAutoReplyRules.keywords}::text ilike ${pattern}`, sql`${oaAutoReplyRules.clickKeys}::text ilike ${pattern}`);
  };
  const ofKind = (kind: Kind | undefined) => (kind ? eq(oaAutoReplyRules.kind, kind) : undefined);
  return {
    transaction(work) {
      return db.transaction((tx) => work(createAutoRepliesRepository(tx as unknown as Db), tx));
    },
    async findRule(accountId, id) {
      const [row] = await db
        .select()
        .from(oaAutoReplyRules)
        .where(and(eq(oaAutoReplyRules.accountId, accountId), eq(oaAutoReplyRules.id, id)))
        .limit(1);
      return row ?? null;
    },
    async listRules(filter) {
      const after = filter.after
        ? sql`(${kindOrder}, ${oaAutoReplyRules.position}) > (${kindRank(filter.after.kind)}, ${filter.after.position})`
        : undefined;
      return db
        .select()
        .from(oaAutoReplyRules)
        .where(and(eq(oaAutoReplyRules.accountId, filter.accountId), ofKind(filter.kind), search(filter.q), after))
        .orderBy(kindOrder, asc(oaAutoReplyRules.position))
        .limit(filter.limit);
    },
    async countRules(filter) {
      const [row] = await db
        .select({ n: count() })
        .from(oaAutoReplyRules)
        .where(and(eq(oaAutoReplyRules.accountId, filter.accountId), ofKind(filter.kind), search(filter.q)));
      return Number(row?.n ?? 0);
    },
    async countByKind(accountId) {
      const rows = await db
        .select({ kind: oaAutoReplyRules.kind, n: count() })
        .from(oaAutoReplyRules)
        .where(eq(oaAutoReplyRules.accountId, accountId))
        .groupBy(oaAutoReplyRules.kind);
      const counts: Record<Kind, number> = { subscribe: 0, default: 0, keyword: 0, click: 0 };
      for (const row of rows) counts[row.kind] = Number(row.n);
      return counts;
    },
    allRules(accountId) {
      return db.select().from(oaAutoReplyRules).where(eq(oaAutoReplyRules.accountId, accountId)).orderBy(kindOrder, asc(oaAutoReplyRules.position));
    },
    enabledKeywordRules(accountId) {
      return db
        .select()
        .from(oaAutoReplyRules)
        .where(and(eq(oaAutoReplyRules.accountId, accountId), eq(oaAutoReplyRules.kind, 'keyword'), eq(oaAutoReplyRules.enabled, true)))
        .orderBy(asc(oaAutoReplyRules.position));
    },
    async platformKeys(accountId) {
      const rows = await db
        .select({ key: oaAutoReplyRules.platformKey })
        .from(oaAutoReplyRules)
        .where(and(eq(oaAutoReplyRules.accountId, accountId), isNotNull(oaAutoReplyRules.platformKey)));
      return new Set(rows.map((r) => r.key as string));
    },
    async insertRules(rows) {
      if (rows.length === 0) return [];
      return db.insert(oaAutoReplyRules).values(rows).returning();
    },
    async updateRule(id, changes) {
      await db.update(oaAutoReplyRules).set(changes).where(eq(oaAutoReplyRules.id, id));
    },
    async deleteRule(id) {
      await db.delete(oaAutoReplyRules).where(eq(oaAutoReplyRules.id, id));
    },
    async shiftPositions(accountId, kind, from, to, delta) {
      if (from > to) return;
      await db
        .update(oaAutoReplyRules)
        .set({ position: sql`${oaAutoReplyRules.position} + ${delta}` })
        .where(
          and(
            eq(oaAutoReplyRules.accountId, accountId),
            eq(oaAutoReplyRules.kind, kind),
            gte(oaAutoReplyRules.position, from),
            lte(oaAutoReplyRules.position, to),
          ),
        );
    },
    async bumpVersion(accountId, changes = {}) {
      const [row] = await db
        .insert(oaAutoReplySettings)
        .values({ accountId, version: 1, importedAt: changes.importedAt ?? null })
        .onConflictDoUpdate({
          target: oaAutoReplySettings.accountId,
          set: { version: sql`${oaAutoReplySettings.version} + 1`, ...(changes.importedAt ? { importedAt: changes.importedAt } : {}) },
        })
        .returning({ version: oaAutoReplySettings.version });
      return row?.version ?? 1;
    },
    async findSettings(accountId) {
      const [row] = await db.select().from(oaAutoReplySettings).where(eq(oaAutoReplySettings.accountId, accountId)).limit(1);
      return row ?? null;
    },
  };
}

function kindRank(kind: Kind): number {
  return { subscribe: 0, default: 1, keyword: 2, click: 3 }[kind];
}

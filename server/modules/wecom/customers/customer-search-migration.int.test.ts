import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationsFolder } from '../../../platform/db/migrate';

/** The migrations up to, not including, `tag`: a database as an earlier release left it. */
function migrationsBefore(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'qiao-migrations-before-'));
  cpSync(migrationsFolder, dir, { recursive: true });
  const journalPath = join(dir, 'meta/_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((entry) => entry.tag === tag);
  if (at < 0) throw new Error(`no migration ${tag}`);
  journal.entries = journal.entries.slice(0, at);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

describe('migration 0027 (customer search grams) on a database with customers', () => {
  const earlier = migrationsBefore('0027_customer-search-grams');
  afterAll(() => rmSync(earlier, { recursive: true, force: true }));

  it('fills each customer’s remarks from its follows, so existing customers are found by name or remark inside the text', async () => {
    const pglite = new PGlite();
    try {
      const db = drizzle(pglite);
      await migrate(db, { migrationsFolder: earlier });
      const account = await pglite.query<{ id: string }>(
        `insert into accounts (type, name, wechat_id, api_base_url, encrypt_mode, sandbox, created_at, updated_at)
         values ('wecom', '升级测试', 'wwupgrade', 'http://127.0.0.1', 'safe', true, now(), now()) returning id`,
      );
      const accountId = account.rows[0]!.id;
      for (const [id, name] of [['wm_a', '张伟'], ['wm_b', '微信用户']]) {
        await pglite.query(`insert into wecom_customers (account_id, external_userid, name, first_added_at, created_at, updated_at) values ($1, $2, $3, now(), now(), now())`, [accountId, id, name]);
      }
      const follows: [string, string, string, string][] = [
        ['wm_b', 'lisi', '李伟介绍', '2026-01-01T00:00:00Z'],
        ['wm_b', 'wangwu', '老客户', '2026-02-01T00:00:00Z'],
        ['wm_a', 'lisi', '', '2026-01-01T00:00:00Z'],
      ];
      for (const [id, userid, remark, at] of follows) {
        await pglite.query(
          `insert into wecom_customer_follows (account_id, external_userid, userid, remark, added_at, seen_at, updated_at) values ($1, $2, $3, $4, $5, now(), now())`,
          [accountId, id, userid, remark, at],
        );
      }

      await migrate(db, { migrationsFolder });

      const rows = await pglite.query<{ external_userid: string; remarks: string }>(`select external_userid, remarks from wecom_customers order by external_userid`);
      expect(rows.rows).toEqual([
        { external_userid: 'wm_a', remarks: '' },
        { external_userid: 'wm_b', remarks: '李伟介绍\n老客户' },
      ]);
      const found = async (q: string) =>
        (await pglite.query<{ external_userid: string }>(`select external_userid from wecom_customers where search_grams @> qiao_query_grams($1) order by 1`, [q])).rows.map((r) => r.external_userid);
      expect(await found('伟')).toEqual(['wm_a', 'wm_b']);
      expect(await found('老客')).toEqual(['wm_b']);
      expect(await found('张伟')).toEqual(['wm_a']);
    } finally {
      await pglite.close();
    }
  });
});

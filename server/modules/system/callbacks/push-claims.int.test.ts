import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { setupRoot, type Caller } from '../../../../test/support/callers';
import { anotherInstance, useTestApp } from '../../../../test/support/test-app';
import type { QiaoApp } from '../../../app';
import { connectOfficialAccount, deliver, oaPush, oaXml, readAnswer } from './callback-test-kit';

// The file's own app connects accounts and never handles a push, so it never joins the database as a push handler.
const t = useTestApp();
let root: Caller;

beforeEach(async () => {
  root = await setupRoot(t().app);
});

// Instances that share PostgreSQL but no cache: the log row claims a push first, but only once another instance is there.
describe.skipIf(!process.env.TEST_DATABASE_URL)('claiming pushes on PostgreSQL without Redis', () => {
  const instance = () => anotherInstance(t(), { callbackBudgetMs: 4500 });

  /** The states of the push's log rows while its handler runs. */
  function rowsSeenByHandler(app: QiaoApp, seen: string[][]): void {
    app.callbacks.subscribe('official-account.text', async (context) => {
      const rows = await t().db.handle.db.execute<{ state: string }>(sql`select state from callback_messages where dedupe_key = ${context.event.dedupeKey}`);
      seen.push(rows.rows.map((row) => row.state));
      return { type: 'text', content: `收到：${context.event.content}` };
    });
  }

  it('writes the row once, after the handlers, while alone; claims it first once another instance has joined', async () => {
    const id = await connectOfficialAccount(t().app, root);
    const first = await instance();
    const second = await instance();
    try {
      const seen: string[][] = [];
      rowsSeenByHandler(first.app, seen);
      rowsSeenByHandler(second.app, seen);
      expect(readAnswer((await deliver(first.app, oaPush(id, oaXml({ MsgType: 'text', Content: '独自', MsgId: '9401' })))).body)).toMatchObject({ kind: 'message' });
      expect(seen).toEqual([[]]);
      // The second instance's first push waits until the first shares the database; from then on both claim with the row.
      expect(readAnswer((await deliver(second.app, oaPush(id, oaXml({ MsgType: 'text', Content: '加入', MsgId: '9402' })))).body)).toMatchObject({ kind: 'message' });
      expect(readAnswer((await deliver(first.app, oaPush(id, oaXml({ MsgType: 'text', Content: '共享', MsgId: '9403' })))).body)).toMatchObject({ kind: 'message' });
      expect(seen).toEqual([[], ['processing'], ['processing']]);
    } finally {
      await first.close();
      await second.close();
    }
  });
});

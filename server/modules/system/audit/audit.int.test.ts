import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../../../test/support/test-app';
import { setupRoot, userSession } from '../../../../test/support/callers';
import { verifyAuditChain } from './audit.service';

const t = useTestApp();
const corp = (departmentId: number) => ({ accountId: 'corp', departmentId });

async function exec(query: string) {
  return t().db.handle.db.execute(sql.raw(query));
}

async function seedActivity() {
  const { app } = t();
  const root = await setupRoot(app);
  const east = await userSession(app, root, { username: 'east', role: 'dept_admin', departmentScopes: [corp(2)] });
  const inside = await userSession(app, root, { username: 'inside', role: 'member', departmentScopes: [corp(2)] });
  const outside = await userSession(app, root, { username: 'outside', role: 'member', departmentScopes: [corp(4)] });
  for (const caller of [inside, outside]) await app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: caller.headers, payload: { name: 'k' } });
  return { root, east, inside, outside };
}

describe('the audit log', () => {
  it('records who did what, from where, with which request', async () => {
    const { app } = t();
    const root = await setupRoot(app);
    await app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: { ...root.headers, 'user-agent': 'qiao-test/1', 'x-request-id': 'req-42' }, payload: { name: 'k' }, remoteAddress: '192.0.2.7' });
    const page = (await app.inject({ method: 'GET', url: '/api/v1/audit-log?action=api_keys.create', headers: root.headers })).json();
    expect(page.items).toEqual([
      expect.objectContaining({ actorType: 'user', actorId: root.userId, actorName: 'root', action: 'api_keys.create', outcome: 'ok', targetType: 'api_key', ip: '192.0.2.7', userAgent: 'qiao-test/1', requestId: 'req-42' }),
    ]);
    expect(page.items[0].hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lists newest first with cursor paging and filters', async () => {
    const { app } = t();
    const { root } = await seedActivity();
    const all = (await app.inject({ method: 'GET', url: '/api/v1/audit-log?limit=500', headers: root.headers })).json().items;
    const seqs = all.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));

    const paged: number[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/audit-log?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await app.inject({ method: 'GET', url, headers: root.headers })).json();
      paged.push(...page.items.map((e: { seq: number }) => e.seq));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(seqs.filter((s: number) => s <= paged[0]!));

    const byActor = (await app.inject({ method: 'GET', url: '/api/v1/audit-log?actor=inside', headers: root.headers })).json().items;
    expect(byActor.length).toBeGreaterThan(0);
    expect(byActor.every((e: { actorName: string }) => e.actorName === 'inside')).toBe(true);
    const refused = (await app.inject({ method: 'GET', url: '/api/v1/audit-log?outcome=refused', headers: root.headers })).json().items;
    expect(refused).toEqual([]);
    const byTarget = (await app.inject({ method: 'GET', url: '/api/v1/audit-log?targetType=api_key', headers: root.headers })).json().items;
    expect(byTarget).toHaveLength(2);
    const future = new Date(Date.now() + 86_400_000).toISOString();
    expect((await app.inject({ method: 'GET', url: `/api/v1/audit-log?from=${future}`, headers: root.headers })).json().items).toEqual([]);
    expect((await app.inject({ method: 'GET', url: '/api/v1/audit-log?from=yesterday', headers: root.headers })).statusCode).toBe(400);
  });

  it('shows a dept_admin only entries by itself and by users in its scopes', async () => {
    const { app } = t();
    const { east } = await seedActivity();
    const items = (await app.inject({ method: 'GET', url: '/api/v1/audit-log?limit=500', headers: east.headers })).json().items;
    const actors = new Set(items.map((e: { actorName: string }) => e.actorName));
    expect([...actors].sort()).toEqual(['east', 'inside']);
  });

  it('refuses a member the audit log and the verification', async () => {
    const { app } = t();
    const { inside, east } = await seedActivity();
    expect((await app.inject({ method: 'GET', url: '/api/v1/audit-log', headers: inside.headers })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/v1/audit-log/verify', headers: east.headers })).statusCode).toBe(403);
  });
});

describe('chain verification', () => {
  it('verifies an untouched chain', async () => {
    const { app } = t();
    const { root } = await seedActivity();
    const before = await verifyAuditChain(t().db.handle.db);
    expect(before.ok).toBe(true);
    const response = await app.inject({ method: 'POST', url: '/api/v1/audit-log/verify', headers: root.headers });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true, checked: before.checked });
  });

  it('reports the seq of an entry edited with raw SQL', async () => {
    const { app } = t();
    const { root } = await seedActivity();
    const total = (await verifyAuditChain(t().db.handle.db)).checked;
    await exec(`UPDATE audit_log SET actor_name = 'someone-else' WHERE seq = 4`);
    const response = await app.inject({ method: 'POST', url: '/api/v1/audit-log/verify', headers: root.headers });
    expect(response.json()).toEqual({ ok: false, checked: 3, brokenAt: 4 });
    expect(total).toBeGreaterThan(4);
  });

  it('reports a changed summary or timestamp, and a deleted entry', async () => {
    const { db } = t();
    await seedActivity();
    await exec(`UPDATE audit_log SET summary = jsonb_set(summary, '{tampered}', 'true') WHERE seq = 2`);
    expect(await verifyAuditChain(db.handle.db)).toMatchObject({ ok: false, brokenAt: 2 });
    await exec(`DELETE FROM audit_log WHERE seq <= 2`);
    expect(await verifyAuditChain(db.handle.db)).toMatchObject({ ok: false, brokenAt: 1 });
  });

  it('catches a re-timed entry', async () => {
    const { db } = t();
    await seedActivity();
    await exec(`UPDATE audit_log SET at = at - interval '1 day' WHERE seq = 3`);
    expect(await verifyAuditChain(db.handle.db)).toMatchObject({ ok: false, brokenAt: 3 });
    await exec(`DELETE FROM audit_log WHERE seq = 3`);
    expect(await verifyAuditChain(db.handle.db)).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('keeps the chain intact under concurrent writers', async () => {
    const { app, db } = t();
    const root = await setupRoot(app);
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: root.headers, payload: { name: `k${i}` } })),
    );
    const result = await verifyAuditChain(db.handle.db);
    expect(result.ok).toBe(true);
    expect(result.checked).toBe(13);
  });
});

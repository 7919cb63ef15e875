import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { setupRoot } from '../test/support/callers';
import { useTestApp } from '../test/support/test-app';
import { connectSandboxOnFirstBoot } from './first-boot';
import { finishedJob } from './modules/official-account/followers/followers-test-kit';
import { followerSyncJob } from './modules/official-account/followers';
import type { FollowerPage } from './modules/official-account/followers/followers.schema';
import { createLogger } from './platform/logger';

/** A port nobody listens on now: the sandbox account's API base URL must point at this app, so it is known before the build. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const port = await freePort();
const t = useTestApp({ startQueue: true, env: { QIAO_PUBLIC_URL: `http://127.0.0.1:${port}` } });

describe('first boot', () => {
  it("connects the sandbox Official Account and queues its follower sync, so the console's follower list is filled", async () => {
    const { app, queue } = t();
    // main.ts's order: connect (queueing the sync) with the workers running, listen afterwards. The
    // sync's first calls reach a port nobody answers yet; the job must wait and try again, not fail.
    await connectSandboxOnFirstBoot({ sandbox: app.sandbox, wecomSandbox: app.wecomSandbox, accounts: app.accounts.service, population: 40, logger: createLogger('silent'), queue });
    const jobs = await queue.list({ kind: followerSyncJob, limit: 10 });
    expect(jobs.items).toHaveLength(1);
    const job = jobs.items[0]!;
    const until = Date.now() + 30_000;
    while ((await queue.get(job.id)).startedAt === null && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await app.listen({ port, host: '127.0.0.1' });
    const root = await setupRoot(app);
    expect(await finishedJob(app, root, job.id, 120_000)).toMatchObject({ state: 'succeeded', done: 40 });

    const listed = await app.inject({ method: 'GET', url: `/api/v1/official-accounts/${job.accountId}/followers?limit=5&withTotal=true`, headers: root.headers });
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json() as FollowerPage).toMatchObject({ total: 40, items: expect.arrayContaining([expect.objectContaining({ subscribed: true })]) });

    // A second boot finds the world populated: nothing is connected or queued again.
    await connectSandboxOnFirstBoot({ sandbox: app.sandbox, wecomSandbox: app.wecomSandbox, accounts: app.accounts.service, population: 40, logger: createLogger('silent'), queue });
    expect((await queue.list({ kind: followerSyncJob, limit: 10 })).items).toHaveLength(1);
  }, 180_000);
});

import { describe, expect, it } from 'vitest';
import { setupRoot } from '../../test/support/callers';
import { useTestApp } from '../../test/support/test-app';
import { connectSandboxCorp, listenForCallbacks } from '../../test/support/wecom-corp-kit';
import { runQiao } from '../../test/support/cli-runner';

const t = useTestApp({ startQueue: true });

function qiao(args: string[], env: Record<string, string>) {
  return runQiao(args, env, 'qiao-cli-contact-ways');
}

describe('qiao contact-ways', () => {
  it('creates a code for the given members and lists it; a refusal exits non-zero with its code', async () => {
    const app = t().app;
    const root = await setupRoot(app);
    const base = await listenForCallbacks(app);
    const corp = await connectSandboxCorp(app, base, root, { departments: 1, members: 3 });
    const sync = await app.inject({ method: 'POST', url: `/api/v1/wecom/${corp.accountId}/departments/sync`, headers: root.headers });
    const jobId = (sync.json() as { job: { id: string } }).job.id;
    for (let state = ''; state !== 'succeeded'; ) {
      state = ((await app.inject({ method: 'GET', url: `/api/v1/jobs/${jobId}`, headers: root.headers })).json() as { state: string }).state;
      expect(state).not.toBe('failed');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const key = (await app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: root.headers, payload: { name: 'cli' } })).json() as { key: string };
    const env = { QIAO_URL: base, QIAO_API_KEY: key.key };

    const created = await qiao(['contact-ways', 'create', '--name', '门店', '--userid', 'user00001', '--userid', 'user00002', '--state', 'shop', '--skip-verify', '--json'], env);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ name: '门店', type: 'multi', userids: ['user00001', 'user00002'], state: 'shop', skipVerify: true });

    const listed = await qiao(['contact-ways', 'list'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/门店\s+multi\s+user00001, user00002\s+shop\s+0\s+0 0 0 0 0 0 0/);

    const refused = await qiao(['contact-ways', 'create', '--name', '门店2', '--userid', 'user00003', '--state', 'shop'], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('CONTACT_WAY_STATE_TAKEN');
  });
});

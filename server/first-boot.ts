import type { Logger } from 'pino';
import { followerSyncJob } from './modules/official-account/followers';
import type { AccountsService } from './modules/system/accounts';
import type { JobQueue } from './platform/queue';
import type { Sandbox } from './sandbox';
import type { WeComSandbox } from './sandbox/wecom';

/**
 * On a fresh data dir with the sandbox on, connects one sandbox Official Account
 * and one sandbox WeCom corp as ordinary accounts (through the accounts module,
 * with the sandbox's base URL), then points the sandbox's callbacks at them.
 * Does nothing once the sandbox world has its accounts.
 *
 * The Official Account's followers are then pulled by the ordinary sync job
 * (queued here, run by the workers once they start), so the follower list is
 * not empty on a fresh install and boot does not wait for the pull.
 */
export async function connectSandboxOnFirstBoot(deps: {
  sandbox: Sandbox;
  wecomSandbox: WeComSandbox;
  accounts: AccountsService;
  population: number;
  logger: Logger;
  /** Where the first follower sync is queued; without it the followers wait for a manual sync. */
  queue?: JobQueue;
}): Promise<void> {
  const boot = await deps.sandbox.bootstrap({ population: deps.population });
  if (boot.officialAccount) {
    const oa = boot.officialAccount;
    const account = await deps.accounts.create(null, { type: 'official_account', ...oa }, { sandbox: true });
    const url = account.callbacks[0]?.url;
    if (url) await deps.sandbox.setCallbackUrl(oa.appId, url);
    deps.logger.info({ accountId: account.id, appId: oa.appId }, 'connected the sandbox Official Account');
    if (deps.queue) {
      const job = await deps.queue.enqueue(followerSyncJob, { accountId: account.id }, { accountId: account.id });
      deps.logger.info({ accountId: account.id, jobId: job.id }, 'queued the first follower sync of the sandbox Official Account');
    }
  }
  const wecom = boot.wecom as
    | { name: string; corpId: string; apiBaseUrl: string; receivers: { receiver: string; secret: string; token: string; encodingAesKey: string }[] }
    | undefined;
  if (wecom) {
    const account = await deps.accounts.create(
      null,
      { type: 'wecom', name: wecom.name, corpId: wecom.corpId, apiBaseUrl: wecom.apiBaseUrl, receivers: wecom.receivers },
      { sandbox: true },
    );
    for (const callback of account.callbacks) {
      await deps.wecomSandbox.setCallbackUrl(wecom.corpId, callback.receiver, callback.url);
    }
    deps.logger.info({ accountId: account.id, corpId: wecom.corpId }, 'connected the sandbox WeCom corp');
  }
}

import type { ModuleDeps } from '../../../platform/module-deps';
import { createLazySecretBox, loadSecretKey, type SecretBox } from '../../../platform/secrets';
import { createAccessTokenRepository, createDatabaseWeChatClient, type WeChatClient } from '../../../wechat/client';
import { createAccountsRepository } from './accounts.repository';
import { createAccountsRoutes } from './accounts.routes';
import { createAccountsService } from './accounts.service';

export type { Account, AccountTestResult, AccountType, CreateAccountBody, EncryptMode, UpdateAccountBody } from './accounts.schema';
export type { AccountsService, ReceiverCredentials } from './accounts.service';
export { officialAccountReceiver, wecomReceiverFor } from './credentials';

/**
 * Connected accounts: routes under /api/v1/accounts and the service other
 * modules use to reach an account's credentials and its WeChat identity.
 * `secrets` and `wechat` default to the data dir's key and a database-backed
 * client; app.ts may pass shared ones.
 */
export function createAccountsModule(deps: ModuleDeps & { secrets?: SecretBox; wechat?: WeChatClient }) {
  const secrets = deps.secrets ?? createLazySecretBox(() => loadSecretKey(deps.config));
  const wechat = deps.wechat ?? createDatabaseWeChatClient({ db: deps.db, cache: deps.cache, clock: deps.clock, logger: deps.logger, secrets });
  const service = createAccountsService({
    repository: createAccountsRepository(deps.db),
    secrets,
    wechat,
    tokenStore: createAccessTokenRepository(deps.db, secrets),
    audit: deps.audit,
    clock: deps.clock,
    config: deps.config,
  });
  return { routes: createAccountsRoutes(service), service, wechat, secrets };
}

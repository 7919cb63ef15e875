import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { Logger } from 'pino';
import type { Cache } from './platform/cache/cache';
import type { Clock } from './platform/clock';
import type { Config } from './platform/config';
import type { DatabaseHandle } from './platform/db/client';
import { installAccessGuard } from './platform/http/access';
import { createHttpServer, type App } from './platform/http/create-server';
import type { PlatformDeps } from './platform/module-deps';
import { projectRoot } from './platform/project-root';
import type { JobQueue } from './platform/queue/job-queue';
import { createSystemModule } from './modules/system';
import { createJobsModule } from './modules/system/jobs';
import { createAccountsModule } from './modules/system/accounts';
import { createApiCallsModule } from './modules/system/api-calls';
import { createCallbacksModule, pushClaimsFor } from './modules/system/callbacks';
import { createMessagesModule } from './modules/system/messages';
import { createAutoRepliesModule } from './modules/official-account/auto-replies';
import { createProfileModule } from './modules/official-account/profile';
import { createMenusModule } from './modules/official-account/menus';
import { createFollowersModule } from './modules/official-account/followers';
import { createTagsModule } from './modules/official-account/tags';
import { createBroadcastsModule } from './modules/official-account/broadcasts';
import { createInboxModule } from './modules/official-account/inbox';
import { createDepartmentsModule } from './modules/wecom/departments';
import { createMembersModule } from './modules/wecom/members';
import { createMemberImportModule } from './modules/wecom/member-import';
import { createDirectorySyncModule } from './modules/wecom/directory-sync';
import { createCustomersModule } from './modules/wecom/customers';
import { createFollowUpsModule } from './modules/wecom/follow-ups';
import { createQuickRepliesModule } from './modules/wecom/quick-replies';
import { createContactWaysModule, createWelcomeLine } from './modules/wecom/contact-ways';
import { createCustomerTransfersModule } from './modules/wecom/customer-transfers';
import { createAssignmentRulesModule } from './modules/wecom/assignment-rules';
import { createCustomerTagsModule } from './modules/wecom/customer-tags';
import { createGroupChatsModule } from './modules/wecom/group-chats';
import { createSandbox } from './sandbox';
import { createWeComSandbox, type WeComSandbox } from './sandbox/wecom';

export interface AppDeps {
  config: Config;
  database: DatabaseHandle;
  cache: Cache;
  queue: JobQueue;
  clock: Clock;
  logger: Logger;
  /** Where the built console lives; tests without a build leave it unset. */
  consoleDir?: string;
}

export const defaultConsoleDir = join(projectRoot, 'dist/console');
export const appVersion = '0.1.0';

/** Wires every part of Qiao onto one Fastify instance; never listens. */
export async function buildApp(deps: AppDeps) {
  const platform: PlatformDeps = {
    config: deps.config,
    db: deps.database.db,
    cache: deps.cache,
    queue: deps.queue,
    clock: deps.clock,
    logger: deps.logger,
  };
  const app = await createHttpServer({
    logger: deps.logger,
    bodyLimitBytes: deps.config.bodyLimitBytes,
    publicBaseUrl: deps.config.publicBaseUrl,
    version: appVersion,
  });

  const system = createSystemModule(platform);
  installAccessGuard(app, { authenticator: system.authenticator, refusals: system.refusals });
  const moduleDeps = { ...platform, audit: system.audit };
  const jobs = createJobsModule(moduleDeps);
  const accounts = createAccountsModule(moduleDeps);

  await app.register(system.routes);
  await app.register(jobs.routes);
  await app.register(accounts.routes);
  const messages = createMessagesModule({ ...moduleDeps, accounts: accounts.service });
  const callbacks = createCallbacksModule({
    ...moduleDeps,
    accounts,
    messages,
    claims: pushClaimsFor({ database: deps.database, cache: deps.cache, logger: deps.logger.child({ module: 'callbacks' }) }),
  });
  await app.register(messages.routes);
  await app.register(callbacks.routes);
  const autoReplies = createAutoRepliesModule({ ...moduleDeps, accounts, callbacks });
  await app.register(autoReplies.routes);
  // Profile first: other Official Account modules ask it for account type and locked features.
  const oaProfile = createProfileModule({ ...moduleDeps, accounts: accounts.service });
  await app.register(oaProfile.routes);
  await app.register(createMenusModule({ ...moduleDeps, accounts: accounts.service, wechat: accounts.wechat, profile: oaProfile.service }).routes);
  // Followers before pushes and the inbox: they read its `audience`.
  const oaFollowers = createFollowersModule({ ...moduleDeps, accounts, messages, callbacks, pullTags: (accountId) => oaTags.service.pull(accountId) });
  const oaTags = createTagsModule({ ...moduleDeps, accounts, callbacks, followers: oaFollowers });
  await app.register(oaFollowers.routes);
  await app.register(oaTags.routes);
  const oaBroadcasts = createBroadcastsModule({
    ...moduleDeps,
    accounts,
    callbacks,
    accountTypeOf: async (accountId) => (await oaProfile.service.getProfile(accountId)).accountType,
    followers: oaFollowers.audience,
  });
  await app.register(oaBroadcasts.routes);
  const stopBroadcastScheduler = oaBroadcasts.startScheduler();
  app.addHook('onClose', async () => stopBroadcastScheduler());
  const oaInbox = createInboxModule({ ...moduleDeps, accounts, callbacks, findFollower: (accountId, openId) => oaFollowers.audience.findFollower(accountId, openId) });
  await app.register(oaInbox.routes);
  await app.register(createApiCallsModule({ db: deps.database.db, accounts: accounts.service }).routes);
  // WeCom directory: departments first (members build on them); the policy then walks the real tree.
  const wecomDepartments = createDepartmentsModule({ ...moduleDeps, accounts: accounts.service });
  const wecomMembers = createMembersModule({ ...moduleDeps, departments: wecomDepartments.service });
  await app.register(wecomDepartments.routes);
  await app.register(wecomMembers.routes);
  system.useDirectory({ tree: wecomDepartments.service, members: wecomMembers.service });
  await app.register(createMemberImportModule({ ...moduleDeps, departments: wecomDepartments.service, members: wecomMembers.service }).routes);
  const wecomDirectorySync = createDirectorySyncModule({
    ...moduleDeps,
    departments: wecomDepartments.service,
    members: wecomMembers.service,
    wechat: accounts.wechat,
    accounts: accounts.service,
    subscribe: callbacks.subscribe,
  });
  await app.register(wecomDirectorySync.routes);
  // add_external_contact: the welcome (its code dies 20 s after the event) goes first; the customer record and assignment rules follow in its line.
  const welcomeLine = createWelcomeLine({ logger: deps.logger });
  const afterWelcome = welcomeLine.subscribeAfterWelcome(callbacks.subscribe);
  app.addHook('onClose', async () => welcomeLine.drain(25_000));
  const wecomCustomers = createCustomersModule({
    ...moduleDeps,
    wechat: accounts.wechat,
    accounts: accounts.service,
    departments: wecomDepartments.service,
    members: wecomMembers.service,
    subscribe: afterWelcome,
  });
  await app.register(wecomCustomers.routes);
  const stopCustomerPurge = wecomCustomers.startPurgeScheduler();
  app.addHook('onClose', async () => stopCustomerPurge());
  // Welcomes, transfers and follow-ups tell their part on the customer's timeline through the customers service.
  const wecomFollowUps = createFollowUpsModule({ ...moduleDeps, accounts, departments: wecomDepartments.service, members: wecomMembers.service, policyTree: () => system.directory().tree, timeline: wecomCustomers.service });
  await app.register(wecomFollowUps.routes);
  const stopFollowUpReminders = wecomFollowUps.startScheduler();
  app.addHook('onClose', async () => stopFollowUpReminders());
  await app.register(createQuickRepliesModule({ ...moduleDeps, accounts, departments: wecomDepartments.service, members: wecomMembers.service, customers: wecomCustomers.service }).routes);
  // Tags put on a customer through WeCom's API come with no callback: Qiao's copy of the customer is re-read.
  const tagsMarked = (accountId: string, externalUserId: string) => wecomCustomers.service.refreshFromWeCom(accountId, externalUserId);
  const wecomContactWays = createContactWaysModule({ ...moduleDeps, wechat: accounts.wechat, accounts: accounts.service, members: wecomMembers.service, departments: wecomDepartments.service, subscribe: callbacks.subscribe, line: welcomeLine, timeline: wecomCustomers.service, tagsMarked });
  await app.register(wecomContactWays.routes);
  const stopWelcomeSweep = wecomContactWays.startWelcomeSweep();
  app.addHook('onClose', async () => stopWelcomeSweep());
  const wecomCustomerContactDeps = { ...moduleDeps, wechat: accounts.wechat, accounts: accounts.service, departments: wecomDepartments.service, members: wecomMembers.service, subscribe: callbacks.subscribe };
  const wecomCustomerTags = createCustomerTagsModule({ ...wecomCustomerContactDeps, tagsMarked });
  await app.register(wecomCustomerTags.routes);
  // A member's follow-up note may carry a keyword of the customer-tag rules.
  wecomFollowUps.onFollowUpWritten((written) => wecomCustomerTags.applyKeywordRules(written.accountId, written.userid, written.externalUserId, written.note).then(() => undefined));
  const wecomGroupChats = createGroupChatsModule(wecomCustomerContactDeps);
  await app.register(wecomGroupChats.routes);
  const wecomTransfers = createCustomerTransfersModule({ ...wecomCustomerContactDeps, timeline: wecomCustomers.service });
  await app.register(wecomTransfers.routes);
  const wecomAssignmentRules = createAssignmentRulesModule({ ...wecomCustomerContactDeps, subscribe: afterWelcome, contactWays: wecomContactWays.service, transfers: wecomTransfers.service });
  await app.register(wecomAssignmentRules.routes);
  // A customer the retention purge deletes takes every record about it along, in the purge's transaction.
  for (const module of [wecomFollowUps, wecomContactWays, wecomCustomerTags, wecomGroupChats, wecomTransfers, wecomAssignmentRules]) wecomCustomers.onCustomersPurged(module.purgeCustomers);
  const stopTransferSchedulers = [wecomTransfers.startScheduler(), wecomAssignmentRules.startScheduler()];
  app.addHook('onClose', async () => stopTransferSchedulers.forEach((stop) => stop()));
  const stopWelcomeMediaRefresh = wecomContactWays.startMediaRefresh();
  app.addHook('onClose', async () => stopWelcomeMediaRefresh());
  const stopStuckCodeSweep = wecomContactWays.startStuckSweep();
  app.addHook('onClose', async () => stopStuckCodeSweep());
  let wecomSandbox: WeComSandbox | undefined;
  const sandbox = createSandbox(platform, { plugins: [(ctx) => (wecomSandbox = createWeComSandbox(ctx)).product] });
  await app.register(sandbox.routes);

  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    const ready = deps.queue.isRunning() && (await databaseAnswers(deps.database));
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'starting' });
  });

  await serveConsole(app, deps.consoleDir);
  return Object.assign(app, { system, accounts, messages, callbacks, oaBroadcasts, oaInbox, sandbox, wecomSandbox: wecomSandbox!, wecomDepartments, wecomMembers, wecomDirectorySync, wecomFollowUps, wecomCustomers, wecomCustomerTags, wecomContactWays });
}

async function databaseAnswers(database: DatabaseHandle): Promise<boolean> {
  try {
    if (database.kind === 'pglite') await database.pglite.query('select 1');
    else await database.pool.query('select 1');
    return true;
  } catch {
    return false;
  }
}

/** The console is a single-page app: unknown non-API paths get its index.html. */
async function serveConsole(app: App, consoleDir: string | undefined): Promise<void> {
  if (!consoleDir || !existsSync(consoleDir)) return;
  await app.register(fastifyStatic, { root: consoleDir, prefix: '/', wildcard: false, index: ['index.html'] });
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (/^\/(api|wechat|sandbox)(\/|$)/.test(path) || /\.[a-z0-9]+$/i.test(path)) {
      return reply.callNotFound();
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}

export type QiaoApp = Awaited<ReturnType<typeof buildApp>>;

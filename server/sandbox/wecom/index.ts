import type { SandboxContext, SandboxPlugin, SandboxProduct } from '../core';
import { createAppMessages } from './app-messages';
import { createApprovals, weComApprovalApiRoutes, weComApprovalControlRoutes } from './approvals';
import { createApprovalsRepository } from './approvals.repository';
import { weComApiRoutes } from './api.routes';
import { createBatchJobs, immediateScheduler, type StepScheduler } from './batch-jobs';
import { contactWayQrRoutes } from './contact-way-qr.routes';
import { contactWayControlRoutes } from './contact-ways.control';
import { createContactWaysViewRepository } from './contact-ways-view.repository';
import { weComControlRoutes } from './control.routes';
import { createCorpTagEvents } from './corp-tag-events';
import { corpTagControlRoutes } from './corp-tags.control';
import { createCustomerContact } from './customer-contact';
import { createDirectory } from './directory';
import { createGroupChats } from './group-chats';
import { createGroupChatsRepository } from './group-chats.repository';
import { createPushes } from './pushes';
import { createTransfers, weComTransferApiRoutes, weComTransferControlRoutes } from './transfers';
import { createWeComRepository } from './wecom.repository';
import { createWorld, pushTarget, type CorpSpec, type CorpView } from './world';

export type { CorpView, ReceiverView } from './world';

/** What Qiao needs to connect a sandbox corp as an ordinary WeCom account, one receiver per secret. */
export interface WeComConnection {
  name: string;
  corpId: string;
  apiBaseUrl: string;
  receivers: { receiver: string; secret: string; token: string; encodingAesKey: string }[];
}

export interface WeComSandboxOptions {
  /** How batch-job steps are run later; tests pass a manual one to observe each state. */
  schedule?: StepScheduler;
}

/** The corp the first boot creates: one app (1000002), contacts and customer contact, a department tree, members, customers. */
export const firstCorp = { name: '桥沙箱科技有限公司', departments: 12, members: 40 } as const satisfies CorpSpec;

export function connectionOf(corp: CorpView, apiBaseUrl: string): WeComConnection {
  return {
    name: corp.name,
    corpId: corp.corpId,
    apiBaseUrl,
    receivers: corp.receivers.map((r) => ({ receiver: r.receiver, secret: r.secret, token: r.token, encodingAesKey: r.encodingAesKey })),
  };
}

/** The WeCom side of the sandbox: qyapi.weixin.qq.com's endpoints, the simulated corps, their control API. */
export function createWeComSandbox(ctx: SandboxContext, options: WeComSandboxOptions = {}) {
  const repository = createWeComRepository(ctx.db);
  const pushes = createPushes({ callbacks: ctx.callbacks, clock: ctx.clock });
  const world = createWorld({ repository, clock: ctx.clock, pushes });
  const directory = createDirectory({ repository, clock: ctx.clock });
  const customers = createCustomerContact({ repository, clock: ctx.clock });
  const messages = createAppMessages({ repository, clock: ctx.clock });
  const groupChats = createGroupChats({ repository, chats: createGroupChatsRepository(ctx.db), clock: ctx.clock, pushes });
  const tagEvents = createCorpTagEvents({ repository, pushes, logger: ctx.logger });
  const transfers = createTransfers({ db: ctx.db, clock: ctx.clock, pushes });
  const approvals = createApprovals({ repository, approvals: createApprovalsRepository(ctx.db), clock: ctx.clock, pushes });
  const jobs = createBatchJobs({
    repository,
    clock: ctx.clock,
    logger: ctx.logger,
    pushes,
    schedule: options.schedule ?? immediateScheduler,
    async contactsTarget(corpId) {
      const receiver = await repository.findReceiver(corpId, 'contacts');
      return receiver ? pushTarget(receiver) : null;
    },
  });
  const apiBaseUrl = `${ctx.config.publicBaseUrl}/sandbox/wecom`;

  /** First boot: one corp when none exists; answers what to connect (nothing when a corp exists). */
  async function bootstrapWeCom(population = 200): Promise<WeComConnection | null> {
    if ((await world.listCorps()).length > 0) return null;
    const corp = await world.createCorp({ ...firstCorp, customers: population });
    await approvals.seedTemplates(corp.corpId);
    return connectionOf(corp, apiBaseUrl);
  }

  const product: SandboxProduct = {
    product: 'wecom',
    async apiRoutes(app) {
      await weComApiRoutes(ctx, { repository, directory, customers, messages, jobs, groupChats })(app);
      await contactWayQrRoutes(app, { repository });
      await weComTransferApiRoutes(ctx, transfers)(app);
      await weComApprovalApiRoutes(ctx, approvals)(app);
      await jobs.resume();
    },
    async controlRoutes(app) {
      await weComControlRoutes(app, { world, apiBaseUrl, groupChats });
      await weComTransferControlRoutes(app, transfers);
      await weComApprovalControlRoutes(app, approvals);
      contactWayControlRoutes(app, createContactWaysViewRepository(ctx.db));
      corpTagControlRoutes(app, { repository, customers, tagEvents });
    },
    async bootstrap(bootstrapOptions) {
      const connection = await bootstrapWeCom(bootstrapOptions.population);
      return connection ? { wecom: { ...connection, apiBaseUrl: bootstrapOptions.apiBaseUrl('wecom') } } : {};
    },
  };

  return {
    product,
    world,
    jobs,
    bootstrapWeCom,
    /** Points one receiver of a sandbox corp at Qiao's callback URL (what an admin types into the WeCom console). */
    async setCallbackUrl(corpId: string, receiver: string, callbackUrl: string): Promise<void> {
      await world.updateReceiver(corpId, receiver, { callbackUrl });
    },
  };
}

export type WeComSandbox = ReturnType<typeof createWeComSandbox>;

/** The plugin `createSandbox` lists: `createSandbox(deps, { plugins: [registerWeComSandbox] })`. */
export const registerWeComSandbox: SandboxPlugin = (ctx) => createWeComSandbox(ctx).product;

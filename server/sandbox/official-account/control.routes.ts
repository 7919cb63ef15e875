import { z } from 'zod';
import { AppError } from '../../../common/errors';
import { text } from '../../../common/text';
import type { App } from '../../platform/http/create-server';
import type { AccountRow, OaRepository } from './oa.repository';
import type { PublishRepository } from './publish.repository';
import type { ActionOutcome, OaWorld } from './world';
import { publishStatuses } from '../../wechat/official-account';

const httpUrl = text(1024).refine((value) => {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}, 'must be an http(s) URL');

const encryptMode = z.enum(['plain', 'compatible', 'safe']);
const token = z.string().regex(/^[A-Za-z0-9]{3,32}$/, 'letters and digits, 3 to 32');
const encodingAesKey = z.string().regex(/^[A-Za-z0-9]{43}$/, '43 letters and digits');

export const sandboxAccountSchema = z.object({
  appId: z.string(),
  appSecret: z.string(),
  originalId: z.string(),
  name: z.string(),
  accountType: z.string(),
  token: z.string(),
  encodingAesKey: z.string(),
  encryptMode,
  callbackUrl: z.string().nullable(),
  followersTotal: z.number(),
  apiBaseUrl: z.string(),
  createdAt: z.string(),
});

const createBody = z.strictObject({
  appId: z.string().regex(/^wx[A-Za-z0-9]{16}$/, 'wx followed by 16 letters or digits').optional(),
  appSecret: z.string().regex(/^[A-Za-z0-9]{32}$/, '32 letters or digits').optional(),
  name: text(64, 1).optional(),
  accountType: z.enum(['service', 'subscription']).optional(),
  token: token.optional(),
  encodingAesKey: encodingAesKey.optional(),
  encryptMode: encryptMode.optional(),
  callbackUrl: httpUrl.nullable().optional(),
  followers: z.number().int().min(0).max(1_000_000).optional(),
});

const patchBody = z.strictObject({
  name: text(64, 1).optional(),
  token: token.optional(),
  encodingAesKey: encodingAesKey.optional(),
  encryptMode: encryptMode.optional(),
  callbackUrl: httpUrl.nullable().optional(),
});

const appParams = z.strictObject({ appId: text(32, 1) });
const followerParams = z.strictObject({ appId: text(32, 1), openId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an OpenID') });

const inboxItem = z.object({ id: z.string(), source: z.string(), msgType: z.string(), content: z.unknown(), createdAt: z.string() });
const outcomeSchema = z.object({
  delivery: z.object({ attempts: z.number(), status: z.string(), latencyMs: z.number() }).nullable(),
  received: z.array(inboxItem),
});

const messageBody = z.strictObject({
  type: z.enum(['text', 'image', 'voice', 'video', 'shortvideo', 'location', 'link']),
  content: text(2048),
});
const clickBody = z.union([z.strictObject({ key: text(128, 1) }), z.strictObject({ url: text(1024, 1) })]);
const scanBody = z.strictObject({ scene: z.union([text(64, 1), z.number().int().min(1).max(4_294_967_295)]) });

const tags = ['sandbox'];
const access = { access: 'sandbox.control' as const };

/** The MP admin console and the followers' phones, as an API: `/sandbox/control/official-accounts/...`. */
export async function officialAccountControlRoutes(
  app: App,
  deps: { world: OaWorld; repository: OaRepository; publishing: PublishRepository; apiBaseUrl: string },
): Promise<void> {
  const { world } = deps;
  const view = (row: AccountRow) => ({
    appId: row.appId,
    appSecret: row.appSecret,
    originalId: row.originalId,
    name: row.name,
    accountType: row.accountType,
    token: row.token,
    encodingAesKey: row.encodingAesKey,
    encryptMode: row.encryptMode as z.infer<typeof encryptMode>,
    callbackUrl: row.callbackUrl,
    followersTotal: row.followersTotal,
    apiBaseUrl: deps.apiBaseUrl,
    createdAt: row.createdAt.toISOString(),
  });
  const base = '/sandbox/control/official-accounts';

  app.get(base, {
    config: access,
    schema: { tags, summary: 'List sandbox Official Accounts (with their secrets: this is WeChat’s side)', response: { 200: z.object({ items: z.array(sandboxAccountSchema) }) } },
    handler: async () => ({ items: (await world.listAccounts()).map(view) }),
  });

  app.post(base, {
    config: access,
    schema: { tags, summary: 'Create a sandbox Official Account, optionally with existing followers', body: createBody, response: { 201: sandboxAccountSchema } },
    handler: async (request, reply) => {
      const { followers, ...input } = request.body;
      const account = await world.createAccount(input);
      if (followers) await world.generateFollowers(account.appId, followers);
      return reply.status(201).send(view(await world.getAccount(account.appId)));
    },
  });

  app.get(`${base}/:appId`, {
    config: access,
    schema: { tags, summary: 'Get a sandbox Official Account', params: appParams, response: { 200: sandboxAccountSchema } },
    handler: async (request) => view(await world.getAccount(request.params.appId)),
  });

  app.patch(`${base}/:appId`, {
    config: access,
    schema: { tags, summary: 'Change the callback URL, mode, token or EncodingAESKey (as in the MP admin console)', params: appParams, body: patchBody, response: { 200: sandboxAccountSchema } },
    handler: async (request) => view(await world.updateAccount(request.params.appId, request.body)),
  });

  app.post(`${base}/:appId/followers`, {
    config: access,
    schema: {
      tags,
      summary: 'Add existing followers (no events are pushed)',
      params: appParams,
      body: z.strictObject({ count: z.number().int().min(1).max(1_000_000) }),
      response: { 201: z.object({ added: z.number(), total: z.number() }) },
    },
    handler: async (request, reply) => reply.status(201).send(await world.generateFollowers(request.params.appId, request.body.count)),
  });

  app.get(`${base}/:appId/followers`, {
    config: access,
    schema: {
      tags,
      summary: 'Current followers, in OpenID order (what the phone simulator picks from)',
      params: appParams,
      querystring: z.strictObject({ cursor: text(128).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) }),
      response: { 200: z.object({ items: z.array(z.object({ openId: z.string() })), nextCursor: z.string().nullable(), total: z.number() }) },
    },
    handler: async (request) => {
      const account = await world.getAccount(request.params.appId);
      const { cursor, limit } = request.query;
      const openIds = await deps.repository.listOpenIds(account.appId, cursor ?? '', limit + 1);
      const page = openIds.slice(0, limit);
      return { items: page.map((openId) => ({ openId })), nextCursor: openIds.length > limit ? (page[page.length - 1] ?? null) : null, total: account.followersTotal };
    },
  });

  app.get(`${base}/:appId/followers/:openId/menu`, {
    config: access,
    schema: {
      tags,
      summary: 'The custom menu this follower sees (default or matching conditional menu); empty when none is published',
      params: followerParams,
      response: { 200: z.object({ button: z.array(z.record(z.string(), z.unknown())), menuId: z.string().nullable() }) },
    },
    handler: async (request) => {
      const { appId, openId } = request.params;
      await world.getAccount(appId);
      const follower = await deps.repository.findFollower(appId, openId);
      const menu = world.matchMenu(await deps.repository.listMenus(appId), follower);
      return { button: (menu?.button ?? []) as Record<string, unknown>[], menuId: menu?.conditional ? String(menu.menuId) : null };
    },
  });

  const action = (path: string, summary: string, body: z.ZodType | null, run: (params: z.infer<typeof followerParams>, body: never) => Promise<ActionOutcome>) => {
    app.post(`${base}/:appId/followers/:openId/${path}`, {
      config: access,
      schema: { tags, summary, params: followerParams, ...(body ? { body } : {}), response: { 200: outcomeSchema } },
      handler: async (request) => run(request.params, request.body as never),
    });
  };

  action('follow', 'The person follows the account (a new OpenID creates the follower); pushes `subscribe`', null, (p) => world.follow(p.appId, p.openId));
  action('unfollow', 'The follower unfollows; pushes `unsubscribe`', null, (p) => world.unfollow(p.appId, p.openId));
  action('messages', 'The follower sends a message; pushes it and reads the passive reply', messageBody, (p, b: z.infer<typeof messageBody>) =>
    world.sendMessage(p.appId, p.openId, b),
  );
  action('menu-clicks', 'The follower presses a menu button (by key or URL) of the menu they see', clickBody, (p, b: z.infer<typeof clickBody>) =>
    world.clickMenu(p.appId, p.openId, b),
  );
  action('scans', 'The person scans a parametric QR code: `SCAN` for a follower, `subscribe` with `qrscene_` otherwise', scanBody, (p, b: z.infer<typeof scanBody>) =>
    world.scan(p.appId, p.openId, String(b.scene)),
  );

  app.get(`${base}/:appId/followers/:openId/inbox`, {
    config: access,
    schema: {
      tags,
      summary: 'What the follower received, oldest first: passive replies, customer-service and mass messages, notices',
      params: followerParams,
      querystring: z.strictObject({ cursor: z.coerce.number().int().min(0).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }),
      response: { 200: z.object({ items: z.array(inboxItem), nextCursor: z.string().nullable() }) },
    },
    handler: async (request) => {
      const { cursor, limit } = request.query;
      const items = await world.inbox(request.params.appId, request.params.openId, cursor ?? 0, limit + 1);
      const page = items.slice(0, limit);
      return { items: page, nextCursor: items.length > limit ? (page[page.length - 1]?.id ?? null) : null };
    },
  });

  app.post(`${base}/:appId/publish-verdicts`, {
    config: access,
    schema: {
      tags,
      summary: 'Queue the platform review’s verdict for the next freepublish/submit (success by default): 2 originality, 3 failure, 4 rejected, with the failing articles',
      params: appParams,
      body: z.strictObject({
        status: z.union([z.literal(0), z.literal(2), z.literal(3), z.literal(4)]),
        failIdx: z.array(z.number().int().min(1).max(8)).max(8).optional(),
      }),
      response: { 201: z.object({ queued: z.literal(true) }) },
    },
    handler: async (request, reply) => {
      await world.getAccount(request.params.appId);
      await deps.publishing.queueVerdict({ appId: request.params.appId, status: request.body.status, failIdx: request.body.failIdx ?? [] });
      return reply.status(201).send({ queued: true as const });
    },
  });

  app.post(`${base}/:appId/publications/:publishId/ban`, {
    config: access,
    schema: {
      tags,
      summary: 'The platform bans a published article after publishing (publish_status 6)',
      params: z.strictObject({ appId: text(32, 1), publishId: z.coerce.number().int().min(1) }),
      response: { 200: z.object({ publishId: z.string(), publishStatus: z.number() }) },
    },
    handler: async (request) => {
      await world.getAccount(request.params.appId);
      const row = await deps.publishing.findPublication(request.params.appId, request.params.publishId);
      if (!row) throw new AppError('SANDBOX_PUBLICATION_NOT_FOUND', { publishId: String(request.params.publishId) });
      const moved = await deps.publishing.movePublication(row.publishId, [publishStatuses.success], { status: publishStatuses.bannedBySystem, updatedAt: new Date() });
      if (!moved) throw new AppError('SANDBOX_PUBLICATION_NOT_PUBLISHED', { publishId: String(row.publishId), status: String(row.status) });
      return { publishId: String(moved.publishId), publishStatus: moved.status };
    },
  });
}

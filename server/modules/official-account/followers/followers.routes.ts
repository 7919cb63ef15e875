import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { contextOf } from '../../system';
import {
  accountParamsSchema,
  followerDetailSchema,
  followerMessagePageSchema,
  followerMessagesQuerySchema,
  followerPageSchema,
  followerParamsSchema,
  listFollowersQuerySchema,
  startedJobSchema,
  updateFollowerBodySchema,
} from './followers.schema';
import type { FollowersService } from './followers.service';

const tags = ['official-account followers'];
const base = '/api/v1/official-accounts/:id/followers';

/** 粉丝管理: `/api/v1/official-accounts/{id}/followers`. */
export function followersRoutes(service: FollowersService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      base,
      {
        config: { access: 'official_account.read' },
        schema: {
          tags,
          summary: 'List followers',
          description:
            'Newest follow first, cursor paged. Filters: `tagId`, `subscribedFrom`/`subscribedTo` (date or date-time; a date covers the whole ' +
            'day in China time), `scene`, `language`, `region`, `q` (OpenID prefix or remark words), `status` (current followers by default). ' +
            '`withTotal=true` adds the count. Nickname and avatar are not available: WeChat stopped returning them in 2021.',
          params: accountParamsSchema,
          querystring: listFollowersQuerySchema,
          response: { 200: followerPageSchema },
        },
      },
      async (request) => service.list(request.params.id, request.query),
    );

    app.post(
      `${base}/sync`,
      {
        config: { access: 'official_account.write' },
        schema: {
          tags,
          summary: 'Sync every follower from WeChat (a job)',
          description: 'Pulls tags, then user/get pages and user/info in batches of 100; resumable. Poll `GET /api/v1/jobs/{id}`.',
          params: accountParamsSchema,
          response: { 202: startedJobSchema },
        },
      },
      async (request, reply) => reply.status(202).send(await service.startSync(contextOf(request), request.params.id)),
    );

    app.get(
      `${base}/:openId`,
      {
        config: { access: 'official_account.read' },
        schema: { tags, summary: 'Get a follower with their tags', params: followerParamsSchema, response: { 200: followerDetailSchema } },
      },
      async (request) => service.get(request.params.id, request.params.openId),
    );

    app.get(
      `${base}/:openId/messages`,
      {
        config: { access: 'official_account.read' },
        schema: {
          tags,
          summary: "A follower's message history",
          description: 'What the follower sent (messages and events) and what was answered, newest first.',
          params: followerParamsSchema,
          querystring: followerMessagesQuerySchema,
          response: { 200: followerMessagePageSchema },
        },
      },
      async (request) => service.messages(request.params.id, request.params.openId, request.query),
    );

    app.patch(
      `${base}/:openId`,
      {
        config: { access: 'official_account.write' },
        schema: {
          tags,
          summary: "Change a follower's remark (set on WeChat too)",
          description: 'WeChat takes remarks shorter than 30 characters.',
          params: followerParamsSchema,
          body: updateFollowerBodySchema,
          response: { 200: followerDetailSchema },
        },
      },
      async (request) => service.updateRemark(contextOf(request), request.params.id, request.params.openId, request.body.remark),
    );
  };
}

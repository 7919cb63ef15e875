import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { contextOf } from '../../system/audit';
import { accountParamsSchema, profileSchema, updateCertificationSchema, updateProfileSchema, uploadAvatarSchema } from './profile.schema';
import type { ProfileService } from './profile.service';

const tags = ['official-account'];
const base = '/api/v1/official-accounts/:accountId';

/** `/api/v1/official-accounts/{id}/profile` and `/certification`: what WeChat's API does not keep for Qiao. */
export function createProfileRoutes(service: ProfileService) {
  return async function profileRoutes(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.get(
      `${base}/profile`,
      {
        config: { access: 'official_account.read' },
        schema: { tags, summary: 'Profile, verification state, certification with reminders, and which features are locked', params: accountParamsSchema, response: { 200: profileSchema } },
      },
      async (request) => service.getProfile(request.params.accountId),
    );

    app.put(
      `${base}/profile`,
      {
        config: { access: 'official_account.write' },
        schema: { tags, summary: 'Change name, introduction or account type', params: accountParamsSchema, body: updateProfileSchema, response: { 200: profileSchema } },
      },
      async (request) => service.updateProfile(contextOf(request), request.params.accountId, request.body),
    );

    app.put(
      `${base}/profile/avatar`,
      {
        config: { access: 'official_account.write' },
        // A 2 MB image is about 2.7 MB in base64; the service names the limit when it is exceeded.
        bodyLimit: 6 * 1024 * 1024,
        schema: { tags, summary: 'Upload the avatar (PNG, JPEG, GIF or BMP, at most 2 MB), base64 in JSON', params: accountParamsSchema, body: uploadAvatarSchema, response: { 200: profileSchema } },
      },
      async (request) => service.uploadAvatar(contextOf(request), request.params.accountId, request.body),
    );

    app.get(
      `${base}/profile/avatar`,
      {
        config: { access: 'official_account.read' },
        schema: { tags, summary: 'The avatar image', params: accountParamsSchema },
      },
      async (request, reply) => {
        const avatar = await service.avatar(request.params.accountId);
        return reply.header('content-type', avatar.contentType).header('cache-control', 'private, max-age=300').send(avatar.bytes);
      },
    );

    app.get(
      `${base}/certification`,
      {
        config: { access: 'official_account.read' },
        schema: { tags, summary: 'The 微信认证 record with days left and the 30/7/1-day reminders', params: accountParamsSchema, response: { 200: profileSchema.shape.certification } },
      },
      async (request) => (await service.getProfile(request.params.accountId)).certification,
    );

    app.put(
      `${base}/certification`,
      {
        config: { access: 'official_account.write' },
        schema: {
          tags,
          summary: 'Record the 微信认证: submitted/approved dates, fee, expiry (default one year after approval)',
          params: accountParamsSchema,
          body: updateCertificationSchema,
          response: { 200: profileSchema },
        },
      },
      async (request) => service.updateCertification(contextOf(request), request.params.accountId, request.body),
    );
  };
}

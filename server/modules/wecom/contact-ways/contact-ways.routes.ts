import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../../../common/errors';
import { localeFromAcceptLanguage } from '../../../platform/i18n/locale';
import { contextOf } from '../../system';
import {
  accountParamsSchema,
  codeAddsPageSchema,
  codeAddsQuerySchema,
  contactWayPageSchema,
  contactWayParamsSchema,
  contactWaySchema,
  contactWayStatsSchema,
  createContactWayBodySchema,
  defaultWelcomeBodySchema,
  defaultWelcomeSchema,
  listContactWaysQuerySchema,
  listWelcomeSendsQuerySchema,
  mediaParamsSchema,
  statsQuerySchema,
  updateContactWayBodySchema,
  welcomeMediaSchema,
  welcomeSendPageSchema,
  WELCOME_LIMITS,
} from './contact-ways.schema';
import type { ContactWaysService } from './contact-ways.service';

const tags = ['wecom-contact-ways'];
const base = '/api/v1/wecom/:accountId/contact-ways';
const welcome = '/api/v1/wecom/:accountId/welcome-messages';
const read = { access: 'wecom.customers.read' } as const;
const write = { access: 'wecom.customers.write' } as const;
/** The default welcome message reaches every member's new customers: an admin's setting, unlike a member's own codes. */
const manage = { access: 'wecom.customers.manage' } as const;

async function uploadedImage(request: FastifyRequest): Promise<{ filename: string; content: Buffer }> {
  const invalid = () => new AppError('WELCOME_MEDIA_INVALID', { maxBytes: WELCOME_LIMITS.imageBytes });
  if (!request.isMultipart()) throw invalid();
  const part = await request.file({ limits: { fileSize: WELCOME_LIMITS.imageBytes, files: 1 } }).catch(() => null);
  if (!part || part.fieldname !== 'file') throw invalid();
  try {
    return { filename: part.filename || 'image', content: await part.toBuffer() };
  } catch {
    throw invalid();
  }
}

/** 联系我 codes (`/contact-ways`), the default welcome message and the welcome log (`/welcome-messages`). */
export function contactWaysRoutes(service: ContactWaysService): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(multipart, { limits: { fileSize: WELCOME_LIMITS.imageBytes, files: 1, fields: 5 } });

    app.get(
      base,
      {
        config: read,
        schema: {
          tags,
          summary: 'List contact-me codes with their adds per day',
          description: 'Newest first. `q` matches name or state; `userid` codes a member is on. A member-role caller sees the codes it is on.',
          params: accountParamsSchema,
          querystring: listContactWaysQuerySchema,
          response: { 200: contactWayPageSchema },
        },
      },
      async (request) => service.list(contextOf(request), request.params.accountId, request.query),
    );

    app.post(
      base,
      {
        config: write,
        schema: {
          tags,
          summary: 'Create a contact-me code (add_contact_way)',
          description:
            'Checked before WeCom is called: at most 100 members (1 for `single`), each active, in the directory and in WeCom’s customer-contact range; ' +
            'state ≤ 30 characters and unique (generated when omitted); tags known to WeCom; temporary codes single-member with expiries ≤ 14 days; ' +
            'the welcome message within WeCom’s byte limits. A WeCom refusal leaves nothing behind.',
          params: accountParamsSchema,
          body: createContactWayBodySchema,
          response: { 201: contactWaySchema },
        },
      },
      async (request, reply) => reply.status(201).send(await service.create(contextOf(request), request.params.accountId, request.body)),
    );

    app.get(
      `${base}/stats`,
      {
        config: read,
        schema: {
          tags,
          summary: 'Adds per contact-me code in a window of days, every code in one paged list',
          description:
            'The codes the caller sees (as in the code list; a department admin those with a member in its departments), each with its adds in the window ' +
            '(Asia/Shanghai days; default the last 30, at most 366, as for one code’s stats) and since it was made. Sorted by adds, most first, unless `sort` says otherwise; ' +
            '`total` and `adds` cover every matching code on each page. `perDay=true` adds each day’s adds per code.',
          params: accountParamsSchema,
          querystring: codeAddsQuerySchema,
          response: { 200: codeAddsPageSchema },
        },
      },
      async (request) => service.codeAdds(contextOf(request), request.params.accountId, request.query),
    );

    app.get(
      `${base}/:configId`,
      { config: read, schema: { tags, summary: 'One contact-me code', params: contactWayParamsSchema, response: { 200: contactWaySchema } } },
      async (request) => service.get(contextOf(request), request.params.accountId, request.params.configId),
    );

    app.patch(
      `${base}/:configId`,
      {
        config: write,
        schema: {
          tags,
          summary: 'Edit a contact-me code (update_contact_way)',
          description: 'Type, scene and temporary mode are fixed. Edits are sent to WeCom first and kept only once it accepted them.',
          params: contactWayParamsSchema,
          body: updateContactWayBodySchema,
          response: { 200: contactWaySchema },
        },
      },
      async (request) => service.update(contextOf(request), request.params.accountId, request.params.configId, request.body),
    );

    app.delete(
      `${base}/:configId`,
      { config: write, schema: { tags, summary: 'Delete a contact-me code (del_contact_way); its add counts stay', params: contactWayParamsSchema, response: { 204: z.null() } } },
      async (request, reply) => {
        await service.remove(contextOf(request), request.params.accountId, request.params.configId);
        return reply.status(204).send(null);
      },
    );

    app.get(
      `${base}/:configId/qr.png`,
      { config: read, schema: { tags, summary: 'Download the code’s QR image (as WeCom serves it)', params: contactWayParamsSchema } },
      async (request, reply) => {
        const image = await service.qrPng(contextOf(request), request.params.accountId, request.params.configId);
        return reply
          .header('content-type', image.contentType)
          .header('content-disposition', `attachment; filename="contact-way-${request.params.configId}.png"`)
          .header('cache-control', 'private, max-age=300')
          .send(image.body);
      },
    );

    app.get(
      `${base}/:configId/stats`,
      {
        config: read,
        schema: {
          tags,
          summary: 'Customers added through a code per day (Asia/Shanghai days)',
          description: 'Default: the last 30 days; a reversed window or one over 366 days is refused (400).',
          params: contactWayParamsSchema,
          querystring: statsQuerySchema,
          response: { 200: contactWayStatsSchema },
        },
      },
      async (request) => service.stats(contextOf(request), request.params.accountId, request.params.configId, request.query),
    );

    app.get(
      `${welcome}/default`,
      { config: read, schema: { tags, summary: 'The corp’s default welcome message', params: accountParamsSchema, response: { 200: defaultWelcomeSchema } } },
      async (request) => service.getDefaultWelcome(request.params.accountId),
    );

    app.put(
      `${welcome}/default`,
      {
        config: manage,
        schema: {
          tags,
          summary: 'Set (or clear with null) the default welcome message',
          description:
            'Sent to customers added through a code without its own message, or through no code. Text ≤ 4000 bytes with {客户昵称} / {customerName} ' +
            'counted as 64 bytes each; ≤ 9 attachments; link title ≤ 128 bytes, description ≤ 512; mini-program title ≤ 64 bytes.',
          params: accountParamsSchema,
          body: defaultWelcomeBodySchema,
          response: { 200: defaultWelcomeSchema },
        },
      },
      async (request) => service.setDefaultWelcome(contextOf(request), request.params.accountId, request.body.message),
    );

    app.post(
      `${welcome}/media`,
      {
        config: write,
        schema: {
          tags,
          summary: 'Upload an image for welcome messages (multipart field `file`, JPG or PNG ≤ 10 MB)',
          description: 'Uploaded to WeCom at once and again before its three-day copy expires, so sending never waits for an upload.',
          params: accountParamsSchema,
          response: { 201: welcomeMediaSchema },
        },
      },
      async (request, reply) => reply.status(201).send(await service.uploadMedia(request.params.accountId, await uploadedImage(request))),
    );

    app.get(
      `${welcome}/media/:mediaFileId`,
      { config: read, schema: { tags, summary: 'An uploaded welcome image', params: mediaParamsSchema } },
      async (request, reply) => {
        const image = await service.mediaContent(request.params.accountId, request.params.mediaFileId);
        return reply.header('content-type', image.contentType).header('cache-control', 'private, max-age=3600').send(image.body);
      },
    );

    app.get(
      `${welcome}/sends`,
      {
        config: read,
        schema: {
          tags,
          summary: 'Welcome messages sent or not, with the reason (filter by customer, code or status)',
          params: accountParamsSchema,
          querystring: listWelcomeSendsQuerySchema,
          response: { 200: welcomeSendPageSchema },
        },
      },
      async (request) => service.listWelcomeSends(request.params.accountId, request.query, localeFromAcceptLanguage(request.headers['accept-language'])),
    );
  };
}

import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../../../common/errors';
import { localeFromAcceptLanguage } from '../../../platform/i18n/locale';
import { contextOf } from '../../system';
import { followUpLimits } from './follow-up-rules';
import {
  accountParamsSchema,
  attachmentParamsSchema,
  attachmentSchema,
  createFollowUpBodySchema,
  customerParamsSchema,
  exportFollowUpsQuerySchema,
  followUpHistorySchema,
  followUpOverviewSchema,
  followUpPageSchema,
  followUpParamsSchema,
  followUpSchema,
  listCustomerFollowUpsQuerySchema,
  listFollowUpsQuerySchema,
  overviewQuerySchema,
  updateFollowUpBodySchema,
} from './follow-ups.schema';
import type { FollowUpsService } from './follow-ups.service';

const tags = ['wecom-follow-ups'];

/** RFC 6266: an ASCII fallback and the UTF-8 name. */
function attachmentHeader(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

async function uploadedFile(request: FastifyRequest): Promise<{ filename: string; content: Buffer }> {
  if (!request.isMultipart()) throw new AppError('FOLLOW_UP_ATTACHMENT_MISSING');
  let part;
  try {
    part = await request.file({ limits: { fileSize: followUpLimits.attachmentBytes, files: 1 } });
  } catch {
    throw new AppError('FOLLOW_UP_ATTACHMENT_MISSING');
  }
  if (!part || part.fieldname !== 'file') throw new AppError('FOLLOW_UP_ATTACHMENT_MISSING');
  try {
    return { filename: part.filename || 'attachment', content: await part.toBuffer() };
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError('FOLLOW_UP_ATTACHMENT_TOO_LARGE', { limitMb: followUpLimits.attachmentBytes / 1024 / 1024 });
    }
    throw error;
  }
}

const perCustomer = '/api/v1/wecom/:accountId/customers/:externalUserId/follow-ups';

/** 跟进记录: per customer under `/customers/{externalUserId}/follow-ups`, across customers under `/follow-ups`. */
export function followUpsRoutes(service: FollowUpsService): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(multipart, { limits: { fileSize: followUpLimits.attachmentBytes, files: 1, fields: 5 } });

    app.get(
      perCustomer,
      {
        config: { access: 'wecom.customers.read' },
        schema: {
          tags,
          summary: 'List the follow-up records of a customer, newest first (within the caller’s reach)',
          description: 'A member-role user sees the records of its own WeCom members only; a dept_admin those of members in its departments.',
          params: customerParamsSchema,
          querystring: listCustomerFollowUpsQuerySchema,
          response: { 200: followUpPageSchema },
        },
      },
      async (request) => service.listForCustomer(contextOf(request), request.params.accountId, request.params.externalUserId, request.query),
    );

    app.post(
      perCustomer,
      {
        config: { access: 'wecom.customers.write' },
        schema: {
          tags,
          summary: 'Write a follow-up record on a customer of a member',
          description:
            'WeCom is asked (externalcontact/get) whether the customer exists and follows `userid`; its name is cached for lists. ' +
            'A `nextContactAt` in the future sends the member a WeCom app message when it arrives and replaces the open reminder of ' +
            'the same customer and member.',
          params: customerParamsSchema,
          body: createFollowUpBodySchema,
          response: { 201: followUpSchema },
        },
      },
      async (request, reply) => reply.status(201).send(await service.create(contextOf(request), request.params.accountId, request.params.externalUserId, request.body)),
    );

    app.get(
      `${perCustomer}/:followUpId`,
      {
        config: { access: 'wecom.customers.read' },
        schema: { tags, summary: 'Get a follow-up record', params: followUpParamsSchema, response: { 200: followUpSchema } },
      },
      async (request) => service.get(contextOf(request), request.params.accountId, request.params.externalUserId, request.params.followUpId),
    );

    app.patch(
      `${perCustomer}/:followUpId`,
      {
        config: { access: 'wecom.customers.write' },
        schema: {
          tags,
          summary: 'Edit a follow-up record; the previous values are kept in its history',
          description: 'Moving `nextContactAt` re-arms the reminder (it must lie in the future); `null` clears it.',
          params: followUpParamsSchema,
          body: updateFollowUpBodySchema,
          response: { 200: followUpSchema },
        },
      },
      async (request) => service.update(contextOf(request), request.params.accountId, request.params.externalUserId, request.params.followUpId, request.body),
    );

    app.delete(
      `${perCustomer}/:followUpId`,
      {
        config: { access: 'wecom.customers.write' },
        schema: { tags, summary: 'Delete a follow-up record with its attachments and history (audited)', params: followUpParamsSchema },
      },
      async (request, reply) => {
        await service.remove(contextOf(request), request.params.accountId, request.params.externalUserId, request.params.followUpId);
        return reply.status(204).send();
      },
    );

    app.get(
      `${perCustomer}/:followUpId/history`,
      {
        config: { access: 'wecom.customers.read' },
        schema: { tags, summary: 'Earlier versions of a follow-up record, latest first', params: followUpParamsSchema, response: { 200: followUpHistorySchema } },
      },
      async (request) => service.history(contextOf(request), request.params.accountId, request.params.externalUserId, request.params.followUpId),
    );

    app.post(
      `${perCustomer}/:followUpId/attachments`,
      {
        config: { access: 'wecom.customers.write' },
        schema: {
          tags,
          summary: 'Attach a file (multipart field `file`)',
          description: `Pictures (png, jpg, gif, webp), pdf, docx, xlsx, pptx, txt or csv, checked against their content; at most ${followUpLimits.attachmentBytes / 1024 / 1024} MB each and ${followUpLimits.attachmentsPerRecord} per record.`,
          params: followUpParamsSchema,
          response: { 201: attachmentSchema },
        },
      },
      async (request, reply) => {
        const file = await uploadedFile(request);
        return reply.status(201).send(await service.addAttachment(contextOf(request), request.params.accountId, request.params.externalUserId, request.params.followUpId, file));
      },
    );

    app.get(
      `${perCustomer}/:followUpId/attachments/:attachmentId`,
      {
        config: { access: 'wecom.customers.read' },
        schema: { tags, summary: 'Download an attachment', params: attachmentParamsSchema },
      },
      async (request, reply) => {
        const { accountId, externalUserId, followUpId, attachmentId } = request.params;
        const file = await service.attachment(contextOf(request), accountId, externalUserId, followUpId, attachmentId);
        return reply
          .header('content-type', file.contentType)
          .header('content-disposition', attachmentHeader(file.filename))
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'private, no-store')
          .send(file.content);
      },
    );

    app.delete(
      `${perCustomer}/:followUpId/attachments/:attachmentId`,
      {
        config: { access: 'wecom.customers.write' },
        schema: { tags, summary: 'Remove an attachment', params: attachmentParamsSchema },
      },
      async (request, reply) => {
        const { accountId, externalUserId, followUpId, attachmentId } = request.params;
        await service.removeAttachment(contextOf(request), accountId, externalUserId, followUpId, attachmentId);
        return reply.status(204).send();
      },
    );

    app.get(
      '/api/v1/wecom/:accountId/follow-ups',
      {
        config: { access: 'wecom.customers.read' },
        schema: {
          tags,
          summary: 'Search follow-up records across customers (cursor paging, within the caller’s reach)',
          description:
            'Newest first; with `dueBefore` or `overdue` the open reminders (the latest record of each customer and member) soonest first.',
          params: accountParamsSchema,
          querystring: listFollowUpsQuerySchema,
          response: { 200: followUpPageSchema },
        },
      },
      async (request) => service.list(contextOf(request), request.params.accountId, request.query),
    );

    app.get(
      '/api/v1/wecom/:accountId/follow-ups/overview',
      {
        config: { access: 'wecom.customers.read' },
        schema: {
          tags,
          summary: 'Per member: follow-ups written, due and overdue in a window (default: the last 30 days and the next 7)',
          params: accountParamsSchema,
          querystring: overviewQuerySchema,
          response: { 200: followUpOverviewSchema },
        },
      },
      async (request) => service.overview(contextOf(request), request.params.accountId, request.query),
    );

    app.get(
      '/api/v1/wecom/:accountId/follow-ups/export.xlsx',
      {
        config: { access: 'wecom.customers.export' },
        schema: {
          tags,
          summary: 'Export the filtered follow-up records (.xlsx)',
          description: `Takes the search filters; only records within the caller’s reach; at most ${followUpLimits.exportRows} rows. Audited with the filters and row count.`,
          params: accountParamsSchema,
          querystring: exportFollowUpsQuerySchema,
        },
      },
      async (request, reply) => {
        const file = await service.exportXlsx(contextOf(request), request.params.accountId, request.query, localeFromAcceptLanguage(request.headers['accept-language']));
        return reply
          .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', attachmentHeader(file.filename))
          .send(file.content);
      },
    );
  };
}

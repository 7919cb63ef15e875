import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { contextOf } from '../../system';
import {
  accountParamsSchema,
  createTransferBodySchema,
  listTransfersQuerySchema,
  previewTransferBodySchema,
  refreshAnswerSchema,
  resignedHandoverAnswerSchema,
  resignedHandoverBodySchema,
  transferDetailSchema,
  transferPageSchema,
  transferParamsSchema,
  transferPreviewSchema,
  unassignedSchema,
} from './customer-transfers.schema';
import type { CustomerTransfersService } from './customer-transfers.service';

const tags = ['wecom-customer-transfers'];
const write = { access: 'wecom.customers.assign' as const };

/** `/api/v1/wecom/{accountId}/customer-transfers`: 在职继承 and 离职继承 with WeCom's limits checked first. */
export function createCustomerTransfersRoutes(service: CustomerTransfersService) {
  return async function customerTransfersRoutes(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/api/v1/wecom/:accountId/customer-transfers/preview',
      {
        config: write,
        schema: {
          tags,
          summary: 'Say per customer whether a transfer is allowed now and why not (pending transfer, 2 transfers in 90 days); nothing is sent',
          params: accountParamsSchema,
          body: previewTransferBodySchema,
          response: { 200: transferPreviewSchema },
        },
      },
      async (request) => service.preview(contextOf(request), request.params.accountId, request.body),
    );

    app.post(
      '/api/v1/wecom/:accountId/customer-transfers',
      {
        config: write,
        schema: {
          tags,
          summary: 'Transfer customers from one member to another (on_duty 在职继承 or resigned 离职继承); blocked customers are skipped with the reason, the rest go to WeCom 100 per call',
          params: accountParamsSchema,
          body: createTransferBodySchema,
          response: { 201: transferDetailSchema },
        },
      },
      async (request, reply) => reply.status(201).send(await service.create(contextOf(request), request.params.accountId, request.body)),
    );

    app.post(
      '/api/v1/wecom/:accountId/customer-transfers/resigned-handover',
      {
        config: write,
        schema: {
          tags,
          summary: 'Hand every unassigned customer of a departed member to another member (离职继承), as a job with progress',
          params: accountParamsSchema,
          body: resignedHandoverBodySchema,
          response: { 202: resignedHandoverAnswerSchema },
        },
      },
      async (request, reply) => reply.status(202).send(await service.startResignedHandover(contextOf(request), request.params.accountId, request.body)),
    );

    app.get(
      '/api/v1/wecom/:accountId/customer-transfers/unassigned',
      {
        config: write,
        schema: { tags, summary: 'Departed members whose customers wait for 离职继承, with counts (from WeCom)', params: accountParamsSchema, response: { 200: unassignedSchema } },
      },
      async (request) => service.listUnassigned(contextOf(request), request.params.accountId),
    );

    app.post(
      '/api/v1/wecom/:accountId/customer-transfers/refresh',
      {
        config: write,
        schema: { tags, summary: 'Read the results of waiting transfers from WeCom now (the scheduler also does this)', params: accountParamsSchema, response: { 200: refreshAnswerSchema } },
      },
      async (request) => {
        await service.requireAccess(contextOf(request), request.params.accountId);
        return service.refresh(request.params.accountId);
      },
    );

    app.get(
      '/api/v1/wecom/:accountId/customer-transfers',
      {
        config: write,
        schema: { tags, summary: 'List transfers, newest first, with counts per customer status', params: accountParamsSchema, querystring: listTransfersQuerySchema, response: { 200: transferPageSchema } },
      },
      async (request) => service.list(contextOf(request), request.params.accountId, request.query),
    );

    app.get(
      '/api/v1/wecom/:accountId/customer-transfers/:transferId',
      {
        config: write,
        schema: { tags, summary: 'A transfer with each customer’s status (pending, accepted, refused, limit, failed, skipped)', params: transferParamsSchema, response: { 200: transferDetailSchema } },
      },
      async (request) => service.get(contextOf(request), request.params.accountId, request.params.transferId),
    );
  };
}

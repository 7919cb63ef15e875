import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sendSheet } from '../../../platform/http/sheet-download';
import { localeFromAcceptLanguage } from '../../../platform/i18n/locale';
import { contextOf } from '../../system';
import {
  accountParamsSchema,
  customerDetailSchema,
  customerFilterSchema,
  customerPageSchema,
  customerParamsSchema,
  customersOverviewQuerySchema,
  customersOverviewSchema,
  listCustomersQuerySchema,
  startedJobSchema,
  updateCustomerBodySchema,
} from './customers.schema';
import type { CustomersService } from './customers.service';

const tags = ['wecom-customers'];
/** `/api/v1/wecom/{accountId}/customers`: a corp's customers, within the caller's reach. */
export function createCustomersRoutes(service: CustomersService) {
  return async function customersRoutes(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/api/v1/wecom/:accountId/customers',
      {
        config: { access: 'wecom.customers.read' },
        schema: {
          tags,
          summary: 'List customers, newest first (cursor paging); filter by member, department subtree, tag, source, added between and name/remark',
          description:
            'A member sees the customers its own WeCom members follow, a dept_admin those followed by members of its department subtrees, a super_admin all. Remark phone numbers are masked without wecom.customers.phones.',
          params: accountParamsSchema,
          querystring: listCustomersQuerySchema,
          response: { 200: customerPageSchema },
        },
      },
      async (request) => service.list(contextOf(request), request.params.accountId, request.query),
    );

    app.get(
      '/api/v1/wecom/:accountId/customers/overview',
      {
        config: { access: 'wecom.customers.read' },
        schema: {
          tags,
          summary: 'Customer contact overview: per member and per day (China time), follows added and lost in a window of days, and current ones',
          description:
            'from/to are days (YYYY-MM-DD, China time, both included; default the last 30 days; at most 366). Counts follows: a customer two members added counts for each. Same reach as the list: a member its own WeCom members, a dept_admin its department subtrees, a super_admin all.',
          params: accountParamsSchema,
          querystring: customersOverviewQuerySchema,
          response: { 200: customersOverviewSchema },
        },
      },
      async (request) => service.overview(contextOf(request), request.params.accountId, request.query),
    );

    app.post(
      '/api/v1/wecom/:accountId/customers/sync',
      {
        config: { access: 'wecom.customers.manage' },
        schema: {
          tags,
          summary: 'Read every customer from WeCom (get_follow_user_list, batch/get_by_user) as a resumable job',
          description: 'Answers 202 with the job; its progress (members read of all) is at /api/v1/jobs/{jobId}. Follows WeCom no longer lists end.',
          params: accountParamsSchema,
          response: { 202: startedJobSchema },
        },
      },
      async (request, reply) => reply.status(202).send(await service.startSync(contextOf(request), request.params.accountId)),
    );

    app.get(
      '/api/v1/wecom/:accountId/customers/export.xlsx',
      {
        config: { access: 'wecom.customers.export' },
        schema: {
          tags,
          summary: 'Export the filtered customers (.xlsx, one row per customer and member)',
          description:
            'Takes the list filters and scope. Each user may export QIAO_CUSTOMER_EXPORTS_PER_DAY times per day (China time); past that, 429 WECOM_CUSTOMER_EXPORT_LIMIT. Audited with the filters and row count.',
          params: accountParamsSchema,
          querystring: customerFilterSchema,
        },
      },
      async (request, reply) => {
        const locale = localeFromAcceptLanguage(request.headers['accept-language']);
        return sendSheet(request, reply, await service.exportCustomers(contextOf(request), request.params.accountId, request.query, locale));
      },
    );

    app.get(
      '/api/v1/wecom/:accountId/customers/:externalUserId',
      {
        config: { access: 'wecom.customers.read' },
        schema: {
          tags,
          summary: 'Get a customer with its followers, consent and timeline',
          params: customerParamsSchema,
          response: { 200: customerDetailSchema },
        },
      },
      async (request) => service.get(contextOf(request), request.params.accountId, request.params.externalUserId),
    );

    app.patch(
      '/api/v1/wecom/:accountId/customers/:externalUserId',
      {
        config: { access: 'wecom.customers.write' },
        schema: {
          tags,
          summary: 'Edit a member’s remark, description and phone numbers on the customer (written to WeCom first), or the consent record',
          params: customerParamsSchema,
          body: updateCustomerBodySchema,
          response: { 200: customerDetailSchema },
        },
      },
      async (request) => service.update(contextOf(request), request.params.accountId, request.params.externalUserId, request.body),
    );
  };
}

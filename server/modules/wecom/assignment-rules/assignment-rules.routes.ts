import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { contextOf } from '../../system';
import {
  accountParamsSchema,
  applyAnswerSchema,
  createRuleBodySchema,
  resolutionSchema,
  resolveBodySchema,
  ruleListSchema,
  ruleParamsSchema,
  ruleSchema,
  updateRuleBodySchema,
} from './assignment-rules.schema';
import type { AssignmentRulesService } from './assignment-rules.service';

const tags = ['wecom-assignment-rules'];
const write = { access: 'wecom.customers.assign' as const };

/** `/api/v1/wecom/{accountId}/assignment-rules`: who new customers go to. */
export function createAssignmentRulesRoutes(service: AssignmentRulesService) {
  return async function assignmentRulesRoutes(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/api/v1/wecom/:accountId/assignment-rules',
      { config: write, schema: { tags, summary: 'List assignment rules in priority order', params: accountParamsSchema, response: { 200: ruleListSchema } } },
      async (request) => service.list(contextOf(request), request.params.accountId),
    );

    app.post(
      '/api/v1/wecom/:accountId/assignment-rules',
      {
        config: write,
        schema: {
          tags,
          summary: 'Create a rule: channel (state) and region conditions, a member pool (members, department subtrees), daily capacity, working hours (Asia/Shanghai), an optional bound contact way',
          params: accountParamsSchema,
          body: createRuleBodySchema,
          response: { 201: ruleSchema },
        },
      },
      async (request, reply) => reply.status(201).send(await service.create(contextOf(request), request.params.accountId, request.body)),
    );

    app.patch(
      '/api/v1/wecom/:accountId/assignment-rules/:ruleId',
      { config: write, schema: { tags, summary: 'Change a rule', params: ruleParamsSchema, body: updateRuleBodySchema, response: { 200: ruleSchema } } },
      async (request) => service.update(contextOf(request), request.params.accountId, request.params.ruleId, request.body),
    );

    app.delete(
      '/api/v1/wecom/:accountId/assignment-rules/:ruleId',
      { config: write, schema: { tags, summary: 'Delete a rule (its contact way keeps its current members)', params: ruleParamsSchema } },
      async (request, reply) => {
        await service.remove(contextOf(request), request.params.accountId, request.params.ruleId);
        return reply.status(204).send();
      },
    );

    app.post(
      '/api/v1/wecom/:accountId/assignment-rules/resolve',
      {
        config: write,
        schema: {
          tags,
          summary: 'Which member(s) a new customer would go to now (or at `at`), and why each rule and member was or was not chosen',
          params: accountParamsSchema,
          body: resolveBodySchema,
          response: { 200: resolutionSchema },
        },
      },
      async (request) => service.resolve(contextOf(request), request.params.accountId, request.body),
    );

    app.post(
      '/api/v1/wecom/:accountId/assignment-rules/apply',
      {
        config: write,
        schema: {
          tags,
          summary: 'Set each bound contact way’s members to its rule’s members on duty and under capacity now (update_contact_way); the scheduler also does this',
          params: accountParamsSchema,
          response: { 200: applyAnswerSchema },
        },
      },
      async (request) => service.apply(contextOf(request), request.params.accountId),
    );
  };
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditPageSchema, auditVerifyResultSchema, listAuditQuerySchema } from './audit.schema';
import type { AuditService } from './audit.service';
import { contextOf, principalOf } from './request-context';

const tags = ['audit'];

export function auditRoutes(service: AuditService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/audit-log',
      {
        config: { access: 'audit.read' },
        schema: {
          tags,
          summary: 'List audit entries, newest first',
          description: 'A dept_admin sees only entries by itself and by users inside its department scopes.',
          querystring: listAuditQuerySchema,
          response: { 200: auditPageSchema },
        },
      },
      async (request) => service.list(principalOf(request), request.query),
    );

    app.post(
      '/api/v1/audit-log/verify',
      {
        config: { access: 'audit.verify' },
        schema: {
          tags,
          summary: 'Verify the hash chain of the audit log',
          description: '`brokenAt` is the first entry that was changed, or whose predecessor is missing.',
          response: { 200: auditVerifyResultSchema },
        },
      },
      async (request) => service.verify(contextOf(request)),
    );
  };
}

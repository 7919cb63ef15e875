/** The audit log: the recorder every feature writes through, its routes, and the request helpers routes use to build a context. */
export { auditRoutes } from './audit.routes';
export { createAuditService, verifyAuditChain, type AuditService, type AuditServiceDeps } from './audit.service';
export { contextOf, principalOf } from './request-context';

import type { FastifyPluginAsync } from 'fastify';
import type { ModuleDeps } from '../../../platform/module-deps';
import { jobsRoutes } from './jobs.routes';
import { createJobsService } from './jobs.service';

export type { JobRunView, JobRunPage } from './jobs.schema';

/** 任务: progress, listing and cancelling of background jobs. */
export function createJobsModule(deps: ModuleDeps): { routes: FastifyPluginAsync } {
  const service = createJobsService({ queue: deps.queue, audit: deps.audit });
  return { routes: jobsRoutes(service) as FastifyPluginAsync };
}

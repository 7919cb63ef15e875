import type { JobRunPage, JobRunView, JobStateName } from '../../../../server/modules/system/jobs/jobs.schema';
import { api } from '../../../app/api-client';
import type { PageRequest } from '../../../components/data-table';

export type Job = JobRunView;
export type JobState = JobStateName;
export type JobRowError = Job['errors'][number];

export const jobStates: readonly JobState[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
export const jobsQueryKey = ['jobs'] as const;
export const jobQueryKey = (id: string) => ['jobs', 'one', id] as const;

export function isJobFinished(state: JobState): boolean {
  return state === 'succeeded' || state === 'failed' || state === 'cancelled';
}

export const jobsApi = {
  list: ({ cursor, limit, filters }: PageRequest) => api.get<JobRunPage>('/api/v1/jobs', { cursor, limit, ...filters }),
  get: (id: string) => api.get<Job>(`/api/v1/jobs/${encodeURIComponent(id)}`),
  cancel: (id: string) => api.delete<Job>(`/api/v1/jobs/${encodeURIComponent(id)}`),
};

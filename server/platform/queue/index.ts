export { createJobQueue, JobInterruptedError, toJobRun, type JobQueueTimings } from './pg-boss-queue';
export { jobStates } from './job-queue';
export type { JobContext, JobFailure, JobHandler, JobKindOptions, JobListFilter, JobQueue, JobRowError, JobRun, JobState } from './job-queue';

import {
  jobIdParamsSchema,
  jobRunPageSchema,
  jobRunSchema,
  listJobsQuerySchema,
  type JobRunView,
} from '../../server/modules/system/jobs/jobs.schema';
import { intOption, noteNextPage, pagingOptions, print, printJson, stringOption, validated, type CommandContext, type CommandGroup } from '../command';
import { renderRecord, renderTable } from '../table';

type JobRowError = JobRunView['errors'][number];

function progress(job: JobRunView): string {
  if (job.total === null) return String(job.done);
  const percent = job.total === 0 ? 100 : Math.floor((job.done / job.total) * 100);
  return `${job.done}/${job.total} (${percent}%)`;
}

function printJob(context: CommandContext, data: JobRunView): void {
  if (context.json) return printJson(context, data);
  print(
    context,
    renderRecord([
      ['id', data.id],
      ['kind', data.kind],
      ['state', data.state],
      ['progress', progress(data)],
      ['errors', data.errorCount],
      ['failure', data.failure ? `${data.failure.code}: ${data.failure.message}` : ''],
      ['created', data.createdAt],
      ['started', data.startedAt],
      ['finished', data.finishedAt],
    ]),
  );
  if (data.errors.length > 0) {
    print(
      context,
      '\n' +
        renderTable(
          [
            { header: 'ROW', value: (e: JobRowError) => e.row ?? e.item },
            { header: 'COLUMN', value: (e) => e.column },
            { header: 'CODE', value: (e) => e.code },
            { header: 'MESSAGE', value: (e) => e.message },
          ],
          data.errors,
        ),
    );
    if (data.errorCount > data.errors.length) context.io.stderr(`Showing ${data.errors.length} of ${data.errorCount} row errors.\n`);
  }
}

export const jobsGroup: CommandGroup = {
  name: 'jobs',
  summary: 'Progress of imports, syncs and pushes',
  commands: [
    {
      name: 'get',
      summary: 'Show a job: state, progress and row errors',
      args: ['id'],
      async run(context) {
        const { jobId } = validated(context, jobIdParamsSchema, { jobId: context.positionals[0] });
        const { data } = await context.api().call('GET', `/api/v1/jobs/${encodeURIComponent(jobId)}`, jobRunSchema);
        printJob(context, data);
      },
    },
    {
      name: 'list',
      summary: 'List jobs, newest first',
      options: {
        kind: { type: 'string', value: '<kind>', description: 'Only this kind of job' },
        state: { type: 'string', value: '<state>', description: 'queued, running, succeeded, failed or cancelled' },
        ...pagingOptions,
      },
      async run(context) {
        const query = validated(context, listJobsQuerySchema, {
          kind: stringOption(context, 'kind'),
          state: stringOption(context, 'state'),
          limit: intOption(context, 'limit'),
          cursor: stringOption(context, 'cursor'),
        });
        const { data } = await context.api().call('GET', '/api/v1/jobs', jobRunPageSchema, { query });
        if (context.json) return printJson(context, data);
        print(
          context,
          renderTable(
            [
              { header: 'ID', value: (j: JobRunView) => j.id },
              { header: 'KIND', value: (j) => j.kind },
              { header: 'STATE', value: (j) => j.state },
              { header: 'PROGRESS', value: (j) => progress(j) },
              { header: 'ERRORS', value: (j) => j.errorCount },
              { header: 'CREATED', value: (j) => j.createdAt },
            ],
            data.items,
          ),
        );
        noteNextPage(context, data.nextCursor);
      },
    },
    {
      name: 'cancel',
      summary: 'Cancel a job; a running one stops at its next safe point',
      args: ['id'],
      async run(context) {
        const { jobId } = validated(context, jobIdParamsSchema, { jobId: context.positionals[0] });
        const { data } = await context.api().call('DELETE', `/api/v1/jobs/${encodeURIComponent(jobId)}`, jobRunSchema);
        printJob(context, data);
      },
    },
  ],
};

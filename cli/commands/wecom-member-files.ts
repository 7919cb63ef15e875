import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { Page } from '../../common/paging';
import { jobRunSchema, type JobRunView } from '../../server/modules/system/jobs/jobs.schema';
import { exportQuerySchema, importQuerySchema, memberImportResultSchema } from '../../server/modules/wecom/member-import/member-import.schema';
import { flagOption, intOption, print, printJson, stringOption, validated, type CommandContext, type CommandGroup } from '../command';
import { CliError, cliError } from '../errors';
import { renderRecord, renderTable } from '../table';

type JobRowError = JobRunView['errors'][number];

const accountOption = {
  account: { type: 'string' as const, value: '<id>', description: 'The WeCom account (default: the only connected WeCom corp)' },
};

const accountPageSchema = z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })), nextCursor: z.string().nullable() });

/** `--account`, or the one WeCom corp when there is exactly one. */
async function accountOf(context: CommandContext): Promise<string> {
  const given = stringOption(context, 'account');
  if (given) return given;
  const { data } = await context.api().call('GET', '/api/v1/accounts', accountPageSchema, { query: { type: 'wecom', limit: 2 } });
  const corps: Page<{ id: string; name: string }> = data;
  if (corps.items.length !== 1) {
    throw cliError('USAGE', context.locale, { problem: corps.items.length === 0 ? 'no WeCom account is connected' : 'several WeCom accounts are connected; pass --account <id>' });
  }
  return corps.items[0]!.id;
}

function printRowErrors(context: CommandContext, job: JobRunView): void {
  if (job.errors.length === 0) return;
  print(
    context,
    renderTable(
      [
        { header: 'ROW', value: (e: JobRowError) => e.row ?? e.item },
        { header: 'COLUMN', value: (e) => e.column },
        { header: 'CODE', value: (e) => e.code },
        { header: 'MESSAGE', value: (e) => e.message },
      ],
      job.errors,
    ),
  );
  if (job.errorCount > job.errors.length) context.io.stderr(`Showing ${job.errors.length} of ${job.errorCount} row errors; download the annotated copy for all.\n`);
}

async function waitForJob(context: CommandContext, jobId: string): Promise<JobRunView> {
  let shown = -1;
  for (;;) {
    const { data } = await context.api().call('GET', `/api/v1/jobs/${encodeURIComponent(jobId)}`, jobRunSchema);
    if (!context.json && data.done !== shown) {
      shown = data.done;
      context.io.stderr(`${data.state} ${data.done}/${data.total ?? '?'}\n`);
    }
    if (data.state !== 'queued' && data.state !== 'running') return data;
    await sleep(500);
  }
}

export const wecomMemberFilesGroup: CommandGroup = {
  name: 'wecom members',
  summary: 'WeCom members: Excel import and export',
  commands: [
    {
      name: 'import',
      summary: 'Import members from an .xlsx file (the import template\'s columns) as a job',
      args: ['file'],
      options: {
        ...accountOption,
        'dry-run': { type: 'boolean', description: 'Check every row and report; write nothing' },
        'skip-bad-rows': { type: 'boolean', description: 'Import the good rows when some are bad (default: import nothing)' },
        'create-departments': { type: 'boolean', description: 'Create departments named in the file that do not exist' },
        wait: { type: 'boolean', description: 'Wait for the job, print progress, the row report and the counts' },
      },
      async run(context) {
        const path = context.positionals[0]!;
        const query = validated(context, importQuerySchema, {
          dryRun: flagOption(context, 'dry-run') ? 'true' : undefined,
          onError: flagOption(context, 'skip-bad-rows') ? 'skip' : undefined,
          createMissingDepartments: flagOption(context, 'create-departments') ? 'true' : undefined,
        });
        let content: Buffer;
        try {
          content = await readFile(path);
        } catch (error) {
          throw cliError('USAGE', context.locale, { problem: `cannot read ${path}: ${(error as Error).message}` });
        }
        const accountId = await accountOf(context);
        const form = new FormData();
        form.append('file', new Blob([new Uint8Array(content)]), basename(path));
        const response = await context.api().send('POST', `/api/v1/wecom/${encodeURIComponent(accountId)}/members/import`, {
          query: { dryRun: query.dryRun, onError: query.onError, createMissingDepartments: query.createMissingDepartments },
          form,
        });
        const started = jobRunSchema.parse(await response.json());
        if (!flagOption(context, 'wait')) {
          if (context.json) return printJson(context, started);
          return print(context, `Started import job ${started.id} (${started.total ?? '?'} rows). Follow it with: qiao jobs get ${started.id}`);
        }
        const job = await waitForJob(context, started.id);
        if (context.json) printJson(context, job);
        else {
          printRowErrors(context, job);
          const result = memberImportResultSchema.safeParse(job.result);
          if (result.success) {
            const r = result.data;
            print(context, renderRecord([['state', job.state], ['dry run', r.dryRun ? 'yes' : 'no'], ['rows', r.rows], ['bad rows', r.invalidRows], ['created', r.created], ['updated', r.updated], ['unchanged', r.unchanged], ['departments created', r.departmentsCreated]]));
          }
          if (job.errorCount > 0) print(context, `Annotated copy: GET /api/v1/wecom/${accountId}/members/import/${job.id}/annotated.xlsx`);
        }
        if (job.state !== 'succeeded') throw new CliError(job.failure?.code ?? 'JOB_NOT_SUCCEEDED', job.failure?.message ?? `the import job ended ${job.state}`);
      },
    },
    {
      name: 'export',
      summary: 'Export members (filters as the member list) to an .xlsx file',
      options: {
        ...accountOption,
        output: { type: 'string', short: 'o', value: '<file>', description: 'Where to write the .xlsx (required)' },
        'department-id': { type: 'string', value: '<id>', description: 'Only members of this department' },
        'include-subdepartments': { type: 'boolean', description: 'With --department-id: its sub-departments too' },
        status: { type: 'string', value: '<status>', description: 'active, disabled, inactive or resigned' },
        q: { type: 'string', value: '<text>', description: 'Search userid, name, mobile, email or position' },
      },
      async run(context) {
        const output = stringOption(context, 'output');
        if (!output) throw cliError('USAGE', context.locale, { problem: 'give the file to write with -o <file>' });
        const query = validated(context, exportQuerySchema, {
          departmentId: intOption(context, 'department-id'),
          includeSubdepartments: flagOption(context, 'include-subdepartments') ? 'true' : undefined,
          status: stringOption(context, 'status'),
          q: stringOption(context, 'q'),
        });
        const accountId = await accountOf(context);
        const response = await context.api().send('GET', `/api/v1/wecom/${encodeURIComponent(accountId)}/members/export.xlsx`, {
          query: { ...query, includeSubdepartments: query.includeSubdepartments === undefined ? undefined : String(query.includeSubdepartments) },
        });
        const bytes = Buffer.from(await response.arrayBuffer());
        await writeFile(output, bytes);
        if (context.json) return printJson(context, { file: output, bytes: bytes.length });
        print(context, `Wrote ${output} (${bytes.length} bytes)`);
      },
    },
  ],
};

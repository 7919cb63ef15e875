import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { jobRunSchema, type JobRunView } from '../../server/modules/system/jobs/jobs.schema';
import {
  runWithJobSchema,
  syncItemPageSchema,
  syncRunSchema,
  type SyncItem,
  type SyncItemPage,
  type SyncRun,
} from '../../server/modules/wecom/directory-sync/directory-sync.schema';
import { flagOption, print, printJson, stringOption, type CommandContext, type CommandGroup } from '../command';
import { CliError, cliError } from '../errors';
import { renderRecord, renderTable } from '../table';

const accountPageSchema = z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })), nextCursor: z.string().nullable() });

/** `--account`, or the one WeCom corp when there is exactly one. */
async function accountOf(context: CommandContext): Promise<string> {
  const given = stringOption(context, 'account');
  if (given) return given;
  const { data } = await context.api().call('GET', '/api/v1/accounts', accountPageSchema, { query: { type: 'wecom', limit: 2 } });
  if (data.items.length !== 1) {
    throw cliError('USAGE', context.locale, { problem: data.items.length === 0 ? 'no WeCom account is connected' : 'several WeCom accounts are connected; pass --account <id>' });
  }
  return data.items[0]!.id;
}

async function waitForJob(context: CommandContext, jobId: string): Promise<JobRunView> {
  let shown = -1;
  for (;;) {
    const { data } = await context.api().call('GET', `/api/v1/jobs/${encodeURIComponent(jobId)}`, jobRunSchema);
    if (!context.json && data.done !== shown) {
      shown = data.done;
      context.io.stderr(`${data.kind} ${data.state} ${data.done}/${data.total ?? '?'}\n`);
    }
    if (data.state !== 'queued' && data.state !== 'running') return data;
    await sleep(500);
  }
}

async function allItems(context: CommandContext, base: string, runId: string, query: Record<string, string> = {}): Promise<SyncItem[]> {
  const items: SyncItem[] = [];
  let cursor: string | null = null;
  do {
    const page: { data: SyncItemPage } = await context.api().call('GET', `${base}/runs/${runId}/items`, syncItemPageSchema, { query: { limit: 500, ...query, ...(cursor ? { cursor } : {}) } });
    items.push(...page.data.items);
    cursor = page.data.nextCursor;
  } while (cursor);
  return items;
}

const shown = (value: unknown) => (value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));

function printSummary(context: CommandContext, run: SyncRun, conflicts: SyncItem[]): void {
  print(
    context,
    renderRecord([
      ['run', run.id],
      ['state', run.state],
      ...Object.entries(run.counts).map(([action, n]): [string, string | number] => [action, n]),
      ['not returned by WeCom', run.hiddenFields.join(', ')],
    ]),
  );
  if (conflicts.length === 0) return;
  print(context, '\nConflicts (decide them in the console or with the API):');
  print(
    context,
    renderTable(
      [
        { header: 'KIND', value: (r: { item: SyncItem; field: SyncItem['fields'][number] }) => r.item.kind },
        { header: 'ID', value: (r) => r.item.key },
        { header: 'NAME', value: (r) => r.item.label },
        { header: 'FIELD', value: (r) => r.field.field },
        { header: 'QIAO', value: (r) => shown(r.field.qiao) },
        { header: 'WECOM', value: (r) => shown(r.field.wecom) },
      ],
      conflicts.flatMap((item) => (item.fields.length ? item.fields : [{ field: '(whole record)', qiao: null, wecom: null, base: null, conflict: true }]).map((field) => ({ item, field }))),
    ),
  );
}

export const wecomSyncGroup: CommandGroup = {
  name: 'wecom',
  summary: 'WeCom directory sync',
  commands: [
    {
      name: 'sync',
      summary: 'Compare the directory with WeCom; --dry-run prints the differences, --apply writes them',
      options: {
        account: { type: 'string', value: '<id>', description: 'The WeCom account (default: the only connected WeCom corp)' },
        'dry-run': { type: 'boolean', description: 'Only compare: print the summary and the conflicts (the default)' },
        apply: { type: 'boolean', description: 'Apply every pull and push after comparing; conflicts stay for a person to decide' },
        'pull-only': { type: 'boolean', description: 'With --apply: only WeCom → Qiao' },
        'push-only': { type: 'boolean', description: 'With --apply: only Qiao → WeCom' },
      },
      async run(context) {
        const applying = flagOption(context, 'apply');
        const pullOnly = flagOption(context, 'pull-only');
        const pushOnly = flagOption(context, 'push-only');
        if (applying && flagOption(context, 'dry-run')) throw cliError('USAGE', context.locale, { problem: '--apply and --dry-run exclude each other' });
        if (pullOnly && pushOnly) throw cliError('USAGE', context.locale, { problem: '--pull-only and --push-only exclude each other' });
        if ((pullOnly || pushOnly) && !applying) throw cliError('USAGE', context.locale, { problem: '--pull-only and --push-only go with --apply' });
        const accountId = await accountOf(context);
        const base = `/api/v1/wecom/${encodeURIComponent(accountId)}/directory-sync`;

        const started = await context.api().call('POST', `${base}/diff`, runWithJobSchema, { body: {} });
        const compared = await waitForJob(context, started.data.job.id);
        if (compared.state !== 'succeeded') throw new CliError(compared.failure?.code ?? 'JOB_FAILED', compared.failure?.message ?? `comparison ${compared.state}`);
        const { data: run } = await context.api().call('GET', `${base}/runs/${started.data.run.id}`, syncRunSchema);
        const conflicts = await allItems(context, base, run.id, { action: 'conflict' });

        if (!applying) {
          if (context.json) return printJson(context, { run, conflicts });
          return printSummary(context, run, conflicts);
        }
        let applied: { job: JobRunView; failed: SyncItem[] } | null = null;
        try {
          const { data } = await context.api().call('POST', `${base}/runs/${run.id}/apply`, runWithJobSchema, { body: { pulls: !pushOnly, pushes: !pullOnly } });
          const job = await waitForJob(context, data.job.id);
          applied = { job, failed: await allItems(context, base, run.id, { state: 'failed' }) };
        } catch (error) {
          if (!(error instanceof CliError && error.code === 'WECOM_SYNC_NOTHING_SELECTED')) throw error;
        }
        if (context.json) return printJson(context, { run, conflicts, applied });
        printSummary(context, run, conflicts);
        if (!applied) return print(context, '\nNothing to apply.');
        print(context, `\nApplied: ${JSON.stringify(applied.job.result ?? {})}`);
        if (applied.failed.length > 0) {
          print(
            context,
            renderTable(
              [
                { header: 'KIND', value: (i: SyncItem) => i.kind },
                { header: 'ID', value: (i) => i.key },
                { header: 'ACTION', value: (i) => i.action },
                { header: 'ERRCODE', value: (i) => i.errcode ?? '' },
                { header: 'REASON', value: (i) => i.error ?? '' },
              ],
              applied.failed,
            ),
          );
          throw new CliError('WECOM_SYNC_PARTIAL', `${applied.failed.length} item(s) failed`, { exitCode: 1 });
        }
      },
    },
  ],
};

import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { exportFollowUpsQuerySchema, followUpPageSchema, listFollowUpsQuerySchema, type FollowUp } from '../../server/modules/wecom/follow-ups/follow-ups.schema';
import { flagOption, intOption, noteNextPage, pagingOptions, print, printJson, stringOption, validated, type CommandContext, type CommandGroup, type OptionSpec } from '../command';
import { cliError } from '../errors';
import { writableOut } from '../out-file';
import { renderTable } from '../table';

const corpsSchema = z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })), nextCursor: z.string().nullable() });

/** `--account`, or the one WeCom corp when there is exactly one. */
async function corpOf(context: CommandContext): Promise<string> {
  const given = stringOption(context, 'account');
  if (given) return given;
  const { data } = await context.api().call('GET', '/api/v1/accounts', corpsSchema, { query: { type: 'wecom', limit: 2 } });
  if (data.items.length !== 1) {
    throw cliError('USAGE', context.locale, { problem: data.items.length === 0 ? 'no WeCom account is connected' : 'several WeCom accounts are connected; pass --account <id>' });
  }
  return data.items[0]!.id;
}

const filterOptions: Record<string, OptionSpec> = {
  account: { type: 'string', value: '<id>', description: 'The WeCom account (default: the only connected WeCom corp)' },
  userid: { type: 'string', value: '<userid>', description: 'Records on this member’s customers' },
  department: { type: 'string', value: '<id>', description: 'Records of members in this department or below it' },
  stage: { type: 'string', value: '<stage>', description: 'initial_contact, needs_confirmed, proposal, negotiation, won or lost' },
  customer: { type: 'string', value: '<externalUserId>', description: 'Records on this customer' },
  'due-before': { type: 'string', value: '<date>', description: 'Open reminders due by then, overdue ones included (YYYY-MM-DD, China time, or an ISO time); soonest first' },
  overdue: { type: 'boolean', description: 'Open reminders whose time has passed; soonest first' },
  q: { type: 'string', value: '<text>', description: 'Part of the note or of the customer’s name' },
};

/** A bare date means the end of that day in China time, as the console's date picker does. */
function dueBeforeOf(context: CommandContext): string | undefined {
  const raw = stringOption(context, 'due-before');
  return raw && /^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T23:59:59.999+08:00` : raw;
}

function filtersOf(context: CommandContext) {
  return {
    userid: stringOption(context, 'userid'),
    departmentId: intOption(context, 'department'),
    stage: stringOption(context, 'stage'),
    externalUserId: stringOption(context, 'customer'),
    dueBefore: dueBeforeOf(context),
    overdue: flagOption(context, 'overdue') ? 'true' : undefined,
    q: stringOption(context, 'q'),
  };
}

const oneLine = (text: string, max = 40) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return [...flat].length > max ? `${[...flat].slice(0, max - 1).join('')}…` : flat;
};
const minute = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : '');

/** One line per record: whose customer, the stage, the note's start, and the reminder with its state. */
export function followUpRows(items: readonly FollowUp[]): string {
  return renderTable(
    [
      { header: 'WRITTEN', value: (f: FollowUp) => minute(f.createdAt) },
      { header: 'CUSTOMER', value: (f) => `${f.customerName} (${f.externalUserId})` },
      { header: 'MEMBER', value: (f) => (f.memberName ? `${f.memberName} (${f.userid})` : f.userid) },
      { header: 'STAGE', value: (f) => f.stage },
      { header: 'NOTE', value: (f) => oneLine(f.note) },
      { header: 'NEXT CONTACT', value: (f) => (f.nextContactAt ? `${minute(f.nextContactAt)}${f.reminderStatus === 'overdue' ? ' overdue' : ''}` : '') },
      { header: 'FILES', value: (f) => String(f.attachments.length) },
      { header: 'ID', value: (f) => f.id },
    ],
    items,
  );
}

export const wecomFollowUpsGroup: CommandGroup = {
  name: 'follow-ups',
  summary: 'Follow-up records (跟进记录) on the customers within your reach',
  commands: [
    {
      name: 'list',
      summary: 'List follow-up records you may see, newest first (reminders soonest first with --due-before or --overdue)',
      options: { ...filterOptions, ...pagingOptions },
      async run(context) {
        const accountId = await corpOf(context);
        const query = validated(context, listFollowUpsQuerySchema, { ...filtersOf(context), limit: intOption(context, 'limit'), cursor: stringOption(context, 'cursor') });
        const { data } = await context.api().call('GET', `/api/v1/wecom/${encodeURIComponent(accountId)}/follow-ups`, followUpPageSchema, { query });
        if (context.json) return printJson(context, data);
        print(context, followUpRows(data.items));
        noteNextPage(context, data.nextCursor);
      },
    },
    {
      name: 'export',
      summary: 'Export the filtered follow-up records to an .xlsx file (needs the customer-export permission; audited)',
      options: { ...filterOptions, out: { type: 'string', short: 'o', value: '<file>', description: 'Where to write the .xlsx (required)' } },
      async run(context) {
        const out = await writableOut(context, stringOption(context, 'out'));
        const query = validated(context, exportFollowUpsQuerySchema, filtersOf(context));
        const accountId = await corpOf(context);
        const response = await context.api().send('GET', `/api/v1/wecom/${encodeURIComponent(accountId)}/follow-ups/export.xlsx`, { query });
        const bytes = Buffer.from(await response.arrayBuffer());
        await writeFile(out, bytes);
        if (context.json) return printJson(context, { file: out, bytes: bytes.length });
        print(context, `Wrote ${out} (${bytes.length} bytes)`);
      },
    },
  ],
};

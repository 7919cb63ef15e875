import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { customerFilterSchema, customerPageSchema, listCustomersQuerySchema, type Customer } from '../../server/modules/wecom/customers/customers.schema';
import { intOption, noteNextPage, pagingOptions, print, printJson, stringOption, validated, type CommandContext, type CommandGroup, type OptionSpec } from '../command';
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
  userid: { type: 'string', value: '<userid>', description: 'Customers this member follows' },
  department: { type: 'string', value: '<id>', description: 'Customers of members in this department or below it' },
  tag: { type: 'string', value: '<tagId>', description: 'Customers carrying this corp tag (WeCom tag id)' },
  source: { type: 'string', value: '<state>', description: 'Customers who came through this contact-me channel (state)' },
  from: { type: 'string', value: '<date>', description: 'First added on or after (YYYY-MM-DD, China time, or an ISO time)' },
  to: { type: 'string', value: '<date>', description: 'First added on or before' },
  q: { type: 'string', value: '<text>', description: 'Start of the name or of a member’s remark, or an exact external userid' },
  status: { type: 'string', value: '<status>', description: 'active (default), lost or all' },
};

function filtersOf(context: CommandContext) {
  return {
    userid: stringOption(context, 'userid'),
    departmentId: intOption(context, 'department'),
    tagId: stringOption(context, 'tag'),
    source: stringOption(context, 'source'),
    addedFrom: stringOption(context, 'from'),
    addedTo: stringOption(context, 'to'),
    q: stringOption(context, 'q'),
    status: stringOption(context, 'status'),
  };
}

/** One line per customer: who follows them now, through which channel, with phones as the server gave them (masked without the permission). */
export function customerRows(customers: readonly Customer[]): string {
  return renderTable(
    [
      { header: 'EXTERNAL USERID', value: (c: Customer) => c.externalUserId },
      { header: 'NAME', value: (c) => c.name },
      { header: 'MEMBERS', value: (c) => c.followers.filter((f) => f.status === 'active').map((f) => f.userid).join(', ') },
      { header: 'REMARK', value: (c) => c.remark },
      { header: 'PHONES', value: (c) => [...new Set(c.followers.flatMap((f) => f.remarkMobiles))].join(', ') },
      { header: 'TAGS', value: (c) => c.tagIds.join(', ') },
      { header: 'SOURCE', value: (c) => c.source?.state ?? '' },
      { header: 'ADDED', value: (c) => c.firstAddedAt.slice(0, 19).replace('T', ' ') },
      { header: 'STATUS', value: (c) => c.status },
    ],
    customers,
  );
}

export const wecomCustomersGroup: CommandGroup = {
  name: 'customers',
  summary: 'WeCom customers (客户) within your reach',
  commands: [
    {
      name: 'list',
      summary: 'List customers you may see, newest first, with filters',
      options: { ...filterOptions, ...pagingOptions },
      async run(context) {
        const accountId = await corpOf(context);
        const query = validated(context, listCustomersQuerySchema, { ...filtersOf(context), limit: intOption(context, 'limit'), cursor: stringOption(context, 'cursor') });
        const { data } = await context.api().call('GET', `/api/v1/wecom/${encodeURIComponent(accountId)}/customers`, customerPageSchema, {
          query: { ...query, withTotal: undefined },
        });
        if (context.json) return printJson(context, data);
        print(context, customerRows(data.items));
        noteNextPage(context, data.nextCursor);
      },
    },
    {
      name: 'export',
      summary: 'Export the filtered customers to an .xlsx file (counts against your daily exports)',
      options: { ...filterOptions, out: { type: 'string', short: 'o', value: '<file>', description: 'Where to write the .xlsx (required)' } },
      async run(context) {
        const out = await writableOut(context, stringOption(context, 'out'));
        const query = validated(context, customerFilterSchema, filtersOf(context));
        const accountId = await corpOf(context);
        const response = await context.api().send('GET', `/api/v1/wecom/${encodeURIComponent(accountId)}/customers/export.xlsx`, { query });
        const bytes = Buffer.from(await response.arrayBuffer());
        await writeFile(out, bytes);
        if (context.json) return printJson(context, { file: out, bytes: bytes.length });
        print(context, `Wrote ${out} (${bytes.length} bytes)`);
      },
    },
  ],
};

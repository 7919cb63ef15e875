import { z } from 'zod';
import {
  contactWayPageSchema,
  contactWaySchema,
  createContactWayBodySchema,
  listContactWaysQuerySchema,
  type ContactWay,
} from '../../server/modules/wecom/contact-ways/contact-ways.schema';
import { flagOption, intOption, listOption, noteNextPage, pagingOptions, print, printJson, stringOption, validated, type CommandContext, type CommandGroup } from '../command';
import { cliError } from '../errors';
import { renderTable } from '../table';

const corpsSchema = z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })), nextCursor: z.string().nullable() });

const accountOption = {
  account: { type: 'string' as const, value: '<id>', description: 'The WeCom account (default: the only connected WeCom corp)' },
};

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

/** The table people read: one line per code, adds of the last 7 days oldest first. */
export function contactWayRows(items: readonly ContactWay[]): string {
  return renderTable(
    [
      { header: 'CONFIG_ID', value: (w: ContactWay) => w.configId },
      { header: 'NAME', value: (w) => w.name },
      { header: 'TYPE', value: (w) => `${w.type}${w.isTemp ? ' (temp)' : ''}${w.scene === 'miniprogram' ? ' (mini-program)' : ''}` },
      { header: 'MEMBERS', value: (w) => w.userids.join(', ') },
      { header: 'STATE', value: (w) => w.state },
      { header: 'ADDS', value: (w) => String(w.addsTotal) },
      { header: 'LAST 7 DAYS', value: (w) => w.addsLast7Days.join(' ') },
    ],
    items,
  );
}

export const wecomContactWaysGroup: CommandGroup = {
  name: 'contact-ways',
  summary: 'WeCom 「联系我」 codes (contact-me QR codes)',
  commands: [
    {
      name: 'list',
      summary: 'List contact-me codes with their adds',
      options: {
        ...accountOption,
        userid: { type: 'string', value: '<userid>', description: 'Only codes this member is on' },
        q: { type: 'string', value: '<text>', description: 'Part of the name or state' },
        ...pagingOptions,
      },
      async run(context) {
        const accountId = await corpOf(context);
        const query = validated(context, listContactWaysQuerySchema, {
          userid: stringOption(context, 'userid'),
          q: stringOption(context, 'q'),
          limit: intOption(context, 'limit'),
          cursor: stringOption(context, 'cursor'),
        });
        const { data } = await context.api().call('GET', `/api/v1/wecom/${encodeURIComponent(accountId)}/contact-ways`, contactWayPageSchema, { query });
        if (context.json) return printJson(context, data);
        print(context, data.items.length ? contactWayRows(data.items) : '(no contact-me code)');
        noteNextPage(context, data.nextCursor);
      },
    },
    {
      name: 'create',
      summary: 'Create a contact-me code: --name <name> --userid <u1> [--userid <u2>] [--state <s>] [--skip-verify]',
      options: {
        ...accountOption,
        name: { type: 'string', value: '<name>', description: 'Channel name (≤ 30 characters; WeCom’s remark)' },
        userid: { type: 'string', multiple: true, value: '<userid>', description: 'A member the code adds; repeat for a multi-member code (≤ 100)' },
        state: { type: 'string', value: '<state>', description: 'Attribution key (≤ 30 characters; generated when omitted)' },
        'skip-verify': { type: 'boolean', description: 'Customers are accepted without the member confirming each request' },
        tag: { type: 'string', multiple: true, value: '<tagId>', description: 'A corp customer tag put on each new customer; repeatable' },
        welcome: { type: 'string', value: '<text>', description: 'The code’s own welcome text ({客户昵称} / {customerName} is the customer’s name)' },
      },
      async run(context) {
        const accountId = await corpOf(context);
        const userids = listOption(context, 'userid');
        const welcome = stringOption(context, 'welcome');
        const body = validated(context, createContactWayBodySchema, {
          name: stringOption(context, 'name'),
          type: userids.length > 1 ? 'multi' : 'single',
          userids,
          state: stringOption(context, 'state'),
          skipVerify: flagOption(context, 'skip-verify'),
          tagIds: listOption(context, 'tag'),
          ...(welcome ? { welcomeMessage: { text: welcome } } : {}),
        });
        const { data } = await context.api().call('POST', `/api/v1/wecom/${encodeURIComponent(accountId)}/contact-ways`, contactWaySchema, { body });
        if (context.json) return printJson(context, data);
        print(context, `Created ${data.configId} (${data.name}, state ${data.state})${data.qrCodeUrl ? `\nQR image: GET /api/v1/wecom/${accountId}/contact-ways/${data.configId}/qr.png` : ''}`);
      },
    },
  ],
};

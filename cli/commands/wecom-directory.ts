import { z } from 'zod';
import { departmentListSchema, type Department } from '../../server/modules/wecom/departments/departments.schema';
import { listMembersQuerySchema, memberPageSchema, type Member } from '../../server/modules/wecom/members/members.schema';
import { flagOption, intOption, noteNextPage, pagingOptions, print, printJson, stringOption, validated, type CommandContext, type CommandGroup } from '../command';
import { cliError } from '../errors';
import { renderTable } from '../table';

const accountOption = {
  account: { type: 'string' as const, value: '<id>', description: 'The WeCom account (default: the only connected WeCom corp)' },
};

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

/** The tree as indented lines, parents before children (the API's order); scope roots start at the left. */
export function treeLines(departments: readonly Department[]): string[] {
  const depth = new Map<number, number>();
  return departments.map((d) => {
    const level = depth.has(d.parentId) ? depth.get(d.parentId)! + 1 : 0;
    depth.set(d.id, level);
    return `${'  '.repeat(level)}${d.name} (${d.id}) · ${d.memberCount}${d.synced ? '' : ' *'}`;
  });
}

export const wecomDepartmentsGroup: CommandGroup = {
  name: 'wecom departments',
  summary: 'WeCom departments (the 通讯录 tree)',
  commands: [
    {
      name: 'list',
      summary: 'Print the department tree you may see, indented (id, direct members; * = not yet pushed to WeCom)',
      options: { ...accountOption },
      async run(context) {
        const accountId = await corpOf(context);
        const { data } = await context.api().call('GET', `/api/v1/wecom/${encodeURIComponent(accountId)}/departments`, departmentListSchema);
        if (context.json) return printJson(context, data);
        print(context, treeLines(data.items).join('\n') || '(no department)');
      },
    },
  ],
};

export const wecomMembersListGroup: CommandGroup = {
  name: 'wecom members',
  summary: 'WeCom members',
  commands: [
    {
      name: 'list',
      summary: 'List members you may see, by userid',
      options: {
        ...accountOption,
        department: { type: 'string', value: '<id>', description: 'Only members of this department' },
        'include-sub': { type: 'boolean', description: 'With --department: its sub-departments too' },
        status: { type: 'string', value: '<status>', description: 'active, disabled, inactive or resigned' },
        q: { type: 'string', value: '<text>', description: 'Part of the userid, name, mobile, email or position' },
        ...pagingOptions,
      },
      async run(context) {
        const accountId = await corpOf(context);
        const query = validated(context, listMembersQuerySchema, {
          departmentId: intOption(context, 'department'),
          includeSubdepartments: flagOption(context, 'include-sub') ? 'true' : undefined,
          status: stringOption(context, 'status'),
          q: stringOption(context, 'q'),
          limit: intOption(context, 'limit'),
          cursor: stringOption(context, 'cursor'),
        });
        const { data } = await context.api().call('GET', `/api/v1/wecom/${encodeURIComponent(accountId)}/members`, memberPageSchema, {
          query,
        });
        if (context.json) return printJson(context, data);
        print(
          context,
          renderTable(
            [
              { header: 'USERID', value: (m: Member) => m.userid },
              { header: 'NAME', value: (m) => m.name },
              { header: 'DEPARTMENTS', value: (m) => m.departments.map((d) => `${d.departmentId}${d.isMain ? '*' : ''}${d.isLeader ? '(leader)' : ''}`).join(', ') },
              { header: 'POSITION', value: (m) => m.position ?? '' },
              { header: 'MOBILE', value: (m) => m.mobile ?? '' },
              { header: 'EMAIL', value: (m) => m.email ?? '' },
              { header: 'STATUS', value: (m) => m.status },
            ],
            data.items,
          ),
        );
        if (data.total !== undefined && !context.json) context.io.stderr(`${data.total} member(s) match\n`);
        noteNextPage(context, data.nextCursor);
      },
    },
  ],
};

import { createUserBodySchema, listUsersQuerySchema, userPageSchema, userSchema, type User } from '../../server/modules/system/users/users.schema';
import {
  flagOption,
  intOption,
  listOption,
  noteNextPage,
  pagingOptions,
  print,
  printJson,
  stringOption,
  validated,
  type CommandContext,
  type CommandGroup,
} from '../command';
import { cliError } from '../errors';
import { renderRecord, renderTable } from '../table';

function scopesText(user: Pick<User, 'departmentScopes'>): string {
  return user.departmentScopes.map((s) => `${s.accountId}:${s.departmentId}`).join(', ');
}

/** `account:value` pairs from repeated options, e.g. `--scope ww123:2`. */
function pairs(context: CommandContext, option: string): [string, string][] {
  return listOption(context, option).map((raw) => {
    const at = raw.lastIndexOf(':');
    if (at <= 0 || at === raw.length - 1) throw cliError('USAGE', context.locale, { problem: `--${option} takes <accountId>:<value> (got ${raw})` });
    return [raw.slice(0, at), raw.slice(at + 1)];
  });
}

async function newPassword(context: CommandContext): Promise<string> {
  if (flagOption(context, 'password-stdin')) return (await context.io.readStdin()).replace(/\r?\n$/, '');
  const given = stringOption(context, 'password');
  if (given !== undefined) return given;
  if (!context.io.isInteractive) throw cliError('USAGE', context.locale, { problem: 'give --password-stdin or --password (no terminal to ask on)' });
  try {
    const first = await context.io.prompt('Password for the new user: ', { hidden: true });
    const again = await context.io.prompt('Repeat it: ', { hidden: true });
    if (first !== again) throw cliError('USAGE', context.locale, { problem: 'the two passwords differ' });
    return first;
  } catch (error) {
    if (error instanceof Error && error.name === 'CliError') throw error;
    throw cliError('CANCELLED', context.locale);
  }
}

function printUser(context: CommandContext, user: User): void {
  if (context.json) return printJson(context, user);
  print(
    context,
    renderRecord([
      ['id', user.id],
      ['username', user.username],
      ['display name', user.displayName],
      ['role', user.role],
      ['status', user.status],
      ['department scopes', scopesText(user)],
      ['WeCom members', user.wecomMembers.map((m) => `${m.accountId}:${m.userid}`).join(', ')],
      ['created', user.createdAt],
    ]),
  );
}

export const usersGroup: CommandGroup = {
  name: 'users',
  summary: 'Admins and members who use the console and the API',
  commands: [
    {
      name: 'list',
      summary: 'List users',
      options: {
        role: { type: 'string', value: '<role>', description: 'Only this role: super_admin, dept_admin or member' },
        status: { type: 'string', value: '<status>', description: 'active or disabled' },
        q: { type: 'string', value: '<text>', description: 'Part of the username or display name' },
        ...pagingOptions,
      },
      async run(context) {
        const query = validated(context, listUsersQuerySchema, {
          role: stringOption(context, 'role'),
          status: stringOption(context, 'status'),
          q: stringOption(context, 'q'),
          limit: intOption(context, 'limit'),
          cursor: stringOption(context, 'cursor'),
        });
        const { data } = await context.api().call('GET', '/api/v1/users', userPageSchema, { query });
        if (context.json) return printJson(context, data);
        print(
          context,
          renderTable(
            [
              { header: 'ID', value: (u: User) => u.id },
              { header: 'USERNAME', value: (u) => u.username },
              { header: 'NAME', value: (u) => u.displayName },
              { header: 'ROLE', value: (u) => u.role },
              { header: 'STATUS', value: (u) => u.status },
              { header: 'SCOPES', value: (u) => scopesText(u) },
              { header: 'CREATED', value: (u) => u.createdAt },
            ],
            data.items,
          ),
        );
        noteNextPage(context, data.nextCursor);
      },
    },
    {
      name: 'create',
      summary: 'Create a user',
      options: {
        username: { type: 'string', value: '<name>', description: 'Login name (letters, digits, . _ @ -)' },
        'display-name': { type: 'string', value: '<name>', description: 'Name shown in the console (default: the username)' },
        role: { type: 'string', value: '<role>', description: 'super_admin, dept_admin or member (default: member)' },
        password: { type: 'string', value: '<password>', description: 'Initial password (asked when missing); visible in the process list' },
        'password-stdin': { type: 'boolean', description: 'Read the initial password from standard input' },
        scope: { type: 'string', multiple: true, value: '<accountId>:<departmentId>', description: 'A department subtree a dept_admin manages (repeatable)' },
        'wecom-member': { type: 'string', multiple: true, value: '<accountId>:<userid>', description: 'The WeCom member this user is (repeatable)' },
      },
      async run(context) {
        const username = stringOption(context, 'username');
        if (username === undefined) throw cliError('USAGE', context.locale, { problem: '--username is required' });
        const body = validated(context, createUserBodySchema, {
          username,
          password: await newPassword(context),
          displayName: stringOption(context, 'display-name') ?? username,
          role: stringOption(context, 'role') ?? 'member',
          departmentScopes: pairs(context, 'scope').map(([accountId, id]) => ({ accountId, departmentId: /^\d+$/.test(id) ? Number(id) : id })),
          wecomMembers: pairs(context, 'wecom-member').map(([accountId, userid]) => ({ accountId, userid })),
        });
        const { data } = await context.api().call('POST', '/api/v1/users', userSchema, { body });
        printUser(context, data);
      },
    },
  ],
};

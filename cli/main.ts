import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Locale } from '../common/errors';
import type { Command, CommandContext, CommandGroup, OptionSpec, OptionValues } from './command';
import { apiKeysGroup } from './commands/api-keys';
import { auditGroup } from './commands/audit';
import { jobsGroup } from './commands/jobs';
import { loginCommand, logoutCommand } from './commands/login';
import { usersGroup } from './commands/users';
import { wecomMemberFilesGroup } from './commands/wecom-member-files';
import { wecomSyncGroup } from './commands/wecom-sync';
import { wecomDepartmentsGroup, wecomMembersListGroup } from './commands/wecom-directory';
import { wecomContactWaysGroup } from './commands/wecom-contact-ways';
import { wecomCustomersGroup } from './commands/wecom-customers';
import { wecomFollowUpsGroup } from './commands/wecom-follow-ups';
import { credentialsPath, readCredentials } from './credentials';
import { CliError, cliError, localeOf } from './errors';
import { createApiClient, normaliseBaseUrl } from './http-client';
import { processIo, type CliIo } from './io';
import { printable } from './table';

const defaultUrl = 'http://127.0.0.1:3000';

const globalOptions: Record<string, OptionSpec> = {
  url: { type: 'string', value: '<url>', description: `Qiao's address (QIAO_URL; else the last login's; else ${defaultUrl})` },
  'api-key': { type: 'string', value: '<key>', description: 'API key (QIAO_API_KEY; else the one `qiao login` saved)' },
  json: { type: 'boolean', description: 'Print JSON for scripts instead of tables' },
  lang: { type: 'string', value: '<zh-CN|en-US>', description: 'Language of error messages (default: from LANG)' },
  help: { type: 'boolean', short: 'h', description: 'Show help for the command' },
};

const entries: (Command | CommandGroup)[] = [loginCommand, logoutCommand, usersGroup, apiKeysGroup, auditGroup, jobsGroup, wecomMemberFilesGroup, wecomSyncGroup, wecomDepartmentsGroup, wecomMembersListGroup, wecomContactWaysGroup, wecomCustomersGroup, wecomFollowUpsGroup];

const isGroup = (entry: Command | CommandGroup): entry is CommandGroup => 'commands' in entry;

function optionLines(options: Record<string, OptionSpec>): string[] {
  const labels = Object.entries(options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.value ? ` ${spec.value}` : ''}`;
    return [flag, spec.description] as const;
  });
  const width = Math.max(...labels.map(([flag]) => flag.length));
  return labels.map(([flag, description]) => `  ${flag.padEnd(width)}  ${description}`);
}

function commandLines(rows: [string, string][]): string[] {
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, summary]) => `  ${name.padEnd(width)}  ${summary}`);
}

function topHelp(): string {
  const rows: [string, string][] = entries.flatMap((entry): [string, string][] =>
    isGroup(entry) ? entry.commands.map((c): [string, string] => [`${entry.name} ${c.name}${(c.args ?? []).map((a) => ` <${a}>`).join('')}`, c.summary]) : [[entry.name, entry.summary]],
  );
  return [
    'qiao: work with a running Qiao (桥) through its REST API',
    '',
    'Usage: qiao <command> [options]',
    '',
    'Commands:',
    ...commandLines(rows),
    '',
    'Global options:',
    ...optionLines(globalOptions),
    '',
    'Run `qiao <command> --help` for its options. Exit status: 0 done, 1 refused or failed (printed as CODE: message), 2 wrong usage.',
    '',
  ].join('\n');
}

function groupHelp(group: CommandGroup): string {
  return [
    `qiao ${group.name}: ${group.summary}`,
    '',
    `Usage: qiao ${group.name} <command> [options]`,
    '',
    'Commands:',
    ...commandLines(group.commands.map((c): [string, string] => [c.name, c.summary])),
    '',
    `Run \`qiao ${group.name} <command> --help\` for its options.`,
    '',
  ].join('\n');
}

function commandHelp(path: string, command: Command): string {
  const args = (command.args ?? []).map((a) => ` <${a}>`).join('');
  const own = command.options && Object.keys(command.options).length > 0 ? ['Options:', ...optionLines(command.options), ''] : [];
  return [`qiao ${path}: ${command.summary}`, '', `Usage: qiao ${path}${args} [options]`, '', ...own, 'Global options:', ...optionLines(globalOptions), ''].join('\n');
}

/** The words naming the command, found among the arguments; global options may come first. */
function commandWords(argv: string[]): { words: string[]; indexes: number[] } {
  const words: string[] = [];
  const indexes: number[] = [];
  for (let i = 0; i < argv.length && words.length < 3; i++) {
    const token = argv[i] ?? '';
    if (token === '--') break;
    if (token.startsWith('-')) {
      const name = token.replace(/^-+/, '');
      if (globalOptions[name]?.type === 'string') i++;
      continue;
    }
    words.push(token);
    indexes.push(i);
    // Group names may have two words (`wecom members`): keep reading while a group name goes on.
    const joined = words.join(' ');
    if (!entries.some((e) => isGroup(e) && (e.name === joined || e.name.startsWith(`${joined} `)))) break;
  }
  return { words, indexes };
}

function langArgument(argv: string[]): string | undefined {
  const index = argv.findIndex((token) => token === '--lang' || token.startsWith('--lang='));
  if (index < 0) return undefined;
  const token = argv[index] ?? '';
  return token.includes('=') ? token.slice('--lang='.length) : argv[index + 1];
}

function reportError(io: CliIo, error: CliError): void {
  io.stderr(`${printable(error.code)}: ${printable(error.message)}\n`);
  const fields = error.details.fields;
  if (Array.isArray(fields)) {
    for (const field of fields as { field?: unknown; message?: unknown }[]) io.stderr(`  ${printable(field.field)}: ${printable(field.message)}\n`);
  }
  if (error.requestId) io.stderr(`  request id: ${printable(error.requestId)}\n`);
}

function buildContext(io: CliIo, locale: Locale, values: OptionValues, positionals: string[]): CommandContext {
  const file = credentialsPath(io.env, io.homeDir);
  const saved = readCredentials(file);
  const given = (values.url as string | undefined) ?? io.env.QIAO_URL;
  const baseUrl = normaliseBaseUrl(given || saved.defaultUrl || defaultUrl, locale);
  const apiKey = (values['api-key'] as string | undefined) || io.env.QIAO_API_KEY || saved.servers[baseUrl]?.apiKey;
  return {
    io,
    locale,
    json: values.json === true,
    baseUrl,
    values,
    positionals,
    credentialsFile: file,
    api() {
      if (!apiKey) throw cliError('NOT_LOGGED_IN', locale);
      return createApiClient({ baseUrl, apiKey, locale, fetch: io.fetch });
    },
    anonymous: () => createApiClient({ baseUrl, locale, fetch: io.fetch }),
  };
}

/** Runs one command line; returns the exit status. Never exits the process itself. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const locale = localeOf(langArgument(argv), io.env);
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  try {
    const { words, indexes } = commandWords(argv);
    if (words.length === 0) {
      if (wantsHelp || argv.length === 0) {
        io[wantsHelp ? 'stdout' : 'stderr'](topHelp());
        return wantsHelp ? 0 : 2;
      }
      throw cliError('USAGE', locale, { problem: 'no command given; run `qiao --help`' });
    }
    if (words[0] === 'help') {
      io.stdout(topHelp());
      return 0;
    }
    const parentWords = words.slice(0, -1).join(' ');
    const isGroupName = (candidate: string) => entries.some((e) => isGroup(e) && e.name === candidate);
    // The longest group name wins: `wecom members` (a group) over `wecom` (a group with `sync`).
    const name = isGroupName(words.join(' ')) ? words.join(' ') : words.length > 1 && isGroupName(parentWords) ? parentWords : words.join(' ');
    const next = words[name.split(' ').length];
    // Several files may each add commands to one group (e.g. `wecom members`).
    const matching = entries.filter((e) => e.name === name);
    const entry = matching.length > 1 && matching.every(isGroup) ? { ...matching[0]!, commands: matching.flatMap((g) => g.commands) } : matching[0];
    if (!entry) throw cliError('USAGE', locale, { problem: `unknown command "${words.join(' ')}"; run \`qiao --help\`` });
    let command: Command;
    let path = entry.name;
    if (isGroup(entry)) {
      const sub = entry.commands.find((c) => c.name === next);
      if (!sub) {
        if (next === undefined) {
          io[wantsHelp ? 'stdout' : 'stderr'](groupHelp(entry));
          return wantsHelp ? 0 : 2;
        }
        throw cliError('USAGE', locale, { problem: `unknown command "${entry.name} ${next}"; run \`qiao ${entry.name} --help\`` });
      }
      command = sub;
      path = `${entry.name} ${sub.name}`;
    } else {
      command = entry;
    }

    if (wantsHelp) {
      io.stdout(commandHelp(path, command));
      return 0;
    }
    const rest = argv.filter((_, i) => !indexes.includes(i));
    let parsed: { values: OptionValues; positionals: string[] };
    try {
      parsed = parseArgs({ args: rest, options: { ...globalOptions, ...command.options }, allowPositionals: true, strict: true }) as typeof parsed;
    } catch (error) {
      throw cliError('USAGE', locale, { problem: (error as Error).message });
    }
    const expected = command.args ?? [];
    if (parsed.positionals.length !== expected.length) {
      const wanted = expected.length === 0 ? 'no arguments' : expected.map((a) => `<${a}>`).join(' ');
      throw cliError('USAGE', locale, { problem: `qiao ${path} takes ${wanted}` });
    }
    await command.run(buildContext(io, locale, parsed.values, parsed.positionals));
    return 0;
  } catch (error) {
    if (error instanceof CliError) {
      reportError(io, error);
      return error.exitCode;
    }
    io.stderr(`INTERNAL_ERROR: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

/** The `qiao` executable: real terminal, real environment, the process exit status. */
export async function runFromProcess(): Promise<void> {
  process.exitCode = await main(process.argv.slice(2), processIo());
}

function isEntryPoint(): boolean {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) await runFromProcess();

import type { z } from 'zod';
import type { Locale } from '../common/errors';
import { cliError } from './errors';
import type { ApiClient } from './http-client';
import type { CliIo } from './io';

export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  /** Placeholder shown in help, e.g. `<id>`. */
  value?: string;
  description: string;
}

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CommandContext {
  io: CliIo;
  locale: Locale;
  json: boolean;
  baseUrl: string;
  values: OptionValues;
  positionals: string[];
  credentialsFile: string;
  /** A client that carries the API key; throws NOT_LOGGED_IN when there is none. */
  api(): ApiClient;
  /** A client without a key, for login. */
  anonymous(): ApiClient;
}

export interface Command {
  name: string;
  summary: string;
  /** Required positional arguments, in order. */
  args?: string[];
  options?: Record<string, OptionSpec>;
  run(context: CommandContext): Promise<void>;
}

export interface CommandGroup {
  name: string;
  summary: string;
  commands: Command[];
}

export function stringOption(context: CommandContext, name: string): string | undefined {
  const value = context.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function listOption(context: CommandContext, name: string): string[] {
  const value = context.values[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function flagOption(context: CommandContext, name: string): boolean {
  return context.values[name] === true;
}

export function intOption(context: CommandContext, name: string): number | undefined {
  const raw = stringOption(context, name);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw cliError('USAGE', context.locale, { problem: `--${name} must be a whole number (got ${raw})` });
  return Number(raw);
}

/** Checks what the user typed with the server's own request schema, before anything is sent. */
export function validated<T>(context: CommandContext, schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.map(String).join('.') || 'input'}: ${issue.message}`);
  throw cliError('USAGE', context.locale, { problem: problems.join('; ') });
}

export function print(context: CommandContext, text: string): void {
  context.io.stdout(text.endsWith('\n') ? text : `${text}\n`);
}

export function printJson(context: CommandContext, value: unknown): void {
  context.io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** Tells a person there is another page; scripts read `nextCursor` from the JSON instead. */
export function noteNextPage(context: CommandContext, nextCursor: string | null): void {
  if (nextCursor && !context.json) context.io.stderr(`More results: repeat with --cursor ${nextCursor}\n`);
}

export const pagingOptions: Record<string, OptionSpec> = {
  limit: { type: 'string', value: '<n>', description: 'At most this many (1–500; default 50)' },
  cursor: { type: 'string', value: '<cursor>', description: 'Continue after the previous page' },
};

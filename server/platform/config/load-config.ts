import { configVariables, type Config } from './variables';

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * The only reader of `process.env`. Collects every problem before failing,
 * so one boot shows the whole list instead of one error per restart.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(configVariables)) {
    const raw = env[variable.name];
    const input = raw === undefined || raw === '' ? undefined : raw;
    const result = variable.schema.safeParse(input);
    if (result.success) values[key] = result.data;
    else problems.push(`${variable.name}: ${result.error.issues.map((i) => i.message).join('; ')}`);
  }
  if ((values.adminUsername === undefined) !== (values.adminPassword === undefined)) {
    problems.push('QIAO_ADMIN_USERNAME and QIAO_ADMIN_PASSWORD must be set together');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const host = values.host as string;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const publicBaseUrl = ((values.publicUrl as string | undefined) ?? `http://${shownHost}:${values.port as number}`).replace(/\/+$/, '');
  return { ...(values as Omit<Config, 'publicBaseUrl'>), publicBaseUrl } as Config;
}

import { apiKeySchema, createdApiKeySchema } from '../../server/modules/system/api-keys/api-keys.schema';
import { csrfHeaderName, loginBodySchema, loginResponseSchema, sessionCookieName } from '../../server/modules/system/auth/auth.schema';
import { flagOption, print, printJson, stringOption, validated, type Command, type CommandContext } from '../command';
import { readCredentials, writeCredentials } from '../credentials';
import { CliError, cliError } from '../errors';
import { anyBody, type ApiClient } from '../http-client';

async function askCredentials(context: CommandContext): Promise<{ username: string; password: string }> {
  const { io, locale } = context;
  let username = stringOption(context, 'username');
  let password = stringOption(context, 'password');
  if (flagOption(context, 'password-stdin')) {
    password = (await io.readStdin()).replace(/\r?\n$/, '');
  }
  const ask = async (question: string, hidden: boolean) => {
    try {
      return await io.prompt(question, { hidden });
    } catch {
      throw cliError('CANCELLED', locale);
    }
  };
  if (username === undefined) {
    if (!io.isInteractive) throw cliError('USAGE', locale, { problem: 'give --username (no terminal to ask on)' });
    username = (await ask('Username: ', false)).trim();
  }
  if (password === undefined) {
    if (!io.isInteractive) throw cliError('USAGE', locale, { problem: 'give --password-stdin or --password (no terminal to ask on)' });
    password = await ask('Password: ', true);
  }
  return validated(context, loginBodySchema, { username, password });
}

function sessionCookie(headers: Headers): string {
  const cookie = headers.getSetCookie().find((line) => line.startsWith(`${sessionCookieName}=`));
  const pair = cookie?.split(';')[0];
  if (!pair) throw new CliError('UNEXPECTED_RESPONSE', 'The login answer carried no session cookie');
  return pair;
}

/** The key for this machine; the server caps names at 100 characters. */
function keyName(hostname: string): string {
  return `cli@${hostname}`.slice(0, 100);
}

export const loginCommand: Command = {
  name: 'login',
  summary: 'Log in, create an API key for this machine and save it for the next commands',
  options: {
    username: { type: 'string', short: 'u', value: '<name>', description: 'Login name (asked when missing)' },
    password: { type: 'string', value: '<password>', description: 'Password; other users can see it in the process list, so prefer the prompt' },
    'password-stdin': { type: 'boolean', description: 'Read the password from standard input (for scripts)' },
  },
  async run(context) {
    const credentials = await askCredentials(context);
    const client: ApiClient = context.anonymous();
    const login = await client.call('POST', '/api/v1/auth/login', loginResponseSchema, { body: credentials });
    const headers = { cookie: sessionCookie(login.headers), [csrfHeaderName]: login.data.user.csrfToken ?? '' };
    try {
      const created = await client.call('POST', '/api/v1/api-keys', createdApiKeySchema, {
        body: { name: keyName(context.io.hostname) },
        headers,
      });
      const saved = readCredentials(context.credentialsFile);
      const previous = saved.servers[context.baseUrl];
      saved.servers[context.baseUrl] = {
        apiKey: created.data.key,
        apiKeyId: created.data.id,
        username: login.data.user.username,
        savedAt: new Date().toISOString(),
      };
      saved.defaultUrl = context.baseUrl;
      writeCredentials(context.credentialsFile, saved);
      // The key this machine saved before is replaced: revoke it rather than leave it valid and forgotten.
      if (previous && previous.apiKeyId !== created.data.id) {
        await client.call('DELETE', `/api/v1/api-keys/${encodeURIComponent(previous.apiKeyId)}`, apiKeySchema, { headers }).catch(() => undefined);
      }
      if (context.json) {
        printJson(context, { url: context.baseUrl, username: login.data.user.username, apiKeyId: created.data.id, credentialsFile: context.credentialsFile });
      } else {
        print(context, `Logged in to ${context.baseUrl} as ${login.data.user.username}. API key "${created.data.name}" (${created.data.prefix}…) saved in ${context.credentialsFile}.`);
      }
    } finally {
      await client.call('POST', '/api/v1/auth/logout', anyBody, { headers }).catch(() => undefined);
    }
  },
};

export const logoutCommand: Command = {
  name: 'logout',
  summary: 'Revoke the API key saved by `qiao login` for this server and forget it',
  async run(context) {
    const saved = readCredentials(context.credentialsFile);
    const entry = saved.servers[context.baseUrl];
    if (!entry) throw cliError('NOT_LOGGED_IN', context.locale);
    try {
      await context.api().call('DELETE', `/api/v1/api-keys/${encodeURIComponent(entry.apiKeyId)}`, apiKeySchema);
    } catch (error) {
      // A key revoked or deleted elsewhere is as good as revoked here; anything else must not be hidden.
      if (!(error instanceof CliError) || !['API_KEY_REVOKED', 'UNAUTHENTICATED', 'API_KEY_NOT_FOUND'].includes(error.code)) throw error;
    }
    delete saved.servers[context.baseUrl];
    if (saved.defaultUrl === context.baseUrl) saved.defaultUrl = null;
    writeCredentials(context.credentialsFile, saved);
    if (context.json) printJson(context, { url: context.baseUrl, revokedApiKeyId: entry.apiKeyId });
    else print(context, `Logged out of ${context.baseUrl}; the saved API key is revoked.`);
  },
};

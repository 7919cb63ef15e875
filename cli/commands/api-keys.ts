import {
  apiKeyIdParamsSchema,
  apiKeyPageSchema,
  apiKeySchema,
  createApiKeyBodySchema,
  createdApiKeySchema,
  listApiKeysQuerySchema,
  type ApiKey,
} from '../../server/modules/system/api-keys/api-keys.schema';
import { flagOption, intOption, noteNextPage, pagingOptions, print, printJson, stringOption, validated, type CommandGroup } from '../command';
import { cliError } from '../errors';
import { renderRecord, renderTable } from '../table';

function status(key: ApiKey, now: Date): string {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && new Date(key.expiresAt) <= now) return 'expired';
  return 'active';
}

export const apiKeysGroup: CommandGroup = {
  name: 'api-keys',
  summary: 'Keys for scripts and integrations (Authorization: Bearer <key>)',
  commands: [
    {
      name: 'create',
      summary: 'Create an API key; the key is shown only this once',
      options: {
        name: { type: 'string', value: '<name>', description: 'What the key is for (required)' },
        role: { type: 'string', value: '<role>', description: 'A role at most your own (default: yours)' },
        'expires-at': { type: 'string', value: '<iso-time>', description: 'Expiry, ISO 8601 with offset, e.g. 2027-01-01T00:00:00+08:00' },
      },
      async run(context) {
        const name = stringOption(context, 'name');
        if (name === undefined) throw cliError('USAGE', context.locale, { problem: '--name is required' });
        const body = validated(context, createApiKeyBodySchema, {
          name,
          role: stringOption(context, 'role'),
          expiresAt: stringOption(context, 'expires-at'),
        });
        const { data } = await context.api().call('POST', '/api/v1/api-keys', createdApiKeySchema, { body });
        if (context.json) return printJson(context, data);
        print(
          context,
          renderRecord([
            ['id', data.id],
            ['name', data.name],
            ['role', data.role],
            ['expires', data.expiresAt ?? 'never'],
            ['key', data.key],
          ]),
        );
        context.io.stderr('Store the key now: Qiao keeps only its hash and cannot show it again.\n');
      },
    },
    {
      name: 'list',
      summary: 'List your API keys (super_admin: --all for everyone’s)',
      options: {
        all: { type: 'boolean', description: 'Every user’s keys (super_admin only)' },
        ...pagingOptions,
      },
      async run(context) {
        const query = validated(context, listApiKeysQuerySchema, {
          all: flagOption(context, 'all') ? 'true' : undefined,
          limit: intOption(context, 'limit'),
          cursor: stringOption(context, 'cursor'),
        });
        const { data } = await context.api().call('GET', '/api/v1/api-keys', apiKeyPageSchema, { query });
        if (context.json) return printJson(context, data);
        const now = new Date();
        print(
          context,
          renderTable(
            [
              { header: 'ID', value: (k: ApiKey) => k.id },
              { header: 'NAME', value: (k) => k.name },
              { header: 'PREFIX', value: (k) => k.prefix },
              { header: 'OWNER', value: (k) => k.username },
              { header: 'ROLE', value: (k) => k.role },
              { header: 'STATUS', value: (k) => status(k, now) },
              { header: 'LAST USED', value: (k) => k.lastUsedAt ?? 'never' },
              { header: 'CREATED', value: (k) => k.createdAt },
            ],
            data.items,
          ),
        );
        noteNextPage(context, data.nextCursor);
      },
    },
    {
      name: 'revoke',
      summary: 'Revoke an API key at once',
      args: ['id'],
      async run(context) {
        const { id } = validated(context, apiKeyIdParamsSchema, { id: context.positionals[0] });
        const { data } = await context.api().call('DELETE', `/api/v1/api-keys/${encodeURIComponent(id)}`, apiKeySchema);
        if (context.json) return printJson(context, data);
        print(context, `Revoked API key "${data.name}" (${data.id}).`);
      },
    },
  ],
};

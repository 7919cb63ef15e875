import { AppError, isAppError, renderErrorMessage, type Locale } from '../../../../common/errors';
import { decodeCursor, encodeCursor, type Page } from '../../../../common/paging';
import type { AuditRecorder } from '../../../platform/audit';
import type { Clock } from '../../../platform/clock';
import type { Config } from '../../../platform/config';
import type { RequestContext } from '../../../platform/http/principal';
import { openSecretOrNull, SecretOpenError, type SecretBox } from '../../../platform/secrets';
import { isWeChatApiError, type AccessTokenStore, type WeChatAccount, type WeChatClient } from '../../../wechat/client';
import type { AccountRow, AccountsRepository, ReceiverRow } from './accounts.repository';
import type {
  Account,
  AccountTestResult,
  ApiErrorSummary,
  CallbackCheckBody,
  CallbackCheckResult,
  CreateAccountBody,
  ListAccountsQuery,
  UpdateAccountBody,
} from './accounts.schema';
import { checkCallbackUrl, type CallbackCheckInput } from './callback-doctor';
import { defaultApiBaseUrls, generateCallbackToken, generateEncodingAesKey, officialAccountReceiver } from './credentials';
import { isUniqueViolation } from '../../../platform/db/unique-violation';

/** Decrypted credentials of one receiver, for the callback server and the WeChat client only. */
export interface ReceiverCredentials {
  accountId: string;
  type: AccountRow['type'];
  /** AppID or CorpID: the receiver id inside encrypted callbacks. */
  wechatId: string;
  receiver: string;
  secret: string;
  token: string;
  /** Current key first, then the previous one (kept for decryption after a change). */
  encodingAesKeys: string[];
  encryptMode: AccountRow['encryptMode'];
}

export interface AccountsServiceDeps {
  repository: AccountsRepository;
  secrets: SecretBox;
  wechat: WeChatClient;
  tokenStore: AccessTokenStore;
  audit: AuditRecorder;
  clock: Clock;
  config: Pick<Config, 'publicBaseUrl'>;
}

export type AccountsService = ReturnType<typeof createAccountsService>;

const callbackTouchIntervalMs = 60_000;

export function createAccountsService(deps: AccountsServiceDeps) {
  const { repository, secrets } = deps;

  function toAccount(row: AccountRow, receivers: ReceiverRow[]): Account {
    const base = deps.config.publicBaseUrl;
    const callbacks = receivers.map((r) => ({
      receiver: r.receiver,
      url: row.type === 'official_account' ? `${base}/wechat/official-account/${row.id}/callback` : `${base}/wechat/wecom/${row.id}/${r.receiver}/callback`,
      token: openSecretOrNull(secrets, r.tokenSealed),
      encodingAesKey: openSecretOrNull(secrets, r.aesKeySealed),
    }));
    return {
      id: row.id,
      type: row.type,
      name: row.name,
      sandbox: row.sandbox,
      appId: row.type === 'official_account' ? row.wechatId : null,
      corpId: row.type === 'wecom' ? row.wechatId : null,
      apiBaseUrl: row.apiBaseUrl,
      encryptMode: row.encryptMode,
      callbacks,
      health: {
        secretsReadable:
          callbacks.every((c) => c.token !== null && c.encodingAesKey !== null) && receivers.every((r) => openSecretOrNull(secrets, r.secretSealed) !== null),
        lastCallbackAt: row.lastCallbackAt?.toISOString() ?? null,
        lastApiErrorAt: row.lastApiErrorAt?.toISOString() ?? null,
        lastApiError: row.lastApiError ?? null,
      },
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  async function load(repo: AccountsRepository, id: string): Promise<{ row: AccountRow; receivers: ReceiverRow[] }> {
    const row = await repo.findById(id);
    if (!row) throw new AppError('ACCOUNT_NOT_FOUND', { id });
    return { row, receivers: await repo.receiversOf([id]) };
  }

  function receiverOf(receivers: ReceiverRow[], receiver: string): ReceiverRow {
    const found = receivers.find((r) => r.receiver === receiver);
    if (!found) throw new AppError('ACCOUNT_RECEIVER_NOT_FOUND', { receiver });
    return found;
  }

  function accountKey(row: AccountRow, receiver: string): string {
    return row.type === 'official_account' ? row.wechatId : `${row.wechatId}:${receiver}`;
  }

  async function rejectDuplicate(repo: AccountsRepository, type: AccountRow['type'], wechatId: string, exceptId?: string) {
    const existing = await repo.findByWechatId(type, wechatId);
    if (existing && existing.id !== exceptId) throw new AppError('ACCOUNT_ALREADY_CONNECTED', { wechatId, name: existing.name });
  }

  function newReceiver(accountId: string, input: { receiver: string; secret: string; token?: string; encodingAesKey?: string }, at: Date) {
    return {
      accountId,
      receiver: input.receiver,
      secretSealed: secrets.sealSecret(input.secret),
      tokenSealed: secrets.sealSecret(input.token ?? generateCallbackToken()),
      aesKeySealed: secrets.sealSecret(input.encodingAesKey ?? generateEncodingAesKey()),
      previousAesKeySealed: null,
      aesKeyChangedAt: null,
      createdAt: at,
    };
  }

  /** Applies a receiver change; returns the names of what changed, never the values. */
  function changedReceiver(
    current: ReceiverRow,
    input: { secret?: string; token?: string; encodingAesKey?: string; regenerateEncodingAesKey?: boolean },
    at: Date,
  ): { row: ReceiverRow; changed: string[] } {
    const row = { ...current };
    const changed: string[] = [];
    // A value that cannot be opened (sealed under a master key this server lacks) counts as different,
    // so entering the secrets again is how such an account is repaired.
    if (input.secret !== undefined && input.secret !== openSecretOrNull(secrets, current.secretSealed)) {
      row.secretSealed = secrets.sealSecret(input.secret);
      changed.push('credentials');
    }
    if (input.token !== undefined && input.token !== openSecretOrNull(secrets, current.tokenSealed)) {
      row.tokenSealed = secrets.sealSecret(input.token);
      changed.push('callbackToken');
    }
    const nextKey = input.regenerateEncodingAesKey ? generateEncodingAesKey() : input.encodingAesKey;
    const currentKey = openSecretOrNull(secrets, current.aesKeySealed);
    if (nextKey !== undefined && nextKey !== currentKey) {
      // An unreadable key could never decrypt a callback: it is not kept as the previous one.
      row.previousAesKeySealed = currentKey === null ? null : current.aesKeySealed;
      row.aesKeySealed = secrets.sealSecret(nextKey);
      row.aesKeyChangedAt = at;
      changed.push('encodingAesKey');
    }
    return { row, changed };
  }

  function notApplicable(field: string, type: AccountRow['type']): never {
    throw new AppError('ACCOUNT_FIELD_NOT_APPLICABLE', { field, typeLabel: type === 'wecom' ? '企业微信 (WeCom)' : '公众号 (Official Account)' });
  }

  const service = {
    async create(context: RequestContext | null, input: CreateAccountBody, options: { sandbox?: boolean } = {}): Promise<Account> {
      const now = deps.clock.now();
      const wechatId = input.type === 'official_account' ? input.appId : input.corpId;
      const receiverInputs =
        input.type === 'official_account'
          ? [{ receiver: officialAccountReceiver, secret: input.appSecret, token: input.token, encodingAesKey: input.encodingAesKey }]
          : input.receivers;
      const created = await repository.transaction(async (repo, tx) => {
        await rejectDuplicate(repo, input.type, wechatId);
        const row = await repo.insert({
          type: input.type,
          name: input.name,
          wechatId,
          apiBaseUrl: (input.apiBaseUrl ?? defaultApiBaseUrls[input.type]).replace(/\/+$/, ''),
          encryptMode: input.type === 'official_account' ? input.encryptMode : 'safe',
          sandbox: options.sandbox ?? false,
          createdAt: now,
          updatedAt: now,
        });
        for (const receiver of receiverInputs) await repo.upsertReceiver(newReceiver(row.id, receiver, now));
        await deps.audit.record(
          context,
          {
            action: 'accounts.create',
            targetType: 'account',
            targetId: row.id,
            summary: { type: row.type, name: row.name, wechatId, apiBaseUrl: row.apiBaseUrl, encryptMode: row.encryptMode, receivers: receiverInputs.map((r) => r.receiver) },
          },
          tx,
        );
        return row.id;
      }).catch(async (error: unknown) => {
        // Two connects of one AppID at once: the loser hits the unique key instead of the check above.
        if (isUniqueViolation(error)) await rejectDuplicate(repository, input.type, wechatId);
        throw error;
      });
      return service.getAccount(created);
    },

    /**
     * Accounts whose stored secrets this server cannot open, with the ids of the master keys they were
     * sealed under: what boot reports, so a changed QIAO_SECRET_KEY is named before a callback fails.
     */
    async unreadableSecrets(): Promise<{ id: string; name: string; keyIds: string[] }[]> {
      const found: { id: string; name: string; keyIds: string[] }[] = [];
      let after: { createdAt: Date; id: string } | undefined;
      for (;;) {
        const rows = await repository.list({ after, limit: 500 });
        if (rows.length === 0) return found;
        const receivers = await repository.receiversOf(rows.map((r) => r.id));
        for (const row of rows) {
          const keyIds = new Set<string>();
          for (const receiver of receivers.filter((r) => r.accountId === row.id)) {
            for (const sealed of [receiver.secretSealed, receiver.tokenSealed, receiver.aesKeySealed]) {
              try {
                secrets.openSecret(sealed);
              } catch (error) {
                if (!(error instanceof SecretOpenError)) throw error;
                keyIds.add(error.keyId || '?');
              }
            }
          }
          if (keyIds.size > 0) found.push({ id: row.id, name: row.name, keyIds: [...keyIds] });
        }
        const last = rows.at(-1)!;
        after = { createdAt: last.createdAt, id: last.id };
      }
    },

    async list(query: ListAccountsQuery): Promise<Page<Account>> {
      const cursor = query.cursor ? decodeCursor(query.cursor) : null;
      const after = cursor && typeof cursor[0] === 'string' && typeof cursor[1] === 'string' ? { createdAt: new Date(cursor[0]), id: cursor[1] } : undefined;
      const rows = await repository.list({ type: query.type, after, limit: query.limit + 1 });
      const page = rows.slice(0, query.limit);
      const receivers = await repository.receiversOf(page.map((r) => r.id));
      const last = page.at(-1);
      return {
        items: page.map((row) => toAccount(row, receivers.filter((r) => r.accountId === row.id))),
        nextCursor: rows.length > query.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
        total: await repository.count({ type: query.type }),
      };
    },

    /** Throws ACCOUNT_NOT_FOUND. */
    async getAccount(id: string): Promise<Account> {
      const { row, receivers } = await load(repository, id);
      return toAccount(row, receivers);
    },

    async findAccount(id: string): Promise<Account | null> {
      const row = await repository.findById(id);
      return row ? toAccount(row, await repository.receiversOf([id])) : null;
    },

    async update(context: RequestContext | null, id: string, input: UpdateAccountBody): Promise<Account> {
      const now = deps.clock.now();
      const droppedTokens: string[] = [];
      await repository.transaction(async (repo, tx) => {
        const { row, receivers } = await load(repo, id);
        const changed: string[] = [];
        const accountChanges: Partial<AccountRow> = {};
        if (input.name !== undefined && input.name !== row.name) {
          accountChanges.name = input.name;
          changed.push('name');
        }
        if (input.apiBaseUrl !== undefined && input.apiBaseUrl.replace(/\/+$/, '') !== row.apiBaseUrl) {
          accountChanges.apiBaseUrl = input.apiBaseUrl.replace(/\/+$/, '');
          changed.push('apiBaseUrl');
        }
        if (row.type === 'official_account') {
          if (input.receivers) notApplicable('receivers', row.type);
          if (input.removeReceivers) notApplicable('removeReceivers', row.type);
          if (input.encryptMode !== undefined && input.encryptMode !== row.encryptMode) {
            accountChanges.encryptMode = input.encryptMode;
            changed.push('encryptMode');
          }
          const current = receiverOf(receivers, officialAccountReceiver);
          const result = changedReceiver(current, { ...input, secret: input.appSecret }, now);
          if (result.changed.length > 0) await repo.upsertReceiver(result.row);
          if (result.changed.includes('credentials')) droppedTokens.push(accountKey(row, officialAccountReceiver));
          changed.push(...result.changed);
        } else {
          for (const field of ['appSecret', 'token', 'encodingAesKey', 'regenerateEncodingAesKey', 'encryptMode'] as const) {
            if (input[field] !== undefined) notApplicable(field, row.type);
          }
          for (const receiverInput of input.receivers ?? []) {
            const current = receivers.find((r) => r.receiver === receiverInput.receiver);
            if (!current) {
              if (!receiverInput.secret) throw new AppError('ACCOUNT_RECEIVER_SECRET_REQUIRED', { receiver: receiverInput.receiver });
              await repo.upsertReceiver(newReceiver(id, { ...receiverInput, secret: receiverInput.secret }, now));
              changed.push(`receivers.${receiverInput.receiver}.added`);
              continue;
            }
            const result = changedReceiver(current, receiverInput, now);
            if (result.changed.length > 0) await repo.upsertReceiver(result.row);
            if (result.changed.includes('credentials')) droppedTokens.push(accountKey(row, current.receiver));
            changed.push(...result.changed.map((name) => `receivers.${current.receiver}.${name}`));
          }
          const removals = (input.removeReceivers ?? []).filter((name) => receivers.some((r) => r.receiver === name));
          for (const name of input.removeReceivers ?? []) receiverOf(receivers, name);
          const remaining = new Set([...receivers.map((r) => r.receiver), ...(input.receivers ?? []).map((r) => r.receiver)]);
          for (const name of removals) remaining.delete(name);
          if (remaining.size === 0) throw new AppError('ACCOUNT_LAST_RECEIVER');
          for (const name of removals) {
            await repo.deleteReceiver(id, name);
            droppedTokens.push(accountKey(row, name));
            changed.push(`receivers.${name}.removed`);
          }
        }
        if (changed.length === 0) return;
        await repo.update(id, { ...accountChanges, updatedAt: now });
        await deps.audit.record(context, { action: 'accounts.update', targetType: 'account', targetId: id, summary: { changed } }, tx);
      });
      // A token fetched with a replaced secret must not outlive it.
      for (const key of droppedTokens) await deps.tokenStore.delete(key);
      return service.getAccount(id);
    },

    async remove(context: RequestContext | null, id: string): Promise<void> {
      const keys = await repository.transaction(async (repo, tx) => {
        const { row, receivers } = await load(repo, id);
        await repo.delete(id);
        await deps.audit.record(
          context,
          { action: 'accounts.delete', targetType: 'account', targetId: id, summary: { type: row.type, name: row.name, wechatId: row.wechatId } },
          tx,
        );
        return receivers.map((r) => accountKey(row, r.receiver));
      });
      for (const key of keys) await deps.tokenStore.delete(key);
    },

    /** Fetches a token for every receiver: proves secret, AppID/CorpID and IP whitelist. */
    async test(id: string, locale: Locale): Promise<AccountTestResult> {
      const { receivers } = await load(repository, id);
      const results: AccountTestResult['results'] = [];
      for (const receiver of receivers) {
        try {
          await deps.wechat.fetchAccessToken(await service.wechatAccountFor(id, receiver.receiver));
          results.push({ receiver: receiver.receiver, ok: true });
        } catch (error) {
          if (isWeChatApiError(error)) {
            const hint = error.hint(locale);
            results.push({
              receiver: receiver.receiver,
              ok: false,
              errcode: error.errcode,
              errmsg: error.errmsg,
              message: error.reason(locale),
              ...(hint ? { hint } : {}),
            });
          } else if (isAppError(error)) {
            results.push({ receiver: receiver.receiver, ok: false, message: renderErrorMessage(error.code, locale, error.details) });
          } else if (error instanceof SecretOpenError) {
            results.push({ receiver: receiver.receiver, ok: false, message: renderErrorMessage('ACCOUNT_SECRETS_UNREADABLE', locale, { keyId: error.keyId || '?' }) });
          } else {
            throw error;
          }
        }
      }
      const failure = results.find((r) => !r.ok);
      return failure ? { ...failure, results } : { ok: true, results };
    },

    /**
     * Replays WeChat's URL verification and a (refused) push against each
     * receiver's public callback URL, or the same path under `baseUrl`.
     */
    async checkCallbacks(id: string, body: CallbackCheckBody, fetchImpl?: CallbackCheckInput['fetchImpl']): Promise<CallbackCheckResult> {
      const account = await service.getAccount(id);
      // Opened strictly here: values sealed under a master key this server lacks refuse the check with ACCOUNT_SECRETS_UNREADABLE.
      const { receivers: rows } = await load(repository, id);
      const callbacks = account.callbacks.filter((c) => !body.receiver || c.receiver === body.receiver);
      if (callbacks.length === 0) throw new AppError('ACCOUNT_RECEIVER_NOT_FOUND', { receiver: body.receiver ?? '' });
      const receivers: CallbackCheckResult['receivers'] = [];
      for (const callback of callbacks) {
        const url = body.baseUrl ? new URL(new URL(callback.url).pathname, body.baseUrl).toString() : callback.url;
        const steps = await checkCallbackUrl({
          url,
          product: account.type === 'official_account' ? 'official-account' : 'wecom',
          token: secrets.openSecret(receiverOf(rows, callback.receiver).tokenSealed),
          encodingAesKey: account.type === 'official_account' && account.encryptMode === 'plain' ? null : secrets.openSecret(receiverOf(rows, callback.receiver).aesKeySealed),
          receiverId: account.appId ?? account.corpId ?? '',
          fetchImpl,
        });
        receivers.push({ receiver: callback.receiver, url, ok: steps.every((step) => step.status !== 'fail'), steps });
      }
      return { ok: receivers.every((r) => r.ok), receivers };
    },

    /** For the callback server and the client only: never send these to a browser or a log. */
    async openCredentials(id: string, receiver: string): Promise<ReceiverCredentials> {
      const { row, receivers } = await load(repository, id);
      const found = receiverOf(receivers, receiver);
      return {
        accountId: row.id,
        type: row.type,
        wechatId: row.wechatId,
        receiver,
        secret: secrets.openSecret(found.secretSealed),
        token: secrets.openSecret(found.tokenSealed),
        // The previous key only helps during a rotation: one that cannot be opened is left out, not fatal.
        encodingAesKeys: [
          secrets.openSecret(found.aesKeySealed),
          ...(found.previousAesKeySealed ? [openSecretOrNull(secrets, found.previousAesKeySealed)].filter((v): v is string => v !== null) : []),
        ],
        encryptMode: row.encryptMode,
      };
    },

    /** The client's view of one receiver; the secret is read when a token is fetched, so edits apply at once. */
    async wechatAccountFor(id: string, receiver: string = officialAccountReceiver): Promise<WeChatAccount> {
      const { row, receivers } = await load(repository, id);
      receiverOf(receivers, receiver);
      return {
        product: row.type === 'official_account' ? 'official-account' : 'wecom',
        accountKey: accountKey(row, receiver),
        apiBaseUrl: row.apiBaseUrl,
        accountId: row.id,
        credentials: async () => {
          const opened = await service.openCredentials(id, receiver);
          return row.type === 'official_account' ? { appId: opened.wechatId, secret: opened.secret } : { corpId: opened.wechatId, secret: opened.secret };
        },
        onApiError: (error) => service.recordApiError(id, { errcode: error.errcode, errmsg: error.errmsg, endpoint: error.endpoint }),
      };
    },

    async recordCallbackReceived(id: string): Promise<void> {
      await repository.touchCallback(id, deps.clock.now(), callbackTouchIntervalMs);
    },

    async recordApiError(id: string, error: ApiErrorSummary): Promise<void> {
      await repository.recordApiError(id, deps.clock.now(), { errcode: error.errcode, errmsg: error.errmsg.slice(0, 500), endpoint: error.endpoint });
    },
  };
  return service;
}


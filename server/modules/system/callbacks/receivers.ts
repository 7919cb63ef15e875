import { AppError } from '../../../../common/errors';
import { MessageCrypt, isWeChatCryptoError } from '../../../wechat/core';
import type { ReceiverCredentials } from '../accounts';

/** One callback receiver's opened credentials and its ready-made crypt. */
export interface OpenReceiver {
  credentials: ReceiverCredentials;
  /** Null only for an Official Account without a usable EncodingAESKey (plain mode). */
  crypt: MessageCrypt | null;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const freshMs = 30_000;
const reloadAfterFailureMs = 1_000;

/**
 * Keeps opened credentials in memory for a short while, because every push
 * needs them and opening means a database read and two decryptions. A push
 * that fails verification with remembered credentials is retried once with
 * fresh ones, so a changed token or key applies at once.
 */
export function createReceiverCache(open: (accountId: string, receiver: string) => Promise<ReceiverCredentials>) {
  const entries = new Map<string, { receiver: OpenReceiver; loadedAt: number }>();
  // Forged pushes must not turn into a database read each: one reload per receiver per second.
  const reloadedAt = new Map<string, number>();

  async function load(accountId: string, receiver: string): Promise<OpenReceiver> {
    if (!uuidPattern.test(accountId)) throw new AppError('ACCOUNT_NOT_FOUND', { id: accountId.slice(0, 64) });
    const credentials = await open(accountId, receiver);
    const [currentKey, previousKey] = credentials.encodingAesKeys;
    let crypt: MessageCrypt | null = null;
    try {
      if (currentKey) crypt = new MessageCrypt({ currentKey, previousKey: previousKey ?? null, receiverId: credentials.wechatId });
    } catch (error) {
      if (!isWeChatCryptoError(error)) throw error;
    }
    const opened = { credentials, crypt };
    entries.set(`${accountId}|${receiver}`, { receiver: opened, loadedAt: Date.now() });
    return opened;
  }

  /** Runs `use` with the receiver's credentials, at once when they are in memory; throws (or rejects with) ACCOUNT_NOT_FOUND / ACCOUNT_RECEIVER_NOT_FOUND. */
  function run<T>(accountId: string, receiver: string, use: (receiver: OpenReceiver) => T): T | Promise<T> {
    const key = `${accountId}|${receiver}`;
    const entry = entries.get(key);
    const now = Date.now();
    if (!entry || now - entry.loadedAt > freshMs) return load(accountId, receiver).then(use);
    try {
      return use(entry.receiver);
    } catch (error) {
      if (!isWeChatCryptoError(error) || now - (reloadedAt.get(key) ?? 0) < reloadAfterFailureMs) throw error;
      reloadedAt.set(key, now);
      return load(accountId, receiver).then(use);
    }
  }

  return {
    run,
    /** As `run`, always as a promise. */
    async with<T>(accountId: string, receiver: string, use: (receiver: OpenReceiver) => T): Promise<T> {
      return run(accountId, receiver, use);
    },
    forget(accountId: string): void {
      for (const key of entries.keys()) if (key.startsWith(`${accountId}|`)) entries.delete(key);
    },
  };
}

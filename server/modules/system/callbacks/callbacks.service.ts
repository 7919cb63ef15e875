import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { AppError, isAppError } from '../../../../common/errors';
import type { Cache } from '../../../platform/cache/cache';
import type { Clock } from '../../../platform/clock';
import type { JobQueue } from '../../../platform/queue/job-queue';
import {
  NO_REPLY,
  buildOfficialAccountReply,
  buildWeComReply,
  officialAccountMessages,
  readCallbackEvent,
  weComMessages,
  type CallbackEvent,
  type CallbackProduct,
  type OfficialAccountReply,
  type WeComReply,
} from '../../../wechat/callback';
import {
  openOfficialAccountPush,
  openWeComPush,
  sealReply,
  verifyOfficialAccountUrl,
  verifyWeComUrl,
  type CallbackQuery,
  type OpenedPush,
} from '../../../wechat/core';
import { officialAccountReceiver, type ReceiverCredentials } from '../accounts';
import { searchableContent, type MessageLog, type NewMessageRow } from '../messages';
import { dispatch, type DispatchOutcome } from './dispatch';
import type { PushClaims } from './push-claims';
import { createReceiverCache, type OpenReceiver } from './receivers';
import type { CallbackAccount, CallbackSubscriptions } from './subscriptions';

export const lateReplyJob = 'callbacks.late-reply';

export interface CallbacksServiceDeps {
  accounts: {
    openCredentials(id: string, receiver: string): Promise<ReceiverCredentials>;
    recordCallbackReceived(id: string): Promise<void>;
  };
  log: MessageLog;
  subscriptions: CallbackSubscriptions;
  cache: Cache;
  queue: Pick<JobQueue, 'enqueue'>;
  clock: Clock;
  logger: Logger;
  /** Refuse POSTs whose timestamp is further off than this. */
  maxAgeS: number;
  /** Time handlers get before the answer goes out without them. */
  budgetMs: number;
  /** Whether a push is claimed by its cache marker alone or by its log row too (push-claims.ts). */
  claims: PushClaims;
}

/** What goes back to WeChat. */
export interface CallbackAnswer {
  contentType: string;
  body: string;
}

/** Whose receiver a callback URL names. */
export interface CallbackTarget {
  product: CallbackProduct;
  accountId: string;
  receiver: string;
}
type Target = CallbackTarget;

type Stored = { id: string };

/** One push as this delivery handles it: its log row to be, the event, and when it arrived. */
interface Push {
  base: NewMessageRow;
  /** The cache key that claims it. */
  marker: string;
  event: CallbackEvent;
  account: CallbackAccount;
  /** Epoch milliseconds. */
  receivedAt: number;
  /** performance.now() at arrival. */
  startedAt: number;
}
type Finish = Pick<NewMessageRow, 'state' | 'replyXml' | 'replySummary' | 'handledLate' | 'failure' | 'processingMs'>;

const textPlain = 'text/plain; charset=utf-8';
// WeChat delivers a push at most three times, each after 5 s without an answer, so
// its copies come within about 15 s; the marker covers them (and concurrent copies)
// with a margin. Older copies are checked against the log instead. Markers stay few:
// at thousands of pushes a second every second of their life is thousands of cache
// entries, which in the in-process cache the garbage collector walks again and again.
const markerTtlMs = 30_000;
const markerTrustMs = markerTtlMs - 5_000;
// Until the push's row is written its marker is only a lease: a process that dies between claiming a
// push and writing its row must not leave a marker that turns WeChat's retries away until it expires.
// The row is written by the deadline (budget), so the lease outlives a live claimer by this margin.
const markerLeaseMarginMs = 1_500;
const touchIntervalMs = 30_000;
const maxPlainKeyLength = 160;
// About a third of the log's lease (8 s): two renewals may fail before another delivery may take a row over.
const leaseRenewMs = 2_500;

function productOf(credentials: ReceiverCredentials): CallbackProduct {
  return credentials.type === 'official_account' ? 'official-account' : 'wecom';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The handlers' answer, or 'late' once the deadline passes first. */
async function beforeDeadline(answer: Promise<DispatchOutcome>, deadlineAt: number): Promise<DispatchOutcome | 'late'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), Math.max(0, deadlineAt - Date.now()));
  });
  const first = await Promise.race([answer, late]);
  clearTimeout(timer);
  return first;
}

function isForeignKeyViolation(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if ((current as { code?: unknown }).code === '23503') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** MsgType and Event as WeChat named them, recovered from the typed event. */
function kindOf(event: CallbackEvent): { msgType: string; event: string | null } {
  if (event.type.endsWith('.unknown')) {
    const unknown = event as unknown as { msgType: string; event?: string };
    return { msgType: unknown.msgType, event: unknown.event ?? null };
  }
  const name = event.type.slice(event.product.length + 1);
  const messages: Record<string, unknown> = event.product === 'official-account' ? officialAccountMessages : weComMessages;
  if (Object.hasOwn(messages, name)) return { msgType: name, event: null };
  return { msgType: 'event', event: name.split('.')[0] ?? name };
}

function storedFields(event: CallbackEvent): Record<string, unknown> {
  const { dedupeKey: _key, ...fields } = event as unknown as Record<string, unknown>;
  return fields;
}

/**
 * The callback pipeline: verify and open a push, parse it, process it exactly
 * once per deduplication key and account (across retries and instances), give
 * subscribers a deadline, and seal the answer.
 */
/** The cache key that claims one push (exported for tests that play a claimer which stopped). */
export function callbackMarkerKey(accountId: string, dedupeKey: string): string {
  // MsgIds and event keys are short: used as they are, they save a hash per push; a long one is hashed to keep keys small.
  if (dedupeKey.length <= maxPlainKeyLength) return `callbacks:claim:${accountId}|${dedupeKey}`;
  return `callbacks:claim:${accountId}#${createHash('sha1').update(dedupeKey).digest('base64url')}`;
}
const markerKey = callbackMarkerKey;

export function createCallbacksService(deps: CallbacksServiceDeps) {
  const markerLeaseMs = deps.budgetMs + markerLeaseMarginMs;
  /** The push has its row now: its marker turns copies away for as long as WeChat retries. */
  const markerHeld = (marker: string) => deps.cache.mark(marker, markerTtlMs);
  const receivers = createReceiverCache((id, receiver) => deps.accounts.openCredentials(id, receiver));
  const inflight = new Map<string, Promise<string | null>>();
  // Handlers that missed the deadline and still run; close() lets them finish their row.
  const lateRuns = new Set<Promise<void>>();
  // Their rows stay `processing` meanwhile: the lease is renewed, so no other delivery takes them over.
  const held = new Set<string>();
  let renewTimer: NodeJS.Timeout | undefined;

  function renew(ids: string[]): void {
    deps.log.renewLeases(ids).catch((error: unknown) => deps.logger.warn({ err: error }, 'could not renew the lease of running callbacks'));
  }

  function hold(id: string): void {
    held.add(id);
    // At once too: a row claimed before the handlers ran is nearly at the end of its lease by the deadline.
    renew([id]);
    renewTimer ??= setInterval(() => renew([...held]), leaseRenewMs);
    renewTimer.unref();
  }

  function release(id: string): void {
    held.delete(id);
    if (held.size === 0 && renewTimer) {
      clearInterval(renewTimer);
      renewTimer = undefined;
    }
  }
  const touchedAt = new Map<string, number>();

  function expectProduct(target: Target, opened: OpenReceiver): void {
    if (productOf(opened.credentials) !== target.product) throw new AppError('ACCOUNT_NOT_FOUND', { id: target.accountId });
  }

  function touch(accountId: string): void {
    const now = Date.now();
    if (now - (touchedAt.get(accountId) ?? 0) < touchIntervalMs) return;
    touchedAt.set(accountId, now);
    deps.accounts.recordCallbackReceived(accountId).catch((error: unknown) => deps.logger.warn({ err: error, accountId }, 'could not record callback time'));
  }

  type Opened = { opened: OpenedPush; receiver: OpenReceiver };
  /** Synchronous when the receiver's credentials are in memory (nearly every push). */
  function open(target: Target, query: CallbackQuery, body: Buffer | string): Opened | Promise<Opened> {
    const nowS = Math.floor(deps.clock.now().getTime() / 1000);
    return receivers.run(target.accountId, target.receiver, (receiver) => {
      expectProduct(target, receiver);
      const { credentials, crypt } = receiver;
      const opened =
        target.product === 'official-account'
          ? openOfficialAccountPush({ query, body, token: credentials.token, mode: credentials.encryptMode, crypt, maxAgeS: deps.maxAgeS, nowS })
          : openWeComPush({ query, body, token: credentials.token, crypt: crypt ?? missingKey(), maxAgeS: deps.maxAgeS, nowS });
      return { opened, receiver };
    });
  }

  function missingKey(): never {
    throw new AppError('WECHAT_AES_KEY_INVALID');
  }

  function buildReply(event: CallbackEvent, reply: unknown, nowS: number): string {
    const target = { toUserName: event.toUserName, fromUserName: event.fromUserName, type: event.type, msgType: 'msgType' in event ? event.msgType : undefined };
    return event.product === 'official-account'
      ? buildOfficialAccountReply(target, reply as OfficialAccountReply, { nowS })
      : buildWeComReply(target, reply as WeComReply, { nowS });
  }

  /**
   * Waits for another delivery of the same push (here or on another instance)
   * and takes its answer. A row left `processing` by a process that died (its
   * lease ran out) is taken over: this delivery handles the push instead.
   */
  async function answerOfOther(push: Push): Promise<string | null> {
    const { account, event } = push;
    const deadlineAt = push.receivedAt + deps.budgetMs;
    // With no row yet, whoever holds the marker may have stopped before writing one: wait until its
    // lease must have run out (it was taken at the latest when this copy arrived), then claim the push.
    const leaseOverAt = push.receivedAt + markerLeaseMs + 100;
    for (let waitMs = 10; ; waitMs = Math.min(waitMs * 2, 100)) {
      const row = await deps.log.findByKey(account.id, event.dedupeKey);
      if (row && row.state !== 'processing') return row.replyXml;
      if (row && (row.leaseUntil?.getTime() ?? row.receivedAt.getTime() + 60_000) <= Date.now()) {
        const taken = await deps.log.takeOver(row.id);
        if (taken) {
          deps.logger.warn({ accountId: account.id, type: event.type, messageId: row.id }, 'took over a push left processing by a stopped process');
          return process(push, taken);
        }
      }
      if (!row && (await deps.cache.markIfAbsent(push.marker, markerLeaseMs))) {
        deps.logger.warn({ accountId: account.id, type: event.type }, 'claimed a push whose earlier claimer stopped before recording it');
        return processClaimed(push);
      }
      const now = Date.now();
      if (row ? now + waitMs >= deadlineAt : now >= leaseOverAt) return row?.replyXml ?? null;
      await sleep(waitMs);
    }
  }

  async function finishLate(row: Stored, accountId: string, event: CallbackEvent, outcome: DispatchOutcome, startedAt: number): Promise<void> {
    const nowS = Math.floor(deps.clock.now().getTime() / 1000);
    let summary: Record<string, unknown> | null = null;
    let failure = failureOf(outcome.errors);
    if (outcome.reply !== null) {
      try {
        buildReply(event, outcome.reply, nowS);
        summary = outcome.reply as Record<string, unknown>;
      } catch (error) {
        failure = describe(error);
      }
    }
    await deps.log.finish(row.id, {
      state: failure ? 'failed' : 'done',
      replyXml: null,
      replySummary: summary,
      handledLate: true,
      failure,
      processingMs: Math.round(performance.now() - startedAt),
    });
    if (summary) await deps.queue.enqueue(lateReplyJob, { accountId, messageId: row.id }, { accountId });
  }

  function describe(error: unknown): string {
    if (isAppError(error)) return `${error.code}: ${JSON.stringify(error.details).slice(0, 400)}`;
    return error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 500) : 'handler failed';
  }

  function failureOf(errors: unknown[]): string | null {
    return errors.length === 0 ? null : describe(errors[0]);
  }

  /**
   * Writes the push's one log row. In the usual case it is written once, done;
   * a row already there means another process handled the same push (markers
   * lost in a restart without Redis), which is logged, not hidden.
   */
  async function record(row: NewMessageRow, account: CallbackAccount, marker: string): Promise<Stored | null> {
    let stored: Stored | null;
    try {
      stored = await deps.log.claim(row);
    } catch (error) {
      if (isForeignKeyViolation(error)) {
        receivers.forget(account.id);
        throw new AppError('ACCOUNT_NOT_FOUND', { id: account.id });
      }
      throw error;
    }
    if (!stored) deps.logger.warn({ accountId: account.id, type: row.type }, 'a push was handled twice: its log row already existed');
    else await markerHeld(marker);
    return stored;
  }

  /** Writes the push's outcome: into its claimed row, or as its one row. */
  function conclude(push: Push, claimed: Stored | null, changes: Finish): Promise<unknown> {
    if (claimed) return deps.log.finish(claimed.id, changes);
    // The base row is this push's alone and not yet handed to the log: completed in place rather than copied.
    return record(Object.assign(push.base, changes), push.account, push.marker);
  }

  /** Processes a push that this delivery claimed; resolves with the passive reply (plaintext) or null. */
  async function process(push: Push, claimed: Stored | null): Promise<string | null> {
    const { base, event, account, receivedAt, startedAt } = push;
    const handlers = deps.subscriptions.handlersFor(event.type);
    if (handlers.length === 0) {
      await conclude(push, claimed, { state: 'done', replyXml: null, replySummary: null, handledLate: false, failure: null, processingMs: 0 });
      return null;
    }
    const deadlineAt = receivedAt + deps.budgetMs;
    // The signal is made when a handler first asks for it (an AbortController per push costs more than the rest of dispatch).
    let controller: AbortController | undefined;
    let missed = false;
    const signalOf = (): AbortSignal => {
      if (!controller) {
        controller = new AbortController();
        if (missed) controller.abort();
      }
      return controller.signal;
    };
    const started = dispatch(handlers, { event, account, deadlineAt }, signalOf);
    // A push taken over after its deadline (its first claimer stopped) replies the late way at once.
    // Handlers that all answered synchronously need no timer: nothing can come before their answer.
    const first = Date.now() >= deadlineAt ? 'late' : started.done ? started.outcome : await beforeDeadline(started.answer, deadlineAt);
    if (first === 'late') {
      missed = true;
      controller?.abort();
      deps.logger.warn({ accountId: account.id, type: event.type, budgetMs: deps.budgetMs }, 'callback handlers missed the deadline; answering without them');
      // The row goes in now, so the log shows the push while its handlers still run.
      const row = claimed ?? (await record({ ...base, state: 'processing' }, account, push.marker));
      if (row) {
        hold(row.id);
        const finished = started.done ? Promise.resolve(started.outcome) : started.finished;
        const running = finished
          .then((outcome) => finishLate(row, account.id, event, outcome, startedAt))
          .catch((error: unknown) => deps.logger.error({ err: error, messageId: row.id }, 'could not finish a late callback'))
          .finally(() => {
            lateRuns.delete(running);
            release(row.id);
          });
        lateRuns.add(running);
      }
      return null;
    }
    let replyXml: string | null = null;
    let failure = failureOf(first.errors);
    if (first.reply !== null) {
      try {
        replyXml = buildReply(event, first.reply, Math.floor(deps.clock.now().getTime() / 1000));
      } catch (error) {
        failure = describe(error);
        deps.logger.warn({ accountId: account.id, type: event.type, reason: failure }, 'a callback handler gave an invalid reply');
      }
    }
    for (const error of first.errors) deps.logger.error({ err: error, accountId: account.id, type: event.type }, 'a callback handler failed');
    await conclude(push, claimed, {
      state: failure ? 'failed' : 'done',
      replyXml,
      replySummary: replyXml ? (first.reply as Record<string, unknown>) : null,
      handledLate: false,
      failure,
      processingMs: Math.round(performance.now() - startedAt),
    });
    return replyXml;
  }

  /**
   * Without Redis the markers live in this process: after a restart, the
   * pushes of the last minute are marked again from the log (once per account,
   * on its first push), so WeChat's retries of a push handled before the
   * restart are still recognised.
   */
  const warmed = new Map<string, Promise<void>>();
  // Accounts whose markers are back: their pushes need not wait on anything (one that failed stays in `warmed` only, and its pushes keep failing as before).
  const warm = new Set<string>();
  function warmMarkers(accountId: string): Promise<void> {
    if (deps.cache.kind !== 'memory') return Promise.resolve();
    let warming = warmed.get(accountId);
    if (!warming) {
      const since = new Date(Date.now() - markerTtlMs);
      warming = deps.log.recentKeys(accountId, since).then(async (keys) => {
        for (const key of keys) await deps.cache.markIfAbsent(markerKey(accountId, key), markerTtlMs);
        warm.add(accountId);
      });
      warmed.set(accountId, warming);
    }
    return warming;
  }


  /** Claims the push (a cache marker, the log for copies older than a marker lives, and its log row when another instance may not see the marker) or waits for whoever did. */
  async function once(event: CallbackEvent, account: CallbackAccount, receivedAt: number, startedAt: number): Promise<string | null> {
    const fields = storedFields(event);
    const kind = kindOf(event);
    const base: NewMessageRow = {
      accountId: account.id,
      receiver: account.receiver,
      dedupeKey: event.dedupeKey,
      type: event.type,
      msgType: kind.msgType,
      event: kind.event,
      fromUser: event.fromUserName,
      fields,
      content: searchableContent(fields),
      state: 'processing',
      createTime: new Date(event.createTimeS * 1000),
      receivedAt: deps.clock.now(),
    };
    const push: Push = { base, marker: markerKey(account.id, event.dedupeKey), event, account, receivedAt, startedAt };
    if (!warm.has(account.id)) await warmMarkers(account.id);
    // `return await`: an async function that returns a promise settles two turns later, with a job and a promise more.
    if (!(await deps.cache.markIfAbsent(push.marker, markerLeaseMs))) return await answerOfOther(push);
    if (receivedAt - event.createTimeS * 1000 > markerTrustMs) {
      const earlier = await deps.log.findByKey(account.id, event.dedupeKey);
      if (earlier) return earlier.state === 'processing' ? await answerOfOther(push) : earlier.replyXml;
    }
    return await processClaimed(push);
  }

  /** Handles a push whose marker this delivery holds (claiming its row first when another instance may not see the marker). */
  function processClaimed(push: Push): Promise<string | null> {
    return deps.claims.handle(
      () => process(push, null),
      () => processClaimedRow(push),
    );
  }

  async function processClaimedRow(push: Push): Promise<string | null> {
    const { base, account } = push;
    const claimed = await deps.log.claim(base).catch((error: unknown) => {
      if (!isForeignKeyViolation(error)) throw error;
      receivers.forget(account.id);
      throw new AppError('ACCOUNT_NOT_FOUND', { id: account.id });
    });
    if (!claimed) return answerOfOther(push);
    await markerHeld(push.marker);
    return await process(push, claimed);
  }

  function render(product: CallbackProduct, replyXml: string | null, opened: OpenedPush, receiver: OpenReceiver): CallbackAnswer {
    if (replyXml === null) return { contentType: textPlain, body: product === 'official-account' ? NO_REPLY : '' };
    if (!opened.encrypted || !receiver.crypt) return { contentType: 'application/xml; charset=utf-8', body: replyXml };
    const body = sealReply(replyXml, {
      token: receiver.credentials.token,
      crypt: receiver.crypt,
      keySlot: opened.keySlot,
      timestamp: opened.timestamp,
      nonce: opened.nonce,
      format: opened.format,
    });
    return { contentType: opened.format === 'json' ? 'application/json; charset=utf-8' : 'application/xml; charset=utf-8', body };
  }

  return {
    /**
     * Lets handlers that missed the deadline record their outcome (for at most
     * `waitMs`), then writes every queued log row: a closing process keeps what
     * it already answered.
     */
    async close(waitMs = 5000): Promise<void> {
      if (lateRuns.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        const bound = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, waitMs);
        });
        await Promise.race([Promise.allSettled(lateRuns), bound]);
        clearTimeout(timer);
      }
      await deps.log.drain();
      await deps.claims.close();
    },

    /** GET: URL verification. Answers the echo string WeChat expects. */
    async verify(target: Target, query: CallbackQuery): Promise<CallbackAnswer> {
      const body = await receivers.with(target.accountId, target.receiver, (receiver) => {
        expectProduct(target, receiver);
        const { credentials, crypt } = receiver;
        return target.product === 'official-account'
          ? verifyOfficialAccountUrl({ query, token: credentials.token })
          : verifyWeComUrl({ query, token: credentials.token, crypt: crypt ?? missingKey() });
      });
      touch(target.accountId);
      return { contentType: textPlain, body };
    },

    /** POST: a message or event. Bad input throws (401/400/404) before anything is stored. */
    async receive(target: Target, query: CallbackQuery, body: Buffer | string): Promise<CallbackAnswer> {
      const receivedAt = Date.now();
      const startedAt = performance.now();
      const opening = open(target, query, body);
      const { opened, receiver } = opening instanceof Promise ? await opening : opening;
      const event = readCallbackEvent(target.product, opened.plaintext, { format: opened.format });
      touch(target.accountId);
      const account: CallbackAccount = {
        id: target.accountId,
        product: target.product,
        receiver: target.receiver,
        wechatId: receiver.credentials.wechatId,
      };
      const key = `${account.id}|${event.dedupeKey}`;
      const other = inflight.get(key);
      if (other) return render(target.product, await other, opened, receiver);
      const pending = once(event, account, receivedAt, startedAt);
      inflight.set(key, pending);
      let replyXml: string | null;
      try {
        replyXml = await pending;
      } finally {
        inflight.delete(key);
      }
      return render(target.product, replyXml, opened, receiver);
    },
  };
}

export type CallbacksService = ReturnType<typeof createCallbacksService>;
export { officialAccountReceiver };

import { performance } from 'node:perf_hooks';
import type { Clock } from '../../../platform/clock';
import type { Logger } from '../../../platform/logger';
import { isWeChatApiError, type WeChatAccount, type WeChatClient } from '../../../wechat/client';
import { wecomCustomerGet, wecomCustomerMarkTag, wecomWelcomeSend } from '../../../wechat/wecom';
import type { CallbackSubscriptions } from '../../system/callbacks';
import type { CustomersService } from '../customers';
import { nameLookupBudgetMs, nameVariableCount, renderWelcomeText, shanghaiDay, welcomeWindowOpen } from './contact-way-rules';
import type { ContactWayRow, ContactWaysRepository, NewWelcomeSend } from './contact-ways.repository';
import { WELCOME_LIMITS, type WelcomeMessage } from './contact-ways.schema';
import { customerContactAccount, errcodeInWords, type AccountsAccess } from './customer-contact-calls';
import type { WelcomeLine } from './welcome-line';
import type { WelcomeMedia } from './welcome-media';

/** How long a looked-up account (secret, API base) is reused by welcome sends: a burst of adds reads it once. */
const ACCOUNT_REUSE_MS = 5_000;
/** How long the code of a `state` is reused: a burst through one code reads it once; an edit shows within this. */
const CODE_REUSE_MS = 2_000;
/** Weight of the newest send in the running estimate of how long send_welcome_msg takes. */
const SEND_ESTIMATE_WEIGHT = 0.2;
/** The estimate skips a send only up to this: a slow spell must not stop every send (which would stop the estimate learning). */
const SEND_ESTIMATE_CAP_MS = 5_000;

export interface AddEvent {
  userId: string;
  externalUserId: string;
  state?: string | undefined;
  welcomeCode?: string | undefined;
  createTimeS: number;
}

/** Where a welcome's outcome is told on the customer's timeline (the customers module). */
export type CustomerTimeline = Pick<CustomersService, 'recordTimelineEvent'>;

/** What the welcome log knows of one welcome that went or could not go. */
export interface WelcomeOutcome {
  welcomeCode: string;
  externalUserid: string;
  userid: string;
  configId: string | null;
  codeName?: string | null;
  state: string | null;
  /** Whose text went (or was to go): the code's own or the account's default; unknown for an interrupted send. */
  message?: 'code' | 'default' | null;
  status: 'sent' | 'failed';
  reason: string;
  errcode?: number | null;
  errmsg?: string | null;
}

/**
 * The timeline entry of a welcome: `welcome_sent` or `welcome_failed` (with
 * the welcome log's reason), keyed by the welcome code, which WeCom issues
 * once per add, so a re-delivered event or a second sweep writes nothing more.
 */
export function welcomeTimelineEntry(outcome: WelcomeOutcome, at: Date): Parameters<CustomerTimeline['recordTimelineEvent']>[2] {
  const about = { configId: outcome.configId, codeName: outcome.codeName ?? null, state: outcome.state, message: outcome.message ?? null };
  return {
    kind: outcome.status === 'sent' ? 'welcome_sent' : 'welcome_failed',
    userid: outcome.userid,
    detail: outcome.status === 'sent' ? { ...about, result: outcome.reason } : { ...about, failReason: outcome.reason, errcode: outcome.errcode ?? null, errmsg: outcome.errmsg ?? null },
    dedupeKey: `welcome:${outcome.welcomeCode}`,
    occurredAt: at,
  };
}

export interface ContactWayCallbackDeps {
  repository: ContactWaysRepository;
  media: WelcomeMedia;
  wechat: WeChatClient;
  accounts: AccountsAccess;
  subscribe: CallbackSubscriptions['subscribe'];
  line: WelcomeLine;
  timeline: CustomerTimeline;
  clock: Clock;
  logger: Logger;
  /**
   * Called after mark_tag put tags on a customer: WeCom sends no callback for
   * changes made through its API, so Qiao's own copy of the customer is refreshed.
   */
  tagsMarked?: (accountId: string, externalUserId: string) => Promise<void>;
}

/**
 * The add-customer event: the callback claims the welcome code in the welcome
 * log and queues the send at the head of the welcome line (the welcome_code
 * dies 20 s after the event and works once), then answers; the attribution
 * to the code and its tags follow in the line's second lane.
 */
export function subscribeContactWayCallbacks(deps: ContactWayCallbackDeps): () => void {
  const { repository } = deps;
  const logger = deps.logger.child({ module: 'contact-ways-callbacks' });

  // How long send_welcome_msg has been taking (exponentially weighted); a send that cannot
  // finish inside the window is not tried, so its slot goes to one that can.
  let sendEstimateMs = 0;
  const accountsSeen = new Map<string, { at: number; account: Promise<WeChatAccount> }>();
  function sendingAccount(accountId: string): Promise<WeChatAccount> {
    const now = Date.now();
    const seen = accountsSeen.get(accountId);
    if (seen && now - seen.at < ACCOUNT_REUSE_MS) return seen.account;
    const account = customerContactAccount(deps.accounts, accountId);
    accountsSeen.set(accountId, { at: now, account });
    account.catch(() => accountsSeen.delete(accountId));
    return account;
  }

  const codesSeen = new Map<string, { at: number; code: Promise<ContactWayRow | null> }>();
  function codeOf(accountId: string, state: string): Promise<ContactWayRow | null> {
    const key = `${accountId}\u0000${state}`;
    const now = Date.now();
    const seen = codesSeen.get(key);
    if (seen && now - seen.at < CODE_REUSE_MS) return seen.code;
    if (codesSeen.size > 1_000) codesSeen.clear();
    const code = repository.findByState(accountId, state);
    codesSeen.set(key, { at: now, code });
    code.catch(() => codesSeen.delete(key));
    return code;
  }

  async function customerName(account: WeChatAccount, externalUserId: string, budgetMs: number): Promise<string | null> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), budgetMs);
    });
    const lookup = deps.wechat
      .call(account, wecomCustomerGet, undefined, { external_userid: externalUserId })
      .then((answer) => answer.external_contact.name || null)
      .catch(() => null);
    try {
      return await Promise.race([lookup, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Claims the welcome code (or records why there is nothing to send) and
   * queues the send; false when another delivery of this event holds the code (a replay).
   */
  async function welcome(accountId: string, event: AddEvent, code: ContactWayRow | null, startedAt: number): Promise<boolean> {
    const base: NewWelcomeSend = {
      accountId,
      welcomeCode: event.welcomeCode ?? null,
      externalUserid: event.externalUserId,
      userid: event.userId,
      configId: code?.configId ?? null,
      state: event.state ?? null,
      status: 'sending',
      reason: 'sent',
      errcode: null,
      errmsg: null,
      latencyMs: null,
      eventAt: new Date(event.createTimeS * 1000),
      createdAt: deps.clock.now(),
    };
    // Without a code WeCom sends the console-configured welcome itself, or none may be sent (facts §5.5).
    if (!event.welcomeCode) {
      await repository.insertWelcome({ ...base, status: 'skipped', reason: 'no_welcome_code' });
      return true;
    }
    const claimed = await repository.claimWelcome(base);
    if (!claimed) return false;
    deps.line.welcome(event.createTimeS * 1000, () => send(claimed.id, accountId, { ...event, welcomeCode: event.welcomeCode as string }, code, startedAt));
    return true;
  }

  /** Runs in the welcome line: the message, the name when there is time for it, then send_welcome_msg. */
  async function send(id: string, accountId: string, event: AddEvent & { welcomeCode: string }, code: ContactWayRow | null, startedAt: number): Promise<void> {
    let source: 'code' | 'default' | null = null;
    const finish = async (changes: Partial<Pick<NewWelcomeSend, 'status' | 'reason' | 'errcode' | 'errmsg'>>) => {
      const outcome = {
        status: changes.status ?? 'sent',
        reason: changes.reason ?? 'sent',
        errcode: changes.errcode ?? null,
        errmsg: changes.errmsg ?? null,
      };
      await repository.finishWelcome(id, { ...outcome, latencyMs: Math.round(performance.now() - startedAt) });
      if (outcome.status === 'sent' || outcome.status === 'failed') {
        const entry = welcomeTimelineEntry(
          { ...outcome, status: outcome.status, welcomeCode: event.welcomeCode, externalUserid: event.externalUserId, userid: event.userId, configId: code?.configId ?? null, codeName: code?.name ?? null, state: event.state ?? null, message: source },
          deps.clock.now(),
        );
        // Second lane: the send is done, and this write must not hold up the welcomes still waiting for their window.
        deps.line.after(() =>
          deps.timeline
            .recordTimelineEvent(accountId, event.externalUserId, entry)
            .then(() => undefined)
            .catch((error: unknown) => logger.warn({ err: error, accountId, welcomeSendId: id }, 'could not put a welcome on the customer timeline')),
        );
      }
    };
    try {
      const own = code?.welcomeMessage ?? null;
      const message: WelcomeMessage | null = own ?? (await repository.defaultWelcome(accountId))?.message ?? null;
      source = own ? 'code' : message ? 'default' : null;
      if (!message) return await finish({ status: 'skipped', reason: 'no_message' });
      if (!welcomeWindowOpen(event.createTimeS, deps.clock.now())) return await finish({ status: 'failed', reason: 'expired' });
      let account: WeChatAccount;
      try {
        account = await sendingAccount(accountId);
      } catch (error) {
        logger.warn({ err: error, accountId }, 'no secret to send a welcome message with');
        return await finish({ status: 'failed', reason: 'unreachable' });
      }
      const wantsName = nameVariableCount(message.text) > 0;
      // An old event or a queue of welcomes behind this one: the name lookup would cost others their window.
      const budgetMs = wantsName ? nameLookupBudgetMs(deps.clock.now().getTime() - event.createTimeS * 1000, deps.line.welcomesWaiting()) : 0;
      const [name, prepared] = await Promise.all([
        budgetMs > 0 ? customerName(account, event.externalUserId, budgetMs) : Promise.resolve(null),
        deps.media.attachments(accountId, message),
      ]);
      const text = renderWelcomeText(message.text, name);
      // Nothing left to send: every image expired, or the text was only the name variable and the name did not come in time.
      if (text.trim() === '' && prepared.attachments.length === 0) return await finish({ status: 'failed', reason: prepared.expired.length ? 'media_expired' : 'name_unavailable' });
      const leftMs = event.createTimeS * 1000 + WELCOME_LIMITS.windowMs - deps.clock.now().getTime();
      if (leftMs < Math.min(sendEstimateMs, SEND_ESTIMATE_CAP_MS)) return await finish({ status: 'failed', reason: 'expired' });
      const sendStartedAt = performance.now();
      try {
        await deps.wechat.call(account, wecomWelcomeSend, {
          welcome_code: event.welcomeCode,
          ...(text.trim() ? { text: { content: text } } : {}),
          ...(prepared.attachments.length ? { attachments: prepared.attachments } : {}),
        });
      } catch (error) {
        sendEstimateMs += SEND_ESTIMATE_WEIGHT * (performance.now() - sendStartedAt - sendEstimateMs);
        if (isWeChatApiError(error)) return await finish({ status: 'failed', reason: error.errcode === 41051 ? 'expired' : 'wechat_error', errcode: error.errcode, errmsg: error.errmsg });
        logger.warn({ err: error, accountId }, 'welcome message could not reach WeCom');
        return await finish({ status: 'failed', reason: 'unreachable', errmsg: String((error as Error)?.message ?? error).slice(0, 500) });
      }
      sendEstimateMs += SEND_ESTIMATE_WEIGHT * (performance.now() - sendStartedAt - sendEstimateMs);
      await finish({ reason: prepared.expired.length ? 'media_expired' : wantsName && !name ? 'sent_without_name' : 'sent' });
    } catch (error) {
      // A database failure here leaves the row `sending`; the sweep closes it once its window has passed.
      logger.error({ err: error, accountId, welcomeSendId: id }, 'could not finish a welcome message');
    }
  }

  async function attribute(accountId: string, event: AddEvent, code: ContactWayRow): Promise<void> {
    const configId = code.configId as string;
    const key = { accountId, configId, externalUserid: event.externalUserId, userid: event.userId, addedAtS: event.createTimeS };
    const fresh = await repository.recordAdd({ ...key, day: shanghaiDay(new Date(event.createTimeS * 1000)) });
    if (!fresh || code.tagIds.length === 0) return;
    try {
      const account = await sendingAccount(accountId);
      await deps.wechat.call(account, wecomCustomerMarkTag, { userid: event.userId, external_userid: event.externalUserId, add_tag: code.tagIds });
      await repository.setAddTagResult(key, 'ok');
      await deps.tagsMarked?.(accountId, event.externalUserId).catch((error: unknown) => logger.warn({ err: error, accountId }, 'could not refresh a customer after tagging it'));
    } catch (error) {
      const words = isWeChatApiError(error) ? `${error.errcode} ${errcodeInWords(error.errcode, error.errmsg).zh}` : String((error as Error)?.message ?? error);
      logger.warn({ err: error, accountId, configId }, 'could not tag a customer added through a contact-me code');
      await repository.setAddTagResult(key, words.slice(0, 500));
    }
  }

  async function onAdd(accountId: string, event: AddEvent): Promise<void> {
    const startedAt = performance.now();
    const found = event.state ? await codeOf(accountId, event.state) : null;
    const code = found?.configId ? found : null;
    // The welcome code is unique per add: a replay that got past the callback deduplication stops here.
    const fresh = await welcome(accountId, event, code, startedAt);
    if (fresh && code) {
      deps.line.after(() =>
        attribute(accountId, event, code).catch((error: unknown) => logger.error({ err: error, accountId, configId: code.configId }, 'could not attribute an add to its contact-me code')),
      );
    }
  }

  const off = deps.subscribe('wecom.change_external_contact.add_external_contact', ({ event, account }) => onAdd(account.id, event));
  return off;
}

import { performance } from 'node:perf_hooks';
import type { Clock } from '../../../platform/clock';
import type { Logger } from '../../../platform/logger';
import { isWeChatApiError, type WeChatAccount, type WeChatClient } from '../../../wechat/client';
import { wecomCustomerGet, wecomCustomerMarkTag, wecomWelcomeSend } from '../../../wechat/wecom';
import type { CallbackSubscriptions } from '../../system/callbacks';
import { nameVariableCount, renderWelcomeText, shanghaiDay, welcomeWindowOpen } from './contact-way-rules';
import type { ContactWayRow, ContactWaysRepository, NewWelcomeSend } from './contact-ways.repository';
import type { WelcomeMessage } from './contact-ways.schema';
import { customerContactAccount, errcodeInWords, type AccountsAccess } from './customer-contact-calls';
import type { WelcomeMedia } from './welcome-media';

/** How long the customer's name may take before the welcome goes without it; the whole window is 20 s. */
export const NAME_LOOKUP_BUDGET_MS = 2_500;

export interface AddEvent {
  userId: string;
  externalUserId: string;
  state?: string | undefined;
  welcomeCode?: string | undefined;
  createTimeS: number;
}

export interface ContactWayCallbackDeps {
  repository: ContactWaysRepository;
  media: WelcomeMedia;
  wechat: WeChatClient;
  accounts: AccountsAccess;
  subscribe: CallbackSubscriptions['subscribe'];
  clock: Clock;
  logger: Logger;
  /**
   * Called after mark_tag put tags on a customer: WeCom sends no callback for
   * changes made through its API, so Qiao's own copy of the customer is refreshed.
   */
  tagsMarked?: (accountId: string, externalUserId: string) => Promise<void>;
}

/**
 * The add-customer event: the welcome message goes first, straight from the
 * callback (the welcome_code dies 20 s after the event and works once), then
 * the add is attributed to its code and the code's tags are put on the customer.
 */
export function subscribeContactWayCallbacks(deps: ContactWayCallbackDeps): () => void {
  const { repository } = deps;
  const logger = deps.logger.child({ module: 'contact-ways-callbacks' });

  async function customerName(account: WeChatAccount, externalUserId: string): Promise<string | null> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), NAME_LOOKUP_BUDGET_MS);
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

  /** Sends (or records why not); false when another delivery of this event holds its welcome code (a replay). */
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
    const finish = async (changes: Partial<Pick<NewWelcomeSend, 'status' | 'reason' | 'errcode' | 'errmsg'>>) => {
      await repository.finishWelcome(claimed.id, {
        status: changes.status ?? 'sent',
        reason: changes.reason ?? 'sent',
        errcode: changes.errcode ?? null,
        errmsg: changes.errmsg ?? null,
        latencyMs: Math.round(performance.now() - startedAt),
      });
      return true;
    };
    const message: WelcomeMessage | null = code?.welcomeMessage ?? (await repository.defaultWelcome(accountId))?.message ?? null;
    if (!message) return finish({ status: 'skipped', reason: 'no_message' });
    if (!welcomeWindowOpen(event.createTimeS, deps.clock.now())) return finish({ status: 'failed', reason: 'expired' });
    let account: WeChatAccount;
    try {
      account = await customerContactAccount(deps.accounts, accountId);
    } catch (error) {
      logger.warn({ err: error, accountId }, 'no secret to send a welcome message with');
      return finish({ status: 'failed', reason: 'unreachable' });
    }
    const [name, prepared] = await Promise.all([
      nameVariableCount(message.text) > 0 ? customerName(account, event.externalUserId) : Promise.resolve(null),
      deps.media.attachments(accountId, message),
    ]);
    const text = renderWelcomeText(message.text, name);
    if (text.trim() === '' && prepared.attachments.length === 0) return finish({ status: 'failed', reason: 'media_expired' });
    try {
      await deps.wechat.call(account, wecomWelcomeSend, {
        welcome_code: event.welcomeCode,
        ...(text.trim() ? { text: { content: text } } : {}),
        ...(prepared.attachments.length ? { attachments: prepared.attachments } : {}),
      });
    } catch (error) {
      if (isWeChatApiError(error)) return finish({ status: 'failed', reason: error.errcode === 41051 ? 'expired' : 'wechat_error', errcode: error.errcode, errmsg: error.errmsg });
      logger.warn({ err: error, accountId }, 'welcome message could not reach WeCom');
      return finish({ status: 'failed', reason: 'unreachable', errmsg: String((error as Error)?.message ?? error).slice(0, 500) });
    }
    const withoutName = nameVariableCount(message.text) > 0 && !name;
    return finish({ reason: prepared.expired.length ? 'media_expired' : withoutName ? 'sent_without_name' : 'sent' });
  }

  async function attribute(accountId: string, event: AddEvent, code: ContactWayRow): Promise<void> {
    const configId = code.configId as string;
    const key = { accountId, configId, externalUserid: event.externalUserId, userid: event.userId, addedAtS: event.createTimeS };
    const fresh = await repository.recordAdd({ ...key, day: shanghaiDay(new Date(event.createTimeS * 1000)) });
    if (!fresh || code.tagIds.length === 0) return;
    try {
      const account = await customerContactAccount(deps.accounts, accountId);
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
    const found = event.state ? await repository.findByState(accountId, event.state) : null;
    const code = found?.configId ? found : null;
    // The welcome code is unique per add: a replay that got past the callback deduplication stops here.
    const fresh = await welcome(accountId, event, code, startedAt);
    if (fresh && code) await attribute(accountId, event, code);
  }

  const off = deps.subscribe('wecom.change_external_contact.add_external_contact', ({ event, account }) => onAdd(account.id, event));
  return off;
}

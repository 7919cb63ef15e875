import type {
  CallbackEvent,
  CallbackEventType,
  CallbackProduct,
  OfficialAccountEvent,
  OfficialAccountReply,
  WeComEvent,
  WeComReply,
} from '../../../wechat/callback';

/** The account a push arrived for. */
export interface CallbackAccount {
  id: string;
  product: CallbackProduct;
  /** `official-account`, an AgentId, `contacts` or `customer-contact`. */
  receiver: string;
  /** AppID or CorpID. */
  wechatId: string;
}

type ReplyOf<E extends CallbackEvent> = E extends OfficialAccountEvent ? OfficialAccountReply : WeComReply;

/** What a subscriber gets for one push. */
export interface CallbackContext<E extends CallbackEvent = CallbackEvent> {
  event: E;
  account: CallbackAccount;
  /**
   * Sets the passive reply now (the first reply of any subscriber wins); the
   * handler may keep working. Returning a reply does the same.
   */
  reply(reply: ReplyOf<E>): void;
  /** Aborted when the passive deadline passes; a reply given after it goes out through WeChat's message API. */
  signal: AbortSignal;
  /** Epoch milliseconds by which a reply still goes back in the HTTP answer. */
  deadlineAt: number;
}

export type CallbackHandler<E extends CallbackEvent = CallbackEvent> = (
  context: CallbackContext<E>,
) => ReplyOf<E> | void | undefined | Promise<ReplyOf<E> | void | undefined>;

/** A type such as `official-account.text`, every type of a product (`wecom.*`), or everything (`*`). */
export type CallbackPattern = CallbackEventType | `${CallbackProduct}.*` | '*';

type EventFor<P extends CallbackPattern> = P extends '*'
  ? CallbackEvent
  : P extends 'official-account.*'
    ? OfficialAccountEvent
    : P extends 'wecom.*'
      ? WeComEvent
      : Extract<CallbackEvent, { type: P }>;

interface Subscription {
  pattern: CallbackPattern;
  handler: CallbackHandler;
}

/** The subscriber list callbacks are dispatched to; modules subscribe at wiring time. */
export interface CallbackSubscriptions {
  /**
   * Calls `handler` for every push of `pattern`. Handlers run concurrently;
   * the reply is the first one given. Returns a function that unsubscribes.
   */
  subscribe<P extends CallbackPattern>(pattern: P, handler: CallbackHandler<EventFor<P>>): () => void;
  /** Handlers for one event type: exact subscriptions first, then the product's wildcard, then `*`, each in subscription order. */
  handlersFor(type: string): CallbackHandler[];
}

export function createCallbackSubscriptions(): CallbackSubscriptions {
  const subscriptions: Subscription[] = [];
  const rank = (pattern: CallbackPattern) => (pattern === '*' ? 2 : pattern.endsWith('.*') ? 1 : 0);
  // Every push asks; the list changes only at wiring time (and in tests).
  const resolved = new Map<string, CallbackHandler[]>();
  return {
    subscribe(pattern, handler) {
      const subscription: Subscription = { pattern, handler: handler as CallbackHandler };
      subscriptions.push(subscription);
      resolved.clear();
      return () => {
        const at = subscriptions.indexOf(subscription);
        if (at >= 0) subscriptions.splice(at, 1);
        resolved.clear();
      };
    },
    handlersFor(type) {
      let handlers = resolved.get(type);
      if (!handlers) {
        const product = type.slice(0, type.indexOf('.'));
        handlers = subscriptions
          .filter((s) => s.pattern === type || s.pattern === `${product}.*` || s.pattern === '*')
          .sort((a, b) => rank(a.pattern) - rank(b.pattern))
          .map((s) => s.handler);
        // Unknown types come from the network: only a bounded number is remembered.
        if (resolved.size < 1000) resolved.set(type, handlers);
      }
      return handlers;
    },
  };
}

import type { Logger } from '../../../platform/logger';
import type { CallbackSubscriptions } from '../../system/callbacks';

/** Welcome sends in flight at once: enough to hide WeCom's round trips, few enough not to swamp the database pool. */
export const WELCOME_CONCURRENCY = 16;
/** The work an add causes besides the welcome (customer record, tags, rules): it waits, so it gets few slots. */
export const AFTER_CONCURRENCY = 4;

const ADD_EVENT = 'wecom.change_external_contact.add_external_contact';

interface Waiting {
  eventAtMs: number;
  run: () => Promise<void>;
}

/**
 * The in-process line an add_external_contact goes through. A welcome_code
 * dies 20 s after the event, so welcomes take the first slots, oldest event
 * first; everything else the add causes waits in a second lane that only
 * starts work while no welcome is waiting or being sent. The callback answers as soon as
 * work is queued, so WeChat does not re-deliver a push only because Qiao is
 * busy. Work queued here lives in memory: a crash loses it (the welcome log
 * row stays `sending` and the boot sweep marks it failed).
 */
export function createWelcomeLine(deps: { logger: Logger; welcomeConcurrency?: number; afterConcurrency?: number }) {
  const logger = deps.logger.child({ module: 'welcome-line' });
  const welcomeSlots = deps.welcomeConcurrency ?? WELCOME_CONCURRENCY;
  const afterSlots = deps.afterConcurrency ?? AFTER_CONCURRENCY;
  const welcomes: Waiting[] = [];
  const after: (() => Promise<void>)[] = [];
  let runningWelcomes = 0;
  let runningAfter = 0;
  let idleWaiters: (() => void)[] = [];

  function settleIdle(): void {
    if (welcomes.length || after.length || runningWelcomes || runningAfter) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  function pump(): void {
    while (runningWelcomes < welcomeSlots && welcomes.length) {
      const next = welcomes.shift() as Waiting;
      runningWelcomes++;
      void next
        .run()
        .catch((error: unknown) => logger.error({ err: error }, 'a welcome message failed outside its own handling'))
        .finally(() => {
          runningWelcomes--;
          pump();
        });
    }
    // Strictly second: on the embedded database every query waits in one line, so any after-work
    // running beside a welcome delays it. During a burst this lane waits for the burst to end.
    if (welcomes.length === 0 && runningWelcomes === 0) startAfter();
    settleIdle();
  }

  function startAfter(): void {
    while (runningAfter < afterSlots && after.length) {
      const next = after.shift() as () => Promise<void>;
      runningAfter++;
      void next()
        .catch((error: unknown) => logger.error({ err: error }, 'work after an add_external_contact failed'))
        .finally(() => {
          runningAfter--;
          pump();
        });
    }
  }

  /** Keeps `welcomes` ordered by event time (then arrival): a late re-delivery of an older event goes ahead of newer ones. */
  function insertWelcome(entry: Waiting): void {
    let i = welcomes.length;
    while (i > 0 && (welcomes[i - 1] as Waiting).eventAtMs > entry.eventAtMs) i--;
    welcomes.splice(i, 0, entry);
  }

  function whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      idleWaiters.push(resolve);
      settleIdle();
    });
  }

  function queueAfter(run: () => Promise<void>): void {
    after.push(run);
    pump();
  }

  return {
    /** Queues a welcome send for an event that happened at `eventAtMs`. */
    welcome(eventAtMs: number, run: () => Promise<void>): void {
      insertWelcome({ eventAtMs, run });
      pump();
    },

    /** Queues work that must not hold up any welcome. */
    after: queueAfter,

    /** Waits until nothing is queued or running, at most `timeoutMs` (work still queued then is lost with the process). */
    async drain(timeoutMs: number): Promise<void> {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([whenIdle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
    },

    /** Welcomes waiting for a slot (not counting those being sent). */
    welcomesWaiting(): number {
      return welcomes.length;
    },

    /** Resolves once nothing is queued or running. */
    idle: whenIdle,

    /**
     * A `subscribe` for other modules: their add_external_contact handlers run
     * in the second lane, after the welcome; other events pass through unchanged.
     * Such handlers give no passive reply (WeCom ignores one for this event).
     */
    subscribeAfterWelcome(subscribe: CallbackSubscriptions['subscribe']): CallbackSubscriptions['subscribe'] {
      return ((pattern: string, handler: (context: never) => unknown) => {
        if (pattern !== ADD_EVENT) return subscribe(pattern as never, handler as never);
        return subscribe(ADD_EVENT, (context) => {
          queueAfter(async () => {
            await handler(context as never);
          });
        });
      }) as CallbackSubscriptions['subscribe'];
    },
  };
}

export type WelcomeLine = ReturnType<typeof createWelcomeLine>;

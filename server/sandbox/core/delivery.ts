import { performance } from 'node:perf_hooks';
import type { Clock } from '../../platform/clock';
import type { Logger } from '../../platform/logger';
import type { SealedPush } from '../../wechat/core';
import type { CoreRepository, DeliveryRow } from './core.repository';
import { CALLBACK_FAULT_PATH, type FaultRegistry } from './faults';

/**
 * How a delivery ended, judged as WeChat judges it: `no_reply` (empty body
 * or `success`), `replied` (a valid passive reply), `invalid_reply` (anything
 * else: the follower sees the "cannot serve" notice), `failed` (no 200 answer
 * within the deadline on every attempt), `no_callback_url`.
 */
export type DeliveryStatus = 'no_reply' | 'replied' | 'invalid_reply' | 'failed' | 'no_callback_url';

export interface DeliveryResult {
  attempts: number;
  status: DeliveryStatus;
  latencyMs: number;
  /** What the receiver's answer put in someone's inbox (passive replies, notices). */
  received: unknown[];
  /** The live-feed entry. */
  id: number;
}

export interface DeliveryJudgement {
  status: 'no_reply' | 'replied' | 'invalid_reply';
  received?: unknown[];
  error?: string;
}

export interface DeliveryRequest {
  product: string;
  ownerKey: string;
  /** Who acted: an OpenID, a UserID, an external user id. */
  target: string;
  /** A short label for the feed, e.g. `text`, `event:subscribe`. */
  event: string;
  /** Null or empty: nothing is sent, the feed records `no_callback_url`. */
  url: string | null;
  /** The plaintext message, for the feed. */
  message: string;
  /** Seals the push; called once per attempt so each carries a fresh timestamp and nonce. */
  build: () => SealedPush;
  contentType?: string;
  /** Reads a 200 answer. */
  judge: (answer: string) => Promise<DeliveryJudgement>;
  /** Called once when every attempt failed; answers what it put in an inbox. */
  onUnanswered?: () => Promise<unknown[]>;
}

export interface DeliveryOptions {
  timeoutMs: number;
  maxAttempts: number;
}

/** WeChat waits 5 s for an answer and delivers a push up to 3 times (facts §1.2). */
export const defaultDeliveryOptions: DeliveryOptions = { timeoutMs: 5000, maxAttempts: 3 };

interface AttemptOutcome {
  answered: boolean;
  httpStatus: number | null;
  body: string;
  error: string | null;
}

const ANSWER_KEEP_CHARS = 4096;

/**
 * Pushes callbacks the way WeChat does and records each in the live feed.
 * Faults armed for `callback` make an attempt time out or arrive twice.
 */
export function createCallbackDeliverer(deps: {
  repository: CoreRepository;
  faults: FaultRegistry;
  clock: Clock;
  logger: Logger;
  fetch?: typeof fetch;
  options?: Partial<DeliveryOptions>;
}) {
  const options = { ...defaultDeliveryOptions, ...deps.options };
  const doFetch = deps.fetch ?? fetch;

  async function send(request: DeliveryRequest): Promise<AttemptOutcome> {
    const sealed = request.build();
    const url = new URL(request.url as string);
    for (const [name, value] of Object.entries(sealed.query)) url.searchParams.set(name, value);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeoutMs);
    try {
      const response = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': request.contentType ?? 'text/xml; charset=utf-8', 'user-agent': 'Mozilla/4.0' },
        body: sealed.body,
        signal: controller.signal,
      });
      const body = await response.text();
      return { answered: response.status === 200, httpStatus: response.status, body, error: response.status === 200 ? null : `HTTP ${response.status}` };
    } catch (error) {
      const timedOut = controller.signal.aborted;
      return { answered: false, httpStatus: null, body: '', error: timedOut ? `no answer within ${options.timeoutMs} ms` : String((error as Error).message ?? error) };
    } finally {
      clearTimeout(timer);
    }
  }

  async function attempt(request: DeliveryRequest): Promise<{ outcome: AttemptOutcome; requests: number }> {
    const fault = deps.faults.take(request.product, CALLBACK_FAULT_PATH);
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault?.delivery === 'duplicate') {
      const [first, second] = await Promise.all([send(request), send(request)]);
      return { outcome: first.answered ? first : second, requests: 2 };
    }
    const outcome = await send(request);
    if (fault?.delivery === 'timeout') {
      return { outcome: { answered: false, httpStatus: null, body: '', error: `no answer within ${options.timeoutMs} ms (fault)` }, requests: 1 };
    }
    return { outcome, requests: 1 };
  }

  async function record(request: DeliveryRequest, result: Omit<DeliveryResult, 'id'>, last: AttemptOutcome | null, error: string | null): Promise<DeliveryRow> {
    return deps.repository.recordDelivery({
      product: request.product,
      ownerKey: request.ownerKey,
      target: request.target,
      event: request.event,
      url: request.url ?? '',
      attempts: result.attempts,
      status: result.status,
      latencyMs: result.latencyMs,
      httpStatus: last?.httpStatus ?? null,
      error,
      message: request.message,
      answer: last ? last.body.slice(0, ANSWER_KEEP_CHARS) : null,
      createdAt: deps.clock.now(),
    });
  }

  return {
    options,
    /** Delivers one push: up to `maxAttempts` tries, then judges the answer. */
    async deliver(request: DeliveryRequest): Promise<DeliveryResult> {
      if (!request.url) {
        const result = { attempts: 0, status: 'no_callback_url' as const, latencyMs: 0, received: [] };
        const row = await record(request, result, null, null);
        return { ...result, id: row.id };
      }
      const started = performance.now();
      let attempts = 0;
      let last: AttemptOutcome | null = null;
      for (let i = 0; i < options.maxAttempts; i++) {
        const { outcome, requests } = await attempt(request);
        attempts += requests;
        last = outcome;
        if (outcome.answered) break;
      }
      const latencyMs = Math.round(performance.now() - started);
      if (!last?.answered) {
        const received = (await request.onUnanswered?.()) ?? [];
        const result = { attempts, status: 'failed' as const, latencyMs, received };
        const row = await record(request, result, last, last?.error ?? null);
        deps.logger.info({ product: request.product, event: request.event, attempts }, 'sandbox callback unanswered');
        return { ...result, id: row.id };
      }
      const judgement = await request.judge(last.body);
      const result = { attempts, status: judgement.status, latencyMs, received: judgement.received ?? [] };
      const row = await record(request, result, last, judgement.error ?? null);
      return { ...result, id: row.id };
    },
  };
}

export type CallbackDeliverer = ReturnType<typeof createCallbackDeliverer>;

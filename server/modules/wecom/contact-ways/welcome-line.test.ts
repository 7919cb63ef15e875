import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../platform/logger';
import { createWelcomeLine } from './welcome-line';

/** A task that records when it starts and finishes only when released. */
function gate(log: string[], name: string) {
  let release: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    run: async () => {
      log.push(`start ${name}`);
      await done;
      log.push(`end ${name}`);
    },
    release: () => release(),
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('the welcome line', () => {
  it('sends welcomes oldest event first and starts other work only once no welcome waits or runs', async () => {
    const line = createWelcomeLine({ logger: createLogger('silent'), welcomeConcurrency: 1, afterConcurrency: 2 });
    const log: string[] = [];
    const newer = gate(log, 'welcome@2000');
    const older = gate(log, 'welcome@1000');
    const first = gate(log, 'welcome@3000');
    const record = gate(log, 'customer record');

    line.welcome(3_000, first.run);
    line.after(record.run);
    line.welcome(2_000, newer.run);
    line.welcome(1_000, older.run);
    await flush();
    expect(log).toEqual(['start welcome@3000']);
    expect(line.welcomesWaiting()).toBe(2);

    first.release();
    await flush();
    older.release();
    await flush();
    newer.release();
    await flush();
    expect(log).toEqual(['start welcome@3000', 'end welcome@3000', 'start welcome@1000', 'end welcome@1000', 'start welcome@2000', 'end welcome@2000', 'start customer record']);

    record.release();
    await line.idle();
    expect(log.at(-1)).toBe('end customer record');
  });

  it('answers the callback without waiting for the deferred handler of another module', async () => {
    const line = createWelcomeLine({ logger: createLogger('silent') });
    const log: string[] = [];
    const record = gate(log, 'customer record');
    let subscribed: ((context: never) => unknown) | undefined;
    const subscribe = ((pattern: string, handler: (context: never) => unknown) => {
      expect(pattern).toBe('wecom.change_external_contact.add_external_contact');
      subscribed = handler;
      return () => undefined;
    }) as never;
    line.subscribeAfterWelcome(subscribe)('wecom.change_external_contact.add_external_contact', record.run);
    expect(await (subscribed as (context: never) => unknown)({} as never)).toBeUndefined();
    expect(log).toEqual(['start customer record']);
    record.release();
    await line.idle();
    expect(log).toEqual(['start customer record', 'end customer record']);
  });
});

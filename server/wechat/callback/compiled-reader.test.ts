import fc from 'fast-check';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { parseWeChatXml, type WeChatRecord, type WeChatValue } from '../core/xml';
import { compileReader, FALLBACK } from './compiled-reader';
import { readerShapeOf } from './event-fields';
import { eventSamples } from './event-samples';
import { dedupeKeyOf, parseCallbackEvent, type CallbackProduct } from './events';
import { officialAccountEvents, officialAccountMessages } from './official-account-events';
import { weComEvents, weComMessages } from './wecom-events';

// The compiled reader must give exactly what zod gives: the same value, the
// same keys in the same order, and FALLBACK (so zod decides) whenever zod fails.

type Schema = z.ZodType;
const tables: Record<CallbackProduct, Record<string, Schema>> = {
  'official-account': { ...officialAccountMessages, ...officialAccountEvents },
  wecom: { ...weComMessages, ...weComEvents },
};
const entries = Object.entries(tables).flatMap(([product, table]) =>
  Object.entries(table).map(([key, schema]) => ({ product: product as CallbackProduct, key, type: `${product}.${key}`, schema })),
);
const sampleRecords = eventSamples.map((sample) => ({ ...sample, record: parseWeChatXml(sample.xml) }));

/** Values compared with key order and undefined-valued keys included. */
function snapshot(value: unknown): unknown {
  if (Array.isArray(value)) return { array: value.map(snapshot) };
  if (value !== null && typeof value === 'object') return { keys: Object.entries(value).map(([key, item]) => [key, snapshot(item)]) };
  return value === undefined ? { undefined: true } : value;
}

/** Asserts the reader agrees with zod on one input; returns whether zod accepted it. */
function expectSameAsZod(schema: Schema, input: unknown): boolean {
  const reader = compileReader(schema)!;
  const fast = reader.read(input);
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    expect(fast).toBe(FALLBACK);
    return false;
  }
  expect(fast).not.toBe(FALLBACK);
  expect(snapshot(fast)).toEqual(snapshot(parsed.data));
  expect(fast).toStrictEqual(parsed.data);
  return true;
}

/** What parseCallbackEvent gave before the reader: zod alone. */
function parseWithZodOnly(product: CallbackProduct, record: WeChatRecord) {
  const schema = entries.find((entry) => entry.type === parseCallbackEvent(product, record).type)?.schema;
  const parsed = schema?.safeParse(record);
  return parsed?.success ? { ...(parsed.data as object), dedupeKey: dedupeKeyOf(product, record) } : undefined;
}

describe('compileReader', () => {
  it('compiles every event table entry to a reader of its own fields', () => {
    for (const { type, schema } of entries) {
      expect(compileReader(schema), type).toBeDefined();
    }
  });

  it.each(sampleRecords)('reads the $type sample exactly as zod does', ({ product, type, record }) => {
    const entry = entries.find((candidate) => candidate.type === type)!;
    expect(expectSameAsZod(entry.schema, record)).toBe(true);
    const event = parseCallbackEvent(product, record);
    expect(snapshot(event)).toEqual(snapshot(parseWithZodOnly(product, record)));
  });

  it('agrees with zod on every sample read as every event type of its product', () => {
    let accepted = 0;
    for (const { product, record } of sampleRecords) {
      for (const entry of entries.filter((candidate) => candidate.product === product)) {
        if (expectSameAsZod(entry.schema, record)) accepted++;
      }
    }
    // Many types need only the common fields, so plenty of the cross reads succeed too.
    expect(accepted).toBeGreaterThan(sampleRecords.length);
  });

  it('gives undefined for a schema not built from the field blocks', () => {
    expect(compileReader(z.string().email())).toBeUndefined();
    expect(compileReader(z.object({ a: z.string() }))).toBeUndefined();
  });
});

// Random values for the fields a schema names: numbers valid and not, blanks,
// Unicode whitespace and digits, nested records and lists where strings belong.
const text = fc.oneof(
  fc.string(),
  fc.constantFrom('', ' ', '0', '-0', '12', ' 12 ', '\u3000 7\u00a0', '1.5', '-1.25', '.5', '1.', '1e3', '0x1f', '+1', '١٢', '１２', '1234567890123456', '123456789012345', 'a,b, ,c', ',', 'qrscene_', 'qrscene_42'),
);
const leaf: fc.Arbitrary<WeChatValue> = text;
const value: fc.Arbitrary<WeChatValue> = fc.letrec<{ v: WeChatValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('item', 'Item', 'Name', 'Type', 'Text', 'Value', 'Web', 'Title', 'Url', 'List', 'PicMd5Sum', 'extra'), tie('v'), { maxKeys: 4 }),
  ),
})).v;

/** Every WeChat name a schema reads at its top level. */
function rawNames(schema: Schema): string[] {
  const shape = readerShapeOf(schema);
  return shape?.kind === 'event' || shape?.kind === 'fields' ? Object.values(shape.spec).map(([raw]) => raw) : [];
}

const fuzzed = [
  'official-account.text',
  'official-account.location',
  'official-account.subscribe',
  'official-account.LOCATION',
  'official-account.pic_weixin',
  'official-account.location_select',
  'official-account.MASSSENDJOBFINISH',
  'official-account.PUBLISHJOBFINISH',
  'official-account.subscribe_msg_popup_event',
  'wecom.location',
  'wecom.change_contact.create_user',
  'wecom.change_contact.update_tag',
  'wecom.change_external_chat.update',
  'wecom.template_card_event',
  'wecom.sys_approval_change',
  'wecom.open_approval_change',
];

describe('compileReader on random fields', () => {
  it.each(fuzzed)('gives what zod gives for %s', (type) => {
    const entry = entries.find((candidate) => candidate.type === type)!;
    const sample = sampleRecords.find((candidate) => candidate.type === type)!;
    const names = [...rawNames(entry.schema), 'MsgType', 'Event', 'ChangeType', 'Unrelated'];
    const edit = fc.oneof(
      { arbitrary: fc.constant<'delete'>('delete'), weight: 1 },
      { arbitrary: text, weight: 4 },
      { arbitrary: value, weight: 2 },
    );
    let accepted = 0;
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...names), edit, { maxKeys: 6 }), (edits) => {
        const record: WeChatRecord = Object.assign(Object.create(null), sample.record);
        for (const [name, change] of Object.entries(edits)) {
          if (change === 'delete') delete record[name];
          else record[name] = change;
        }
        if (expectSameAsZod(entry.schema, record)) accepted++;
        // The whole parse, unknown events and their issues included, is zod's.
        let event: { type: string };
        try {
          event = parseCallbackEvent(sample.product, record);
        } catch {
          return;
        }
        if (!event.type.endsWith('.unknown')) expect(snapshot(event)).toEqual(snapshot(parseWithZodOnly(sample.product, record)));
      }),
      { numRuns: 400 },
    );
    // The property must see valid records as well as invalid ones.
    expect(accepted).toBeGreaterThan(20);
  });

  it('leaves the issues of an invalid push to zod', () => {
    const sample = sampleRecords.find((candidate) => candidate.type === 'wecom.change_contact.create_user')!;
    fc.assert(
      fc.property(fc.constantFrom('Gender', 'Status', 'UserID'), fc.constantFrom<WeChatValue>('x', '1.5', '', '１', { Value: '1' }), (name, bad) => {
        if (name === 'UserID' && typeof bad === 'string') return;
        const record: WeChatRecord = Object.assign(Object.create(null), sample.record, { [name]: bad });
        const event = parseCallbackEvent('wecom', record);
        const schema = entries.find((candidate) => candidate.type === sample.type)!.schema;
        const parsed = schema.safeParse(record);
        expect(parsed.success).toBe(false);
        expect(event).toMatchObject({ type: 'wecom.unknown', issues: parsed.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) });
      }),
    );
  });
});

// The key as it was built before (map, filter, join), to hold the concatenation to it.
const weComKeyPaths = [
  'AgentID', 'ChangeType', 'UserID', 'NewUserID', 'ExternalUserID', 'Id', 'TagId', 'TagType', 'StrategyId',
  'ChatId', 'UpdateDetail', 'CurMemVer', 'BatchJob.JobId', 'ApprovalInfo.SpNo', 'ApprovalInfo.ThirdNo',
  'ApprovalInfo.StatuChangeEvent', 'ApprovalInfo.OpenSpStatus', 'TaskId', 'ResponseCode', 'EventKey', 'Token', 'OpenKfId',
];
function joinedWeComKey(record: WeChatRecord): string {
  const textOf = (path: string) => {
    let current: WeChatValue | undefined = record;
    for (const name of path.split('.')) {
      if (current === undefined || typeof current === 'string' || Array.isArray(current)) return undefined;
      current = current[name];
    }
    return typeof current === 'string' ? current : undefined;
  };
  const ids = weComKeyPaths.map((path) => [path, textOf(path)] as const).filter(([, v]) => v !== undefined && v !== '').map(([path, v]) => `${path}=${v}`);
  return ['wecom', textOf('ToUserName') ?? '', 'event', textOf('FromUserName') ?? '', textOf('CreateTime') ?? '', textOf('Event') ?? textOf('MsgType') ?? '', ...ids].join('|');
}

describe('dedupeKeyOf for WeCom events', () => {
  it('builds the same key as joining the ids did', () => {
    const names = fc.constantFrom(...weComKeyPaths.map((path) => path.split('.')[0]!), 'ToUserName', 'FromUserName', 'CreateTime', 'Event', 'MsgType', 'JobId', 'SpNo');
    const nested = fc.dictionary(fc.constantFrom('JobId', 'SpNo', 'ThirdNo', 'StatuChangeEvent', 'OpenSpStatus'), fc.oneof(text, fc.array(text, { maxLength: 2 })), { maxKeys: 3 });
    fc.assert(
      fc.property(fc.dictionary(names, fc.oneof(text, nested, fc.array(text, { maxLength: 2 })), { maxKeys: 10 }), (fieldsOf) => {
        const record: WeChatRecord = Object.assign(Object.create(null), fieldsOf);
        expect(dedupeKeyOf('wecom', record)).toBe(joinedWeComKey(record));
      }),
      { numRuns: 500 },
    );
    for (const { product, record } of sampleRecords) {
      if (product === 'wecom' && typeof record.MsgId !== 'string') expect(dedupeKeyOf('wecom', record)).toBe(joinedWeComKey(record));
    }
  });
});

import { describe, expect, it } from 'vitest';
import { eventSamples } from '../../../wechat/callback/event-samples';
import { readCallbackEvent } from '../../../wechat/callback';
import { compactFields, fullFields, searchableContent, type FieldColumns } from './stored-fields';

function columnsOf(fields: Record<string, unknown>): FieldColumns {
  return {
    type: fields.type as string,
    fromUser: fields.fromUserName as string,
    createTime: new Date((fields.createTimeS as number) * 1000),
    content: searchableContent(fields),
  };
}

// What jsonb gives back: undefined values dropped, dates as text.
const throughJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;

function parsedFields(product: 'official-account' | 'wecom', xml: string): Record<string, unknown> {
  const { dedupeKey: _key, ...fields } = readCallbackEvent(product, xml) as unknown as Record<string, unknown>;
  return fields;
}

describe('stored fields of a logged push', () => {
  it.each(eventSamples.map((sample) => [sample.type, sample] as const))('%s reads back as parsed', (_type, sample) => {
    const fields = parsedFields(sample.product, sample.xml);
    const columns = columnsOf(fields);
    const stored = throughJson(compactFields(fields, columns));
    expect(fullFields(stored, columns)).toEqual(throughJson(fields));
    expect(stored).not.toHaveProperty('fromUserName');
    expect(stored).not.toHaveProperty('type');
  });

  it('stores a text message content once, in the search column', () => {
    const fields = parsedFields('official-account', eventSamples.find((s) => s.type === 'official-account.text')!.xml);
    const stored = compactFields(fields, columnsOf(fields));
    expect(stored).not.toHaveProperty('content');
    expect(stored).toHaveProperty('msgId');
  });

  it('keeps a content longer than the search column holds', () => {
    const fields = { product: 'official-account', type: 'official-account.text', fromUserName: 'o1', createTimeS: 1714036504, content: '长'.repeat(4001), msgId: '1' };
    const columns = columnsOf(fields);
    const stored = compactFields(fields, columns);
    expect(stored.content).toBe(fields.content);
    expect(fullFields(throughJson(stored), columns)).toEqual(fields);
  });

  it('tells a click key in the search column from a content', () => {
    const click = { product: 'official-account', type: 'official-account.CLICK', fromUserName: 'o1', createTimeS: 1714036504, eventKey: 'MENU_1' };
    expect(fullFields(throughJson(compactFields(click, columnsOf(click))), columnsOf(click))).toEqual(click);
    const same = { ...click, content: 'MENU_1' };
    const stored = compactFields(same, columnsOf(same));
    expect(stored.content).toBe('MENU_1');
    expect(fullFields(throughJson(stored), columnsOf(same))).toEqual(same);
  });

  it('reads rows stored whole unchanged', () => {
    const fields = parsedFields('official-account', eventSamples.find((s) => s.type === 'official-account.text')!.xml);
    expect(fullFields(throughJson(fields), columnsOf(fields))).toEqual(throughJson(fields));
  });

  it('keeps values that differ from their columns', () => {
    const fields = { product: 'official-account', type: 'official-account.text', fromUserName: 'o1', createTimeS: 1714036504, content: 'hi' };
    const columns = { ...columnsOf(fields), fromUser: 'o2', createTime: new Date(0) };
    const stored = compactFields(fields, columns);
    expect(stored).toMatchObject({ fromUserName: 'o1', createTimeS: 1714036504 });
    expect(fullFields(throughJson(stored), columns)).toEqual(fields);
  });
});

describe('the order of restored fields', () => {
  it('reads as the push did: product, type, receiver, sender, time, content, then the rest', () => {
    const fields = parsedFields('official-account', eventSamples.find((s) => s.type === 'official-account.text')!.xml);
    const columns = columnsOf(fields);
    expect(Object.keys(fullFields(throughJson(compactFields(fields, columns)), columns))).toEqual(['product', 'type', 'toUserName', 'fromUserName', 'createTimeS', 'content', 'msgId']);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WeChatCryptoError } from '../core/errors';
import { v1, v2, v3 } from '../core/known-answer-vectors';
import { parseWeChatXml } from '../core/xml';
import { eventSamples } from './event-samples';
import { dedupeKey, parseCallbackEvent, readCallbackEvent } from './events';
import { officialAccountEvents, officialAccountMessages } from './official-account-events';
import { weComEvents, weComMessages } from './wecom-events';

const plain = (value: unknown) => JSON.parse(JSON.stringify(value));

describe('parseCallbackEvent', () => {
  it('has a sample for every event type it knows', () => {
    const known = [
      ...Object.keys(officialAccountMessages).map((k) => `official-account.${k}`),
      ...Object.keys(officialAccountEvents).map((k) => `official-account.${k}`),
      ...Object.keys(weComMessages).map((k) => `wecom.${k}`),
      ...Object.keys(weComEvents).map((k) => `wecom.${k}`),
    ];
    expect(eventSamples.map((s) => s.type).sort()).toEqual(known.sort());
  });

  it.each(eventSamples)('parses $type into a typed camelCase event', ({ product, type, xml, expected }) => {
    const event = readCallbackEvent(product, xml);
    expect(event.type).toBe(type);
    expect(event.product).toBe(product);
    expect('issues' in event).toBe(false);
    expect(typeof event.createTimeS).toBe('number');
    expect(plain(event)).toMatchObject(plain(expected));
  });

  it('parses the official sample pushes (V1, V2, V3), CDATA or not', () => {
    expect(readCallbackEvent('wecom', v1.push.plaintext)).toMatchObject({ type: 'wecom.text', content: 'hello', msgId: '4561255354251345929', agentId: '218', fromUserName: 'mycreate', createTimeS: 1409659813 });
    expect(readCallbackEvent('wecom', v2.push.plaintext)).toMatchObject({ type: 'wecom.text', content: '你好', agentId: '1000002' });
    expect(readCallbackEvent('official-account', v3.plaintext)).toMatchObject({ type: 'official-account.text', content: 'abcdteT', msgId: '6054768590064713728' });
  });

  it('matches event names case-insensitively and reports the documented spelling', () => {
    const xml = '<xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime><MsgType>event</MsgType><Event>click</Event><EventKey>K</EventKey></xml>';
    expect(readCallbackEvent('official-account', xml).type).toBe('official-account.CLICK');
  });

  it('reads JSON pushes with numeric fields as text', () => {
    const json = '{"ToUserName":"gh_1","FromUserName":"o1","CreateTime":1714037059,"MsgType":"text","Content":"hi","MsgId":6054768590064713728}';
    expect(readCallbackEvent('official-account', json)).toMatchObject({ type: 'official-account.text', msgId: '6054768590064713728', createTimeS: 1714037059 });
  });

  it('keeps unknown types as unknown events with their raw fields', () => {
    const debug = '{"ToUserName":"gh_1","FromUserName":"o1","CreateTime":1714037059,"MsgType":"event","Event":"debug_demo","debug_str":"hello world"}';
    const event = readCallbackEvent('official-account', debug);
    expect(event).toMatchObject({ type: 'official-account.unknown', msgType: 'event', event: 'debug_demo', createTimeS: 1714037059 });
    expect(event.type === 'official-account.unknown' && event.raw.debug_str).toBe('hello world');
    const change = readCallbackEvent('wecom', '<xml><ToUserName>ww1</ToUserName><FromUserName>sys</FromUserName><CreateTime>1</CreateTime><MsgType>event</MsgType><Event>change_contact</Event><ChangeType>brand_new</ChangeType></xml>');
    expect(change).toMatchObject({ type: 'wecom.unknown', event: 'change_contact', changeType: 'brand_new' });
  });

  it('turns a known type with unusable fields into an unknown event that says why', () => {
    const event = readCallbackEvent('official-account', '<xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime><MsgType>location</MsgType><Location_X>north</Location_X><MsgId>9</MsgId></xml>');
    expect(event.type).toBe('official-account.unknown');
    expect(event.type === 'official-account.unknown' && event.issues?.join()).toContain('Location_X');
  });

  it('refuses pushes without the common fields', () => {
    for (const xml of ['<xml><MsgType>text</MsgType></xml>', '<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>soon</CreateTime><MsgType>text</MsgType></xml>']) {
      expect(() => readCallbackEvent('official-account', xml)).toThrow(WeChatCryptoError);
    }
  });

  it('never throws anything but WeChatCryptoError on arbitrary records', () => {
    const leaf = fc.oneof(fc.string(), fc.constantFrom('1', 'event', 'text', 'change_contact', 'create_user', 'LOCATION', '23.1'));
    const value = fc.letrec((tie) => ({ v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('item', 'Item', 'List', 'UserId', 'Count'), tie('v'), { maxKeys: 3 })) })).v;
    const names = fc.constantFrom('ToUserName', 'FromUserName', 'CreateTime', 'MsgType', 'Event', 'ChangeType', 'MsgId', 'Content', 'SendPicsInfo', 'ApprovalInfo', 'Location_X', 'EventKey', 'SelectedItems');
    fc.assert(
      fc.property(fc.dictionary(names, value), fc.constantFrom('official-account' as const, 'wecom' as const), (raw, product) => {
        const record = Object.assign(Object.create(null), { ToUserName: 'a', FromUserName: 'b', CreateTime: '1', MsgType: 'event' }, raw);
        try {
          const event = parseCallbackEvent(product, record);
          expect(event.type.startsWith(product)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(WeChatCryptoError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('dedupeKey', () => {
  const parse = (product: 'official-account' | 'wecom', xml: string) => dedupeKey(readCallbackEvent(product, xml));

  it('uses MsgId for messages, whatever the rest', () => {
    const a = parse('official-account', v3.plaintext);
    expect(a).toBe(parse('official-account', v3.plaintext.replace('abcdteT', 'edited')));
    expect(a).not.toBe(parse('official-account', v3.plaintext.replace('6054768590064713728', '6054768590064713729')));
  });

  it('uses FromUserName and CreateTime for Official Account events, and MsgID for job results', () => {
    const sample = (type: string) => eventSamples.find((s) => s.type === type)!.xml;
    const click = sample('official-account.CLICK');
    expect(parse('official-account', click)).toBe(parse('official-account', click));
    expect(parse('official-account', click)).not.toBe(parse('official-account', click.replace('1714036504', '1714036505')));
    expect(parse('official-account', click)).not.toBe(parse('official-account', click.replace('oyORnuP8q7ou2gfYjqLzSIWZf0rs', 'other')));
    const job = sample('official-account.TEMPLATESENDJOBFINISH');
    expect(parse('official-account', job)).toBe(parse('official-account', job.replace('1714036504', '1714039999')));
    expect(parse('official-account', job)).not.toBe(parse('official-account', job.replace('200163836', '200163837')));
  });

  it('tells apart WeCom events of one sender in one second by type and ids (tag group saved with its tags)', () => {
    const sample = (type: string) => eventSamples.find((s) => s.type === type)!.xml;
    const tagCreate = sample('wecom.change_external_tag.create');
    const groupCreate = tagCreate.replace('<TagType><![CDATA[tag]]></TagType>', '<TagType><![CDATA[tag_group]]></TagType>').replace('etm7wjCgAA', 'etm7wjGroup');
    expect(parse('wecom', tagCreate)).not.toBe(parse('wecom', groupCreate));
    expect(parse('wecom', tagCreate)).toBe(parse('wecom', tagCreate));
    const created = sample('wecom.change_contact.create_user');
    const deleted = sample('wecom.change_contact.delete_user');
    expect(parse('wecom', created)).not.toBe(parse('wecom', deleted));
    const other = created.replaceAll('zhangsan', 'lisi');
    expect(parse('wecom', created)).not.toBe(parse('wecom', other));
    const record = parseWeChatXml(created);
    expect(parseCallbackEvent('wecom', record).dedupeKey).toBe(parse('wecom', created));
  });
});

describe('event types', () => {
  it('narrow to the fields of each type', () => {
    const created = eventSamples.find((s) => s.type === 'wecom.change_contact.create_user')!;
    const event = readCallbackEvent('wecom', created.xml);
    if (event.type !== 'wecom.change_contact.create_user') throw new Error(`unexpected ${event.type}`);
    const departments: string[] = event.department;
    const mobile: string | undefined = event.mobile;
    expect([departments, mobile, event.createTimeS, event.dedupeKey.length > 0]).toEqual([['1', '2', '3'], '13800000000', 1476422779, true]);
    const scan = readCallbackEvent('official-account', eventSamples.find((s) => s.type === 'official-account.subscribe')!.xml);
    if (scan.type !== 'official-account.subscribe') throw new Error(`unexpected ${scan.type}`);
    const scene: string | undefined = scan.qrScene;
    expect(scene).toBe('000123');
  });
});

import type { z } from 'zod';
import { WeChatCryptoError } from '../core/errors';
import { readWeChatBody, type BodyFormat } from '../core/envelope';
import type { ReadLimits, WeChatRecord, WeChatValue } from '../core/xml';
import { compileReader, FALLBACK, type SchemaReader } from './compiled-reader';
import { officialAccountEvents, officialAccountMessages, type KnownOfficialAccountEvent } from './official-account-events';
import { weComEvents, weComMessages, type KnownWeComEvent } from './wecom-events';

/** The two WeChat products Qiao receives callbacks from. */
export type CallbackProduct = 'official-account' | 'wecom';

/**
 * A push whose MsgType/Event Qiao has no schema for, or whose fields did not
 * match the schema. It is stored and acknowledged like any other, never refused.
 */
export interface UnknownCallbackEvent<P extends CallbackProduct = CallbackProduct> {
  product: P;
  type: `${P}.unknown`;
  toUserName: string;
  fromUserName: string;
  createTimeS: number;
  msgType: string;
  event?: string;
  changeType?: string;
  /** Every field as WeChat sent it. */
  raw: WeChatRecord;
  /** For a known type whose fields did not validate: what was wrong. */
  issues?: string[];
}

/** Every field a parsed event carries besides its own: the deduplication key. */
interface EventMeta {
  /** Same value for WeChat's retries of one push; see `dedupeKeyOf`. */
  dedupeKey: string;
}

/** A typed Official Account push (`official-account.text`, `official-account.subscribe`, …). */
export type OfficialAccountEvent = (KnownOfficialAccountEvent | UnknownCallbackEvent<'official-account'>) & EventMeta;
/** A typed WeCom push (`wecom.text`, `wecom.change_contact.create_user`, …). */
export type WeComEvent = (KnownWeComEvent | UnknownCallbackEvent<'wecom'>) & EventMeta;
/** Any typed callback push. */
export type CallbackEvent = OfficialAccountEvent | WeComEvent;
/** Every `type` string a callback event can have. */
export type CallbackEventType = CallbackEvent['type'];

type Table = Record<string, z.ZodType>;
/** An event schema and, when it has one, its compiled reader (the fast path zod is checked against). */
type Entry = { schema: z.ZodType; reader: SchemaReader | undefined };

function lowerCaseIndex(table: Table): Map<string, Entry> {
  return new Map(Object.entries(table).map(([key, schema]) => [key.toLowerCase(), { schema, reader: compileReader(schema) }]));
}

const tables: Record<CallbackProduct, { messages: Map<string, Entry>; events: Map<string, Entry> }> = {
  'official-account': { messages: lowerCaseIndex(officialAccountMessages), events: lowerCaseIndex(officialAccountEvents) },
  wecom: { messages: lowerCaseIndex(weComMessages), events: lowerCaseIndex(weComEvents) },
};

function text(record: WeChatRecord, name: string): string | undefined {
  const value = record[name];
  return typeof value === 'string' ? value : undefined;
}

function textAt(record: WeChatRecord, names: readonly string[]): string | undefined {
  let value: WeChatValue | undefined = record;
  for (const name of names) {
    if (value === undefined || typeof value === 'string' || Array.isArray(value)) return undefined;
    value = value[name];
  }
  return typeof value === 'string' ? value : undefined;
}

// Ids that tell apart two WeCom events of one sender in one second (WxJava#2314):
// tag groups and their tags saved together, several contact changes in one import.
const weComKeyFields = [
  'AgentID', 'ChangeType', 'UserID', 'NewUserID', 'ExternalUserID', 'Id', 'TagId', 'TagType', 'StrategyId',
  'ChatId', 'UpdateDetail', 'CurMemVer', 'BatchJob.JobId', 'ApprovalInfo.SpNo', 'ApprovalInfo.ThirdNo',
  'ApprovalInfo.StatuChangeEvent', 'ApprovalInfo.OpenSpStatus', 'TaskId', 'ResponseCode', 'EventKey', 'Token', 'OpenKfId',
].map((path) => ({ path, names: path.split('.') }));

/**
 * The deduplication key of a raw push (facts §1.2, §1.3): `MsgId` for messages,
 * `MsgID` for mass/template job results, FromUserName+CreateTime(+Event, EventKey)
 * for Official Account events and FromUserName+CreateTime+Event+ChangeType+ids
 * for WeCom events. Scoped by ToUserName; callers scope by account as well.
 */
export function dedupeKeyOf(product: CallbackProduct, record: WeChatRecord): string {
  const to = text(record, 'ToUserName') ?? '';
  const msgId = text(record, 'MsgId');
  if (msgId) return `${product}|${to}|msg|${msgId}`;
  const from = text(record, 'FromUserName') ?? '';
  const created = text(record, 'CreateTime') ?? '';
  const event = text(record, 'Event') ?? text(record, 'MsgType') ?? '';
  const jobMsgId = text(record, 'MsgID');
  if (product === 'official-account') {
    if (jobMsgId && /JOBFINISH$/i.test(event)) return `${product}|${to}|job|${event}|${jobMsgId}`;
    return `${product}|${to}|event|${from}|${created}|${event}|${text(record, 'EventKey') ?? ''}`;
  }
  // Built by concatenation: this runs for every WeCom event, and the ids are usually two or three of the list.
  let key = `${product}|${to}|event|${from}|${created}|${event}`;
  for (const { path, names } of weComKeyFields) {
    const value = textAt(record, names);
    if (value !== undefined && value !== '') key += `|${path}=${value}`;
  }
  return key;
}

/** The deduplication key of a parsed event (computed from its raw fields at parse time). */
export function dedupeKey(event: CallbackEvent): string {
  return event.dedupeKey;
}

/**
 * `{ ...data, dedupeKey }` without object spread, which costs this V8 about
 * 1.7 µs for ten keys against 0.1 µs for Object.assign. The two differ only for
 * an own `__proto__` key (assign would set the prototype), which keeps the spread.
 */
function withDedupeKey(data: object, key: string): CallbackEvent {
  if (Object.hasOwn(data, '__proto__')) return { ...data, dedupeKey: key } as CallbackEvent;
  return Object.assign({}, data, { dedupeKey: key }) as CallbackEvent;
}

function describeIssues(error: z.ZodError): string[] {
  return error.issues.slice(0, 10).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

/**
 * Turns a push's raw fields into a typed event. The common fields
 * (ToUserName, FromUserName, numeric CreateTime, MsgType) are required
 * (`bad_message` otherwise); a type without a schema, or fields that do not
 * match it, give a `<product>.unknown` event carrying the raw fields.
 * Event names match case-insensitively and come out in WeChat's documented spelling.
 */
export function parseCallbackEvent(product: 'official-account', record: WeChatRecord): OfficialAccountEvent;
export function parseCallbackEvent(product: 'wecom', record: WeChatRecord): WeComEvent;
export function parseCallbackEvent(product: CallbackProduct, record: WeChatRecord): CallbackEvent;
export function parseCallbackEvent(product: CallbackProduct, record: WeChatRecord): CallbackEvent {
  const toUserName = text(record, 'ToUserName');
  const fromUserName = text(record, 'FromUserName');
  const createTime = text(record, 'CreateTime')?.trim();
  const msgType = text(record, 'MsgType');
  if (toUserName === undefined || fromUserName === undefined || !msgType || !createTime || !/^\d{1,15}$/.test(createTime)) {
    throw new WeChatCryptoError('bad_message', { detail: 'ToUserName, FromUserName, CreateTime and MsgType are required' });
  }
  const key = dedupeKeyOf(product, record);
  const lowerMsgType = msgType.toLowerCase();
  const event = lowerMsgType === 'event' ? text(record, 'Event') : undefined;
  const changeType = event === undefined ? undefined : text(record, 'ChangeType');
  const table = tables[product];
  const entry =
    event === undefined
      ? table.messages.get(lowerMsgType)
      : ((changeType ? table.events.get(`${event}.${changeType}`.toLowerCase()) : undefined) ?? table.events.get(event.toLowerCase()));
  let issues: string[] | undefined;
  if (entry) {
    // The compiled reader answers for valid pushes; zod decides everything else, issues included.
    const fast = entry.reader ? entry.reader.read(record) : FALLBACK;
    if (fast !== FALLBACK) {
      if (!entry.reader!.freshObject) return withDedupeKey(fast as object, key);
      // A new object of the reader's own: the key goes last, as in a copy.
      (fast as EventMeta).dedupeKey = key;
      return fast as CallbackEvent;
    }
    const parsed = entry.schema.safeParse(record);
    if (parsed.success) return withDedupeKey(parsed.data as object, key);
    issues = describeIssues(parsed.error);
  }
  const unknown: UnknownCallbackEvent & Partial<EventMeta> = {
    product,
    type: `${product}.unknown`,
    toUserName,
    fromUserName,
    createTimeS: Number(createTime),
    msgType,
    raw: record,
  };
  if (event !== undefined) unknown.event = event;
  if (changeType !== undefined) unknown.changeType = changeType;
  if (issues) unknown.issues = issues;
  // Added last, as a spread would, so the key order is the same.
  unknown.dedupeKey = key;
  return unknown as CallbackEvent;
}

type ReadOptions = { format?: BodyFormat; limits?: ReadLimits };

/** Reads a decrypted push (XML, or JSON when so configured) and parses it into a typed event. */
export function readCallbackEvent(product: 'official-account', plaintext: string | Buffer, options?: ReadOptions): OfficialAccountEvent;
export function readCallbackEvent(product: 'wecom', plaintext: string | Buffer, options?: ReadOptions): WeComEvent;
export function readCallbackEvent(product: CallbackProduct, plaintext: string | Buffer, options?: ReadOptions): CallbackEvent;
export function readCallbackEvent(
  product: CallbackProduct,
  plaintext: string | Buffer,
  options: ReadOptions = {},
): CallbackEvent {
  return parseCallbackEvent(product, readWeChatBody(plaintext, options.format, options.limits).record);
}

import { z } from 'zod';

// Building blocks for reading WeChat's PascalCase records into camelCase events.
// Every value arrives as a string (see core/xml), so numbers are converted here.
//
// Each block also records what it is (`readerShapeOf`), so compiled-reader.ts can
// read the same spec without zod's per-call overhead; the zod schema stays the
// definition and the answer for anything the reader does not recognise.

/**
 * What a schema built here reads, for compiled-reader.ts. The helpers below are
 * shared with the zod schemas so the two cannot drift apart.
 */
export type ReaderShape =
  | { kind: 'string' }
  | { kind: 'int' }
  | { kind: 'num' }
  | { kind: 'commaList' }
  | { kind: 'list'; item: z.ZodType }
  | { kind: 'fields'; spec: FieldSpec }
  /** `type` is the whole tag, `<product>.<type>`. */
  | { kind: 'event'; product: string; type: string; spec: FieldSpec };

const readerShapes = new WeakMap<z.ZodType, ReaderShape>();

function withShape<T extends z.ZodType>(schema: T, shape: ReaderShape): T {
  readerShapes.set(schema, shape);
  return schema;
}

/** The shape a schema was built with here, or undefined for any other schema. */
export function readerShapeOf(schema: z.ZodType): ReaderShape | undefined {
  return readerShapes.get(schema);
}

/** An integer as WeChat writes it, after trimming. */
export const INT_PATTERN = /^-?\d{1,15}$/;
/** A decimal as WeChat writes it, after trimming. */
export const NUM_PATTERN = /^-?\d+(?:\.\d+)?$/;

/** The items of a comma-separated list; absent or empty is []. */
export function commaListItems(value: string | undefined): string[] {
  return value ? value.split(',').map((item) => item.trim()).filter((item) => item !== '') : [];
}

/** A repeated element as a list: absent or empty is [], a single occurrence a list of one. */
export function asList(value: unknown): unknown[] {
  return value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value];
}

/** A required string field. */
export const str = withShape(z.string(), { kind: 'string' });
/** An optional string field. */
export const optStr = str.optional();
/** An integer sent as text (Unix seconds, counts, status codes); 64-bit ids stay strings instead. */
export const int = withShape(z.string().trim().regex(INT_PATTERN).transform(Number), { kind: 'int' });
export const optInt = int.optional();
/** A decimal sent as text (coordinates, precision). */
export const num = withShape(z.string().trim().regex(NUM_PATTERN).transform(Number), { kind: 'num' });
export const optNum = num.optional();
/** A comma-separated list (WeCom departments, tag members); absent or empty is []. */
export const commaList = withShape(z.string().optional().transform(commaListItems), { kind: 'commaList' });

/** A repeated element: absent or empty is [], a single occurrence a list of one. */
export function list<T extends z.ZodType>(item: T) {
  return withShape(z.preprocess(asList, z.array(item)), { kind: 'list', item });
}

export type FieldSpec = Record<string, readonly [raw: string, schema: z.ZodType]>;
type Output<S extends FieldSpec, K extends keyof S> = z.output<S[K][1]>;
type Prettify<T> = { [K in keyof T]: T[K] } & {};
/** The camelCase object a field spec produces; fields that may be undefined are optional. */
export type FieldsOutput<S extends FieldSpec> = Prettify<
  { [K in keyof S as undefined extends Output<S, K> ? never : K]: Output<S, K> } & {
    [K in keyof S as undefined extends Output<S, K> ? K : never]?: Output<S, K>;
  }
>;

/**
 * A record schema from `{ camelName: ['WeChatName', schema] }`: validates the
 * WeChat names and renames them; absent optional fields are left out.
 */
export function fields<S extends FieldSpec>(spec: S): z.ZodType<FieldsOutput<S>, unknown> {
  const shape: Record<string, z.ZodType> = {};
  for (const [raw, schema] of Object.values(spec)) shape[raw] = schema;
  // An element left empty (`<PicList></PicList>`) reads as "" and means "no children".
  const schema = z.preprocess((value) => (value === '' ? {} : value), z.object(shape)).transform((input) => {
    const out: Record<string, unknown> = {};
    for (const [key, [raw]] of Object.entries(spec)) {
      const value = (input as Record<string, unknown>)[raw];
      if (value !== undefined) out[key] = value;
    }
    return out as FieldsOutput<S>;
  });
  return withShape(schema, { kind: 'fields', spec }) as unknown as z.ZodType<FieldsOutput<S>, unknown>;
}

/** The fields every push carries. */
export const commonFields = {
  toUserName: ['ToUserName', str],
  fromUserName: ['FromUserName', str],
  createTimeS: ['CreateTime', int],
} as const;

/** Defines one event type: the common fields, the type's own fields, and the `product`/`type` tags. */
export function defineEvent<const P extends string, const T extends string, S extends FieldSpec>(product: P, type: T, spec: S) {
  const merged = { ...commonFields, ...spec };
  const tag = `${product}.${type}` as `${P}.${T}`;
  return withShape(
    fields(merged).transform((value) => ({ product, type: tag, ...value })),
    { kind: 'event', product, type: tag, spec: merged },
  );
}

/** One entry of an event table: the zod schema and the WeChat names it is chosen by. */
export interface EventEntry {
  schema: z.ZodType<{ product: string; type: string }, unknown>;
  /** `MsgType` for messages; `Event`, or `Event.ChangeType`, for events. */
  key: string;
}

/** The scan, picture and location details menu events carry, the same on both products. */
export const scanCodeInfo = fields({ scanType: ['ScanType', optStr], scanResult: ['ScanResult', optStr] });
export const sendPicsInfo = fields({
  count: ['Count', optInt],
  picList: ['PicList', fields({ item: ['item', list(fields({ picMd5Sum: ['PicMd5Sum', optStr] }))] }).optional()],
});
export const sendLocationInfo = fields({
  locationX: ['Location_X', optNum],
  locationY: ['Location_Y', optNum],
  scale: ['Scale', optInt],
  label: ['Label', optStr],
  poiname: ['Poiname', optStr],
});

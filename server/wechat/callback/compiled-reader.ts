import { z } from 'zod';
import { asList, commaListItems, INT_PATTERN, NUM_PATTERN, readerShapeOf, type FieldSpec } from './event-fields';

// zod's safeParse of a whole event costs several microseconds, most of it
// generic machinery (payloads, issue arrays, checks, nested pipes). A reader
// compiled from the same field spec does the same work in plain code. It only
// answers when the input is valid; anything it cannot decide, it hands back to
// zod (FALLBACK), so the result, issues included, is zod's in every other case.

/** The reader's "ask zod": the input failed a check or is outside what the reader knows. */
export const FALLBACK: unique symbol = Symbol('ask zod');
/** Reads one value as its schema would, or returns FALLBACK. */
export type CompiledReader = (value: unknown) => unknown;

type Field = { key: string; raw: string; read: CompiledReader };

// `fields()` turns an empty element into `{}` before checking it (an ordinary
// object, so a name like `toString` reads from its prototype there as here).
const EMPTY_RECORD: Readonly<Record<string, unknown>> = Object.freeze({});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const readString: CompiledReader = (value) => (typeof value === 'string' ? value : FALLBACK);

function readNumber(pattern: RegExp): CompiledReader {
  return (value) => {
    if (typeof value !== 'string') return FALLBACK;
    const trimmed = value.trim();
    return pattern.test(trimmed) ? Number(trimmed) : FALLBACK;
  };
}

const readInt = readNumber(INT_PATTERN);
const readNum = readNumber(NUM_PATTERN);

const readCommaList: CompiledReader = (value) =>
  value === undefined || typeof value === 'string' ? commaListItems(value) : FALLBACK;

/** Any schema the reader does not know: zod reads the value on its own. */
function opaque(schema: z.ZodType): CompiledReader {
  return (value) => {
    // An absent key is judged by the enclosing object (optional or not), so leave it to zod.
    if (value === undefined) return FALLBACK;
    const parsed = schema.safeParse(value);
    return parsed.success ? parsed.data : FALLBACK;
  };
}

function compileFields(spec: FieldSpec): Field[] | undefined {
  const fieldList: Field[] = [];
  const raws = new Set<string>();
  for (const [key, [raw, schema]] of Object.entries(spec)) {
    // zod's object keeps one schema per WeChat name and skips __proto__; such specs stay with zod.
    if (raws.has(raw) || raw === '__proto__') return undefined;
    raws.add(raw);
    fieldList.push({ key, raw, read: compile(schema) });
  }
  return fieldList;
}

/** Fills `out` from `input` as `fields()` does; false if any field needs zod. */
function readInto(out: Record<string, unknown>, fieldList: Field[], input: unknown): boolean {
  const record = input === '' ? EMPTY_RECORD : input;
  if (!isRecord(record)) return false;
  for (let i = 0; i < fieldList.length; i++) {
    const field = fieldList[i]!;
    const value = field.read(record[field.raw]);
    if (value === FALLBACK) return false;
    if (value !== undefined) out[field.key] = value;
  }
  return true;
}

function compileKnown(schema: z.ZodType): CompiledReader | undefined {
  const shape = readerShapeOf(schema);
  if (!shape) return undefined;
  switch (shape.kind) {
    case 'string':
      return readString;
    case 'int':
      return readInt;
    case 'num':
      return readNum;
    case 'commaList':
      return readCommaList;
    case 'list': {
      const readItem = compile(shape.item);
      return (value) => {
        const items = asList(value);
        const out: unknown[] = [];
        for (let i = 0; i < items.length; i++) {
          const item = readItem(items[i]);
          if (item === FALLBACK) return FALLBACK;
          out.push(item);
        }
        return out;
      };
    }
    case 'fields': {
      const fieldList = compileFields(shape.spec);
      if (!fieldList) return undefined;
      return (value) => {
        const out: Record<string, unknown> = {};
        return readInto(out, fieldList, value) ? out : FALLBACK;
      };
    }
    case 'event': {
      const fieldList = compileFields(shape.spec);
      if (!fieldList) return undefined;
      const { product, type } = shape;
      return (value) => {
        const out: Record<string, unknown> = { product, type };
        return readInto(out, fieldList, value) ? out : FALLBACK;
      };
    }
  }
}

function compileWrapper(schema: z.ZodType): CompiledReader | undefined {
  if (schema instanceof z.ZodOptional) {
    // Only over a schema built here: one with a default would put its own value in for absence.
    const inner = schema.unwrap() as z.ZodType;
    const readInner = compileKnown(inner) ?? compileWrapper(inner);
    if (!readInner) return undefined;
    return (value) => (value === undefined ? undefined : readInner(value));
  }
  // `.transform(fn)` on a known schema: read the input, then run fn through zod on its own.
  if (schema instanceof z.ZodPipe && schema.out instanceof z.ZodTransform && !(schema.in instanceof z.ZodTransform)) {
    const readIn = compileKnown(schema.in as z.ZodType) ?? compileWrapper(schema.in as z.ZodType);
    if (!readIn) return undefined;
    const transform = schema.out as z.ZodType;
    return (value) => {
      const input = readIn(value);
      if (input === FALLBACK) return FALLBACK;
      const parsed = transform.safeParse(input);
      return parsed.success ? parsed.data : FALLBACK;
    };
  }
  return undefined;
}

function compile(schema: z.ZodType): CompiledReader {
  return compileKnown(schema) ?? compileWrapper(schema) ?? opaque(schema);
}

/** A compiled reader for a whole schema. */
export interface SchemaReader {
  read: CompiledReader;
  /** Each successful read is a new plain object the caller may add keys to (not so after a user transform). */
  freshObject: boolean;
}

/**
 * A reader for `schema` that gives what `schema.parse(value)` gives for valid
 * input and FALLBACK otherwise, or undefined if it would do nothing but call zod.
 */
export function compileReader(schema: z.ZodType): SchemaReader | undefined {
  const known = compileKnown(schema);
  const kind = readerShapeOf(schema)?.kind;
  if (known) return { read: known, freshObject: kind === 'event' || kind === 'fields' };
  const wrapped = compileWrapper(schema);
  return wrapped && { read: wrapped, freshObject: false };
}

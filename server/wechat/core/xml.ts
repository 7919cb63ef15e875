import { WeChatCryptoError } from './errors';

/** A value read from WeChat XML or JSON: always strings, nested records, or lists of repeated elements. */
export type WeChatValue = string | WeChatRecord | WeChatValue[];
/** One element's children by name (a null-prototype object, so any name is safe as a key). */
export interface WeChatRecord {
  [name: string]: WeChatValue;
}

export interface ReadLimits {
  /** Largest body accepted, in UTF-8 bytes (default 1 MiB). */
  maxBytes?: number;
  /** Deepest element nesting accepted, `<xml>` being 1 (default 8; WeChat uses at most 6). */
  maxDepth?: number;
}

/** The default body size limit: 1 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_MAX_DEPTH = 8;
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkSize(body: string, limits: ReadLimits): void {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BODY_BYTES;
  // A UTF-8 byte count is at least the UTF-16 length and at most three times it.
  if (body.length > maxBytes || (body.length * 3 > maxBytes && Buffer.byteLength(body, 'utf8') > maxBytes)) {
    throw new WeChatCryptoError('too_large', { limitBytes: maxBytes });
  }
}

function bodyText(body: string | Buffer): string {
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  throw new WeChatCryptoError('bad_xml');
}

function fail(detail: string): never {
  throw new WeChatCryptoError('bad_xml', { detail });
}

function decodeEntities(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9A-Fa-f]{1,6});/g, (whole, entity: string) => {
    switch (entity) {
      case 'lt': return '<';
      case 'gt': return '>';
      case 'amp': return '&';
      case 'quot': return '"';
      case 'apos': return "'";
    }
    const code = entity[1] === 'x' ? Number.parseInt(entity.slice(2), 16) : Number.parseInt(entity.slice(1), 10);
    return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}

function addChild(record: WeChatRecord, name: string, value: WeChatValue): void {
  const existing = record[name];
  // Lists only ever come from repetition, so an existing list means "seen twice already".
  if (existing === undefined) record[name] = value;
  else if (Array.isArray(existing)) existing.push(value);
  else record[name] = [existing, value];
}

// Character classes for element names, indexed by char code (ASCII only):
// 1 may start a name, 2 may only continue one, matching NAME above.
const NAME_START = 1;
const NAME_PART = 2;
const nameChars = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_]/.test(ch)) nameChars[c] = NAME_START;
  else if (/[0-9.-]/.test(ch)) nameChars[c] = NAME_PART;
}

// XML whitespace, the only characters skipSpace passes over.
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

// The characters that end a name: ">", "/" or whitespace.
function endsName(c: number): boolean {
  return c === 0x3e || c === 0x2f || isSpace(c);
}

// True when xml[from, to) holds nothing but XML whitespace, checked without slicing.
function onlySpace(xml: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isSpace(xml.charCodeAt(i))) return false;
  return true;
}

// One left-to-right pass over the document. Checks run in document order, so
// the first problem met is the one reported, whatever else follows it.
class Scanner {
  pos = 0;
  // The name of the element readElement just finished (saves returning a pair).
  lastName = '';
  constructor(
    readonly xml: string,
    readonly maxDepth: number,
  ) {}

  skipSpace(): void {
    const { xml } = this;
    let pos = this.pos;
    while (pos < xml.length && isSpace(xml.charCodeAt(pos))) pos++;
    this.pos = pos;
  }

  // Validates while scanning (no regex, one slice); any character that can
  // neither be in a name nor end one makes the name invalid, wherever it is.
  readName(): string {
    const { xml } = this;
    const start = this.pos;
    const first = xml.charCodeAt(start);
    if (!(first < 128 && nameChars[first] === NAME_START)) fail('bad element name');
    let pos = start + 1;
    for (; pos < xml.length; pos++) {
      const c = xml.charCodeAt(pos);
      if (c < 128 && nameChars[c] !== 0) continue;
      if (endsName(c)) break;
      fail('bad element name');
    }
    this.pos = pos;
    return xml.slice(start, pos);
  }

  // Returns true for a self-closing tag. Attributes are skipped: WeChat sends none.
  finishStartTag(): boolean {
    const { xml } = this;
    while (this.pos < xml.length) {
      const c = xml.charCodeAt(this.pos);
      if (c === 0x3e) {
        this.pos++;
        return false;
      }
      if (c === 0x2f) {
        if (xml.charCodeAt(this.pos + 1) !== 0x3e) fail('stray slash in tag');
        this.pos += 2;
        return true;
      }
      if (c === 0x22 || c === 0x27) {
        const end = xml.indexOf(c === 0x22 ? '"' : "'", this.pos + 1);
        if (end < 0) fail('unterminated attribute');
        if (xml.slice(this.pos + 1, end).includes('<')) fail('"<" in attribute');
        this.pos = end + 1;
        continue;
      }
      if (c === 0x3c) fail('"<" inside a tag');
      this.pos++;
    }
    return fail('unterminated tag');
  }

  // Reads the end tag whose name starts at `pos`, for the element `name`.
  finishEndTag(name: string): void {
    const { xml } = this;
    // Nearly always the exact name followed by ">": compare in place, no slice.
    const after = this.pos + name.length;
    if (xml.charCodeAt(after) === 0x3e && xml.startsWith(name, this.pos)) {
      this.pos = after + 1;
      return;
    }
    const closing = this.readName();
    if (closing !== name) fail(`</${closing}> closes <${name}>`);
    this.skipSpace();
    if (xml.charCodeAt(this.pos) !== 0x3e) fail('bad closing tag');
    this.pos++;
  }

  // Reads the element starting at `pos` (on its "<") and returns its value; the name goes to `lastName`.
  readElement(depth: number): WeChatValue {
    if (depth > this.maxDepth) fail('nesting too deep');
    const { xml } = this;
    this.pos++;
    const name = this.readName();
    if (xml.charCodeAt(this.pos) === 0x3e) this.pos++;
    else if (this.finishStartTag()) {
      this.lastName = name;
      return '';
    }
    // Text is collected in full only while the element may still be a leaf;
    // once it has children, whitespace runs between them are skipped unsliced
    // and anything else is kept just for the mixed-content check at the end.
    let text = '';
    let children: WeChatRecord | null = null;
    for (;;) {
      const open = xml.indexOf('<', this.pos);
      if (open < 0) fail(`unclosed <${name}>`);
      if (open > this.pos && (children === null || !onlySpace(xml, this.pos, open))) {
        const raw = xml.slice(this.pos, open);
        text += raw.includes('&') ? decodeEntities(raw) : raw;
      }
      const next = xml.charCodeAt(open + 1);
      if (next === 0x2f) {
        this.pos = open + 2;
        this.finishEndTag(name);
        break;
      }
      if (next === 0x21) {
        if (xml.startsWith('<![CDATA[', open)) {
          const end = xml.indexOf(']]>', open + 9);
          if (end < 0) fail('unterminated CDATA');
          text += xml.slice(open + 9, end);
          this.pos = end + 3;
          continue;
        }
        if (xml.startsWith('<!--', open)) {
          const end = xml.indexOf('-->', open + 4);
          if (end < 0) fail('unterminated comment');
          this.pos = end + 3;
          continue;
        }
        fail('declarations (DOCTYPE, ENTITY, …) are not accepted');
      }
      if (next === 0x3f) fail('processing instruction inside an element');
      this.pos = open;
      children ??= Object.create(null) as WeChatRecord;
      const value = this.readElement(depth + 1);
      addChild(children, this.lastName, value);
    }
    this.lastName = name;
    if (children === null) return text;
    if (text.trim() !== '') fail(`mixed content in <${name}>`);
    return children;
  }
}

/**
 * A strict reader for the XML WeChat sends: one `<xml>` root, elements, text
 * and CDATA, nothing else. DOCTYPE, ENTITY and every other `<!` declaration,
 * processing instructions after the prolog, mixed content, mismatched tags,
 * bodies over the size limit and nesting over the depth limit are rejected
 * with `bad_xml`/`too_large`. Values stay strings exactly as sent (CDATA
 * `000123` stays "000123"); an element occurring more than once under one
 * parent becomes a list.
 */
export function parseWeChatXml(input: string | Buffer, limits: ReadLimits = {}): WeChatRecord {
  const xml = bodyText(input);
  checkSize(xml, limits);
  const scanner = new Scanner(xml, limits.maxDepth ?? DEFAULT_MAX_DEPTH);
  if (xml.charCodeAt(0) === 0xfeff) scanner.pos = 1;
  scanner.skipSpace();
  if (xml.startsWith('<?xml', scanner.pos)) {
    const end = xml.indexOf('?>', scanner.pos);
    if (end < 0) fail('unterminated prolog');
    if (xml.slice(scanner.pos, end).includes('<!')) fail('declaration in prolog');
    scanner.pos = end + 2;
    scanner.skipSpace();
  }
  const at = scanner.pos;
  if (xml.charCodeAt(at) !== 0x3c || xml.charCodeAt(at + 1) === 0x21 || xml.charCodeAt(at + 1) === 0x3f) {
    fail(xml.startsWith('<!', at) ? 'declarations (DOCTYPE, ENTITY, …) are not accepted' : 'not XML');
  }
  const root = scanner.readElement(1);
  if (scanner.lastName !== 'xml') fail('the root element must be <xml>');
  scanner.skipSpace();
  if (scanner.pos !== xml.length) fail('content after </xml>');
  if (typeof root !== 'string') return root as WeChatRecord;
  if (root.trim() !== '') fail('text directly inside <xml>');
  return Object.create(null) as WeChatRecord;
}

/** A value to write: strings become CDATA, numbers stay raw, records nest, arrays repeat the element. */
export type XmlInput = string | number | XmlInputRecord | XmlInput[];
export interface XmlInputRecord {
  [name: string]: XmlInput | undefined;
}

/** `value` as a CDATA section, as `buildWeChatXml` writes strings; throws `xml_build` for characters XML cannot carry. */
export function cdata(value: string): string {
  if (INVALID_XML_CHARS.test(value)) throw new WeChatCryptoError('xml_build', { detail: 'character not allowed in XML' });
  // "]]>" cannot occur inside CDATA: close the section between "]]" and ">".
  return `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

function writeValue(name: string, value: XmlInput, out: string[]): void {
  if (!NAME.test(name)) throw new WeChatCryptoError('xml_build', { detail: 'bad element name' });
  if (Array.isArray(value)) {
    for (const item of value) writeValue(name, item, out);
    return;
  }
  out.push(`<${name}>`);
  if (typeof value === 'string') out.push(cdata(value));
  else if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new WeChatCryptoError('xml_build', { detail: 'number is not finite' });
    out.push(String(value));
  } else writeRecord(value, out);
  out.push(`</${name}>`);
}

function writeRecord(record: XmlInputRecord, out: string[]): void {
  for (const [name, value] of Object.entries(record)) {
    if (value !== undefined) writeValue(name, value, out);
  }
}

/**
 * Builds `<xml>…</xml>` the way WeChat writes it: strings in CDATA (a `]]>`
 * inside is split safely), numbers raw, keys in insertion order, undefined skipped.
 * Throws `xml_build` for names or characters XML cannot carry.
 */
export function buildWeChatXml(record: XmlInputRecord): string {
  const out: string[] = ['<xml>'];
  writeRecord(record, out);
  out.push('</xml>');
  return out.join('');
}

const JSON_NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

// Quotes every number literal outside strings, so 64-bit ids survive JSON.parse.
function quoteNumbers(json: string): string {
  let out = '';
  let last = 0;
  let i = 0;
  const n = json.length;
  while (i < n) {
    const c = json.charCodeAt(i);
    if (c === 0x22) {
      i++;
      while (i < n) {
        const d = json.charCodeAt(i);
        if (d === 0x5c) i += 2;
        else if (d === 0x22) break;
        else i++;
      }
      i++;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      JSON_NUMBER.lastIndex = i;
      if (!JSON_NUMBER.test(json)) return json;
      out += `${json.slice(last, i)}"${json.slice(i, JSON_NUMBER.lastIndex)}"`;
      i = last = JSON_NUMBER.lastIndex;
    } else i++;
  }
  return last === 0 ? json : out + json.slice(last);
}

function toWeChatValue(value: unknown): WeChatValue | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return value.map(toWeChatValue).filter((item): item is WeChatValue => item !== undefined);
  const record: WeChatRecord = Object.create(null);
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const converted = toWeChatValue(item);
    if (converted !== undefined) record[key] = converted;
  }
  return record;
}

/**
 * Reads a JSON push or envelope into the same shape as the XML reader: a
 * null-prototype record whose numbers are kept as their exact text (64-bit ids
 * stay intact) and booleans as "true"/"false"; nulls are dropped.
 */
export function parseWeChatJson(input: string | Buffer, limits: ReadLimits = {}): WeChatRecord {
  const json = typeof input === 'string' ? input : Buffer.isBuffer(input) ? input.toString('utf8') : null;
  if (json === null) throw new WeChatCryptoError('bad_json');
  checkSize(json, limits);
  let parsed: unknown;
  try {
    parsed = JSON.parse(quoteNumbers(json));
  } catch {
    throw new WeChatCryptoError('bad_json');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new WeChatCryptoError('bad_json');
  return toWeChatValue(parsed) as WeChatRecord;
}

/** Reads the string at `name`; undefined when absent or not a plain string. */
export function stringField(record: WeChatRecord, name: string): string | undefined {
  const value = record[name];
  return typeof value === 'string' ? value : undefined;
}

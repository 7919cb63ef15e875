// Test support only: a frozen copy of parseWeChatXml as it stood before the
// single-pass rewrite, kept as the oracle for xml.equivalence.test.ts. Do not
// "fix" it: its behaviour, including every error detail, is the specification.
import { WeChatCryptoError } from './errors';
import type { ReadLimits, WeChatRecord, WeChatValue } from './xml';

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_MAX_DEPTH = 8;
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

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

class Scanner {
  pos = 0;
  constructor(
    readonly xml: string,
    readonly maxDepth: number,
  ) {}

  skipSpace(): void {
    const { xml } = this;
    let pos = this.pos;
    while (pos < xml.length) {
      const c = xml.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else break;
    }
    this.pos = pos;
  }

  readName(): string {
    const { xml } = this;
    const start = this.pos;
    let pos = start;
    while (pos < xml.length) {
      const c = xml.charCodeAt(pos);
      if (c === 0x3e || c === 0x2f || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) break;
      pos++;
    }
    this.pos = pos;
    const name = xml.slice(start, pos);
    if (!NAME.test(name)) fail('bad element name');
    return name;
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

  // Reads the element starting at `pos` (on its "<") and returns its value; the name goes to `lastName`.
  lastName = '';
  readElement(depth: number): WeChatValue {
    if (depth > this.maxDepth) fail('nesting too deep');
    const { xml } = this;
    this.pos++;
    const name = this.readName();
    if (this.finishStartTag()) {
      this.lastName = name;
      return '';
    }
    let text = '';
    let children: WeChatRecord | null = null;
    for (;;) {
      const open = xml.indexOf('<', this.pos);
      if (open < 0) fail(`unclosed <${name}>`);
      if (open > this.pos) {
        const raw = xml.slice(this.pos, open);
        text += raw.includes('&') ? decodeEntities(raw) : raw;
      }
      this.pos = open;
      const next = xml.charCodeAt(open + 1);
      if (next === 0x2f) {
        this.pos += 2;
        const closing = this.readName();
        if (closing !== name) fail(`</${closing}> closes <${name}>`);
        this.skipSpace();
        if (xml.charCodeAt(this.pos) !== 0x3e) fail('bad closing tag');
        this.pos++;
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
export function referenceParseWeChatXml(input: string | Buffer, limits: ReadLimits = {}): WeChatRecord {
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

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WeChatCryptoError } from './errors';
import { v1, v2 } from './known-answer-vectors';
import { parseWeChatXml, type ReadLimits, type WeChatValue } from './xml';
import { referenceParseWeChatXml } from './xml.reference.test-support';

// The single-pass reader must accept, build and refuse exactly what the
// original reader did: same records (key order, prototypes, lists) and the
// same error reason and details for every input.

type Outcome = { value: unknown } | { reason: string; details: unknown } | { thrown: string };

// Records are compared with their prototype made visible, so a plain object
// where a null-prototype one is expected counts as a difference.
function shape(value: WeChatValue): unknown {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(shape);
  return { proto: Object.getPrototypeOf(value), entries: Object.keys(value).map((key) => [key, shape(value[key]!)]) };
}

function outcome(parse: typeof parseWeChatXml, input: string | Buffer, limits?: ReadLimits): Outcome {
  try {
    return { value: shape(parse(input, limits)) };
  } catch (error) {
    if (error instanceof WeChatCryptoError) return { reason: error.reason, details: error.details };
    return { thrown: String(error) };
  }
}

function expectSame(input: string | Buffer, limits?: ReadLimits): void {
  expect(outcome(parseWeChatXml, input, limits)).toEqual(outcome(referenceParseWeChatXml, input, limits));
}

const name = fc.oneof(
  fc.constantFrom('ToUserName', 'FromUserName', 'CreateTime', 'MsgType', 'Content', 'MsgId', 'item', 'xml', '__proto__', 'constructor', 'a.b-c_1', '_'),
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,12}$/),
);
const space = fc.constantFrom('', '', ' ', '\n', '\r\n  ', '\t');
const entity = fc.constantFrom('&lt;', '&gt;', '&amp;', '&quot;', '&apos;', '&#20320;', '&#x597D;', '&#x20;', '&#0;', '&#xD800;', '&#1114112;', '&bogus;', '&', '&#;', '&#x;');
const bareText = fc.array(fc.oneof(fc.string({ maxLength: 8 }).map((s) => s.replace(/[<&]/g, '')), entity, space), { maxLength: 4 }).map((parts) => parts.join(''));
const cdataText = fc
  .array(fc.oneof(fc.string({ maxLength: 10 }), fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom(']]>', ']', ']]', '<!DOCTYPE x>', '&amp;', '你好')), { maxLength: 4 })
  .map((parts) => parts.join(''))
  // "]]>" cannot live in one section: split it the way buildWeChatXml does.
  .map((text) => `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`);
const leaf = fc.oneof(cdataText, bareText, fc.tuple(cdataText, bareText, cdataText).map((parts) => parts.join('')), fc.constant('<!-- note -->'));

type Tree = string;
const element: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
  node: fc.tuple(
    name,
    fc.oneof(
      { weight: 3, arbitrary: leaf },
      { weight: 2, arbitrary: fc.array(fc.tuple(space, tie('node')), { maxLength: 4 }).map((kids) => kids.map(([s, k]) => s + k).join('')) },
    ),
    space,
    fc.constantFrom('normal', 'normal', 'normal', 'self-closing', 'spaced end', 'attribute'),
  ).map(([tag, body, after, form]) => {
    if (form === 'self-closing') return `<${tag}${after}/>`;
    if (form === 'spaced end') return `<${tag}>${body}</${tag}${after}>`;
    if (form === 'attribute') return `<${tag} a="1" b='x'${after}>${body}</${tag}>`;
    return `<${tag}>${body}</${tag}>`;
  }),
})).node;

// Repeated names make lists; a few fixed names keep repeats frequent.
const document = fc
  .tuple(
    fc.constantFrom('', '<?xml version="1.0" encoding="UTF-8"?>\n', '\uFEFF', '\uFEFF<?xml version="1.0"?>'),
    fc.array(fc.tuple(space, fc.oneof(element, fc.constantFrom('<item>1</item>', '<item><a>x</a></item>', '<A/>'))), { maxLength: 8 }),
    space,
  )
  .map(([prolog, children, trailing]) => `${prolog}<xml>${children.map(([s, c]) => s + c).join('')}${trailing}</xml>${trailing}`);

// Edits that turn a valid document into the kinds of invalid ones attackers and broken proxies send.
const insertion = fc.constantFrom(
  '<!DOCTYPE xml [<!ENTITY x "y">]>',
  '<!ENTITY x "y">',
  '<?pi x?>',
  '<?xml version="1.0"?>',
  '<',
  '>',
  '&',
  '&x;',
  '</',
  '</xml>',
  '<xml>',
  '<a>',
  '</a>',
  '/',
  '/>',
  '"',
  "'",
  '<![CDATA[',
  ']]>',
  '<!--',
  '-->',
  '<!',
  'text',
  ' ',
  '\u0000',
  '<1a>',
  '< a>',
  '</ xml>',
  '<a b="<">',
);
const mutated = fc.tuple(document, fc.array(fc.tuple(fc.nat(), fc.oneof(insertion, fc.constant('')), fc.nat({ max: 3 })), { minLength: 1, maxLength: 3 }), fc.option(fc.nat())).map(([xml, edits, cut]) => {
  let out = xml;
  for (const [at, insert, remove] of edits) {
    const i = at % (out.length + 1);
    out = out.slice(0, i) + insert + out.slice(i + remove);
  }
  return cut === null ? out : out.slice(0, cut % (out.length + 1));
});

const deep = (levels: number, open = '<a>', close = '</a>') => `<xml>${open.repeat(levels - 1)}x${close.repeat(levels - 1)}</xml>`;

describe('parseWeChatXml matches the original reader', () => {
  it('on the published vectors and the existing examples', () => {
    for (const input of [
      v1.push.plaintext,
      v2.push.plaintext,
      '<xml><__proto__><polluted>yes</polluted></__proto__><constructor>x</constructor></xml>',
      '<xml><SendPicsInfo><Count>2</Count><PicList><item><PicMd5Sum>a</PicMd5Sum></item><item><PicMd5Sum>b</PicMd5Sum></item></PicList></SendPicsInfo></xml>',
      '<xml><A>1</A><A>2</A><A><B/></A><A></A></xml>',
      '<xml>\n <A>x</A>\n &#32; <![CDATA[ ]]> <!-- c --> </xml>',
      '<xml> &#160; <A>x</A></xml>',
      '<xml><A>x</A>&#65;</xml>',
      '<xml><A>x</A><![CDATA[y]]></xml>',
      '<xml>text</xml>',
      '<xml> \n </xml>',
      '<xml/>',
      '<xml><A>1</A  ></xml>',
      '<xml><A>1</AB></xml>',
      '<xml><AB>1</A></xml>',
      '<xml><A>1</A/></xml>',
      '<xml><A>1</></xml>',
      '<xml><A>1</1></xml>',
      '<xml><A>1</A',
      '<xml><A',
      '<xml><A ',
      '<xml><A/',
      '<xml><A/ >',
      '<xml><A b="1></A></xml>',
      '<xml><A b="<"></A></xml>',
      '<xml><A<B></A></xml>',
      '<xml><A\u4f60>1</A\u4f60></xml>',
      '<xml><-A>1</-A></xml>',
      '<xml><.A/></xml>',
      '<?xml <!DOCTYPE x> ?><xml/>',
      '<?xml version="1.0"',
      '<?xmlfoo?><xml/>',
      '<!-- c --><xml/>',
      '<!DOCTYPE x><xml/>',
      '<?pi?><xml/>',
      '\uFEFF\uFEFF<xml/>',
      '<xml></xml>x',
      '<xml></xml><!-- c -->',
      deep(8),
      deep(9),
      deep(9, '<a/><a>'),
      deep(200),
      Buffer.from('<xml><A>你好</A></xml>'),
      Buffer.from([0x3c, 0x78, 0x6d, 0x6c, 0x3e, 0xff, 0x3c, 0x2f, 0x78, 0x6d, 0x6c, 0x3e]),
    ]) {
      expectSame(input);
    }
    expectSame(deep(3), { maxDepth: 2 });
    expectSame(deep(3), { maxDepth: 0 });
    expectSame(`<xml><A>${'你'.repeat(400)}</A></xml>`, { maxBytes: 1000 });
    expectSame(`<xml><A>${'你'.repeat(300)}</A></xml>`, { maxBytes: 1000 });
    expectSame(`<xml><A><![CDATA[${'x'.repeat(1024 * 1024)}]]></A></xml>`);
    expectSame(42 as unknown as string);
  });

  it('on generated WeChat-like documents', () => {
    fc.assert(fc.property(document, (xml) => expectSame(xml)), { numRuns: 3000 });
  });

  it('on mutated documents', () => {
    fc.assert(fc.property(mutated, (xml) => expectSame(xml)), { numRuns: 5000 });
  });

  it('under tight size and depth limits', () => {
    const limits = fc.record({ maxBytes: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }), maxDepth: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }) });
    fc.assert(fc.property(fc.oneof(document, mutated), limits, (xml, limit) => expectSame(xml, limit)), { numRuns: 2000 });
  });

  it('on arbitrary strings and bytes', () => {
    const fragments = fc.constantFrom('<xml>', '</xml>', '<A>', '</A>', '<A/>', '<![CDATA[', ']]>', '<!--', '-->', '<!DOCTYPE', '&amp;', '&#x0;', '<', '>', '/>', '</', '"', "'", '<?xml ?>', '\uFEFF', ' ', 'x');
    const arbitrary = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.array(fragments, { maxLength: 40 }).map((parts) => parts.join('')),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
    );
    fc.assert(fc.property(arbitrary, (input) => expectSame(input)), { numRuns: 5000 });
  });
});

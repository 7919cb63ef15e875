import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { WeChatCryptoError } from './errors';
import { v1, v2 } from './known-answer-vectors';
import { buildWeChatXml, parseWeChatJson, parseWeChatXml } from './xml';

function reasonOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(WeChatCryptoError);
    return (error as WeChatCryptoError).reason;
  }
  return 'no error';
}

const plain = (value: unknown) => JSON.parse(JSON.stringify(value));

describe('parseWeChatXml', () => {
  it('reads CDATA and bare values alike, keeping every value a string', () => {
    expect(plain(parseWeChatXml(v1.push.plaintext))).toEqual({
      ToUserName: 'wx5823bf96d3bd56c7',
      FromUserName: 'mycreate',
      CreateTime: '1409659813',
      MsgType: 'text',
      Content: 'hello',
      MsgId: '4561255354251345929',
      AgentID: '218',
    });
    expect(parseWeChatXml(v2.push.plaintext).Content).toBe('你好');
    expect(parseWeChatXml('<xml><EventKey><![CDATA[000123]]></EventKey><N>000123</N></xml>')).toMatchObject({ EventKey: '000123', N: '000123' });
  });

  it('keeps whitespace inside values and decodes the predefined entities outside CDATA', () => {
    const record = parseWeChatXml('<?xml version="1.0" encoding="UTF-8"?>\n<xml>\n  <A><![CDATA[ two  spaces ]]></A>\n  <B>a &amp; b &lt;c&gt; &#20320;&#x597D;</B>\n  <C><![CDATA[&amp;]]></C><D/><E></E>\n</xml>\n');
    expect(plain(record)).toEqual({ A: ' two  spaces ', B: 'a & b <c> 你好', C: '&amp;', D: '', E: '' });
  });

  it('turns repeated elements into lists and nests records', () => {
    const record = parseWeChatXml(
      '<xml><SendPicsInfo><Count>2</Count><PicList><item><PicMd5Sum>a</PicMd5Sum></item><item><PicMd5Sum>b</PicMd5Sum></item></PicList></SendPicsInfo></xml>',
    );
    expect(plain(record)).toEqual({ SendPicsInfo: { Count: '2', PicList: { item: [{ PicMd5Sum: 'a' }, { PicMd5Sum: 'b' }] } } });
  });

  it('rejects DOCTYPE and ENTITY declarations anywhere outside CDATA', () => {
    expect(reasonOf(() => parseWeChatXml('<!DOCTYPE xml [<!ENTITY x "y">]><xml><A>&x;</A></xml>'))).toBe('bad_xml');
    expect(reasonOf(() => parseWeChatXml('<?xml version="1.0"?><!DOCTYPE xml SYSTEM "file:///etc/passwd"><xml/>'))).toBe('bad_xml');
    expect(reasonOf(() => parseWeChatXml('<xml><!ENTITY x "y"><A>1</A></xml>'))).toBe('bad_xml');
    expect(reasonOf(() => parseWeChatXml('<xml><A><!DOCTYPE a></A></xml>'))).toBe('bad_xml');
  });

  it('accepts text that merely talks about DOCTYPE inside CDATA', () => {
    expect(parseWeChatXml('<xml><Content><![CDATA[<!DOCTYPE html> is how pages start]]></Content></xml>').Content).toBe(
      '<!DOCTYPE html> is how pages start',
    );
  });

  it('enforces the size and depth limits', () => {
    const deep = (levels: number) => `<xml>${'<a>'.repeat(levels - 1)}x${'</a>'.repeat(levels - 1)}</xml>`;
    expect(() => parseWeChatXml(deep(8))).not.toThrow();
    expect(reasonOf(() => parseWeChatXml(deep(9)))).toBe('bad_xml');
    expect(reasonOf(() => parseWeChatXml(deep(3), { maxDepth: 2 }))).toBe('bad_xml');
    expect(reasonOf(() => parseWeChatXml(deep(100_000)))).toBe('bad_xml');
    const big = `<xml><A><![CDATA[${'x'.repeat(1024 * 1024)}]]></A></xml>`;
    expect(reasonOf(() => parseWeChatXml(big))).toBe('too_large');
    expect(reasonOf(() => parseWeChatXml(`<xml><A>${'你'.repeat(400)}</A></xml>`, { maxBytes: 1000 }))).toBe('too_large');
    expect(parseWeChatXml(`<xml><A>${'你'.repeat(300)}</A></xml>`, { maxBytes: 1000 }).A).toHaveLength(300);
  });

  it('rejects what is not WeChat XML', () => {
    for (const body of ['', 'hello', '{"a":1}', '<root><A>1</A></root>', '<xml><A>1</B></xml>', '<xml><A>1</A>', '<xml>text<A>1</A></xml>', '<xml></xml><xml></xml>', '<xml><A><![CDATA[x]]</A></xml>', '<xml><?pi x?></xml>', '<xml><1a>x</1a></xml>']) {
      expect(reasonOf(() => parseWeChatXml(body))).toBe('bad_xml');
    }
  });

  it('parses element names such as __proto__ without touching prototypes', () => {
    const record = parseWeChatXml('<xml><__proto__><polluted>yes</polluted></__proto__><constructor>x</constructor></xml>');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(record.constructor).toBe('x');
  });

  it('agrees with fast-xml-parser on flat WeChat-style documents', () => {
    const oracle = new XMLParser({ parseTagValue: false, processEntities: false, trimValues: false, ignoreDeclaration: true });
    const names = fc.constantFrom('ToUserName', 'FromUserName', 'Content', 'MsgId', 'EventKey', 'Encrypt');
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(names, fc.string().filter((s) => !s.includes(']]>') && !/[\u0000-\u001f]/.test(s))), { selector: ([n]) => n, minLength: 1 }), (fields) => {
        const xml = `<xml>${fields.map(([n, v]) => `<${n}><![CDATA[${v}]]></${n}>`).join('')}</xml>`;
        expect(plain(parseWeChatXml(xml))).toEqual(plain(oracle.parse(xml).xml));
      }),
    );
  });

  it('throws nothing but WeChatCryptoError for arbitrary input', () => {
    const fragments = fc.constantFrom('<xml>', '</xml>', '<A>', '</A>', '<![CDATA[', ']]>', '<!--', '-->', '<!DOCTYPE', '&amp;', '&#x0;', '<', '>', '/>', '"', "'", '<?xml ?>', 'x');
    const arbitrary = fc.oneof(
      fc.string(),
      fc.array(fragments, { maxLength: 40 }).map((parts) => parts.join('')),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
    );
    fc.assert(
      fc.property(arbitrary, (input) => {
        try {
          parseWeChatXml(input);
        } catch (error) {
          expect(error).toBeInstanceOf(WeChatCryptoError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('buildWeChatXml', () => {
  it('writes strings as CDATA, numbers raw, nested records and repeated items', () => {
    expect(buildWeChatXml({ ToUserName: 'o1', CreateTime: 1700000000, Articles: { item: [{ Title: 'a' }, { Title: 'b' }] }, Skipped: undefined })).toBe(
      '<xml><ToUserName><![CDATA[o1]]></ToUserName><CreateTime>1700000000</CreateTime><Articles><item><Title><![CDATA[a]]></Title></item><item><Title><![CDATA[b]]></Title></item></Articles></xml>',
    );
  });

  it('splits "]]>" so any text round-trips through CDATA', () => {
    expect(buildWeChatXml({ A: 'x]]>y' })).toBe('<xml><A><![CDATA[x]]]]><![CDATA[>y]]></A></xml>');
    const valid = fc.string({ unit: 'grapheme' }).filter((s) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(s));
    fc.assert(
      fc.property(fc.oneof(valid, valid.map((s) => `${s}]]>${s}]]]]>`)), (text) => {
        expect(parseWeChatXml(buildWeChatXml({ Content: text })).Content).toBe(text);
      }),
    );
  });

  it('refuses names and characters XML cannot carry', () => {
    expect(reasonOf(() => buildWeChatXml({ 'bad name': 'x' }))).toBe('xml_build');
    expect(reasonOf(() => buildWeChatXml({ A: 'nul\u0000' }))).toBe('xml_build');
    expect(reasonOf(() => buildWeChatXml({ A: '\uD800' }))).toBe('xml_build');
    expect(reasonOf(() => buildWeChatXml({ A: Number.NaN }))).toBe('xml_build');
  });
});

describe('parseWeChatJson', () => {
  it('keeps 64-bit ids exact and every scalar a string', () => {
    const record = parseWeChatJson('{"ToUserName":"gh_1","CreateTime":1714037059,"MsgId":6054768590064713728,"Flag":true,"Gone":null,"List":[1,{"a":-1.5e3}]}');
    expect(plain(record)).toEqual({ ToUserName: 'gh_1', CreateTime: '1714037059', MsgId: '6054768590064713728', Flag: 'true', List: ['1', { a: '-1.5e3' }] });
  });

  it('keeps numbers inside strings untouched, escapes included', () => {
    expect(parseWeChatJson('{"a":"x\\"1 2\\"","b":"12"}')).toMatchObject({ a: 'x"1 2"', b: '12' });
  });

  it('throws nothing but WeChatCryptoError for arbitrary input', () => {
    expect(reasonOf(() => parseWeChatJson('[1,2]'))).toBe('bad_json');
    expect(reasonOf(() => parseWeChatJson('{"a":1-2}'))).toBe('bad_json');
    expect(reasonOf(() => parseWeChatJson('['.repeat(200_000)))).toBe('bad_json');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify(v))), (input) => {
        try {
          parseWeChatJson(input);
        } catch (error) {
          expect(error).toBeInstanceOf(WeChatCryptoError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { MENU_TYPES, checkMenu, diffMenus, menuLinkDomains, miniProgramButtons, normalizeMenu, sameMenu, utf8Bytes, type WeChatMenuButton } from './menu-rules.schema';

const click = (name: string, key = 'K'): WeChatMenuButton => ({ name, type: 'click', key });
const codes = (button: WeChatMenuButton[]) => checkMenu({ button }).map((i) => `${i.field} ${i.code}`);

describe('menu rules', () => {
  it('counts names in UTF-8 bytes: 5 Chinese characters are 15 bytes', () => {
    expect(utf8Bytes('今日歌曲')).toBe(12);
    expect(utf8Bytes('产品与服务')).toBe(15);
    expect(utf8Bytes('😀')).toBe(4);
    expect(codes([click('产品与服务')])).toEqual([]);
    // 16 bytes pass, 17 fail, whatever the character count.
    expect(codes([click('产品与服务A')])).toEqual([]);
    expect(checkMenu({ button: [click('产品与服务AB')] })).toEqual([{ field: 'button[0].name', code: 'OA_MENU_TOP_NAME_TOO_LONG', params: { limit: 16, actual: 17 } }]);
  });

  it('allows 60 bytes in a sub-button name and names the field and numbers at 61', () => {
    const sixty = '菜'.repeat(20);
    expect(codes([{ name: '更多', sub_button: [click(sixty)] }])).toEqual([]);
    expect(checkMenu({ button: [{ name: '更多', sub_button: [click('x'), click(`${sixty}x`)] }] })).toEqual([
      { field: 'button[0].sub_button[1].name', code: 'OA_MENU_SUB_NAME_TOO_LONG', params: { limit: 60, actual: 61 } },
    ]);
  });

  it('takes 1–3 top buttons and up to 5 sub-buttons', () => {
    expect(codes([])).toEqual(['button OA_MENU_TOP_COUNT']);
    expect(codes([click('a'), click('b'), click('c'), click('d')])).toEqual(['button OA_MENU_TOP_COUNT']);
    const five = Array.from({ length: 5 }, (_, i) => click(`s${i}`));
    expect(codes([{ name: 'm', sub_button: five }])).toEqual([]);
    expect(codes([{ name: 'm', sub_button: [...five, click('s5')] }])).toEqual(['button[0].sub_button OA_MENU_SUB_COUNT']);
  });

  it('requires each type’s own fields, including the fallback URL of a mini-program button', () => {
    const required: Record<string, string[]> = {
      click: ['key'],
      scancode_push: ['key'],
      scancode_waitmsg: ['key'],
      pic_sysphoto: ['key'],
      pic_photo_or_album: ['key'],
      pic_weixin: ['key'],
      location_select: ['key'],
      view: ['url'],
      miniprogram: ['appid', 'pagepath', 'url'],
      media_id: ['media_id'],
      view_limited: ['media_id'],
      article_id: ['article_id'],
      article_view_limited: ['article_id'],
    };
    expect(Object.keys(required).sort()).toEqual([...MENU_TYPES].sort());
    for (const [type, fields] of Object.entries(required)) {
      expect(codes([{ name: 'a', type }])).toEqual(fields.map((f) => `button[0].${f} OA_MENU_VALUE_REQUIRED`));
    }
    expect(codes([{ name: 'a', type: 'miniprogram', appid: 'wx1234567890abcdef', pagepath: 'pages/index' }])).toEqual(['button[0].url OA_MENU_VALUE_REQUIRED']);
  });

  it('refuses a leaf without type, unknown types, long keys and URLs, and non-http links', () => {
    expect(codes([{ name: 'a' }])).toEqual(['button[0].type OA_MENU_TYPE_REQUIRED']);
    expect(codes([{ name: 'a', type: 'dance' }])).toEqual(['button[0].type OA_MENU_TYPE_UNKNOWN']);
    expect(checkMenu({ button: [click('a', 'k'.repeat(129))] })[0]).toMatchObject({ field: 'button[0].key', params: { limit: 128, actual: 129 } });
    expect(codes([click('a', 'k'.repeat(128))])).toEqual([]);
    expect(codes([{ name: 'a', type: 'view', url: `https://a.cn/${'x'.repeat(1012)}` }])).toEqual(['button[0].url OA_MENU_VALUE_TOO_LONG']);
    expect(codes([{ name: 'a', type: 'view', url: 'javascript:alert(1)' }])).toEqual(['button[0].url OA_MENU_URL_INVALID']);
  });

  it('allows links to at most 3 domains', () => {
    const view = (host: string): WeChatMenuButton => ({ name: host, type: 'view', url: `https://${host}/` });
    expect(codes([view('a.cn'), view('b.cn'), { name: 'm', sub_button: [view('c.cn'), view('a.cn')] }])).toEqual([]);
    expect(codes([view('a.cn'), view('b.cn'), { name: 'm', sub_button: [view('c.cn'), view('d.cn')] }])).toEqual(['button OA_MENU_LINK_DOMAINS']);
    expect(menuLinkDomains([view('b.cn'), view('a.cn')])).toEqual(['a.cn', 'b.cn']);
  });

  it('finds mini-program buttons at both levels', () => {
    const mp: WeChatMenuButton = { name: '商城', type: 'miniprogram', appid: 'wx1', pagepath: 'p', url: 'https://a.cn' };
    expect(miniProgramButtons({ button: [mp, { name: 'm', sub_button: [click('a'), mp] }] })).toEqual(['button[0]', 'button[1].sub_button[1]']);
  });

  it('normalises away what WeChat ignores: parent actions, unused fields, empty strings', () => {
    expect(normalizeMenu({ button: [{ name: 'm', type: 'click', key: 'x', sub_button: [{ name: 'a', type: 'view', url: 'https://a.cn', key: '' }] }] })).toEqual({
      button: [{ name: 'm', sub_button: [{ name: 'a', type: 'view', url: 'https://a.cn' }] }],
    });
    expect(sameMenu({ button: [{ name: 'a', type: 'click', key: 'k', sub_button: [] }] }, { button: [click('a', 'k')] })).toBe(true);
    expect(sameMenu({ button: [click('a', 'k')] }, { button: [click('a', 'j')] })).toBe(false);
  });

  it('diffs two menus button by button', () => {
    const before = { button: [click('产品', 'P'), { name: '更多', sub_button: [click('关于'), click('联系')] }] };
    const after = { button: [click('产品', 'PRODUCT'), { name: '更多', sub_button: [click('关于')] }, { name: '官网', type: 'view', url: 'https://a.cn' }] };
    expect(diffMenus(before, after)).toEqual([
      { path: 'button[0]', name: '产品', kind: 'changed', fields: [{ field: 'key', before: 'P', after: 'PRODUCT' }] },
      { path: 'button[1].sub_button[1]', name: '联系', kind: 'removed', fields: [] },
      { path: 'button[2]', name: '官网', kind: 'added', fields: [] },
    ]);
    expect(diffMenus(after, after)).toEqual([]);
  });
});

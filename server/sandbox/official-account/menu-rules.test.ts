import { describe, expect, it } from 'vitest';
import { isSandboxWeChatError } from '../core';
import { checkMatchRule, checkMenu, findButton, linkDomains } from './menu-rules';

function errcodeOf(run: () => unknown): number | null {
  try {
    run();
    return null;
  } catch (error) {
    if (isSandboxWeChatError(error)) return error.errcode;
    throw error;
  }
}

const click = (name: string, key = 'K') => ({ type: 'click', name, key });
const view = (name: string, url = 'https://example.com/a') => ({ type: 'view', name, url });

describe('menu rules', () => {
  it.each([
    ['accepts 3 top buttons with 5-character Chinese names (15 bytes)', { button: [click('今日歌曲啊'), click('B'), click('C')] }, null],
    ['refuses no buttons (40016)', { button: [] }, 40016],
    ['refuses a fourth top button (40016)', { button: [click('A'), click('B'), click('C'), click('D')] }, 40016],
    ['refuses a 6-character Chinese top name: 18 bytes > 16 (40018)', { button: [click('今日歌曲啊啊')] }, 40018],
    ['refuses an unknown type (40017)', { button: [{ type: 'tap', name: 'A', key: 'K' }] }, 40017],
    ['refuses a click without key (40019)', { button: [{ type: 'click', name: 'A' }] }, 40019],
    ['refuses a key over 128 bytes (40019)', { button: [click('A', 'k'.repeat(129))] }, 40019],
    ['refuses a url over 1024 bytes (40020)', { button: [view('A', `https://e.com/${'a'.repeat(1011)}`)] }, 40020],
    ['refuses a non-http url (40055)', { button: [view('A', 'ftp://e.com/x')] }, 40055],
    ['refuses six sub-buttons (40023)', { button: [{ name: 'M', sub_button: [1, 2, 3, 4, 5, 6].map((i) => click(`S${i}`)) }] }, 40023],
    ['accepts a 20-character Chinese sub name (60 bytes)', { button: [{ name: 'M', sub_button: [click('一'.repeat(20))] }] }, null],
    ['refuses a 21-character Chinese sub name (40025)', { button: [{ name: 'M', sub_button: [click('一'.repeat(21))] }] }, 40025],
    ['refuses an unknown sub type (40024)', { button: [{ name: 'M', sub_button: [{ type: 'x', name: 'S' }] }] }, 40024],
    ['refuses a sub key over 128 bytes (40026)', { button: [{ name: 'M', sub_button: [click('S', 'k'.repeat(129))] }] }, 40026],
    ['refuses a sub url over 1024 bytes (40027)', { button: [{ name: 'M', sub_button: [view('S', `https://e.com/${'a'.repeat(1011)}`)] }] }, 40027],
    ['refuses a non-http sub url (40054)', { button: [{ name: 'M', sub_button: [view('S', 'javascript:alert(1)')] }] }, 40054],
    ['refuses media_id without media_id (40118)', { button: [{ type: 'media_id', name: 'A' }] }, 40118],
    ['refuses a miniprogram without appid (40097)', { button: [{ type: 'miniprogram', name: 'A', url: 'https://e.com', pagepath: 'p' }] }, 40097],
    ['accepts every key type', { button: [{ name: 'M', sub_button: ['scancode_push', 'scancode_waitmsg', 'pic_sysphoto', 'pic_photo_or_album', 'location_select'].map((type) => ({ type, name: type, key: type })) }] }, null],
  ])('%s', (_name, menu, errcode) => {
    expect(errcodeOf(() => checkMenu(menu))).toBe(errcode);
  });

  it.each([
    ['an empty rule (65304)', {}, 65304],
    ['a privacy field (65320)', { sex: '1' }, 65320],
    ['language, now a privacy field too (65320)', { tag_id: '100', language: 'zh_CN' }, 65320],
    ['a platform other than 1, 2, 3 (40097)', { client_platform_type: '4' }, 40097],
    ['a tag rule', { tag_id: '100' }, null],
    ['a platform rule', { client_platform_type: '2' }, null],
  ])('match rules: %s', (_name, rule, errcode) => {
    expect(errcodeOf(() => checkMatchRule(rule))).toBe(errcode);
  });

  it('collects link domains and finds pressed buttons', () => {
    const buttons = [view('A', 'https://a.com/x'), { name: 'M', sub_button: [view('S', 'https://b.com/y'), click('C', 'KEY')] }];
    expect([...linkDomains(buttons)].sort()).toEqual(['a.com', 'b.com']);
    expect(findButton(buttons, { key: 'KEY' })).toMatchObject({ name: 'C' });
    expect(findButton(buttons, { url: 'https://b.com/y' })).toMatchObject({ name: 'S' });
    expect(findButton(buttons, { key: 'nope' })).toBeNull();
  });
});

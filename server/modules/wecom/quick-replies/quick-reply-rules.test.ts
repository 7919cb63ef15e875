import { describe, expect, it } from 'vitest';
import { checkQuickReply, fill, renderBody, variablesIn, variablesNeeded } from './quick-reply-rules';

describe('quick-reply rules', () => {
  it('finds and fills variables, leaving other braces alone', () => {
    expect(variablesIn('{客户昵称}您好，我是{成员姓名}，{客户昵称}')).toEqual(['客户昵称', '成员姓名']);
    expect(fill('{客户昵称}您好 {x}', { 客户昵称: '王女士' })).toBe('王女士您好 {x}');
    expect(renderBody('link', { title: '{企业名称}报价', url: 'https://a.cn/{客户昵称}' }, { 企业名称: '桥', 客户昵称: 'x' })).toEqual({ title: '桥报价', url: 'https://a.cn/{客户昵称}' });
    expect(variablesNeeded('text', { text: '{客户备注} {成员姓名} {未知}' })).toEqual(['客户备注', '成员姓名']);
  });

  it('counts text in bytes as WeCom does', () => {
    expect(checkQuickReply('text', { text: '好'.repeat(1333) })).toEqual([]);
    expect(checkQuickReply('text', { text: '好'.repeat(1334) })).toEqual([{ code: 'QUICK_REPLY_TOO_LONG', details: { field: 'text', bytes: 4002, max: 4000 } }]);
  });

  it('checks links, images and mini-programs', () => {
    expect(checkQuickReply('link', { title: '标题', url: 'javascript:alert(1)' })).toEqual([{ code: 'QUICK_REPLY_URL_INVALID', details: { field: 'url' } }]);
    expect(checkQuickReply('link', { title: '长'.repeat(43), url: 'https://qiao.example/a' })[0]).toMatchObject({ code: 'QUICK_REPLY_TOO_LONG', details: { field: 'title', max: 128 } });
    expect(checkQuickReply('image', {})).toEqual([{ code: 'QUICK_REPLY_FIELD_REQUIRED', details: { type: 'image', field: 'picUrl' } }]);
    expect(checkQuickReply('miniprogram', { title: '小程序', appid: 'wx1', page: 'pages/index', picUrl: 'https://qiao.example/c.png' })).toEqual([]);
  });

  it('refuses unknown variables in templates but not in rendered text', () => {
    expect(checkQuickReply('text', { text: '{客户名字}你好' })[0]).toMatchObject({ code: 'QUICK_REPLY_UNKNOWN_VARIABLE', details: { name: '客户名字' } });
    expect(checkQuickReply('text', { text: '{客户名字}你好' }, { rendered: true })).toEqual([]);
  });
});

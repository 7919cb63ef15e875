import { describe, expect, it } from 'vitest';
import { permissions, roles } from '../../common/permissions';
import { resources } from './index';

function leaves(value: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === 'string') {
    out.set(prefix, value);
    return out;
  }
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    for (const [path, text] of leaves(child, prefix ? `${prefix}/${key}` : key)) out.set(path, text);
  }
  return out;
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1] ?? '').sort();
}

const zh = resources['zh-CN'];
const en = resources['en-US'];

describe('console locales', () => {
  it('have the same namespaces in both languages', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
  });

  for (const namespace of Object.keys(zh) as (keyof typeof zh)[]) {
    it(`has every ${namespace} key in both languages with the same placeholders`, () => {
      const zhLeaves = leaves(zh[namespace]);
      const enLeaves = leaves(en[namespace]);
      expect([...enLeaves.keys()].sort()).toEqual([...zhLeaves.keys()].sort());
      for (const [key, text] of zhLeaves) {
        expect(text.trim(), `${namespace}:${key} is empty`).not.toBe('');
        expect(placeholders(enLeaves.get(key) ?? ''), `${namespace}:${key}`).toEqual(placeholders(text));
      }
    });
  }

  it('labels every role and every permission', () => {
    for (const language of [zh, en]) {
      const common = leaves(language.common);
      const roleLabels = leaves(language.roles);
      for (const role of roles) expect(common.get(`role/${role}`)).toBeTruthy();
      for (const permission of permissions) expect(roleLabels.get(`permission/${permission.replaceAll('.', '/')}`), permission).toBeTruthy();
      const areas = new Set(permissions.map((p) => p.split('.')[0]));
      for (const area of areas) expect(roleLabels.get(`area/${area}`), area).toBeTruthy();
    }
  });

  it('keeps the zh-CN texts free of English words', () => {
    // Terms WeChat's own Chinese consoles leave in English, protocol words, and setting names.
    const allowed = new Set(
      [
        ['API', 'Qiao', 'ID', 'IP', 'CRM', 'userid', 'users', 'create', 'user'],
        ['URL', 'Token', 'EncodingAESKey', 'AppID', 'AppSecret', 'Secret', 'OpenID', 'UnionID', 'CorpID', 'AgentId', 'echostr', 'errcode'],
        ['KEY', 'key', 'EventKey', 'LOGO'],
        ['HTTP', 'HTTPS', 'http', 'https', 'GET', 'POST', 'Excel', 'xlsx', 'HOST', 'PORT'],
        ['PNG', 'JPG', 'JPEG', 'GIF', 'BMP', 'MP3', 'MP4', 'AMR', 'KB', 'MB'],
      ].flat(),
    );
    for (const [namespace, tree] of Object.entries(zh)) {
      for (const [key, text] of leaves(tree)) {
        const words = text.replace(/\{\{\w+\}\}/g, '').replace(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g, '').replace(/https?:\/\/\S+/g, '').match(/[A-Za-z]{2,}/g) ?? [];
        expect(words.filter((w) => !allowed.has(w)), `${namespace}:${key}`).toEqual([]);
      }
    }
  });
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { errorRegistry, errorSources, renderErrorMessage, type ErrorCode, type ErrorSpec } from '../common/errors';

const entries = Object.entries(errorSources).flatMap(([area, specs]) =>
  Object.entries(specs).map(([code, spec]) => ({ area, code, spec: spec as ErrorSpec })),
);

function placeholders(message: string): string[] {
  return [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
}

describe('error registry', () => {
  it('knows at least the platform and system areas', () => {
    expect(Object.keys(errorSources)).toEqual(expect.arrayContaining(['platform', 'system']));
    expect(entries.length).toBeGreaterThan(20);
  });

  it('has each code in exactly one area file', () => {
    const areasByCode = new Map<string, string[]>();
    for (const { area, code } of entries) areasByCode.set(code, [...(areasByCode.get(code) ?? []), area]);
    const duplicated = [...areasByCode].filter(([, areas]) => areas.length > 1).map(([code, areas]) => `${code} in ${areas.join(', ')}`);
    expect(duplicated).toEqual([]);
  });

  it('merges every area file into errorRegistry, and nothing else', () => {
    expect(Object.keys(errorRegistry).sort()).toEqual(entries.map((e) => e.code).sort());
    for (const { code, spec } of entries) expect(errorRegistry[code as ErrorCode]).toBe(spec);
  });

  it('names codes in UPPER_SNAKE_CASE', () => {
    expect(entries.filter(({ code }) => !/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/.test(code)).map((e) => e.code)).toEqual([]);
  });

  it('answers with a 4xx or 5xx status', () => {
    const bad = entries.filter(({ spec }) => !Number.isInteger(spec.status) || spec.status < 400 || spec.status > 599);
    expect(bad.map(({ code, spec }) => `${code}: ${spec.status}`)).toEqual([]);
  });

  it('has a non-empty message in both languages, the Chinese one in Chinese', () => {
    const bad = entries.flatMap(({ code, spec }) => [
      ...(spec.zh.trim() === '' ? [`${code}: empty zh-CN message`] : []),
      ...(spec.en.trim() === '' ? [`${code}: empty en-US message`] : []),
      ...(/\p{Script=Han}/u.test(spec.zh) ? [] : [`${code}: zh-CN message has no Chinese`]),
    ]);
    expect(bad).toEqual([]);
  });

  it('uses the same placeholders in both languages', () => {
    const bad = entries
      .filter(({ spec }) => placeholders(spec.zh).join() !== placeholders(spec.en).join())
      .map(({ code, spec }) => `${code}: zh {${placeholders(spec.zh).join(', ')}} vs en {${placeholders(spec.en).join(', ')}}`);
    expect(bad).toEqual([]);
  });

  it('fills placeholders from details and leaves unknown ones visible', () => {
    expect(renderErrorMessage('FORBIDDEN', 'en-US', { permission: 'users.write' })).toBe('You are not allowed to do this (needs users.write)');
    expect(renderErrorMessage('FORBIDDEN', 'zh-CN', {})).toContain('{permission}');
  });

  it('takes a detail’s English words from its En twin when answering in English', () => {
    const details = { endpoint: 'add_contact_way', errcode: 40098, reason: '成员尚未实名认证', reasonEn: 'the member is not verified' };
    expect(renderErrorMessage('CONTACT_WAY_WECHAT_REFUSED', 'en-US', details)).toContain('40098: the member is not verified');
    expect(renderErrorMessage('CONTACT_WAY_WECHAT_REFUSED', 'zh-CN', details)).toContain('40098：成员尚未实名认证');
  });

  it('is listed in docs/errors.md, code by code', () => {
    const docs = readFileSync(fileURLToPath(new URL('../docs/errors.md', import.meta.url)), 'utf8');
    const missing = entries.filter(({ code }) => !docs.includes(`| \`${code}\` |`)).map((e) => e.code);
    expect(missing, 'run `npm run gen` to regenerate docs/errors.md').toEqual([]);
  });
});

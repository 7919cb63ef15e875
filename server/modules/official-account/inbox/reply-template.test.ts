import { describe, expect, it } from 'vitest';
import { fillTemplate, unknownVariable, variablesIn } from './reply-template';

describe('reply templates', () => {
  it('fills each variable, tolerating spaces inside the braces', () => {
    expect(fillTemplate('您好 {{remark}}，编号 {{ openId }}。', { remark: '王女士', openId: 'oAbc' })).toBe('您好 王女士，编号 oAbc。');
  });

  it('leaves an empty string for a variable without a value', () => {
    expect(fillTemplate('您好{{remark}}！', {})).toBe('您好！');
  });

  it('lists variables once each and finds an unknown one', () => {
    expect(variablesIn('{{remark}} {{remark}} {{openId}}')).toEqual(['remark', 'openId']);
    expect(unknownVariable('{{remark}} {{nickname}}', ['remark', 'openId'])).toBe('nickname');
    expect(unknownVariable('no variables', ['remark'])).toBeNull();
  });
});

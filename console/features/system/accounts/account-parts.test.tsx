// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { I18nextProvider } from 'react-i18next';
import { i18n } from '../../../app/i18n';
import { isUnreachableFromWeChat, TestResultView } from './account-parts';

afterEach(cleanup);

function show(result: Parameters<typeof TestResultView>[0]['result']) {
  render(
    <I18nextProvider i18n={i18n}>
      <TestResultView result={result} apiBaseUrl="https://qyapi.weixin.qq.com" />
    </I18nextProvider>,
  );
  return screen.getByTestId('account-test-result').textContent ?? '';
}

describe('connection test result', () => {
  it('shows WeChat’s errcode, the plain explanation and the whitelist hint per receiver', () => {
    const failure = { ok: false, errcode: 60020, errmsg: 'not allow to access from your ip, from ip: 203.0.113.7', message: '调用接口的 IP 不在企业可信 IP 列表中', hint: '请把 203.0.113.7 加入企业可信 IP' };
    const text = show({ ...failure, receiver: '1000002', results: [{ receiver: '1000002', ...failure }, { receiver: 'contacts', ok: true }] });
    expect(text).toContain('自建应用（应用 ID 1000002）：调用接口的 IP 不在企业可信 IP 列表中');
    expect(text).toContain('错误码 60020');
    expect(text).toContain('请把 203.0.113.7 加入企业可信 IP');
    expect(text).toContain('通讯录同步：连接正常');
  });

  it('tells how to check the network when WeChat could not be reached at all', () => {
    const failure = { ok: false, message: '无法连接微信接口 cgi-bin/gettoken（ENOTFOUND），请检查网络或接口地址' };
    const text = show({ ...failure, receiver: 'contacts', results: [{ receiver: 'contacts', ...failure }] });
    expect(text).toContain('无法连接微信接口');
    expect(text).toContain('https://qyapi.weixin.qq.com');
    expect(text).not.toContain('错误码');
  });
});

describe('callback URL reachability', () => {
  it('flags loopback and private addresses WeChat cannot call', () => {
    expect(isUnreachableFromWeChat('http://127.0.0.1:3000/wechat/x')).toBe(true);
    expect(isUnreachableFromWeChat('http://192.168.1.5/wechat/x')).toBe(true);
    expect(isUnreachableFromWeChat('https://qiao.example.com/wechat/x')).toBe(false);
  });
});

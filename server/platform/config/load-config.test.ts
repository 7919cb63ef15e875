import { describe, expect, it } from 'vitest';
import { ConfigError, configVariables, loadConfig } from './index';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: './data',
      sandbox: true,
      callbackMaxAgeS: 3600,
      logLevel: 'info',
      publicBaseUrl: 'http://127.0.0.1:3000',
    });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.adminUsername).toBeUndefined();
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({ port: 3000, databaseUrl: undefined });
  });

  it('lists every problem at once, each naming its variable', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://db/qiao',
      QIAO_SANDBOX: 'maybe',
      LOG_LEVEL: 'loud',
      QIAO_SECRET_KEY: 'c2hvcnQ=',
    });
    expect(problems).toHaveLength(5);
    for (const name of ['PORT', 'DATABASE_URL', 'QIAO_SANDBOX', 'LOG_LEVEL', 'QIAO_SECRET_KEY']) {
      expect(problems.some((p) => p.startsWith(`${name}:`))).toBe(true);
    }
  });

  it('puts the whole list in the error message', () => {
    expect(() => loadConfig({ PORT: '-1', QIAO_CALLBACK_MAX_AGE_S: '0' })).toThrow(/PORT[\s\S]*QIAO_CALLBACK_MAX_AGE_S/);
  });

  it('requires the admin username and password together', () => {
    expect(problemsOf({ QIAO_ADMIN_USERNAME: 'admin' })).toEqual(['QIAO_ADMIN_USERNAME and QIAO_ADMIN_PASSWORD must be set together']);
    expect(problemsOf({ QIAO_ADMIN_PASSWORD: 'long-enough-password' })).toEqual(['QIAO_ADMIN_USERNAME and QIAO_ADMIN_PASSWORD must be set together']);
    expect(loadConfig({ QIAO_ADMIN_USERNAME: 'admin', QIAO_ADMIN_PASSWORD: 'long-enough-password' })).toMatchObject({
      adminUsername: 'admin',
      adminPassword: 'long-enough-password',
    });
  });

  it('reports a short admin password along with the pairing rule', () => {
    const problems = problemsOf({ QIAO_ADMIN_USERNAME: 'admin', QIAO_ADMIN_PASSWORD: 'short' });
    expect(problems.some((p) => p.startsWith('QIAO_ADMIN_PASSWORD:'))).toBe(true);
  });

  it('accepts on/off spellings for switches', () => {
    expect(loadConfig({ QIAO_SANDBOX: 'off' }).sandbox).toBe(false);
    expect(loadConfig({ QIAO_SANDBOX: '1' }).sandbox).toBe(true);
  });

  it('derives the public URL from HOST and PORT, showing a wildcard bind as loopback', () => {
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '8080' }).publicBaseUrl).toBe('http://127.0.0.1:8080');
    expect(loadConfig({ QIAO_PUBLIC_URL: 'https://qiao.example.com/' }).publicBaseUrl).toBe('https://qiao.example.com');
  });

  it('flags connection strings, passwords and keys as secrets, and ordinary settings not', () => {
    const secretNames = Object.values(configVariables)
      .filter((v) => v.secret)
      .map((v) => v.name)
      .sort();
    expect(secretNames).toEqual(['DATABASE_URL', 'QIAO_ADMIN_PASSWORD', 'QIAO_SECRET_KEY', 'REDIS_URL']);
  });

  it('documents every variable with a description and a default', () => {
    const undocumented = Object.values(configVariables)
      .filter((v) => v.description.trim() === '' || v.defaultLabel.trim() === '')
      .map((v) => v.name);
    expect(undocumented).toEqual([]);
  });
});

const browsers: [RegExp, string][] = [
  [/Edg\/(\d+)/, 'Edge'],
  [/MicroMessenger\/([\d.]+)/, 'WeChat'],
  [/wxwork\/([\d.]+)/, 'WeCom'],
  [/Chrome\/(\d+)/, 'Chrome'],
  [/Firefox\/(\d+)/, 'Firefox'],
  [/Version\/(\d+).*Safari/, 'Safari'],
  [/curl\/([\d.]+)/, 'curl'],
  [/node/i, 'Node.js'],
];

const systems: [RegExp, string][] = [
  [/Windows NT/, 'Windows'],
  [/Android/, 'Android'],
  [/iPhone|iPad/, 'iOS'],
  [/Mac OS X/, 'macOS'],
  [/Linux/, 'Linux'],
];

/** "Chrome 140 · Linux" from a User-Agent header; null when there is none. */
export function describeUserAgent(userAgent: string | null): string | null {
  if (!userAgent) return null;
  let browser: string | undefined;
  for (const [pattern, name] of browsers) {
    const match = pattern.exec(userAgent);
    if (match) {
      browser = match[1] && /^\d/.test(match[1]) ? `${name} ${match[1]}` : name;
      break;
    }
  }
  const system = systems.find(([pattern]) => pattern.test(userAgent))?.[1];
  const parts = [browser, system].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : userAgent.slice(0, 60);
}

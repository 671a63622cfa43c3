import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatePrivateKey } from '../../src/demo/harness.js';
import { ConfigError, normalizePrivateKey, readServerConfig } from '../../src/server/config.js';

const KEY = generatePrivateKey();
const base = { APP_ID: '12345', PRIVATE_KEY: KEY, WEBHOOK_SECRET: 's3cret-s3cret' };

const problemsOf = (env: Record<string, string | undefined>): string[] => {
  try {
    readServerConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
};

describe('readServerConfig', () => {
  it('reads a complete environment with defaults', () => {
    const c = readServerConfig(base);
    expect(c).toMatchObject({
      appId: 12345,
      webhookSecret: 's3cret-s3cret',
      insecureSecret: false,
      port: 3000,
      host: '0.0.0.0',
      baseUrl: undefined,
      logLevel: 'info',
      webhookPath: '/api/github/webhooks',
    });
    expect(c.privateKey).toContain('BEGIN RSA PRIVATE KEY');
  });

  it('names every missing variable at once, and nothing else', () => {
    const problems = problemsOf({});
    expect(problems.join('\n')).toMatch(/APP_ID is not set/);
    expect(problems.join('\n')).toMatch(/PRIVATE_KEY \(or PRIVATE_KEY_PATH\) is not set/);
    expect(problems.join('\n')).toMatch(/WEBHOOK_SECRET is not set/);
    expect(problems).toHaveLength(3);
    expect(() => readServerConfig({})).toThrow(/Pattern Gardener cannot start:[\s\S]*\.env\.example/);
  });

  it('refuses to start without WEBHOOK_SECRET unless NODE_ENV=development', () => {
    expect(problemsOf({ ...base, WEBHOOK_SECRET: undefined })).toEqual([expect.stringMatching(/^WEBHOOK_SECRET is not set/)]);
    expect(problemsOf({ ...base, WEBHOOK_SECRET: '   ' })).toEqual([expect.stringMatching(/^WEBHOOK_SECRET is not set/)]);
    expect(problemsOf({ ...base, WEBHOOK_SECRET: undefined, NODE_ENV: 'production' })).toHaveLength(1);
    const dev = readServerConfig({ ...base, WEBHOOK_SECRET: undefined, NODE_ENV: 'development' });
    expect(dev).toMatchObject({ webhookSecret: 'development', insecureSecret: true });
  });

  it('accepts the key with \\n escapes, base64-encoded, or from PRIVATE_KEY_PATH', () => {
    const escaped = KEY.trim().replace(/\n/g, '\\n');
    expect(readServerConfig({ ...base, PRIVATE_KEY: escaped }).privateKey).toBe(KEY.trim() + '\n');
    expect(readServerConfig({ ...base, PRIVATE_KEY: Buffer.from(KEY).toString('base64') }).privateKey).toBe(KEY.trim() + '\n');
    const dir = mkdtempSync(join(tmpdir(), 'gardener-key-'));
    writeFileSync(join(dir, 'app.pem'), KEY);
    expect(readServerConfig({ ...base, PRIVATE_KEY: undefined, PRIVATE_KEY_PATH: join(dir, 'app.pem') }).privateKey).toBe(KEY.trim() + '\n');
    expect(problemsOf({ ...base, PRIVATE_KEY: undefined, PRIVATE_KEY_PATH: join(dir, 'missing.pem') })).toEqual([
      expect.stringMatching(/PRIVATE_KEY_PATH: cannot read .*missing\.pem \(ENOENT\)/),
    ]);
    expect(normalizePrivateKey('abc')).toBe('abc\n');
  });

  it('rejects a broken key without echoing it', () => {
    const problems = problemsOf({ ...base, PRIVATE_KEY: '-----BEGIN RSA PRIVATE KEY-----\nnot-a-key-material-at-all\n-----END RSA PRIVATE KEY-----' });
    expect(problems).toEqual(['PRIVATE_KEY: not a valid PEM private key (the value is not shown)']);
    expect(problems.join('')).not.toContain('not-a-key-material');
  });

  it('validates APP_ID, PORT, LOG_LEVEL and WEBHOOK_PATH', () => {
    expect(problemsOf({ ...base, APP_ID: 'abc' })).toEqual(['APP_ID must be a positive integer, got "abc"']);
    expect(problemsOf({ ...base, PORT: '99999' })).toEqual(['PORT must be an integer 0–65535, got "99999"']);
    expect(problemsOf({ ...base, LOG_LEVEL: 'loud' })[0]).toMatch(/^LOG_LEVEL must be one of/);
    expect(problemsOf({ ...base, WEBHOOK_PATH: 'hooks' })[0]).toMatch(/^WEBHOOK_PATH must start with "\/"/);
    expect(readServerConfig({ ...base, PORT: '0', LOG_LEVEL: 'DEBUG' })).toMatchObject({ port: 0, logLevel: 'debug' });
  });

  it('points at GitHub Enterprise Server through GITHUB_API_URL or GHE_HOST', () => {
    expect(readServerConfig({ ...base, GHE_HOST: 'github.example.com' }).baseUrl).toBe('https://github.example.com/api/v3');
    expect(readServerConfig({ ...base, GHE_HOST: 'ghe.local:8443', GHE_PROTOCOL: 'http' }).baseUrl).toBe('http://ghe.local:8443/api/v3');
    expect(readServerConfig({ ...base, GITHUB_API_URL: 'https://ghe.example.org/api/v3/', GHE_HOST: 'ignored.example' }).baseUrl).toBe(
      'https://ghe.example.org/api/v3',
    );
    expect(readServerConfig({ ...base, GITHUB_API_URL: 'https://api.github.com' }).baseUrl).toBeUndefined();
    expect(problemsOf({ ...base, GITHUB_API_URL: 'ftp://x' })).toEqual(['GITHUB_API_URL must be an http(s) URL, got "ftp://x"']);
    expect(problemsOf({ ...base, GHE_HOST: 'https://github.example.com' })[0]).toMatch(/^GHE_HOST must be a host name/);
  });

  it('reads REDIS_URL (redis:// or rediss://) and refuses anything else without echoing it', () => {
    expect(readServerConfig(base).redisUrl).toBeUndefined();
    expect(readServerConfig({ ...base, REDIS_URL: ' redis://:pw@10.0.0.5:6379/2 ' }).redisUrl).toBe('redis://:pw@10.0.0.5:6379/2');
    expect(readServerConfig({ ...base, REDIS_URL: 'rediss://cache.internal:6380' }).redisUrl).toBe('rediss://cache.internal:6380');
    for (const bad of ['10.0.0.5:6379', 'http://cache:6379', 'redis-with-s3cret-password']) {
      const problems = problemsOf({ ...base, REDIS_URL: bad });
      expect(problems).toEqual([expect.stringMatching(/^REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/)]);
      expect(problems.join('')).not.toContain(bad);
    }
  });
});

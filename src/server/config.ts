/**
 * Server configuration from the environment, validated up front so a misconfigured deployment fails at
 * start with a message naming the variable (and never echoing a secret), instead of at the first webhook.
 *
 *   APP_ID             GitHub App id (required)
 *   PRIVATE_KEY        the app's PEM private key; literal "\n" escapes and base64-encoded PEM are accepted
 *   PRIVATE_KEY_PATH   path of the .pem file (used when PRIVATE_KEY is unset)
 *   WEBHOOK_SECRET     required; only NODE_ENV=development may run without it (secret "development")
 *   PORT               default 3000
 *   HOST               default 0.0.0.0
 *   GITHUB_API_URL     REST API base (GitHub Enterprise Server: https://HOST/api/v3); wins over GHE_HOST
 *   GHE_HOST           GitHub Enterprise Server host name → https://GHE_HOST/api/v3 (GHE_PROTOCOL to change https)
 *   LOG_LEVEL          trace|debug|info|warn|error|fatal (default info)
 *   WEBHOOK_PATH       default /api/github/webhooks
 *   REDIS_URL          redis:// or rediss:// URL shared by every replica: request throttling and the claims on
 *                      reviews and sweeps (src/github/claims.ts); unset: one process, nothing shared
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const DEFAULT_WEBHOOK_PATH = '/api/github/webhooks';
const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LEVELS)[number];

export interface ServerConfig {
  appId: number;
  privateKey: string;
  webhookSecret: string;
  /** True when WEBHOOK_SECRET was missing and NODE_ENV=development allowed the insecure default. */
  insecureSecret: boolean;
  port: number;
  host: string;
  /** Undefined: https://api.github.com. */
  baseUrl: string | undefined;
  logLevel: LogLevel;
  webhookPath: string;
  /** Redis shared by the replicas (throttling and claims); undefined: this process only. */
  redisUrl: string | undefined;
}

/** A configuration problem; `problems` name the variables, never their values. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Pattern Gardener cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example and docs/deployment.md.`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;
const get = (env: Env, name: string): string | undefined => {
  const v = env[name]?.trim();
  return v ? v : undefined;
};

/** Normalises a PEM given inline: "\n" escapes (dotenv, CI secrets) or base64 of the whole PEM. */
export function normalizePrivateKey(raw: string): string {
  let key = raw.trim();
  if (!key.includes('-----BEGIN') && /^[A-Za-z0-9+/=\s]+$/.test(key)) {
    const decoded = Buffer.from(key, 'base64').toString('utf8');
    if (decoded.includes('-----BEGIN')) key = decoded.trim();
  }
  if (key.includes('\\n')) key = key.replace(/\\n/g, '\n');
  return `${key}\n`;
}

function readPrivateKey(env: Env, problems: string[]): string {
  const inline = get(env, 'PRIVATE_KEY');
  const path = get(env, 'PRIVATE_KEY_PATH');
  let pem: string | undefined;
  let source: string;
  if (inline) {
    pem = normalizePrivateKey(inline);
    source = 'PRIVATE_KEY';
  } else if (path) {
    source = 'PRIVATE_KEY_PATH';
    try {
      pem = normalizePrivateKey(readFileSync(path, 'utf8'));
    } catch (e) {
      problems.push(`PRIVATE_KEY_PATH: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return '';
    }
  } else {
    problems.push('PRIVATE_KEY (or PRIVATE_KEY_PATH) is not set: give the GitHub App private key (PEM)');
    return '';
  }
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'rsa') problems.push(`${source}: the GitHub App key must be an RSA key`);
  } catch {
    problems.push(`${source}: not a valid PEM private key (the value is not shown)`);
  }
  return pem;
}

/** The password of a redis:// URL, to keep it out of the logs. */
export function redisPassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

/** Reads and validates the server configuration; throws ConfigError listing every problem at once. */
export function readServerConfig(env: Env = process.env): ServerConfig {
  const problems: string[] = [];

  const appIdRaw = get(env, 'APP_ID');
  let appId = 0;
  if (!appIdRaw) problems.push('APP_ID is not set: give the GitHub App id (a number, on the app settings page)');
  else if (!/^\d+$/.test(appIdRaw) || Number(appIdRaw) <= 0) problems.push(`APP_ID must be a positive integer, got "${appIdRaw}"`);
  else appId = Number(appIdRaw);

  const privateKey = readPrivateKey(env, problems);

  let webhookSecret = get(env, 'WEBHOOK_SECRET') ?? '';
  let insecureSecret = false;
  if (!webhookSecret) {
    if (env.NODE_ENV === 'development') {
      webhookSecret = 'development';
      insecureSecret = true;
    } else {
      problems.push('WEBHOOK_SECRET is not set: deliveries cannot be verified (only NODE_ENV=development may run without it)');
    }
  }

  const portRaw = get(env, 'PORT') ?? '3000';
  const port = Number(portRaw);
  if (!/^\d+$/.test(portRaw) || port > 65535) problems.push(`PORT must be an integer 0–65535, got "${portRaw}"`);

  let baseUrl: string | undefined;
  const apiUrl = get(env, 'GITHUB_API_URL');
  const gheHost = get(env, 'GHE_HOST');
  if (apiUrl) {
    try {
      const u = new URL(apiUrl);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('protocol');
      baseUrl = apiUrl.replace(/\/+$/, '');
    } catch {
      problems.push(`GITHUB_API_URL must be an http(s) URL, got "${apiUrl}"`);
    }
  } else if (gheHost) {
    const protocol = get(env, 'GHE_PROTOCOL') ?? 'https';
    if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(gheHost)) problems.push(`GHE_HOST must be a host name (like github.example.com), got "${gheHost}"`);
    else baseUrl = `${protocol}://${gheHost}/api/v3`;
  }
  if (baseUrl === 'https://api.github.com') baseUrl = undefined;

  const levelRaw = (get(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LEVELS as readonly string[]).includes(levelRaw)) problems.push(`LOG_LEVEL must be one of ${LEVELS.join(', ')}, got "${levelRaw}"`);

  const webhookPath = get(env, 'WEBHOOK_PATH') ?? DEFAULT_WEBHOOK_PATH;
  if (!webhookPath.startsWith('/')) problems.push(`WEBHOOK_PATH must start with "/", got "${webhookPath}"`);

  const redisUrl = get(env, 'REDIS_URL');
  if (redisUrl !== undefined) {
    let protocol = '';
    try {
      protocol = new URL(redisUrl).protocol;
    } catch {
      // reported below
    }
    // The value is not echoed: it may carry a password.
    if (protocol !== 'redis:' && protocol !== 'rediss:')
      problems.push('REDIS_URL must be a redis:// or rediss:// URL, like redis://redis.internal:6379 (the value is not shown)');
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    appId,
    privateKey,
    webhookSecret,
    insecureSecret,
    port,
    host: get(env, 'HOST') ?? '0.0.0.0',
    baseUrl,
    logLevel: levelRaw as LogLevel,
    webhookPath,
    redisUrl,
  };
}

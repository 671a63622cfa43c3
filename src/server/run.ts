/**
 * Starts the server from environment variables: what `npm start` (src/server/main.ts) runs, callable in
 * process so tests exercise the same configuration, logging and wiring.
 */
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { run as probotRun, type ApplicationFunction, type ProbotOctokit } from 'probot';
import type { Logger } from 'pino';
import { createApp } from '../github/app.js';
import { memoryClaims, type ClaimStore } from '../github/claims.js';
import { redactRedisUrl, redisClaims } from '../github/redis-claims.js';
import { disconnectThrottling } from '../github/resilience.js';
import { ConfigError, readServerConfig, redisPassword, type ServerConfig } from './config.js';
import { startServer, type RunningServer } from './http.js';
import { createLogger } from './logger.js';
import { probotFromConfig } from './probot.js';

export function packageVersion(): string | undefined {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

export interface RunServerOptions {
  env?: Record<string, string | undefined>;
  /** Log line sink (default stdout). */
  write?: (line: string) => void;
  /** Startup error sink (default stderr). */
  stderr?: (text: string) => void;
  /** The app function (default: src/github/app.ts's app, with the claim store of REDIS_URL). */
  app?: ApplicationFunction;
  /** The request policy's Octokit class (default: production's, src/server/probot.ts). */
  Octokit?: typeof ProbotOctokit;
}

export type RunServerResult =
  | { ok: true; running: RunningServer; config: ServerConfig; log: Logger; setup?: false }
  /** No credentials yet: Probot's setup pages (the app manifest flow) are served instead of the app. */
  | { ok: true; running: Pick<RunningServer, 'url' | 'port' | 'inFlight' | 'close'>; config?: undefined; log: Logger; setup: true }
  | { ok: false; exitCode: number; message: string };

/**
 * Reads `.env` in `dir` into `env`, leaving variables already set alone: `npm start` picks up the
 * credentials Probot's setup wrote there. Returns the names it set.
 */
export function loadDotEnv(env: Record<string, string | undefined>, dir = process.cwd()): string[] {
  let text: string;
  try {
    text = readFileSync(`${dir}/.env`, 'utf8');
  } catch {
    return [];
  }
  const set: string[] = [];
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (env[name] === undefined || env[name] === '') {
      env[name] = value;
      set.push(name);
    }
  }
  return set;
}

/**
 * Setup mode: no app id and no private key at all, outside production. Then the server registers the
 * app instead of failing: Probot's manifest flow posts app.yml to GitHub, and GitHub's answer (app id,
 * key, webhook secret) is written to .env.
 */
export function wantsSetup(env: Record<string, string | undefined>): boolean {
  const unset = (name: string) => !env[name]?.trim();
  return unset('APP_ID') && unset('PRIVATE_KEY') && unset('PRIVATE_KEY_PATH') && env.NODE_ENV !== 'production';
}

async function runSetup(env: Record<string, string | undefined>, log: Logger, stderr: (t: string) => void): Promise<RunServerResult> {
  const host = env.HOST?.trim() || '0.0.0.0';
  let server: Awaited<ReturnType<typeof probotRun>>;
  try {
    // Probot serves its setup pages (/ redirects to /probot) and writes .env when GitHub has created the app.
    server = await probotRun(() => {}, { env: { ...env, HOST: host }, log });
  } catch (e) {
    const message = `Pattern Gardener setup failed to start: ${(e as Error).message}`;
    stderr(`${message}\n`);
    return { ok: false, exitCode: 1, message };
  }
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  const url = `http://${shownHost}:${server.port}`;
  log.info(
    `Setup: no APP_ID or PRIVATE_KEY yet. Open ${url} to register the GitHub App from app.yml; GitHub's answer is written to .env, then restart (npm start).`,
  );
  return {
    ok: true,
    setup: true,
    log,
    running: { url, port: server.port, inFlight: () => 0, close: () => server.stop() },
  };
}

export async function runServer(opts: RunServerOptions = {}): Promise<RunServerResult> {
  const stderr = opts.stderr ?? ((t: string) => void process.stderr.write(t));
  const env = opts.env ?? process.env;
  if (wantsSetup(env)) return runSetup(env, createLogger({ level: 'info', base: { version: packageVersion() }, write: opts.write }), stderr);
  let config: ServerConfig;
  try {
    config = readServerConfig(env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    stderr(`${e.message}\n`);
    return { ok: false, exitCode: 78, message: e.message }; // EX_CONFIG
  }
  const version = packageVersion();
  const log = createLogger({
    level: config.logLevel,
    secrets: [config.privateKey, config.insecureSecret ? undefined : config.webhookSecret, redisPassword(config.redisUrl)],
    base: { version },
    write: opts.write,
  });
  if (config.insecureSecret) log.warn('WEBHOOK_SECRET is not set; NODE_ENV=development uses the well-known secret "development". Never do this in production.');
  // With REDIS_URL, replicas share the throttling limiters (Probot's redisConfig) and the claims on reviews
  // and sweeps. Redis must answer at start: throttled requests would otherwise wait for it silently.
  let claims: (ClaimStore & { ping(): Promise<void> }) | undefined;
  if (config.redisUrl) {
    const claimLog = log.child({ name: 'claims' });
    claims = redisClaims(config.redisUrl, { log: { info: (m) => claimLog.info(m), warn: (m) => claimLog.warn(m) } });
    try {
      await claims.ping();
    } catch (e) {
      await claims.close();
      const message = `Pattern Gardener failed to start: REDIS_URL: ${redactRedisUrl(config.redisUrl)} did not answer (${(e as Error).message})`;
      stderr(`${message}\n`);
      return { ok: false, exitCode: 1, message };
    }
  }
  const probot = probotFromConfig(config, { log, Octokit: opts.Octokit });
  let running: RunningServer;
  try {
    running = await startServer({
      probot,
      app: opts.app ?? createApp({ claims: claims ?? memoryClaims() }),
      log,
      port: config.port,
      host: config.host,
      webhookPath: config.webhookPath,
      version,
    });
  } catch (e) {
    await claims?.close();
    await disconnectThrottling();
    const err = e as NodeJS.ErrnoException;
    const message = `Pattern Gardener failed to start: ${err.message}${err.code === 'EADDRINUSE' ? ` (port ${config.port} is in use; set PORT)` : ''}`;
    stderr(`${message}\n`);
    return { ok: false, exitCode: 1, message };
  }
  const serverClose = running.close;
  running = {
    ...running,
    close: async (graceMs) => {
      await serverClose(graceMs);
      await claims?.close();
      await disconnectThrottling();
    },
  };
  log.info(
    {
      port: running.port,
      webhookPath: config.webhookPath,
      appId: config.appId,
      api: config.baseUrl ?? 'https://api.github.com',
      shared: config.redisUrl ? redactRedisUrl(config.redisUrl) : 'none (one process)',
    },
    `Pattern Gardener ${version ?? ''} listening on ${running.url} (webhooks: ${config.webhookPath}, health: /healthz)`,
  );
  return { ok: true, running, config, log };
}

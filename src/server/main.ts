#!/usr/bin/env node
/**
 * `npm start`: Pattern Gardener as a GitHub App server against real GitHub (or GitHub Enterprise Server).
 * Configuration: environment variables, see src/server/config.ts, .env.example and docs/deployment.md.
 * Keeps no local state: run as many replicas as you like behind a load balancer.
 */
import { readFileSync } from 'node:fs';
import gardener from '../github/app.js';
import { ConfigError, readServerConfig } from './config.js';
import { startServer } from './http.js';
import { createLogger } from './logger.js';
import { probotFromConfig } from './probot.js';

function packageVersion(): string | undefined {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  let config;
  try {
    config = readServerConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exitCode = 78; // EX_CONFIG
      return;
    }
    throw e;
  }
  const version = packageVersion();
  const log = createLogger({ level: config.logLevel, secrets: [config.privateKey, config.webhookSecret], base: { version } });
  if (config.insecureSecret) log.warn('WEBHOOK_SECRET is not set; NODE_ENV=development uses the well-known secret "development". Never do this in production.');

  const probot = probotFromConfig(config, { log });
  const running = await startServer({ probot, app: gardener, log, port: config.port, host: config.host, webhookPath: config.webhookPath, version });
  log.info(
    { port: running.port, webhookPath: config.webhookPath, appId: config.appId, api: config.baseUrl ?? 'https://api.github.com' },
    `Pattern Gardener ${version ?? ''} listening on ${running.url} (webhooks: ${config.webhookPath}, health: /healthz)`,
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, inFlight: running.inFlight() }, 'shutting down');
    running.close(25_000).then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (e: unknown) => {
        log.error({ err: e }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((e: unknown) => {
  // Startup failures other than configuration (port in use, …): one clear line, no stack noise with secrets.
  const err = e as NodeJS.ErrnoException;
  const hint = err.code === 'EADDRINUSE' ? ' (set PORT to a free port)' : '';
  process.stderr.write(`Pattern Gardener failed to start: ${err.message ?? String(e)}${hint}\n`);
  process.exit(1);
});

/**
 * Starts the server from environment variables: what `npm start` (src/server/main.ts) runs, callable in
 * process so tests exercise the same configuration, logging and wiring.
 */
import { readFileSync } from 'node:fs';
import type { ApplicationFunction } from 'probot';
import type { Logger } from 'pino';
import gardener from '../github/app.js';
import { ConfigError, readServerConfig, type ServerConfig } from './config.js';
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
  /** The app function (default: the default export of src/github/app.ts). */
  app?: ApplicationFunction;
}

export type RunServerResult =
  | { ok: true; running: RunningServer; config: ServerConfig; log: Logger }
  | { ok: false; exitCode: number; message: string };

export async function runServer(opts: RunServerOptions = {}): Promise<RunServerResult> {
  const stderr = opts.stderr ?? ((t: string) => void process.stderr.write(t));
  let config: ServerConfig;
  try {
    config = readServerConfig(opts.env ?? process.env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    stderr(`${e.message}\n`);
    return { ok: false, exitCode: 78, message: e.message }; // EX_CONFIG
  }
  const version = packageVersion();
  const log = createLogger({ level: config.logLevel, secrets: [config.privateKey, config.insecureSecret ? undefined : config.webhookSecret], base: { version }, write: opts.write });
  if (config.insecureSecret) log.warn('WEBHOOK_SECRET is not set; NODE_ENV=development uses the well-known secret "development". Never do this in production.');
  const probot = probotFromConfig(config, { log });
  let running: RunningServer;
  try {
    running = await startServer({ probot, app: opts.app ?? gardener, log, port: config.port, host: config.host, webhookPath: config.webhookPath, version });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const message = `Pattern Gardener failed to start: ${err.message}${err.code === 'EADDRINUSE' ? ` (port ${config.port} is in use; set PORT)` : ''}`;
    stderr(`${message}\n`);
    return { ok: false, exitCode: 1, message };
  }
  log.info(
    { port: running.port, webhookPath: config.webhookPath, appId: config.appId, api: config.baseUrl ?? 'https://api.github.com' },
    `Pattern Gardener ${version ?? ''} listening on ${running.url} (webhooks: ${config.webhookPath}, health: /healthz)`,
  );
  return { ok: true, running, config, log };
}

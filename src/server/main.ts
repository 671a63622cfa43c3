#!/usr/bin/env node
/**
 * `npm start`: Pattern Gardener as a GitHub App server against real GitHub (or GitHub Enterprise Server).
 * Configuration: environment variables, or `.env` in the working directory for those not set (see
 * src/server/config.ts, .env.example and docs/deployment.md). Without APP_ID and PRIVATE_KEY (and
 * outside production) it serves Probot's setup pages, which register the app from app.yml.
 * Keeps no local state: run as many replicas as you like behind a load balancer.
 */
import { loadDotEnv, runServer } from './run.js';

loadDotEnv(process.env);
const result = await runServer();
if (!result.ok) {
  process.exit(result.exitCode);
} else {
  const { running, log } = result;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, inFlight: running.inFlight() }, 'shutting down; waiting for deliveries in flight');
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

/** Builds the Probot instance every entry point uses, from a validated ServerConfig. */
import { Probot, ProbotOctokit } from 'probot';
import type { Logger } from 'pino';
import type { ServerConfig } from './config.js';

export interface ProbotFromConfigOptions {
  log: Logger;
  /** Octokit class (tests and the demo turn retry/throttling off); default ProbotOctokit. */
  Octokit?: typeof ProbotOctokit;
}

export function probotFromConfig(config: Pick<ServerConfig, 'appId' | 'privateKey' | 'webhookSecret' | 'baseUrl' | 'webhookPath'>, opts: ProbotFromConfigOptions): Probot {
  return new Probot({
    appId: config.appId,
    privateKey: config.privateKey,
    secret: config.webhookSecret,
    webhookPath: config.webhookPath,
    ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
    log: opts.log,
    ...(opts.Octokit ? { Octokit: opts.Octokit } : {}),
  });
}

/**
 * An Octokit for loopback stand-ins: no retries, no throttling. The function form of `defaults` forces the
 * options on installation clients too (see src/github/testing/probot.ts).
 */
export const UnthrottledOctokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({
  ...o,
  retry: { enabled: false },
  throttle: { enabled: false },
})) as typeof ProbotOctokit;

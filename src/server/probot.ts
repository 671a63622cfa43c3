/** Builds the Probot instance every entry point uses, from a validated ServerConfig. */
import { Probot, type ProbotOctokit } from 'probot';
import type { Logger } from 'pino';
import { policyOctokit } from '../github/resilience.js';
import type { ServerConfig } from './config.js';

/** Production's Octokit: Probot's throttling and retry plugins configured with the app's one policy. */
export const GardenerOctokit = policyOctokit();

export interface ProbotFromConfigOptions {
  log: Logger;
  /** Octokit class; default GardenerOctokit (the demo shortens the policy's waits for its loopback stand-in). */
  Octokit?: typeof ProbotOctokit;
}

export function probotFromConfig(
  config: Pick<ServerConfig, 'appId' | 'privateKey' | 'webhookSecret' | 'baseUrl' | 'webhookPath'> & Partial<Pick<ServerConfig, 'redisUrl'>>,
  opts: ProbotFromConfigOptions,
): Probot {
  return new Probot({
    appId: config.appId,
    privateKey: config.privateKey,
    secret: config.webhookSecret,
    webhookPath: config.webhookPath,
    ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
    // Probot clusters its throttling plugin through Redis (Bottleneck's IORedisConnection); the Octokit
    // class keeps that connection for its own limiter groups (resilience.ts).
    ...(config.redisUrl ? { redisConfig: config.redisUrl } : {}),
    log: opts.log,
    Octokit: opts.Octokit ?? GardenerOctokit,
  });
}

/**
 * An Octokit for loopback stand-ins: the production policy with GitHub's seconds as milliseconds (write
 * spacing, Retry-After and backoff), so a demo event does not wait seconds between its writes.
 */
export const LoopbackOctokit: typeof ProbotOctokit = policyOctokit({ msPerSecond: 1 });

/** A Probot instance wired for nock-mocked GitHub (tests and the review bench). */
import { Probot } from 'probot';
import { createApp, type AppOptions } from '../../src/github/app.js';
import { policyOctokit, type RequestPolicy } from '../../src/github/resilience.js';
import type { Outcome } from '../../src/github/review-pull-request.js';
import type { LinkCommandOutcome } from '../../src/github/link-commands.js';
import { testKey } from '../helpers/key.js';

/**
 * The production request policy (retries, rate limits, timeouts, write spacing) with GitHub's seconds
 * shrunk to milliseconds: the tests run the wiring production runs, without its waits.
 */
export const TEST_POLICY: Partial<RequestPolicy> = { msPerSecond: 1 };
export const TestOctokit = policyOctokit(TEST_POLICY);

export { testKey } from '../helpers/key.js';

export function makeProbot(opts: AppOptions & { policy?: Partial<RequestPolicy> } = {}): {
  probot: Probot;
  outcomes: Outcome[];
  commands: LinkCommandOutcome[];
} {
  const outcomes: Outcome[] = [];
  const commands: LinkCommandOutcome[] = [];
  const Octokit = opts.policy ? policyOctokit({ ...TEST_POLICY, ...opts.policy }) : TestOctokit;
  const probot = new Probot({ appId: 1, privateKey: testKey(), Octokit, logLevel: 'warn' });
  void probot.load(
    createApp({
      today: () => ({ year: 2026, month: 2, day: 10 }),
      ...opts,
      onOutcome: (o) => {
        outcomes.push(o);
        opts.onOutcome?.(o);
      },
      onCommand: (o) => {
        commands.push(o);
        opts.onCommand?.(o);
      },
    }),
  );
  return { probot, outcomes, commands };
}

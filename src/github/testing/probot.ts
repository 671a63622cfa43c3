/** A Probot instance wired for nock-mocked GitHub (tests and the review bench). */
import { generateKeyPairSync } from 'node:crypto';
import { Probot, ProbotOctokit } from 'probot';
import { createApp, type AppOptions } from '../app.js';
import type { Outcome } from '../review-pull-request.js';
import type { LinkCommandOutcome } from '../link-commands.js';

/**
 * Retry and throttling off. The function form forces the options on every instance: with the object form
 * (`defaults({ throttle: { enabled: false } })`) installation clients still throttled writes to one per
 * second here, which made each event take seconds.
 */
export const TestOctokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } }));

let key: string | undefined;
export function testKey(): string {
  key ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  return key;
}

export function makeProbot(opts: AppOptions = {}): { probot: Probot; outcomes: Outcome[]; commands: LinkCommandOutcome[] } {
  const outcomes: Outcome[] = [];
  const commands: LinkCommandOutcome[] = [];
  const probot = new Probot({ appId: 1, privateKey: testKey(), Octokit: TestOctokit, logLevel: 'warn' });
  void probot.load(
    createApp({
      today: () => ({ year: 2026, month: 2, day: 10 }),
      ...opts,
      // Retries (resilience.ts) without real waits; tests that look at the waits pass their own sleep.
      resilience: { sleep: async () => {}, ...opts.resilience },
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

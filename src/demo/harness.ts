/**
 * The demo environment, shared by `npm run demo` and the end-to-end tests: the loopback GitHub stand-in with
 * the sample repository, and the real Probot HTTP server (src/server/http.ts, the code `npm start` runs)
 * pointed at it, with a generated RSA key and a random webhook secret. Nothing leaves 127.0.0.1.
 */
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ApplicationFunction } from 'probot';
import { createApp, type AppOptions } from '../github/app.js';
import type { Outcome } from '../github/review-pull-request.js';
import { startServer, type RunningServer } from '../server/http.js';
import { createLogger } from '../server/logger.js';
import { probotFromConfig, LoopbackOctokit } from '../server/probot.js';
import type { DeliveryRecord } from '../server/deliveries.js';
import { deliverWebhook, loadSampleRepo, startStandin, type Standin } from '../standin/index.js';
import type { CalendarDate } from '../core/dates.js';

export const DEMO_TODAY: CalendarDate = { year: 2026, month: 11, day: 21 };

export interface DemoEnvironmentOptions {
  today?: CalendarDate;
  /** Logger for the server (default: JSON lines at `warn` to stderr). */
  log?: Logger;
  /** The app function (default: createApp({ today }) from src/github/app.ts). */
  app?: ApplicationFunction;
  appOptions?: AppOptions;
  /** Default: a fresh 2048-bit RSA key. */
  privateKey?: string;
  /** Default: 24 random bytes, hex. */
  secret?: string;
}

export interface DemoEnvironment {
  standin: Standin;
  server: RunningServer;
  secret: string;
  privateKey: string;
  outcomes: Outcome[];
  deliveries: DeliveryRecord[];
  /** Sends a signed `pull_request` delivery for PR `number` over HTTP. */
  deliverPullRequest(
    number: number,
    opts?: { action?: 'opened' | 'synchronize' | 'reopened'; id?: string; secret?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: string; id: string }>;
  close(): Promise<void>;
}

export function generatePrivateKey(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
}

export async function startDemoEnvironment(opts: DemoEnvironmentOptions = {}): Promise<DemoEnvironment> {
  const today = opts.today ?? DEMO_TODAY;
  const sample = loadSampleRepo();
  const standin = await startStandin({ repo: sample.repo, pulls: sample.pulls, port: 0 });
  const secret = opts.secret ?? randomBytes(24).toString('hex');
  const privateKey = opts.privateKey ?? generatePrivateKey();
  const outcomes: Outcome[] = [];
  const deliveries: DeliveryRecord[] = [];
  const log = opts.log ?? createLogger({ level: 'warn', secrets: [privateKey, secret], write: (l) => void process.stderr.write(l) });
  const app =
    opts.app ??
    createApp({
      ...opts.appOptions,
      today: () => today,
      onOutcome: (o) => {
        outcomes.push(o);
        opts.appOptions?.onOutcome?.(o);
      },
    });
  let server: RunningServer;
  try {
    const probot = probotFromConfig(
      { appId: 1, privateKey, webhookSecret: secret, baseUrl: standin.url, webhookPath: '/api/github/webhooks' },
      { log, Octokit: LoopbackOctokit },
    );
    server = await startServer({ probot, app, log, port: 0, host: '127.0.0.1', onDelivery: (r) => deliveries.push(r) });
  } catch (e) {
    await standin.close();
    throw e;
  }
  return {
    standin,
    server,
    secret,
    privateKey,
    outcomes,
    deliveries,
    deliverPullRequest: async (number, o = {}) => {
      const id = o.id ?? randomUUID();
      const r = await deliverWebhook({
        url: server.webhookUrl,
        secret: o.secret ?? secret,
        event: 'pull_request',
        id,
        payload: standin.pullRequestPayload(number, o.action ?? 'opened'),
        headers: o.headers,
      });
      return { ...r, id };
    },
    close: async () => {
      await server.close(5_000);
      await standin.close();
    },
  };
}

/** Polls `done` every 25 ms until it returns true; throws a clear error after `timeoutMs`. */
export async function waitFor(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Waits until PR `number` has one more completed "Pattern Gardener" check run than `before` on its head. */
export async function waitForReview(env: DemoEnvironment, number: number, before: { completedRuns: number }, timeoutMs = 30_000): Promise<void> {
  const head = env.standin.model.pulls.get(number)?.head.sha;
  await waitFor(() => completedRuns(env.standin, head) > before.completedRuns, timeoutMs, `a completed "Pattern Gardener" check run on PR #${number}`);
}

export function completedRuns(standin: Standin, headSha: string | undefined): number {
  return standin.state.checkRuns.filter((c) => c.head_sha === headSha && c.name === 'Pattern Gardener' && c.status === 'completed').length;
}

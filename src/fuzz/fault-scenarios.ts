/**
 * Fault scenarios on the production wiring: the real Probot server (src/server/http.ts, as `npm start`
 * builds it, with Probot's retry and throttling plugins configured by the app's one request policy) and the
 * app of src/github/app.ts, talking to the stand-in through the fault-injecting proxy (src/standin/faults.ts).
 * Time is scaled down, nothing else: GitHub's seconds are milliseconds (Retry-After, backoff, write spacing),
 * request timeouts are 2 s, the garden retries a failed sweep after 0.2 s and 0.4 s.
 *
 * Each scenario runs once without faults to learn what it should leave behind, then under faults; the
 * invariants compare the stand-in's state with that (see `checkInvariants`).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { pino } from 'pino';
import type { CalendarDate } from '../core/dates.js';
import { generatePrivateKey } from '../demo/harness.js';
import { DASHBOARD_MARKER } from '../garden/dashboard.js';
import { slugOfBody } from '../garden/issue.js';
import { createApp } from '../github/app.js';
import { CHECK_NAME, NOT_CHECKED } from '../github/check-run.js';
import { policyOctokit } from '../github/resilience.js';
import type { Outcome } from '../github/review-pull-request.js';
import { clearSnapshotCache } from '../github/snapshot.js';
import type { DeliveryRecord } from '../server/deliveries.js';
import { startServer, type RunningServer } from '../server/http.js';
import { probotFromConfig } from '../server/probot.js';
import { startFaultProxy, type FaultProxy, type FaultProxyOptions, type InjectedFault } from '../standin/faults.js';
import { advancePull, deliverWebhook, loadSampleRepo, startStandin, type Standin, type StandinState } from '../standin/index.js';

export const SCENARIOS = ['one-delivery', 'same-delivery-thrice', 'synchronize-race', 'rerequested', 'two-sweeps'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

const PR_TODAY: CalendarDate = { year: 2026, month: 11, day: 21 };
/** A date at which four of the sample repository's patterns are replant candidates. */
const SWEEP_TODAY: CalendarDate = { year: 2028, month: 4, day: 25 };
const RACED_FILE = 'patterns/seed-swap-festival.md';

/** What one run left behind, read from the stand-in. */
export interface Observed {
  /** Per head SHA: the completed runs (annotation keys, conclusion, title) and how many were left open. */
  runs: Map<string, { completed: { conclusion: string | null; title: string; annotations: string[] }[]; open: number }>;
  reviewsBySha: Map<string, number>;
  /** Fingerprint markers of the bot's top-level review comments, per pull request. */
  fingerprints: Map<number, string[]>;
  /** Replant issues per slug (any state) and how many are open. */
  issues: Map<string, { total: number; open: number }>;
  dashboards: { total: number; open: number };
}

/** What a scenario's invariants hold its run to. */
export interface Expectation {
  /** Head SHAs whose check runs are checked in full, with the exact number of completed runs each must have. */
  heads: Map<string, number>;
  /** Other SHAs: at most this many completed runs (a head that moved during the run). */
  otherMaxRuns: number;
  sweep: boolean;
}

export interface RunResult {
  scenario: ScenarioName;
  seed: number;
  probability: number;
  observed: Observed;
  expectation: Expectation;
  faults: InjectedFault[];
  requests: number;
  deliveries: DeliveryRecord[];
  outcomes: Outcome[];
  unhandled: string[];
  /** Warnings and errors the server logged. */
  log: string[];
  ms: number;
}

export interface RunOptions {
  seed: number;
  /** Share of requests that meet a fault (0: the reference run). */
  probability: number;
  /** Other proxy settings (fault kinds, spared requests) for a focused experiment. */
  proxy?: Partial<Omit<FaultProxyOptions, 'target' | 'seed' | 'probability'>>;
}

let key: string | undefined;
const privateKey = (): string => (key ??= generatePrivateKey());

interface Env {
  standin: Standin;
  proxy: FaultProxy;
  server: RunningServer;
  secret: string;
  deliver(event: string, payload: Record<string, unknown>, id?: string): Promise<{ status: number }>;
  /** Resolves once the app has finished with everything delivered, garden retries included. */
  settled(): Promise<void>;
}

async function withEnvironment(
  scenario: ScenarioName,
  today: CalendarDate,
  opts: RunOptions,
  outcomes: Outcome[],
  deliveries: DeliveryRecord[],
  log: string[],
  fn: (env: Env) => Promise<void>,
): Promise<number> {
  let sent = 0;
  /** Repositories whose last sweep attempt scheduled a retry. */
  const retrying = new Set<string>();
  clearSnapshotCache();
  const sample = loadSampleRepo();
  const standin = await startStandin({ repo: sample.repo, pulls: sample.pulls });
  // The scenario's name is part of the seed: each scenario meets its own faults.
  const seed = [...scenario].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0, opts.seed);
  const proxy = await startFaultProxy({ retryAfterS: 1, latencyMs: [10, 150], ...opts.proxy, target: standin.url, seed, probability: opts.probability });
  const secret = randomBytes(16).toString('hex');
  const logger = pino({ level: 'warn' }, { write: (l: string) => void log.push(l.trimEnd()) });
  let server: RunningServer | undefined;
  try {
    const probot = probotFromConfig(
      { appId: 1, privateKey: privateKey(), webhookSecret: secret, baseUrl: proxy.url, webhookPath: '/api/github/webhooks' },
      // The production policy; GitHub's seconds as milliseconds and a 2 s timeout, so a stall costs 2 s.
      { log: logger, Octokit: policyOctokit({ msPerSecond: 1, timeoutMs: 2_000, tarballTimeoutMs: 4_000 }) },
    );
    const scaledSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.ceil(ms / 1000)));
    const app = createApp({
      today: () => today,
      onOutcome: (o) => outcomes.push(o),
      warmOnPush: false,
      // The production waits (10 s, 30 s) as milliseconds, like every other wait here.
      reviewRetryDelaysMs: [10, 30],
      garden: {
        pacing: { sleep: scaledSleep, timeoutMs: 2_000, tarballTimeoutMs: 4_000 },
        retryDelaysMs: [200, 400],
        onSweep: (r) => {
          if (r.retryInMs !== undefined) retrying.add(r.repo);
          else if (r.outcome !== 'skipped') retrying.delete(r.repo);
        },
      },
    });
    server = await startServer({ probot, app, log: logger, port: 0, host: '127.0.0.1', onDelivery: (r) => deliveries.push(r) });
    const url = server.webhookUrl;
    const env: Env = {
      standin,
      proxy,
      server,
      secret,
      deliver: (event, payload, id = randomUUID()) => {
        sent++;
        return deliverWebhook({ url, secret, event, id, payload });
      },
      settled: async () => {
        // Every delivery handled (Probot may answer 202 before its handlers end), no sweep retry pending,
        // nothing in flight, then a short quiet spell.
        const end = Date.now() + 120_000;
        while (Date.now() < end && (deliveries.length < sent || retrying.size > 0)) await new Promise((r) => setTimeout(r, 20));
        await quiet(proxy, 150);
      },
    };
    await fn(env);
    return proxy.requests();
  } finally {
    await server?.close(5_000);
    await proxy.close();
    await standin.close();
  }
}

/** Waits until the proxy has had no request in flight and no new request for `ms` (the garden's retries are done). */
async function quiet(proxy: FaultProxy, ms: number, maxMs = 60_000): Promise<void> {
  const end = Date.now() + maxMs;
  let last = -1;
  let since = Date.now();
  while (Date.now() < end) {
    const n = proxy.requests();
    if (n !== last || proxy.inFlight() > 0) {
      last = n;
      since = Date.now();
    } else if (Date.now() - since >= ms) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function checkRunPayload(standin: Standin, number: number): Record<string, unknown> {
  const pr = standin.pullRequestPayload(number, 'synchronize');
  const pull = pr.pull_request as { head: { sha: string; ref: string }; base: { sha: string; ref: string }; number: number };
  const run = [...standin.state.checkRuns].reverse().find((r) => r.head_sha === pull.head.sha && r.name === CHECK_NAME);
  const ref = { number: pull.number, head: { sha: pull.head.sha, ref: pull.head.ref }, base: { sha: pull.base.sha, ref: pull.base.ref } };
  return {
    action: 'rerequested',
    check_run: {
      id: run?.id ?? 1,
      name: CHECK_NAME,
      head_sha: pull.head.sha,
      status: 'completed',
      external_id: run?.external_id ?? '',
      pull_requests: [ref],
      check_suite: { id: 7001, head_sha: pull.head.sha },
    },
    repository: pr.repository,
    installation: pr.installation,
    sender: pr.sender,
  };
}

function checkSuitePayload(standin: Standin, number: number): Record<string, unknown> {
  const pr = standin.pullRequestPayload(number, 'synchronize');
  const pull = pr.pull_request as { head: { sha: string; ref: string }; base: { sha: string; ref: string }; number: number };
  return {
    action: 'rerequested',
    check_suite: {
      id: 7001,
      head_sha: pull.head.sha,
      head_branch: pull.head.ref,
      status: 'completed',
      pull_requests: [{ number: pull.number, head: pull.head, base: pull.base }],
    },
    repository: pr.repository,
    installation: pr.installation,
    sender: pr.sender,
  };
}

/** The second head of the race: the dangling link fixed and a line added. */
function movedHead(standin: Standin): Map<string, string> {
  const files = new Map(standin.model.pulls.get(1)!.head.files);
  const text = files.get(RACED_FILE)!;
  files.set(RACED_FILE, text.replace('neighborhood-seed-bank', 'neighbourhood-seed-bank').concat('\nAn added closing line.\n'));
  return files;
}

async function waitForRequests(proxy: FaultProxy, n: number, maxMs = 20_000): Promise<void> {
  const end = Date.now() + maxMs;
  while (proxy.requests() < n && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
}

/** Runs one scenario; the stand-in's state is read into `observed` before everything is closed. */
export async function runScenario(scenario: ScenarioName, opts: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const outcomes: Outcome[] = [];
  const deliveries: DeliveryRecord[] = [];
  const log: string[] = [];
  const unhandled: string[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(String((reason as Error)?.stack ?? reason));
  process.on('unhandledRejection', onUnhandled);
  let observed: Observed | undefined;
  let expectation: Expectation | undefined;
  let faults: InjectedFault[] = [];
  let requests = 0;
  try {
    requests = await withEnvironment(scenario, scenario === 'two-sweeps' ? SWEEP_TODAY : PR_TODAY, opts, outcomes, deliveries, log, async (env) => {
      const { standin } = env;
      const head = standin.model.pulls.get(1)!.head.sha;
      const pr = (action: string) => standin.pullRequestPayload(1, action as 'opened');
      switch (scenario) {
        case 'one-delivery':
          await env.deliver('pull_request', pr('opened'));
          expectation = { heads: new Map([[head, 1]]), otherMaxRuns: 0, sweep: false };
          break;
        case 'same-delivery-thrice': {
          const id = randomUUID();
          const payload = pr('opened');
          await Promise.all([0, 1, 2].map(() => env.deliver('pull_request', payload, id)));
          expectation = { heads: new Map([[head, 1]]), otherMaxRuns: 0, sweep: false };
          break;
        }
        case 'synchronize-race': {
          const first = env.deliver('pull_request', pr('synchronize'));
          // The head moves after a seeded number of the first event's requests.
          await waitForRequests(env.proxy, 1 + (opts.seed % 9));
          const moved = advancePull(standin.model, 1, movedHead(standin), 'Fix the link');
          const second = env.deliver('pull_request', pr('synchronize'));
          await Promise.all([first, second]);
          expectation = { heads: new Map([[moved.sha, 1]]), otherMaxRuns: 1, sweep: false };
          break;
        }
        case 'rerequested': {
          await env.deliver('pull_request', pr('opened'));
          await env.settled();
          const rerun = checkRunPayload(standin, 1);
          const id = randomUUID();
          await Promise.all([
            env.deliver('check_run', rerun, id),
            env.deliver('check_run', rerun, id),
            env.deliver('check_suite', checkSuitePayload(standin, 1)),
          ]);
          // One run for the pull request event, one for the re-request (the three deliveries are one).
          expectation = { heads: new Map([[head, 2]]), otherMaxRuns: 0, sweep: false };
          break;
        }
        case 'two-sweeps': {
          const p = pr('opened');
          const dispatch = {
            action: 'gardener-sweep',
            branch: 'main',
            client_payload: {},
            repository: p.repository,
            installation: p.installation,
            sender: p.sender,
          };
          await Promise.all([env.deliver('repository_dispatch', dispatch), env.deliver('repository_dispatch', dispatch)]);
          expectation = { heads: new Map(), otherMaxRuns: 0, sweep: true };
          break;
        }
      }
      await env.settled();
      observed = observe(standin.state);
      faults = [...env.proxy.injected];
    });
  } finally {
    // Rejections surface on the next turns of the event loop.
    await new Promise((r) => setTimeout(r, 20));
    process.off('unhandledRejection', onUnhandled);
  }
  return {
    scenario,
    seed: opts.seed,
    probability: opts.probability,
    observed: observed!,
    expectation: expectation!,
    faults,
    requests,
    deliveries,
    outcomes,
    unhandled,
    log,
    ms: Date.now() - started,
  };
}

const FP_RE = /<!-- pattern-gardener:fp=([0-9a-f]+) -->/;

export function observe(state: StandinState): Observed {
  const runs: Observed['runs'] = new Map();
  for (const r of state.checkRuns) {
    if (r.name !== CHECK_NAME) continue;
    const e = runs.get(r.head_sha) ?? { completed: [], open: 0 };
    if (r.status === 'completed')
      e.completed.push({
        conclusion: r.conclusion,
        title: r.output.title ?? '',
        annotations: r.annotations.map((a) => JSON.stringify([a.path, a.start_line, a.end_line, a.annotation_level, a.title, a.message])),
      });
    else e.open++;
    runs.set(r.head_sha, e);
  }
  const reviewsBySha = new Map<string, number>();
  for (const r of state.reviews) if (r.user.type === 'Bot') reviewsBySha.set(r.commit_id, (reviewsBySha.get(r.commit_id) ?? 0) + 1);
  const fingerprints = new Map<number, string[]>();
  for (const c of state.reviewComments) {
    if (c.user.type !== 'Bot' || c.in_reply_to_id !== undefined) continue;
    const fp = FP_RE.exec(c.body)?.[1];
    if (!fp) continue;
    fingerprints.set(c.pull_number, [...(fingerprints.get(c.pull_number) ?? []), fp]);
  }
  const issues: Observed['issues'] = new Map();
  const dashboards = { total: 0, open: 0 };
  for (const i of state.issues) {
    if ((i.body ?? '').includes(DASHBOARD_MARKER)) {
      dashboards.total++;
      if (i.state === 'open') dashboards.open++;
      continue;
    }
    const slug = slugOfBody(i.body ?? '');
    if (!slug) continue;
    const e = issues.get(slug) ?? { total: 0, open: 0 };
    e.total++;
    if (i.state === 'open') e.open++;
    issues.set(slug, e);
  }
  return { runs, reviewsBySha, fingerprints, issues, dashboards };
}

/**
 * The invariants, `run` against the fault-free `reference` of the same scenario:
 * one completed check run per SHA and event kind and none left in progress; for the final heads the
 * reference's conclusion and every one of its annotations, none twice; one review per head SHA (as many
 * as the reference); no fingerprint posted twice on a pull request; one issue per pattern of the
 * reference, open, and one open dashboard; no unhandled rejection.
 */
export function checkInvariants(run: RunResult, reference: RunResult): string[] {
  const v: string[] = [];
  const { observed: o, expectation: x } = run;
  for (const [sha, r] of o.runs) {
    if (r.open > 0) v.push(`${sha.slice(0, 7)}: ${r.open} check run(s) left in progress`);
    const want = x.heads.get(sha);
    if (want === undefined && r.completed.length > x.otherMaxRuns)
      v.push(`${sha.slice(0, 7)}: ${r.completed.length} completed check runs (at most ${x.otherMaxRuns})`);
    for (const c of r.completed) {
      const dup = c.annotations.length - new Set(c.annotations).size;
      if (dup > 0) v.push(`${sha.slice(0, 7)}: ${dup} duplicate annotation(s) in one run`);
    }
  }
  for (const [sha, want] of x.heads) {
    const r = o.runs.get(sha);
    const got = r?.completed.length ?? 0;
    if (got !== want) v.push(`${sha.slice(0, 7)}: ${got} completed check run(s), expected ${want}`);
    const ref = reference.observed.runs.get(sha)?.completed.at(-1);
    const last = r?.completed.at(-1);
    if (!ref || !last) continue;
    if (last.title.startsWith(NOT_CHECKED)) v.push(`${sha.slice(0, 7)}: the run ended "${last.title}"`);
    if (last.conclusion !== ref.conclusion) v.push(`${sha.slice(0, 7)}: conclusion ${last.conclusion}, expected ${ref.conclusion}`);
    const have = new Set(last.annotations);
    const missing = ref.annotations.filter((a) => !have.has(a));
    if (missing.length > 0) v.push(`${sha.slice(0, 7)}: ${missing.length} finding(s) of the fault-free run missing: ${missing.slice(0, 2).join('; ')}`);
  }
  for (const [sha, n] of o.reviewsBySha) {
    const want = reference.observed.reviewsBySha.get(sha) ?? 0;
    if (x.heads.has(sha) ? n !== want : n > 1) v.push(`${sha.slice(0, 7)}: ${n} reviews, expected ${x.heads.has(sha) ? want : 'at most 1'}`);
  }
  for (const [sha, want] of reference.observed.reviewsBySha)
    if (x.heads.has(sha) && !o.reviewsBySha.has(sha) && want > 0) v.push(`${sha.slice(0, 7)}: no review, expected ${want}`);
  for (const [pr, fps] of o.fingerprints) {
    const dup = fps.length - new Set(fps).size;
    if (dup > 0) v.push(`#${pr}: ${dup} fingerprint(s) posted twice`);
  }
  if (x.sweep) {
    for (const [slug, ref] of reference.observed.issues) {
      const got = o.issues.get(slug);
      if (!got || got.open !== 1 || got.total !== 1)
        v.push(`issue for ${slug}: ${got?.total ?? 0} issue(s), ${got?.open ?? 0} open; expected one, open (reference ${ref.total})`);
    }
    for (const slug of o.issues.keys()) if (!reference.observed.issues.has(slug)) v.push(`issue for ${slug}: not in the fault-free run`);
    if (o.dashboards.total !== 1 || o.dashboards.open !== 1) v.push(`${o.dashboards.total} dashboard(s), ${o.dashboards.open} open; expected one`);
  }
  for (const u of run.unhandled) v.push(`unhandled rejection: ${u.split('\n')[0]}`);
  return v;
}

export interface ScenarioReport {
  scenario: ScenarioName;
  seeds: number[];
  /** Violations per seed (empty: it held). */
  violations: Map<number, string[]>;
  faults: number;
  requests: number;
  ms: number;
  reference: RunResult;
  runs: RunResult[];
}

/** The reference run and one run per seed of a scenario, with their violations. */
export async function runSeeds(
  scenario: ScenarioName,
  seeds: readonly number[],
  probability: number,
  onRun?: (r: RunResult, violations: string[]) => void,
): Promise<ScenarioReport> {
  const reference = await runScenario(scenario, { seed: 0, probability: 0 });
  const refViolations = checkInvariants(reference, reference);
  const report: ScenarioReport = { scenario, seeds: [...seeds], violations: new Map(), faults: 0, requests: 0, ms: 0, reference, runs: [] };
  if (refViolations.length > 0)
    report.violations.set(
      -1,
      refViolations.map((m) => `fault-free run: ${m}`),
    );
  for (const seed of seeds) {
    const r = await runScenario(scenario, { seed, probability });
    const violations = checkInvariants(r, reference);
    report.violations.set(seed, violations);
    report.faults += r.faults.length;
    report.requests += r.requests;
    report.ms += r.ms;
    report.runs.push(r);
    onRun?.(r, violations);
  }
  return report;
}

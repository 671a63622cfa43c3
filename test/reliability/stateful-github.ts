/**
 * A stateful nock-mocked GitHub for one pull request, for the reliability tests: reviews, threads and
 * check runs persist across requests (two racing runs see each other's writes), and faults can be
 * injected per route: an HTTP status (with headers), a timeout (the reply never comes in time), a
 * network error, or "apply then fail" (GitHub did the write but the response was a 502).
 */
import { Writable } from 'node:stream';
import nock from 'nock';
import { pino } from 'pino';
import { Probot } from 'probot';
import { createApp, type AppOptions } from '../../src/github/app.js';
import type { Outcome } from '../../src/github/review-pull-request.js';
import { TEST_POLICY, testKey } from '../doubles/probot.js';
import { policyOctokit, type RateLimitInfo, type RequestPolicy } from '../../src/github/resilience.js';
import { writeTarball } from '../../src/github/tarball.js';
import { pullFilesOf, type Tree } from '../doubles/fake-github.js';
import { makePattern } from '../doubles/patterns.js';

export const API = 'https://api.github.com';

/**
 * The small repository these tests review: three patterns; the head gives `alpha` a dangling,
 * typo'd link (`gama`), and with `betaTypo` also `beta` (`alpah`).
 */
export function typoTrees(opts: { betaTypo?: boolean } = {}): { base: Tree; head: Tree } {
  const base: Tree = new Map([
    ['patterns/alpha.md', makePattern({ slug: 'alpha' })],
    ['patterns/beta.md', makePattern({ slug: 'beta' })],
    ['patterns/gamma.md', makePattern({ slug: 'gamma' })],
  ]);
  const head = new Map(base);
  head.set('patterns/alpha.md', makePattern({ slug: 'alpha', relationships: { complementary: ['gama'] } }));
  if (opts.betaTypo) head.set('patterns/beta.md', makePattern({ slug: 'beta', relationships: { complementary: ['alpah'] } }));
  return { base, head };
}

export interface Sent {
  method: string;
  path: string;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

export type Fault = { status: number; body?: unknown; headers?: Record<string, string> } | { timeoutMs: number } | { network: string } | { applyThen: number };

interface FaultRule {
  match: (method: string, path: string, body: unknown) => boolean;
  fault: Fault;
  times: number;
}

export interface Review {
  id: number;
  commit_id: string;
  body: string;
  comments: { path: string; line: number; body: string }[];
}

export interface Thread {
  id: string;
  isResolved: boolean;
  body: string;
  reviewId: number;
}

export interface CheckRun {
  id: number;
  head_sha: string;
  name?: string;
  external_id?: string;
  status: string;
  conclusion?: string;
  output?: { title?: string; summary?: string; annotations?: { path: string; start_line: number; title: string }[] };
  annotations: { path: string; start_line: number; title: string }[];
}

export class StatefulGitHub {
  readonly sent: Sent[] = [];
  readonly reviews: Review[] = [];
  readonly threads: Thread[] = [];
  readonly checkRuns: CheckRun[] = [];
  /** Commits whose tarball exists (a force-pushed-away commit is missing). */
  readonly commits = new Map<string, Tree>();
  /** Files served by the contents API beside the config (schema files), by path. */
  readonly contents = new Map<string, string>();
  headRefOid: string;
  token = 'ghs_test';
  private faults: FaultRule[] = [];
  private nextId = 1000;

  constructor(
    readonly o: {
      number: number;
      headSha: string;
      baseSha: string;
      base: Tree;
      head: Tree;
      owner?: string;
      repo?: string;
      installationId?: number;
      config?: string;
    },
  ) {
    this.headRefOid = o.headSha;
    this.commits.set(o.headSha, o.head);
    this.commits.set(o.baseSha, o.base);
  }

  get repoPath(): string {
    return `/repos/${this.o.owner ?? 'commons-garden'}/${this.o.repo ?? 'patterns'}`;
  }

  /** Injects `fault` for the next `times` requests matching `method` and a path matching `path`. */
  fail(method: string, path: RegExp, fault: Fault, times = 1, bodyMatch: (b: unknown) => boolean = () => true): void {
    this.faults.push({ match: (m, p, b) => m === method && path.test(p) && bodyMatch(b), fault, times });
  }

  requests(method: string, path: RegExp): Sent[] {
    return this.sent.filter((s) => s.method === method && path.test(s.path));
  }

  install(): void {
    const self = this;
    const scope = nock(API).persist();
    for (const method of ['get', 'post', 'patch', 'put', 'delete'] as const) {
      scope[method](() => true).reply(function (
        this: { req: { headers: Record<string, string | string[] | undefined> } },
        uri: string,
        body: unknown,
        cb: (err: Error | null, res?: [number, unknown, Record<string, string>?]) => void,
      ) {
        self.handle(method.toUpperCase(), uri, body, this.req.headers, cb);
      } as never);
    }
  }

  private handle(
    method: string,
    uri: string,
    body: unknown,
    headers: Record<string, string | string[] | undefined>,
    cb: (err: Error | null, res?: [number, unknown, Record<string, string>?]) => void,
  ): void {
    const path = decodeURIComponent(uri);
    this.sent.push({ method, path, body, headers });
    const rule = this.faults.find((f) => f.times > 0 && f.match(method, path, body));
    if (rule) {
      rule.times--;
      const f = rule.fault;
      if ('status' in f) return cb(null, [f.status, f.body ?? { message: `fault ${f.status}` }, f.headers ?? {}]);
      if ('network' in f) return cb(Object.assign(new Error(f.network), { code: f.network }));
      if ('timeoutMs' in f) {
        setTimeout(() => cb(null, this.route(method, path, body)), f.timeoutMs).unref();
        return;
      }
      this.route(method, path, body);
      return cb(null, [f.applyThen, { message: 'Bad Gateway' }]);
    }
    cb(null, this.route(method, path, body));
  }

  private route(method: string, path: string, body: unknown): [number, unknown, Record<string, string>?] {
    const b = (body ?? {}) as Record<string, any>;
    const rp = this.repoPath;
    if (method === 'POST' && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
      return [
        201,
        {
          token: this.token,
          expires_at: '2099-01-01T00:00:00Z',
          permissions: { checks: 'write', pull_requests: 'write', contents: 'read', issues: 'write' },
          repository_selection: 'all',
        },
      ];
    }
    if (method === 'GET' && path.includes('/contents/.github/pattern-gardener.yml')) {
      if (this.o.config !== undefined && path.startsWith(`${rp}/`)) return [200, this.o.config, { 'content-type': 'text/plain; charset=utf-8' }];
      return [404, { message: 'Not Found' }];
    }
    if (method === 'POST' && path === `${rp}/check-runs`) {
      if (!this.commits.has(b.head_sha)) return [422, { message: `No commit found for SHA: ${b.head_sha}` }];
      const run: CheckRun = {
        id: this.nextId++,
        head_sha: b.head_sha,
        name: b.name,
        external_id: b.external_id,
        status: b.status,
        conclusion: b.conclusion,
        output: b.output,
        annotations: [...(b.output?.annotations ?? [])],
      };
      this.checkRuns.push(run);
      return [201, this.runJson(run)];
    }
    if (method === 'GET' && new URL(path, API).pathname === `${rp}/pulls`) {
      const full = `${this.o.owner ?? 'commons-garden'}/${this.o.repo ?? 'patterns'}`;
      return [
        200,
        [
          {
            number: this.o.number,
            state: 'open',
            head: { sha: this.headRefOid, repo: { full_name: full } },
            base: { sha: this.o.baseSha, repo: { full_name: full } },
          },
        ],
      ];
    }
    const list = /^\/repos\/[^/]+\/[^/]+\/commits\/([0-9a-f]{40})\/check-runs/.exec(path);
    if (method === 'GET' && list) {
      if (!this.commits.has(list[1]!)) return [422, { message: `No commit found for SHA: ${list[1]}` }];
      const name = new URL(path, API).searchParams.get('check_name');
      const runs = this.runsFor(list[1]!)
        .filter((r) => !name || r.name === name)
        .reverse();
      return [200, { total_count: runs.length, check_runs: runs.map((r) => this.runJson(r)) }];
    }
    const ann = /^\/repos\/[^/]+\/[^/]+\/check-runs\/(\d+)\/annotations/.exec(path);
    if (method === 'GET' && ann) {
      const run = this.checkRuns.find((r) => r.id === Number(ann[1]));
      if (!run) return [404, { message: 'Not Found' }];
      const q = new URL(path, API).searchParams;
      const per = Number(q.get('per_page') ?? 30);
      const page = Number(q.get('page') ?? 1);
      return [200, run.annotations.slice((page - 1) * per, page * per)];
    }
    const one = /^\/repos\/[^/]+\/[^/]+\/check-runs\/(\d+)$/.exec(path);
    if (method === 'GET' && one) {
      const run = this.checkRuns.find((r) => r.id === Number(one[1]));
      return run ? [200, this.runJson(run)] : [404, { message: 'Not Found' }];
    }
    const file = /^\/repos\/[^/]+\/[^/]+\/contents\/([^?]+)/.exec(path);
    if (method === 'GET' && file && this.contents.has(file[1]!)) {
      const text = this.contents.get(file[1]!)!;
      return [200, text, { 'content-type': 'text/plain; charset=utf-8' }];
    }
    const cr = /^\/repos\/[^/]+\/[^/]+\/check-runs\/(\d+)$/.exec(path);
    if (method === 'PATCH' && cr) {
      const run = this.checkRuns.find((r) => r.id === Number(cr[1]));
      if (!run || !this.commits.has(run.head_sha)) return [404, { message: 'Not Found' }];
      if (b.status) run.status = b.status;
      if (b.conclusion) run.conclusion = b.conclusion;
      if (b.output) {
        run.output = b.output;
        run.annotations.push(...(b.output.annotations ?? []));
      }
      return [200, { id: run.id }];
    }
    if (method === 'GET' && path.startsWith(`${rp}/pulls/${this.o.number}/files`)) {
      return [
        200,
        Number(new URL(path, API).searchParams.get('page') ?? 1) > 1 ? [] : pullFilesOf(this.o.base, this.commits.get(this.headRefOid) ?? this.o.head),
      ];
    }
    const tb = /\/tarball\/([0-9a-f]{40})$/.exec(path);
    if (method === 'GET' && tb) {
      const tree = this.commits.get(tb[1]!);
      if (!tree) return [404, { message: 'Not Found' }];
      return [
        200,
        Buffer.from(
          writeTarball(
            [...tree].map(([p, content]) => ({ path: p, content })),
            `x-${tb[1]!.slice(0, 7)}`,
            { comment: tb[1]! },
          ),
        ),
        { 'content-type': 'application/x-gzip' },
      ];
    }
    if (method === 'POST' && path === `${rp}/pulls/${this.o.number}/reviews`) {
      if (!this.commits.has(b.commit_id)) return [422, { message: 'Unprocessable Entity', errors: ['commit_id is not part of the pull request'] }];
      const review: Review = { id: this.nextId++, commit_id: b.commit_id, body: b.body, comments: b.comments ?? [] };
      this.reviews.push(review);
      for (const c of review.comments) this.threads.push({ id: `PRRT_${this.nextId++}`, isResolved: false, body: c.body, reviewId: review.id });
      return [200, { id: review.id, state: 'COMMENTED' }];
    }
    if (method === 'POST' && path === '/graphql') {
      const q = String(b.query ?? '');
      if (q.includes('resolveReviewThread')) {
        for (const id of Object.values((b.variables ?? {}) as Record<string, string>)) {
          const t = this.threads.find((x) => x.id === id);
          if (t) t.isResolved = true;
        }
        return [200, { data: {} }];
      }
      if (q.includes('reviewThreads')) {
        const bot = { __typename: 'Bot', login: 'pattern-gardener[bot]' };
        return [
          200,
          {
            data: {
              repository: {
                pullRequest: {
                  headRefOid: this.headRefOid,
                  reviews: { nodes: this.reviews.slice(-50).map((r) => ({ body: r.body, author: bot, commit: { oid: r.commit_id } })) },
                  reviewThreads: {
                    pageInfo: { hasNextPage: false, endCursor: null },
                    nodes: this.threads.map((t) => ({ id: t.id, isResolved: t.isResolved, comments: { nodes: [{ body: t.body, author: bot }] } })),
                  },
                },
              },
            },
          },
        ];
      }
    }
    return [501, { message: `stateful fake: no route for ${method} ${path}` }];
  }

  private runJson(r: CheckRun): Record<string, unknown> {
    return {
      id: r.id,
      name: r.name,
      head_sha: r.head_sha,
      external_id: r.external_id ?? null,
      status: r.status,
      conclusion: r.conclusion ?? null,
      output: { title: r.output?.title ?? null, summary: r.output?.summary ?? null, annotations_count: r.annotations.length },
    };
  }

  /** Check runs on the head SHA, latest last. */
  runsFor(sha: string): CheckRun[] {
    return this.checkRuns.filter((r) => r.head_sha === sha);
  }
}

/**
 * Octokit as production builds it (src/github/resilience.ts policyOctokit: throttling and retry plugins
 * with the app's policy), GitHub's seconds shrunk to milliseconds and a 2 s per-attempt timeout: long
 * enough that no answer of the in-process GitHub times out on a loaded machine (the tests count requests).
 */
export const PROD_LIKE_TIMEOUT_MS = 2_000;
export const prodLikePolicy = (onRateLimit?: (i: RateLimitInfo) => void): Partial<RequestPolicy> => ({
  ...TEST_POLICY,
  timeoutMs: PROD_LIKE_TIMEOUT_MS,
  ...(onRateLimit ? { onRateLimit } : {}),
});
export const ProdLikeOctokit = policyOctokit(prodLikePolicy());

/** Captured pino output (JSON lines). */
export class LogSink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.text += chunk.toString('utf8');
    cb();
  }
}

export interface TestProbot {
  probot: Probot;
  outcomes: Outcome[];
  /** Rate limits the policy met, with GitHub's Retry-After and whether it retried. */
  limits: RateLimitInfo[];
  sink: LogSink;
}

/** A Probot with the app on the production policy, recording outcomes and the rate limits met. */
export function prodLikeProbot(opts: AppOptions & { privateKey?: string; secret?: string; level?: string; policy?: Partial<RequestPolicy> } = {}): TestProbot {
  const outcomes: Outcome[] = [];
  const limits: RateLimitInfo[] = [];
  const sink = new LogSink();
  const log = pino({ level: opts.level ?? 'debug' }, sink);
  const Octokit = policyOctokit({ ...prodLikePolicy((i) => void limits.push(i)), ...opts.policy });
  const probot = new Probot({ appId: 1, privateKey: opts.privateKey ?? testKey(), Octokit, log, ...(opts.secret ? { secret: opts.secret } : {}) });
  void probot.load(
    createApp({
      today: () => ({ year: 2026, month: 2, day: 10 }),
      garden: false,
      // One attempt per event unless a test asks for more: these tests count requests per attempt.
      reviewRetryDelaysMs: [],
      ...opts,
      onOutcome: (o) => void outcomes.push(o),
    }),
  );
  return { probot, outcomes, limits, sink };
}

/**
 * GardenGitHub over any Octokit (@octokit/rest in Actions, ProbotOctokit in the app), plus
 * the GitHub-side loaders: the tree from one tarball request and bounded file history.
 *
 * Pacing: content-creating requests (POST/PATCH/PUT/DELETE) are spaced (default 1 s apart)
 * and counted per rolling minute (80) and hour (500), GitHub's secondary-limit guidance.
 * A 403/429 rate limit waits Retry-After (or until the reset) and retries. Every attempt has a
 * timeout, and one sweep has a deadline: past it, requests fail at once instead of holding the event.
 */
import { isTransient, rateLimitDelay } from '../github/resilience.js';
import { readTarball, tarballBytes } from '../github/tarball.js';
import { sharedDownload } from '../github/shared-download.js';
import type { IssuePatch, IssueSnapshot, GardenGitHub } from './sync.js';
import { isSubstantive } from './history.js';

export interface RequestResponse {
  status: number;
  data: unknown;
  headers: Record<string, string | number | undefined>;
}

/** The one Octokit method used: `octokit.request(route, params)`. */
export interface OctokitLike {
  request: (route: string, params?: Record<string, unknown>) => Promise<RequestResponse>;
}

/** Adapts an Octokit instance without tying this module to one Octokit type. */
export function asOctokitLike(octokit: { request: unknown }): OctokitLike {
  const req = octokit.request as (route: string, params?: Record<string, unknown>) => Promise<RequestResponse>;
  return { request: (route, params) => req(route, params) };
}

export interface PacingOptions {
  /** Minimum milliseconds between content-creating requests. */
  spacingMs?: number;
  perMinute?: number;
  perHour?: number;
  /** Longest Retry-After honoured before giving up, in ms. */
  maxWaitMs?: number;
  retries?: number;
  /** Per-attempt timeout of API requests (default 30 s). */
  timeoutMs?: number;
  /** Per-attempt timeout of the tarball download (default 5 min). */
  tarballTimeoutMs?: number;
  /** Time one sweep may spend on requests, counted from the Pacer's creation (default 20 min). */
  deadlineMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The sweep ran out of time: nothing was sent. Not transient: the sweep stops writing. */
export class SweepDeadlineError extends Error {
  override name = 'SweepDeadlineError';
}

export class Pacer {
  private readonly writes: number[] = [];
  private last = -Infinity;
  readonly opts: Required<PacingOptions>;
  readonly deadline: number;

  constructor(opts: PacingOptions = {}) {
    this.opts = {
      spacingMs: opts.spacingMs ?? 1000,
      perMinute: opts.perMinute ?? 80,
      perHour: opts.perHour ?? 500,
      maxWaitMs: opts.maxWaitMs ?? 15 * 60_000,
      retries: opts.retries ?? 3,
      timeoutMs: opts.timeoutMs ?? 30_000,
      tarballTimeoutMs: opts.tarballTimeoutMs ?? 5 * 60_000,
      deadlineMs: opts.deadlineMs ?? 20 * 60_000,
      sleep: opts.sleep ?? realSleep,
      now: opts.now ?? Date.now,
    };
    this.deadline = this.opts.now() + this.opts.deadlineMs;
  }

  /** Milliseconds left before the sweep's deadline. */
  remaining(): number {
    return this.deadline - this.opts.now();
  }

  /** Waits until one more content-creating request is allowed. */
  async beforeWrite(): Promise<void> {
    const { now, sleep } = this.opts;
    for (;;) {
      const t = now();
      while (this.writes.length && this.writes[0]! <= t - 3_600_000) this.writes.shift();
      const lastMinute = this.writes.filter((w) => w > t - 60_000);
      let wait = Math.max(0, this.last + this.opts.spacingMs - t);
      if (lastMinute.length >= this.opts.perMinute) wait = Math.max(wait, lastMinute[0]! + 60_000 - t);
      if (this.writes.length >= this.opts.perHour) wait = Math.max(wait, this.writes[0]! + 3_600_000 - t);
      if (wait <= 0) break;
      if (wait > this.opts.maxWaitMs) throw new Error(`write budget exhausted: next write allowed in ${Math.ceil(wait / 1000)} s`);
      if (wait >= this.remaining()) throw new SweepDeadlineError(`sweep deadline: the next write would be allowed after it`);
      await sleep(wait);
    }
    const t = now();
    this.last = t;
    this.writes.push(t);
  }
}

/** Milliseconds to wait before retrying a rate-limited request, or undefined when it is not one. */
export function retryDelay(e: unknown, now: number): number | undefined {
  return rateLimitDelay(e, now);
}

const WRITE = /^(POST|PATCH|PUT|DELETE) /;
/**
 * Requests whose repetition cannot duplicate anything: reads, PATCHes that set fields, label creation
 * (a second one is a 422 the adapter ignores) and comment deletion (a second one is a 404).
 */
const REPEATABLE = /^(?:(?:GET|HEAD|PATCH|PUT) |POST \/repos\/\{owner\}\/\{repo\}\/labels$|DELETE \/repos\/\{owner\}\/\{repo\}\/issues\/comments\/)/;
const isTarball = (route: string) => route.includes('/tarball/');

/**
 * `request` with pacing for writes, a timeout per attempt, the sweep's deadline and Retry-After handling
 * for everything; 5xx/network errors/timeouts of repeatable requests are retried after 1 s, 4 s, 9 s.
 * Octokit's plugin-retry (on in production Probot) is switched off per request (`request.retries: 0`): it
 * would retry a 429 at once without reading Retry-After, and repeat a POST (a second issue or comment)
 * after a 502 GitHub had applied. Creates whose answer was lost are not repeated here: the sync looks the
 * issue or comment up by its marker first (sync.ts createIssueOnce, commentOnce).
 */
export function pacedRequest(octokit: OctokitLike, pacer: Pacer): OctokitLike {
  const { now, sleep, retries, maxWaitMs } = pacer.opts;
  return {
    async request(route, params) {
      for (let attempt = 0; ; attempt++) {
        if (pacer.remaining() <= 0) throw new SweepDeadlineError(`sweep deadline passed before ${route}`);
        if (WRITE.test(route)) await pacer.beforeWrite();
        const timeout = Math.max(1, Math.min(isTarball(route) ? pacer.opts.tarballTimeoutMs : pacer.opts.timeoutMs, pacer.remaining()));
        const request = { ...((params?.request as object | undefined) ?? {}), retries: 0, signal: AbortSignal.timeout(timeout) };
        try {
          return await octokit.request(route, { ...params, request });
        } catch (e) {
          let wait = retryDelay(e, now());
          if (wait === undefined && REPEATABLE.test(route) && isTransient(e)) wait = 1000 * (attempt + 1) ** 2;
          if (wait === undefined || attempt >= retries || wait > maxWaitMs || wait >= pacer.remaining()) throw e;
          await sleep(wait);
        }
      }
    },
  };
}

interface RawIssue {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  state_reason?: string | null;
  labels: (string | { name?: string })[];
  created_at: string;
  closed_at?: string | null;
  node_id?: string;
  pull_request?: unknown;
}

function snapshot(i: RawIssue): IssueSnapshot {
  return {
    number: i.number,
    title: i.title,
    body: i.body ?? '',
    state: i.state === 'closed' ? 'closed' : 'open',
    state_reason: i.state_reason ?? null,
    labels: i.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter(Boolean),
    created_at: i.created_at,
    closed_at: i.closed_at ?? null,
    node_id: i.node_id,
  };
}

/** Upper bound on pages read per list (100 per page). */
const MAX_PAGES = 30;
const MAX_COMMENT_PAGES = 10;

interface HttpError {
  status?: number;
}

export function octokitGardenGitHub(octokit: OctokitLike, owner: string, repo: string): GardenGitHub {
  return {
    async listIssues(label) {
      const out: IssueSnapshot[] = [];
      for (let page = 1; page <= MAX_PAGES; page++) {
        const res = await octokit.request('GET /repos/{owner}/{repo}/issues', { owner, repo, labels: label, state: 'all', per_page: 100, page });
        const list = res.data as RawIssue[];
        for (const i of list) if (!i.pull_request) out.push(snapshot(i));
        if (list.length < 100) break;
      }
      return out;
    },
    async listLabels() {
      const out: string[] = [];
      for (let page = 1; page <= MAX_PAGES; page++) {
        const res = await octokit.request('GET /repos/{owner}/{repo}/labels', { owner, repo, per_page: 100, page });
        const list = res.data as { name: string }[];
        for (const l of list) out.push(l.name);
        if (list.length < 100) break;
      }
      return out;
    },
    async createLabel(label) {
      try {
        await octokit.request('POST /repos/{owner}/{repo}/labels', { owner, repo, name: label.name, color: label.color, description: label.description });
      } catch (e) {
        if ((e as HttpError).status !== 422) throw e; // already exists (another sweep was faster)
      }
    },
    async createIssue(p) {
      const res = await octokit.request('POST /repos/{owner}/{repo}/issues', { owner, repo, title: p.title, body: p.body, labels: p.labels });
      return snapshot(res.data as RawIssue);
    },
    async updateIssue(number, p: IssuePatch) {
      await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { owner, repo, issue_number: number, ...p });
    },
    async comment(number, body) {
      await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner, repo, issue_number: number, body });
    },
    async findIssueByMarker(marker) {
      // The list endpoint, not search: search is indexed with a delay, and the issue may be seconds old.
      const res = await octokit.request('GET /repos/{owner}/{repo}/issues', { owner, repo, state: 'all', sort: 'created', direction: 'desc', per_page: 100 });
      const hit = (res.data as RawIssue[]).find((i) => !i.pull_request && (i.body ?? '').includes(marker));
      return hit ? snapshot(hit) : undefined;
    },
    async listComments(number) {
      const out: { id: number; body: string }[] = [];
      for (let page = 1; page <= MAX_COMMENT_PAGES; page++) {
        const res = await octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
          owner,
          repo,
          issue_number: number,
          per_page: 100,
          page,
        });
        const list = res.data as { id: number; body?: string | null }[];
        for (const c of list) out.push({ id: c.id, body: c.body ?? '' });
        if (list.length < 100) break;
      }
      return out;
    },
    async deleteComment(id) {
      try {
        await octokit.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: id });
      } catch (e) {
        if ((e as HttpError).status !== 404) throw e; // another sweep deleted it first
      }
    },
    async pinIssue(issue) {
      if (!issue.node_id) return;
      await octokit.request('POST /graphql', {
        query: 'mutation($id: ID!) { pinIssue(input: {issueId: $id}) { issue { number } } }',
        variables: { id: issue.node_id },
      });
    },
  };
}

export interface RemoteTree {
  files: Map<string, Uint8Array>;
  /** Commit sha of the tarball (pax comment), or the ref when absent. */
  sha: string;
  error?: string;
  /** Paths of the files `include` left out (attachments, other files): names only, never bytes; note links may name them. */
  otherPaths: string[];
}

/** The repository tree from one tarball request, keeping the bytes of the files `include` accepts and the names of the rest. */
export async function loadTarballTree(octokit: OctokitLike, owner: string, repo: string, ref: string, include: (path: string) => boolean): Promise<RemoteTree> {
  // Shared with the review's cache warm-up, which downloads the same commit on the same push.
  const { bytes } = await sharedDownload(owner, repo, ref, async () =>
    tarballBytes((await octokit.request('GET /repos/{owner}/{repo}/tarball/{ref}', { owner, repo, ref })).data),
  );
  const tar = readTarball(bytes, { include });
  return { files: tar.files, sha: tar.comment && /^[0-9a-f]{40}$/.test(tar.comment) ? tar.comment : ref, error: tar.error, otherPaths: tar.excluded ?? [] };
}

/**
 * Last substantive change of some files from the commits API: one request per file
 * (`per_page=5`, the newest substantive of those five wins; when all five are housekeeping
 * the file is left out and the frontmatter fallback applies). Capped per sweep.
 */
export async function fetchHistory(
  octokit: OctokitLike,
  owner: string,
  repo: string,
  files: readonly string[],
  cap: number,
  pathPrefix = '',
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const file of files.slice(0, cap)) {
    const path = pathPrefix ? `${pathPrefix.replace(/\/$/, '')}/${file}` : file;
    const res = await octokit.request('GET /repos/{owner}/{repo}/commits', { owner, repo, path, per_page: 5 });
    const list = res.data as {
      commit?: { message?: string; committer?: { date?: string }; author?: { name?: string; date?: string } };
      author?: { login?: string } | null;
    }[];
    for (const c of list) {
      const subject = (c.commit?.message ?? '').split('\n')[0] ?? '';
      const author = c.author?.login ?? c.commit?.author?.name ?? '';
      const date = (c.commit?.committer?.date ?? c.commit?.author?.date ?? '').slice(0, 10);
      if (date && isSubstantive(subject, author)) {
        out.set(file, date);
        break;
      }
    }
  }
  return out;
}

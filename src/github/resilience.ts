/**
 * The review's request layer: timeouts, bounded retries with backoff, Retry-After.
 *
 * Why here and not in Octokit's plugins: production Probot has @octokit/plugin-retry on (3 retries after
 * 1 s, 4 s, 9 s) for every status ≥ 400 except 400/401/403/404/410/422/451, which
 *   - retries a 429 without reading Retry-After (hammering a secondary rate limit),
 *   - never retries a 403 secondary rate limit (Probot's own `onSecondaryRateLimit` only logs),
 *   - retries POSTs blindly: a 502 on "create review" that GitHub did apply posts a second review,
 *   - has no timeout: a hung socket holds the event forever.
 * So every request made through this layer turns the plugin off (`request.retries: 0`) and this layer
 * owns the policy:
 *   - each attempt has a timeout (AbortSignal); a timeout counts as a transient failure;
 *   - 5xx and network errors/timeouts: up to `retries` retries after base·1, base·4, base·9 ms — except
 *     for non-idempotent routes (`noRetry`: creating a review), whose caller checks GitHub's state first;
 *   - 403/429 rate limits: wait Retry-After (or until x-ratelimit-reset; 60 s for a secondary limit that
 *     names no time) and retry; a wait longer than `maxWaitMs` gives up at once (the event fails and GitHub
 *     can redeliver it) instead of holding a worker;
 *   - everything else (401, plain 403, 404, 422, …) is returned to the caller at once.
 */
import type { GitHubApi } from './octokit.js';

export interface ResilienceOptions {
  /** Retries after the first attempt (default 3). */
  retries?: number;
  /** Backoff base: retry n waits base·n² ms (default 1000, as plugin-retry). */
  baseDelayMs?: number;
  /** Longest rate-limit wait honoured (default 60 s); longer waits fail the request. */
  maxWaitMs?: number;
  /** Per-attempt timeout (default 30 s; tarballs get `tarballTimeoutMs`, default 5 min). */
  timeoutMs?: number;
  tarballTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Called before each retry (logging). Gets no error object: only route, status and wait. */
  onRetry?: (info: { route: string; attempt: number; status: number | undefined; waitMs: number; reason: 'rate-limit' | 'transient' }) => void;
}

export const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface HttpError {
  status?: number;
  message?: string;
  name?: string;
  response?: { headers?: Record<string, unknown>; data?: unknown };
}

/** Milliseconds to wait before retrying a rate-limited request, or undefined when it is not one. */
export function rateLimitDelay(e: unknown, now: number): number | undefined {
  const err = e as HttpError | null;
  if (err?.status !== 403 && err?.status !== 429) return undefined;
  const h = err.response?.headers ?? {};
  const ra = h['retry-after'];
  if (ra !== undefined && ra !== null && ra !== '') {
    const s = Number(ra);
    if (Number.isFinite(s)) return Math.max(0, s * 1000);
    const at = Date.parse(String(ra));
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  if (String(h['x-ratelimit-remaining']) === '0' && h['x-ratelimit-reset'] !== undefined) return Math.max(0, Number(h['x-ratelimit-reset']) * 1000 - now + 1000);
  if (err.status === 429 || /secondary rate limit/i.test(err.message ?? '')) return 60_000;
  return undefined; // a plain 403 is a permission problem: do not retry
}

/** 5xx, network errors and timeouts. Octokit reports a failed fetch as status 500 without a response. */
export function isTransient(e: unknown): boolean {
  const err = e as HttpError | null;
  if (!err) return false;
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return true;
  if (typeof err.status === 'number') return err.status >= 500;
  return false;
}

const isTarball = (route: string) => /\/tarball\//.test(route);

/** Routes whose retry could duplicate a side effect: the caller decides (see reviewPullRequest). */
export const NO_RETRY_ROUTES = new Set(['POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews']);

/** `api` with the policy above. */
export function resilientApi(api: GitHubApi, opts: ResilienceOptions = {}): GitHubApi {
  const retries = opts.retries ?? 3;
  const base = opts.baseDelayMs ?? 1000;
  const maxWait = opts.maxWaitMs ?? 60_000;
  const sleep = opts.sleep ?? realSleep;
  const now = opts.now ?? Date.now;

  async function attempt<T>(route: string, retryTransient: boolean, run: (request: Record<string, unknown>) => Promise<T>): Promise<T> {
    for (let n = 0; ; n++) {
      const timeout = isTarball(route) ? (opts.tarballTimeoutMs ?? 300_000) : (opts.timeoutMs ?? 30_000);
      try {
        return await run({ retries: 0, signal: AbortSignal.timeout(timeout) });
      } catch (e) {
        if (n >= retries) throw e;
        const rl = rateLimitDelay(e, now());
        let wait: number;
        let reason: 'rate-limit' | 'transient';
        if (rl !== undefined) {
          if (rl > maxWait) throw e;
          wait = rl;
          reason = 'rate-limit';
        } else if (retryTransient && isTransient(e)) {
          wait = base * (n + 1) ** 2;
          reason = 'transient';
        } else throw e;
        opts.onRetry?.({ route, attempt: n + 1, status: (e as HttpError).status, waitMs: wait, reason });
        await sleep(wait);
      }
    }
  }

  return {
    request: (route, params) =>
      attempt(route, !NO_RETRY_ROUTES.has(route), (request) =>
        api.request(route, { ...params, request: { ...((params?.request as object) ?? {}), ...request } }),
      ),
    // Pull-state queries and resolveReviewThread mutations are idempotent.
    graphql: <T>(q: string, v?: Record<string, unknown>) => attempt('POST /graphql', true, (request) => api.graphql<T>(q, { ...v, request })),
  };
}

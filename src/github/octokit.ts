/** The slice of Octokit this module uses (Probot's ProbotOctokit satisfies it). HTTP lives only behind this. */
export interface RequestResult {
  status: number;
  data: unknown;
  headers: Record<string, unknown>;
}

export interface GitHubApi {
  request(route: string, params?: Record<string, unknown>): Promise<RequestResult>;
  graphql<T = unknown>(query: string, params?: Record<string, unknown>): Promise<T>;
}

export interface RepoRef {
  owner: string;
  repo: string;
}

/** HTTP status of an Octokit RequestError (undefined for other errors). */
export function statusOf(e: unknown): number | undefined {
  const s = (e as { status?: unknown } | null)?.status;
  return typeof s === 'number' ? s : undefined;
}

interface HttpError {
  status?: number;
  message?: string;
  name?: string;
  response?: { headers?: Record<string, unknown>; data?: unknown };
  errors?: { type?: string }[];
}

/** A rate limit: 429, a 403 secondary or exhausted limit, GraphQL `RATE_LIMITED`. */
export function isRateLimited(e: unknown): boolean {
  const err = e as HttpError | null;
  if (!err) return false;
  if (err.status === 429) return true;
  if (err.status === 403 && (/rate limit/i.test(err.message ?? '') || String(err.response?.headers?.['x-ratelimit-remaining']) === '0')) return true;
  const gqlErrors = err.errors ?? (err.response?.data as { errors?: { type?: string }[] } | undefined)?.errors ?? [];
  return err.message === 'GraphQL Rate Limit Exceeded' || gqlErrors.some((x) => x.type === 'RATE_LIMITED');
}

/** 5xx, network errors and timeouts. Octokit reports a failed or timed-out fetch as status 500. */
export function isTransient(e: unknown): boolean {
  const err = e as HttpError | null;
  if (!err) return false;
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return true;
  if (typeof err.status === 'number') return err.status >= 500;
  return false;
}

/** GitHub did not answer usefully (after the policy's retries): a re-run may succeed. */
export function isUnavailable(e: unknown): boolean {
  return isTransient(e) || isRateLimited(e);
}

/**
 * Milliseconds to wait before retrying a rate-limited request (Retry-After, else the primary limit's
 * reset, else 60 s for a secondary limit), or undefined when it is not one. For callers that own their
 * retries (the garden's Pacer); the app's requests get this from plugin-throttling.
 */
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
  if (String(h['x-ratelimit-remaining']) === '0' && h['x-ratelimit-reset'] !== undefined)
    return Math.max(0, Number(h['x-ratelimit-reset']) * 1000 - now + 1000);
  if (err.status === 429 || /secondary rate limit/i.test(err.message ?? '')) return 60_000;
  return undefined; // a plain 403 is a permission problem: do not retry
}

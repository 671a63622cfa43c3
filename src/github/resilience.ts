/**
 * The app's one request policy, configured into the Octokit plugins Probot already runs
 * (@octokit/plugin-throttling, @octokit/plugin-retry): production and the tests build their Octokit with
 * `policyOctokit`, the tests only with shorter waits (`msPerSecond`).
 *
 * - Every attempt has a timeout (30 s; 5 min for tarballs), set inside fetch so each retry gets its own.
 * - Rate limits (403 secondary limit, 429, exhausted primary quota, GraphQL `RATE_LIMITED` answered with
 *   HTTP 200) are retried by plugin-throttling (a 429 it does not recognise as a limit: by `retry429` here)
 *   after GitHub's Retry-After / reset time, at most
 *   `rateLimitRetries` times, never for a wait over `maxWaitS`, never past the event's deadline.
 *   Probot's own handlers retry a secondary limit without bound (or not at all, by version): replaced here.
 *   A refused request was not applied, so this holds for creates too.
 * - 5xx, network errors and timeouts are retried by plugin-retry (`retries` times after 1, 4, 9 s) only
 *   for requests whose repetition cannot duplicate anything: reads, PATCHes without annotations, GraphQL
 *   queries and thread resolutions. A create (review, check run, comment, commit through the contents API)
 *   or a check run PATCH carrying annotations (GitHub appends them on every update) is sent once; its
 *   caller reads GitHub's state before sending it again (review-pull-request.ts, check-run.ts).
 * - Per event: an installation client is made for each webhook event, so its creation time starts the
 *   event's deadline (`eventDeadlineMs`); past it nothing is retried and no rate-limit wait is taken.
 * - A request sent with `request.retries: 0` by its caller is retried by nobody here: that caller owns
 *   its policy (the garden's Pacer, src/garden/octokit.ts).
 * - Replicas: given `REDIS_URL`, Probot hands the throttling plugin a Redis connection (`redisConfig`); the
 *   limiters (write spacing, concurrency) then live in Redis, one for every replica of the app.
 */
import Bottleneck from 'bottleneck';
import { ProbotOctokit } from 'probot';
import { rateLimitDelay, statusOf } from './octokit.js';

export interface RequestPolicy {
  /** Retries of an idempotent request after a 5xx, network error or timeout (default 3). */
  retries: number;
  /** Retries after a rate limit (default 3). */
  rateLimitRetries: number;
  /** Longest Retry-After (or reset) wait taken, in seconds (default 60). */
  maxWaitS: number;
  /** Retrying ends this long after the event's client was made, in ms (default 5 min; not scaled). */
  eventDeadlineMs: number;
  /** Per-attempt timeout (default 30 s) and for tarball downloads (default 5 min), in ms. */
  timeoutMs: number;
  tarballTimeoutMs: number;
  /**
   * Milliseconds in one of GitHub's seconds (Retry-After, backoff 1/4/9 s, write spacing 1 s): 1000 in
   * production; tests shrink it to keep the same policy without the waits. Timeouts and the deadline are not.
   */
  msPerSecond: number;
  /** Called for each rate limit met (logging, tests). */
  onRateLimit?: (info: RateLimitInfo) => void;
}

export interface RateLimitInfo {
  method: string;
  url: string;
  kind: 'secondary' | 'primary';
  retryAfterS: number;
  retryCount: number;
  retried: boolean;
}

export const DEFAULT_POLICY: RequestPolicy = {
  retries: 3,
  rateLimitRetries: 3,
  maxWaitS: 60,
  eventDeadlineMs: 300_000,
  timeoutMs: 30_000,
  tarballTimeoutMs: 300_000,
  msPerSecond: 1000,
};

interface RequestOptionsLike {
  method?: string;
  url?: string;
  query?: unknown;
  output?: { annotations?: unknown[] };
  request?: Record<string, unknown> & { retries?: number; retryCount?: number };
}

/** Set on a request whose 5xx retry is off because repeating it could duplicate a write. */
const SENT_ONCE = 'gardenerSentOnce';
/** Set on a request whose rate limit the policy declined to wait for: nobody retries it after that. */
const DECLINED = 'gardenerDeclined';

/**
 * True when sending the request twice leaves GitHub as sending it once: reads, deletes, PATCHes without
 * annotations, PUTs other than a contents commit, GraphQL queries and `resolveReviewThread` mutations.
 */
export function isIdempotent(o: RequestOptionsLike): boolean {
  const method = (o.method ?? 'GET').toUpperCase();
  const url = o.url ?? '';
  if (method === 'GET' || method === 'HEAD' || method === 'DELETE') return true;
  if (method === 'PATCH') return !(Array.isArray(o.output?.annotations) && o.output.annotations.length > 0);
  if (method === 'PUT') return !/\/contents\//.test(url);
  if (method === 'POST' && /^\/graphql$|\/graphql$/.test(url.replace(/\?.*$/, ''))) {
    const q = typeof o.query === 'string' ? o.query : '';
    if (!/^\s*mutation\b/.test(q)) return true;
    const fields = [...q.matchAll(/\b(\w+)\s*\(\s*input\s*:/g)].map((m) => m[1]);
    return fields.length > 0 && fields.every((f) => f === 'resolveReviewThread');
  }
  return false;
}

const TIMED = Symbol('gardener-timed-fetch');
type Fetch = typeof fetch;

interface WarnLog {
  warn(o: unknown, m?: string): void;
}

/**
 * fetch with a timeout per call (so per attempt), combined with any signal of the caller. A failed attempt
 * (5xx, network error, timeout) is logged: plugin-retry retries silently.
 */
function timedFetch(inner: Fetch | undefined, policy: RequestPolicy, log: WarnLog | undefined): Fetch {
  if (inner && (inner as unknown as Record<symbol, unknown>)[TIMED]) return inner;
  const f = (async (input: Parameters<Fetch>[0], init?: Parameters<Fetch>[1]) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const timeout = AbortSignal.timeout(/\/tarball\//.test(url) ? policy.tarballTimeoutMs : policy.timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    const where = { method: init?.method ?? 'GET', url: url.replace(/\?.*$/, '') };
    try {
      const res = await (inner ?? globalThis.fetch)(input, { ...init, signal });
      if (res.status >= 500)
        log?.warn({ ...where, status: res.status }, 'pattern-gardener: GitHub request failed; retrying a GitHub request only when it cannot duplicate a write');
      return res;
    } catch (e) {
      log?.warn(
        { ...where, error: (e as Error)?.name },
        'pattern-gardener: GitHub request failed; retrying a GitHub request only when it cannot duplicate a write',
      );
      throw e;
    }
  }) as Fetch;
  (f as unknown as Record<symbol, unknown>)[TIMED] = true;
  return f;
}

const deadlines = new WeakMap<object, number>();

interface ThrottleConnection {
  disconnect(flush?: boolean): Promise<unknown>;
}

/** Redis connections handed to the throttling plugin (Probot's `redisConfig`), closed by `disconnectThrottling`. */
const connections = new Set<ThrottleConnection>();

/**
 * Closes the Redis connections of the throttling plugin (a server stopping in a process that goes on: tests).
 * A process that exits needs none of it.
 */
export async function disconnectThrottling(): Promise<void> {
  const all = [...connections];
  connections.clear();
  await Promise.allSettled(all.map((c) => c.disconnect(false)));
}

/**
 * plugin-throttling's limiter groups (same ids and settings: 1 s between writes, 3 s between notifying
 * writes, 2 s between searches) with GitHub's seconds scaled by `msPerSecond`, on Probot's Redis
 * connection when `REDIS_URL` gave one, so every replica takes its turn from one shared limiter.
 * Undefined where the plugin's own groups are exactly these (production seconds, no Redis).
 */
function limiterGroups(policy: RequestPolicy, connection: ThrottleConnection | undefined, B: typeof Bottleneck): Record<string, unknown> | undefined {
  if (!connection && policy.msPerSecond === 1000) return undefined;
  // Redis keys of an idle group expire after 2 minutes, as the plugin sets them.
  const common = connection ? { connection, timeout: 120_000 } : {};
  const group = (id: string, minTimeS: number, maxConcurrent: number | null = 1) =>
    new B.Group({ id, maxConcurrent, minTime: Math.round(minTimeS * policy.msPerSecond), ...common } as Bottleneck.ConstructorOptions);
  return {
    global: group('octokit-global', 0, 10),
    auth: group('octokit-auth', 0),
    search: group('octokit-search', 2),
    write: group('octokit-write', 1),
    notifications: group('octokit-notifications', 3),
  };
}

/**
 * `ProbotOctokit` with the policy above; `Probot({ Octokit })` uses it for the app client and for every
 * installation client (the function form of `defaults` applies to both).
 */
export function policyOctokit(overrides: Partial<RequestPolicy> = {}): typeof ProbotOctokit {
  const policy: RequestPolicy = { ...DEFAULT_POLICY, ...overrides };
  // One set of groups per connection (none: one set for the class), made at the first client.
  const groupsByConnection = new Map<ThrottleConnection | undefined, Record<string, unknown> | undefined>();
  const groupsFor = (connection: ThrottleConnection | undefined, B: typeof Bottleneck) => {
    if (!groupsByConnection.has(connection)) groupsByConnection.set(connection, limiterGroups(policy, connection, B));
    return groupsByConnection.get(connection);
  };

  function onLimit(kind: RateLimitInfo['kind']) {
    return (retryAfterS: number, options: RequestOptionsLike, octokit: { log?: { warn(o: unknown, m?: string): void } }, retryCount: number): boolean => {
      const req = options.request ?? {};
      const ownedByCaller = req.retries === 0 && !req[SENT_ONCE];
      const deadline = deadlines.get(octokit as object);
      const endsAt = Date.now() + retryAfterS * policy.msPerSecond;
      const retried =
        !ownedByCaller && retryCount < policy.rateLimitRetries && retryAfterS <= policy.maxWaitS && (deadline === undefined || endsAt <= deadline);
      // Declined here: plugin-retry must not retry it after its own backoff either.
      if (!retried && options.request) {
        options.request.retries = 0;
        options.request[DECLINED] = true;
      }
      const info: RateLimitInfo = { method: options.method ?? '', url: options.url ?? '', kind, retryAfterS, retryCount, retried };
      octokit.log?.warn(info, retried ? 'pattern-gardener: rate limited; retrying after Retry-After' : 'pattern-gardener: rate limited; not retrying');
      policy.onRateLimit?.(info);
      return retried;
    };
  }

  /**
   * A 429 that plugin-throttling does not take for a limit (it knows only a message naming the secondary
   * limit, or an exhausted quota) was still refused, not applied: it is retried here after its Retry-After,
   * for creates too, under the same cap, longest wait and deadline. plugin-retry leaves 429s alone
   * (`doNotRetry`), as it would ignore Retry-After.
   */
  const unthrottled429 = onLimit('secondary');
  async function retry429(octokit: object, request: (o: RequestOptionsLike) => Promise<unknown>, o: RequestOptionsLike): Promise<unknown> {
    for (let count = 0; ; count++) {
      try {
        return await request(o);
      } catch (e) {
        const req = o.request ?? {};
        if (statusOf(e) !== 429 || req[DECLINED]) throw e;
        const waitMs = rateLimitDelay(e, Date.now()) ?? 60_000;
        if (!unthrottled429(Math.ceil(waitMs / 1000), o, octokit as never, count)) throw e;
        await new Promise((r) => setTimeout(r, Math.ceil(waitMs / 1000) * policy.msPerSecond));
      }
    }
  }

  const policyPlugin = (
    octokit: {
      hook: {
        before(name: string, fn: (o: RequestOptionsLike) => void): void;
        wrap(name: string, fn: (request: (o: RequestOptionsLike) => Promise<unknown>, o: RequestOptionsLike) => Promise<unknown>): void;
      };
    },
    options: { auth?: { installationId?: unknown } },
  ) => {
    // An installation client serves one webhook event: its deadline starts now. The app client
    // (installation tokens) lives as long as the process and has none.
    if (options.auth?.installationId !== undefined) deadlines.set(octokit, Date.now() + policy.eventDeadlineMs);
    octokit.hook.before('request', (o) => {
      // A copy: `o.request` may be the client's defaults, shared by every request.
      o.request = { ...(o.request ?? {}) };
      const deadline = deadlines.get(octokit);
      if (!isIdempotent(o) && o.request.retries === undefined) {
        o.request.retries = 0;
        o.request[SENT_ONCE] = true;
      }
      if (deadline !== undefined && Date.now() > deadline) o.request.retries = 0;
    });
    octokit.hook.wrap('request', (request, o) => retry429(octokit, request, o));
    return {};
  };

  return ProbotOctokit.plugin(policyPlugin as never).defaults((o: Record<string, unknown>) => {
    const request = (o.request ?? {}) as { fetch?: Fetch };
    // Probot puts `{ Bottleneck, connection }` here when it was given `redisConfig` (REDIS_URL).
    const given = (o.throttle ?? {}) as { connection?: ThrottleConnection; Bottleneck?: typeof Bottleneck };
    if (given.connection) connections.add(given.connection);
    const groups = groupsFor(given.connection, given.Bottleneck ?? Bottleneck) ?? {};
    return {
      ...o,
      request: { ...request, fetch: timedFetch(request.fetch, policy, o.log as WarnLog | undefined) },
      retry: { enabled: true, retries: policy.retries, retryAfterBaseValue: policy.msPerSecond, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
      throttle: {
        ...given,
        enabled: true,
        retryAfterBaseValue: policy.msPerSecond,
        fallbackSecondaryRateRetryAfter: 60,
        onRateLimit: onLimit('primary'),
        onSecondaryRateLimit: onLimit('secondary'),
        ...groups,
      },
    };
  }) as typeof ProbotOctokit;
}

// Error classes live beside the API type (no Probot import for the CLI and the garden).
export { isRateLimited, isTransient, isUnavailable, rateLimitDelay } from './octokit.js';

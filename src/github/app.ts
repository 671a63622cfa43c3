/**
 * The Probot app: pull request review with a check run and one-click suggestions.
 * `export default` is the app function Probot loads; `createApp(options)` builds one with other options
 * (today, cache size, request budget) for tests and benches.
 */
import type { ApplicationFunctionOptions, Context, Probot } from 'probot';
import { requireDate, todayUtc, type CalendarDate } from '../core/dates.js';
import { CHECK_NAME } from './check-run.js';
import { isUnavailable, type GitHubApi, type RepoRef } from './octokit.js';
import { reviewPullRequest, type Logger, type Outcome, type PullRequestRef } from './review-pull-request.js';
import { configureSnapshotCache } from './snapshot.js';
import { handleLinkCommand, parseLinkCommand, type LinkCommandOutcome } from './link-commands.js';
import { registerGardenHandlers, type GardenHandlerOptions } from '../garden/app-handlers.js';
import { warmSkipReason, warmSnapshot, type WarmOutcome } from './warm-snapshot.js';
import type { PushPayloadLike } from './push-event.js';
import { claimKey, memoryClaims, withClaim, type ClaimLog, type ClaimStore } from './claims.js';

export interface AppOptions {
  /** Today's date for date rules (default: the UTC date at event time). */
  today?: () => CalendarDate;
  /** Commit SHAs kept in the snapshot LRU (default 8). */
  cacheSize?: number;
  /** Hard cap on requests per event made by the review (default 40). */
  maxRequests?: number;
  /** Called with every event's outcome (tests, benches, metrics). */
  onOutcome?: (o: Outcome) => void;
  /**
   * Waits before reviewing a pull request event again when GitHub did not answer (after the request
   * policy's retries), the run kept in progress meanwhile (default 10 s, then 30 s, within the event's
   * deadline); [] completes the run as "Not checked" at once.
   */
  reviewRetryDelaysMs?: number[];
  /** Called with the outcome of every `/gardener apply links` / `/gardener reject` comment. */
  onCommand?: (o: LinkCommandOutcome) => void;
  /** Garden health handlers (push, repository_dispatch, installation, snooze comments); false turns them off. */
  garden?: Omit<GardenHandlerOptions, 'today'> | false;
  /** Warm the snapshot cache on pushes to the default branch (default: on unless GARDENER_WARM_ON_PUSH=0). */
  warmOnPush?: boolean;
  /** Called with the outcome of every warm-up (tests, benches). */
  onWarm?: (o: WarmOutcome) => void;
  /**
   * Where reviews and sweeps are claimed (claims.ts). Default: Redis when `REDIS_URL` is set at the first
   * event, else this process's memory.
   */
  claims?: ClaimStore;
}

/** The claim store named by `REDIS_URL`, or this process's memory. */
export async function claimsFromEnv(env: Record<string, string | undefined> = process.env, log?: ClaimLog): Promise<ClaimStore> {
  const url = env.REDIS_URL?.trim();
  if (!url) return memoryClaims();
  const { redisClaims } = await import('./redis-claims.js');
  return redisClaims(url, { log });
}

/**
 * "Today" for every date rule: `GARDENER_TODAY` (YYYY-MM-DD) pins it for demos and reproducible
 * deployments; otherwise the UTC date at event time.
 */
export function defaultToday(): () => CalendarDate {
  const pinned = process.env.GARDENER_TODAY;
  if (pinned) {
    const d = requireDate(pinned, 'GARDENER_TODAY');
    return () => d;
  }
  return () => requireDate(todayUtc());
}

interface PullPayload {
  number: number;
  draft?: boolean;
  state?: string;
  head: { sha: string; repo: { full_name: string } | null };
  base: { sha: string; repo: { full_name: string } };
}

/** Adapts Probot's Octokit to the narrow API the module uses. */
export function apiOf(octokit: Context['octokit']): GitHubApi {
  return {
    request: (route, params) => octokit.request(route, params) as unknown as ReturnType<GitHubApi['request']>,
    graphql: (q, v) => octokit.graphql(q, v),
  };
}

function pullRef(repo: RepoRef, p: PullPayload): PullRequestRef {
  const ref: PullRequestRef = { repo, number: p.number, headSha: p.head.sha, baseSha: p.base.sha, draft: !!p.draft };
  if (p.head.repo) ref.headRepo = p.head.repo.full_name;
  return ref;
}

/**
 * Runs `fn` after every earlier run with the same key has settled. Two events for one pull request
 * (a redelivery, `synchronize` racing `check_suite.rerequested`) are reviewed one after the other in this
 * process, so the second reads the first's review marker and threads and posts nothing twice. Across
 * processes, duplicate threads that still slip through are resolved by the next run (see planReview).
 */
export function keyedSerializer() {
  const tails = new Map<string, Promise<unknown>>();
  return async function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = tails.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    tails.set(key, tail);
    try {
      return await next;
    } finally {
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}

/**
 * Runs `fn` once for deliveries that arrive while an earlier one with the same key is still being handled:
 * those join it and settle with it. The key names what the work produces (repository, pull request or head
 * SHA, event kind), so three copies of one delivery, or a check run and its suite re-requested together,
 * make one check run. A delivery after it settled runs again (a later "Re-run" is a new request).
 * This holds within one process only; replicas need a shared claim.
 */
export function inFlightOnce() {
  const flights = new Map<string, Promise<unknown>>();
  const once = async function once<T>(key: string, fn: () => Promise<T>): Promise<{ joined: boolean; value: T }> {
    const running = flights.get(key) as Promise<T> | undefined;
    if (running) return { joined: true, value: await running };
    const flight = fn();
    flights.set(key, flight);
    try {
      return { joined: false, value: await flight };
    } finally {
      if (flights.get(key) === flight) flights.delete(key);
    }
  };
  return Object.assign(once, { size: () => flights.size });
}

/** Waits before a pull request event is reviewed again after GitHub did not answer. */
export const DEFAULT_REVIEW_RETRY_DELAYS_MS = [10_000, 30_000];

/** Pages of open pull requests searched for a re-requested check without listed pull requests. */
export const MAX_OPEN_PULL_PAGES = 10;

export function createApp(options: AppOptions = {}) {
  if (options.cacheSize !== undefined) configureSnapshotCache(options.cacheSize);
  const today = options.today ?? defaultToday();
  const serialized = keyedSerializer();
  const once = inFlightOnce();

  const retryDelays = options.reviewRetryDelaysMs ?? DEFAULT_REVIEW_RETRY_DELAYS_MS;
  let store: Promise<ClaimStore> | undefined;
  let appLog: ClaimLog | undefined;
  const claims = (log: ClaimLog): Promise<ClaimStore> =>
    (store ??= options.claims ? Promise.resolve(options.claims) : claimsFromEnv(process.env, appLog ?? log));

  async function run(context: Context, pr: PullRequestRef): Promise<void> {
    const log = context.log as unknown as Logger & ClaimLog;
    const key = `${pr.repo.owner}/${pr.repo.repo}#${pr.number}`.toLowerCase();
    // Serialized first: in one process a second event waits for the first and then finds its run; across
    // replicas the claim turns it away while the first is under way. A draft's event is claimed apart, so
    // `ready_for_review` is not lost behind a draft that was skipped.
    const claim = claimKey(pr.repo, pr.headSha, `review#${pr.number}${pr.draft ? ':draft' : ''}`);
    const outcome = await serialized(key, async (): Promise<Outcome> => {
      const r = await withClaim(await claims(log), claim, log, `the review of #${pr.number} at ${pr.headSha.slice(0, 7)}`, async () => {
        for (let attempt = 0; ; attempt++) {
          const willRetry = attempt < retryDelays.length;
          try {
            return await reviewPullRequest(
              {
                // Timeouts, retries and rate limits live in the Octokit class (resilience.ts policyOctokit).
                api: apiOf(context.octokit),
                configSource: { config: (f) => context.config(f) },
                today: today(),
                log,
                maxRequests: options.maxRequests,
                willRetry,
              },
              pr,
            );
          } catch (e) {
            if (!willRetry || !isUnavailable(e)) throw e;
            log.warn(
              { pr: pr.number, sha: pr.headSha, attempt: attempt + 1, retryInMs: retryDelays[attempt] },
              'pattern-gardener: GitHub did not answer; reviewing this commit again shortly',
            );
            await new Promise((r) => setTimeout(r, retryDelays[attempt]));
          }
        }
      });
      return r.claimed ? r.value : { status: 'claimed-elsewhere', claim };
    });
    options.onOutcome?.(outcome);
  }

  /**
   * Open pull requests at `headSha` of a re-requested check run/suite, as re-runs. GitHub lists no fork
   * pull requests there, so without listed ones every open pull request is searched (100 a page, at most
   * MAX_OPEN_PULL_PAGES pages).
   */
  async function pullsFor(context: Context, repo: RepoRef, headSha: string, listed: { number: number }[]): Promise<PullRequestRef[]> {
    const api = apiOf(context.octokit);
    const out: PullRequestRef[] = [];
    const rerun = (p: PullPayload) => ({ ...pullRef(repo, p), rerun: true });
    if (listed.length > 0) {
      for (const { number } of listed.slice(0, 3)) {
        const res = await api.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { ...repo, pull_number: number });
        const p = res.data as PullPayload;
        if (p.state === 'open' && p.head.sha === headSha) out.push(rerun(p));
      }
      return out;
    }
    for (let page = 1; page <= MAX_OPEN_PULL_PAGES; page++) {
      const res = await api.request('GET /repos/{owner}/{repo}/pulls', { ...repo, state: 'open', per_page: 100, page });
      const list = Array.isArray(res.data) ? (res.data as PullPayload[]) : [];
      for (const p of list) if (p.head.sha === headSha) out.push(rerun(p));
      if (list.length < 100) break;
    }
    return out;
  }

  /** A re-requested check run or suite: one new run per pull request at the SHA, however many deliveries ask at once. */
  async function rerequested(context: Context, headSha: string, listed: { number: number }[]): Promise<void> {
    const repo = context.repo();
    await once(`${repo.owner}/${repo.repo}@${headSha}:rerequested`.toLowerCase(), async () => {
      for (const pr of await pullsFor(context, repo, headSha, listed)) await run(context, pr);
    });
  }

  // Probot's application function shape (it passes options; this app needs none of them).
  return (app: Probot, _options?: ApplicationFunctionOptions) => {
    appLog = app.log as unknown as ClaimLog;
    if (options.garden !== false) {
      const minutes = Number(process.env.GARDENER_SCHEDULE_MINUTES ?? 0);
      registerGardenHandlers(app, { scheduleMinutes: Number.isFinite(minutes) ? minutes : 0, ...(options.garden ?? {}), today, claims: () => claims(app.log) });
    }

    app.on(['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened', 'pull_request.ready_for_review'], async (context) => {
      const p = context.payload.pull_request as unknown as PullPayload;
      if (p.state && p.state !== 'open') return;
      const ref = pullRef(context.repo(), p);
      const before = (context.payload as { action?: string; before?: string }).before;
      if (context.payload.action === 'synchronize' && before) ref.before = before;
      await once(`${ref.repo.owner}/${ref.repo.repo}#${ref.number}@${ref.headSha}:pull_request`.toLowerCase(), () => run(context as unknown as Context, ref));
    });

    // `/gardener apply links` and `/gardener reject <slug> [<target>]` on pull requests (link-commands.ts),
    // serialized with the reviews of the same pull request.
    app.on('issue_comment.created', async (context) => {
      const p = context.payload;
      if (!p.issue.pull_request || !parseLinkCommand(p.comment.body)) return;
      const repo = context.repo();
      const log = context.log as unknown as Logger;
      const key = `${repo.owner}/${repo.repo}#${p.issue.number}`.toLowerCase();
      const outcome = await serialized(key, () =>
        handleLinkCommand(
          { api: apiOf(context.octokit), configSource: { config: (f) => context.config(f) }, today: today(), log },
          {
            repo,
            number: p.issue.number,
            isPullRequest: true,
            body: p.comment.body ?? '',
            user: { login: p.comment.user?.login ?? '', type: p.comment.user?.type ?? 'User' },
          },
        ),
      );
      options.onCommand?.(outcome);
    });

    // A push to the default branch warms the snapshot cache for the pull requests based on it
    // (warm-snapshot.ts); `GARDENER_WARM_ON_PUSH=0` turns it off. Serialized per repository.
    if (options.warmOnPush ?? process.env.GARDENER_WARM_ON_PUSH !== '0') {
      app.on('push', async (context) => {
        const p = context.payload as unknown as PushPayloadLike;
        const log = context.log as unknown as Logger;
        const skip = warmSkipReason(p);
        if (skip) return;
        const repo = context.repo();
        const outcome = await serialized(`${repo.owner}/${repo.repo}@warm`.toLowerCase(), () =>
          warmSnapshot({ api: apiOf(context.octokit), configSource: { config: (f) => context.config(f) } }, repo, p.after as string),
        ).catch((e: unknown) => {
          // Only a cache: a failed warm-up costs the next review its head start, nothing else.
          log.warn({ err: (e as Error).message }, 'pattern-gardener: warming the snapshot cache failed');
          return { status: 'skipped', reason: (e as Error).message } as WarmOutcome;
        });
        if (outcome.status === 'warmed')
          log.info(
            { sha: outcome.sha, ms: outcome.ms, parsed: outcome.snapshot.parsed, reused: outcome.snapshot.reused, linkIndex: outcome.linkIndex },
            'pattern-gardener: warmed the snapshot cache',
          );
        options.onWarm?.(outcome);
      });
    }

    app.on('check_run.rerequested', async (context) => {
      const cr = context.payload.check_run;
      if (cr.name !== CHECK_NAME) return;
      await rerequested(context as unknown as Context, cr.head_sha, cr.pull_requests ?? []);
    });

    app.on('check_suite.rerequested', async (context) => {
      const cs = context.payload.check_suite;
      await rerequested(context as unknown as Context, cs.head_sha, cs.pull_requests ?? []);
    });
  };
}

export default createApp();

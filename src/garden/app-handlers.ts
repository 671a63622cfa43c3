/**
 * Garden triggers in the GitHub App:
 * - push to the default branch: re-evaluate the changed patterns and those linking to them;
 * - repository_dispatch `gardener-sweep`: full sweep (a weekly workflow fires it);
 * - installation created / installation_repositories added: first sweep;
 * - issue_comment `/gardener snooze <N>d` on a replant issue, by a user with write access;
 * - optional in-process schedule (`scheduleMinutes` option, off by default).
 *
 * A sweep that failed, or left writes undone, is tried again in this process after a delay (twice at
 * most by default); the next trigger sweeps again anyway, since every sweep recomputes the plan from GitHub.
 * Failures are logged, not thrown: the webhook has been handled, and the retry is ours.
 */
import type { Probot } from 'probot';
import { addDays, formatDate, todayUtc, requireDate, type CalendarDate } from '../core/dates.js';
import { REPLANT_LABEL, SNOOZED_LABEL, slugOfBody, withSnooze } from './issue.js';
import { asOctokitLike, octokitGardenGitHub, pacedRequest, Pacer, type OctokitLike, type PacingOptions } from './octokit.js';
import { runRemoteSweep } from './remote.js';
import { runRemoteTend } from './tend-remote.js';
import { CONFIG_PATH, octokitConfigSource } from '../github/config.js';
import { defaultBranchChanges, touchesPatterns } from '../github/push-event.js';
import { claimKey, withClaim, type ClaimStore } from '../github/claims.js';

export const DISPATCH_TYPE = 'gardener-sweep';
export const SNOOZE_RE = /^\s*\/gardener\s+snooze(?:\s+(\d{1,4})\s*d(?:ays?)?)?\s*$/im;

export interface GardenHandlerOptions {
  /** Injected "today" (tests); UTC date of the event otherwise. */
  today?: () => CalendarDate;
  /** Minutes between in-process sweeps of every installed repository; 0 or absent: off. */
  scheduleMinutes?: number;
  pacing?: PacingOptions;
  /** Waits before trying a failed sweep again (default 5 and 30 minutes); [] turns retries off. */
  retryDelaysMs?: number[];
  /** Claims across replicas (src/github/claims.ts): one sweep per repository at a time. Default: none. */
  claims?: () => Promise<ClaimStore>;
  /** Called after every sweep attempt (tests, metrics): how it ended and when it will be tried again, if at all. */
  onSweep?: (report: SweepReport) => void;
}

export interface SweepReport {
  repo: string;
  /** `skipped`: a sweep of the repository was already running in this process or in another replica. */
  outcome: 'ok' | 'incomplete' | 'failed' | 'skipped';
  /** Milliseconds until the retry, when one is scheduled. */
  retryInMs?: number;
}

export const DEFAULT_RETRY_DELAYS_MS = [5 * 60_000, 30 * 60_000];

interface Logger {
  info: (msg: string) => void;
  warn: (msg: string) => void;
  error?: (msg: string) => void;
}

const running = new Set<string>();

/**
 * One sweep per repository at a time: in this process, and across replicas through the claim store when
 * there is one (a replica that finds the claim taken skips, as this process does); without a shared store,
 * sweeps of two processes converge through the dedupe. Returns false when skipped.
 */
async function sweepOnce(key: string, log: Logger, claims: (() => Promise<ClaimStore>) | undefined, fn: () => Promise<void>): Promise<boolean> {
  if (running.has(key)) {
    log.info(`garden sweep of ${key} already running; skipped`);
    return false;
  }
  running.add(key);
  try {
    if (!claims) {
      await fn();
      return true;
    }
    const [owner = '', repo = ''] = key.split('/');
    const r = await withClaim(
      await claims(),
      claimKey({ owner, repo }, undefined, 'garden-sweep'),
      { info: (m) => log.info(m), warn: (m) => log.warn(m) },
      `the garden sweep of ${key}`,
      fn,
    );
    return r.claimed;
  } finally {
    running.delete(key);
  }
}

export function parseSnooze(body: string): number | undefined {
  const m = SNOOZE_RE.exec(body);
  if (!m) return undefined;
  return m[1] ? Math.min(3650, Math.max(1, Number(m[1]))) : 0;
}

export function registerGardenHandlers(app: Probot, opts: GardenHandlerOptions = {}): { stop: () => void } {
  const today = opts.today ?? (() => requireDate(todayUtc()));
  const paced = (o: { request: unknown }): OctokitLike => pacedRequest(asOctokitLike(o), new Pacer(opts.pacing));

  const retryDelays = opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  /** Repository -> failed sweeps in a row and the pending retry. */
  const retries = new Map<string, { failures: number; timer?: NodeJS.Timeout }>();

  const sweep = async (
    octokit: { request: unknown },
    owner: string,
    repo: string,
    log: Logger,
    extra: { ref?: string; changedFiles?: string[] } = {},
  ): Promise<void> => {
    const key = `${owner}/${repo}`;
    let failure: string | undefined;
    let whole = false;
    const ran = await sweepOnce(key, log, opts.claims, async () => {
      try {
        // Config is read as for a review: Probot's config plugin follows `_extends`.
        const configSource = octokitConfigSource(octokit, owner, repo);
        const res = await runRemoteSweep({
          configSource,
          octokit: paced(octokit),
          owner,
          repo,
          today: today(),
          ref: extra.ref,
          changedFiles: extra.changedFiles,
          log: (m) => log.info(m),
        });
        log.info(
          `garden ${key}: ${res.garden.report.patterns} patterns, ${res.garden.report.candidates.length} candidates, ${res.sync.operations.length} operations, ${res.sync.waiting.length} waiting, dashboard ${res.sync.dashboard}`,
        );
        // Gardening pull requests ride on full sweeps only (dispatch, schedule, installation), not on pushes.
        if (res.config.gardening.enabled && !extra.changedFiles) {
          try {
            const t = await runRemoteTend({
              octokit: paced(octokit),
              owner,
              repo,
              today: today(),
              tree: { files: res.files, sha: res.sha },
              config: res.config,
              configSource,
              log: (m) => log.info(m),
            });
            log.info(`gardening ${key}: ${t.outcomes.map((o) => `${o.kind} ${o.outcome}`).join('; ') || 'nothing to tend'} (${t.requests} requests)`);
          } catch (e) {
            const status = (e as { status?: number }).status;
            log.warn(
              `gardening ${key} failed: ${errorText(e)}${status === 403 ? ' (gardening needs the contents: write and pull_requests: write permissions)' : ''}`,
            );
          }
        }
        const failed = res.sync.failed;
        if (failed.length)
          failure = `${failed.length} write(s) failed: ${failed
            .slice(0, 3)
            .map((f) => `${f.what} (${f.error})`)
            .join('; ')}${failed.length > 3 ? '; …' : ''}`;
      } catch (e) {
        failure = errorText(e);
        whole = true;
      }
    });
    // The running sweep owns the retry bookkeeping: a skipped one neither clears nor counts it.
    if (!ran) {
      opts.onSweep?.({ repo: key, outcome: 'skipped' });
      return;
    }
    const state = retries.get(key);
    if (!failure) {
      if (state?.timer) clearTimeout(state.timer);
      retries.delete(key);
      opts.onSweep?.({ repo: key, outcome: 'ok' });
      return;
    }
    const failures = (state?.failures ?? 0) + 1;
    const delay = retryDelays[failures - 1];
    const what = `garden sweep of ${key} ${whole ? 'failed' : 'was incomplete'}: ${failure}`;
    (whole ? (log.error ?? log.warn) : log.warn).call(
      log,
      delay === undefined ? `${what}; no retry left, the next trigger sweeps again` : `${what}; trying again in ${Math.round(delay / 1000)} s`,
    );
    if (state?.timer) clearTimeout(state.timer);
    if (delay === undefined) {
      retries.delete(key);
      opts.onSweep?.({ repo: key, outcome: whole ? 'failed' : 'incomplete' });
      return;
    }
    // The retry is a full sweep of the default branch: it redoes whatever is missing, whatever the trigger was.
    const timer = setTimeout(() => void sweep(octokit, owner, repo, log).catch(() => {}), delay);
    timer.unref();
    retries.set(key, { failures, timer });
    opts.onSweep?.({ repo: key, outcome: whole ? 'failed' : 'incomplete', retryInMs: delay });
  };

  app.on('push', async (context) => {
    const p = context.payload;
    const changed = defaultBranchChanges(p);
    if (!changed || !touchesPatterns(changed)) return;
    const full = changed.has(CONFIG_PATH);
    await sweep(context.octokit, p.repository.owner?.login ?? p.repository.owner?.name ?? '', p.repository.name, context.log, {
      ref: p.after,
      changedFiles: full ? undefined : [...changed],
    });
  });

  app.on('repository_dispatch', async (context) => {
    const p = context.payload as { action?: string; repository: { owner: { login: string }; name: string } };
    if (p.action !== DISPATCH_TYPE) return;
    await sweep(context.octokit, p.repository.owner.login, p.repository.name, context.log);
  });

  // sweep() never throws: one repository's failure does not stop the others.
  app.on('installation.created', async (context) => {
    for (const r of context.payload.repositories ?? []) {
      const [owner, repo] = r.full_name.split('/') as [string, string];
      await sweep(context.octokit, owner, repo, context.log);
    }
  });

  app.on('installation_repositories.added', async (context) => {
    for (const r of context.payload.repositories_added ?? []) {
      const [owner, repo] = r.full_name.split('/') as [string, string];
      await sweep(context.octokit, owner, repo, context.log);
    }
  });

  app.on('issue_comment.created', async (context) => {
    const p = context.payload;
    const days = parseSnooze(p.comment.body ?? '');
    if (days === undefined) return;
    const issue = p.issue;
    const slug = slugOfBody(issue.body);
    const labels = (issue.labels ?? []).map((l) => (typeof l === 'string' ? l : l.name));
    if (!slug || !labels.includes(REPLANT_LABEL)) return;
    if (p.comment.user?.type === 'Bot') return;
    const owner = p.repository.owner.login;
    const repo = p.repository.name;
    const octokit = paced(context.octokit);
    const perm = await octokit
      .request('GET /repos/{owner}/{repo}/collaborators/{username}/permission', { owner, repo, username: p.comment.user?.login ?? '' })
      .then((r) => (r.data as { permission?: string; role_name?: string }) ?? {})
      .catch(() => ({}) as { permission?: string; role_name?: string });
    const gh = octokitGardenGitHub(octokit, owner, repo);
    if (!['admin', 'write', 'maintain'].includes(perm.role_name ?? perm.permission ?? '')) {
      await gh.comment(issue.number, `Only people with write access can snooze replant issues.`);
      return;
    }
    const n = days || 90;
    const until = formatDate(addDays(today(), n));
    await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', { owner, repo, issue_number: issue.number, labels: [SNOOZED_LABEL] });
    await gh.updateIssue(issue.number, { body: withSnooze(issue.body ?? '', until), state: 'closed', state_reason: 'completed' });
    await gh.comment(issue.number, `Snoozed for ${n} days: this issue stays closed until ${until}, then reopens if its signals are still there.`);
  });

  let timer: NodeJS.Timeout | undefined;
  if (opts.scheduleMinutes && opts.scheduleMinutes > 0) {
    timer = setInterval(() => {
      void sweepAllInstallations(app, (octokit, owner, repo) => sweep(octokit, owner, repo, app.log)).catch((e: unknown) =>
        app.log.warn(`scheduled garden sweep failed: ${errorText(e)}`),
      );
    }, opts.scheduleMinutes * 60_000);
    timer.unref();
  }
  return {
    stop: () => {
      if (timer) clearInterval(timer);
      for (const r of retries.values()) if (r.timer) clearTimeout(r.timer);
      retries.clear();
    },
  };
}

function errorText(e: unknown): string {
  const err = e as { status?: number; message?: string };
  const msg = String(err?.message ?? e)
    .split('\n')[0]!
    .slice(0, 300);
  return err?.status ? `${err.status} ${msg}` : msg;
}

/** Pages read per list at most (100 entries each). */
const MAX_PAGES = 100;

/** Every entry of a paginated list: pages until one comes back short. */
export async function allPages<T>(fetch: (page: number, perPage: number) => Promise<T[]>, perPage = 100): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const list = await fetch(page, perPage);
    out.push(...list);
    if (list.length < perPage) break;
  }
  return out;
}

interface AppAuth {
  auth: (installationId?: number) => Promise<{ request: (route: string, params?: Record<string, unknown>) => Promise<{ data: unknown }> }>;
  log: { warn: (msg: string) => void };
}

/** Sweeps every repository of every installation (single-instance deployments only), every page of both lists. */
export async function sweepAllInstallations(
  app: AppAuth,
  sweep: (octokit: { request: unknown }, owner: string, repo: string) => Promise<void>,
  perPage = 100,
): Promise<void> {
  const appOctokit = await app.auth();
  const installs = await allPages(
    async (page, per_page) => (await appOctokit.request('GET /app/installations', { per_page, page })).data as { id: number }[],
    perPage,
  );
  for (const inst of installs) {
    try {
      const octokit = await app.auth(inst.id);
      const repos = await allPages(
        async (page, per_page) =>
          ((await octokit.request('GET /installation/repositories', { per_page, page })).data as { repositories: { full_name: string }[] }).repositories,
        perPage,
      );
      for (const r of repos) {
        const [owner, repo] = r.full_name.split('/') as [string, string];
        await sweep(octokit, owner, repo);
      }
    } catch (e) {
      app.log.warn(`garden sweep of installation ${inst.id} failed: ${errorText(e)}`);
    }
  }
}

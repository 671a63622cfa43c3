/**
 * Garden triggers in the GitHub App:
 * - push to the default branch: re-evaluate the changed patterns and those linking to them;
 * - repository_dispatch `gardener-sweep`: full sweep (a weekly workflow fires it);
 * - installation created / installation_repositories added: first sweep;
 * - issue_comment `/gardener snooze <N>d` on a replant issue, by a user with write access;
 * - optional in-process schedule (`scheduleMinutes` option, off by default).
 */
import type { Probot } from 'probot';
import { addDays, formatDate, todayUtc, requireDate, type CalendarDate } from '../core/dates.js';
import { REPLANT_LABEL, SNOOZED_LABEL, slugOfBody, withSnooze } from './issue.js';
import { asOctokitLike, octokitGardenGitHub, pacedRequest, Pacer, type OctokitLike, type PacingOptions } from './octokit.js';
import { runRemoteSweep } from './remote.js';
import { CONFIG_PATH } from '../github/config.js';
import { defaultBranchChanges, touchesPatterns } from '../github/push-event.js';

export const DISPATCH_TYPE = 'gardener-sweep';
export const SNOOZE_RE = /^\s*\/gardener\s+snooze(?:\s+(\d{1,4})\s*d(?:ays?)?)?\s*$/im;

export interface GardenHandlerOptions {
  /** Injected "today" (tests); UTC date of the event otherwise. */
  today?: () => CalendarDate;
  /** Minutes between in-process sweeps of every installed repository; 0 or absent: off. */
  scheduleMinutes?: number;
  pacing?: PacingOptions;
}

interface Logger {
  info: (msg: string) => void;
  warn: (msg: string) => void;
}

const running = new Set<string>();

/** One sweep per repository at a time in this process; other processes converge through the dedupe. */
async function sweepOnce(key: string, log: Logger, fn: () => Promise<void>): Promise<void> {
  if (running.has(key)) {
    log.info(`garden sweep of ${key} already running; skipped`);
    return;
  }
  running.add(key);
  try {
    await fn();
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

  const sweep = async (octokit: { request: unknown }, owner: string, repo: string, log: Logger, extra: { ref?: string; changedFiles?: string[] } = {}) => {
    await sweepOnce(`${owner}/${repo}`, log, async () => {
      const res = await runRemoteSweep({ octokit: paced(octokit), owner, repo, today: today(), ref: extra.ref, changedFiles: extra.changedFiles, log: (m) => log.info(m) });
      log.info(
        `garden ${owner}/${repo}: ${res.garden.report.patterns} patterns, ${res.garden.report.candidates.length} candidates, ${res.sync.operations.length} operations, ${res.sync.waiting.length} waiting, dashboard ${res.sync.dashboard}`,
      );
    });
  };

  app.on('push', async (context) => {
    const p = context.payload;
    const changed = defaultBranchChanges(p);
    if (!changed || !touchesPatterns(changed)) return;
    const full = changed.has(CONFIG_PATH);
    await sweep(context.octokit, p.repository.owner?.login ?? p.repository.owner?.name ?? '', p.repository.name, context.log, { ref: p.after, changedFiles: full ? undefined : [...changed] });
  });

  app.on('repository_dispatch', async (context) => {
    const p = context.payload as { action?: string; repository: { owner: { login: string }; name: string } };
    if (p.action !== DISPATCH_TYPE) return;
    await sweep(context.octokit, p.repository.owner.login, p.repository.name, context.log);
  });

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
      void scheduledSweep(app, sweep).catch((e: unknown) => app.log.warn(`scheduled garden sweep failed: ${(e as Error).message}`));
    }, opts.scheduleMinutes * 60_000);
    timer.unref();
  }
  return { stop: () => timer && clearInterval(timer) };
}

type SweepFn = (octokit: { request: unknown }, owner: string, repo: string, log: Logger) => Promise<void>;

/** Sweeps every repository of every installation (single-instance deployments only). */
async function scheduledSweep(app: Probot, sweep: SweepFn): Promise<void> {
  const appOctokit = await app.auth();
  const installs = (await appOctokit.request('GET /app/installations', { per_page: 100 })).data as { id: number }[];
  for (const inst of installs) {
    const octokit = await app.auth(inst.id);
    const repos = (await octokit.request('GET /installation/repositories', { per_page: 100 })).data as { repositories: { full_name: string }[] };
    for (const r of repos.repositories) {
      const [owner, repo] = r.full_name.split('/') as [string, string];
      await sweep(octokit, owner, repo, app.log).catch((e: unknown) => app.log.warn(`garden sweep of ${r.full_name} failed: ${(e as Error).message}`));
    }
  }
}

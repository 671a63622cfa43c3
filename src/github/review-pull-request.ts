/**
 * One event, end to end, under an API-request budget:
 *   config (Probot, 1 request) → check run in_progress (1) → PR files (1 per 100) → head tarball (1, 0 when
 *   cached) [→ the base side (0: rebuilt from the head and the files' patches, base-snapshot.ts; a base
 *   tarball, 1 unless cached, only when a patch is missing or does not apply)] →
 *   GraphQL PR state (1: head SHA re-check, app threads, reviewed SHAs, link-rejection memory) → link
 *   proposals (0: computed from the head snapshot, delivered with the other findings) → review (0–1) →
 *   resolve stale threads (0–1) → check run completion (1 per 50 annotations, as many batches as fit the
 *   event's goal of 10 requests: `annotationBatchesLeft`; findings past them are listed in the summary).
 * For a PR of ≤100 files and ≤50 findings that is 7 requests (+1 for the installation token).
 */
import { suppressedSummary } from '../core/suppressions.js';
import { GARDENING_PERMISSIONS_NOTE } from '../garden/tend-render.js';
import { CONFIG_PATH } from './config.js';
import { performance } from 'node:perf_hooks';
import { FileSelector } from '../core/config.js';
import { NOTE_PROPOSAL_RULE, noteLinkIndex, proposeNoteLinks } from '../links/notes.js';
import type { ParsedDocument } from '../core/document.js';
import type { CalendarDate } from '../core/dates.js';
import { Engine } from '../core/engine.js';
import { compareFindings, fingerprint, type Finding } from '../core/finding.js';
import { formatDate } from '../core/dates.js';
import { BASELINE_PATH, BaselineError, compareWithBaseline, parseBaseline } from '../core/baseline.js';
import { analyzePullRequest, foldRepeatedNotices, judgeAgainstBase, mayPreExist, needsBase } from './analyze.js';
import { baseFromDiff, isPureRename } from './base-snapshot.js';
import {
  ANNOTATIONS_PER_REQUEST,
  buildCheckOutput,
  capSummary,
  completeCheckRun,
  createCheckRun,
  existingCheckRun,
  externalIdFor,
  failureSummary,
  finishCheckRun,
  NOT_CHECKED,
  type CheckRunHandle,
} from './check-run.js';
import { configErrorSummary, loadRepoConfig, type ConfigSource, type LoadedConfig } from './config.js';
import { isTransient, isUnavailable, statusOf, type GitHubApi, type RepoRef } from './octokit.js';
import { listPullFiles, type ChangedFile } from './pull-files.js';
import {
  APPLY_HINT,
  collectRejections,
  duplicateFindings,
  LINK_PROPOSAL_RULE,
  linkIndexFor,
  proposalMarkerFor,
  proposeLinks,
  patternsWithoutConfidentLinks,
  nothingConfidentNote,
  type LinkIndexStats,
  type LinkProposal,
} from './link-proposals.js';
import { fetchPullState, planReview, postReview, resolveThreads, reviewBody, type ReviewPlan } from './review.js';
import { CommitGoneError, getSnapshot, type Snapshot, type SnapshotStats } from './snapshot.js';
import { truncate } from './limits.js';

export interface PullRequestRef {
  repo: RepoRef;
  number: number;
  headSha: string;
  baseSha: string;
  draft: boolean;
  /** `owner/name` of the head repository (differs from `repo` for fork PRs; reads go through `repo`). */
  headRepo?: string;
  /** A re-requested check: a new run even when the SHA already has a finished one. */
  rerun?: boolean;
  /** The previous head SHA (`synchronize`): its cached snapshot plus the comparison can stand in for the archive. */
  before?: string;
}

export interface Logger {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  debug?(obj: unknown, msg?: string): void;
}

export interface ReviewDeps {
  api: GitHubApi;
  configSource: ConfigSource;
  today: CalendarDate;
  log: Logger;
  /** Hard cap on this module's own requests per event (the config read and token are Probot's). */
  maxRequests?: number;
  /** Most annotation batches (50 each) sent; the rest are listed in the summary. Default: annotationBatchesLeft. */
  maxAnnotationBatches?: number;
  /**
   * Whether the caller will try the event again (default false): then a failure GitHub caused (5xx,
   * timeouts, rate limits, after the request policy's retries) leaves the run in progress, saying so, for
   * the next attempt to adopt, instead of completing it as "Not checked".
   */
  willRetry?: boolean;
}

export type Outcome =
  | {
      status: 'reviewed';
      conclusion: string;
      findings: number;
      comments: number;
      resolved: number;
      requests: number;
      snapshot: SnapshotStats;
      timings: Record<string, number>;
      /** Link proposals made (changed commons patterns whose inferred links should change). */
      proposals: number;
      /** Findings already there before the pull request (review.scope introduced): listed, not counted. */
      preExisting: number;
      /** Where the base side came from, when it was needed: the PR's patches, the base commit's archive, or nowhere. */
      base?: 'diff' | 'tarball' | 'unavailable';
      /** The head link index: built in this event (with its build time) or reused from the snapshot cache. */
      linkIndex?: LinkIndexStats;
    }
  | { status: 'config-error'; errors: number }
  /** The SHA already has this pull request's finished run (a redelivered or repeated event): nothing done. */
  | { status: 'already-checked'; runId: number }
  | { status: 'skipped-draft' }
  | { status: 'superseded'; reason: string }
  /** Another replica holds the claim on this review (claims.ts): nothing done here. */
  | { status: 'claimed-elsewhere'; claim: string };

export class BudgetExceededError extends Error {}

/** Requests one pull request event aims at, all included (issue #3's bar: at most 10). */
export const EVENT_REQUEST_GOAL = 10;
/** Requests made for the event outside this module: the installation token and the config read. */
const PROBOT_REQUESTS = 2;

/**
 * Annotation batches that fit the event's request goal once `used` HTTP requests of this module are spent:
 * the last batch completes the run (one request in any case), the findings past them are listed in the
 * check summary. A PR with hundreds of findings then costs 10 requests, not one more per 50 findings.
 */
export function annotationBatchesLeft(used: number): number {
  return Math.max(1, EVENT_REQUEST_GOAL - PROBOT_REQUESTS - used);
}

/** Counts requests through the API and refuses past the budget. */
export function withBudget(api: GitHubApi, max: number): GitHubApi & { count(): number } {
  let n = 0;
  const take = () => {
    if (++n > max) throw new BudgetExceededError(`API request budget of ${max} exceeded`);
  };
  return {
    request: (route, params) => {
      take();
      return api.request(route, params);
    },
    graphql: (q, v) => {
      take();
      return api.graphql(q, v);
    },
    count: () => n,
  };
}

/** Milliseconds per phase of one event (outcome.timings, the review bench's breakdown). */
function phaseTimer(): { t: Record<string, number>; lap: (k: string) => void } {
  const t: Record<string, number> = {};
  let mark = performance.now();
  return {
    t,
    lap: (k: string) => {
      const now = performance.now();
      t[k] = Math.round(now - mark);
      mark = now;
    },
  };
}

export async function reviewPullRequest(deps: ReviewDeps, pr: PullRequestRef): Promise<Outcome> {
  const timer = phaseTimer();
  const api = withBudget(deps.api, deps.maxRequests ?? 40);
  const { repo, headSha } = pr;
  const externalId = externalIdFor(pr.number);
  // One run per pull request and SHA (check-run.ts): adopt an unfinished one, stop at a finished one.
  let run: CheckRunHandle | undefined;
  try {
    const existing = await existingCheckRun(api, repo, headSha, externalId);
    if ('completed' in existing && !pr.rerun) {
      deps.log.info({ pr: pr.number, sha: headSha, run: existing.completed.id }, 'pattern-gardener: this SHA is already checked');
      return { status: 'already-checked', runId: existing.completed.id };
    }
    if ('open' in existing) run = existing.open;
  } catch (e) {
    const s = statusOf(e);
    if (s === 404 || s === 422) return superseded(deps, pr, `check runs not listed (${s}): the commit is gone`);
    throw e;
  }
  const startRun = async (): Promise<CheckRunHandle | Outcome> => {
    if (run) return run;
    try {
      return (run = await createCheckRun(api, repo, headSha, externalId));
    } catch (e) {
      // 422 "No commit found for SHA" / 404: the head was force-pushed away before the run started.
      const s = statusOf(e);
      if (s === 404 || s === 422) return superseded(deps, pr, `check run refused (${s}): the commit is gone`);
      throw e;
    }
  };
  let loaded: LoadedConfig;
  try {
    loaded = await loadRepoConfig(deps.configSource, api, repo, headSha);
  } catch (e) {
    // GitHub failed or refused a read (after the request policy's retries): not a config problem.
    const started = await startRun();
    if ('status' in started) return started;
    await notChecked(api, pr, started, e, deps.willRetry);
    throw e;
  }
  if (!loaded.ok) {
    const started = await startRun();
    if ('status' in started) return started;
    try {
      await finishCheckRun(api, repo, started, 'failure', 'Invalid .github/pattern-gardener.yml', configErrorSummary(loaded.errors));
    } catch (e) {
      const s = statusOf(e);
      if (s === 404 || s === 422) return superseded(deps, pr, `check run refused (${s}): the commit is gone`);
      throw e;
    }
    deps.log.info({ pr: pr.number, errors: loaded.errors.length }, 'pattern-gardener: invalid config');
    return { status: 'config-error', errors: loaded.errors.length };
  }
  const { config, schemaOverrides } = loaded;
  if (pr.draft && !config.review.drafts) {
    deps.log.info({ pr: pr.number }, 'pattern-gardener: draft PR skipped (review.drafts: false)');
    return { status: 'skipped-draft' };
  }
  // The tarball is the slowest download of a cold event: it starts now and travels beside the check
  // run and the file list (its errors surface where it is awaited, in reviewWithRun).
  const stats: SnapshotStats = { cacheHit: false, parsed: 0, reused: 0, requests: 0 };
  const selector = new FileSelector(config);
  // A cached snapshot of the previous head or of the base, plus one comparison, saves the archive.
  const ancestors = [pr.before, pr.baseSha].filter((s): s is string => !!s);
  const headSnapshot = getSnapshot(api, repo, headSha, config, selector, stats, ancestors);
  headSnapshot.catch(() => undefined);
  timer.lap('config');
  // While this request and the file list run, the tarball arrives and is parsed ("checkRun" holds that
  // overlap when the parse is the longer of the two, as on a loopback or mocked GitHub).
  const started = await startRun();
  if ('status' in started) return started;
  try {
    timer.lap('checkRun');
    return await reviewWithRun(deps, api, pr, started, config, schemaOverrides, { head: headSnapshot, stats, selector, timer });
  } catch (e) {
    if (e instanceof CommitGoneError) return superseded(deps, pr, e.message, api, started);
    // Leave no check spinning, and none passing unchecked; the error still reaches Probot's log.
    await notChecked(api, pr, started, e, deps.willRetry);
    throw e;
  }
}

/**
 * Completes a run that could not check the commit as failing (neutral would pass a required check with
 * nothing checked), saying whether GitHub was unavailable or the app failed, and asking for a re-run.
 */
async function notChecked(api: GitHubApi, pr: PullRequestRef, run: CheckRunHandle, e: unknown, willRetry = false): Promise<void> {
  const unavailable = isUnavailable(e);
  if (unavailable && willRetry) {
    // Still ours: the next attempt adopts this run (an unfinished run of the SHA) and completes it.
    try {
      await api.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
        ...pr.repo,
        check_run_id: run.id,
        status: 'in_progress',
        output: {
          title: 'Waiting for GitHub',
          summary: capSummary([
            `GitHub did not answer (${truncate(((e as Error)?.message ?? String(e)).replace(/\s+/g, ' '), 300)}); Pattern Gardener tries this commit again shortly.`,
          ]),
        },
      });
    } catch {
      /* the next attempt finds the run in progress either way */
    }
    return;
  }
  const title = `${NOT_CHECKED} ${unavailable ? 'GitHub did not answer; re-run this check' : 'Pattern Gardener stopped with an error; re-run this check'}`;
  try {
    await finishCheckRun(api, pr.repo, run, 'failure', title, failureSummary((e as Error)?.message ?? String(e), unavailable));
  } catch {
    /* the original error matters more */
  }
}

/**
 * The head moved or vanished (force-push): end quietly. A check run already started on the old SHA is
 * completed as neutral so it neither spins nor fails; when the commit is gone that PATCH fails too, and
 * that is fine (nobody sees a check run of a vanished commit).
 */
async function superseded(deps: ReviewDeps, pr: PullRequestRef, reason: string, api?: GitHubApi, run?: CheckRunHandle): Promise<Outcome> {
  deps.log.info({ pr: pr.number, sha: pr.headSha, reason }, 'pattern-gardener: head moved during the run; the newer event wins');
  if (api && run) {
    try {
      await api.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
        ...pr.repo,
        check_run_id: run.id,
        status: 'completed',
        conclusion: 'neutral',
        completed_at: new Date().toISOString(),
        output: { title: 'Superseded', summary: 'The pull request head moved while this commit was being checked; the newer commit gets its own check run.' },
      });
    } catch {
      /* the commit is gone */
    }
  }
  return { status: 'superseded', reason };
}

type Delivered = { comments: number; refused: ReviewPlan['commented'] } | { gone: string };

/** Why the head moved away, read again from GitHub (undefined when it is still `pr.headSha`). */
async function headMoved(api: GitHubApi, pr: PullRequestRef): Promise<string | undefined> {
  const state = await fetchPullState(api, pr.repo, pr.number);
  if (!state) return 'pull request not found';
  if (state.headSha && state.headSha !== pr.headSha) return `head is now ${state.headSha}`;
  return undefined;
}

function describeError(e: unknown): string {
  const s = statusOf(e);
  return `${s !== undefined ? `${s} ` : ''}${((e as Error)?.message ?? String(e)).replace(/\s+/g, ' ').slice(0, 300)}`;
}

/**
 * Posts the planned review.
 * - 422 with inline comments (e.g. "pull_request_review_thread.line must be part of the diff": the diff
 *   changed under us): posts the review once more without inline comments, listing their findings in the
 *   body; the caller puts their fixes back into the check run summary. Nothing is dropped.
 * - 404/422 otherwise: refused; the caller reads the head again (superseded only when it moved).
 * - 5xx/timeout: GitHub may have created the review anyway, so the pull state is read before posting again
 *   (the request layer never retries this POST blindly).
 */
async function deliverReview(deps: ReviewDeps, api: GitHubApi, pr: PullRequestRef, plan: ReviewPlan, total: number): Promise<Delivered> {
  const review = plan.review!;
  try {
    await postReview(api, pr.repo, pr.number, review);
    return { comments: review.comments.length, refused: [] };
  } catch (e) {
    const s = statusOf(e);
    if (s === 422 && review.comments.length > 0) {
      deps.log.warn(
        { pr: pr.number, sha: pr.headSha, status: s, comments: review.comments.length },
        'pattern-gardener: inline comments refused; posting them in the review body and the check run',
      );
      const body = reviewBody(total, 0, plan.overflow, pr.headSha, plan.commented);
      try {
        await postReview(api, pr.repo, pr.number, { ...review, body, comments: [] });
      } catch (e2) {
        const s2 = statusOf(e2);
        if (s2 === 404 || s2 === 422) return { gone: `review refused (${s2})` };
        throw e2;
      }
      return { comments: 0, refused: plan.commented };
    }
    if (s === 404 || s === 422) return { gone: `review refused (${s})` };
    if (!isTransient(e)) throw e;
    const state = await fetchPullState(api, pr.repo, pr.number);
    if (!state) return { gone: 'pull request not found' };
    if (state.reviewedShas.has(pr.headSha)) return { comments: review.comments.length, refused: [] };
    await postReview(api, pr.repo, pr.number, review);
    return { comments: review.comments.length, refused: [] };
  }
}

/**
 * The repository's baseline (`gardener baseline`, read from the head like any file of the pull request): a
 * finding it records counts as already there, as the CLI's `check` treats it, up to the recorded count.
 */
export function applyRepoBaseline(findings: readonly Finding[], text: string): { fresh: Finding[]; recorded: Finding[] } | { error: string } {
  let baseline;
  try {
    baseline = parseBaseline(text);
  } catch (e) {
    return { error: e instanceof BaselineError ? e.message : String(e) };
  }
  const { fresh } = compareWithBaseline(findings, baseline, { checkedFiles: new Set(findings.map((f) => f.file)) });
  const left = new Set(fresh);
  return { fresh, recorded: findings.filter((f) => !left.has(f)) };
}

async function reviewWithRun(
  deps: ReviewDeps,
  api: GitHubApi & { count(): number },
  pr: PullRequestRef,
  run: CheckRunHandle,
  config: import('../core/config.js').GardenerConfig,
  schemaOverrides: Partial<Record<import('../core/document.js').DocKind, object>>,
  /** What reviewPullRequest started: the head snapshot on its way, its stats, the file selector, the phase timer. */
  started: { head: Promise<Snapshot>; stats: SnapshotStats; selector: FileSelector; timer: ReturnType<typeof phaseTimer> },
): Promise<Outcome> {
  const { repo, headSha } = pr;
  const { stats, selector } = started;
  const engine = new Engine({ config, today: deps.today, schemaOverrides });
  const { t, lap } = started.timer;
  let listed;
  try {
    listed = await listPullFiles(api, repo, pr.number);
  } catch (e) {
    if (statusOf(e) === 404) return superseded(deps, pr, 'pull request not found', api, run);
    throw e;
  }
  lap('files');
  const head = await started.head;
  // The base side, read at most once: rebuilt from the head and the patches (no request), else the base
  // commit's archive (cached by SHA like the head).
  let base: Snapshot | undefined;
  let baseSource: 'diff' | 'tarball' | 'unavailable' | undefined;
  const readBase = async (): Promise<Snapshot | undefined> => {
    if (baseSource) return base;
    const rebuilt = baseFromDiff(head, listed.files, selector, config);
    if (rebuilt.ok) {
      baseSource = 'diff';
      return (base = rebuilt.base);
    }
    deps.log.info({ pr: pr.number, files: rebuilt.unrevertible.slice(0, 5) }, 'pattern-gardener: patches cannot rebuild the base; reading the base commit');
    try {
      base = await getSnapshot(api, repo, pr.baseSha, config, selector, stats);
      baseSource = 'tarball';
    } catch (e) {
      if (!(e instanceof CommitGoneError)) throw e;
      baseSource = 'unavailable';
    }
    return base;
  };
  if (needsBase(listed.files, selector)) await readBase();
  lap('snapshot');
  const analysis = analyzePullRequest({ engine, selector, head, base, files: listed.files });
  lap('analyze');
  const notes: string[] = [];
  let introduced = analysis.findings;
  let preExisting: Finding[] = [];
  if (config.review.scope === 'introduced' && mayPreExist(analysis.findings, listed.files)) {
    const b = await readBase();
    if (b) ({ introduced, preExisting } = judgeAgainstBase({ engine, base: b, files: listed.files, findings: analysis.findings }));
    else notes.push('The base commit could not be read, so every finding in the changed files counts as new.');
    lap('base');
  }
  if (head.baselineText !== undefined && introduced.length > 0) {
    const known = applyRepoBaseline(introduced, head.baselineText);
    if ('error' in known) notes.push(`The baseline file \`${BASELINE_PATH}\` was ignored: ${known.error}.`);
    else if (known.recorded.length > 0) {
      introduced = known.fresh;
      preExisting = [...preExisting, ...known.recorded];
    }
  }
  const files = new Map<string, ChangedFile>(listed.files.filter((f) => f.status !== 'removed').map((f) => [f.filename, f]));

  const state = await fetchPullState(api, repo, pr.number);
  if (!state) return superseded(deps, pr, 'pull request not found', api, run);
  if (state.headSha && state.headSha !== headSha) return superseded(deps, pr, `head is now ${state.headSha}`, api, run);

  // Link proposals: after the state read, whose threads and comments carry the rejection memory.
  // Judged on what it introduces, a pull request that only moves a pattern gets no proposals for it.
  const moved = config.review.scope === 'introduced' ? new Set(listed.files.filter(isPureRename).map((f) => f.filename)) : new Set<string>();
  const links = linkProposalsFor(config, head, moved.size > 0 ? analysis.checked.filter((f) => !moved.has(f)) : analysis.checked, state, deps.today);
  lap('links');
  if (links.unconfident && !links.proposals.some((p) => p.plan.add.length > 0)) notes.push(nothingConfidentNote(links.unconfident, config.links.minConfidence));
  const extra = [...links.proposals.map((p) => p.finding), ...links.duplicates, ...(links.notes ?? [])];
  const findings: Finding[] = extra.length > 0 ? [...introduced, ...extra].sort(compareFindings) : introduced;
  const { said, folded } = foldRepeatedNotices(findings);

  const plan = planReview({
    findings: said,
    total: findings.length,
    files,
    linesOf: (f) => head.doc(f)?.lines(),
    review: config.review,
    headSha,
    state,
    markerFor: proposalMarkerFor(links.proposals),
  });
  let comments = 0;
  let suggested = plan.suggested;
  // Whatever fails while posting the review, the run still completes with the conclusion its findings
  // warrant; only a head that really moved (read again) supersedes it.
  let undelivered: string | undefined;
  if (plan.review) {
    try {
      const d = await deliverReview(deps, api, pr, plan, findings.length);
      if ('gone' in d) {
        const moved = await headMoved(api, pr);
        if (moved) return superseded(deps, pr, moved, api, run);
        undelivered = `GitHub refused the review: ${d.gone}`;
        suggested = new Set();
      } else {
        comments = d.comments;
        if (d.refused.length > 0) {
          // Their suggestions were not delivered: the summary carries their patches again.
          const refused = new Set(d.refused.map((f) => fingerprint(f)));
          suggested = new Set([...plan.suggested].filter((fp) => !refused.has(fp)));
          notes.push(
            `GitHub refused ${d.refused.length} inline comment(s) on lines outside the current diff; they are listed in the review, annotated below, and their fixes are under "Ready-to-apply fixes".`,
          );
        }
      }
    } catch (e) {
      if (e instanceof BudgetExceededError) throw e;
      undelivered = `the review could not be posted (${describeError(e)})`;
      suggested = new Set();
    }
  }
  let resolved = 0;
  if (plan.resolve.length > 0) {
    try {
      await resolveThreads(api, plan.resolve);
      resolved = plan.resolve.length;
    } catch (e) {
      if (e instanceof BudgetExceededError) throw e;
      undelivered ??= `stale review threads could not be resolved (${describeError(e)})`;
    }
  }
  if (undelivered) {
    deps.log.warn({ pr: pr.number, sha: headSha, reason: undelivered }, 'pattern-gardener: review not delivered; completing the check run with its findings');
    notes.push(`Not delivered to the pull request: ${undelivered}. Every finding is in this check run; re-run the check to post the review.`);
  }
  if (listed.truncated) notes.push('GitHub lists at most 3,000 files of a pull request; files past that were not checked.');
  if (head.error) notes.push(`The repository archive was not read completely (${head.error}); cross-file checks may be incomplete.`);
  if (analysis.suppressed > 0) notes.push(suppressedSummary(analysis.suppressed));
  if (analysis.missing.length > 0)
    notes.push(
      `Not checked (too large or unsafe in the archive): ${analysis.missing
        .slice(0, 20)
        .map((f) => `\`${f}\``)
        .join(', ')}${analysis.missing.length > 20 ? ', …' : ''}.`,
    );
  if (config.gardening.enabled && listed.files.some((f) => f.filename === CONFIG_PATH)) notes.push(GARDENING_PERMISSIONS_NOTE);
  if (config.links.applyCommand && findings.some((f) => f.rule === LINK_PROPOSAL_RULE && !suggested.has(fingerprint(f)))) notes.push(APPLY_HINT);
  const out = buildCheckOutput({
    findings,
    ...(folded > 0 ? { annotate: said } : {}),
    preExisting,
    failOn: config.review.failOn,
    diffFiles: new Set(files.keys()),
    suggested,
    textOf: (f) => head.text(f),
    checkedFiles: analysis.checked.length,
    crossFiles: analysis.crossFiles.length,
    // a tarball download is two HTTP requests: the API's redirect, then codeload
    maxAnnotations: (deps.maxAnnotationBatches ?? annotationBatchesLeft(api.count() + stats.requests)) * ANNOTATIONS_PER_REQUEST,
    notes,
  });
  await completeCheckRun(api, repo, run, out);
  lap('output');
  deps.log.info(
    {
      pr: pr.number,
      sha: headSha,
      findings: findings.length,
      preExisting: preExisting.length,
      base: baseSource,
      proposals: links.proposals.length,
      comments,
      resolved,
      requests: api.count(),
      cacheHit: stats.cacheHit,
      linkIndex: links.index,
    },
    'pattern-gardener: reviewed',
  );
  const outcome: Outcome = {
    status: 'reviewed',
    conclusion: out.conclusion,
    findings: findings.length,
    preExisting: preExisting.length,
    comments,
    resolved,
    requests: api.count(),
    snapshot: stats,
    timings: t,
    proposals: links.proposals.length,
  };
  if (baseSource) outcome.base = baseSource;
  if (links.index) outcome.linkIndex = links.index;
  return outcome;
}

/**
 * Proposals for the changed commons patterns (none when `links.propose` is off). The head link index is
 * built only when such a pattern exists, and then cached with the snapshot.
 */
export function linkProposalsFor(
  config: import('../core/config.js').GardenerConfig,
  head: Snapshot,
  changed: readonly string[],
  state: Pick<import('./review.js').PullState, 'threads' | 'linkRejections'> | undefined,
  today: CalendarDate,
): { proposals: LinkProposal[]; duplicates: Finding[]; notes?: Finding[]; index?: LinkIndexStats; unconfident?: number } {
  if (!config.links.propose) return { proposals: [], duplicates: [] };
  const notes = noteProposalsAtHead(config, head, changed);
  if (config.rules[LINK_PROPOSAL_RULE] === 'off') return { proposals: [], duplicates: [], notes };
  const files = changed.filter((f) => head.doc(f)?.kind === 'commons-pattern');
  if (files.length === 0) return { proposals: [], duplicates: [], notes };
  const stats: LinkIndexStats = { built: false, ms: 0, patterns: 0 };
  const index = linkIndexFor(head, stats);
  const rejections = collectRejections(config, state, index);
  const input = { head, files, config, today: formatDate(today), index, rejections };
  return {
    proposals: proposeLinks(input),
    duplicates: duplicateFindings(head, files, index, config),
    notes,
    index: stats,
    unconfident: patternsWithoutConfidentLinks(input),
  };
}

/** `links/note-proposal` for the changed Obsidian notes: the notes' own link index, built only when one changed. */
function noteProposalsAtHead(config: import('../core/config.js').GardenerConfig, head: Snapshot, changed: readonly string[]): Finding[] {
  const severity = config.rules[NOTE_PROPOSAL_RULE] ?? 'notice';
  if (severity === 'off') return [];
  const files = changed.filter((f) => head.doc(f)?.kind === 'obsidian-note');
  if (files.length === 0) return [];
  const notes: ParsedDocument[] = [];
  for (const [path, entry] of head.index.entries) if (entry.kind === 'obsidian-note') notes.push(head.doc(path)!);
  const index = noteLinkIndex(notes, head.index);
  const out: Finding[] = [];
  for (const f of files) {
    const rejected = config.links.rejected.filter((r) => r.startsWith(`${f}->`)).map((r) => r.slice(f.length + 2));
    if (config.links.rejected.includes(f)) continue;
    const finding = proposeNoteLinks(head.doc(f)!, head.index, index, {
      max: config.links.maxNoteProposals,
      minConfidence: config.links.minConfidence,
      section: config.links.noteSection || undefined,
      severity,
      exclude: rejected,
    });
    if (finding) out.push(finding);
  }
  return out;
}

/**
 * Issue sync, desired versus actual (Renovate's ensureIssue, probot-settings' Diffable):
 * the garden report says which patterns should have an open `Replant:` issue and what it
 * should say; GitHub says what exists. The plan is the difference, applied under a cap on
 * new issues, an operations budget and write pacing. Nothing is stored locally: the issue
 * markers and the dashboard's hidden state are the database.
 *
 * Faults: each write is its own step: a failed one is recorded and the others go on (the next
 * sweep redoes what is missing, since the plan is recomputed from GitHub). A create or comment
 * whose answer was lost (5xx, timeout, reset) is looked up by its marker before it is sent again.
 * Two sweeps at once converge: younger duplicate issues are closed, and a "Duplicate of" comment
 * posted twice is deleted again, keeping the oldest.
 */
import type { GardenerConfig } from '../core/config.js';
import { addDays, formatDate, parseDate, type CalendarDate } from '../core/dates.js';
import type { ParsedDocument } from '../core/document.js';
import { isTransient } from '../github/resilience.js';
import { DASHBOARD_MARKER, DASHBOARD_TITLE, decodeState, diffStates, renderDashboard, sameState, stateOf, type DashboardState } from './dashboard.js';
import {
  DASHBOARD_LABEL,
  GARDEN_LABELS,
  REPLANT_LABEL,
  SNOOZED_LABEL,
  renderReplantBody,
  replantLabels,
  replantMarker,
  replantTitle,
  slugOfBody,
  snoozedUntil,
  type LabelSpec,
} from './issue.js';
import type { GardenReport, PatternHealth } from './signals.js';

export interface IssueSnapshot {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason?: string | null;
  labels: string[];
  created_at: string;
  closed_at?: string | null;
  node_id?: string;
}

export interface IssuePatch {
  title?: string;
  body?: string;
  labels?: string[];
  state?: 'open' | 'closed';
  state_reason?: 'completed' | 'not_planned' | 'reopened';
}

/** What the sync needs from GitHub. Read methods are plain functions: tests replace them. */
export interface GardenGitHub {
  listIssues(label: string): Promise<IssueSnapshot[]>;
  listLabels(): Promise<string[]>;
  createLabel(label: LabelSpec): Promise<void>;
  createIssue(p: { title: string; body: string; labels: string[] }): Promise<IssueSnapshot>;
  updateIssue(number: number, p: IssuePatch): Promise<void>;
  comment(number: number, body: string): Promise<void>;
  /** Pins an issue (GraphQL pinIssue); failures are ignored by the caller. */
  pinIssue?(issue: IssueSnapshot): Promise<void>;
  /** The newest issue whose body holds `marker`, if any: did a create whose answer was lost happen? */
  findIssueByMarker?(marker: string): Promise<IssueSnapshot | undefined>;
  /** Comments of an issue, oldest first. */
  listComments?(number: number): Promise<{ id: number; body: string }[]>;
  deleteComment?(id: number): Promise<void>;
}

export type OpKind = 'create' | 'update' | 'close' | 'reopen';

export interface Operation {
  op: OpKind;
  slug: string;
  title: string;
  number?: number;
  body?: string;
  labels?: string[];
  /** For closes: why (cleared signals, duplicate, pattern removed). */
  comment?: string;
  reason?: CloseReason;
  /** For duplicate closes: the issue kept. */
  canonical?: number;
}

/** A write that failed after its retries; the next sweep plans it again. */
export interface FailedWrite {
  what: string;
  error: string;
}

export interface SyncInput {
  report: GardenReport;
  /** Documents by file, for Section 8 excerpts. */
  docs: ReadonlyMap<string, ParsedDocument>;
  owner: string;
  repo: string;
  sha: string;
  pathPrefix?: string;
  config: GardenerConfig;
  today: CalendarDate;
  /** Slugs whose issues this sync may touch (push: changed patterns and their linkers). Undefined: all. */
  scope?: ReadonlySet<string>;
  /** Render and update the dashboard (full sweeps). */
  dashboard?: boolean;
  dryRun?: boolean;
  /** Writes one sweep may make (labels, issues, comments, dashboard). */
  maxOperations?: number;
  log?: (msg: string) => void;
}

export interface SyncResult {
  /** Issue operations, planned (dry run) or applied. */
  operations: Operation[];
  /** Operations left for the next sweep by the budget. */
  deferred: Operation[];
  /** Candidates with no issue yet (the new-issue cap). */
  waiting: PatternHealth[];
  /** Candidates left closed on purpose (not planned or snoozed). */
  suppressed: string[];
  dashboard: 'created' | 'updated' | 'unchanged' | 'skipped';
  /** Write requests made. */
  writes: number;
  duplicatesClosed: number;
  /** Writes that failed; the others went on. */
  failed: FailedWrite[];
}

export const DEFAULT_MAX_OPERATIONS = 60;

function sameLabels(a: readonly string[], b: readonly string[]): boolean {
  const x = [...new Set(a)].sort();
  const y = [...new Set(b)].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

const MANAGED = new Set(GARDEN_LABELS.map((l) => l.name));

/** Desired labels: ours from the signals, plus anything a maintainer added that we do not manage. */
function desiredLabels(h: PatternHealth, existing: readonly string[], keepSnoozed: boolean): string[] {
  const keep = existing.filter((l) => !MANAGED.has(l) || (keepSnoozed && l === SNOOZED_LABEL));
  return [...new Set([...replantLabels(h), ...keep])];
}

/** Issues by slug; the oldest (lowest number) is canonical, younger open ones are duplicates. */
export function groupIssues(issues: readonly IssueSnapshot[]): Map<string, { canonical: IssueSnapshot; duplicates: IssueSnapshot[] }> {
  const by = new Map<string, IssueSnapshot[]>();
  for (const i of issues) {
    const slug = slugOfBody(i.body);
    if (!slug) continue;
    const l = by.get(slug);
    if (l) l.push(i);
    else by.set(slug, [i]);
  }
  const out = new Map<string, { canonical: IssueSnapshot; duplicates: IssueSnapshot[] }>();
  for (const [slug, list] of by) {
    list.sort((a, b) => a.number - b.number);
    out.set(slug, { canonical: list[0]!, duplicates: list.slice(1).filter((i) => i.state === 'open') });
  }
  return out;
}

/** Why a closed issue stays closed although its signals are back, or undefined to reopen it. */
export function suppression(issue: IssueSnapshot, today: CalendarDate, snoozeDays: number): string | undefined {
  const until = parseDate(snoozedUntil(issue.body));
  if (until && formatDate(until) > formatDate(today)) return `snoozed until ${formatDate(until)}`;
  const closed = parseDate(issue.closed_at ?? '');
  const within = closed ? formatDate(addDays(closed, snoozeDays)) > formatDate(today) : true;
  if (issue.labels.includes(SNOOZED_LABEL) && !until && within) return `labelled ${SNOOZED_LABEL}`;
  if (issue.state_reason === 'not_planned' && within) return 'closed as not planned';
  return undefined;
}

/**
 * Why an issue is closed: its signals cleared, it duplicates an older one, its pattern is gone, or what
 * is left of its signals now fires on most of the garden (a convention, counted on the dashboard).
 */
export type CloseReason = 'cleared' | 'duplicate' | 'removed' | 'convention';

/** Hidden marker of a close comment: it is what makes posting it idempotent. */
export function closeMarker(reason: CloseReason, canonical?: number): string {
  return reason === 'duplicate' ? `<!-- pattern-gardener:duplicate-of=${canonical} -->` : `<!-- pattern-gardener:closed reason=${reason} -->`;
}

function closeComment(reason: CloseReason, canonical?: number, conventions: readonly string[] = []): string {
  const marker = closeMarker(reason, canonical);
  if (reason === 'convention') {
    const names = conventions.map((r) => `\`${r}\``).join(', ');
    return `${marker}\nWhat is left of this pattern's signals (${names}) now fires on most patterns of the repository, so it is counted once on the Garden health dashboard instead of tracked per pattern: closing.`;
  }
  if (reason === 'duplicate') return `${marker}\nDuplicate of #${canonical}: two sweeps ran at once. Closing the younger issue.`;
  if (reason === 'removed') return `${marker}\nThe pattern is gone from the repository: closing.`;
  return `${marker}\nAll replant signals have cleared for this pattern. Thank you, gardeners: closing.`;
}

/** Plans the issue operations (no I/O). Creates are in candidate order: oldest evidence first. */
export function planIssues(input: SyncInput, issues: readonly IssueSnapshot[]): { ops: Operation[]; waiting: PatternHealth[]; suppressed: string[] } {
  const g = input.config.garden;
  const groups = groupIssues(issues);
  const inScope = (slug: string) => !input.scope || input.scope.has(slug);
  const closes: Operation[] = [];
  const updates: Operation[] = [];
  const creates: Operation[] = [];
  const waiting: PatternHealth[] = [];
  const suppressed: string[] = [];
  const ctxBase = { owner: input.owner, repo: input.repo, sha: input.sha, pathPrefix: input.pathPrefix, mentions: g.mentions };
  const candidates = new Set(input.report.candidates.map((c) => c.slug));
  const present = new Set([...input.docs.values()].map((d) => d.slug));
  const health = new Map(input.report.health.map((h) => [h.slug, h]));
  const conventions = new Set<string>(input.report.conventions);
  for (const [slug, { canonical, duplicates }] of groups) {
    if (!inScope(slug)) continue;
    for (const d of duplicates)
      closes.push({
        op: 'close',
        slug,
        title: d.title,
        number: d.number,
        reason: 'duplicate',
        canonical: canonical.number,
        comment: closeComment('duplicate', canonical.number),
      });
    // No patterns at all is a broken read, not a garden in perfect health: close nothing.
    if (canonical.state === 'open' && !candidates.has(slug) && input.report.patterns > 0) {
      const left = (health.get(slug)?.signals ?? []).filter((sig) => conventions.has(sig.rule)).map((sig) => sig.rule);
      const reason: CloseReason = !present.has(slug) && input.docs.size > 0 ? 'removed' : left.length ? 'convention' : 'cleared';
      closes.push({ op: 'close', slug, title: canonical.title, number: canonical.number, reason, comment: closeComment(reason, undefined, left) });
    }
  }
  for (const h of input.report.candidates) {
    if (!inScope(h.slug)) continue;
    const title = replantTitle(h);
    const body = renderReplantBody(h, { ...ctxBase, doc: input.docs.get(h.file) });
    const existing = groups.get(h.slug)?.canonical;
    if (!existing) {
      if (creates.length < g.maxNewIssuesPerSweep) creates.push({ op: 'create', slug: h.slug, title, body, labels: replantLabels(h) });
      else waiting.push(h);
      continue;
    }
    if (existing.state === 'open') {
      // Keep a snooze marker a maintainer's command wrote.
      const until = snoozedUntil(existing.body);
      const want = until ? `${body}<!-- pattern-gardener:snoozed-until=${until} -->\n` : body;
      const labels = desiredLabels(h, existing.labels, true);
      if (existing.body !== want || existing.title !== title || !sameLabels(existing.labels, labels)) {
        updates.push({ op: 'update', slug: h.slug, title, number: existing.number, body: want, labels });
      }
      continue;
    }
    const why = suppression(existing, input.today, g.snoozeDays);
    if (why) {
      suppressed.push(`${h.slug} (#${existing.number}: ${why})`);
      continue;
    }
    updates.push({ op: 'reopen', slug: h.slug, title, number: existing.number, body, labels: desiredLabels(h, existing.labels, false) });
  }
  return { ops: [...closes, ...updates, ...creates], waiting, suppressed };
}

/** Attempts at one create or comment whose answer was lost (each after checking it did not happen). */
const LOST_ANSWER_ATTEMPTS = 3;

/**
 * Creates an issue at most once. A 5xx, timeout or reset leaves it unknown whether GitHub created it:
 * the newest issues are searched for its marker before another attempt; without that look-up the error
 * stands (a missing issue is created by the next sweep, a duplicate would stay).
 */
export async function createIssueOnce(gh: GardenGitHub, p: { title: string; body: string; labels: string[] }, marker: string): Promise<IssueSnapshot> {
  for (let n = 1; ; n++) {
    try {
      return await gh.createIssue(p);
    } catch (e) {
      if (!isTransient(e) || n >= LOST_ANSWER_ATTEMPTS || !gh.findIssueByMarker) throw e;
      const found = await gh.findIssueByMarker(marker);
      if (found) return found;
    }
  }
}

/**
 * Posts a comment unless it was already said. `once: 'ever'`: no comment of the issue holds the marker
 * (and when two sweeps posted it at once, the younger copies are deleted); `once: 'last'`: the latest
 * comment does not hold it (a pattern cleared, reopened and cleared again is told so again).
 * Returns whether a comment was posted.
 */
export async function commentOnce(gh: GardenGitHub, number: number, body: string, marker: string, once: 'ever' | 'last'): Promise<boolean> {
  const said = async (): Promise<boolean> => {
    const list = await gh.listComments!(number);
    return once === 'ever' ? list.some((c) => c.body.includes(marker)) : (list.at(-1)?.body.includes(marker) ?? false);
  };
  if (gh.listComments && (await said())) return false;
  for (let n = 1; ; n++) {
    try {
      await gh.comment(number, body);
      break;
    } catch (e) {
      if (!isTransient(e) || n >= LOST_ANSWER_ATTEMPTS || !gh.listComments) throw e;
      if (await said()) return false;
    }
  }
  if (once === 'ever' && gh.listComments && gh.deleteComment) {
    // Whichever sweep posted last sees both copies: it keeps the oldest.
    const copies = (await gh.listComments(number)).filter((c) => c.body.includes(marker)).sort((a, b) => a.id - b.id);
    for (const extra of copies.slice(1)) await gh.deleteComment(extra.id);
  }
  return true;
}

function errorText(e: unknown): string {
  const err = e as { status?: number; message?: string };
  const msg = String(err?.message ?? e)
    .split('\n')[0]!
    .slice(0, 200);
  return err?.status ? `${err.status} ${msg}` : msg;
}

/** Runs one sweep's issue sync against GitHub (or plans it when dryRun). */
export async function syncGarden(gh: GardenGitHub, input: SyncInput): Promise<SyncResult> {
  const log = input.log ?? (() => {});
  const budget = input.maxOperations ?? DEFAULT_MAX_OPERATIONS;
  let writes = 0;
  const canWrite = () => writes < budget;
  const issues = await gh.listIssues(REPLANT_LABEL);
  const plan = planIssues(input, issues);
  const result: SyncResult = {
    operations: [],
    deferred: [],
    waiting: plan.waiting,
    suppressed: plan.suppressed,
    dashboard: 'skipped',
    writes: 0,
    duplicatesClosed: 0,
    failed: [],
  };
  if (input.dryRun) {
    result.operations = plan.ops.map(strip);
    if (input.dashboard) {
      const dash = await findDashboard(gh);
      const state = dashboardState(input, plan.waiting, 0);
      result.dashboard = dash && sameState(decodeState(dash.body), state) ? 'unchanged' : dash ? 'updated' : 'created';
    }
    return result;
  }
  /** One write step: a failure is recorded and the sweep goes on. */
  const step = async (what: string, fn: () => Promise<void>): Promise<boolean> => {
    try {
      await fn();
      return true;
    } catch (e) {
      result.failed.push({ what, error: errorText(e) });
      log(`garden write failed (${what}): ${errorText(e)}`);
      return false;
    }
  };

  // Labels first, only when something will carry them. A label that cannot be created does not stop
  // the issues: GitHub creates a missing label when an issue names it.
  const needed = new Set<string>();
  for (const op of plan.ops) for (const l of op.labels ?? []) needed.add(l);
  if (input.dashboard) needed.add(DASHBOARD_LABEL);
  if (needed.size > 0 && plan.ops.some((o) => o.op !== 'close')) {
    let have = new Set<string>();
    await step('list labels', async () => void (have = new Set((await gh.listLabels()).map((l) => l.toLowerCase()))));
    for (const spec of GARDEN_LABELS) {
      if (!needed.has(spec.name) || have.has(spec.name.toLowerCase()) || !canWrite()) continue;
      writes++;
      await step(`create label ${spec.name}`, () => gh.createLabel(spec));
    }
  }

  const failedCreates = new Set<string>();
  let created = 0;
  for (const op of plan.ops) {
    const cost = op.op === 'close' ? 2 : 1;
    if (writes + cost > budget) {
      result.deferred.push(strip(op));
      continue;
    }
    writes += cost;
    const applied = strip(op);
    const ok = await step(`${op.op} ${op.slug}${op.number ? ` #${op.number}` : ''}`, async () => {
      if (op.op === 'create') {
        const issue = await createIssueOnce(gh, { title: op.title, body: op.body!, labels: op.labels! }, replantMarker(op.slug));
        applied.number = issue.number;
        created++;
      } else if (op.op === 'close') {
        // Comment first: if the close then fails, the next sweep closes without saying it twice.
        await commentOnce(gh, op.number!, op.comment!, closeMarker(op.reason!, op.canonical), op.reason === 'duplicate' ? 'ever' : 'last');
        await gh.updateIssue(op.number!, { state: 'closed', state_reason: op.reason === 'duplicate' ? 'not_planned' : 'completed' });
        if (op.reason === 'duplicate') result.duplicatesClosed++;
      } else if (op.op === 'reopen') {
        await gh.updateIssue(op.number!, { state: 'open', state_reason: 'reopened', title: op.title, body: op.body, labels: op.labels });
      } else {
        await gh.updateIssue(op.number!, { title: op.title, body: op.body, labels: op.labels });
      }
    });
    if (!ok) {
      if (op.op === 'create') failedCreates.add(op.slug);
      continue;
    }
    result.operations.push(applied);
    log(`${op.op} ${op.slug}${applied.number ? ` #${applied.number}` : ''}`);
  }
  // Deferred and failed creates wait on the dashboard too.
  const late = new Set([...result.deferred.filter((d) => d.op === 'create').map((d) => d.slug), ...failedCreates]);
  if (late.size) result.waiting = [...input.report.candidates.filter((c) => late.has(c.slug)), ...result.waiting];

  // Another sweep may have created the same issues at the same time: converge on the oldest.
  if (created > 0) {
    let again = new Map<string, { canonical: IssueSnapshot; duplicates: IssueSnapshot[] }>();
    await step('list issues again', async () => void (again = groupIssues(await gh.listIssues(REPLANT_LABEL))));
    for (const [slug, { canonical, duplicates }] of again) {
      for (const d of duplicates) {
        if (!canWrite()) break;
        writes += 2;
        const ok = await step(`close duplicate #${d.number}`, async () => {
          await commentOnce(gh, d.number, closeComment('duplicate', canonical.number), closeMarker('duplicate', canonical.number), 'ever');
          await gh.updateIssue(d.number, { state: 'closed', state_reason: 'not_planned' });
        });
        if (!ok) continue;
        result.duplicatesClosed++;
        log(`closed duplicate #${d.number} of #${canonical.number} (${slug})`);
      }
    }
  }

  if (input.dashboard)
    await step('dashboard', () =>
      syncDashboard(
        gh,
        input,
        result,
        () => canWrite(),
        () => void writes++,
        log,
      ),
    );
  result.writes = writes;
  return result;
}

async function syncDashboard(
  gh: GardenGitHub,
  input: SyncInput,
  result: SyncResult,
  canWrite: () => boolean,
  wrote: () => void,
  log: (m: string) => void,
): Promise<void> {
  const dash = await findDashboard(gh);
  const state = dashboardState(input, result.waiting, result.failed.length);
  const prev = decodeState(dash?.body);
  if (dash && sameState(prev, state) && dash.state === 'open') {
    result.dashboard = 'unchanged';
    return;
  }
  if (!canWrite()) return;
  const body = renderDashboard({
    report: input.report,
    today: formatDate(input.today),
    waiting: result.waiting,
    changes: diffStates(prev, state, result.operations),
    state,
    blobBase: `https://github.com/${input.owner}/${input.repo}/blob/${input.sha}/${input.pathPrefix ? `${input.pathPrefix.replace(/\/$/, '')}/` : ''}`,
    config: input.config,
    failedWrites: result.failed.length,
  });
  wrote();
  if (dash) {
    await gh.updateIssue(dash.number, dash.state === 'open' ? { body } : { body, state: 'open' });
    result.dashboard = 'updated';
    return;
  }
  const issue = await createIssueOnce(gh, { title: DASHBOARD_TITLE, body, labels: [DASHBOARD_LABEL] }, DASHBOARD_MARKER);
  result.dashboard = 'created';
  // Two sweeps at once may both have created one: keep the oldest open dashboard, close the others.
  const open = (await gh.listIssues(DASHBOARD_LABEL))
    .filter((i) => i.state === 'open' && i.body.includes(DASHBOARD_MARKER))
    .sort((a, b) => a.number - b.number);
  const keep = open[0];
  for (const extra of open.slice(1)) {
    if (!keep || !canWrite()) break;
    wrote();
    wrote();
    const marker = `<!-- pattern-gardener:duplicate-of=${keep.number} -->`;
    await commentOnce(gh, extra.number, `${marker}\nDuplicate of #${keep.number}: the garden dashboard lives there.`, marker, 'ever');
    await gh.updateIssue(extra.number, { state: 'closed', state_reason: 'not_planned' });
    log(`closed duplicate dashboard #${extra.number} of #${keep.number}`);
  }
  if (gh.pinIssue && keep?.number === issue.number) await gh.pinIssue(issue).catch((e: unknown) => log(`could not pin the dashboard: ${(e as Error).message}`));
}

function strip(op: Operation): Operation {
  const o: Operation = { op: op.op, slug: op.slug, title: op.title };
  if (op.number !== undefined) o.number = op.number;
  if (op.reason !== undefined) o.reason = op.reason;
  return o;
}

function dashboardState(input: SyncInput, waiting: readonly PatternHealth[], failed: number): DashboardState {
  const s = stateOf(input.report, formatDate(input.today), waiting);
  return failed ? { ...s, failed } : s;
}

async function findDashboard(gh: GardenGitHub): Promise<IssueSnapshot | undefined> {
  const list = (await gh.listIssues(DASHBOARD_LABEL)).filter((i) => i.body.includes(DASHBOARD_MARKER));
  list.sort((a, b) => (a.state === b.state ? a.number - b.number : a.state === 'open' ? -1 : 1));
  return list[0];
}

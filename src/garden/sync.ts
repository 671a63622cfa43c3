/**
 * Issue sync, desired versus actual (Renovate's ensureIssue, probot-settings' Diffable):
 * the garden report says which patterns should have an open `Replant:` issue and what it
 * should say; GitHub says what exists. The plan is the difference, applied under a cap on
 * new issues, an operations budget and write pacing. Nothing is stored locally: the issue
 * markers and the dashboard's hidden state are the database.
 */
import type { GardenerConfig } from '../core/config.js';
import { addDays, formatDate, parseDate, type CalendarDate } from '../core/dates.js';
import type { ParsedDocument } from '../core/document.js';
import { DASHBOARD_MARKER, DASHBOARD_TITLE, decodeState, diffStates, renderDashboard, sameState, stateOf, type DashboardState } from './dashboard.js';
import {
  DASHBOARD_LABEL,
  GARDEN_LABELS,
  REPLANT_LABEL,
  SNOOZED_LABEL,
  renderReplantBody,
  replantLabels,
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
  reason?: 'cleared' | 'duplicate' | 'removed';
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

function closeComment(reason: 'cleared' | 'duplicate' | 'removed', canonical?: number): string {
  if (reason === 'duplicate') return `Duplicate of #${canonical}: two sweeps ran at once. Closing the younger issue.`;
  if (reason === 'removed') return 'The pattern is gone from the repository: closing.';
  return 'All replant signals have cleared for this pattern. Thank you, gardeners: closing.';
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
  for (const [slug, { canonical, duplicates }] of groups) {
    if (!inScope(slug)) continue;
    for (const d of duplicates) closes.push({ op: 'close', slug, title: d.title, number: d.number, reason: 'duplicate', comment: closeComment('duplicate', canonical.number) });
    // No patterns at all is a broken read, not a garden in perfect health: close nothing.
    if (canonical.state === 'open' && !candidates.has(slug) && input.report.patterns > 0) {
      const reason = present.has(slug) || input.docs.size === 0 ? 'cleared' : 'removed';
      closes.push({ op: 'close', slug, title: canonical.title, number: canonical.number, reason, comment: closeComment(reason) });
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

/** Runs one sweep's issue sync against GitHub (or plans it when dryRun). */
export async function syncGarden(gh: GardenGitHub, input: SyncInput): Promise<SyncResult> {
  const log = input.log ?? (() => {});
  const budget = input.maxOperations ?? DEFAULT_MAX_OPERATIONS;
  let writes = 0;
  const canWrite = () => writes < budget;
  const issues = await gh.listIssues(REPLANT_LABEL);
  const plan = planIssues(input, issues);
  const result: SyncResult = { operations: [], deferred: [], waiting: plan.waiting, suppressed: plan.suppressed, dashboard: 'skipped', writes: 0, duplicatesClosed: 0 };
  if (input.dryRun) {
    result.operations = plan.ops.map(strip);
    if (input.dashboard) {
      const dash = await findDashboard(gh);
      const state = dashboardState(input, plan.waiting);
      result.dashboard = dash && sameState(decodeState(dash.body), state) ? 'unchanged' : dash ? 'updated' : 'created';
    }
    return result;
  }

  // Labels first, only when something will carry them.
  const needed = new Set<string>();
  for (const op of plan.ops) for (const l of op.labels ?? []) needed.add(l);
  if (input.dashboard) needed.add(DASHBOARD_LABEL);
  if (needed.size > 0 && plan.ops.some((o) => o.op !== 'close')) {
    const have = new Set((await gh.listLabels()).map((l) => l.toLowerCase()));
    for (const spec of GARDEN_LABELS) {
      if (!needed.has(spec.name) || have.has(spec.name.toLowerCase()) || !canWrite()) continue;
      await gh.createLabel(spec);
      writes++;
    }
  }

  let created = 0;
  for (const op of plan.ops) {
    const cost = op.op === 'close' ? 2 : 1;
    if (writes + cost > budget) {
      result.deferred.push(strip(op));
      continue;
    }
    if (op.op === 'create') {
      await gh.createIssue({ title: op.title, body: op.body!, labels: op.labels! });
      created++;
    } else if (op.op === 'close') {
      await gh.comment(op.number!, op.comment!);
      await gh.updateIssue(op.number!, { state: 'closed', state_reason: op.reason === 'duplicate' ? 'not_planned' : 'completed' });
      if (op.reason === 'duplicate') result.duplicatesClosed++;
    } else if (op.op === 'reopen') {
      await gh.updateIssue(op.number!, { state: 'open', state_reason: 'reopened', title: op.title, body: op.body, labels: op.labels });
    } else {
      await gh.updateIssue(op.number!, { title: op.title, body: op.body, labels: op.labels });
    }
    writes += cost;
    result.operations.push(strip(op));
    log(`${op.op} ${op.slug}${op.number ? ` #${op.number}` : ''}`);
  }
  // Deferred creates wait on the dashboard too.
  for (const d of result.deferred) {
    if (d.op !== 'create') continue;
    const h = input.report.candidates.find((c) => c.slug === d.slug);
    if (h) result.waiting.push(h);
  }

  // Another sweep may have created the same issues at the same time: converge on the oldest.
  if (created > 0) {
    const again = groupIssues(await gh.listIssues(REPLANT_LABEL));
    for (const [slug, { canonical, duplicates }] of again) {
      for (const d of duplicates) {
        if (!canWrite()) break;
        await gh.comment(d.number, closeComment('duplicate', canonical.number));
        await gh.updateIssue(d.number, { state: 'closed', state_reason: 'not_planned' });
        writes += 2;
        result.duplicatesClosed++;
        log(`closed duplicate #${d.number} of #${canonical.number} (${slug})`);
      }
    }
  }

  if (input.dashboard) {
    const dash = await findDashboard(gh);
    const state = dashboardState(input, result.waiting);
    const prev = decodeState(dash?.body);
    if (dash && sameState(prev, state) && dash.state === 'open') result.dashboard = 'unchanged';
    else if (canWrite()) {
      const body = renderDashboard({
        report: input.report,
        today: formatDate(input.today),
        waiting: result.waiting.map((w) => ({ slug: w.slug, title: w.title, signals: w.signals.filter((s) => s.weight > 0).map((s) => s.rule) })),
        changes: diffStates(prev, state),
        state,
        blobBase: `https://github.com/${input.owner}/${input.repo}/blob/${input.sha}/${input.pathPrefix ? `${input.pathPrefix.replace(/\/$/, '')}/` : ''}`,
        staleAfterDays: input.config.staleAfterDays,
        threshold: input.config.garden.replantThreshold,
      });
      if (dash) {
        await gh.updateIssue(dash.number, dash.state === 'open' ? { body } : { body, state: 'open' });
        result.dashboard = 'updated';
        writes++;
      } else {
        const issue = await gh.createIssue({ title: DASHBOARD_TITLE, body, labels: [DASHBOARD_LABEL] });
        writes++;
        result.dashboard = 'created';
        // Two sweeps at once may both have created one: keep the oldest open dashboard, close the others.
        const open = (await gh.listIssues(DASHBOARD_LABEL)).filter((i) => i.state === 'open' && i.body.includes(DASHBOARD_MARKER)).sort((a, b) => a.number - b.number);
        const keep = open[0];
        for (const extra of open.slice(1)) {
          if (!keep || !canWrite()) break;
          await gh.updateIssue(extra.number, { state: 'closed', state_reason: 'not_planned' });
          await gh.comment(extra.number, `Duplicate of #${keep.number}: the garden dashboard lives there.`);
          writes += 2;
          log(`closed duplicate dashboard #${extra.number} of #${keep.number}`);
        }
        if (gh.pinIssue && keep?.number === issue.number) await gh.pinIssue(issue).catch((e: unknown) => log(`could not pin the dashboard: ${(e as Error).message}`));
      }
    }
  }
  result.writes = writes;
  return result;
}

function strip(op: Operation): Operation {
  const o: Operation = { op: op.op, slug: op.slug, title: op.title };
  if (op.number !== undefined) o.number = op.number;
  return o;
}

function dashboardState(input: SyncInput, waiting: readonly PatternHealth[]): DashboardState {
  return { ...stateOf(input.report, formatDate(input.today)), waiting: waiting.map((w) => w.slug) };
}

async function findDashboard(gh: GardenGitHub): Promise<IssueSnapshot | undefined> {
  const list = (await gh.listIssues(DASHBOARD_LABEL)).filter((i) => i.body.includes(DASHBOARD_MARKER));
  list.sort((a, b) => (a.state === b.state ? a.number - b.number : a.state === 'open' ? -1 : 1));
  return list[0];
}

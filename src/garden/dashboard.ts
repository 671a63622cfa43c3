/**
 * The "Garden health" dashboard: one issue (or one CLI page) that says what matters first: the
 * headline, signals that fire on most of the garden (one line each, with the remedy), what this sweep
 * changed, candidates waiting for an issue, then the counts and the stalest gardens.
 *
 * Every part is bounded whatever the size of the garden (lists are cut to a few names, names are
 * clipped), and the whole body is fitted to `DASHBOARD_MAX_CHARS`. The hidden state is a few numbers
 * and a digest: per-pattern memory lives in the replant issues themselves (GitHub is the database).
 */
import { createHash } from 'node:crypto';
import type { GardenConfig, GardenerConfig } from '../core/config.js';
import type { VaultReport } from './vault.js';
import { SIGNAL_DESCRIPTIONS, SIGNAL_RULES, SIGNAL_WEIGHTS, type GardenReport, type PatternHealth, type SignalRule } from './signals.js';

export const DASHBOARD_MARKER = '<!-- pattern-gardener:dashboard -->';
export const DASHBOARD_TITLE = 'Garden health';
/** Far under GitHub's 65,536-character issue body limit, and about what a maintainer reads. */
export const DASHBOARD_MAX_CHARS = 16_000;
const STATE_OPEN = '<!-- pattern-gardener:state ';
const STATE_CLOSE = ' -->';
/** Names shown per list; the rest are counted ("and N more"). */
const LIST_NAMES = 8;
const LIST_LINES = 10;
const NAME_CHARS = 60;

/** Sweep state kept in the dashboard. Its size does not depend on the size of the garden. */
export interface DashboardState {
  v: 2;
  /** Date of the sweep that wrote this state. */
  date: string;
  patterns: number;
  counts: Partial<Record<SignalRule, number>>;
  candidates: number;
  waiting: number;
  /** Digest of the candidate set (slugs and their weighed signals) and of the waiting set. */
  digest: string;
  /** Short names of the signals treated as conventions. */
  conventions: string[];
  /** Writes that failed in the sweep that wrote this state. */
  failed?: number;
  /** Vault counts (notes, orphans, no outgoing links, empty, missing targets), when the garden has notes. */
  vault?: [number, number, number, number, number];
}

export function short(rule: string): string {
  return rule.replace(/^replant\//, '');
}

function weighed(h: Pick<PatternHealth, 'signals'>): string[] {
  return h.signals.filter((s) => s.weight > 0).map((s) => short(s.rule));
}

export function stateOf(report: GardenReport, date: string, waiting: readonly Pick<PatternHealth, 'slug'>[] = []): DashboardState {
  const hash = createHash('sha256');
  for (const c of [...report.candidates].sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0)))
    hash.update(`${c.slug}\u0000${weighed(c).join(',')}\n`);
  hash.update('\u0001');
  for (const w of [...waiting.map((x) => x.slug)].sort()) hash.update(`${w}\n`);
  const counts: Partial<Record<SignalRule, number>> = {};
  for (const r of SIGNAL_RULES) if (report.counts[r]) counts[r] = report.counts[r];
  return {
    v: 2,
    date,
    patterns: report.patterns,
    counts,
    candidates: report.candidates.length,
    waiting: waiting.length,
    digest: hash.digest('hex').slice(0, 16),
    conventions: report.conventions.map(short),
    ...(report.vault
      ? {
          vault: [
            report.vault.notes,
            report.vault.orphans.length,
            report.vault.noOutgoing.length,
            report.vault.empty.length,
            report.vault.unresolved.length,
          ] as DashboardState['vault'],
        }
      : {}),
  };
}

/** Same garden, whatever the date: the dashboard is rewritten only when this differs. */
export function sameState(a: DashboardState | null, b: DashboardState): boolean {
  if (!a) return false;
  const strip = (s: DashboardState) => JSON.stringify([s.patterns, s.counts, s.candidates, s.waiting, s.digest, s.conventions, s.failed ?? 0, s.vault ?? null]);
  return strip(a) === strip(b);
}

export function encodeState(s: DashboardState): string {
  // "--" cannot appear inside an HTML comment; this JSON never holds it, but be safe.
  return STATE_OPEN + JSON.stringify(s).replace(/--/g, '-\\u002d') + STATE_CLOSE;
}

function countsOf(raw: unknown): Partial<Record<SignalRule, number>> {
  const out: Partial<Record<SignalRule, number>> = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const r of SIGNAL_RULES) {
    const n = (raw as Record<string, unknown>)[r];
    if (typeof n === 'number' && Number.isFinite(n)) out[r] = n;
  }
  return out;
}

/** Reads the state marker; a state written by an older version keeps its date and counts. */
export function decodeState(body: string | null | undefined): DashboardState | null {
  if (!body) return null;
  const i = body.indexOf(STATE_OPEN);
  if (i < 0) return null;
  const j = body.indexOf(STATE_CLOSE, i + STATE_OPEN.length);
  if (j < 0) return null;
  try {
    const s = JSON.parse(body.slice(i + STATE_OPEN.length, j)) as Record<string, unknown>;
    if (!s || typeof s !== 'object' || typeof s.date !== 'string' || typeof s.patterns !== 'number') return null;
    if (s.v === 2 && typeof s.digest === 'string' && typeof s.candidates === 'number' && typeof s.waiting === 'number') {
      const conventions = Array.isArray(s.conventions) ? s.conventions.filter((c): c is string => typeof c === 'string').slice(0, SIGNAL_RULES.length) : [];
      const state: DashboardState = {
        v: 2,
        date: s.date,
        patterns: s.patterns,
        counts: countsOf(s.counts),
        candidates: s.candidates,
        waiting: s.waiting,
        digest: s.digest,
        conventions,
      };
      if (typeof s.failed === 'number' && s.failed > 0) state.failed = s.failed;
      return state;
    }
    if (s.v === 1 && s.candidates && typeof s.candidates === 'object') {
      const waiting = Array.isArray(s.waiting) ? s.waiting.length : 0;
      return {
        v: 2,
        date: s.date,
        patterns: s.patterns,
        counts: countsOf(s.counts),
        candidates: Object.keys(s.candidates).length,
        waiting,
        digest: '',
        conventions: [],
      };
    }
  } catch {
    /* a hand-edited marker: start afresh */
  }
  return null;
}

/** An issue operation this sweep applied (the parts the dashboard reports). */
export interface AppliedOperation {
  op: 'create' | 'update' | 'close' | 'reopen';
  slug: string;
  number?: number;
  reason?: 'cleared' | 'duplicate' | 'removed' | 'convention';
}

export interface DashboardChanges {
  first: boolean;
  since?: string;
  candidates: { before: number; after: number };
  countDelta: Partial<Record<SignalRule, number>>;
  operations: AppliedOperation[];
}

export function diffStates(prev: DashboardState | null, cur: DashboardState, operations: readonly AppliedOperation[] = []): DashboardChanges {
  const ops = operations.filter((o) => o.op !== 'update' && o.reason !== 'duplicate');
  if (!prev) return { first: true, candidates: { before: 0, after: cur.candidates }, countDelta: {}, operations: ops };
  const countDelta: Partial<Record<SignalRule, number>> = {};
  for (const r of SIGNAL_RULES) {
    const d = (cur.counts[r] ?? 0) - (prev.counts[r] ?? 0);
    if (d !== 0) countDelta[r] = d;
  }
  return { first: false, since: prev.date, candidates: { before: prev.candidates, after: cur.candidates }, countDelta, operations: ops };
}

export interface DashboardInput {
  report: GardenReport;
  today: string;
  /** Candidates with no open issue yet (the new-issue cap), in the order they will be opened. */
  waiting: readonly Pick<PatternHealth, 'slug' | 'signals'>[];
  changes: DashboardChanges;
  state: DashboardState;
  /** Repository blob base for links: https://github.com/o/r/blob/sha/ (optional). */
  blobBase?: string;
  config: Pick<GardenerConfig, 'staleAfterDays'> & { garden: GardenConfig };
  /** Writes that failed this sweep; the next sweep (or the retry) redoes them. */
  failedWrites?: number;
}

/** A name as inline code, clipped: slugs and paths come from files and can be anything. */
export function code(name: string, max = NAME_CHARS): string {
  const flat = name.replace(/[`\r\n]/g, ' ').replace(/<!--/g, '< !--');
  return `\`${flat.length > max ? `${flat.slice(0, max - 1)}…` : flat}\``;
}

/** Up to `max` items, then "and N more". */
export function nameList(items: readonly string[], max = LIST_NAMES, render: (item: string) => string = (n) => code(n)): string {
  const shown = items.slice(0, max).map(render).join(', ');
  return items.length > max ? `${shown} and ${fmt(items.length - max)} more` : shown;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** What a maintainer can do about a signal that fires on most patterns. */
export function conventionRemedy(rule: SignalRule, config: DashboardInput['config']): string {
  const off = `or turn it off: \`${rule}: "off"\` under \`rules:\` in \`.github/pattern-gardener.yml\``;
  switch (rule) {
    case 'garden/last-pruned-stale':
      return `prune the gardens (update \`graph_garden.last_pruned\`), or raise \`staleAfterDays\` (now ${config.staleAfterDays})`;
    case 'replant/age':
      return `raise \`garden.replantAfterMonths\` (now ${config.garden.replantAfterMonths}), ${off}`;
    case 'replant/draft-limbo':
      return `raise \`garden.draftLimboMonths\` (now ${config.garden.draftLimboMonths}), ${off}`;
    case 'replant/decaying-links':
      return `fix the dangling links, raise \`garden.decayingLinksShare\` (now ${config.garden.decayingLinksShare}), ${off}`;
    case 'replant/orphan':
      return `link the patterns to each other under \`relationships\`, ${off}`;
    case 'replant/hollow-vitality':
      return `give the patterns a Section 8 (Vitality) with signs of life, signs of decay and when to replant, ${off}`;
    case 'replant/extractive':
      return `review the \`ontology.commons_assessment.vitality\` scores, ${off}`;
    case 'replant/deprecated-but-linked':
      return `retire the deprecated patterns or the links to them, ${off}`;
  }
}

function changesLine(c: DashboardChanges): string {
  const by = (op: AppliedOperation['op'], reason?: AppliedOperation['reason']) =>
    c.operations
      .filter((o) => o.op === op && (reason === undefined || o.reason === reason))
      .map((o) => (o.number ? `${code(o.slug)} (#${o.number})` : code(o.slug)));
  const list = (items: string[]) => nameList(items, LIST_NAMES, (x) => x);
  const parts: string[] = [];
  if (!c.first && c.candidates.before !== c.candidates.after) parts.push(`candidates ${fmt(c.candidates.before)} → ${fmt(c.candidates.after)}`);
  const opened = by('create');
  const reopened = by('reopen');
  const cleared = by('close', 'cleared');
  const removed = by('close', 'removed');
  if (opened.length) parts.push(`opened ${list(opened)}`);
  if (reopened.length) parts.push(`reopened ${list(reopened)}`);
  if (cleared.length) parts.push(`cleared: ${list(cleared)}`);
  if (removed.length) parts.push(`pattern gone: ${list(removed)}`);
  const convention = by('close', 'convention');
  if (convention.length) parts.push(`closed, its signals now a convention: ${list(convention)}`);
  const deltas = Object.entries(c.countDelta).map(([r, d]) => `${short(r)} ${d! > 0 ? '+' : ''}${fmt(d!)}`);
  if (deltas.length) parts.push(`counts: ${deltas.join(', ')}`);
  if (c.first) return `**Since the last sweep:** this is the first sweep${parts.length ? `; ${parts.join('; ')}` : ''}.`;
  return `**Since the last sweep (${c.since}):** ${parts.length ? parts.join('; ') : 'no change'}.`;
}

/**
 * Joins `head` and `tail` lines into at most `max` characters: head lines that do not fit are dropped
 * from the end (a note says so); the tail (footer, hidden state) is always kept.
 */
export function fitLines(head: readonly string[], tail: readonly string[], max: number): string {
  const note = '*(cut here to fit the issue size)*';
  const tailText = tail.length ? `${tail.join('\n')}\n` : '';
  const room = max - tailText.length - note.length - 2;
  const kept: string[] = [];
  let used = 0;
  for (const line of head) {
    if (used + line.length + 1 > room) {
      kept.push(note);
      break;
    }
    kept.push(line);
    used += line.length + 1;
  }
  return `${kept.join('\n')}\n${tailText}`;
}

export function renderDashboard(inp: DashboardInput): string {
  const { report, config } = inp;
  const out: string[] = [DASHBOARD_MARKER];
  const stale = report.counts['garden/last-pruned-stale'];
  // A vault without patterns: the pattern signals would be a table of zeros.
  const notesOnly = report.patterns === 0 && report.vault !== undefined;
  out.push(
    notesOnly
      ? `Pattern Gardener swept **${fmt(report.vault!.notes)}** notes on ${inp.today}.`
      : `Pattern Gardener swept **${fmt(report.patterns)}** patterns on ${inp.today}: **${fmt(report.candidates.length)}** replant candidates (weight ≥ ${config.garden.replantThreshold}), **${fmt(stale)}** stale gardens.`,
  );
  if (inp.failedWrites) out.push('', `⚠️ ${fmt(inp.failedWrites)} GitHub write(s) failed during this sweep; the next sweep retries them.`);
  out.push('');
  if (report.conventions.length) {
    out.push(
      `**Signals that fire on most patterns** (more than ${Math.round(config.garden.conventionShare * 100)}%: counted, not weighed, so they open no issues; \`garden.conventionShare: 1\` weighs them again):`,
    );
    out.push('');
    for (const r of report.conventions) {
      const pct = Math.round((100 * report.counts[r]) / Math.max(1, report.patterns));
      out.push(`- \`${r}\` fires on ${fmt(report.counts[r])} of ${fmt(report.patterns)} patterns (${pct}%). To act on it: ${conventionRemedy(r, config)}.`);
    }
    out.push('');
  }
  out.push(changesLine(inp.changes), '');
  if (inp.waiting.length) {
    out.push(`**Waiting for an issue** (${fmt(inp.waiting.length)}; opened oldest evidence first, ${config.garden.maxNewIssuesPerSweep} per sweep):`);
    out.push('');
    for (const w of inp.waiting.slice(0, LIST_LINES)) out.push(`- ${code(w.slug)} — ${weighed(w).join(', ')}`);
    if (inp.waiting.length > LIST_LINES) out.push(`- … and ${fmt(inp.waiting.length - LIST_LINES)} more`);
    out.push('');
  }
  if (!notesOnly) {
    out.push('| signal | weight | patterns |');
    out.push('|:--|--:|--:|');
    const conventions = new Set(report.conventions);
    for (const r of SIGNAL_RULES)
      out.push(`| \`${r}\` — ${SIGNAL_DESCRIPTIONS[r]} | ${conventions.has(r) ? '0 (convention)' : SIGNAL_WEIGHTS[r]} | ${fmt(report.counts[r])} |`);
    out.push('');
  }
  if (report.stale.length) {
    out.push(`**Stalest gardens** (\`graph_garden.last_pruned\` older than ${config.staleAfterDays} days; ${fmt(report.stale.length)} in all):`);
    out.push('');
    for (const s of report.stale.slice(0, LIST_LINES)) {
      const url = inp.blobBase ? `${inp.blobBase}${s.file.split('/').map(encodeURIComponent).join('/')}` : '';
      const name = url && url.length <= 300 ? `[${code(s.slug)}](${url})` : code(s.slug);
      out.push(`- ${name}: pruned ${s.lastPruned}, ${fmt(s.days)} days ago`);
    }
    out.push('');
  }
  if (report.vault) out.push(...vaultLines(report.vault));
  const tail = [
    '<sub>Each candidate gets a `Replant:` issue. Close one as *not planned* or comment `/gardener snooze 90d` to quiet it.</sub>',
    encodeState(inp.state),
  ];
  return fitLines(out, tail, DASHBOARD_MAX_CHARS);
}

/** The vault part of the dashboard: counts, then the most linked missing notes and a few names per list. */
export function vaultLines(v: VaultReport): string[] {
  const out: string[] = [];
  const n = (k: number, one: string, many: string) => `${fmt(k)} ${k === 1 ? one : many}`;
  out.push(
    `**Vault** (${n(v.notes, 'note', 'notes')}): ${n(v.unresolved.length, 'missing link target', 'missing link targets')}, ${n(v.orphans.length, 'orphan note', 'orphan notes')}, ${n(v.noOutgoing.length, 'note that links nowhere', 'notes that link nowhere')}, ${n(v.empty.length, 'empty note', 'empty notes')}.`,
  );
  out.push('');
  if (v.unresolved.length) {
    out.push('Notes that do not exist yet, most linked first (create them, or fix the links):');
    out.push('');
    for (const u of v.unresolved.slice(0, LIST_LINES))
      out.push(
        `- ${code(u.target)}: ${fmt(u.links)} link${u.links === 1 ? '' : 's'} from ${fmt(u.files.length)} note${u.files.length === 1 ? '' : 's'} (${nameList(u.files, 3)})${u.files.length > 1 ? ' — create it?' : ''}`,
      );
    if (v.unresolved.length > LIST_LINES) out.push(`- … and ${fmt(v.unresolved.length - LIST_LINES)} more`);
    out.push('');
  }
  if (v.orphans.length) out.push(`Orphans (nothing links in or out): ${nameList(v.orphans)}.`, '');
  if (v.noOutgoing.length) out.push(`Linked to, but linking nowhere: ${nameList(v.noOutgoing)}.`, '');
  if (v.empty.length) out.push(`Empty: ${nameList(v.empty)}.`, '');
  return out;
}

/** The dashboard a first sweep of `report` would write (CLI `sweep --format markdown`). */
export function firstSweepDashboard(report: GardenReport, config: DashboardInput['config'], today: string): string {
  const state = stateOf(report, today, report.candidates);
  return renderDashboard({ report, today, waiting: report.candidates, changes: diffStates(null, state), state, config });
}

/** The visible part of a dashboard body (hidden comments removed), for size budgets. */
export function visibleText(body: string): string {
  return body.replace(/<!--[\s\S]*?-->\n?/g, '');
}

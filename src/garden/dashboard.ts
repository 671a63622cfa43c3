/**
 * The "Garden health" dashboard: one issue (or one CLI page) with counts per signal, the
 * stalest gardens, candidates waiting for an issue and what changed since the last sweep.
 * The previous state lives in the dashboard body as a hidden JSON marker: GitHub is the database.
 */
import { SIGNAL_DESCRIPTIONS, SIGNAL_RULES, SIGNAL_WEIGHTS, type GardenReport, type SignalRule } from './signals.js';

export const DASHBOARD_MARKER = '<!-- pattern-gardener:dashboard -->';
export const DASHBOARD_TITLE = 'Garden health';
const STATE_OPEN = '<!-- pattern-gardener:state ';
const STATE_CLOSE = ' -->';

/** Compact sweep state kept in the dashboard: counts and the candidate set. */
export interface DashboardState {
  v: 1;
  /** Date of the sweep that wrote this state. */
  date: string;
  patterns: number;
  counts: Partial<Record<SignalRule, number>>;
  /** slug -> signal rule short names (rule without the `replant/` prefix). */
  candidates: Record<string, string[]>;
  /** Candidates still waiting for an issue (the new-issue cap). */
  waiting?: string[];
}

export function short(rule: string): string {
  return rule.replace(/^replant\//, '');
}

export function stateOf(report: GardenReport, date: string): DashboardState {
  const candidates: Record<string, string[]> = {};
  for (const c of [...report.candidates].sort((a, b) => (a.slug < b.slug ? -1 : 1))) {
    candidates[c.slug] = c.signals.filter((s) => s.weight > 0).map((s) => short(s.rule));
  }
  const counts: Partial<Record<SignalRule, number>> = {};
  for (const r of SIGNAL_RULES) if (report.counts[r]) counts[r] = report.counts[r];
  return { v: 1, date, patterns: report.patterns, counts, candidates };
}

/** Same garden, whatever the date: the dashboard is rewritten only when this differs. */
export function sameState(a: DashboardState | null, b: DashboardState): boolean {
  if (!a) return false;
  const strip = (s: DashboardState) => JSON.stringify({ p: s.patterns, c: s.counts, k: s.candidates, w: s.waiting ?? [] });
  return strip(a) === strip(b);
}

export function encodeState(s: DashboardState): string {
  // "--" cannot appear inside an HTML comment; JSON of slugs and rule names never holds it, but be safe.
  return STATE_OPEN + JSON.stringify(s).replace(/--/g, '-\\u002d') + STATE_CLOSE;
}

export function decodeState(body: string | null | undefined): DashboardState | null {
  if (!body) return null;
  const i = body.indexOf(STATE_OPEN);
  if (i < 0) return null;
  const j = body.indexOf(STATE_CLOSE, i + STATE_OPEN.length);
  if (j < 0) return null;
  try {
    const s = JSON.parse(body.slice(i + STATE_OPEN.length, j)) as DashboardState;
    if (s && s.v === 1 && typeof s.candidates === 'object' && s.candidates !== null) return s;
  } catch {
    /* a hand-edited marker: start afresh */
  }
  return null;
}

export interface DashboardChanges {
  first: boolean;
  since?: string;
  added: string[];
  cleared: string[];
  countDelta: Partial<Record<SignalRule, number>>;
}

export function diffStates(prev: DashboardState | null, cur: DashboardState): DashboardChanges {
  if (!prev) return { first: true, added: [], cleared: [], countDelta: {} };
  const added = Object.keys(cur.candidates).filter((s) => !(s in prev.candidates)).sort();
  const cleared = Object.keys(prev.candidates).filter((s) => !(s in cur.candidates)).sort();
  const countDelta: Partial<Record<SignalRule, number>> = {};
  for (const r of SIGNAL_RULES) {
    const d = (cur.counts[r] ?? 0) - (prev.counts[r] ?? 0);
    if (d !== 0) countDelta[r] = d;
  }
  return { first: false, since: prev.date, added, cleared, countDelta };
}

export interface DashboardInput {
  report: GardenReport;
  today: string;
  /** Candidates that have no open issue and were not created this sweep (deferred by the cap). */
  waiting: { slug: string; title: string; signals: string[] }[];
  /** slug -> issue number for candidates tracked by an issue. */
  tracked?: number;
  changes: DashboardChanges;
  state: DashboardState;
  /** Repository blob base for links: https://github.com/o/r/blob/sha/ (optional). */
  blobBase?: string;
  staleAfterDays: number;
  threshold: number;
}

function list(names: string[], max: number): string {
  const shown = names.slice(0, max).map((n) => `\`${n}\``).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/**
 * Renders the dashboard. Budget: about 45 visible lines whatever the size of the garden
 * (top 10 stale, top 10 waiting, change lists folded to one line each).
 */
export function renderDashboard(inp: DashboardInput): string {
  const { report } = inp;
  const out: string[] = [];
  out.push(DASHBOARD_MARKER);
  out.push(`Pattern Gardener swept **${report.patterns}** patterns on ${inp.today}: **${report.candidates.length}** replant candidates (weight ≥ ${inp.threshold}), **${report.counts['garden/last-pruned-stale']}** stale gardens.`);
  out.push('');
  out.push('| signal | weight | patterns |');
  out.push('|:--|--:|--:|');
  for (const r of SIGNAL_RULES) out.push(`| \`${r}\` — ${SIGNAL_DESCRIPTIONS[r]} | ${SIGNAL_WEIGHTS[r]} | ${report.counts[r]} |`);
  out.push('');
  const c = inp.changes;
  if (c.first) out.push('**Since the last sweep:** this is the first sweep.');
  else {
    const deltas = Object.entries(c.countDelta).map(([r, d]) => `${short(r)} ${d! > 0 ? '+' : ''}${d}`);
    const parts: string[] = [];
    if (c.added.length) parts.push(`new candidates: ${list(c.added, 8)}`);
    if (c.cleared.length) parts.push(`cleared: ${list(c.cleared, 8)}`);
    if (deltas.length) parts.push(`counts: ${deltas.join(', ')}`);
    out.push(`**Since the last sweep (${c.since}):** ${parts.length ? parts.join('; ') : 'no change'}.`);
  }
  out.push('');
  const stale = report.stale.slice(0, 10);
  if (stale.length) {
    out.push(`**Stalest gardens** (\`graph_garden.last_pruned\` older than ${inp.staleAfterDays} days; ${report.stale.length} in all):`);
    out.push('');
    for (const s of stale) {
      const link = inp.blobBase ? `[\`${s.slug}\`](${inp.blobBase}${s.file})` : `\`${s.slug}\``;
      out.push(`- ${link}: pruned ${s.lastPruned}, ${s.days} days ago`);
    }
    out.push('');
  }
  if (inp.waiting.length) {
    out.push(`**Waiting for an issue** (${inp.waiting.length}; opened oldest evidence first, a few per sweep):`);
    out.push('');
    for (const w of inp.waiting.slice(0, 10)) out.push(`- \`${w.slug}\` — ${w.signals.map(short).join(', ')}`);
    if (inp.waiting.length > 10) out.push(`- … and ${inp.waiting.length - 10} more`);
    out.push('');
  }
  out.push('<sub>Each candidate gets a `Replant:` issue. Close one as *not planned* or comment `/gardener snooze 90d` to quiet it.</sub>');
  out.push(encodeState(inp.state));
  return out.join('\n') + '\n';
}

/** The visible part of a dashboard body (hidden comments removed), for size budgets. */
export function visibleText(body: string): string {
  return body.replace(/<!--[\s\S]*?-->\n?/g, '');
}

/**
 * Garden-health signals: pure functions from parsed documents (and the corpus index) to
 * findings with a weight. No clock (today is injected), no I/O (file history is a map the
 * caller builds from `git log` or the GitHub commits API).
 *
 * Weights (a candidate needs `garden.replantThreshold`, default 2: one strong or two weak):
 *
 * | rule                          | weight | why |
 * |-------------------------------|--------|-----|
 * | garden/last-pruned-stale      | 0      | bulk housekeeping: counted on the dashboard, never an issue by itself |
 * | replant/extractive            | 2      | the authors' own assessment says the pattern depletes vitality |
 * | replant/deprecated-but-linked | 2      | a clear contradiction other patterns keep pointing at |
 * | replant/age                   | 1      | old is not wrong; with another sign it is worth a look |
 * | replant/decaying-links        | 1      | the neighbourhood moved on; cheap to fix, weak alone |
 * | replant/orphan                | 1      | nothing links in or out; may be new or niche |
 * | replant/hollow-vitality       | 1      | Section 8 is the replanting guide; missing guidance is weak alone |
 * | replant/draft-limbo           | 1      | a draft nobody raised above confidence 1 |
 */
import type { GardenConfig, GardenerConfig } from '../core/config.js';
import type { CorpusIndex } from '../core/corpus.js';
import { daysBetween, formatDate, monthsBetween, parseDate, type CalendarDate } from '../core/dates.js';
import type { ParsedDocument } from '../core/document.js';
import type { Finding } from '../core/finding.js';
import { isNoteLink } from '../core/links.js';
import { evaluateVault, type VaultReport } from './vault.js';
import { getPath, isRecord, type KeyPath } from '../core/path.js';

export const SIGNAL_RULES = [
  'garden/last-pruned-stale',
  'replant/extractive',
  'replant/age',
  'replant/decaying-links',
  'replant/orphan',
  'replant/hollow-vitality',
  'replant/draft-limbo',
  'replant/deprecated-but-linked',
] as const;
export type SignalRule = (typeof SIGNAL_RULES)[number];

export const SIGNAL_WEIGHTS: Record<SignalRule, number> = {
  'garden/last-pruned-stale': 0,
  'replant/extractive': 2,
  'replant/deprecated-but-linked': 2,
  'replant/age': 1,
  'replant/decaying-links': 1,
  'replant/orphan': 1,
  'replant/hollow-vitality': 1,
  'replant/draft-limbo': 1,
};

/** One-line explanation per signal, for labels, issue bodies and the dashboard. */
export const SIGNAL_DESCRIPTIONS: Record<SignalRule, string> = {
  'garden/last-pruned-stale': 'graph_garden.last_pruned is older than staleAfterDays',
  'replant/extractive': 'vitality score below 2.0 (Extractive)',
  'replant/age': 'no substantive change for replantAfterMonths',
  'replant/decaying-links': 'too many hard links point at patterns that no longer exist',
  'replant/orphan': 'no pattern links here and it links nowhere',
  'replant/hollow-vitality': 'Section 8 (Vitality) missing, thin or without replanting guidance',
  'replant/draft-limbo': 'draft at confidence 1 for longer than draftLimboMonths',
  'replant/deprecated-but-linked': 'deprecated, yet other patterns still link to it',
};

/** A finding with its weight and evidence. Renderers that know Finding render it unchanged. */
export type Signal = Finding & {
  rule: SignalRule;
  weight: number;
  /** The evidence value as found (a date, a score, a count), for the issue body. */
  value: string;
  /** Date the evidence dates from (YYYY-MM-DD), used to order candidates oldest first. */
  since?: string;
};

/** Thresholds beyond the config's `garden` block (not in the config schema; options only). */
export interface SignalThresholds {
  /** Vitality strictly below this is Extractive (spec rubric: 0.0–1.9). */
  extractiveBelow: number;
  /** Section 8 with fewer words than this is "far under" its 200–300 range. */
  hollowMinWords: number;
  /**
   * A signal that fires on more than `garden.conventionShare` of the patterns, and on at least this many,
   * describes how the repository is written rather than a pattern that needs care (see conventionsOf).
   */
  conventionMinPatterns: number;
}

export const DEFAULT_THRESHOLDS: SignalThresholds = { extractiveBelow: 2.0, hollowMinWords: 100, conventionMinPatterns: 20 };

export interface SignalOptions {
  /** `rules` may turn a signal off (`replant/orphan: off`) like any rule. */
  config: Pick<GardenerConfig, 'staleAfterDays'> & Partial<Pick<GardenerConfig, 'rules'>> & { garden: GardenConfig };
  today: CalendarDate;
  /** file -> date (YYYY-MM-DD) of the last substantive commit touching it. */
  lastChange?: ReadonlyMap<string, string>;
  /** file -> date of the commit that added it (for draft-limbo). */
  firstSeen?: ReadonlyMap<string, string>;
  thresholds?: Partial<SignalThresholds>;
}

const PATTERN = new Set(['commons-pattern', 'commons-pattern-legacy']);

export function isPattern(doc: ParsedDocument): boolean {
  return PATTERN.has(doc.kind) && doc.frontmatter?.data != null;
}

function make(
  doc: ParsedDocument,
  rule: SignalRule,
  path: KeyPath | { line: number; endLine?: number },
  target: string,
  message: string,
  value: string,
  since?: string,
): Signal {
  let line: number;
  let column = 1;
  let endLine: number;
  if (Array.isArray(path)) {
    const loc = doc.locate(path as KeyPath);
    line = loc.line;
    column = loc.column;
    endLine = loc.endLine;
  } else {
    const p = path as { line: number; endLine?: number };
    line = p.line;
    endLine = p.endLine ?? p.line;
  }
  const s: Signal = {
    rule,
    severity: 'notice',
    file: doc.file,
    line,
    column,
    endLine: Math.max(line, endLine),
    message,
    target,
    weight: SIGNAL_WEIGHTS[rule],
    value,
  };
  if (since) s.since = since;
  return s;
}

function dataOf(doc: ParsedDocument): Record<string, unknown> {
  return doc.frontmatter?.data ?? {};
}

function statusOf(data: Record<string, unknown>): { value?: string; path: KeyPath } {
  const life = getPath(data, ['lifecycle', 'status']);
  if (typeof life === 'string') return { value: life, path: ['lifecycle', 'status'] };
  const cls = getPath(data, ['classification', 'status']);
  if (typeof cls === 'string') return { value: cls, path: ['classification', 'status'] };
  return { path: [] };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** File line of a key that occurs once in the frontmatter (`last_pruned`), by a plain scan. */
function keyLine(doc: ParsedDocument, key: string): number | undefined {
  const fm = doc.frontmatter;
  if (!fm) return undefined;
  const i = fm.yaml.search(new RegExp(`^[ \\t]*${key}:`, 'm'));
  if (i < 0) return undefined;
  let line = 2;
  for (let k = 0; k < i; k++) if (fm.yaml.charCodeAt(k) === 10) line++;
  return line;
}

// ─── garden/last-pruned-stale ─────────────────────────────────────────────────────────────

export function lastPrunedStale(doc: ParsedDocument, opts: SignalOptions): Signal[] {
  if (doc.kind !== 'commons-pattern') return [];
  const v = getPath(dataOf(doc), ['graph_garden', 'last_pruned']);
  const d = parseDate(v);
  if (!d) return [];
  const age = daysBetween(d, opts.today);
  if (age <= opts.config.staleAfterDays) return [];
  // Every v7.1 pattern may fire this one: find the line with a scan, not the full source map.
  const line = keyLine(doc, 'last_pruned');
  return [
    make(
      doc,
      'garden/last-pruned-stale',
      line ? { line } : ['graph_garden', 'last_pruned'],
      'graph_garden.last_pruned',
      `The graph garden was last pruned ${age} days ago (${formatDate(d)}), more than the ${opts.config.staleAfterDays} days allowed.`,
      formatDate(d),
      formatDate(d),
    ),
  ];
}

// ─── replant/extractive ───────────────────────────────────────────────────────────────────

export function extractive(doc: ParsedDocument, opts: SignalOptions): Signal[] {
  const below = opts.thresholds?.extractiveBelow ?? DEFAULT_THRESHOLDS.extractiveBelow;
  const path = ['ontology', 'commons_assessment', 'vitality'];
  const raw = getPath(dataOf(doc), path);
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(n) || n >= below) return [];
  return [
    make(
      doc,
      'replant/extractive',
      path,
      'ontology.commons_assessment.vitality',
      `Vitality is ${n}, below ${below.toFixed(1)}: the spec's rubric calls this Extractive (the pattern depletes the system it serves).`,
      String(n),
    ),
  ];
}

// ─── replant/age ──────────────────────────────────────────────────────────────────────────

/** Date of the last substantive change: history first, then `modified`, then `last_pruned`. */
export function lastChangeOf(
  doc: ParsedDocument,
  opts: Pick<SignalOptions, 'lastChange'>,
): { date: CalendarDate; source: 'history' | 'modified' | 'last_updated' | 'last_pruned'; path: KeyPath } | null {
  const h = opts.lastChange?.get(doc.file);
  const hd = h ? parseDate(h) : null;
  if (hd) return { date: hd, source: 'history', path: [] };
  const data = dataOf(doc);
  for (const [key, path] of [
    ['modified', ['modified']],
    ['last_updated', ['last_updated']],
    ['last_pruned', ['graph_garden', 'last_pruned']],
  ] as const) {
    const d = parseDate(getPath(data, path));
    if (d) return { date: d, source: key, path };
  }
  return null;
}

export function age(doc: ParsedDocument, opts: SignalOptions): Signal[] {
  const lc = lastChangeOf(doc, opts);
  if (!lc) return [];
  const months = monthsBetween(lc.date, opts.today);
  const limit = opts.config.garden.replantAfterMonths;
  if (months < limit) return [];
  const when = formatDate(lc.date);
  const how =
    lc.source === 'history'
      ? `its last substantive commit is from ${when}`
      : `no git history was available, so the frontmatter \`${lc.source}\` date (${when}) stands in for it`;
  const where = lc.source === 'history' ? { line: 1, endLine: doc.frontmatter?.closeLine ?? 1 } : lc.path;
  return [
    make(
      doc,
      'replant/age',
      where,
      'age',
      `No substantive change for ${plural(months, 'month')} (limit ${limit}): ${how}.`,
      `${when} (${lc.source === 'history' ? 'git history' : lc.source})`,
      when,
    ),
  ];
}

// ─── replant/decaying-links ───────────────────────────────────────────────────────────────

export function decayingLinks(doc: ParsedDocument, opts: SignalOptions, corpus: CorpusIndex): Signal[] {
  const entry = corpus.entries.get(doc.file);
  if (!entry) return [];
  const hard = entry.links.filter((l) => (l.source === 'relationships' || l.source === 'legacy') && l.target !== '');
  if (hard.length === 0) return [];
  const dangling = hard.filter((l) => corpus.resolvePattern(l.target) === undefined);
  const share = dangling.length / hard.length;
  if (dangling.length === 0 || share <= opts.config.garden.decayingLinksShare) return [];
  const first = dangling[0]!;
  const loc = first.path ? doc.locate(first.path) : { line: 1, endLine: 1 };
  const names =
    dangling
      .slice(0, 5)
      .map((l) => `\`${l.target}\``)
      .join(', ') + (dangling.length > 5 ? ', …' : '');
  return [
    make(
      doc,
      'replant/decaying-links',
      { line: loc.line, endLine: loc.endLine },
      'relationships',
      `${dangling.length} of ${plural(hard.length, 'hard link')} (${Math.round(share * 100)}%, limit ${Math.round(opts.config.garden.decayingLinksShare * 100)}%) point at patterns that do not exist: ${names}.`,
      `${dangling.length}/${hard.length} dangling`,
    ),
  ];
}

// ─── replant/orphan ───────────────────────────────────────────────────────────────────────

export function orphan(doc: ParsedDocument, _opts: SignalOptions, corpus: CorpusIndex): Signal[] {
  const entry = corpus.entries.get(doc.file);
  if (!entry) return [];
  const outbound = entry.links.some(
    (l) => l.target !== '' && !isNoteLink(l) && corpus.resolvePattern(l.target) !== undefined && corpus.resolvePattern(l.target) !== doc.slug,
  );
  if (outbound) return [];
  const inbound = corpus.inbound(doc.slug).some((i) => i.file !== doc.file);
  if (inbound) return [];
  const path: KeyPath = doc.kind === 'commons-pattern' ? ['relationships'] : [];
  return [
    make(
      doc,
      'replant/orphan',
      path.length ? path : { line: 1, endLine: doc.frontmatter?.closeLine ?? 1 },
      'links',
      'No other pattern links here and none of its links reach an existing pattern: it is cut off from the garden.',
      '0 inbound, 0 outbound',
    ),
  ];
}

// ─── replant/hollow-vitality ──────────────────────────────────────────────────────────────

export interface VitalitySection {
  /** File line of the heading. */
  line: number;
  /** Last file line of the section (trailing blank lines dropped). */
  endLine: number;
  words: number;
  /** The section's text after the heading. */
  text: string;
}

/**
 * Section 8 (Vitality) of a v7.1 pattern, by number or by name, from the document's own section list
 * (the same headings, line ranges and word counts the body rules use).
 */
export function vitalitySection(doc: ParsedDocument): VitalitySection | undefined {
  const sec = doc.sections().find((s) => s.number === 8 || /^vitality\b/i.test(s.name));
  if (!sec) return undefined;
  const lines: string[] = [];
  for (let n = sec.line + 1; n <= sec.endLine; n++) lines.push(doc.line(n));
  return { line: sec.line, endLine: sec.endLine, words: sec.words, text: lines.join('\n') };
}

const GUIDANCE: [string, RegExp][] = [
  ['signs of life', /signs\s+of\s+life/i],
  ['signs of decay', /signs\s+of\s+(decay|death|decline)/i],
  ['when to replant', /when\s+to\s+replant|replant/i],
];

export function hollowVitality(doc: ParsedDocument, opts: SignalOptions): Signal[] {
  if (doc.kind !== 'commons-pattern') return [];
  const min = opts.thresholds?.hollowMinWords ?? DEFAULT_THRESHOLDS.hollowMinWords;
  const sec = vitalitySection(doc);
  if (!sec) {
    const line = Math.max(doc.bodyLine, doc.text.replace(/\s+$/, '').split('\n').length);
    return [
      make(
        doc,
        'replant/hollow-vitality',
        { line },
        'section-8',
        'Section 8 (Vitality) is missing: nothing tells a gardener what life, decay or the moment to replant look like here.',
        'missing',
      ),
    ];
  }
  const text = sec.text;
  const missing = GUIDANCE.filter(([, re]) => !re.test(text)).map(([n]) => n);
  const thin = sec.words < min;
  if (missing.length === 0 && !thin) return [];
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`it lacks ${missing.map((m) => `“${m}”`).join(', ')} guidance`);
  if (thin) parts.push(`it has ${sec.words} words, far under the 200–300 the spec asks for`);
  return [
    make(
      doc,
      'replant/hollow-vitality',
      { line: sec.line, endLine: sec.endLine },
      'section-8',
      `Section 8 (Vitality) is hollow: ${parts.join('; ')}.`,
      `${sec.words} words${missing.length ? `, missing ${missing.join(', ')}` : ''}`,
    ),
  ];
}

// ─── replant/draft-limbo ──────────────────────────────────────────────────────────────────

export function draftLimbo(doc: ParsedDocument, opts: SignalOptions): Signal[] {
  const data = dataOf(doc);
  const st = statusOf(data);
  if (st.value?.toLowerCase() !== 'draft') return [];
  const conf = getPath(data, ['lifecycle', 'confidence']);
  if (conf !== 1 && conf !== '1') return [];
  const h = opts.firstSeen?.get(doc.file);
  let born = h ? parseDate(h) : null;
  let source = 'git history';
  if (!born) {
    born = parseDate(data.created);
    source = '`created`';
  }
  if (!born) return [];
  const months = monthsBetween(born, opts.today);
  const limit = opts.config.garden.draftLimboMonths;
  if (months <= limit) return [];
  const when = formatDate(born);
  return [
    make(
      doc,
      'replant/draft-limbo',
      ['lifecycle', 'confidence'],
      'lifecycle',
      `Draft at confidence 1 for ${plural(months, 'month')} (since ${when}, from ${source}; limit ${limit}).`,
      `draft/1 since ${when}`,
      when,
    ),
  ];
}

// ─── replant/deprecated-but-linked ────────────────────────────────────────────────────────

export function deprecatedButLinked(doc: ParsedDocument, _opts: SignalOptions, corpus: CorpusIndex): Signal[] {
  const st = statusOf(dataOf(doc));
  if (st.value?.toLowerCase() !== 'deprecated') return [];
  const from = [
    ...new Set(
      corpus
        .inbound(doc.slug)
        .filter((i) => i.file !== doc.file)
        .map((i) => i.slug),
    ),
  ].sort();
  if (from.length === 0) return [];
  const names =
    from
      .slice(0, 5)
      .map((s) => `\`${s}\``)
      .join(', ') + (from.length > 5 ? ', …' : '');
  return [
    make(
      doc,
      'replant/deprecated-but-linked',
      st.path,
      'lifecycle.status',
      `Status is deprecated, yet ${plural(from.length, 'pattern')} still link here: ${names}.`,
      `${from.length} linking`,
    ),
  ];
}

// ─── evaluation ───────────────────────────────────────────────────────────────────────────

export interface PatternHealth {
  file: string;
  slug: string;
  title: string;
  signals: Signal[];
  /** Sum of the weights. */
  weight: number;
  candidate: boolean;
  /** Oldest evidence date (or last_pruned / last change), for ordering candidates. */
  since?: string;
  contributors: string[];
  /** Section 8 excerpt source lines (file lines, 1-based). */
  vitality?: { line: number; endLine: number };
}

export interface GardenReport {
  patterns: number;
  /** Signal counts, including zero counts for every rule. */
  counts: Record<SignalRule, number>;
  /** Every pattern with at least one signal. */
  health: PatternHealth[];
  /** Candidates, oldest evidence first. */
  candidates: PatternHealth[];
  /** Stale gardens, stalest first (all of them; renderers cut). */
  stale: { file: string; slug: string; lastPruned: string; days: number }[];
  /** Files whose age fell back to frontmatter dates because no history was given. */
  historyFallbacks: number;
  /** Signals firing on most patterns: counted, explained once, not weighed (see `conventionShare`). */
  conventions: SignalRule[];
  /** Obsidian notes of the garden, when it has any: orphans, empty notes, missing link targets. */
  vault?: VaultReport;
}

type SignalFn = (doc: ParsedDocument, opts: SignalOptions, corpus: CorpusIndex) => Signal[];
export const SIGNAL_FNS: Record<SignalRule, SignalFn> = {
  'garden/last-pruned-stale': lastPrunedStale,
  'replant/extractive': extractive,
  'replant/age': age,
  'replant/decaying-links': decayingLinks,
  'replant/orphan': orphan,
  'replant/hollow-vitality': hollowVitality,
  'replant/draft-limbo': draftLimbo,
  'replant/deprecated-but-linked': deprecatedButLinked,
};

function contributorsOf(data: Record<string, unknown>): string[] {
  const c = data.contributors;
  if (!Array.isArray(c)) return [];
  const out: string[] = [];
  for (const x of c) {
    const name =
      typeof x === 'string' ? x : isRecord(x) && typeof x.github === 'string' ? x.github : isRecord(x) && typeof x.name === 'string' ? x.name : undefined;
    // Only plausible GitHub logins are mentioned: "Commons OS" is not a user.
    if (name && /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/.test(name)) out.push(name);
  }
  return [...new Set(out)];
}

export function signalsOf(doc: ParsedDocument, corpus: CorpusIndex, opts: SignalOptions): Signal[] {
  if (!isPattern(doc)) return [];
  const out: Signal[] = [];
  const settings = opts.config.rules ?? {};
  for (const rule of SIGNAL_RULES) {
    if (settings[rule] === 'off') continue;
    for (const s of SIGNAL_FNS[rule](doc, opts, corpus)) out.push(s);
  }
  return out;
}

export function healthOf(doc: ParsedDocument, corpus: CorpusIndex, opts: SignalOptions): PatternHealth {
  const signals = signalsOf(doc, corpus, opts);
  const weight = signals.reduce((a, s) => a + s.weight, 0);
  const data = dataOf(doc);
  const dates = signals.map((s) => s.since).filter((d): d is string => !!d);
  const lc = lastChangeOf(doc, opts);
  if (lc) dates.push(formatDate(lc.date));
  dates.sort();
  const sec = doc.kind === 'commons-pattern' ? vitalitySection(doc) : undefined;
  const h: PatternHealth = {
    file: doc.file,
    slug: doc.slug,
    title: typeof data.title === 'string' && data.title.trim() ? data.title.trim() : doc.slug,
    signals,
    weight,
    candidate: weight >= opts.config.garden.replantThreshold && signals.some((s) => s.weight > 0),
    contributors: contributorsOf(data),
  };
  if (dates[0]) h.since = dates[0];
  if (sec) h.vitality = { line: sec.line, endLine: sec.endLine };
  return h;
}

/** Candidates oldest evidence first, then heavier first, then by slug. */
export function compareCandidates(a: PatternHealth, b: PatternHealth): number {
  const as = a.since ?? '9999-99-99';
  const bs = b.since ?? '9999-99-99';
  if (as !== bs) return as < bs ? -1 : 1;
  if (a.weight !== b.weight) return b.weight - a.weight;
  return a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0;
}

export function evaluateGarden(docs: readonly ParsedDocument[], corpus: CorpusIndex, opts: SignalOptions): GardenReport {
  const counts = Object.fromEntries(SIGNAL_RULES.map((r) => [r, 0])) as Record<SignalRule, number>;
  const all: PatternHealth[] = [];
  const stale: GardenReport['stale'] = [];
  let patterns = 0;
  let historyFallbacks = 0;
  for (const doc of docs) {
    if (!isPattern(doc)) continue;
    patterns++;
    if (opts.lastChange && !opts.lastChange.has(doc.file)) historyFallbacks++;
    else if (!opts.lastChange) historyFallbacks++;
    const h = healthOf(doc, corpus, opts);
    for (const s of h.signals) {
      counts[s.rule]++;
      if (s.rule === 'garden/last-pruned-stale') {
        const d = parseDate(s.value)!;
        stale.push({ file: doc.file, slug: doc.slug, lastPruned: s.value, days: daysBetween(d, opts.today) });
      }
    }
    if (h.signals.length > 0) all.push(h);
  }
  stale.sort((a, b) => b.days - a.days || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
  const conventions = conventionsOf(counts, patterns, opts.config.garden.conventionShare, opts.thresholds);
  const health = conventions.length ? all.map((h) => unweigh(h, new Set(conventions), opts.config.garden.replantThreshold)) : all;
  const candidates = health.filter((h) => h.candidate).sort(compareCandidates);
  const report: GardenReport = { patterns, counts, health, candidates, stale, historyFallbacks, conventions };
  const vault = evaluateVault(corpus);
  if (vault) report.vault = vault;
  return report;
}

/**
 * Signals that fire on most of the garden: more than `share` of the patterns and at least
 * `conventionMinPatterns` of them. They are counted and explained once on the dashboard, and weigh
 * nothing: thousands of issues saying the same thing help nobody. A small garden keeps its issues.
 */
export function conventionsOf(
  counts: Readonly<Record<SignalRule, number>>,
  patterns: number,
  share: number,
  thresholds?: Partial<SignalThresholds>,
): SignalRule[] {
  const min = thresholds?.conventionMinPatterns ?? DEFAULT_THRESHOLDS.conventionMinPatterns;
  return SIGNAL_RULES.filter((r) => counts[r] >= min && counts[r] > share * patterns);
}

/** The pattern's health with the convention signals kept as evidence but weighing nothing. */
function unweigh(h: PatternHealth, conventions: ReadonlySet<SignalRule>, threshold: number): PatternHealth {
  if (!h.signals.some((s) => conventions.has(s.rule) && s.weight > 0)) return h;
  const signals = h.signals.map((s) => (conventions.has(s.rule) ? { ...s, weight: 0 } : s));
  const weight = signals.reduce((a, s) => a + s.weight, 0);
  return { ...h, signals, weight, candidate: weight >= threshold && signals.some((s) => s.weight > 0) };
}

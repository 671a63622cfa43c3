/**
 * Sweeps at any garden size: signals firing on most patterns are conventions (one dashboard line, no
 * issues), the dashboard and its hidden state stay under budget for 50,000 candidates, and replant
 * issue bodies are bounded whatever a pattern holds. Sizes are counted in characters.
 */
import { describe, expect, it } from 'vitest';
import { CorpusIndex } from '../../src/core/corpus.js';
import { requireDate } from '../../src/core/dates.js';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import {
  DASHBOARD_MAX_CHARS,
  decodeState,
  diffStates,
  encodeState,
  firstSweepDashboard,
  fitLines,
  renderDashboard,
  sameState,
  stateOf,
  type AppliedOperation,
} from '../../src/garden/dashboard.js';
import { MAX_MENTIONS, REPLANT_BODY_MAX_CHARS, renderReplantBody } from '../../src/garden/issue.js';
import { SIGNAL_RULES, evaluateGarden, type GardenReport, type PatternHealth, type Signal, type SignalRule } from '../../src/garden/signals.js';
import { config, doc, type PatternOpts } from './helpers.js';

const today = requireDate('2026-11-21');

function signal(rule: SignalRule, slug: string, weight: number, message = 'Some evidence.', value = 'v'): Signal {
  return { rule, severity: 'notice', file: `patterns/${slug}.md`, line: 3, column: 1, endLine: 3, message, target: rule, weight, value };
}

/** A report with `n` candidates, each with two weak signals, and as many stale gardens. */
function syntheticReport(n: number, slugOf: (i: number) => string = (i) => `pattern-number-${i}`): GardenReport {
  const candidates: PatternHealth[] = [];
  for (let i = 0; i < n; i++) {
    const slug = slugOf(i);
    candidates.push({
      file: `patterns/${slug}.md`,
      slug,
      title: slug,
      signals: [signal('replant/decaying-links', slug, 1), signal('replant/draft-limbo', slug, 1)],
      weight: 2,
      candidate: true,
      contributors: [],
      since: '2025-01-01',
    });
  }
  const counts = Object.fromEntries(SIGNAL_RULES.map((r) => [r, 0])) as Record<SignalRule, number>;
  counts['replant/decaying-links'] = n;
  counts['replant/draft-limbo'] = n;
  counts['garden/last-pruned-stale'] = n;
  counts['replant/orphan'] = n;
  return {
    patterns: 2 * n,
    counts,
    health: candidates,
    candidates,
    stale: candidates.map((c, i) => ({ file: c.file, slug: c.slug, lastPruned: '2025-01-01', days: 400 + (i % 7) })),
    historyFallbacks: 0,
    conventions: ['replant/orphan'],
  };
}

function render(report: GardenReport, operations: AppliedOperation[] = [], prevBody?: string): string {
  const state = stateOf(report, '2026-11-21', report.candidates);
  return renderDashboard({
    report,
    today: '2026-11-21',
    waiting: report.candidates,
    changes: diffStates(decodeState(prevBody), state, operations),
    state,
    blobBase: `https://github.com/o/r/blob/${'a'.repeat(40)}/`,
    config: DEFAULT_CONFIG,
    failedWrites: 3,
  });
}

describe('dashboard budget', () => {
  it('50,000 candidates, stale gardens and issue operations: the body stays under the budget, every section present', () => {
    const report = syntheticReport(50_000);
    const ops: AppliedOperation[] = report.candidates.map((c, i) => ({ op: i % 2 ? 'create' : 'close', reason: 'cleared', slug: c.slug, number: i + 1 }));
    const previous = render(syntheticReport(10));
    const body = render(report, ops, previous);
    expect(body.length).toBeLessThanOrEqual(DASHBOARD_MAX_CHARS);
    expect(body.length).toBeLessThan(20_000);
    expect(body).toContain('**Waiting for an issue** (50,000;');
    expect(body).toContain('and 49,990 more');
    expect(body).toContain('and 24,992 more'); // the opened list is cut to 8 names
    expect(body).toContain('**Stalest gardens**');
    expect(body).not.toContain('cut here'); // fits by construction, not by the last-resort cut
    expect(decodeState(body)).toMatchObject({ v: 2, candidates: 50_000, waiting: 50_000 });
  });

  it('the hidden state does not grow with the garden: 10 or 50,000 candidates, the same size but for the digits', () => {
    const small = encodeState(stateOf(syntheticReport(10), '2026-11-21', syntheticReport(10).candidates));
    const big = encodeState(stateOf(syntheticReport(50_000), '2026-11-21', syntheticReport(50_000).candidates));
    expect(big.length).toBeLessThan(600);
    expect(big.length - small.length).toBeLessThanOrEqual(4 * 6); // six counts of 5 digits instead of 2 (or 3)
  });

  it('the digest tells candidate sets apart: one changed signal or one more waiting pattern rewrites the dashboard', () => {
    const r = syntheticReport(100);
    const a = stateOf(r, '2026-11-21', r.candidates);
    expect(sameState(a, stateOf(r, '2026-12-01', r.candidates))).toBe(true); // only the date differs
    expect(sameState(a, stateOf(r, '2026-11-21', r.candidates.slice(1)))).toBe(false);
    const changed = {
      ...r,
      candidates: r.candidates.map((c, i) => (i === 5 ? { ...c, signals: [signal('replant/age', c.slug, 1), signal('replant/draft-limbo', c.slug, 1)] } : c)),
    };
    expect(sameState(a, stateOf(changed, '2026-11-21', r.candidates))).toBe(false);
  });

  it('hostile names (huge slugs with backticks and markers) are clipped: the body stays under the budget', () => {
    const report = syntheticReport(2_000, (i) => `${'x'.repeat(5_000)}\`<!-- pattern-gardener:dashboard -->${i}`);
    const body = render(report);
    expect(body.length).toBeLessThanOrEqual(DASHBOARD_MAX_CHARS);
    expect(body.split('<!-- pattern-gardener:dashboard -->')).toHaveLength(2); // only the real marker
  });

  it('fitLines keeps the tail and cuts the head at a line, with a note', () => {
    const head = Array.from({ length: 1000 }, (_, i) => `line ${i} ${'y'.repeat(50)}`);
    const out = fitLines(head, ['footer', '<!-- state -->'], 5_000);
    expect(out.length).toBeLessThanOrEqual(5_000);
    expect(out.endsWith('footer\n<!-- state -->\n')).toBe(true);
    expect(out).toContain('cut here');
    expect(fitLines(['a', 'b'], [], 100)).toBe('a\nb\n');
  });

  it('reads a state written by the previous version (the full candidate map) for its counts', () => {
    const old = `<!-- pattern-gardener:state ${JSON.stringify({ v: 1, date: '2026-11-01', patterns: 3, counts: { 'replant/orphan': 2 }, candidates: { a: ['orphan'], b: ['orphan'] }, waiting: ['b'] })} -->`;
    expect(decodeState(old)).toMatchObject({ v: 2, date: '2026-11-01', candidates: 2, waiting: 1, counts: { 'replant/orphan': 2 } });
  });
});

describe('signals that fire on most patterns', () => {
  /** `n` patterns: `orphans` of them link nowhere; every one of the orphans is also extractive when asked. */
  function garden(n: number, orphans: number, extra: Partial<PatternOpts> = {}) {
    const docs = [];
    for (let i = 0; i < n; i++) {
      const slug = `p${i}`;
      const linked = i >= orphans;
      docs.push(doc({ slug, links: linked ? [`p${i + 1 < n ? i + 1 : orphans}`] : [], ...extra }));
    }
    return docs;
  }

  it('a weak signal on 90% of 40 patterns weighs nothing: no candidate, and the dashboard says it once with its remedy', () => {
    const docs = garden(40, 36, { section8: 'Short.' });
    const report = evaluateGarden(docs, CorpusIndex.fromDocuments(docs), { config: config(), today });
    expect(report.counts['replant/orphan']).toBe(36);
    expect(report.counts['replant/hollow-vitality']).toBe(40);
    expect(report.conventions).toEqual(['replant/orphan', 'replant/hollow-vitality']);
    expect(report.candidates).toEqual([]);
    // Kept as evidence, weighing nothing.
    expect(report.health[0]!.signals.every((s) => s.weight === 0)).toBe(true);
    const body = firstSweepDashboard(report, config(), '2026-11-21');
    const line = body.split('\n').find((l) => l.includes('`replant/orphan` fires on'))!;
    expect(line).toContain('36 of 40 patterns (90%)');
    expect(line).toContain('`replant/orphan: "off"` under `rules:`');
    // Most important first: conventions before the change line and the counts table.
    expect(body.indexOf('fires on')).toBeLessThan(body.indexOf('**Since the last sweep'));
    expect(body.indexOf('**Since the last sweep')).toBeLessThan(body.indexOf('| signal |'));
  });

  it('a strong signal on most patterns still opens issues when garden.conventionShare is 1', () => {
    const docs = garden(40, 0, { vitality: 1 });
    const weighed = evaluateGarden(docs, CorpusIndex.fromDocuments(docs), { config: config({ conventionShare: 1 }), today });
    expect(weighed.conventions).toEqual([]);
    expect(weighed.candidates).toHaveLength(40);
    const conventional = evaluateGarden(docs, CorpusIndex.fromDocuments(docs), { config: config(), today });
    expect(conventional.conventions).toEqual(['replant/extractive']);
    expect(conventional.candidates).toHaveLength(0);
  });

  it('a small garden keeps its issues: 5 of 6 extractive patterns are 5 candidates', () => {
    const docs = garden(6, 0, {}).map((d, i) => (i < 5 ? doc({ slug: d.slug, vitality: 1, links: ['p5'] }) : d));
    const report = evaluateGarden(docs, CorpusIndex.fromDocuments(docs), { config: config(), today });
    expect(report.conventions).toEqual([]);
    expect(report.candidates).toHaveLength(5);
  });

  it('half the garden is not most of it', () => {
    const docs = garden(40, 20);
    const report = evaluateGarden(docs, CorpusIndex.fromDocuments(docs), { config: config(), today });
    expect(report.counts['replant/orphan']).toBe(20);
    expect(report.conventions).toEqual([]);
  });

  it('`rules: {replant/orphan: off}` turns the signal off: not counted at all', () => {
    const docs = garden(40, 36);
    const c = config();
    c.rules = { 'replant/orphan': 'off' };
    const report = evaluateGarden(docs, CorpusIndex.fromDocuments(docs), { config: c, today });
    expect(report.counts['replant/orphan']).toBe(0);
    expect(report.conventions).toEqual([]);
  });
});

describe('replant issue bodies are bounded', () => {
  it('a huge title, 5,000 contributors and enormous evidence: under the budget, at most 10 mentions', () => {
    const slug = 'hostile';
    const h: PatternHealth = {
      file: `patterns/${'deep/'.repeat(400)}${slug}.md`,
      slug,
      title: 'T'.repeat(100_000),
      signals: SIGNAL_RULES.map((r) => signal(r, slug, r === 'garden/last-pruned-stale' ? 0 : 1, 'M'.repeat(50_000), 'V`'.repeat(50_000))),
      weight: 7,
      candidate: true,
      contributors: Array.from({ length: 5_000 }, (_, i) => `user-${i}`),
    };
    const body = renderReplantBody(h, { owner: 'o', repo: 'r', sha: 'a'.repeat(40), mentions: true });
    expect(body.length).toBeLessThanOrEqual(REPLANT_BODY_MAX_CHARS);
    expect(body.match(/@user-/g)).toHaveLength(MAX_MENTIONS);
    expect(body).toContain('and 4990 more contributors');
    expect(body.startsWith('<!-- pattern-gardener:replant slug=hostile -->')).toBe(true);
  });
});

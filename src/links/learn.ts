/**
 * Fitting the link engine on a corpus's own human links, with grouped cross-validation.
 *
 * Rows: for each query pattern, made blind as `eval-links` does (its links and every link to it hidden),
 * the engine's best candidates with their signals, score and rank; a row is positive when the candidate
 * is one of the query's human links. Folds group rows by query, and a fold's training rows never include a
 * candidate that is one of the fold's own queries, so no link between a held-out pattern and another one is
 * seen in training from either side.
 *
 * Two things are fitted on the same rows: the signal weights (coordinate ascent on recall@k, scored held out
 * by the engine's own blend) and the calibration of the final score (calibration.ts).
 */
import { BlindIndex, spread } from './blind.js';
import { confidenceMap, fitCalibration, reliabilityTable, type CalibrationModel, type CalibrationPair, type ReliabilityBin } from './calibration.js';
import { DEFAULT_WEIGHTS, SIGNAL_NAMES, type IndexOptions, type ScoreWeights, type SignalRecord } from './index.js';
import type { LinkRecord } from './record.js';

export interface CandidateRow {
  target: string;
  signals: number[];
  score: number;
  rank: number;
  y: number;
}

export interface QueryRows {
  slug: string;
  /** Human links of the query (some may fall outside the candidates). */
  truth: number;
  rows: CandidateRow[];
}

export interface CollectOptions {
  /** Queries at most (evenly spaced over the sorted slugs). */
  limit?: number;
  /** Candidates kept per query, best first (default 100). */
  pool?: number;
  /** Slugs never used as a query nor as a candidate (e.g. a held-out truth file's queries). */
  exclude?: ReadonlySet<string>;
  /** Truth per query instead of the corpus's human links. */
  truth?: Map<string, string[]>;
  index?: IndexOptions;
}

/** Blind candidate rows of one corpus. */
export function collectRows(records: Iterable<LinkRecord>, opts: CollectOptions = {}): QueryRows[] {
  // every signal computed (a zero weight skips its signal), whatever the weights being measured
  const weights: Partial<ScoreWeights> = { ...DEFAULT_WEIGHTS, ...opts.index?.weights };
  for (const name of SIGNAL_NAMES) if (!(weights[name]! > 0)) weights[name] = 1e-6;
  const blind = new BlindIndex(records, { ...opts.index, weights });
  const exclude = opts.exclude ?? new Set<string>();
  const truth = new Map<string, Set<string>>();
  const source = opts.truth ?? new Map([...blind.humanLinks()].map(([s, ts]) => [s, ts.map((t) => t.target)]));
  for (const [slug, ts] of source) {
    if (exclude.has(slug) || !blind.bySlug.has(slug)) continue;
    const kept = ts.filter((t) => !exclude.has(t));
    if (kept.length) truth.set(slug, new Set(kept));
  }
  const out: QueryRows[] = [];
  for (const slug of spread([...truth.keys()].sort(), opts.limit)) {
    const ts = truth.get(slug)!;
    const cands = blind.blind(slug, (idx) => idx.candidates(slug, opts.pool ?? 100));
    out.push({
      slug,
      truth: ts.size,
      rows: cands
        .filter((c) => !exclude.has(c.target))
        .map((c) => ({ target: c.target, signals: SIGNAL_NAMES.map((n) => c.signals[n]), score: c.score, rank: c.rank, y: ts.has(c.target) ? 1 : 0 })),
    });
  }
  return out;
}

/** Fold of each query (by position), and the training rows of a fold without any candidate that is one of its queries. */
export function folds(queries: readonly QueryRows[], k: number): { test: QueryRows[]; train: QueryRows[] }[] {
  const out: { test: QueryRows[]; train: QueryRows[] }[] = [];
  for (let f = 0; f < k; f++) {
    const test = queries.filter((_, i) => i % k === f);
    const held = new Set(test.map((q) => q.slug));
    const train = queries.filter((q, i) => i % k !== f).map((q) => ({ ...q, rows: q.rows.filter((r) => !held.has(r.target)) }));
    out.push({ test, train });
  }
  return out;
}

/** The engine's combined score of one candidate from its signals (the linear blend, then the backlink boost). */
export function blend(weights: ScoreWeights, signals: readonly number[]): number {
  let s = 0;
  let total = 0;
  let back = 0;
  SIGNAL_NAMES.forEach((name, i) => {
    if (name === 'backlink') back = signals[i]!;
    else {
      s += weights[name] * signals[i]!;
      total += weights[name];
    }
  });
  s = total > 0 ? s / total : 0;
  return back > 0 ? s + weights.backlink * (1 - s) : s;
}

/** recall@k of queries ranked by `scoreOf`. */
function recallAt(queries: readonly QueryRows[], k: number, scoreOf: (r: CandidateRow) => number): number {
  let sum = 0;
  for (const q of queries) {
    const top = q.rows
      .map((r) => ({ s: scoreOf(r), y: r.y }))
      .sort((a, b) => b.s - a.s)
      .slice(0, k);
    sum += top.reduce((n, r) => n + r.y, 0) / Math.min(q.truth, k);
  }
  return queries.length ? sum / queries.length : 0;
}

/**
 * Coordinate ascent on recall@k of the training queries (a classic learning-to-rank method, aimed at the
 * measure itself): starting from `start`, each weight in turn is scaled by a few factors (or set to zero)
 * and kept where recall rises, until a round changes nothing.
 */
export function fitWeights(queries: readonly QueryRows[], start: ScoreWeights = DEFAULT_WEIGHTS, k = 10, rounds = 4): ScoreWeights {
  let best = { ...start };
  let bestRecall = recallAt(queries, k, (r) => blend(best, r.signals));
  for (let round = 0; round < rounds; round++) {
    let moved = false;
    for (const name of SIGNAL_NAMES) {
      const base = best[name];
      const tries = base > 0 ? [0, base * 0.5, base * 0.75, base * 1.33, base * 2] : [0.05, 0.1, 0.2];
      for (const v of tries) {
        const w = { ...best, [name]: name === 'backlink' ? Math.min(1, v) : v };
        const r = recallAt(queries, k, (row) => blend(w, row.signals));
        // a change must gain at least one hit in a thousand queries, so noise does not move the weights
        if (r > bestRecall + 1e-3) {
          best = w;
          bestRecall = r;
          moved = true;
        }
      }
    }
    if (!moved) break;
  }
  // only ratios matter to the blend: the non-backlink weights sum to 1
  let total = 0;
  for (const name of SIGNAL_NAMES) if (name !== 'backlink') total += best[name];
  const out = {} as ScoreWeights;
  for (const name of SIGNAL_NAMES) out[name] = round4(name === 'backlink' ? best[name] : best[name] / (total || 1));
  return out;
}

export interface CrossValidation {
  k: number;
  queries: number;
  rows: number;
  positives: number;
  folds: { fold: number; queries: number; recall: number; baseline: number }[];
  /** Held-out recall@k of the engine blend with each fold's fitted weights. */
  recall: number;
  /** recall@k of the same candidates in the engine's current order (the weights it ran with). */
  baseline: number;
  /** Weights fitted on every query: what `--write` saves. */
  weights: ScoreWeights;
}

export function crossValidateWeights(queries: readonly QueryRows[], opts: { folds?: number; k?: number; start?: ScoreWeights } = {}): CrossValidation {
  const K = Math.max(2, opts.folds ?? 5);
  const k = opts.k ?? 10;
  const out: CrossValidation['folds'] = [];
  let sum = 0;
  let base = 0;
  folds(queries, K).forEach(({ test, train }, f) => {
    const w = fitWeights(train, opts.start, k);
    const r = recallAt(test, k, (row) => blend(w, row.signals));
    const b = recallAt(test, k, (row) => -row.rank);
    sum += r * test.length;
    base += b * test.length;
    out.push({ fold: f + 1, queries: test.length, recall: round4(r), baseline: round4(b) });
  });
  const n = queries.length || 1;
  return {
    k,
    queries: queries.length,
    rows: queries.reduce((s, q) => s + q.rows.length, 0),
    positives: queries.reduce((s, q) => s + q.rows.reduce((t, r) => t + r.y, 0), 0),
    folds: out,
    recall: round4(sum / n),
    baseline: round4(base / n),
    weights: fitWeights(queries, opts.start, k),
  };
}

export interface CalibrationReport {
  /** Proposals per query the table covers (the engine's top k). */
  k: number;
  pairs: number;
  /** Each proposal's probability from a mapping fitted without its fold. */
  heldOut: ReliabilityBin[];
  /** The mapping fitted on every proposal: what `--write` saves. */
  model: CalibrationModel;
}

/** Top-k proposals of each query as calibration pairs. */
export function calibrationPairs(queries: readonly QueryRows[], k: number): CalibrationPair[][] {
  return queries.map((q) => q.rows.filter((r) => r.rank <= k).map((r) => ({ score: r.score, rank: r.rank, y: r.y })));
}

/**
 * Ranks the mapping is fitted on, as a multiple of the k it is scored on: the mapping reads the rank, so
 * the candidates just below the top k are valid evidence too, and three times the pairs steady the fit
 * where scores are low (commons-os, 425 queries, 10 folds: largest gap 0.084 fitted on the top 10, 0.041
 * on the top 30).
 */
export const CALIBRATION_DEPTH = 3;

export function crossValidateCalibration(queries: readonly QueryRows[], opts: { folds?: number; k?: number } = {}): CalibrationReport {
  const K = Math.max(2, opts.folds ?? 10);
  const k = opts.k ?? 10;
  const depth = CALIBRATION_DEPTH * k;
  const held: { p: number; y: number }[] = [];
  for (const { test, train } of folds(queries, K)) {
    const map = confidenceMap(fitCalibration(calibrationPairs(train, depth).flat()));
    for (const pair of calibrationPairs(test, k).flat()) held.push({ p: map(pair.score, pair.rank), y: pair.y });
  }
  return { k, pairs: held.length, heldOut: reliabilityTable(held), model: fitCalibration(calibrationPairs(queries, depth).flat()) };
}

/** Reliability of a given mapping on these queries' top-k proposals (a mapping fitted elsewhere). */
export function reliabilityOf(map: (score: number, rank: number) => number, queries: readonly QueryRows[], k: number): ReliabilityBin[] {
  return reliabilityTable(calibrationPairs(queries, k).flatMap((ps) => ps.map((q) => ({ p: map(q.score, q.rank), y: q.y }))));
}

export type { SignalRecord };
const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

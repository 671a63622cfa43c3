import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { confidenceMap, fitCalibration, reliabilityTable, worstGap, type CalibrationPair } from '../../src/links/calibration.js';
import { loadRecords } from '../../src/links/corpus.js';
import { DEFAULT_WEIGHTS, LinkIndex } from '../../src/links/index.js';
import {
  blend,
  CALIBRATION_DEPTH,
  calibrationPairs,
  collectRows,
  crossValidateCalibration,
  crossValidateWeights,
  fitWeights,
  folds,
  type QueryRows,
} from '../../src/links/learn.js';
import { sigmoid } from '../../src/links/logistic.js';
import { modelOptions, parseModel } from '../../src/links/model.js';
import { prng } from '../../src/synth/generate.js';
import { linkRecord } from '../helpers/link-record.js';

const MINI = fileURLToPath(new URL('../../fixtures/links/mini', import.meta.url));

/** The probability the synthetic proposals are drawn with: rises with the score, falls with the rank. */
const truthP = (score: number, rank: number): number => sigmoid(-2.5 + 7 * score - 0.6 * Math.log(rank));

function syntheticPairs(n: number, seed: number): CalibrationPair[] {
  const rnd = prng(seed);
  const out: CalibrationPair[] = [];
  for (let i = 0; i < n; i++) {
    const score = rnd() * 0.8;
    const rank = 1 + Math.floor(rnd() * 10);
    out.push({ score, rank, y: rnd() < truthP(score, rank) ? 1 : 0 });
  }
  return out;
}

describe('calibration', () => {
  it('recovers known probabilities from synthetic scores and ranks', () => {
    const map = confidenceMap(fitCalibration(syntheticPairs(20000, 7)));
    let worst = 0;
    for (const score of [0.05, 0.2, 0.35, 0.5, 0.65]) for (const rank of [1, 3, 10]) worst = Math.max(worst, Math.abs(map(score, rank) - truthP(score, rank)));
    expect(worst).toBeLessThan(0.06);
    // and on fresh draws the reliability table is within 0.1 in every bin of 30 or more
    const fresh = syntheticPairs(5000, 99).map((p) => ({ p: map(p.score, p.rank), y: p.y }));
    const bins = reliabilityTable(fresh);
    expect(bins.filter((b) => b.proposals >= 30).length).toBeGreaterThanOrEqual(5);
    expect(worstGap(bins)).toBeLessThanOrEqual(0.1);
  });

  it('is monotone in the score and never promises 0 or 1 from a handful of proposals', () => {
    const pairs = syntheticPairs(3000, 3);
    // three lucky outliers at the very top
    pairs.push({ score: 0.99, rank: 1, y: 1 }, { score: 0.98, rank: 1, y: 1 }, { score: 0.97, rank: 1, y: 1 });
    const model = fitCalibration(pairs);
    const map = confidenceMap(model);
    for (let s = 0; s < 1; s += 0.05) expect(map(s + 0.05, 2)).toBeGreaterThanOrEqual(map(s, 2));
    expect(model.p.every((p, i) => i === 0 || p >= model.p[i - 1]!)).toBe(true);
    expect(map(0.99, 1)).toBeLessThan(1);
  });

  it('bins a reliability table by predicted probability', () => {
    const bins = reliabilityTable([
      { p: 0.05, y: 0 },
      { p: 0.15, y: 1 },
      { p: 0.12, y: 0 },
      { p: 1, y: 1 },
    ]);
    expect(bins.map((b) => [b.from, b.proposals, b.observed])).toEqual([
      [0, 1, 0],
      [0.1, 2, 0.5],
      [0.9, 1, 1],
    ]);
  });
});

describe('learned weights', () => {
  it('coordinate ascent finds the signal that carries the links and drops the one that misleads', () => {
    const rnd = prng(11);
    // signal 0 (lexical) marks the true links, signal 1 (neighbours) marks decoys; the start trusts neighbours more
    const qs: QueryRows[] = [];
    for (let q = 0; q < 200; q++) {
      const rows = Array.from({ length: 20 }, (_, i) => {
        const y = i < 3 ? 1 : 0;
        const signals = [0.2 * rnd() + (y ? 0.2 : 0), 0.3 * rnd() + (!y && i < 8 ? 0.5 : 0), 0, 0, 0, 0, 0, 0];
        return { target: `t${i}`, signals, score: 0, rank: i + 1, y };
      });
      qs.push({ slug: `q${q}`, truth: 3, rows });
    }
    const start = { ...DEFAULT_WEIGHTS, lexical: 0.2, neighbours: 0.8 };
    const recall = (w: typeof start) => crossValidateWeights(qs, { folds: 2, k: 3, start: w }).recall;
    const w = fitWeights(qs, start, 3);
    expect(w.neighbours).toBe(0);
    expect(w.lexical).toBeGreaterThan(0);
    expect(recall(start)).toBeGreaterThan(0.9);
    const before =
      qs.reduce(
        (s, q) =>
          s +
          q.rows
            .map((r) => ({ s: blend(start, r.signals), y: r.y }))
            .sort((a, b) => b.s - a.s)
            .slice(0, 3)
            .reduce((n, r) => n + r.y, 0),
        0,
      ) /
      (3 * qs.length);
    expect(before).toBeLessThan(0.5);
  });
});

const rows = (slugs: string[], targets: string[][]): QueryRows[] =>
  slugs.map((slug, i) => ({ slug, truth: 1, rows: targets[i]!.map((t) => ({ target: t, signals: [0, 0, 0, 0, 0, 0, 0, 0], score: 0, rank: 1, y: 0 })) }));

describe('calibration depth', () => {
  it('fits the mapping on the top 3k candidates and scores only the top k', () => {
    // 40 queries of 30 candidates: a true link at rank 1 and, every third query, at rank 15
    const qs: QueryRows[] = Array.from({ length: 40 }, (_, i) => ({
      slug: `q${i}`,
      truth: 2,
      rows: Array.from({ length: 30 }, (_, r) => ({
        target: `t${i}-${r}`,
        signals: [0, 0, 0, 0, 0, 0, 0, 0],
        score: 0.9 - r * 0.025,
        rank: r + 1,
        y: r === 0 || (r === 14 && i % 3 === 0) ? 1 : 0,
      })),
    }));
    const r = crossValidateCalibration(qs, { k: 10 });
    expect(r.pairs).toBe(400);
    expect(CALIBRATION_DEPTH).toBe(3);
    expect(r.model).toEqual(fitCalibration(calibrationPairs(qs, 30).flat()));
    expect(r.model).not.toEqual(fitCalibration(calibrationPairs(qs, 10).flat()));
  });
});

describe('grouped folds', () => {
  it('never lets a held-out pattern appear in training, as a query or as a candidate', () => {
    const slugs = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const qs = rows(
      slugs,
      slugs.map((s) => slugs.filter((t) => t !== s)),
    );
    const fs = folds(qs, 3);
    const tested = fs.flatMap((f) => f.test.map((q) => q.slug));
    expect(tested.sort()).toEqual(slugs);
    for (const f of fs) {
      const held = new Set(f.test.map((q) => q.slug));
      for (const q of f.train) {
        expect(held.has(q.slug)).toBe(false);
        for (const r of q.rows) expect(held.has(r.target)).toBe(false);
      }
    }
  });
});

describe('collecting rows', () => {
  it('reads each query blind: neither its links nor links to it are evidence', () => {
    // q and secret share no words; only links both ways connect them
    const records = [
      linkRecord('q', 'alpha beta gamma', [{ target: 'secret', type: 'enables' }]),
      linkRecord('secret', 'alpha zeta omega', [{ target: 'q', type: 'requires' }]),
      linkRecord('other', 'alpha beta delta', [{ target: 'q', type: 'requires' }]),
    ];
    const got = collectRows(records, { pool: 10 });
    const q = got.find((r) => r.slug === 'q')!;
    const secret = q.rows.find((r) => r.target === 'secret')!;
    expect(secret.y).toBe(1);
    const backlink = 6;
    expect(secret.signals[backlink]).toBe(0);
    expect(q.rows.find((r) => r.target === 'other')!.y).toBe(0);
    // an excluded slug is neither a query nor a candidate
    const ex = collectRows(records, { pool: 10, exclude: new Set(['secret']) });
    expect(ex.some((r) => r.slug === 'secret' || r.rows.some((c) => c.target === 'secret'))).toBe(false);
  });

  it("reproduces the engine's score from the signals (the blend the fitted weights are scored with)", () => {
    const index = new LinkIndex(loadRecords(MINI));
    let n = 0;
    for (const slug of index.slugs())
      for (const c of index.candidates(slug, 20)) {
        expect(blend(DEFAULT_WEIGHTS, Object.values(c.signals))).toBeCloseTo(c.score, 9);
        n++;
      }
    expect(n).toBeGreaterThan(10);
  });

  it('cross-validates weights and calibration on a corpus', () => {
    const qs = collectRows(loadRecords(MINI), { pool: 20 });
    expect(qs.length).toBeGreaterThan(2);
    const cv = crossValidateWeights(qs, { folds: 2, k: 3 });
    expect(cv.folds.reduce((s, f) => s + f.queries, 0)).toBe(qs.length);
    expect(cv.recall).toBeGreaterThanOrEqual(0);
    expect(Object.values(cv.weights).every((w) => w >= 0)).toBe(true);
    expect(fitWeights(qs)).toEqual(cv.weights);
    const cal = crossValidateCalibration(qs, { folds: 2, k: 3 });
    expect(cal.pairs).toBe(qs.reduce((s, q) => s + q.rows.filter((r) => r.rank <= 3).length, 0));
  });
});

describe('model files', () => {
  it('reads weights and calibration, refusing unknown or malformed entries', () => {
    const m = parseModel({ weights: { lexical: 0.5 }, calibration: { a: 0, b: 1, c: 0, z: [0, 1], p: [0.1, 0.9] } });
    const opts = modelOptions(m);
    expect(opts.weights).toEqual({ lexical: 0.5 });
    expect(opts.calibration!(0.5, 1)).toBeCloseTo(0.5, 6);
    expect(() => parseModel({ weights: { lexicon: 1 } })).toThrow(/unknown weight "lexicon"/);
    expect(() => parseModel({ weights: { lexical: -1 } })).toThrow(/≥ 0/);
    expect(() => parseModel({ calibration: { a: 0 } })).toThrow(/calibration/);
    expect(modelOptions({}).calibration).toBeNull();
  });
});

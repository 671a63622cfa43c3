/**
 * Calibrated confidence: the probability that a proposal with a given combined score at a given rank is a
 * true link, measured on a corpus's own human links. It reads only the engine's final score and rank, so
 * the same procedure stays valid whatever the signals and weights become; only the fitted numbers change.
 *
 * Fit: a logistic index z = a + b·score + c·ln(rank) orders the proposals; isotonic regression (pool
 * adjacent violators) of the outcome on z turns that order into probabilities without assuming a shape.
 * Prediction interpolates linearly between the pooled blocks' mean z and rate.
 */
import type { ConfidenceMap } from './index.js';
import { fitLogistic } from './logistic.js';

export interface CalibrationPair {
  score: number;
  rank: number;
  /** 1 when the proposal is a true link. */
  y: number;
}

export interface CalibrationModel {
  /** z = a + b·score + c·ln(rank). */
  a: number;
  b: number;
  c: number;
  /** Isotonic steps: mean z of each pooled block (increasing) and its rate of true links. */
  z: number[];
  p: number[];
}

const zOf = (m: Pick<CalibrationModel, 'a' | 'b' | 'c'>, score: number, rank: number): number => m.a + m.b * score + m.c * Math.log(Math.max(1, rank));

export function fitCalibration(pairs: readonly CalibrationPair[]): CalibrationModel {
  if (pairs.length === 0) return { a: 0, b: 1, c: 0, z: [0], p: [0] };
  const lin = fitLogistic(
    pairs.map((q) => [q.score, Math.log(Math.max(1, q.rank))]),
    pairs.map((q) => q.y),
    1e-4,
  );
  const m = { a: lin.b, b: lin.w[0]!, c: lin.w[1]! };
  const pts = pairs.map((q) => ({ z: zOf(m, q.score, q.rank), y: q.y })).sort((u, v) => u.z - v.z);
  // pool adjacent violators: blocks of (sum z, sum y, n) with non-decreasing rates
  const blocks: { sz: number; sy: number; n: number }[] = [];
  for (const { z, y } of pts) {
    blocks.push({ sz: z, sy: y, n: 1 });
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1]!;
      const prev = blocks[blocks.length - 2]!;
      if (prev.sy / prev.n < last.sy / last.n) break;
      prev.sz += last.sz;
      prev.sy += last.sy;
      prev.n += last.n;
      blocks.pop();
    }
  }
  // a block of a few proposals (typically the very top) would promise 0 or 1: merge it into its nearer neighbour
  const minBlock = Math.max(20, Math.round(pts.length / 100));
  for (;;) {
    let i = -1;
    for (let b = 0; b < blocks.length; b++) if (blocks[b]!.n < minBlock && (i < 0 || blocks[b]!.n < blocks[i]!.n)) i = b;
    if (i < 0 || blocks.length < 2) break;
    const rate = (b: { sy: number; n: number }) => b.sy / b.n;
    const left = blocks[i - 1];
    const right = blocks[i + 1];
    const j = !left ? i + 1 : !right ? i - 1 : Math.abs(rate(left) - rate(blocks[i]!)) <= Math.abs(rate(right) - rate(blocks[i]!)) ? i - 1 : i + 1;
    const [lo, hi] = j < i ? [j, i] : [i, j];
    const a = blocks[lo]!;
    const b = blocks[hi]!;
    blocks.splice(lo, 2, { sz: a.sz + b.sz, sy: a.sy + b.sy, n: a.n + b.n });
  }
  return { ...m, z: blocks.map((k) => round6(k.sz / k.n)), p: blocks.map((k) => round6(k.sy / k.n)) };
}

/** The model as the index's confidence map. */
export function confidenceMap(model: CalibrationModel): ConfidenceMap {
  const { z: zs, p: ps } = model;
  return (score, rank) => {
    const z = zOf(model, score, rank);
    if (z <= zs[0]!) return ps[0]!;
    const last = zs.length - 1;
    if (z >= zs[last]!) return ps[last]!;
    let lo = 0;
    let hi = last;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (zs[mid]! <= z) lo = mid;
      else hi = mid;
    }
    const t = (z - zs[lo]!) / (zs[hi]! - zs[lo]! || 1);
    return ps[lo]! + t * (ps[hi]! - ps[lo]!);
  };
}

/** One bin of a reliability table: proposals whose predicted probability falls in [from, to). */
export interface ReliabilityBin {
  from: number;
  to: number;
  proposals: number;
  /** Mean predicted probability. */
  predicted: number;
  /** Share that were true links. */
  observed: number;
}

export function reliabilityTable(pairs: readonly { p: number; y: number }[], width = 0.1): ReliabilityBin[] {
  const n = Math.round(1 / width);
  const bins = Array.from({ length: n }, (_, b) => ({ from: b * width, to: (b + 1) * width, proposals: 0, predicted: 0, observed: 0 }));
  for (const { p, y } of pairs) {
    const b = bins[Math.min(n - 1, Math.max(0, Math.floor(p / width)))]!;
    b.proposals++;
    b.predicted += p;
    b.observed += y;
  }
  return bins
    .filter((b) => b.proposals > 0)
    .map((b) => ({
      from: round6(b.from),
      to: round6(b.to),
      proposals: b.proposals,
      predicted: round4(b.predicted / b.proposals),
      observed: round4(b.observed / b.proposals),
    }));
}

/** Largest |predicted − observed| over the bins with at least `minProposals` proposals. */
export function worstGap(bins: readonly ReliabilityBin[], minProposals = 30): number {
  let worst = 0;
  for (const b of bins) if (b.proposals >= minProposals) worst = Math.max(worst, Math.abs(b.predicted - b.observed));
  return round4(worst);
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

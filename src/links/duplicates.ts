/**
 * Possible duplicates: a pattern far more similar to one other pattern than to anything
 * else, and the feeling is mutual. Scores are lexical cosine similarities.
 */
import type { LinkIndex } from './index.js';

export interface DuplicatePair {
  a: string;
  b: string;
  /** Cosine similarity of the pair. */
  score: number;
  /** score / similarity of the better of the two's runner-up. */
  margin: number;
}

export interface DuplicateOptions {
  /** Smallest similarity of a pair (default 0.6). */
  minScore?: number;
  /** The pair must beat each side's runner-up by this factor (default 1.35). */
  minMargin?: number;
  /** Only these slugs (default: all). */
  slugs?: Iterable<string>;
}

/** The nearest and second-nearest neighbour of one pattern. */
export function nearestTwo(index: LinkIndex, slug: string): { first?: { slug: string; similarity: number }; second: number } {
  const [first, second] = index.neighbours(slug, 2);
  const out: { first?: { slug: string; similarity: number }; second: number } = { second: second?.similarity ?? 0 };
  if (first) out.first = first;
  return out;
}

export function possibleDuplicates(index: LinkIndex, opts: DuplicateOptions = {}): DuplicatePair[] {
  const minScore = opts.minScore ?? 0.6;
  const minMargin = opts.minMargin ?? 1.35;
  const slugs = opts.slugs ? [...opts.slugs] : index.slugs();
  const near = new Map<string, ReturnType<typeof nearestTwo>>();
  const get = (s: string): ReturnType<typeof nearestTwo> => {
    let n = near.get(s);
    if (!n) near.set(s, (n = nearestTwo(index, s)));
    return n;
  };
  const pairs: DuplicatePair[] = [];
  const seen = new Set<string>();
  for (const s of slugs) {
    const n = get(s);
    if (!n.first || n.first.similarity < minScore) continue;
    const o = n.first.slug;
    const key = s < o ? `${s}\u0000${o}` : `${o}\u0000${s}`;
    if (seen.has(key)) continue;
    const m = get(o);
    if (m.first?.slug !== s) continue; // not mutual
    const runnerUp = Math.max(n.second, m.second);
    const margin = runnerUp > 0 ? n.first.similarity / runnerUp : Infinity;
    if (margin < minMargin) continue;
    seen.add(key);
    const [a, b] = s < o ? [s, o] : [o, s];
    pairs.push({ a, b, score: Math.round(n.first.similarity * 1000) / 1000, margin: Math.round(Math.min(margin, 99) * 100) / 100 });
  }
  return pairs.sort((x, y) => y.score - x.score || (x.a < y.a ? -1 : 1));
}

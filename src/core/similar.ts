/**
 * "Did you mean": the closest existing names to an unknown one, by edit distance,
 * with a verdict on whether one candidate is clearly closest (safe to fix) or it is ambiguous.
 */

import { NameTrie } from './name-trie.js';

let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

/**
 * Levenshtein distance with an upper bound: returns bound+1 as soon as it is exceeded.
 * Only the diagonal band |i-j| <= bound is computed, so the cost is O(length x bound).
 */
export function boundedDistance(a: string, b: string, bound: number): number {
  if (Math.abs(a.length - b.length) > bound) return bound + 1;
  if (a === b) return 0;
  const n = b.length;
  if (rowA.length < n + 1) {
    rowA = new Int32Array(n + 1);
    rowB = new Int32Array(n + 1);
  }
  let prev = rowA;
  let cur = rowB;
  const BIG = bound + 1;
  for (let j = 0; j <= n; j++) prev[j] = j <= bound ? j : BIG;
  for (let i = 1; i <= a.length; i++) {
    const lo = Math.max(1, i - bound);
    const hi = Math.min(n, i + bound);
    cur[lo - 1] = lo - 1 === 0 ? i : BIG;
    if (i <= bound) cur[0] = i;
    let rowMin = lo - 1 === 0 ? i : BIG;
    const ca = a.charCodeAt(i - 1);
    for (let j = lo; j <= hi; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      let v = (prev[j - 1] as number) + cost;
      const del = (prev[j] as number) + 1;
      const ins = (cur[j - 1] as number) + 1;
      if (del < v) v = del;
      if (ins < v) v = ins;
      if (v > BIG) v = BIG;
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (hi < n) cur[hi + 1] = BIG;
    if (rowMin > bound) return bound + 1;
    const t = prev;
    prev = cur;
    cur = t;
  }
  const d = prev[n] as number;
  return d > bound ? bound + 1 : d;
}

/** Canonical form used for matching: lower case, `_`/space to `-`, no leading number prefix. */
export function canonicalSlug(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .trim()
    .replace(/\.md$/, '')
    .replace(/[\s_]+/g, '-')
    .replace(/^\d+-(?=[a-z])/, '');
}

export interface Suggestion {
  /** The single clearly closest name, when there is one. */
  best?: string;
  /** Close names, best first (at most 5). */
  candidates: string[];
}

const STOP_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'from', 'in', 'into', 'of', 'on', 'or', 'the', 'to', 'vs', 'with']);

/**
 * Whether `candidate` reads as a misspelling of `target` word by word: at most one word differs,
 * and only by a small share of its letters (or it is a small word such as `in`/`as`).
 * Keeps `stress-management` from "fixing" to `secrets-management`.
 */
export function plausibleTypo(target: string, candidate: string): boolean {
  // Only hyphens differ (`compostcooperative` for `compost-cooperative`).
  if (target.replace(/-/g, '') === candidate.replace(/-/g, '')) return true;
  const a = target.split('-').filter(Boolean);
  const b = candidate.split('-').filter(Boolean);
  if (a.length === b.length) {
    const diff: [string, string][] = [];
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diff.push([a[i] as string, b[i] as string]);
    if (diff.length === 0) return true;
    if (diff.length > 1) return false;
    const [x, y] = diff[0] as [string, string];
    if (STOP_WORDS.has(x) && STOP_WORDS.has(y)) return true;
    const allowed = Math.max(1, Math.floor(Math.max(x.length, y.length) / 3));
    return boundedDistance(x, y, allowed) <= allowed;
  }
  if (Math.abs(a.length - b.length) !== 1) return false;
  const [longer, shorter] = a.length > b.length ? [a, b] : [b, a];
  for (let skip = 0; skip < longer.length; skip++) {
    if (!STOP_WORDS.has(longer[skip] as string)) continue;
    const rest = [...longer.slice(0, skip), ...longer.slice(skip + 1)];
    if (rest.join('-') === shorter.join('-')) return true;
  }
  return false;
}

/** Edit distance allowed for a canonical target of this length. */
function boundFor(length: number): number {
  return length <= 5 ? 1 : length <= 12 ? 2 : 3;
}

/** Index of names for bounded nearest-name lookups. */
export class NameMatcher {
  private readonly canonical = new Map<string, string[]>();
  /** The canonical forms in ascending order, and a trie of them: built at the first lookup that needs them. */
  private sortedCanon?: string[];
  private trie?: NameTrie;

  constructor(names: Iterable<string>) {
    for (const n of names) this.add(n);
  }

  add(name: string): void {
    const c = canonicalSlug(name);
    const cl = this.canonical.get(c);
    if (cl) cl.push(name);
    else {
      this.canonical.set(c, [name]);
      this.sortedCanon = undefined;
      this.trie = undefined;
    }
  }

  private sorted(): string[] {
    this.sortedCanon ??= [...this.canonical.keys()].sort();
    return this.sortedCanon;
  }

  /** A corpus without dangling links never pays for the trie. */
  private nameTrie(): NameTrie {
    this.trie ??= new NameTrie(this.sorted());
    return this.trie;
  }

  /** Trie nodes the lookups so far computed a row for (for tests and benchmarks: the work of a lookup). */
  nodesVisited = 0;

  /** Bytes of the trie's arrays (0 before the first lookup that needs it). */
  get indexBytes(): number {
    return this.trie?.bytes ?? 0;
  }

  private readonly memo = new Map<string, Suggestion>();

  /** Closest names to `unknown`; memoised, since the same dangling name recurs across files. */
  suggest(unknown: string): Suggestion {
    const hit = this.memo.get(unknown);
    if (hit) return hit;
    const s = this.compute(unknown);
    if (this.memo.size < 50_000) this.memo.set(unknown, s);
    return s;
  }

  /**
   * Names whose canonical form extends `target` by whole words (`values-alignment` →
   * `values-alignment-navigation`) or that `target` extends (`peer-support-circle` → `peer-support`).
   * Both share at least two words, so one common word never makes a match.
   */
  private prefixMatches(target: string): string[] {
    const out: string[] = [];
    if (target.indexOf('-') > 0) {
      const sorted = this.sorted();
      const prefix = `${target}-`;
      let lo = 0;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((sorted[mid] as string) < prefix) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < sorted.length && (sorted[i] as string).startsWith(prefix) && out.length <= 5; i++)
        out.push(...(this.canonical.get(sorted[i] as string) ?? []));
    }
    for (let cut = target.lastIndexOf('-'); cut > 0; cut = target.lastIndexOf('-', cut - 1)) {
      const shorter = target.slice(0, cut);
      if (shorter.indexOf('-') < 0) break;
      out.push(...(this.canonical.get(shorter) ?? []));
    }
    return out;
  }

  private compute(unknown: string): Suggestion {
    if (unknown.length > 200) return { candidates: [] };
    const exactCanon = this.canonical.get(canonicalSlug(unknown));
    if (exactCanon && exactCanon.length === 1) return { best: exactCanon[0], candidates: [...exactCanon] };
    const target = canonicalSlug(unknown);
    const bound = boundFor(target.length);
    const scored: { name: string; d: number }[] = [];
    const sorted = this.sorted();
    this.nodesVisited += this.nameTrie().near(target, bound, (i, d) => {
      for (const name of this.canonical.get(sorted[i] as string) ?? []) scored.push({ name, d });
    });
    scored.sort((x, y) => x.d - y.d || (x.name < y.name ? -1 : 1));
    // Shortened or extended names are candidates too, after the typos.
    const prefixed = this.prefixMatches(target);
    const candidates = [...new Set([...scored.map((s) => s.name), ...prefixed])].slice(0, 5);
    const first = scored[0];
    const second = scored[1];
    if (first && (!second || second.d > first.d) && plausibleTypo(target, canonicalSlug(first.name))) return { best: first.name, candidates };
    // A shortened or extended name is the fix only when it is the one name that fits at all.
    if (prefixed.length === 1 && scored.length === 0) return { best: prefixed[0], candidates };
    return { candidates };
  }
}

/**
 * "Did you mean": the closest existing names to an unknown one, by edit distance,
 * with a verdict on whether one candidate is clearly closest (safe to fix) or it is ambiguous.
 */

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

const HIST_SIZE = 38;
/** Counts of a-z, 0-9, '-' and anything else. */
function histogram(s: string): Uint8Array {
  const h = new Uint8Array(HIST_SIZE);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const k = c >= 97 && c <= 122 ? c - 97 : c >= 48 && c <= 57 ? 26 + c - 48 : c === 45 ? 36 : 37;
    if ((h[k] as number) < 255) h[k] = (h[k] as number) + 1;
  }
  return h;
}

/** Which histogram bins are non-empty, folded into 32 bits: an edit flips at most two of them. */
function presence(h: Uint8Array): number {
  let m = 0;
  for (let i = 0; i < HIST_SIZE; i++) if ((h[i] as number) > 0) m |= 1 << (i & 31);
  return m;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
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

/** A name as the matcher keeps it: its canonical form and the histogram lower bounds of an edit distance. */
interface Item {
  name: string;
  canon: string;
  hist: Uint8Array;
  mask: number;
  /** The lookup that last saw this item, the last of its segments it found, and how many segments. */
  seen: number;
  segment: number;
  hits: number;
}

/** Edit distance allowed for a canonical target of this length. */
function boundFor(length: number): number {
  return length <= 5 ? 1 : length <= 12 ? 2 : 3;
}

/** Start of segment `i` when a string of `length` is cut into `parts` segments as even as can be. */
function segmentStart(length: number, parts: number, i: number): number {
  return Math.floor((length * i) / parts);
}

/**
 * Names within a bounded edit distance, found without a scan (a pigeonhole filter, as in Pass-Join):
 * a name of length L is cut into k+2 segments for each bound k a lookup of it may use. k edits touch
 * at most k segments, so at least two appear in the target unchanged, each shifted by at most k (and
 * by at most k from where the length difference puts it). A lookup probes, for every length and
 * segment, the target's substrings at those shifts, and keeps the names two segments of which it found:
 * one common segment (a shared first word) is not enough. Then the distance decides.
 */
class SegmentIndex {
  /** By (length, bound, segment number), then by segment text. */
  private readonly bySegment = new Map<number, Map<string, Item[]>>();
  private lookups = 0;

  private static slot(length: number, bound: number, segment: number): number {
    return length * 16 + bound * 4 + segment;
  }

  add(item: Item): void {
    const length = item.canon.length;
    for (const k of [1, 2, 3]) {
      // Only bounds a target that could reach this length uses (targets within k of it, bound k).
      let used = false;
      for (let t = length - k; t <= length + k && !used; t++) used = t >= 0 && boundFor(t) === k;
      if (!used) continue;
      for (let i = 0; i < k + 2; i++) {
        const slot = SegmentIndex.slot(length, k, i);
        let bySegment = this.bySegment.get(slot);
        if (!bySegment) this.bySegment.set(slot, (bySegment = new Map()));
        const segment = item.canon.slice(segmentStart(length, k + 2, i), segmentStart(length, k + 2, i + 1));
        const list = bySegment.get(segment);
        if (list) list.push(item);
        else bySegment.set(segment, [item]);
      }
    }
  }

  /** Items that may lie within `bound` edits of the target (a superset of those that do), each once. */
  near(target: string, bound: number): Item[] {
    const stamp = ++this.lookups;
    const out: Item[] = [];
    const t = target.length;
    for (let length = Math.max(0, t - bound); length <= t + bound; length++) {
      const delta = t - length;
      for (let i = 0; i < bound + 2; i++) {
        const from = segmentStart(length, bound + 2, i);
        const size = segmentStart(length, bound + 2, i + 1) - from;
        const lo = Math.max(0, from - bound, from + delta - bound);
        const hi = Math.min(t - size, from + bound, from + delta + bound);
        const bySegment = this.bySegment.get(SegmentIndex.slot(length, bound, i));
        if (!bySegment) continue;
        for (let at = lo; at <= hi; at++) {
          const list = bySegment.get(target.slice(at, at + size));
          if (!list) continue;
          for (let x = 0; x < list.length; x++) {
            const item = list[x] as Item;
            if (item.seen !== stamp) {
              item.seen = stamp;
              item.segment = i;
              item.hits = 1;
            } else if (item.segment !== i) {
              item.segment = i;
              if (++item.hits === 2) out.push(item);
            }
          }
        }
      }
    }
    return out;
  }
}

/** Index of names for bounded nearest-name lookups. */
export class NameMatcher {
  private readonly items: Item[] = [];
  private segments?: SegmentIndex;
  private readonly canonical = new Map<string, string[]>();

  constructor(names: Iterable<string>) {
    for (const n of names) this.add(n);
  }

  add(name: string): void {
    const c = canonicalSlug(name);
    const hist = histogram(c);
    const item: Item = { name, canon: c, hist, mask: presence(hist), seen: 0, segment: 0, hits: 0 };
    this.items.push(item);
    this.segments?.add(item);
    this.sortedCanon = undefined;
    const cl = this.canonical.get(c);
    if (cl) cl.push(name);
    else this.canonical.set(c, [name]);
  }

  /** Built at the first lookup that needs it: a corpus without dangling links never pays for it. */
  private segmentIndex(): SegmentIndex {
    if (!this.segments) {
      const index = new SegmentIndex();
      for (const item of this.items) index.add(item);
      this.segments = index;
    }
    return this.segments;
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

  private sortedCanon?: string[];

  /**
   * Names whose canonical form extends `target` by whole words (`values-alignment` →
   * `values-alignment-navigation`) or that `target` extends (`peer-support-circle` → `peer-support`).
   * Both share at least two words, so one common word never makes a match.
   */
  private prefixMatches(target: string): string[] {
    const out: string[] = [];
    if (target.indexOf('-') > 0) {
      this.sortedCanon ??= [...this.canonical.keys()].sort();
      const sorted = this.sortedCanon;
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
    const th = histogram(target);
    const tm = presence(th);
    const limit = 2 * bound;
    const scored: { name: string; d: number }[] = [];
    for (const { name, canon, hist, mask } of this.segmentIndex().near(target, bound)) {
      // Each edit changes the character histogram by at most 2: cheap lower bounds first (which
      // letters occur at all, then how often).
      if (popcount(mask ^ tm) > limit) continue;
      let l1 = 0;
      for (let i = 0; i < HIST_SIZE && l1 <= limit; i++) l1 += Math.abs((hist[i] as number) - (th[i] as number));
      if (l1 > limit) continue;
      const d = boundedDistance(target, canon, bound);
      if (d <= bound) scored.push({ name, d });
    }
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

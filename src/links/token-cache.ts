/**
 * Token statistics of link records, cached by content: what the link index reads from a pattern's text
 * fields (its distinct terms in order of first occurrence, each field's term counts and length, its
 * mention hashes), so that an index over a new commit re-tokenises only the patterns whose text changed.
 * Replaying an entry gives the index exactly the state a scan would have given it (same term ids in the
 * same order, same surface forms), so an index built with the cache equals one built without it.
 *
 * Bounded (least recently used out past a byte budget) and in memory only: a miss costs a scan, nothing
 * else. The app does not use it: an index over a new commit takes over the documents of the previous
 * commit's index instead (`TakenDoc`), which costs no hashing of every text on a cold build.
 */
import { createHash } from 'node:crypto';

export interface TokenStats {
  /** Stemmed terms of the record in order of first occurrence. */
  terms: string[];
  /**
   * Surface form a scan registers with each term when the vocabulary does not know it yet; undefined when
   * the scan that made this entry found the term known already (replaying it into an index that lacks
   * the term is then refused, and the record is scanned).
   */
  surfaces: (string | undefined)[];
  /** Per field f: entries fieldStart[f] .. fieldStart[f+1] of `local` (index into `terms`) and `count`. */
  fieldStart: Int32Array;
  local: Int32Array;
  count: Int32Array;
  /** Number of term occurrences per field. */
  fieldLen: Int32Array;
  mentions: Uint32Array | null;
}

function weigh(s: TokenStats): number {
  let n = 64 + s.fieldStart.byteLength + s.local.byteLength + s.count.byteLength + s.fieldLen.byteLength + (s.mentions?.byteLength ?? 0);
  // term strings are the vocabulary's own (shared); a reference and a surface each
  n += s.terms.length * 16;
  return n;
}

export class TokenStatsCache {
  private readonly map = new Map<string, TokenStats>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(readonly maxBytes: number) {}

  get(key: string): TokenStats | undefined {
    const v = this.map.get(key);
    if (v === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.map.delete(key);
    this.map.set(key, v);
    return v;
  }

  set(key: string, v: TokenStats): void {
    const old = this.map.get(key);
    if (old) {
      this.bytes -= weigh(old);
      this.map.delete(key);
    }
    this.map.set(key, v);
    this.bytes += weigh(v);
    while (this.bytes > this.maxBytes && this.map.size > 1) {
      const [k, oldest] = this.map.entries().next().value as [string, TokenStats];
      this.map.delete(k);
      this.bytes -= weigh(oldest);
    }
  }

  get size(): number {
    return this.map.size;
  }

  get weight(): number {
    return this.bytes;
  }

  clear(): void {
    this.map.clear();
    this.bytes = 0;
    this.hits = 0;
    this.misses = 0;
  }
}

/** The key of the texts a record's fields give the index (and of how they are read: mentions or not). */
export function tokenKey(texts: readonly string[], mentions: boolean): string {
  const h = createHash('sha1');
  for (const t of texts) h.update(t).update('\u0000');
  return `${mentions ? 'm' : 'n'}${h.digest('base64')}`;
}

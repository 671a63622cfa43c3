/**
 * An index that answers for one query pattern as if the pattern were new: its own links and
 * graph_garden are hidden, and so is every other pattern's link to it. Evaluation and model fitting
 * both ask through it, so neither learns from the links it is scored on.
 */
import { LinkIndex, type IndexOptions } from './index.js';
import { blindRecord, type LinkRecord } from './record.js';

function pointsTo(target: string, q: LinkRecord): boolean {
  return target === q.slug || (q.id !== undefined && target === q.id);
}

/** `r` without any hard or inferred link to `q`, or null when it has none. */
function withoutLinksTo(r: LinkRecord, q: LinkRecord): LinkRecord | null {
  const links = r.links.filter((l) => !pointsTo(l.target, q));
  const inferred = r.inferred.filter((l) => !pointsTo(l.target, q));
  if (links.length === r.links.length && inferred.length === r.inferred.length) return null;
  return { ...r, links, inferred };
}

export class BlindIndex {
  readonly index: LinkIndex;
  readonly bySlug = new Map<string, LinkRecord>();
  /** Who links to whom (by resolved slug), so that links to a query can be hidden. */
  private readonly referrers = new Map<string, LinkRecord[]>();

  constructor(records: Iterable<LinkRecord>, opts?: IndexOptions) {
    for (const r of records) this.bySlug.set(r.slug, r);
    this.index = new LinkIndex(this.bySlug.values(), opts);
    for (const r of this.bySlug.values()) {
      for (const l of [...r.links, ...r.inferred]) {
        const s = this.index.resolveSlug(l.target) ?? l.target;
        let a = this.referrers.get(s);
        if (!a) this.referrers.set(s, (a = []));
        if (!a.includes(r)) a.push(r);
      }
    }
  }

  /** Runs `fn` with `slug` blind (only its text changes; referrers lose their links to it), then restores the index. */
  blind<T>(slug: string, fn: (index: LinkIndex) => T): T {
    const q = this.bySlug.get(slug)!;
    const hidden: LinkRecord[] = [];
    const restore: LinkRecord[] = [];
    for (const r of this.referrers.get(slug) ?? []) {
      if (r === q) continue;
      const s = withoutLinksTo(r, q);
      if (s) {
        hidden.push(s);
        restore.push(r);
      }
    }
    this.index.updateLinks(hidden);
    this.index.update([blindRecord(q)]);
    try {
      return fn(this.index);
    } finally {
      this.index.updateLinks(restore);
      this.index.update([q]);
    }
  }

  /**
   * The corpus's own human links per pattern (hard relationships whose target exists), without links to a
   * first letter the index quarantined (a generator's, not a curator's).
   */
  humanLinks(): Map<string, { target: string; type: string }[]> {
    const quarantined = new Set(this.index.quarantinedLetters.map((q) => q.letter));
    const out = new Map<string, { target: string; type: string }[]>();
    for (const r of this.bySlug.values()) {
      const seen = new Set<string>();
      const ts: { target: string; type: string }[] = [];
      for (const l of r.links) {
        const s = this.index.resolveSlug(l.target);
        if (!s || s === r.slug || seen.has(s) || quarantined.has(s.charAt(0))) continue;
        seen.add(s);
        ts.push({ target: s, type: l.type });
      }
      if (ts.length) out.set(r.slug, ts);
    }
    return out;
  }
}

/** `n` of `items` evenly spaced (deterministic), or all of them. */
export function spread<T>(items: readonly T[], n: number | undefined): T[] {
  if (!n || items.length <= n) return [...items];
  const step = items.length / n;
  return Array.from({ length: n }, (_, i) => items[Math.floor(i * step)]!);
}

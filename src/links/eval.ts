/**
 * Blind leave-one-out evaluation of link proposals.
 *
 * For each query pattern: hide its own relationships and graph_garden (entities,
 * communities, inferred links) AND every other pattern's links to it, ask the engine for
 * the top k, and score recall@k = |hits| / min(|truth|, k). Without a truth file the truth
 * is the corpus's own hard relationships whose targets exist.
 */
import { readFileSync } from 'node:fs';
import { LinkIndex, type IndexOptions, type LetterQuarantine } from './index.js';
import { blindRecord, type LinkRecord } from './record.js';
import { loadRecords } from './corpus.js';

export interface TruthFile {
  queries: Record<string, { target: string; type?: string }[]>;
}

export interface EvalOptions {
  corpusDir?: string;
  /** Records instead of a directory (tests). */
  records?: LinkRecord[];
  /** Path of a truth JSON file, or its content. */
  truth?: string | TruthFile;
  k?: number;
  index?: IndexOptions;
  /** Evaluate at most this many queries (evenly spaced, deterministic). */
  limit?: number;
}

export interface QueryResult {
  slug: string;
  truth: string[];
  proposed: string[];
  hits: string[];
}

export interface EvalResult {
  queries: number;
  k: number;
  recall: number;
  /** First letters whose links the index left out of its graph (see LinkIndex.quarantinedLetters). */
  quarantined: LetterQuarantine[];
  perQuery: QueryResult[];
}

export function readTruth(truth: string | TruthFile): TruthFile {
  const t = typeof truth === 'string' ? (JSON.parse(readFileSync(truth, 'utf8')) as unknown) : truth;
  if (!t || typeof t !== 'object' || !('queries' in t) || typeof (t as TruthFile).queries !== 'object') {
    throw new Error('truth must be {"queries": {slug: [{target, type}]}}');
  }
  return t as TruthFile;
}

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

export async function evalLinks(opts: EvalOptions): Promise<EvalResult> {
  const k = opts.k ?? 10;
  const records = opts.records ?? (opts.corpusDir ? loadRecords(opts.corpusDir) : []);
  const bySlug = new Map<string, LinkRecord>();
  for (const r of records) bySlug.set(r.slug, r);
  const index = new LinkIndex(bySlug.values(), opts.index);

  let truth: Map<string, string[]>;
  if (opts.truth !== undefined) {
    const t = readTruth(opts.truth);
    truth = new Map(Object.entries(t.queries).map(([s, ts]) => [s, [...new Set(ts.map((x) => x.target))]]));
  } else {
    truth = new Map();
    for (const r of bySlug.values()) {
      const ts = new Set<string>();
      for (const l of r.links) {
        const s = index.resolveSlug(l.target);
        if (s && s !== r.slug) ts.add(s);
      }
      if (ts.size) truth.set(r.slug, [...ts]);
    }
  }
  let queries = [...truth.keys()].filter((s) => bySlug.has(s) && (truth.get(s)?.length ?? 0) > 0).sort();
  if (opts.limit && queries.length > opts.limit) {
    const step = queries.length / opts.limit;
    queries = Array.from({ length: opts.limit }, (_, i) => queries[Math.floor(i * step)]!);
  }

  // who links to whom, by slug or TypeID, so that links to the query can be hidden
  const referrers = new Map<string, LinkRecord[]>();
  for (const r of bySlug.values()) {
    for (const l of [...r.links, ...r.inferred]) {
      const s = index.resolveSlug(l.target) ?? l.target;
      let a = referrers.get(s);
      if (!a) referrers.set(s, (a = []));
      if (!a.includes(r)) a.push(r);
    }
  }

  const perQuery: QueryResult[] = [];
  let sum = 0;
  for (const slug of queries) {
    const q = bySlug.get(slug)!;
    // only the query's text changes (its graph_garden labels go); the referrers lose links only
    const hidden: LinkRecord[] = [];
    const restore: LinkRecord[] = [];
    for (const r of referrers.get(slug) ?? []) {
      if (r === q) continue;
      const s = withoutLinksTo(r, q);
      if (s) {
        hidden.push(s);
        restore.push(r);
      }
    }
    index.updateLinks(hidden);
    index.update([blindRecord(q)]);
    const proposed = index.propose(slug, k).map((p) => p.target);
    index.updateLinks(restore);
    index.update([q]);
    const t = truth.get(slug)!;
    const ts = new Set(t);
    const hits = proposed.filter((p) => ts.has(p));
    sum += hits.length / Math.min(t.length, k);
    perQuery.push({ slug, truth: t, proposed, hits });
  }
  const recall = perQuery.length ? sum / perQuery.length : 0;
  return { queries: perQuery.length, k, recall: Math.round(recall * 10000) / 10000, quarantined: index.quarantinedLetters, perQuery };
}

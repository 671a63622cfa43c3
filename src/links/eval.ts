/**
 * Blind leave-one-out evaluation of link proposals.
 *
 * For each query pattern: hide its own relationships and graph_garden (entities,
 * communities, inferred links) AND every other pattern's links to it, ask the engine for
 * the top k, and score recall@k = |hits| / min(|truth|, k). Without a truth file the truth
 * is the corpus's own hard relationships whose targets exist.
 */
import { readFileSync } from 'node:fs';
import type { IndexOptions, LetterQuarantine } from './index.js';
import type { LinkRecord } from './record.js';
import { BlindIndex, spread } from './blind.js';
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
  /** Count only proposals at or above this confidence (as the review would suggest them). */
  minConfidence?: number;
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

export async function evalLinks(opts: EvalOptions): Promise<EvalResult> {
  const k = opts.k ?? 10;
  const records = opts.records ?? (opts.corpusDir ? loadRecords(opts.corpusDir) : []);
  const blind = new BlindIndex(records, opts.index);
  const { index, bySlug } = blind;

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
  const queries = spread([...truth.keys()].filter((s) => bySlug.has(s) && (truth.get(s)?.length ?? 0) > 0).sort(), opts.limit);

  const perQuery: QueryResult[] = [];
  let sum = 0;
  for (const slug of queries) {
    const proposed = blind.blind(slug, (idx) => idx.propose(slug, k, { minConfidence: opts.minConfidence ?? 0 })).map((p) => p.target);
    const t = truth.get(slug)!;
    const ts = new Set(t);
    const hits = proposed.filter((p) => ts.has(p));
    sum += hits.length / Math.min(t.length, k);
    perQuery.push({ slug, truth: t, proposed, hits });
  }
  const recall = perQuery.length ? sum / perQuery.length : 0;
  return { queries: perQuery.length, k, recall: Math.round(recall * 10000) / 10000, quarantined: index.quarantinedLetters, perQuery };
}

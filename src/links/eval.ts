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
  /** Type of each proposal, in the order of `proposed`. */
  types: string[];
  hits: string[];
  /** Hits whose proposed type is one the truth gives for the target. */
  typedHits: string[];
}

/** How often the top proposals point at slugs starting with one letter, against that letter's share of the slugs. */
export interface LetterShare {
  letter: string;
  /** Share of the top-`top` proposals (over all queries) whose target starts with the letter. */
  proposalShare: number;
  /** Share of all patterns whose slug starts with it. */
  slugShare: number;
  /** Proposals counted (the top `top` of each query). */
  proposals: number;
  top: number;
}

export interface EvalResult {
  queries: number;
  k: number;
  recall: number;
  /** recall@k counting a hit only when its type is right too. */
  typedRecall: number;
  /**
   * First-letter share of the top 5 proposals for each quarantined letter and for the letter most
   * over-represented among the proposals: graph signals must not spread a generator's first-letter bias.
   */
  letters: LetterShare[];
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

  // target -> the types the truth gives it, per query
  const typed = new Map<string, Map<string, Set<string>>>();
  const source: [string, { target: string; type?: string }[]][] =
    opts.truth !== undefined ? Object.entries(readTruth(opts.truth).queries) : [...blind.humanLinks()];
  for (const [s, ts] of source) {
    const m = new Map<string, Set<string>>();
    for (const x of ts) {
      let types = m.get(x.target);
      if (!types) m.set(x.target, (types = new Set()));
      if (x.type) types.add(x.type);
    }
    typed.set(s, m);
  }
  const truth = new Map([...typed].map(([s, m]) => [s, [...m.keys()]]));
  const queries = spread([...truth.keys()].filter((s) => bySlug.has(s) && (truth.get(s)?.length ?? 0) > 0).sort(), opts.limit);

  const perQuery: QueryResult[] = [];
  let sum = 0;
  let typedSum = 0;
  for (const slug of queries) {
    const props = blind.blind(slug, (idx) => idx.propose(slug, k, { minConfidence: opts.minConfidence ?? 0 }));
    const proposed = props.map((p) => p.target);
    const t = truth.get(slug)!;
    const types = typed.get(slug)!;
    const hits = proposed.filter((p) => types.has(p));
    const typedHits = props.filter((p) => types.get(p.target)?.has(p.type)).map((p) => p.target);
    sum += hits.length / Math.min(t.length, k);
    typedSum += typedHits.length / Math.min(t.length, k);
    perQuery.push({ slug, truth: t, proposed, types: props.map((p) => p.type), hits, typedHits });
  }
  const n = perQuery.length;
  return {
    queries: n,
    k,
    recall: r4(n ? sum / n : 0),
    typedRecall: r4(n ? typedSum / n : 0),
    letters: letterShares(
      index.slugs(),
      perQuery.flatMap((q) => q.proposed.slice(0, LETTER_TOP)),
      index.quarantinedLetters.map((q) => q.letter),
    ),
    quarantined: index.quarantinedLetters,
    perQuery,
  };
}

/** Proposals per query whose first letters are counted. */
const LETTER_TOP = 5;
/** Fewest proposals to a letter for it to be named the most over-represented (a rare letter's ratio is noise). */
const LETTER_MIN = 10;

/** First-letter shares of `targets` against `slugs`, for the given letters and the most over-represented one. */
export function letterShares(slugs: readonly string[], targets: readonly string[], letters: readonly string[]): LetterShare[] {
  const count = (xs: readonly string[]): Map<string, number> => {
    const m = new Map<string, number>();
    for (const x of xs) m.set(x.charAt(0), (m.get(x.charAt(0)) ?? 0) + 1);
    return m;
  };
  const bySlug = count(slugs);
  const byTarget = count(targets);
  const share = (letter: string): LetterShare => ({
    letter,
    proposalShare: r4((byTarget.get(letter) ?? 0) / (targets.length || 1)),
    slugShare: r4((bySlug.get(letter) ?? 0) / (slugs.length || 1)),
    proposals: targets.length,
    top: LETTER_TOP,
  });
  const out = letters.map(share);
  let worst: LetterShare | undefined;
  for (const [l, c] of byTarget) {
    if (c < LETTER_MIN) continue;
    const s = share(l);
    if (s.slugShare > 0 && (!worst || s.proposalShare / s.slugShare > worst.proposalShare / worst.slugShare)) worst = s;
  }
  if (worst && !letters.includes(worst.letter)) out.push(worst);
  return out;
}

const r4 = (x: number): number => Math.round(x * 10000) / 10000;

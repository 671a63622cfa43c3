/**
 * The offline link index: BM25F term weights (per-field length normalisation, fields pooled
 * with their weights, one saturation, BM25 idf) compared by cosine over the text fields of
 * every pattern, plus a link graph built from the hard relationships. Blind dev recall@10:
 * 0.636 with the former field-summed log-tf weights, 0.666 with BM25F (k1 10, body b 0.9;
 * k1 chosen on the even query half, odd half 0.612 -> 0.636).
 *
 * Memory: per document only its term ids and doc-local weights (typed arrays), its
 * labels (entities, keywords, communities) and resolved links are kept; no text.
 * Incremental `update()` replaces documents in place and recomputes only what depends on
 * the whole corpus (document frequencies, norms, graph): results equal a full rebuild.
 */
import { HashBag, TermScanner, fnv, normLabel, ownString } from './text.js';
import { INVERSE_TYPE, type HardLink, type InferredLink, type LinkRecord } from './record.js';
import { tokenKey, type TokenStats, type TokenStatsCache } from './token-cache.js';

export interface FieldWeights {
  title: number;
  summary: number;
  keywords: number;
  tension: number;
  entities: number;
  communities: number;
  body: number;
}

export interface ScoreWeights {
  /** Lexical cosine similarity. */
  lexical: number;
  /** Votes from the lexical neighbours' own links ("patterns like this one link to X"). */
  neighbours: number;
  /** Similarity of the source to the patterns the target is linked with (its link profile). */
  profile: number;
  /**
   * One pattern's body names the other (title, alias or slug), weighted by how rarely the name is
   * mentioned in the corpus (a name every pattern mentions says little about any pair).
   */
  mention: number;
  /** Inbound hard-link count of the target (log-scaled). */
  inbound: number;
  /** Co-citation and shared neighbours with the source's existing links. */
  cocitation: number;
  /** The target already holds a hard link to the source. */
  backlink: number;
  /** How often links from the source's group go to the target's group, learned from the corpus. */
  group: number;
}

export interface IndexOptions {
  fields?: Partial<FieldWeights>;
  weights?: Partial<ScoreWeights>;
  /** Lexical neighbours that vote with their links. */
  voters?: number;
  /** Keep at most this many terms per document (highest doc-local weight); 0 = all. */
  maxTermsPerDoc?: number;
  /** Index at most this many characters of each body (default 0 = all); mentions scan twice that. */
  maxBodyChars?: number;
  /** Token statistics by content (token-cache.ts): unchanged texts are not scanned again. Same index either way. */
  tokenCache?: TokenStatsCache;
  /** Term-frequency damping inside a field (default 'log': 1 + ln tf). */
  tf?: 'log' | 'raw' | 'sqrt';
  /** Voter weight = similarity ** sharpness (default 2). */
  voteSharpness?: number;
  /** Weight of a voter's inbound links relative to its outbound ones (default 0.5). */
  inboundVote?: number;
  /** Pseudo-relevance feedback: blend in the similarities of the top-m lexical neighbours (default 0 = off). */
  expansion?: number;
  /** Weight of the expansion (default 0.5). */
  expansionWeight?: number;
  /**
   * Term weighting (default 'bm25f'): 'bm25f' pools each field's length-normalised counts
   * (own `b` per field) with the field weights, then saturates once (k1) and multiplies by idf;
   * 'tfidf' sums the fields' damped counts (see `tf`). Either way documents are compared by cosine.
   */
  model?: 'bm25f' | 'tfidf';
  /** Exponent of idf on each side of the cosine (default 1: idf² in a dot product; 0.5: idf once, as in BM25). */
  idfExponent?: number;
  /**
   * How the signals order candidates (default 'linear'): 'linear' ranks by the weighted blend;
   * 'rrf' by reciprocal-rank fusion, Σ weight / (rrfK + rank) over each signal's own ranking
   * (ties share the best rank). The confidence shown is the linear blend either way.
   */
  fusion?: 'linear' | 'rrf';
  /** RRF rank offset (default 60). */
  rrfK?: number;
  /** BM25F saturation of the pooled fields (default 10: bodies are long and pooled). */
  k1?: number;
  /** BM25F length normalisation per field (0 = none, 1 = full). */
  b?: Partial<FieldWeights>;
  /**
   * Maps a candidate's combined score and rank to the confidence shown (a probability measured on the
   * corpus's own links, see calibration.ts). Default (or null): the confidence is the combined score. A
   * mapping fitted on one library does not transfer to another (commons-os's is off by up to 0.27 on
   * commons-engineering), so none is applied unless a library's own fit is given.
   */
  calibration?: ConfidenceMap | null;
}

/** Probability that a candidate with this combined score at this rank (1 = best of all candidates) is a true link. */
export type ConfidenceMap = (score: number, rank: number) => number;

/** The evidence behind one candidate, each part in 0..1, named like the weights that blend them. */
export type SignalRecord = Record<keyof ScoreWeights, number>;
export const SIGNAL_NAMES = [
  'lexical',
  'neighbours',
  'profile',
  'mention',
  'inbound',
  'cocitation',
  'backlink',
  'group',
] as const satisfies readonly (keyof ScoreWeights)[];

export interface Candidate {
  target: string;
  /** Combined score (0..1), unrounded. */
  score: number;
  /** 1 = the best of all candidates for the source. */
  rank: number;
  signals: SignalRecord;
}

export const DEFAULT_FIELDS: FieldWeights = { title: 3, summary: 2, keywords: 2, tension: 1.5, entities: 1.5, communities: 1, body: 1 };
export const DEFAULT_B: FieldWeights = { title: 0.3, summary: 0.5, keywords: 0.3, tension: 0.5, entities: 0.3, communities: 0.3, body: 0.9 };
const FIELD_NAMES = ['title', 'summary', 'keywords', 'tension', 'entities', 'communities', 'body'] as const;
const NF = FIELD_NAMES.length;
export const DEFAULT_WEIGHTS: ScoreWeights = {
  lexical: 0.7,
  neighbours: 0.25,
  profile: 0.15,
  mention: 0.3,
  inbound: 0.1,
  cocitation: 0.1,
  backlink: 0.2,
  group: 0.1,
};

export interface Proposal {
  target: string;
  type: string;
  /** 0..1 */
  confidence: number;
  reason: string;
}

export interface ProposeOptions {
  /** Extra targets to exclude. */
  exclude?: Iterable<string>;
  /** Also exclude current inferred_links targets (default true). */
  excludeInferred?: boolean;
  /** Drop candidates under this confidence (default 0). */
  minConfidence?: number;
}

/**
 * A document of another index to take over instead of reading its record again: that index's term data
 * (term order, field counts, lengths, mentions) is copied with its term ids renumbered to this index's
 * vocabulary, as a scan of the same text here would number them. The caller promises the same text
 * fields and body as the record that document was read from.
 */
export interface TakenDoc {
  takeOver: LinkIndex;
  /** Its number in that index: the position of its record among the records that index was built from. */
  doc: number;
  /** The record's frontmatter part when it differs from the taken document's in links or labels only (texts equal). */
  head?: Omit<LinkRecord, 'body'>;
  /** The record, read when the document cannot be taken over (another index, other options, or a term whose spelling is unknown). */
  record: () => LinkRecord;
}

/** Every field is always present (undefined when absent), so all documents share one shape: the hot loops read them. */
interface Doc {
  slug: string;
  id: string | undefined;
  group: string | undefined;
  /** Term ids in order of first occurrence (unsorted). */
  terms: Int32Array;
  /** Doc-local term weights (without idf); under BM25F recomputed by `refresh`. */
  tf: Float32Array;
  norm: number;
  /** BM25F: field occurrences as (index into terms, field, count) and token count per field. */
  eTerm: Uint16Array | Uint32Array | undefined;
  eField: Uint8Array | undefined;
  eCount: Uint16Array | undefined;
  fieldLen: Float32Array | undefined;
  title: string;
  keywords: string[];
  entities: string[];
  communities: string[];
  links: HardLink[];
  inferred: InferredLink[];
  lastPruned: string | undefined;
  /** Hashes of the name-like phrases the body mentions (sorted). */
  mentions: Uint32Array;
  /** Hashes of this pattern's names: title, aliases, slug. */
  names: Uint32Array;
  /** Rarity of each name as a mention, ln(N / patterns mentioning it) / ln N (set by `refresh`). */
  nameIdf?: Float32Array;
  alive: boolean;
}

type Labels = Pick<Doc, 'slug' | 'id' | 'group' | 'title' | 'keywords' | 'entities' | 'communities' | 'links' | 'inferred' | 'lastPruned' | 'names'>;
type TermData = Pick<Doc, 'terms' | 'tf' | 'mentions' | 'eTerm' | 'eField' | 'eCount' | 'fieldLen'>;

function makeDoc(l: Labels, t: TermData): Doc {
  return {
    slug: l.slug,
    id: l.id,
    group: l.group,
    terms: t.terms,
    tf: t.tf,
    norm: 0,
    eTerm: t.eTerm,
    eField: t.eField,
    eCount: t.eCount,
    fieldLen: t.fieldLen,
    title: l.title,
    keywords: l.keywords,
    entities: l.entities,
    communities: l.communities,
    links: l.links,
    inferred: l.inferred,
    lastPruned: l.lastPruned,
    mentions: t.mentions,
    names: l.names,
    nameIdf: undefined,
    alive: true,
  };
}

interface Edge {
  to: number;
  type: string;
}

interface Scores {
  score: Float64Array;
  order: Float64Array;
  vote: Float64Array;
  votedType: Map<number, Map<string, number>>;
  signals: Record<keyof ScoreWeights, Float64Array>;
  /** Live candidates (score > 0, not the query), unordered. */
  cands: Int32Array;
  /** Best first: by order, then score, then slug. */
  before: (a: number, b: number) => number;
  /** The candidates best first and each one's rank (1-based) by index: sorted when first asked for. */
  ranking?: { ranked: Int32Array; rank: Int32Array };
}

/**
 * Queries whose cosines are kept (N float64 each): at least 32, more while they fit in 4 MiB, so that a
 * review's duplicate check finds the cosines its proposals computed for up to a hundred changed patterns.
 */
const cosineMemoSize = (n: number): number => Math.max(32, Math.floor((4 * 1024 * 1024) / (8 * Math.max(1, n))));

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);
const round2 = (x: number): number => Math.round(x * 100) / 100;

export interface LetterQuarantine {
  letter: string;
  /** Share of the corpus's links whose target starts with the letter. */
  linkShare: number;
  /** Share of all patterns whose slug starts with it. */
  slugShare: number;
}

/** Fewest links for the first-letter check to judge; fewer say nothing about a generator. */
const QUARANTINE_MIN_LINKS = 30;
/** A letter is quarantined when it holds this share of the links' targets ... */
const QUARANTINE_LINK_SHARE = 0.25;
/** ... and this many times its share of the slugs. */
const QUARANTINE_RATIO = 4;

/**
 * First letters that hold far more of the links' targets than of the slugs. Names are not chosen by
 * what they link to, so such a concentration is the mark of a generator, not of curators.
 */
export function quarantineLetters(slugLetters: readonly string[], targetLetters: readonly string[]): LetterQuarantine[] {
  if (targetLetters.length < QUARANTINE_MIN_LINKS || slugLetters.length === 0) return [];
  const count = (xs: readonly string[]) => {
    const m = new Map<string, number>();
    for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
    return m;
  };
  const slugs = count(slugLetters);
  const out: LetterQuarantine[] = [];
  for (const [letter, c] of count(targetLetters)) {
    const linkShare = c / targetLetters.length;
    const slugShare = (slugs.get(letter) ?? 0) / slugLetters.length;
    if (linkShare >= QUARANTINE_LINK_SHARE && linkShare >= QUARANTINE_RATIO * slugShare) out.push({ letter, linkShare, slugShare });
  }
  return out.sort((a, b) => b.linkShare - a.linkShare);
}

export class LinkIndex {
  readonly fields: FieldWeights;
  readonly weights: ScoreWeights;
  readonly voters: number;
  readonly maxTermsPerDoc: number;
  readonly tfMode: 'log' | 'raw' | 'sqrt';
  readonly maxBodyChars: number;
  readonly voteSharpness: number;
  readonly inboundVote: number;
  readonly expansion: number;
  readonly expansionWeight: number;
  readonly model: 'bm25f' | 'tfidf';
  readonly k1: number;
  readonly fusion: 'linear' | 'rrf';
  readonly rrfK: number;
  readonly idfExponent: number;
  readonly b: FieldWeights;
  readonly calibration: ConfidenceMap | undefined;

  private docs: Doc[] = [];
  private bySlug = new Map<string, number>();
  private byId = new Map<string, number>();
  private scanner = new TermScanner();
  private mentionBag = new HashBag();
  private df = new Int32Array(1024);
  /** Postings in CSR form over live documents: docs of term t are postDoc[postStart[t] .. postStart[t+1]). */
  private postStart = new Int32Array(1);
  private postDoc = new Int32Array(0);
  /** tf × idf / norm of the posting's document (so a dot product is a cosine). */
  private postW = new Float32Array(0);
  private idf: Float64Array = new Float64Array(0);
  // per-document scratch while indexing
  private fieldCount = new Int32Array(1024);
  private docAcc = new Float64Array(1024);
  /** Scratch: terms of the current field / document in order of first occurrence (typed: no boxing, no growth checks). */
  private fieldTouched = new Int32Array(1024);
  /** Scratch: position + 1 of each term in one document's `terms` (all zero between uses). */
  private termPos = new Int32Array(0);
  private docTouched = new Int32Array(1024);
  private nAlive = 0;
  private eT = new Int32Array(4096);
  private eF = new Uint8Array(4096);
  private eC = new Uint16Array(4096);
  private pendingFields: Pick<TermData, 'eTerm' | 'eField' | 'eCount' | 'fieldLen'> | undefined;
  private dead = 0;
  // graph
  private out: Edge[][] = [];
  private inn: Edge[][] = [];
  private maxIn = 0;
  /**
   * First letters whose links are left out of the graph: a link generator bug (every target starting with
   * "a", say) would otherwise be learnt by the graph signals and spread to every proposal.
   */
  quarantinedLetters: LetterQuarantine[] = [];
  private groupLift = new Map<string, Map<string, number>>();
  /**
   * Recent queries' cosines and the last query's scores: a review plans a pattern with one `score` per
   * kept link and then `propose` (one query, many calls), and checks the same patterns for duplicates
   * right after. Cleared whenever the index changes.
   */
  private cosineMemo = new Map<number, Float64Array>();
  /** Set when every field is scanned for ids (positive weights, whole bodies): what the token cache replays. */
  private readonly tokenCache: TokenStatsCache | undefined;
  private scoreMemo: { q: number; scores: Scores } | undefined;
  /**
   * Number of the document whose reading registered each term (what its surface was read from). Valid
   * while the documents are numbered as their records came (no `update`, `updateLinks` or compaction).
   */
  private introducedBy = new Int32Array(1024);
  private inRecordOrder = true;
  /** While building: the index documents are taken over from, and its term ids → this index's (-1: not registered here). */
  private taking: { from: LinkIndex; map: Int32Array } | undefined;
  /** What the term data of a document depends on besides its text; undefined when a document's terms do not give the vocabulary's order. */
  private readonly termShape: string | undefined;
  /** Documents taken over from another index while building (their records were not read). */
  readonly takenOver: number = 0;

  constructor(records: Iterable<LinkRecord | TakenDoc> = [], opts: IndexOptions = {}) {
    this.fields = { ...DEFAULT_FIELDS, ...opts.fields };
    this.weights = { ...DEFAULT_WEIGHTS, ...opts.weights };
    this.voters = opts.voters ?? 12;
    this.maxTermsPerDoc = opts.maxTermsPerDoc ?? 0;
    this.tfMode = opts.tf ?? 'log';
    this.maxBodyChars = opts.maxBodyChars ?? 0;
    this.voteSharpness = opts.voteSharpness ?? 2;
    this.inboundVote = opts.inboundVote ?? 0.5;
    this.expansion = opts.expansion ?? 0;
    this.expansionWeight = opts.expansionWeight ?? 0.5;
    this.model = opts.model ?? 'bm25f';
    this.k1 = opts.k1 ?? 10;
    this.fusion = opts.fusion ?? 'linear';
    this.rrfK = opts.rrfK ?? 60;
    this.idfExponent = opts.idfExponent ?? 1;
    this.b = { ...DEFAULT_B, ...opts.b };
    this.tokenCache = opts.tokenCache && this.maxBodyChars === 0 && FIELD_NAMES.every((n) => this.fields[n] > 0) ? opts.tokenCache : undefined;
    this.calibration = opts.calibration ?? undefined;
    // Every field scanned for ids and kept whole: a document's terms in order are all the vocabulary saw of it.
    this.termShape =
      this.maxBodyChars === 0 && this.maxTermsPerDoc === 0 && FIELD_NAMES.every((n) => this.fields[n] > 0)
        ? JSON.stringify([this.fields, this.model, this.tfMode, this.weights.mention > 0])
        : undefined;
    let taken = 0;
    for (const r of records) {
      if (!('takeOver' in r)) this.insert(r);
      else if (this.takeOver(r)) taken++;
      else this.insert(r.record());
    }
    this.taking = undefined;
    (this as { takenOver: number }).takenOver = taken;
    this.refresh();
  }

  /** Number of live documents. */
  get size(): number {
    return this.nAlive;
  }

  has(slugOrId: string): boolean {
    return this.resolve(slugOrId) !== undefined;
  }

  slugs(): string[] {
    return this.docs.filter((d) => d.alive).map((d) => d.slug);
  }

  /** Slug of a slug or TypeID known to the index. */
  resolveSlug(slugOrId: string): string | undefined {
    const i = this.resolve(slugOrId);
    return i === undefined ? undefined : this.docs[i]!.slug;
  }

  private resolve(s: string): number | undefined {
    const i = this.bySlug.get(s) ?? this.byId.get(s);
    return i !== undefined && this.docs[i]!.alive ? i : undefined;
  }

  /** Replace or add `changed` records and drop `removed` slugs; equal to a full rebuild. */
  update(changed: Iterable<LinkRecord>, removed: Iterable<string> = []): void {
    this.inRecordOrder = false;
    for (const s of removed) this.remove(s);
    for (const r of changed) {
      this.remove(r.slug);
      this.insert(r);
    }
    if (this.dead > 64 && this.dead > this.docs.length / 4) this.compact();
    this.refresh();
  }

  private remove(slug: string): void {
    const i = this.bySlug.get(slug);
    if (i === undefined) return;
    const d = this.docs[i]!;
    if (!d.alive) return;
    d.alive = false;
    this.bySlug.delete(slug);
    if (d.id && this.byId.get(d.id) === i) this.byId.delete(d.id);
    for (let k = 0; k < d.terms.length; k++) this.df[d.terms[k]!]!--;
    this.nAlive--;
    this.dead++;
  }

  private get surfaces(): string[] {
    return this.scanner.surfaces;
  }

  private ensureVocab(): void {
    const v = this.scanner.vocabularySize;
    if (v <= this.df.length) return;
    let n = this.df.length;
    while (n < v) n *= 2;
    const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.df = grow(this.df, (m) => new Int32Array(m));
    this.introducedBy = grow(this.introducedBy, (m) => new Int32Array(m));
    this.fieldTouched = grow(this.fieldTouched, (m) => new Int32Array(m));
    this.docTouched = grow(this.docTouched, (m) => new Int32Array(m));
    this.fieldCount = grow(this.fieldCount, (m) => new Int32Array(m));
    this.docAcc = grow(this.docAcc, (m) => new Float64Array(m));
  }

  private growScratchE(): void {
    const n = this.eT.length * 2;
    const t = new Int32Array(n);
    t.set(this.eT);
    const f = new Uint8Array(n);
    f.set(this.eF);
    const c = new Uint16Array(n);
    c.set(this.eC);
    this.eT = t;
    this.eF = f;
    this.eC = c;
  }

  private insert(r: LinkRecord): void {
    if (this.bySlug.has(r.slug)) this.remove(r.slug);
    const v0 = this.scanner.vocabularySize;
    const f = this.fields;
    const damp = this.tfMode === 'raw' ? (c: number) => c : this.tfMode === 'sqrt' ? Math.sqrt : (c: number) => 1 + Math.log(c);
    const scanner = this.scanner;
    // BM25F recomputes every weight in `refresh` from the field counts: the damped sums only matter for
    // tf-idf and for choosing `maxTermsPerDoc` terms (a Math.log per term and field saved otherwise).
    const weighted = this.model !== 'bm25f' || this.maxTermsPerDoc > 0;
    let nDoc = 0;
    const mentions = this.weights.mention > 0 ? this.mentionBag : null;
    mentions?.clear();
    const bm = this.model === 'bm25f';
    // field occurrences (term, field, count) of this document in reused scratch arrays
    let nE = 0;
    const fieldLen = bm ? new Float32Array(NF) : undefined;
    let field = 0;
    const texts = fieldTexts(r);
    // Token statistics replayed from the cache (same ids and surfaces as a scan), else scanned and recorded.
    const key = this.tokenCache ? tokenKey(texts, mentions !== null) : undefined;
    const cached = key ? this.tokenCache!.get(key) : undefined;
    const replayed = cached ? this.replayTerms(cached) : undefined;
    const recorded: number[][] | undefined = key && !replayed ? [] : undefined;
    const vocabBefore = scanner.vocabularySize;
    const addField = (text: string, w: number, mention: boolean): void => {
      const fi = field++;
      if (!text) return;
      if (w <= 0) {
        if (mention && mentions) scanner.scanIds(text, false, mentions);
        return;
      }
      let nField = 0;
      if (cached && replayed) {
        if (fieldLen) fieldLen[fi] = cached.fieldLen[fi]!;
        for (let j = cached.fieldStart[fi]!; j < cached.fieldStart[fi + 1]!; j++) {
          const t = replayed[cached.local[j]!]!;
          this.fieldCount[t] = cached.count[j]!;
          this.fieldTouched[nField++] = t;
        }
      } else {
        const n = scanner.scanIds(text, true, mention ? mentions : null);
        if (fieldLen) fieldLen[fi] = n;
        this.ensureVocab();
        const ids = scanner.ids;
        for (let k = 0; k < n; k++) {
          const t = ids[k]!;
          const c = this.fieldCount[t]!;
          if (c === 0) this.fieldTouched[nField++] = t;
          this.fieldCount[t] = c + 1;
        }
        if (recorded) {
          const row = [fi, n];
          for (let k = 0; k < nField; k++) row.push(this.fieldTouched[k]!, this.fieldCount[this.fieldTouched[k]!]!);
          recorded.push(row);
        }
      }
      // Read after the scan: ensureVocab may have replaced these arrays with larger ones.
      const fc = this.fieldCount;
      const fieldTouched = this.fieldTouched;
      const docTouched = this.docTouched;
      const acc = this.docAcc;
      for (let k = 0; k < nField; k++) {
        const t = fieldTouched[k]!;
        const a = acc[t]!;
        if (a === 0) docTouched[nDoc++] = t;
        acc[t] = weighted ? a + w * damp(fc[t]!) : 1;
        if (bm) {
          if (nE === this.eT.length) this.growScratchE();
          this.eT[nE] = t;
          this.eF[nE] = fi;
          this.eC[nE++] = Math.min(65535, fc[t]!);
        }
        fc[t] = 0;
      }
    };
    addField(texts[0]!, f.title, false);
    addField(texts[1]!, f.summary, true);
    addField(texts[2]!, f.keywords, false);
    addField(texts[3]!, f.tension, false);
    addField(texts[4]!, f.entities, false);
    addField(texts[5]!, f.communities, false);
    const body = r.body;
    if (this.maxBodyChars > 0 && body.length > this.maxBodyChars) {
      addField(body.slice(0, this.maxBodyChars), f.body, true);
      if (mentions) scanner.scanIds(body.slice(this.maxBodyChars, 2 * this.maxBodyChars), false, mentions);
    } else addField(body, f.body, true);
    this.ensureVocab();
    const acc = this.docAcc;
    const docTouched = this.docTouched.subarray(0, nDoc);
    const mentionHashes = cached && replayed ? (cached.mentions ?? new Uint32Array(0)) : mentions ? mentions.sorted() : new Uint32Array(0);
    if (key && recorded) this.tokenCache!.set(key, this.tokenStats(docTouched, recorded, vocabBefore, mentions ? mentionHashes : null));
    let terms: Int32Array;
    if (this.maxTermsPerDoc > 0 && nDoc > this.maxTermsPerDoc) {
      const sur = this.surfaces;
      terms = new Int32Array([...docTouched].sort((a, b) => acc[b]! - acc[a]! || (sur[a]! < sur[b]! ? -1 : 1)).slice(0, this.maxTermsPerDoc));
    } else {
      // in order of first occurrence (not sorted: sorting cost ~0.2 s per commons-os build; pairs of
      // documents are joined through `common`)
      terms = docTouched.slice();
    }
    const tf = new Float32Array(terms.length);
    for (let k = 0; k < terms.length; k++) {
      const t = terms[k]!;
      tf[k] = acc[t]!;
      this.df[t]!++;
    }
    let eTerm: Uint16Array | Uint32Array | undefined;
    if (fieldLen) {
      // entries point at the term's position in `terms` (dropped terms are left out)
      for (let k = 0; k < terms.length; k++) acc[terms[k]!] = -(k + 1);
      let m = 0;
      const eT = this.eT;
      const eF = this.eF;
      const eC = this.eC;
      for (let x = 0; x < nE; x++) if (acc[eT[x]!]! < 0) m++;
      eTerm = terms.length < 65536 ? new Uint16Array(m) : new Uint32Array(m);
      const eField = new Uint8Array(m);
      const eCount = new Uint16Array(m);
      m = 0;
      for (let x = 0; x < nE; x++) {
        const a = acc[eT[x]!]!;
        if (a >= 0) continue;
        eTerm[m] = -a - 1;
        eField[m] = eF[x]!;
        eCount[m++] = eC[x]!;
      }
      this.pendingFields = { eTerm, eField, eCount, fieldLen };
    }
    for (let k = 0; k < nDoc; k++) acc[docTouched[k]!] = 0;
    const fields = this.pendingFields;
    this.pendingFields = undefined;
    const doc = makeDoc(labelsOf(r), {
      terms,
      tf,
      mentions: mentionHashes,
      eTerm: fields?.eTerm,
      eField: fields?.eField,
      eCount: fields?.eCount,
      fieldLen: fields?.fieldLen,
    });
    this.push(doc, v0);
  }

  /** Adds a document whose terms are counted in `df` already; `v0`: vocabulary size before its terms were registered. */
  private push(doc: Doc, v0: number): void {
    const idx = this.docs.length;
    this.docs.push(doc);
    this.bySlug.set(doc.slug, idx);
    if (doc.id) this.byId.set(doc.id, idx);
    this.nAlive++;
    const V = this.scanner.vocabularySize;
    for (let t = v0; t < V; t++) this.introducedBy[t] = idx;
    const taking = this.taking;
    if (taking) {
      // Terms a read record registered here: the taken-over documents' ids for them map to these.
      const fromScanner = taking.from.scanner;
      for (let t = v0; t < V; t++) {
        const o = fromScanner.termId(this.scanner.termStrings[t]!);
        if (o !== undefined) taking.map[o] = t;
      }
    }
  }

  /**
   * Takes over document `item.doc` of `item.takeOver` (see TakenDoc), registering its new terms in the
   * order and with the surfaces a scan of its text here would; false when that cannot be known (the
   * caller then reads the record).
   */
  private takeOver(item: TakenDoc): boolean {
    const from = item.takeOver;
    if (this.termShape === undefined || from.termShape !== this.termShape || !from.inRecordOrder || !this.inRecordOrder) return false;
    const src = from.docs[item.doc];
    if (!src) return false;
    let taking = this.taking;
    if (!taking) {
      const map = new Int32Array(from.scanner.vocabularySize).fill(-1);
      const V = this.scanner.vocabularySize;
      for (let t = 0; t < V; t++) {
        const o = from.scanner.termId(this.scanner.termStrings[t]!);
        if (o !== undefined) map[o] = t;
      }
      this.taking = taking = { from, map };
    } else if (taking.from !== from) return false;
    const map = taking.map;
    const terms = src.terms;
    const intro = from.introducedBy;
    // A term new here takes the surface it had where this document's reading registered it there;
    // registered there by an earlier document, its spelling in this one is unknown.
    for (let k = 0; k < terms.length; k++) {
      const t = terms[k]!;
      if (map[t]! < 0 && intro[t] !== item.doc) return false;
    }
    const slug = item.head ? item.head.slug : src.slug;
    if (this.bySlug.has(slug)) this.remove(slug);
    const v0 = this.scanner.vocabularySize;
    const fromScanner = from.scanner;
    const ids = new Int32Array(terms.length);
    for (let k = 0; k < terms.length; k++) {
      const t = terms[k]!;
      let id = map[t]!;
      if (id < 0) map[t] = id = this.scanner.intern(fromScanner.termStrings[t]!, fromScanner.surfaces[t]!);
      ids[k] = id;
    }
    this.ensureVocab();
    const df = this.df;
    for (let k = 0; k < ids.length; k++) df[ids[k]!]!++;
    const doc = makeDoc(item.head ? labelsOf(item.head) : src, {
      terms: ids,
      // BM25F weights are recomputed by `refresh` (1 until then, as `insert` leaves them); tf-idf's come
      // from the counts and the field weights (equal).
      tf: this.model === 'bm25f' ? new Float32Array(ids.length).fill(1) : src.tf.slice(),
      mentions: src.mentions,
      eTerm: src.eTerm,
      eField: src.eField,
      eCount: src.eCount,
      fieldLen: src.fieldLen,
    });
    this.push(doc, v0);
    return true;
  }

  /**
   * Ids of a cached entry's terms, registered (with their surfaces) in the order a scan would register
   * them; undefined when a term new to this index has no known surface (the record is scanned instead).
   */
  private replayTerms(c: TokenStats): Int32Array | undefined {
    const scanner = this.scanner;
    for (let k = 0; k < c.terms.length; k++) if (c.surfaces[k] === undefined && scanner.termId(c.terms[k]!) === undefined) return undefined;
    const ids = new Int32Array(c.terms.length);
    for (let k = 0; k < c.terms.length; k++) ids[k] = scanner.intern(c.terms[k]!, c.surfaces[k] as string);
    this.ensureVocab();
    return ids;
  }

  /** The cache entry of a record just scanned: `rows` are [field, length, (term id, count)...] per field. */
  private tokenStats(docTouched: Int32Array, rows: number[][], vocabBefore: number, mentions: Uint32Array | null): TokenStats {
    const scanner = this.scanner;
    const localOf = new Map<number, number>();
    const terms: string[] = [];
    const surfaces: (string | undefined)[] = [];
    for (let k = 0; k < docTouched.length; k++) {
      const id = docTouched[k]!;
      localOf.set(id, k);
      terms.push(scanner.termStrings[id]!);
      surfaces.push(id >= vocabBefore ? scanner.surfaces[id] : undefined);
    }
    const fieldStart = new Int32Array(NF + 1);
    const fieldLen = new Int32Array(NF);
    let total = 0;
    for (const row of rows) total += (row.length - 2) / 2;
    const local = new Int32Array(total);
    const count = new Int32Array(total);
    const byField = new Map(rows.map((row) => [row[0]!, row]));
    let at = 0;
    for (let fi = 0; fi < NF; fi++) {
      fieldStart[fi] = at;
      const row = byField.get(fi);
      if (!row) continue;
      fieldLen[fi] = row[1]!;
      for (let x = 2; x < row.length; x += 2) {
        local[at] = localOf.get(row[x]!)!;
        count[at++] = row[x + 1]!;
      }
    }
    fieldStart[NF] = at;
    return { terms, surfaces, fieldStart, local, count, fieldLen, mentions };
  }

  /**
   * Replace only the hard and inferred links of indexed patterns (their text is unchanged):
   * no re-tokenising, only the link graph is rebuilt. Equal to `update` with the same records.
   */
  updateLinks(changes: Iterable<{ slug: string; links: HardLink[]; inferred?: InferredLink[] }>): void {
    this.inRecordOrder = false;
    let any = false;
    for (const c of changes) {
      const i = this.resolve(c.slug);
      if (i === undefined) continue;
      const d = this.docs[i]!;
      d.links = ownLinks(c.links);
      if (c.inferred) d.inferred = ownInferred(c.inferred);
      any = true;
    }
    if (any) this.buildGraph();
  }

  /** Drop dead documents and renumber (keeps insertion order of live ones). */
  private compact(): void {
    const live = this.docs.filter((d) => d.alive);
    this.docs = [];
    this.bySlug.clear();
    this.byId.clear();
    live.forEach((d, i) => {
      this.docs.push(d);
      this.bySlug.set(d.slug, i);
      if (d.id) this.byId.set(d.id, i);
    });
    this.dead = 0;
  }

  /** Recompute everything that depends on the whole corpus: idf, norms, postings, graph. */
  private refresh(): void {
    this.cosineMemo.clear();
    const n = this.nAlive;
    const V = this.scanner.vocabularySize;
    const idf = new Float64Array(V);
    const df = this.df;
    for (let t = 0; t < V; t++) {
      const d = df[t]!;
      idf[t] = d > 0 ? Math.log(1 + (n - d + 0.5) / (d + 0.5)) ** this.idfExponent : 0;
    }
    this.idf = idf;
    if (this.model === 'bm25f') this.bm25fWeights();
    const start = new Int32Array(V + 1);
    let total = 0;
    for (const d of this.docs) {
      if (!d.alive) continue;
      let s = 0;
      const terms = d.terms;
      const tf = d.tf;
      for (let k = 0; k < terms.length; k++) {
        const t = terms[k]!;
        const w = tf[k]! * idf[t]!;
        s += w * w;
        start[t + 1]!++;
      }
      total += terms.length;
      d.norm = Math.sqrt(s) || 1;
    }
    for (let t = 0; t < V; t++) start[t + 1]! += start[t]!;
    const fill = start.slice(0, V);
    const postDoc = new Int32Array(total);
    const postW = new Float32Array(total);
    for (let j = 0; j < this.docs.length; j++) {
      const d = this.docs[j]!;
      if (!d.alive) continue;
      const terms = d.terms;
      const tf = d.tf;
      const inv = 1 / d.norm;
      for (let k = 0; k < terms.length; k++) {
        const t = terms[k]!;
        const p = fill[t]!++;
        postDoc[p] = j;
        postW[p] = tf[k]! * idf[t]! * inv;
      }
    }
    this.postStart = start;
    this.postDoc = postDoc;
    this.postW = postW;
    this.nameIdfs();
    this.buildGraph();
  }

  /** How rarely each pattern name is mentioned: the mention signal's weight for that name. */
  private nameIdfs(): void {
    // open addressing over the names (a Map of uint32 keys boxes each one; every mention of every text is looked up)
    let cap = 16;
    let nNames = 0;
    for (const d of this.docs) if (d.alive) nNames += d.names.length;
    while (cap < 2 * nNames) cap *= 2;
    const mask = cap - 1;
    const keys = new Uint32Array(cap);
    const used = new Uint8Array(cap);
    const count = new Int32Array(cap);
    const slot = (h: number): number => {
      let k = (Math.imul(h, 0x9e3779b1) >>> 0) & mask;
      while (used[k] && keys[k] !== h) k = (k + 1) & mask;
      return k;
    };
    for (const d of this.docs) {
      if (!d.alive) continue;
      for (const h of d.names) {
        const k = slot(h);
        used[k] = 1;
        keys[k] = h;
      }
    }
    for (const d of this.docs) {
      if (!d.alive) continue;
      const m = d.mentions;
      for (let x = 0; x < m.length; x++) {
        const k = slot(m[x]!);
        if (used[k]) count[k]!++;
      }
    }
    const n = this.nAlive;
    const logN = Math.log(n);
    for (const d of this.docs) {
      if (!d.alive) continue;
      const w = (d.nameIdf = new Float32Array(d.names.length));
      for (let x = 0; x < w.length; x++) w[x] = n > 1 ? Math.log(n / Math.max(1, count[slot(d.names[x]!)]!)) / logN : 1;
    }
  }

  /** BM25F doc-local weights: pooled length-normalised field counts, saturated once. */
  private bm25fWeights(): void {
    const avg = new Float64Array(NF);
    let n = 0;
    for (const d of this.docs) {
      if (!d.alive || !d.fieldLen) continue;
      n++;
      for (let f = 0; f < NF; f++) avg[f]! += d.fieldLen[f]!;
    }
    const fw = new Float64Array(NF);
    const fb = new Float64Array(NF);
    for (let f = 0; f < NF; f++) {
      avg[f] = n > 0 && avg[f]! > 0 ? avg[f]! / n : 1;
      fw[f] = Math.max(0, this.fields[FIELD_NAMES[f]!]);
      fb[f] = clamp01(this.b[FIELD_NAMES[f]!]);
    }
    const k1 = this.k1;
    const norm = new Float64Array(NF);
    for (const d of this.docs) {
      if (!d.alive || !d.fieldLen) continue;
      for (let f = 0; f < NF; f++) norm[f] = fw[f]! / (1 - fb[f]! + (fb[f]! * d.fieldLen[f]!) / avg[f]!);
      const tf = d.tf;
      tf.fill(0);
      const eTerm = d.eTerm!;
      const eField = d.eField!;
      const eCount = d.eCount!;
      for (let x = 0; x < eTerm.length; x++) tf[eTerm[x]!]! += eCount[x]! * norm[eField[x]!]!;
      for (let k = 0; k < tf.length; k++) {
        const v = tf[k]!;
        tf[k] = (v * (k1 + 1)) / (k1 + v);
      }
    }
  }

  private buildGraph(): void {
    this.scoreMemo = undefined;
    const N = this.docs.length;
    this.out = Array.from({ length: N }, () => []);
    this.inn = Array.from({ length: N }, () => []);
    const groupCounts = new Map<string, Map<string, number>>();
    const groupSize = new Map<string, number>();
    for (const d of this.docs) if (d.alive) groupSize.set(d.group ?? '', (groupSize.get(d.group ?? '') ?? 0) + 1);
    const edges: { from: number; to: number; type: string }[] = [];
    for (let i = 0; i < N; i++) {
      const d = this.docs[i]!;
      if (!d.alive) continue;
      const seen = new Set<number>();
      for (const l of d.links) {
        const j = this.resolve(l.target);
        if (j === undefined || j === i || seen.has(j)) continue;
        seen.add(j);
        edges.push({ from: i, to: j, type: l.type });
      }
    }
    const letterOf = (j: number): string => this.docs[j]!.slug.charAt(0);
    this.quarantinedLetters = quarantineLetters(
      this.docs.filter((d) => d.alive).map((d) => d.slug.charAt(0)),
      edges.map((e) => letterOf(e.to)),
    );
    const quarantined = new Set(this.quarantinedLetters.map((q) => q.letter));
    for (const { from: i, to: j, type } of edges) {
      if (quarantined.has(letterOf(j))) continue;
      this.out[i]!.push({ to: j, type });
      this.inn[j]!.push({ to: i, type });
      const gs = this.docs[i]!.group ?? '';
      const gt = this.docs[j]!.group ?? '';
      let m = groupCounts.get(gs);
      if (!m) groupCounts.set(gs, (m = new Map()));
      m.set(gt, (m.get(gt) ?? 0) + 1);
    }
    let maxIn = 0;
    for (const e of this.inn) if (e.length > maxIn) maxIn = e.length;
    this.maxIn = maxIn;
    // lift of target group given source group, smoothed towards 1 (no evidence = no effect)
    this.groupLift = new Map();
    const n = this.nAlive || 1;
    for (const [gs, m] of groupCounts) {
      let total = 0;
      for (const c of m.values()) total += c;
      const lifts = new Map<string, number>();
      for (const [gt, size] of groupSize) {
        const prior = size / n;
        const p = ((m.get(gt) ?? 0) + 5 * prior) / (total + 5);
        lifts.set(gt, p / prior);
      }
      this.groupLift.set(gs, lifts);
    }
  }

  /** Cosine similarities of `q` to all documents, blended with those of its nearest neighbours (PRF). */
  private lexical(q: number): Float64Array {
    const lex = this.cosines(q);
    if (this.expansion <= 0) return lex;
    const order: number[] = [];
    for (let j = 0; j < lex.length; j++) if (j !== q && lex[j]! > 0) order.push(j);
    order.sort((a, b) => lex[b]! - lex[a]! || a - b);
    const top = order.slice(0, this.expansion);
    if (top.length === 0) return lex;
    const b = this.expansionWeight / top.length;
    const out = Float64Array.from(lex);
    for (const n of top) {
      const ln = this.cosines(n);
      for (let j = 0; j < out.length; j++) out[j]! += b * ln[j]!;
    }
    for (let j = 0; j < out.length; j++) out[j] = out[j]! / (1 + this.expansionWeight);
    out[q] = 0;
    return out;
  }

  /** Raw cosine similarities of document `q` against all documents (shared: read only). */
  private cosines(q: number): Float64Array {
    let lex = this.cosineMemo.get(q);
    if (!lex) {
      if (this.cosineMemo.size >= cosineMemoSize(this.docs.length)) this.cosineMemo.delete(this.cosineMemo.keys().next().value as number);
      this.cosineMemo.set(q, (lex = this.computeCosines(q)));
    }
    return lex;
  }

  private computeCosines(q: number): Float64Array {
    const acc = new Float64Array(this.docs.length);
    const d = this.docs[q]!;
    const idf = this.idf;
    const start = this.postStart;
    const postDoc = this.postDoc;
    const postW = this.postW;
    const inv = 1 / d.norm;
    for (let k = 0; k < d.terms.length; k++) {
      const t = d.terms[k]!;
      const w = d.tf[k]! * idf[t]! * inv;
      const e = start[t + 1]!;
      for (let p = start[t]!; p < e; p++) acc[postDoc[p]!]! += w * postW[p]!;
    }
    return acc;
  }

  /** Lexical cosine similarity between two indexed patterns. */
  similarity(a: string, b: string): number {
    const i = this.resolve(a);
    const j = this.resolve(b);
    if (i === undefined || j === undefined) return 0;
    const di = this.docs[i]!;
    const dj = this.docs[j]!;
    let s = 0;
    this.common(i, j, (t, x, y) => {
      const idf = this.idf[t]!;
      s += di.tf[x]! * dj.tf[y]! * idf * idf;
    });
    return s / (di.norm * dj.norm);
  }

  /** Calls `fn(term, x, y)` for every term of both documents (at `terms[x]` of i and `terms[y]` of j), in j's term order. */
  private common(i: number, j: number, fn: (t: number, x: number, y: number) => void): void {
    const ti = this.docs[i]!.terms;
    const tj = this.docs[j]!.terms;
    const V = this.scanner.vocabularySize;
    if (this.termPos.length < V) this.termPos = new Int32Array(Math.max(V, 2 * this.termPos.length));
    const pos = this.termPos;
    for (let x = 0; x < ti.length; x++) pos[ti[x]!] = x + 1;
    try {
      for (let y = 0; y < tj.length; y++) {
        const t = tj[y]!;
        const x = pos[t]!;
        if (x > 0) fn(t, x - 1, y);
      }
    } finally {
      for (let x = 0; x < ti.length; x++) pos[ti[x]!] = 0;
    }
  }

  /** `scoreAll` of the query's lexical similarities, kept for the next call with the same query (shared: read only). */
  private scoresOf(q: number): Scores {
    if (this.scoreMemo?.q !== q) this.scoreMemo = { q, scores: this.scoreAll(q, this.lexical(q)) };
    return this.scoreMemo.scores;
  }

  /** Scores of every candidate target for `slug` (combined, 0..1) with their parts. */
  private scoreAll(q: number, lex: Float64Array): Scores {
    const N = this.docs.length;
    const w = this.weights;
    const score = new Float64Array(N);
    const vote = new Float64Array(N);
    const votedType = new Map<number, Map<string, number>>();
    // lexical neighbours vote with their links
    if (w.neighbours > 0 && this.voters > 0) {
      const order: number[] = [];
      for (let j = 0; j < N; j++) if (j !== q && lex[j]! > 0 && this.out[j]!.length + this.inn[j]!.length > 0) order.push(j);
      order.sort((a, b) => lex[b]! - lex[a]! || a - b);
      const top = order.slice(0, this.voters);
      let total = 0;
      const vw = top.map((n) => lex[n]! ** this.voteSharpness);
      for (const v of vw) total += v;
      if (total > 0) {
        for (let vi = 0; vi < top.length; vi++) {
          const n = top[vi]!;
          const wn = vw[vi]! / total;
          for (const e of this.out[n]!) {
            vote[e.to]! += wn;
            bump(votedType, e.to, e.type, wn);
          }
          for (const e of this.inn[n]!) {
            vote[e.to]! += wn * this.inboundVote;
            bump(votedType, e.to, INVERSE_TYPE[e.type] ?? e.type, wn * this.inboundVote);
          }
        }
      }
    }
    // co-citation: docs linking to both q and j, and shared out-neighbours
    const cocite = new Float64Array(N);
    if (w.cocitation > 0) {
      const qOut = this.out[q]!;
      const qIn = this.inn[q]!;
      if (qOut.length + qIn.length > 0) {
        for (const e of qIn) for (const f of this.out[e.to]!) cocite[f.to]! += 1;
        for (const e of qOut) for (const f of this.inn[e.to]!) cocite[f.to]! += 1;
        let mx = 0;
        for (let j = 0; j < N; j++) if (j !== q && cocite[j]! > mx) mx = cocite[j]!;
        if (mx > 0) for (let j = 0; j < N; j++) cocite[j] = cocite[j]! / mx;
      }
    }
    const logMax = Math.log(1 + this.maxIn) || 1;
    const lifts = this.groupLift.get(this.docs[q]!.group ?? '');
    let maxLift = 1;
    if (lifts) for (const v of lifts.values()) if (v > maxLift) maxLift = v;
    // link profile: mean similarity of q to the patterns j is linked with, relative to q's best match
    const profile = new Float64Array(N);
    if (w.profile > 0) {
      let best = 0;
      for (let j = 0; j < N; j++) if (j !== q && lex[j]! > best) best = lex[j]!;
      for (let j = 0; j < N; j++) {
        // out-edges then in-edges, as one list would add them (no array per pattern and query)
        let s = 0;
        let c = 0;
        for (const e of this.out[j]!) {
          if (e.to === q) continue;
          s += lex[e.to]!;
          c++;
        }
        for (const e of this.inn[j]!) {
          if (e.to === q) continue;
          s += lex[e.to]!;
          c++;
        }
        if (c > 0 && best > 0) profile[j] = Math.min(1, s / c / best);
      }
    }
    const mention = new Float64Array(N);
    if (w.mention > 0) {
      const dq = this.docs[q]!;
      const qMentions = dq.mentions;
      const qNames = dq.names;
      // Indexed loops: iterating a typed array with for-of cost most of this pass.
      for (let j = 0; j < N; j++) {
        const dj = this.docs[j]!;
        if (j === q || !dj.alive) continue;
        // q's text names j (full weight) or j's text names q (half), each by the name's rarity
        let m = 0;
        const names = dj.names;
        const idf = dj.nameIdf!;
        for (let x = 0; x < names.length; x++) if (hasHash(qMentions, names[x]!)) m = Math.max(m, idf[x]!);
        const mentions = dj.mentions;
        const qIdf = dq.nameIdf!;
        for (let x = 0; x < qNames.length; x++) if (hasHash(mentions, qNames[x]!)) m = Math.max(m, 0.5 * qIdf[x]!);
        mention[j] = m;
      }
    }
    const total = w.lexical + w.neighbours + w.profile + w.mention + w.inbound + w.cocitation + w.group;
    const rrf = this.fusion === 'rrf';
    const inboundS = new Float64Array(N);
    const groupS = new Float64Array(N);
    for (let j = 0; j < N; j++) {
      const d = this.docs[j]!;
      if (!d.alive || j === q) continue;
      const l = lex[j]!;
      if (l <= 0 && vote[j]! <= 0 && cocite[j]! <= 0 && profile[j]! <= 0 && mention[j]! <= 0) continue;
      const inbound = Math.log(1 + this.inn[j]!.length) / logMax;
      const lift = lifts?.get(d.group ?? '') ?? 1;
      const group = lift > 1 ? Math.log(lift) / Math.log(maxLift) : 0;
      const s =
        (w.lexical * l +
          w.neighbours * Math.min(1, vote[j]!) +
          w.profile * profile[j]! +
          w.mention * mention[j]! +
          w.inbound * inbound +
          w.cocitation * cocite[j]! +
          w.group * group) /
        total;
      score[j] = s;
      inboundS[j] = inbound;
      groupS[j] = group;
    }
    // the target already links to q: strong evidence of a relationship
    const back = new Float64Array(N);
    for (const e of this.inn[q]!) back[e.to] = 1;
    if (w.backlink > 0) {
      for (const e of this.inn[q]!) {
        const j = e.to;
        score[j] = clamp01(score[j]! + w.backlink * (1 - score[j]!));
      }
    }
    let order = score;
    if (rrf) {
      order = new Float64Array(N);
      const live = (j: number): boolean => j !== q && this.docs[j]!.alive && score[j]! > 0;
      const fuse = (weight: number, sig: Float64Array): void => {
        if (weight <= 0) return;
        const idx: number[] = [];
        for (let j = 0; j < N; j++) if (sig[j]! > 0 && live(j)) idx.push(j);
        idx.sort((a, b) => sig[b]! - sig[a]!);
        let rank = 1;
        for (let x = 0; x < idx.length; x++) {
          if (x > 0 && sig[idx[x]!]! < sig[idx[x - 1]!]!) rank = x + 1;
          order[idx[x]!]! += weight / (this.rrfK + rank);
        }
      };
      fuse(w.lexical, lex);
      fuse(w.neighbours, vote);
      fuse(w.profile, profile);
      fuse(w.mention, mention);
      fuse(w.inbound, inboundS);
      fuse(w.cocitation, cocite);
      fuse(w.group, groupS);
      fuse(w.backlink, back);
    }
    const cands: number[] = [];
    for (let j = 0; j < N; j++) if (j !== q && score[j]! > 0 && this.docs[j]!.alive) cands.push(j);
    const docs = this.docs;
    const before = (a: number, b: number): number => order[b]! - order[a]! || score[b]! - score[a]! || (docs[a]!.slug < docs[b]!.slug ? -1 : 1);
    const signals = {
      lexical: lex,
      neighbours: vote.map((v) => Math.min(1, v)),
      profile,
      mention,
      inbound: inboundS,
      cocitation: cocite,
      backlink: back,
      group: groupS,
    };
    return { score, order, vote, votedType, signals, cands: Int32Array.from(cands), before };
  }

  /** Every candidate of a query best first, and its rank: one sort of all patterns, kept with the scores. */
  private ranking(s: Scores): { ranked: Int32Array; rank: Int32Array } {
    if (!s.ranking) {
      const ranked = s.cands.slice().sort(s.before);
      const rank = new Int32Array(s.score.length);
      for (let r = 0; r < ranked.length; r++) rank[ranked[r]!] = r + 1;
      s.ranking = { ranked, rank };
    }
    return s.ranking;
  }

  /** Confidence shown for candidate `j` of a query (calibrated when the index has a calibration). */
  private confidenceOf(s: Scores, j: number): number {
    const score = s.score[j]!;
    if (score <= 0) return 0;
    return round2(this.calibration ? clamp01(this.calibration(score, this.ranking(s).rank[j]!)) : score);
  }

  /**
   * The best `n` candidates for `slug` with the evidence behind each (nothing excluded but the pattern
   * itself): the rows a model of the signals is fitted on.
   */
  candidates(slug: string, n: number): Candidate[] {
    const q = this.resolve(slug);
    if (q === undefined) return [];
    const s = this.scoresOf(q);
    const out: Candidate[] = [];
    const { ranked } = this.ranking(s);
    for (let r = 0; r < Math.min(n, ranked.length); r++) {
      const j = ranked[r]!;
      const signals = {} as SignalRecord;
      for (const name of SIGNAL_NAMES) signals[name] = s.signals[name][j]!;
      out.push({ target: this.docs[j]!.slug, score: s.score[j]!, rank: r + 1, signals });
    }
    return out;
  }

  /** Top-k link candidates for a pattern (self, hard links and inferred links excluded). */
  propose(slug: string, k = 10, opts: ProposeOptions = {}): Proposal[] {
    const q = this.resolve(slug);
    if (q === undefined) return [];
    const d = this.docs[q]!;
    const scores = this.scoresOf(q);
    const { votedType } = scores;
    const excluded = new Set<number>([q]);
    for (const e of this.out[q]!) excluded.add(e.to);
    for (const l of d.links) {
      const j = this.resolve(l.target);
      if (j !== undefined) excluded.add(j);
    }
    if (opts.excludeInferred !== false) {
      for (const l of d.inferred) {
        const j = this.resolve(l.target);
        if (j !== undefined) excluded.add(j);
      }
    }
    for (const s of opts.exclude ?? []) {
      const j = this.resolve(s);
      if (j !== undefined) excluded.add(j);
    }
    const min = opts.minConfidence ?? 0;
    // Uncalibrated, a candidate's confidence is its rounded score: those under the minimum are skipped
    // anyway, so only the others are put in order (a few dozen of thousands), in the full ranking's order.
    let ranked: Int32Array;
    if (this.calibration) ranked = this.ranking(scores).ranked;
    else {
      const score = scores.score;
      ranked = scores.cands.filter((j) => {
        const c = round2(score[j]!);
        return c >= min && c > 0;
      });
      ranked.sort(scores.before);
    }
    const out: Proposal[] = [];
    for (const j of ranked) {
      if (out.length >= k) break;
      if (excluded.has(j)) continue;
      const confidence = this.confidenceOf(scores, j);
      if (confidence < min || confidence <= 0) continue;
      const reason = this.reason(q, j);
      if (!reason) continue; // nothing shared that could be named: no proposal
      out.push({ target: this.docs[j]!.slug, type: this.typeFor(q, j, votedType), confidence, reason });
    }
    return out;
  }

  /** Confidence (0..1) of one pair, as `propose` would give it. */
  score(source: string, target: string): number {
    const q = this.resolve(source);
    const j = this.resolve(target);
    if (q === undefined || j === undefined || q === j) return 0;
    return this.confidenceOf(this.scoresOf(q), j);
  }

  /** The inverse of the target's hard link to the source, else the neighbours' majority type, else complementary. */
  private typeFor(q: number, j: number, voted: Map<number, Map<string, number>>): string {
    for (const e of this.out[j]!) if (e.to === q) return INVERSE_TYPE[e.type] ?? 'complementary';
    const m = voted.get(j);
    if (m) {
      let best = '';
      let bw = 0;
      for (const [t, w] of m) if (w > bw && INVERSE_TYPE[t] !== undefined && t !== 'related') [best, bw] = [t, w];
      if (best) return best;
    }
    return 'complementary';
  }

  /** Reason text built only from what both patterns share. */
  reason(a: number | string, b: number | string): string {
    const i = typeof a === 'number' ? a : this.resolve(a);
    const j = typeof b === 'number' ? b : this.resolve(b);
    if (i === undefined || j === undefined) return '';
    const da = this.docs[i]!;
    const db = this.docs[j]!;
    const parts: string[] = [];
    const shared = (xs: string[], ys: string[]): string[] => {
      const ny = new Set(ys.map(normLabel));
      const out: string[] = [];
      const seen = new Set<string>();
      for (const x of xs) {
        const n = normLabel(x);
        if (n && ny.has(n) && !seen.has(n)) {
          seen.add(n);
          out.push(x);
        }
      }
      return out;
    };
    const ents = shared(da.entities, db.entities).slice(0, 4);
    if (ents.length) parts.push(`Shared entities: ${ents.join(', ')}`);
    const kws = shared(da.keywords, db.keywords).slice(0, 4);
    if (kws.length) parts.push(`Shared keywords: ${kws.join(', ')}`);
    const comms = shared(da.communities, db.communities).slice(0, 3);
    if (comms.length) parts.push(`Shared communities: ${comms.join(', ')}`);
    if (parts.length === 0 || ents.length + kws.length < 2) {
      const ts = this.sharedTerms(i, j, 5);
      if (ts.length) parts.push(`Shared terms: ${ts.join(', ')}`);
    }
    if (parts.length === 0) {
      // nothing textual in common: name the shared graph neighbours
      const na = new Set([...this.out[i]!, ...this.inn[i]!].map((e) => e.to));
      const common = [...new Set([...this.out[j]!, ...this.inn[j]!].map((e) => e.to))].filter((x) => na.has(x) && x !== i && x !== j);
      if (common.length)
        parts.push(
          `Shared neighbours: ${common
            .slice(0, 4)
            .map((x) => this.docs[x]!.slug)
            .join(', ')}`,
        );
    }
    return parts.join('; ');
  }

  /** The terms contributing most to the similarity of two documents (surface forms). */
  sharedTerms(i: number, j: number, n: number): string[] {
    const di = this.docs[i]!;
    const dj = this.docs[j]!;
    const contrib: [number, number][] = [];
    this.common(i, j, (t, x, y) => {
      const idf = this.idf[t]!;
      contrib.push([t, di.tf[x]! * dj.tf[y]! * idf * idf]);
    });
    contrib.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    return contrib.slice(0, n).map(([t]) => this.surfaces[t]!);
  }

  /** Stored links of a pattern (for pruning). */
  info(slug: string): { slug: string; links: HardLink[]; inferred: InferredLink[]; lastPruned?: string; inbound: string[] } | undefined {
    const i = this.resolve(slug);
    if (i === undefined) return undefined;
    const d = this.docs[i]!;
    const r: { slug: string; links: HardLink[]; inferred: InferredLink[]; lastPruned?: string; inbound: string[] } = {
      slug: d.slug,
      links: d.links,
      inferred: d.inferred,
      inbound: this.inn[i]!.map((e) => this.docs[e.to]!.slug),
    };
    if (d.lastPruned) r.lastPruned = d.lastPruned;
    return r;
  }

  /** Nearest lexical neighbours (cosine), best first. */
  neighbours(slug: string, k: number): { slug: string; similarity: number }[] {
    const q = this.resolve(slug);
    if (q === undefined || k <= 0) return [];
    const lex = this.cosines(q);
    const top: number[] = [];
    if (k > 32) {
      for (let j = 0; j < lex.length; j++) if (j !== q && lex[j]! > 0 && this.docs[j]!.alive) top.push(j);
      top.sort((a, b) => lex[b]! - lex[a]! || (this.docs[a]!.slug < this.docs[b]!.slug ? -1 : 1));
      top.length = Math.min(top.length, k);
    } else {
      // The best k kept in order while scanning (a review asks for 2 of thousands): a full sort's first k.
      const before = (a: number, b: number): boolean => lex[a]! > lex[b]! || (lex[a] === lex[b] && this.docs[a]!.slug < this.docs[b]!.slug);
      for (let j = 0; j < lex.length; j++) {
        if (j === q || !(lex[j]! > 0) || !this.docs[j]!.alive) continue;
        if (top.length === k && !before(j, top[k - 1]!)) continue;
        let at = top.length === k ? k - 1 : top.length;
        while (at > 0 && before(j, top[at - 1]!)) at--;
        if (top.length === k) top.pop();
        top.splice(at, 0, j);
      }
    }
    return top.map((j) => ({ slug: this.docs[j]!.slug, similarity: lex[j]! }));
  }

  /** Rough memory held by the index's typed arrays and postings, in bytes. */
  approxBytes(): number {
    let b = 0;
    for (const d of this.docs) b += d.terms.byteLength + d.tf.byteLength + 200;
    b += this.postDoc.byteLength + this.postW.byteLength + this.postStart.byteLength + this.idf.byteLength + this.df.byteLength;
    return b;
  }
}

function bump(m: Map<number, Map<string, number>>, j: number, type: string, w: number): void {
  let t = m.get(j);
  if (!t) m.set(j, (t = new Map()));
  t.set(type, (t.get(type) ?? 0) + w);
}

const slugKey = (s: string): string => (s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join('-');

/** Hashes of name-like phrases in a text: 2..6-word windows of Capitalised runs, and slug-like tokens (sorted). */
/** The texts of a record's fields as the index reads them, in field order (title, summary, ... body). */
function fieldTexts(r: LinkRecord): string[] {
  return [
    [r.title, ...r.aliases].join(' . '),
    r.summary,
    r.keywords.join(' . '),
    r.tension,
    r.entities.join(' . '),
    r.communities.join(' . ').replace(/-/g, ' '),
    r.body,
  ];
}

export function mentionHashes(text: string): Uint32Array {
  const bag = new HashBag();
  new TermScanner().scan(text, null, bag);
  return bag.sorted();
}

/** A document's labels and links, copied: strings from the YAML parser are views into the whole file text. */
function labelsOf(r: Omit<LinkRecord, 'body'>): Labels {
  return {
    slug: ownString(r.slug),
    id: r.id ? ownString(r.id) : undefined,
    group: r.group ? ownString(r.group) : undefined,
    title: ownString(r.title || r.slug),
    keywords: r.keywords.map(ownString),
    entities: r.entities.map(ownString),
    communities: r.communities.map(ownString),
    links: ownLinks(r.links),
    inferred: ownInferred(r.inferred),
    lastPruned: r.lastPruned ? ownString(r.lastPruned) : undefined,
    names: nameHashes(r),
  };
}

function nameHashes(r: Omit<LinkRecord, 'body'>): Uint32Array {
  const set = new Set<number>();
  for (const n of [r.title, r.slug, ...r.aliases]) {
    const k = slugKey(n);
    if (k.includes('-')) set.add(fnv(k));
  }
  return Uint32Array.from(set);
}

function ownLinks(links: HardLink[]): HardLink[] {
  return links.map((l) => {
    const o: HardLink = { target: ownString(l.target), type: ownString(l.type) };
    if (l.weight !== undefined) o.weight = l.weight;
    return o;
  });
}

function ownInferred(links: InferredLink[]): InferredLink[] {
  return links.map((l) => {
    const o: InferredLink = { target: ownString(l.target), type: ownString(l.type) };
    if (l.confidence !== undefined) o.confidence = l.confidence;
    if (l.reason !== undefined) o.reason = ownString(l.reason);
    return o;
  });
}

function hasHash(a: Uint32Array, h: number): boolean {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = a[mid]!;
    if (v === h) return true;
    if (v < h) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

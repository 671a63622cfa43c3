/**
 * Fixture builder: a valid v7.1 commons pattern written from scratch (invented topic and prose),
 * so every test starts from a file that triggers nothing and mutates exactly one thing.
 *
 * The default pattern passes every rule when checked on `DEFAULT_TODAY` together with the other
 * patterns its relationships name (use `patternCorpus` to build a consistent set).
 */
import { createHash } from 'node:crypto';
import { addDays, formatDate, requireDate } from '../../src/core/dates.js';

export const DEFAULT_TODAY = '2026-11-21';

export const SECTION_NAMES = ['Context', 'Problem', 'Solution', 'Implementation', 'Consequences', 'Known Uses', 'Cognitive Era', 'Vitality'] as const;
/** Word counts that sit well inside the spec's ranges. */
export const SECTION_TARGET_WORDS = [150, 150, 300, 400, 250, 250, 200, 250] as const;

export const DIMENSION_KEYS = [
  'stakeholder_architecture',
  'value_creation',
  'resilience',
  'ownership',
  'autonomy',
  'composability',
  'fractal_value',
  'vitality',
] as const;
export type Scores = Record<(typeof DIMENSION_KEYS)[number], number>;
/** Mean 3.5625 → overall 3.6. */
export const DEFAULT_SCORES: Scores = {
  stakeholder_architecture: 4,
  value_creation: 3.5,
  resilience: 3,
  ownership: 4,
  autonomy: 3.5,
  composability: 4,
  fractal_value: 3,
  vitality: 3.5,
};

export interface InferredLink {
  target: string;
  type: string;
  confidence?: number;
  reason?: string;
}

export interface PatternOptions {
  slug: string;
  title?: string;
  id?: string;
  summary?: string;
  tension?: string;
  /** Defaults to ten days before `today`. */
  lastPruned?: string;
  today?: string;
  scores?: Partial<Scores>;
  /** Overall score as written; defaults to the correct mean rounded half-up. */
  overall?: number | string;
  /** Relationship lists as slugs (written `- slug: x` / `weight: 0.8`). */
  relationships?: Partial<Record<'generalizes_from' | 'specializes_to' | 'enables' | 'requires' | 'alternatives' | 'complementary' | 'tools', string[]>>;
  inferred?: InferredLink[];
  /** Replace the body entirely. */
  body?: string;
}

const REL_TYPES = ['generalizes_from', 'specializes_to', 'enables', 'requires', 'alternatives', 'complementary', 'tools'] as const;

/** A deterministic, valid TypeID (`pat_` + 26 Crockford base32 characters, first one 0-7) per slug. */
export function typeIdFor(slug: string): string {
  const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
  const h = createHash('sha256').update(slug).digest();
  let out = alphabet[(h[0] as number) % 8] as string;
  for (let i = 1; i < 26; i++) out += alphabet[(h[i] as number) % 32];
  return `pat_${out}`;
}

const WORDS = (
  'gardeners keep the seed exchange alive by writing down which varieties thrived in each plot ' +
  'neighbours trade cuttings at the spring fair and record who carried them home ' +
  'a shared ledger shows where every jar of beans travelled over three winters ' +
  'volunteers test germination in damp cloth before the catalogue goes to print ' +
  'the library lends tools as freely as it lends seed and asks only for a note on their use ' +
  'elders recall the flooding year when half the stock rotted and nobody had kept a spare ' +
  'children label packets with drawings so the whole street can read them ' +
  'rotating stewards meet each month to decide which crops need another grower ' +
  'surplus squash moves to the food pantry while rare peppers stay in cold storage'
).split(' ');

/** Exactly `n` plain words of invented prose (no hyphens or apostrophes, so counting is unambiguous). */
export function prose(n: number, offset = 0): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(WORDS[(i + offset) % WORDS.length] as string);
  // Lines of at most 20 words, sentences of ten.
  const lines: string[] = [];
  for (let i = 0; i < out.length; i += 20) {
    const chunk = out.slice(i, i + 20);
    let line = '';
    chunk.forEach((w, j) => {
      const word = (i + j) % 10 === 0 ? w[0]!.toUpperCase() + w.slice(1) : w;
      line += (j === 0 ? '' : ' ') + word + ((i + j) % 10 === 9 ? '.' : '');
    });
    lines.push(line);
  }
  return lines.join('\n');
}

export function countPlainWords(s: string): number {
  return s.split(/\s+/).filter((w) => /[A-Za-z0-9]/.test(w)).length;
}

export function problemStatement(tension: string): string {
  return `> **The core conflict is ${tension}.**`;
}

/** The eight sections, each with its target word count (statement words included). */
export function sectionBodies(tension: string): string[] {
  return SECTION_NAMES.map((_, i) => {
    const target = SECTION_TARGET_WORDS[i] as number;
    if (i === 1) {
      const st = problemStatement(tension);
      return `${st}\n\n${prose(target - countPlainWords(st), i * 7)}`;
    }
    return prose(target, i * 7);
  });
}

export function defaultBody(title: string, tension: string): string {
  const bodies = sectionBodies(tension);
  const parts = [`# ${title}`, '', '> [!NOTE] Confidence Rating: ★★ (Emerging)', ''];
  SECTION_NAMES.forEach((name, i) => {
    parts.push('---', '', `### Section ${i + 1}: ${name}`, '', bodies[i] as string, '');
  });
  return parts.join('\n');
}

export function meanScore(scores: Scores): number {
  const m = DIMENSION_KEYS.reduce((s, k) => s + scores[k], 0) / DIMENSION_KEYS.length;
  return Math.floor(m * 10 + 0.5 + 1e-9) / 10;
}

function titleFromSlug(slug: string): string {
  return slug
    .split('-')
    .map((w) => (w[0] ?? '').toUpperCase() + w.slice(1))
    .join(' ');
}

function fmtNum(n: number): string {
  return Number.isInteger(n) ? n.toFixed(1) : String(n);
}

/** A complete, valid v7.1 pattern file. */
export function buildPattern(opts: PatternOptions): string {
  const today = requireDate(opts.today ?? DEFAULT_TODAY);
  const title = opts.title ?? titleFromSlug(opts.slug);
  const tension = opts.tension ?? 'Sharing Freely vs Keeping Stock Safe';
  const scores: Scores = { ...DEFAULT_SCORES, ...opts.scores };
  const overall = opts.overall ?? fmtNum(meanScore(scores));
  const lastPruned = opts.lastPruned ?? formatDate(addDays(today, -10));
  const rel = opts.relationships ?? {};
  const relLines: string[] = [];
  for (const t of REL_TYPES) {
    const list = rel[t] ?? [];
    if (list.length === 0) relLines.push(`  ${t}: []`);
    else {
      relLines.push(`  ${t}:`);
      for (const s of list) relLines.push(`    - slug: ${s}`, `      weight: 0.8`);
    }
  }
  const inferred = opts.inferred ?? [];
  const infLines: string[] = inferred.length === 0 ? ['  inferred_links: []'] : ['  inferred_links:'];
  for (const l of inferred) {
    infLines.push(
      `    - target: ${l.target}`,
      `      type: ${l.type}`,
      `      confidence: ${l.confidence ?? 0.7}`,
      `      reason: "${l.reason ?? 'Shared vocabulary of stewardship and exchange.'}"`,
    );
  }
  const fm = [
    '---',
    '# Group 1: identity',
    `id: ${opts.id ?? typeIdFor(opts.slug)}`,
    `slug: ${opts.slug}`,
    `title: "${title}"`,
    'aliases: []',
    'summary: >-',
    `  ${opts.summary ?? 'A neighbourhood keeps a living seed collection by lending, returning and recording.'}`,
    '',
    'context_labels:',
    `  corporate: "${title} for Organizations"`,
    `  activist: "${title} for Movements"`,
    '',
    'ontology:',
    '  domain: food-commons',
    '  cross_domains: [stewardship, local-economy]',
    '  search_hints:',
    `    primary_tension: "${tension}"`,
    '    vector_keywords: ["seed", "library", "exchange"]',
    '  commons_assessment:',
    ...DIMENSION_KEYS.map((k) => `    ${k}: ${fmtNum(scores[k])}`),
    '    vitality_reasoning: >-',
    '      Growers return more seed than they borrow in most seasons.',
    `    overall_score: ${overall}`,
    '',
    'lifecycle:',
    '  usage_stage: application',
    '  status: draft',
    '  version: 0.1',
    '  confidence: 2',
    '',
    'relationships:',
    ...relLines,
    '',
    'graph_garden:',
    `  last_pruned: ${lastPruned}`,
    '  entities:',
    '    - id: seed-stock',
    '      type: concept',
    '      label: "Seed Stock"',
    ...infLines,
    '',
    'contributors: ["fixture-author"]',
    'license: CC-BY-SA-4.0',
    '---',
    '',
  ].join('\n');
  return fm + (opts.body ?? defaultBody(title, tension));
}

/**
 * Replaces `search` by `replacement` exactly once and fails loudly when `search` is not there,
 * so a mutation test can never pass because the fixture changed under it.
 */
export function mutate(text: string, search: string | RegExp, replacement: string): string {
  const found = typeof search === 'string' ? text.includes(search) : search.test(text);
  if (!found) throw new Error(`mutate: ${String(search)} not found in fixture`);
  return typeof search === 'string' ? text.replace(search, () => replacement) : text.replace(search, replacement);
}

/** 1-based file line of the first line containing `needle`. */
export function lineOf(text: string, needle: string | RegExp): number {
  const lines = text.split(/\r?\n/);
  const i = lines.findIndex((l) => (typeof needle === 'string' ? l.includes(needle) : needle.test(l)));
  if (i < 0) throw new Error(`lineOf: ${String(needle)} not found`);
  return i + 1;
}

/**
 * A small consistent library: `focus` links to the others with reciprocal relationships stored
 * both ways (ADR-0005), so the set checks clean. Keys are file names.
 */
export function patternCorpus(extra: Record<string, string> = {}, today = DEFAULT_TODAY): Record<string, string> {
  return {
    'community-seed-library.md': buildPattern({
      slug: 'community-seed-library',
      today,
      relationships: { enables: ['shared-tool-shed'], generalizes_from: ['mutual-aid-network'], complementary: ['harvest-festival-rotation'] },
      inferred: [{ target: 'harvest-festival-rotation', type: 'complementary' }],
    }),
    'shared-tool-shed.md': buildPattern({ slug: 'shared-tool-shed', today, relationships: { requires: ['community-seed-library'] } }),
    'mutual-aid-network.md': buildPattern({ slug: 'mutual-aid-network', today, relationships: { specializes_to: ['community-seed-library'] } }),
    'harvest-festival-rotation.md': buildPattern({ slug: 'harvest-festival-rotation', today, relationships: { complementary: ['community-seed-library'] } }),
    ...extra,
  };
}

/** An invented classification-era pattern: top-level classification and relationship lists, old body headings. */
export function legacyPattern(slug: string, opts: { related?: string[]; enables?: string[]; created?: string; overview?: string } = {}): string {
  const list = (xs?: string[]) => (xs && xs.length > 0 ? `\n${xs.map((x) => `- ${x}`).join('\n')}` : ' []');
  return [
    '---',
    // Classification-era ids: `pat_` and 24 hex digits.
    `id: pat_${createHash('sha1').update(slug).digest('hex').slice(0, 24)}`,
    `title: ${slug.replace(/-/g, ' ')}`,
    `slug: ${slug}`,
    'aliases: []',
    'classification:',
    '  universality: domain',
    '  domain: neighbourhood',
    '  category:',
    '  - food',
    '  status: draft',
    `generalizes_from: []`,
    `specializes_to: []`,
    `enables:${list(opts.enables)}`,
    'requires: []',
    `related:${list(opts.related)}`,
    `created: ${opts.created ?? '2025-03-01'}`,
    'modified: 2025-03-02',
    '---',
    '',
    `# ${slug}`,
    '',
    '### 1. Overview',
    '',
    opts.overview ?? 'A short overview with no v7.1 sections, no commons assessment and no Problem statement.',
    '',
  ].join('\n');
}

import { createHash } from 'node:crypto';

/** Synthetic, rule-clean commons patterns for tests and benches (no corpus text is copied). */

export interface PatternSpec {
  slug: string;
  title?: string;
  /** relationships.<type> → slugs */
  relationships?: Record<string, string[]>;
  /** Extra frontmatter lines appended verbatim (already indented). */
  extra?: string[];
  /** Body words per section multiplier (1 = inside the spec ranges). */
  words?: number;
}

const WORDS = [
  'commons',
  'garden',
  'steward',
  'resource',
  'network',
  'practice',
  'member',
  'shared',
  'value',
  'care',
  'rule',
  'trust',
  'seed',
  'soil',
  'water',
  'tool',
];
const RANGES: [string, number][] = [
  ['Context', 150],
  ['Problem', 150],
  ['Solution', 300],
  ['Implementation', 400],
  ['Consequences', 250],
  ['Known Uses', 250],
  ['Cognitive Era', 200],
  ['Vitality', 250],
];

function filler(n: number, seed: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(WORDS[(i * 7 + seed) % WORDS.length]!);
  const lines: string[] = [];
  for (let i = 0; i < out.length; i += 20) lines.push(out.slice(i, i + 20).join(' ') + '.');
  return lines.join('\n');
}

/** A TypeID-shaped id derived from the slug (deterministic, unique per slug in practice). */
export function patternId(slug: string): string {
  const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
  const h = createHash('sha256').update(slug).digest();
  let out = alphabet[h[0]! % 8]!;
  for (let i = 1; i < 26; i++) out += alphabet[h[i]! % 32];
  return `pat_${out}`;
}

export function makePattern(spec: PatternSpec): string {
  const title =
    spec.title ??
    spec.slug
      .split('-')
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join(' ');
  const rel = spec.relationships ?? {};
  const relLines: string[] = [];
  for (const [type, slugs] of Object.entries(rel)) {
    relLines.push(`  ${type}:`);
    for (const s of slugs) relLines.push(`    - slug: ${s}`, `      weight: 0.8`);
  }
  const fm = [
    '---',
    `id: ${patternId(spec.slug)}`,
    `slug: ${spec.slug}`,
    `title: ${title}`,
    `summary: A synthetic pattern about ${title.toLowerCase()}.`,
    'ontology:',
    '  domain: governance',
    '  search_hints:',
    '    primary_tension: autonomy vs coordination',
    '  commons_assessment:',
    '    stakeholder_architecture: 3',
    '    value_creation: 3',
    '    resilience: 3',
    '    ownership: 3',
    '    autonomy: 3',
    '    composability: 3',
    '    fractal_value: 3',
    '    vitality: 3',
    '    overall_score: 3',
    'lifecycle:',
    '  status: stable',
    '  confidence: 2',
    relLines.length ? 'relationships:' : 'relationships: {}',
    ...relLines,
    'graph_garden:',
    "  last_pruned: '2026-01-01'",
    '  inferred_links: []',
    ...(spec.extra ?? []),
    '---',
  ];
  const body: string[] = ['', `# ${title}`, ''];
  RANGES.forEach(([name, n], i) => {
    body.push(`### Section ${i + 1}: ${name}`, '');
    if (i === 1) body.push('> **The core conflict is autonomy vs coordination.**', '');
    body.push(filler(Math.round(n * (spec.words ?? 1)), i + spec.slug.length), '');
  });
  return fm.join('\n') + '\n' + body.join('\n');
}

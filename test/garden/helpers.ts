/** Fixture builder for garden tests: small v7.1 patterns written for these tests. */
import { DEFAULT_CONFIG, type GardenerConfig } from '../../src/core/config.js';
import { parseDocument, type ParsedDocument } from '../../src/core/document.js';

export interface PatternOpts {
  slug: string;
  title?: string;
  vitality?: number | string;
  status?: string;
  confidence?: number;
  lastPruned?: string;
  created?: string;
  links?: string[];
  contributors?: string[];
  /** Section 8 text; null leaves the section out. */
  section8?: string | null;
}

export const GOOD_S8 = [
  '**Signs of Life:**',
  Array.from({ length: 40 }, (_, i) => `Gardeners tend bed ${i} weekly.`).join(' '),
  '',
  '**Signs of Decay:**',
  Array.from({ length: 30 }, (_, i) => `Weeds choke row ${i}.`).join(' '),
  '',
  '**When to Replant:**',
  'When the rows stop yielding and nobody weeds them, start a fresh bed with new seed.',
].join('\n');

export function pattern(o: PatternOpts): string {
  const links = (o.links ?? []).map((l) => `    - slug: ${l}\n      weight: 0.8`).join('\n');
  const lines = [
    '---',
    `id: pat_${o.slug
      .replace(/[^a-z0-9]/g, '')
      .padEnd(26, '0')
      .slice(0, 26)}`,
    `slug: ${o.slug}`,
    `title: "${o.title ?? o.slug.replace(/-/g, ' ')}"`,
    ...(o.created ? [`created: ${o.created}`] : []),
    'ontology:',
    '  domain: garden',
    '  commons_assessment:',
    `    vitality: ${o.vitality ?? 3.5}`,
    'lifecycle:',
    `  status: ${o.status ?? 'stable'}`,
    `  confidence: ${o.confidence ?? 3}`,
    'relationships:',
    '  generalizes_from: []',
    links ? `  complementary:\n${links}` : '  complementary: []',
    'graph_garden:',
    `  last_pruned: ${o.lastPruned ?? '2026-11-01'}`,
    '  inferred_links: []',
    `contributors: [${(o.contributors ?? ['alice-g']).map((c) => `"${c}"`).join(', ')}]`,
    '---',
    '',
    'A pattern written for the garden tests.',
    '',
    '### Section 1: Context',
    '',
    'Some context for the tests.',
    '',
  ];
  if (o.section8 !== null) lines.push('### Section 8: Vitality', '', o.section8 ?? GOOD_S8, '');
  return lines.join('\n');
}

export function doc(o: PatternOpts, file = `${o.slug}.md`): ParsedDocument {
  return parseDocument(file, pattern(o));
}

export function config(garden: Partial<GardenerConfig['garden']> = {}): GardenerConfig {
  const c = structuredClone(DEFAULT_CONFIG);
  c.garden = { ...c.garden, ...garden };
  return c;
}

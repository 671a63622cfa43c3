import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import { CorpusIndex } from '../../src/core/corpus.js';
import { requireDate } from '../../src/core/dates.js';
import { parseDocument } from '../../src/core/document.js';
import { Engine } from '../../src/core/engine.js';
import { applyFixes } from '../../src/core/fixes.js';

const pattern = (slug: string, relationships: string) => `---
id: pat_01h8x4e1gq7r9d1z2x3c4v5b6n
slug: ${slug}
title: "${slug}"
summary: "s"
relationships:
${relationships}
graph_garden:
  last_pruned: 2026-11-01
  inferred_links: []
---
`;

describe('links/reciprocal fix when the inverse list does not exist yet', () => {
  it('adds the key and the entry at the end of relationships, and the result is clean for that rule', () => {
    const a = parseDocument('seed-library.md', pattern('seed-library', '  enables:\n    - slug: seed-swap'));
    const bText = pattern('seed-swap', '  complementary: []');
    const b = parseDocument('seed-swap.md', bText);
    const corpus = CorpusIndex.fromDocuments([a, b]);
    const engine = new Engine({ config: structuredClone(DEFAULT_CONFIG), today: requireDate('2026-11-21'), rules: undefined });
    const f = engine.checkDocument(b, corpus).find((x) => x.rule === 'links/reciprocal');
    expect(f?.fix).toBeDefined();
    const fixed = applyFixes(bText, [f!.fix!]).text;
    expect(fixed).toContain('  complementary: []\n  requires:\n    - slug: seed-library\n');
    const b2 = parseDocument('seed-swap.md', fixed);
    const after = engine.checkDocument(b2, CorpusIndex.fromDocuments([a, b2]));
    expect(after.filter((x) => x.rule === 'links/reciprocal')).toEqual([]);
    expect(b2.problems).toEqual([]);
  });
});

describe('near misses', () => {
  it('a slug that differs only by hyphens gets a did-you-mean fix', async () => {
    const { NameMatcher } = await import('../../src/core/similar.js');
    const m = new NameMatcher(['compost-cooperative', 'seed-library', 'compost-cooperation-circle']);
    expect(m.suggest('compostcooperative').best).toBe('compost-cooperative');
  });

  it('an inferred link type with a one-letter typo maps to the vocabulary term, an unclear one does not', async () => {
    const { normaliseType } = await import('../../src/rules/links.js');
    expect(normaliseType('complemntary')).toBe('complementary');
    expect(normaliseType('enabels')).toBe('enables');
    expect(normaliseType('xyzzy')).toBeUndefined();
  });
});

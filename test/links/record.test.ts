import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { parseDocument } from '../../src/core/document.js';
import { normaliseLinkEntry, recordFromDocument, hardLinksOf } from '../../src/links/record.js';
import { loadRecords } from '../../src/links/corpus.js';

const MINI = fileURLToPath(new URL('../../fixtures/links/mini', import.meta.url));

describe('normaliseLinkEntry', () => {
  it('reads every entry shape seen in real files', () => {
    expect(normaliseLinkEntry('a-slug', 'enables')).toEqual({ target: 'a-slug', type: 'enables' });
    expect(normaliseLinkEntry({ slug: 'b', weight: 0.8 }, 'complementary')).toEqual({ target: 'b', type: 'complementary', weight: 0.8 });
    expect(normaliseLinkEntry({ id: 'pat_01abc', weight: '0.6', description: 'x' }, 'requires')).toEqual({
      target: 'pat_01abc',
      type: 'requires',
      weight: 0.6,
    });
    expect(normaliseLinkEntry({ slug: 'c', type: 'alternatives' }, 'complementary')).toEqual({ target: 'c', type: 'alternatives' });
    expect(normaliseLinkEntry({ slug: 'd', typeid: 'pat_x', source: 'y', weight: 0.5 }, 'enables')).toEqual({ target: 'd', type: 'enables', weight: 0.5 });
    expect(normaliseLinkEntry({ target: 'e' }, 'enables')).toEqual({ target: 'e', type: 'enables' });
    expect(normaliseLinkEntry('[[f-note|F]]', 'related')).toEqual({ target: 'f-note', type: 'complementary' });
    expect(normaliseLinkEntry({ weight: 1 }, 'enables')).toBeNull();
    expect(normaliseLinkEntry(null, 'enables')).toBeNull();
  });

  it('maps legacy top-level keys, related → complementary', () => {
    const links = hardLinksOf({ generalizes_from: [], specializes_to: ['pat_01x'], related: ['r'], classification: {} });
    expect(links).toEqual([
      { target: 'pat_01x', type: 'specializes_to' },
      { target: 'r', type: 'complementary' },
    ]);
  });
});

describe('recordFromDocument', () => {
  it('extracts fields, links and graph_garden of a v7.1 pattern', () => {
    const text = readFileSync(`${MINI}/rain-harvesting.md`, 'utf8');
    const r = recordFromDocument(parseDocument('water/rain-harvesting.md', text));
    expect(r.slug).toBe('rain-harvesting');
    expect(r.title).toBe('Rain Harvesting');
    expect(r.group).toBe('water');
    expect(r.keywords).toEqual(['rainfall', 'cistern', 'water storage']);
    expect(r.tension).toBe('Scarcity vs. Abundance');
    expect(r.entities).toEqual(['Watershed Council']);
    expect(r.communities).toEqual(['water-commons']);
    expect(r.links).toEqual([
      { target: 'greywater-reuse', type: 'enables', weight: 0.8 },
      { target: 'watershed-council', type: 'complementary' },
    ]);
    expect(r.inferred.map((l) => l.target)).toEqual(['greywater-reuse', 'vanished-pattern', 'cooperative-bank']);
    expect(r.inferred[0]).toEqual({ target: 'greywater-reuse', type: 'complementary', confidence: 0.7, reason: 'Shared keywords: water' });
    expect(r.lastPruned).toBe('2025-01-10');
    expect(r.body).toContain('cisterns and gutters');
  });

  it('loads a directory, legacy patterns included', () => {
    const recs = loadRecords(MINI);
    expect(recs.map((r) => r.slug)).toContain('legacy-water-tariff');
    const legacy = recs.find((r) => r.slug === 'legacy-water-tariff')!;
    expect(legacy.links.find((l) => l.type === 'specializes_to')?.target).toMatch(/^pat_01fixture/);
    expect(legacy.links).toContainEqual({ target: 'drought-rationing', type: 'complementary' });
  });
});

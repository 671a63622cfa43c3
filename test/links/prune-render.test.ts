import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseDocument } from '../../src/core/document.js';
import { LinkIndex } from '../../src/links/index.js';
import { loadRecords } from '../../src/links/corpus.js';
import { planInferredLinks } from '../../src/links/prune.js';
import { renderInferredLinksBlock, locateInferredLinks, inferredLinksEdit, applyLineEdit } from '../../src/links/render.js';

const MINI = fileURLToPath(new URL('../../fixtures/links/mini', import.meta.url));
const rainText = readFileSync(`${MINI}/rain-harvesting.md`, 'utf8');

describe('planInferredLinks', () => {
  const idx = new LinkIndex(loadRecords(MINI));
  const doc = parseDocument('rain-harvesting.md', rainText);

  it('removes dangling, hard-duplicate and far-below-threshold links; keeps first, adds after, caps', () => {
    const plan = planInferredLinks(doc, idx, { max: 3, minConfidence: 0.05 });
    expect(plan.remove).toContainEqual({ target: 'vanished-pattern', why: 'target does not exist' });
    expect(plan.remove).toContainEqual({ target: 'greywater-reuse', why: 'duplicates the hard relationship enables' });
    const targets = [...plan.keep, ...plan.add].map((l) => l.target);
    expect(targets.length).toBeLessThanOrEqual(3);
    expect(targets).not.toContain('rain-harvesting');
    expect(targets).not.toContain('greywater-reuse');
    expect(new Set(targets).size).toBe(targets.length);
    for (const a of plan.add) expect(a.confidence).toBeGreaterThanOrEqual(0.05);
  });

  it('drops a link that scores far below the threshold', () => {
    // cooperative-bank shares nothing with rain harvesting: with a high threshold it goes
    const plan = planInferredLinks(doc, idx, { minConfidence: 0.9, removeFactor: 0.9 });
    const why = plan.remove.find((r) => r.target === 'cooperative-bank')?.why;
    expect(why).toMatch(/far below the threshold 0\.90/);
    expect(plan.add).toEqual([]);
    // with a low threshold it is kept, and kept entries come first
    const lenient = planInferredLinks(doc, idx, { minConfidence: 0.01, removeFactor: 0.01 });
    expect(lenient.keep.map((k) => k.target)).toEqual(['cooperative-bank']);
  });
});

describe('renderInferredLinksBlock', () => {
  const plan = {
    keep: [{ target: 'a-pattern', type: 'complementary', confidence: 0.8, reason: 'Shared keywords: water, "quoted" #hash: colon' }],
    add: [
      { target: 'true', type: 'enables', confidence: 1, reason: 'Shared terms: x' },
      { target: 'b', type: 'requires', confidence: 0.456, reason: 'Shared entities: Ünïcode — dash' },
    ],
  };

  it('round-trips through the YAML parser with the spec shape', () => {
    const lines = renderInferredLinksBlock(plan, 2);
    expect(lines[0]).toBe('  inferred_links:');
    expect(lines[1]).toBe('    - target: a-pattern');
    const parsed = parse(['graph_garden:', ...lines].join('\n')) as { graph_garden: { inferred_links: unknown[] } };
    expect(parsed.graph_garden.inferred_links).toEqual([
      { target: 'a-pattern', type: 'complementary', confidence: 0.8, reason: 'Shared keywords: water, "quoted" #hash: colon' },
      { target: 'true', type: 'enables', confidence: 1, reason: 'Shared terms: x' },
      { target: 'b', type: 'requires', confidence: 0.46, reason: 'Shared entities: Ünïcode — dash' },
    ]);
  });

  it('renders an empty list inline', () => {
    expect(renderInferredLinksBlock({ keep: [], add: [] }, 2)).toEqual(['  inferred_links: []']);
  });
});

describe('locating and replacing the block', () => {
  it('finds the block and last_pruned, and one edit rewrites both', () => {
    const doc = parseDocument('rain-harvesting.md', rainText);
    const loc = locateInferredLinks(doc);
    const lines = doc.lines();
    expect(lines[loc.block!.startLine - 1]).toBe('  inferred_links:');
    expect(lines[loc.block!.endLine - 1]).toContain('reason: "Shared terms: money"');
    expect(lines[loc.lastPruned!.line - 1]).toBe('  last_pruned: 2025-01-10');
    expect(loc.adjacent).toBe(false); // entities and communities lie between

    const plan = { keep: [], add: [{ target: 'drought-rationing', type: 'complementary', confidence: 0.5, reason: 'Shared keywords: cistern' }] };
    const edit = inferredLinksEdit(doc, plan, '2026-03-01')!;
    const out = applyLineEdit(doc.text, edit);
    const after = parseDocument('rain-harvesting.md', out);
    const gg = after.frontmatter!.data!.graph_garden as Record<string, unknown>;
    expect(gg.last_pruned).toBe('2026-03-01');
    expect(gg.inferred_links).toEqual([{ target: 'drought-rationing', type: 'complementary', confidence: 0.5, reason: 'Shared keywords: cistern' }]);
    expect(gg.entities).toEqual([{ id: 'x', type: 'concept', label: 'Watershed Council', relevance: 0.9 }]);
    expect(after.body()).toBe(doc.body());
  });

  it('adds the block when graph_garden has none', () => {
    const text = '---\nslug: x\ntitle: X\ngraph_garden:\n  entities: []\nlicense: MIT\n---\nbody\n';
    const doc = parseDocument('x.md', text);
    const edit = inferredLinksEdit(doc, { keep: [], add: [] }, '2026-03-01')!;
    const data = parseDocument('x.md', applyLineEdit(text, edit)).frontmatter!.data!;
    expect(data.graph_garden).toEqual({ entities: [], last_pruned: '2026-03-01', inferred_links: [] });
    expect(data.license).toBe('MIT');
    expect(inferredLinksEdit(parseDocument('y.md', '---\nslug: y\n---\n'), { keep: [], add: [] }, '2026-03-01')).toBeNull();
  });
});

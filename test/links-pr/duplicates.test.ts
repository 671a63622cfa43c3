/** `links/possible-duplicate` for a changed pattern that reads almost exactly like one other pattern. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/core/config.js';
import { parseDocument, type ParsedDocument } from '../../src/core/document.js';
import { duplicateFindings } from '../../src/github/link-proposals.js';
import type { Snapshot } from '../../src/github/snapshot.js';
import { LinkIndex } from '../../src/links/index.js';
import { recordFromDocument } from '../../src/links/record.js';
import { SOFTWARE, WATER, themedPattern } from './corpus.js';

function snapshotOf(docs: ParsedDocument[]): Snapshot {
  const byFile = new Map(docs.map((d) => [d.file, d]));
  return { doc: (f: string) => byFile.get(f) } as unknown as Snapshot;
}

describe('links/possible-duplicate', () => {
  const base = [...WATER, ...SOFTWARE].map((s) => parseDocument(`patterns/${s.slug}.md`, themedPattern(s)));
  const twinSpec = { ...WATER[0]!, slug: 'watershed-council-basin-edition', title: 'Watershed Council (Basin Edition)' };

  it('flags a new pattern that is a near copy of an existing one, naming the other', () => {
    const twin = parseDocument(`patterns/${twinSpec.slug}.md`, themedPattern(twinSpec));
    const docs = [...base, twin];
    const index = new LinkIndex(docs.map((d) => recordFromDocument(d)));
    const found = duplicateFindings(snapshotOf(docs), [twin.file], index, structuredClone(DEFAULT_CONFIG));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ rule: 'links/possible-duplicate', severity: 'warning', file: twin.file, target: 'duplicate:watershed-council' });
    expect(found[0]!.line).toBe(twin.locate(['slug']).line);
  });

  it('stays silent for a pattern about its own topic, and when the rule is off', () => {
    const docs = base;
    const index = new LinkIndex(docs.map((d) => recordFromDocument(d)));
    const files = docs.map((d) => d.file);
    expect(duplicateFindings(snapshotOf(docs), files, index, structuredClone(DEFAULT_CONFIG))).toEqual([]);
    const twin = parseDocument(`patterns/${twinSpec.slug}.md`, themedPattern(twinSpec));
    const off = { ...structuredClone(DEFAULT_CONFIG), rules: { 'links/possible-duplicate': 'off' as const } };
    expect(duplicateFindings(snapshotOf([...base, twin]), [twin.file], new LinkIndex([...base, twin].map((d) => recordFromDocument(d))), off)).toEqual([]);
  });
});

/**
 * Link records from the snapshot's link stubs (frontmatter kept from the index parse, body bytes decoded
 * apart) equal `recordFromDocument(parseDocument(...))` for every file, whatever its line endings and shape.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, FileSelector, type GardenerConfig } from '../../src/core/config.js';
import { CorpusIndex, type CorpusEntry } from '../../src/core/corpus.js';
import { parseDocument } from '../../src/core/document.js';
import { clearSnapshotCache, indexEntry, lineStartByte, Snapshot, type LinkStub } from '../../src/github/snapshot.js';
import { FakeGitHub, type Tree } from '../doubles/fake-github.js';
import { recordFromDocument } from '../../src/links/record.js';
import { corpusFiles, realCorpus, skipMessage } from '../helpers/corpus.js';

const V71 = `---
id: pat_01fixture0000000000000001
slug: rain-harvesting
title: Rain Harvesting
summary: Catch the rain where it falls.
collection: water
aliases: [Rainwater Catchment, "  "]
tags: [water, storage]
ontology:
  search_hints:
    vector_keywords: [rainfall, cistern]
    primary_tension: Scarcity vs. Abundance
relationships:
  enables:
    - slug: greywater-reuse
      weight: 0.8
  complementary: ["[[watershed-council|Council]]"]
graph_garden:
  entities: [{label: Watershed Council}, Gutters]
  communities: [water-commons]
  last_pruned: 2025-01-10
  inferred_links:
    - target: greywater-reuse
      type: complementary
      confidence: 0.7
      reason: 'Shared keywords: water'
---

# Rain Harvesting

### Section 1: Problem
*(100–200 words)*

Roofs shed water that [gutters](https://example.org/g) could keep.

\`\`\`mermaid
graph TD; a-->b
\`\`\`

<!-- a comment -->
Cisterns and gutters.
`;

const LEGACY = `---
id: pat_01fixturelegacy00000000001
title: Legacy Water Tariff
description: An old-format pattern.
classification:
  status: draft
generalizes_from: []
specializes_to: [pat_01fixture0000000000000001]
related: [drought-rationing]
---
Body of a legacy pattern.
`;

const enc = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
const crlf = (s: string): string => s.replace(/\n/g, '\r\n');
const cat = (...parts: (string | number[])[]): Uint8Array =>
  new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p)))));

/** Hand-written files: path → bytes. */
const FIXTURES: [string, Uint8Array][] = [
  ['water/rain-harvesting.md', enc(V71)],
  ['water/crlf.md', enc(crlf(V71))],
  ['water/bom-crlf.md', enc(`\uFEFF${crlf(V71)}`)],
  ['water/bom.md', enc(`\uFEFF${V71}`)],
  ['legacy/legacy-water-tariff.md', enc(LEGACY)],
  ['legacy/legacy-crlf.md', enc(crlf(LEGACY))],
  ['water/no-body.md', enc('---\nslug: no-body\ntitle: No Body\nrelationships: {}\n---\n')],
  ['water/no-body-no-newline.md', enc('---\nslug: no-body-2\ntitle: No Body\nrelationships: {}\n---')],
  ['water/no-body-crlf.md', enc('---\r\nslug: no-body-3\r\ntitle: No Body\r\nrelationships: {}\r\n---\r\n')],
  ['water/dots-fence.md', enc('---\nslug: dots\ntitle: Dots\nrelationships: {}\n...\nBody after a dots fence.\n')],
  ['water/spaced-fence.md', enc('---  \nslug: spaced\ntitle: Spaced\nrelationships: {}\n--- \t\n\n\nBody after blank lines.\n')],
  ['water/lone-cr.md', enc('---\rslug: lone-cr\rtitle: Lone CR\rrelationships: {}\r---\rBody\rwith old Mac\rline ends.\r')],
  ['water/mixed-cr.md', enc('---\nslug: mixed-cr\ntitle: Mixed\rrelationships: {}\n---\rBody one\r\nbody two\n')],
  ['water/dashes-in-yaml.md', enc('---\nslug: dashes\ntitle: Dashes\nrelationships: {}\nsummary: >\n  folded\n----\n---\nBody.\n')],
  ['water/yaml-error.md', enc('---\nslug: broken\ntitle: [unclosed\nrelationships: {}\n---\nBody.\n')],
  ['water/not-mapping.md', enc('---\n- a\n- b\n---\nBody.\n')],
  ['water/empty-frontmatter.md', enc('---\n---\n[[some-note]] body.\n')],
  ['water/invalid-utf8.md', cat('---\nslug: bad-bytes\ntitle: Bad \xE9\nrelationships: {}\n---\n', [0xe2, 0x82, 0x0a, 0x80, 0xff], 'tail\n')],
  ['water/bom-in-body.md', enc('---\nslug: bom-body\ntitle: BOM body\nrelationships: {}\n---\n\uFEFFBody starting with a BOM.\n')],
  ['water/unclosed.md', enc('---\nslug: unclosed\ntitle: Unclosed\nrelationships: {}\nBody.\n')],
  ['water/no-frontmatter.md', enc('# Just a note\n\nSee [[rain-harvesting]].\n')],
];

/** What getSnapshot builds from a tarball, from bytes directly (no GitHub). */
function snapshotFrom(files: Map<string, Uint8Array>, config: GardenerConfig): Snapshot {
  const selector = new FileSelector(config);
  const entries: CorpusEntry[] = [];
  const stubs = new Map<string, LinkStub | null>();
  for (const [path, bytes] of files) {
    const { entry, stub } = indexEntry(path, bytes, config, selector);
    entries.push(entry);
    if (stub !== undefined) stubs.set(path, stub);
  }
  return new Snapshot('test@x#y', 'x'.repeat(40), files, new CorpusIndex(entries), selector, config, undefined, stubs);
}

/** The reference: a whole parse, as the link index read records before link stubs. */
function reference(config: GardenerConfig, path: string, bytes: Uint8Array) {
  const doc = parseDocument(path, bytes, { limits: config.limits, kind: new FileSelector(config).kindOf(path) });
  return doc.frontmatter?.data ? recordFromDocument(doc) : undefined;
}

describe('link records from link stubs', () => {
  const auto = structuredClone(DEFAULT_CONFIG);
  const allCommons: GardenerConfig = { ...structuredClone(DEFAULT_CONFIG), kinds: { 'commons-pattern': ['**/*.md'] } };

  for (const [name, config] of [
    ['detected kinds', auto],
    ['every file a commons pattern by config', allCommons],
  ] as const) {
    it(`equal a whole parse for every fixture (${name})`, () => {
      const snap = snapshotFrom(new Map(FIXTURES), config);
      for (const [path, bytes] of FIXTURES) expect(snap.linkRecord(path), path).toEqual(reference(config, path, bytes));
    });
  }

  it('come from stubs (no second YAML parse) wherever the head parse can tell', () => {
    const snap = snapshotFrom(new Map(FIXTURES), allCommons);
    // Only a head-only parse without a final line end or without a closing fence leaves the file to a whole parse.
    const unknown = FIXTURES.map(([p]) => p).filter((p) => !snap.linkStubs.has(p));
    expect(unknown.sort()).toEqual(['water/dashes-in-yaml.md', 'water/no-body-no-newline.md']);
    expect(snap.linkStubs.get('water/yaml-error.md')).toBeNull();
    expect(snap.linkStubs.get('water/unclosed.md')).toBeNull();
    expect(snap.linkStubs.get('water/no-frontmatter.md')).toBeNull();
    expect(snap.linkStubs.get('water/crlf.md')?.head.title).toBe('Rain Harvesting');
    // The record's non-body fields are all in the stub: nothing of the body is kept.
    expect(Object.keys(snap.linkStubs.get('water/crlf.md')!)).toEqual(['head', 'bodyStart']);
    expect(snap.linkStubs.get('water/crlf.md')!.head).not.toHaveProperty('body');
  });

  it('find the start of a line whatever the line ends', () => {
    expect(lineStartByte(enc('a\nb\nc'), 1)).toBe(0);
    expect(lineStartByte(enc('a\nb\nc'), 3)).toBe(4);
    expect(lineStartByte(enc('a\r\nb\r\nc'), 3)).toBe(6);
    expect(lineStartByte(enc('a\rb\r\nc\nd'), 4)).toBe(7);
    expect(lineStartByte(enc('a\nb'), 5)).toBe(3);
    expect(lineStartByte(enc('a\r\n'), 2)).toBe(3);
  });
});

describe('link stubs across snapshots', () => {
  beforeEach(() => clearSnapshotCache());
  const { config, snapshotOf } = new FakeGitHub().snapshots({ owner: 'commons-garden', repo: 'stubs' });

  it('a reused index entry carries its stub; a changed file gets a new one', async () => {
    const a: Tree = new Map([
      ['patterns/rain-harvesting.md', V71],
      ['patterns/legacy-water-tariff.md', LEGACY],
    ]);
    const snapA = await snapshotOf(a, '1'.repeat(40));
    const b = new Map(a).set('patterns/legacy-water-tariff.md', LEGACY.replace('Body of', 'Changed body of'));
    const snapB = await snapshotOf(b, '2'.repeat(40));
    expect(snapB.index.entries.get('patterns/rain-harvesting.md')).toBe(snapA.index.entries.get('patterns/rain-harvesting.md'));
    expect(snapB.linkStubs.get('patterns/rain-harvesting.md')).toBe(snapA.linkStubs.get('patterns/rain-harvesting.md'));
    expect(snapB.linkStubs.get('patterns/legacy-water-tariff.md')).not.toBe(snapA.linkStubs.get('patterns/legacy-water-tariff.md'));
    for (const [path, text] of b) expect(snapB.linkRecord(path), path).toEqual(reference(config, path, enc(text)));
  });
});

const dir = realCorpus();
describe.skipIf(!dir)('link records from link stubs on the real corpus', () => {
  it('equal a whole parse on the first 300 patterns', () => {
    const config = structuredClone(DEFAULT_CONFIG);
    const files = new Map(
      corpusFiles(dir!)
        .slice(0, 300)
        .map((f) => [f, new Uint8Array(readFileSync(join(dir!, f)))] as const),
    );
    const snap = snapshotFrom(files, config);
    let fromStubs = 0;
    for (const [path, bytes] of files) {
      if (snap.linkStubs.get(path)) fromStubs++;
      expect(snap.linkRecord(path), path).toEqual(reference(config, path, bytes));
    }
    expect(fromStubs).toBeGreaterThan(250);
  });
});
if (!dir) it('skips the real-corpus comparison', () => console.warn(skipMessage('link stub corpus comparison (test/github/link-stubs.test.ts)')));

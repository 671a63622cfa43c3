/**
 * The CLI's check streams (index entries from each file's head first, then one file at a time read,
 * checked and let go). These tests hold it to the plain in-memory path: every document parsed whole,
 * the index built from them, every document checked against it.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPaths } from '../../src/cli/commands/check.js';
import { listFiles, loadEntry, loadFile } from '../../src/cli/fs-corpus.js';
import { DEFAULT_CONFIG, FileSelector, type GardenerConfig } from '../../src/core/config.js';
import { CorpusIndex, entryFromDocument } from '../../src/core/corpus.js';
import { requireDate } from '../../src/core/dates.js';
import type { ParsedDocument } from '../../src/core/document.js';
import { Engine } from '../../src/core/engine.js';
import { compareFindings, type Finding } from '../../src/core/finding.js';
import { writeCorpus } from '../../src/synth/generate.js';
import { realCorpus, skipMessage } from '../helpers/corpus.js';

const today = requireDate('2026-12-02');

/** Every selected document under `root`, parsed whole. */
function loadAll(root: string, config: GardenerConfig): ParsedDocument[] {
  const selector = new FileSelector(config);
  return listFiles(root)
    .filter((f) => selector.selects(f))
    .map((f) => loadFile(root, f, selector, config.limits));
}

/** The in-memory path: all documents parsed whole and held, then checked (those in `only`, when given). */
function checkInMemory(root: string, config: GardenerConfig, only?: Set<string>, docs = loadAll(root, config)): Finding[] {
  const corpus = CorpusIndex.fromDocuments(docs);
  const engine = new Engine({ config, today });
  return engine.checkDocuments(
    docs.filter((d) => !only || only.has(d.file)),
    corpus,
  );
}

/** What a finding says, without object identity. */
const plain = (fs: Finding[]) => JSON.stringify([...fs].sort(compareFindings));

/** Each document's entry read from its head equals the entry of its whole parse; `docs` are the whole parses of `root`. */
function expectSameEntries(root: string, config: GardenerConfig, docs = loadAll(root, config)): number {
  const selector = new FileSelector(config);
  for (const doc of docs) {
    const head = loadEntry(root, doc.file, selector, config.limits);
    const whole = entryFromDocument(doc);
    // toEqual only where the cheap strict comparison disagrees: thousands of toEqual calls cost seconds.
    if (!isDeepStrictEqual(head, whole)) expect(head, doc.file).toEqual(whole);
  }
  return docs.length;
}

describe('streamed check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gardener-streamed-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // Typos and dangling links for did-you-mean, plus the files a head-only read must not get wrong:
  // a note whose links live in its body, CRLF, a BOM, broken YAML, no frontmatter, a file over the size limit.
  writeCorpus(dir, { count: 150, seed: 5, typoRate: 0.3, danglingRate: 0.1 });
  mkdirSync(join(dir, 'notes'));
  writeFileSync(join(dir, 'notes', 'garden-note.md'), '---\ntags: [x]\naliases: [Garden Log]\n---\n# Note\n\nSee [[Missing Note]] and [[garden-note]].\n');
  writeFileSync(join(dir, 'notes', 'bare.md'), '# No frontmatter\n\nLinks to [[garden-note]] and [[Nowhere]].\n');
  writeFileSync(join(dir, 'crlf.md'), '---\r\nslug: crlf\r\ntitle: "CRLF"\r\nrelationships:\r\n  enables:\r\n    - slug: nowhere-at-all\r\n---\r\n# Body\r\n');
  writeFileSync(join(dir, 'bom.md'), '\ufeff---\nslug: bom\ntitle: "BOM"\n---\nbody\n');
  writeFileSync(join(dir, 'broken.md'), '---\nslug: broken\ntitle: "unclosed\nrelationships: [\n---\nbody\n');
  writeFileSync(join(dir, 'big.md'), `---\nslug: big\ntitle: "Big"\n---\n${'x'.repeat(DEFAULT_CONFIG.limits.maxFileBytes + 10)}\n`);

  it('reads the same index entry from a head as from a whole parse', () => {
    expect(expectSameEntries(dir, structuredClone(DEFAULT_CONFIG))).toBe(156);
  });

  it('gives the findings of the in-memory path, for a tree and for some files of it', () => {
    const config = structuredClone(DEFAULT_CONFIG);
    const streamed = checkPaths([dir], config, today);
    const inMemory = checkInMemory(dir, config);
    expect(inMemory.some((f) => f.rule === 'links/unknown-target' && f.fix)).toBe(true);
    expect(plain(streamed.findings)).toBe(plain(inMemory));
    const some = listFiles(dir).filter((_, i) => i % 9 === 0);
    const part = checkPaths(
      some.map((f) => join(dir, f)),
      config,
      today,
    );
    // Files named one by one are checked against the other files of their folder.
    const byFolder = new Map<string, Set<string>>();
    for (const f of some) {
      const folder = f.includes('/') ? f.slice(0, f.lastIndexOf('/')) : '';
      byFolder.set(folder, (byFolder.get(folder) ?? new Set()).add(folder ? f.slice(folder.length + 1) : f));
    }
    const expected = [...byFolder].flatMap(([folder, only]) => checkInMemory(folder ? join(dir, folder) : dir, config, only));
    expect(part.files).toBe(some.length);
    expect(plain(part.findings)).toBe(plain(expected));
  });
});

const real = realCorpus();
if (!real) console.warn(skipMessage('streamed check against the in-memory path on the real corpus (test/cli/streamed-check.test.ts)'));

describe.skipIf(!real)('streamed check on the real corpus', () => {
  it('reads the same index entries and gives the same findings on a sample', () => {
    const config = structuredClone(DEFAULT_CONFIG);
    // One whole parse of the corpus serves both comparisons.
    const docs = loadAll(real!, config);
    expect(expectSameEntries(real!, config, docs)).toBeGreaterThan(3000);
    const sample = new Set(listFiles(real!).filter((f, i) => f.endsWith('.md') && i % 10 === 0));
    const streamed = checkPaths(
      [...sample].map((f) => join(real!, f)),
      config,
      today,
    );
    expect(streamed.files).toBe(sample.size);
    expect(plain(streamed.findings)).toBe(plain(checkInMemory(real!, config, sample, docs)));
  }, 300_000);
});
